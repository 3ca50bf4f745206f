// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FxOracle} from "../../../contracts/FxOracle.sol";
import {LiquidityPool} from "../../../contracts/LiquidityPool.sol";
import {FeedConfig} from "../../../contracts/interfaces/IFxOracle.sol";
import {AssetParams, PoolParams} from "../../../contracts/interfaces/ILiquidityPool.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {TestERC20} from "../../../contracts/test/TestERC20.sol";
import {InvariantBase, TestBase} from "../utils/TestBase.sol";

/// @notice Drives a three-asset pool on the real FxOracle with random swaps, deposits, withdrawals and
/// rate reports, and checks around every successful swap that the pool's value at the prices of that
/// moment did not fall.
contract PoolValueHandler is TestBase {
    LiquidityPool public immutable pool;
    FxOracle public immutable oracle;
    TestERC20[3] internal tokens;
    bytes32[3] internal feeds; // bytes32(0) for the pegged asset

    uint256 public swaps;
    uint256 public valueDrops;
    uint256 public overpaidSwaps;

    constructor(LiquidityPool pool_, FxOracle oracle_, TestERC20[3] memory tokens_, bytes32[3] memory feeds_) {
        pool = pool_;
        oracle = oracle_;
        tokens = tokens_;
        feeds = feeds_;
        for (uint256 i; i < 3; ++i) tokens_[i].approve(address(pool_), type(uint256).max);
    }

    function swap(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        uint256 i = fromSeed % 3;
        uint256 j = (i + 1 + toSeed % 2) % 3;
        (bool priced, uint256[3] memory prices) = _prices();
        if (!priced) return;
        uint256[] memory reserves = pool.reserves();
        amount = bound(amount, 1, reserves[i] / 4 + 10 ** tokens[i].decimals());
        uint256 before = _value(reserves, prices);

        tokens[i].mint(address(this), amount);
        tokens[i].transfer(address(pool), amount);
        try pool.swap(address(tokens[i]), address(tokens[j]), amount, 0, address(this)) returns (uint256 out) {
            ++swaps;
            if (_value(pool.reserves(), prices) < before) ++valueDrops;
            // The output is worth no more than the input at the same prices, exactly.
            if (out * _scale(j) * prices[j] > amount * _scale(i) * prices[i]) ++overpaidSwaps;
        } catch {}
    }

    function deposit(uint256 seed, uint256 amount) external {
        uint256 i = seed % 3;
        amount = bound(amount, 1, 10 ** (tokens[i].decimals() + 6));
        tokens[i].mint(address(this), amount);
        try pool.deposit(address(tokens[i]), amount, 0, address(this)) {} catch {}
    }

    function withdraw(uint256 fractionBps) external {
        uint256 shares = pool.balanceOf(address(this)) * bound(fractionBps, 1, 10_000) / 10_000;
        if (shares == 0) return;
        try pool.withdraw(shares, new uint256[](3), address(this)) {} catch {}
    }

    function withdrawSingle(uint256 seed, uint256 fractionBps) external {
        uint256 shares = pool.balanceOf(address(this)) * bound(fractionBps, 1, 10_000) / 10_000;
        if (shares == 0) return;
        try pool.withdrawSingle(shares, address(tokens[seed % 3]), 0, address(this)) {} catch {}
    }

    /// @dev Time passes, one feed moves by up to 8 % and the other is re-reported; a tripped breaker is reset.
    function report(uint256 seed, uint256 moveBps, uint256 elapsed) external {
        vm.warp(block.timestamp + bound(elapsed, 1, 50 minutes));
        uint256 moving = seed % 2 == 0 ? 0 : 2;
        for (uint256 k; k < 3; k += 2) {
            bytes32 feed = feeds[k];
            uint256 current = oracle.feedState(feed).median;
            if (k == moving) {
                uint256 move = bound(moveBps, 0, 1_600);
                current = current * (10_000 + move - 800) / 10_000;
            }
            oracle.report(feed, current);
            if (oracle.feedState(feed).halted) oracle.resetBreaker(feed);
        }
        if (seed % 3 == 0) pool.syncTargets();
    }

    /// @dev Pool value in the numeraire times 1e18, without rounding: sum of reserve * scale * price.
    function _value(uint256[] memory reserves, uint256[3] memory prices) internal view returns (uint256 value) {
        for (uint256 i; i < 3; ++i) {
            value += reserves[i] * _scale(i) * prices[i];
        }
    }

    function _prices() internal view returns (bool ok, uint256[3] memory prices) {
        for (uint256 i; i < 3; ++i) {
            try pool.priceOf(address(tokens[i])) returns (uint256 p) {
                prices[i] = p;
            } catch {
                return (false, prices);
            }
        }
        ok = true;
    }

    function _scale(uint256 i) internal view returns (uint256) {
        return 10 ** (18 - tokens[i].decimals());
    }
}

/// @notice DESIGN.md invariant 6: a swap never lowers the pool's value at the oracle rate. Also: the
/// tracked reserves are always backed by the tokens the pool actually holds.
contract PoolValueInvariants is InvariantBase {
    LiquidityPool internal pool;
    FxOracle internal oracle;
    PoolValueHandler internal handler;
    TestERC20[3] internal tokens;

    function setUp() public {
        vm.warp(1_700_000_000);
        oracle = new FxOracle(address(this));
        FeedConfig memory config = FeedConfig(1, 1 hours, 0.1e18, 0.2e18, 15 minutes);
        bytes32 ngn = oracle.addFeed("USD/NGN", config);
        bytes32 gold = oracle.addFeed("XAU/USD", config);
        tokens = [
            new TestERC20("Compliant Naira", "cNGN", 6),
            new TestERC20("USD Coin", "USDC", 6),
            new TestERC20("Gold", "XAU18", 18)
        ];
        AssetParams[] memory assets = new AssetParams[](3);
        assets[0] = AssetParams(address(tokens[0]), ngn, true, 4_000);
        assets[1] = AssetParams(address(tokens[1]), bytes32(0), false, 4_000);
        assets[2] = AssetParams(address(tokens[2]), gold, false, 2_000);
        pool = new LiquidityPool("Pool", "LP", oracle, assets, PoolParams(10, 0.2e18, 1_000), address(this));

        handler = new PoolValueHandler(pool, oracle, tokens, [ngn, bytes32(0), gold]);
        oracle.addReporter(ngn, address(handler));
        oracle.addReporter(gold, address(handler));
        oracle.addReporter(ngn, address(this));
        oracle.addReporter(gold, address(this));
        oracle.grantRole(Roles.GUARDIAN, address(handler));
        oracle.report(ngn, 1_500e18);
        oracle.report(gold, 2_650e18);

        uint256[3] memory seed = [uint256(600_000_000e6), 400_000e6, 75.47e18];
        for (uint256 i; i < 3; ++i) {
            tokens[i].mint(address(this), seed[i]);
            tokens[i].approve(address(pool), seed[i]);
            pool.deposit(address(tokens[i]), seed[i], 0, address(this));
        }
        targetContract(address(handler));
    }

    function invariant_swapsNeverLowerThePoolValueAtTheOracleRate() public view {
        vm.assertEq(handler.valueDrops(), 0, "a swap lowered the pool's value at the oracle rate");
        vm.assertEq(handler.overpaidSwaps(), 0, "a swap paid out more value than it took in");
    }

    function invariant_reservesAreBackedByTheTokensHeld() public view {
        uint256[] memory reserves = pool.reserves();
        for (uint256 i; i < 3; ++i) {
            vm.assertLe(reserves[i], tokens[i].balanceOf(address(pool)), "a reserve exceeds the pool's balance");
        }
    }
}
