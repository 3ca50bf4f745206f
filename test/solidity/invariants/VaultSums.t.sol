// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CustodialVault} from "../../../contracts/CustodialVault.sol";
import {ICustodialVault, TierLimits} from "../../../contracts/interfaces/ICustodialVault.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {TestERC20} from "../../../contracts/test/TestERC20.sol";
import {InvariantBase, TestBase} from "../utils/TestBase.sol";

/// @notice Drives the vault with random transfers, deposits, withdrawals, exits, freezes, tier changes,
/// donations and sweeps over four accounts and two assets, keeping its own ledger of what should be there.
/// Operation ids come from a small range so that retries of executed ids are frequent.
contract VaultHandler is TestBase {
    uint256 internal constant ACCOUNTS = 4;
    uint256 internal constant OP_IDS = 8;
    uint256 internal constant INITIAL = 20_000;

    CustodialVault public immutable vault;
    TestERC20[2] internal tokens;
    bytes32[ACCOUNTS] internal ids;
    address[ACCOUNTS] internal linked;

    /// @dev What account balances should add up to, per asset, from the handler's own bookkeeping.
    mapping(address asset => uint256) public ghostSum;
    /// @dev Tokens sent to the vault outside any account and not swept yet.
    mapping(address asset => uint256) public ghostDonations;
    mapping(uint256 opId => bool) public executed;
    uint256 public executedCount;
    bool public opExecutedTwice;
    bool public failedOpConsumedId;
    bool public retryNotReportedAsDone;

    constructor(
        CustodialVault vault_,
        TestERC20[2] memory tokens_,
        bytes32[ACCOUNTS] memory ids_,
        address[ACCOUNTS] memory linked_
    ) {
        (vault, tokens, ids, linked) = (vault_, tokens_, ids_, linked_);
        // Funded accounts from the start, so most operations have something to move.
        for (uint256 a; a < 2; ++a) {
            tokens_[a].mint(address(this), ACCOUNTS * INITIAL);
            tokens_[a].approve(address(vault_), type(uint256).max);
            for (uint256 i; i < ACCOUNTS; ++i) {
                vault_.deposit(ids_[i], address(tokens_[a]), INITIAL);
            }
            ghostSum[address(tokens_[a])] = ACCOUNTS * INITIAL;
        }
    }

    function deposit(uint256 accountSeed, uint256 assetSeed, uint256 amount) external {
        TestERC20 token = _token(assetSeed);
        amount = bound(amount, 0, 20_000);
        token.mint(address(this), amount);
        try vault.deposit(_account(accountSeed), address(token), amount) {
            ghostSum[address(token)] += amount;
        } catch {}
    }

    function transfer(uint256 opSeed, uint256 fromSeed, uint256 toSeed, uint256 assetSeed, uint256 amount)
        external
    {
        uint256 opId = _opId(opSeed);
        address asset = address(_token(assetSeed));
        amount = bound(amount, 0, 6_000);
        uint256 from = fromSeed % ACCOUNTS;
        // Another account most of the time; the same one now and then, which must fail.
        uint256 to = toSeed % 8 == 0 ? from : (from + 1 + toSeed % (ACCOUNTS - 1)) % ACCOUNTS;
        try vault.transfer(opId, ids[from], ids[to], asset, amount) {
            _executed(opId);
        } catch (bytes memory reason) {
            _failed(opId, reason);
        }
    }

    function withdraw(uint256 opSeed, uint256 accountSeed, uint256 assetSeed, uint256 amount) external {
        uint256 opId = _opId(opSeed);
        address asset = address(_token(assetSeed));
        amount = bound(amount, 0, 6_000);
        try vault.withdraw(opId, _account(accountSeed), asset, amount) {
            _executed(opId);
            ghostSum[asset] -= amount;
        } catch (bytes memory reason) {
            _failed(opId, reason);
        }
    }

    function exit(uint256 accountSeed, uint256 assetSeed, uint256 amount) external {
        uint256 i = accountSeed % ACCOUNTS;
        address asset = address(_token(assetSeed));
        amount = bound(amount, 0, 6_000);
        vm.prank(linked[i]);
        try vault.exit(ids[i], asset, amount) {
            ghostSum[asset] -= amount;
        } catch {}
    }

    /// @dev Freezes one time in four and unfreezes otherwise, so most accounts stay usable.
    function setFrozen(uint256 accountSeed) external {
        bytes32 account = _account(accountSeed);
        if ((accountSeed >> 128) % 4 == 0) vault.freeze(account);
        else vault.unfreeze(account);
    }

    function setTier(uint256 accountSeed, uint256 tier) external {
        vault.setTier(_account(accountSeed), uint8(bound(tier, 1, 3)));
    }

    function donate(uint256 assetSeed, uint256 amount) external {
        TestERC20 token = _token(assetSeed);
        amount = bound(amount, 1, 5_000);
        token.mint(address(vault), amount);
        ghostDonations[address(token)] += amount;
    }

    function sweep(uint256 assetSeed) external {
        TestERC20 token = _token(assetSeed);
        uint256 swept = vault.sweepSurplus(address(token), address(this));
        if (swept != ghostDonations[address(token)]) ghostDonations[address(token)] = type(uint256).max;
        else ghostDonations[address(token)] = 0;
    }

    function wait(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 30 hours));
    }

    // ---------------------------------------------------------------- views for the invariants

    function sumOfBalances(address asset) external view returns (uint256 sum) {
        for (uint256 i; i < ACCOUNTS; ++i) {
            sum += vault.balanceOf(ids[i], asset);
        }
    }

    function assetAt(uint256 i) external view returns (address) {
        return address(tokens[i]);
    }

    // ---------------------------------------------------------------- internal

    function _executed(uint256 opId) internal {
        if (executed[opId]) opExecutedTwice = true;
        executed[opId] = true;
        ++executedCount;
    }

    function _failed(uint256 opId, bytes memory reason) internal {
        bool alreadyDone = bytes4(reason) == ICustodialVault.OperationAlreadyExecuted.selector;
        if (executed[opId] && !alreadyDone) retryNotReportedAsDone = true;
        if (!executed[opId] && vault.isOperationExecuted(opId)) failedOpConsumedId = true;
    }

    function _opId(uint256 seed) internal pure returns (uint256) {
        // Few ids, so retries are frequent; they straddle a bitmap word boundary (256).
        return 252 + seed % OP_IDS;
    }

    function _account(uint256 seed) internal view returns (bytes32) {
        return ids[seed % ACCOUNTS];
    }

    function _token(uint256 seed) internal view returns (TestERC20) {
        return tokens[seed % 2];
    }
}

/// @notice DESIGN.md invariant 2 (for each asset, account balances sum to totalBalance, which the vault
/// holds; tokens sent to it by mistake only ever add surplus) and the on-chain half of invariant 4 (an
/// operation id executes at most once).
contract VaultSumsInvariants is InvariantBase {
    CustodialVault internal vault;
    VaultHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        TestERC20[2] memory tokens = [new TestERC20("Test Dollar", "USD", 6), new TestERC20("Test Naira", "NGN", 6)];
        vault = new CustodialVault(address(this), address(0xDEAD));
        vault.grantRole(Roles.OPERATOR, address(this));
        for (uint256 a; a < 2; ++a) {
            vault.addAsset(address(tokens[a]));
            for (uint8 tier = 1; tier <= 3; ++tier) {
                uint80 scale = uint80(10) ** (tier - 1);
                vault.setTierLimits(
                    tier, address(tokens[a]), TierLimits(5_000 * scale, 12_000 * scale, 40_000 * scale)
                );
            }
        }
        bytes32[4] memory ids;
        address[4] memory linked;
        for (uint256 i; i < 4; ++i) {
            ids[i] = keccak256(abi.encode("phone", i));
            linked[i] = address(uint160(0x5E1F_0000 + i));
            vault.openAccount(ids[i], uint8(1 + i % 3));
            vault.linkAddress(ids[i], linked[i]);
        }
        handler = new VaultHandler(vault, tokens, ids, linked);
        vault.grantRole(Roles.OPERATOR, address(handler));
        vault.grantRole(Roles.COMPLIANCE, address(handler));
        vault.grantRole(vault.DEFAULT_ADMIN_ROLE(), address(handler));
        targetContract(address(handler));
    }

    function invariant_accountBalancesSumToTotalBalance() public view {
        for (uint256 a; a < 2; ++a) {
            address asset = handler.assetAt(a);
            uint256 total = vault.totalBalance(asset);
            vm.assertEq(handler.sumOfBalances(asset), total, "sum of account balances != totalBalance");
            vm.assertEq(handler.ghostSum(asset), total, "totalBalance != deposits - withdrawals - exits");
        }
    }

    function invariant_vaultHoldsTotalBalancePlusDonations() public view {
        for (uint256 a; a < 2; ++a) {
            address asset = handler.assetAt(a);
            uint256 held = TestERC20(asset).balanceOf(address(vault));
            uint256 donations = handler.ghostDonations(asset);
            vm.assertTrue(donations != type(uint256).max, "a sweep took something other than the surplus");
            vm.assertGe(held, vault.totalBalance(asset), "vault holds less than its accounts' balances");
            vm.assertEq(held, vault.totalBalance(asset) + donations, "holdings != totalBalance + donations");
        }
    }

    function invariant_operationIdExecutesAtMostOnce() public view {
        vm.assertFalse(handler.opExecutedTwice(), "an operation id executed twice");
        vm.assertFalse(handler.retryNotReportedAsDone(), "a retried id did not revert OperationAlreadyExecuted");
        vm.assertFalse(handler.failedOpConsumedId(), "a failed operation consumed its id");
    }
}
