// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CustodialVault} from "../../contracts/CustodialVault.sol";
import {TierLimits} from "../../contracts/interfaces/ICustodialVault.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {TestERC20} from "../../contracts/test/TestERC20.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Fuzz tests of the vault's limits: an operation succeeds exactly when it is within the
/// sender's single and daily limits and balance and the receiver's balance limit. Expectations are
/// computed here from the rules, not read back from the vault.
contract CustodialVaultLimitsTest is TestBase {
    uint256 internal constant DAY = 1 days;
    uint256 internal constant RANGE = 1000; // limits, balances and amounts are small so every outcome is common

    bytes32 internal constant FROM = keccak256("phone:from");
    bytes32 internal constant TO = keccak256("phone:to");
    bytes32 internal constant SINK = keccak256("phone:sink");
    address internal constant LINKED = address(0x11_1CED);

    CustodialVault internal vault;
    TestERC20 internal usd;
    uint256 internal opId;

    function setUp() public {
        vm.warp(1_700_000_000);
        usd = new TestERC20("Test Dollar", "USD", 6);
        vault = new CustodialVault(address(this), address(0xDEAD));
        vault.grantRole(Roles.OPERATOR, address(this));
        vault.grantRole(Roles.COMPLIANCE, address(this));
        vault.addAsset(address(usd));
        _setAllTiers(TierLimits(type(uint80).max, type(uint80).max, type(uint80).max));
        vault.openAccount(FROM, 3);
        vault.openAccount(TO, 3);
        vault.openAccount(SINK, 3);
        usd.mint(address(this), 1e30);
        usd.approve(address(vault), type(uint256).max);
    }

    struct Case {
        uint8 fromTier;
        uint8 toTier;
        uint256 fromBalance;
        uint256 toBalance;
        uint256 priorOutflow; // sent by FROM at the start of its current window
        uint256 elapsed; // since that window started
        uint256 amount;
    }

    /// @notice A transfer succeeds iff amount > 0, amount <= the sender's maxSingle and balance, the
    /// window's outflow + amount <= maxDailyOutflow, and the receiver ends at or below its maxBalance.
    /// @dev The amount sits at one rule's boundary (or anywhere); half the time the other rules are
    /// loosened so that boundary alone decides.
    function testFuzz_transferSucceedsIffWithinLimits(
        uint256 limitSeed,
        uint256 tierSeed,
        uint256 fromBalance,
        uint256 toBalance,
        uint256 priorOutflow,
        uint256 elapsedSeed,
        uint256 amountSeed
    ) public {
        Case memory c;
        c.fromTier = uint8(bound(tierSeed, 1, 3));
        c.toTier = uint8(bound(tierSeed >> 8, 1, 3));
        c.fromBalance = bound(fromBalance, 0, RANGE);
        c.toBalance = bound(toBalance, 0, RANGE);
        c.priorOutflow = bound(priorOutflow, 0, RANGE);
        c.elapsed = _pickElapsed(elapsedSeed);
        TierLimits[4] memory limits = _randomLimits(limitSeed);
        // Aliases when the tiers are equal, as on-chain.
        TierLimits memory lf = limits[c.fromTier];
        TierLimits memory lt = limits[c.toTier];
        uint256 counted = c.priorOutflow > 0 && c.elapsed < DAY ? c.priorOutflow : 0;

        uint256 rule = amountSeed % 5;
        c.amount = _nearEdge(
            amountSeed >> 8,
            rule,
            [uint256(lf.maxSingle), c.fromBalance, _gap(lf.maxDailyOutflow, counted), _gap(lt.maxBalance, c.toBalance)]
        );
        if ((amountSeed >> 16) % 2 == 0) _loosenAllBut(rule, c, lf, lt, counted);
        _arrange(c);
        for (uint8 tier = 1; tier <= 3; ++tier) {
            vault.setTierLimits(tier, address(usd), limits[tier]);
        }

        bool expected = c.amount > 0 && c.amount <= lf.maxSingle && c.amount <= c.fromBalance
            && counted + c.amount <= lf.maxDailyOutflow && c.toBalance + c.amount <= lt.maxBalance;
        uint256 id = ++opId;
        bool succeeded;
        try vault.transfer(id, FROM, TO, address(usd), c.amount) {
            succeeded = true;
        } catch {}

        vm.assertEq(succeeded, expected, "transfer outcome differs from the limit rules");
        uint256 moved = succeeded ? c.amount : 0;
        vm.assertEq(vault.balanceOf(FROM, address(usd)), c.fromBalance - moved, "sender balance");
        vm.assertEq(vault.balanceOf(TO, address(usd)), c.toBalance + moved, "receiver balance");
        vm.assertEq(vault.outflowInWindow(FROM, address(usd)), counted + moved, "outflow");
        vm.assertEq(vault.isOperationExecuted(id), succeeded, "operation id consumed iff executed");
    }

    /// @notice Over a random sequence of transfers, withdrawals and exits at random times, every
    /// outflow is counted against one window per account and asset that restarts 24 h after it began.
    function testFuzz_outflowWindowFollowsTheRules(uint256 seed) public {
        TierLimits memory lim = TierLimits(100, 250, type(uint80).max);
        _setAllTiers(lim);
        vault.deposit(FROM, address(usd), 10_000);
        vault.linkAddress(FROM, LINKED);

        uint256 windowStart;
        uint256 outflow;
        for (uint256 step; step < 12; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            vm.warp(block.timestamp + _pickGap(r));
            uint256 amount = bound(r >> 64, 0, 130);

            uint256 nextStart = windowStart;
            uint256 nextOutflow = outflow;
            if (block.timestamp >= windowStart + DAY) (nextStart, nextOutflow) = (block.timestamp, 0);
            nextOutflow += amount;
            bool expected = amount > 0 && amount <= lim.maxSingle && nextOutflow <= lim.maxDailyOutflow;

            bool succeeded = _sendOut(r >> 128, amount);
            vm.assertEq(succeeded, expected, "outflow outcome differs from the window rules");
            if (succeeded) (windowStart, outflow) = (nextStart, nextOutflow);
            uint256 inWindow = block.timestamp >= windowStart + DAY ? 0 : outflow;
            vm.assertEq(vault.outflowInWindow(FROM, address(usd)), inWindow, "outflowInWindow");
        }
    }

    /// @notice A deposit succeeds iff the account is open and not frozen, the amount is not zero and the
    /// balance after it is within the tier's maxBalance; it never counts as outflow.
    function testFuzz_depositSucceedsIffWithinBalanceLimit(
        uint256 tierSeed,
        uint256 maxBalance,
        uint256 existing,
        uint256 amountSeed,
        bool frozen
    ) public {
        existing = bound(existing, 0, RANGE);
        if (existing > 0) vault.deposit(TO, address(usd), existing);
        uint8 tier = uint8(bound(tierSeed, 1, 3));
        TierLimits memory lim = TierLimits(type(uint80).max, type(uint80).max, uint80(bound(maxBalance, 0, RANGE)));
        vault.setTierLimits(tier, address(usd), lim);
        vault.setTier(TO, tier);
        if (frozen) vault.freeze(TO);
        uint256 amount = _nearEdge(amountSeed >> 8, amountSeed % 5, [_gap(lim.maxBalance, existing), 0, 1, RANGE]);

        bool expected = !frozen && amount > 0 && existing + amount <= lim.maxBalance;
        uint256 held = usd.balanceOf(address(vault));
        bool succeeded;
        try vault.deposit(TO, address(usd), amount) {
            succeeded = true;
        } catch {}

        vm.assertEq(succeeded, expected, "deposit outcome differs from the limit rules");
        uint256 added = succeeded ? amount : 0;
        vm.assertEq(vault.balanceOf(TO, address(usd)), existing + added, "balance");
        vm.assertEq(vault.totalBalance(address(usd)), existing + added, "totalBalance");
        vm.assertEq(usd.balanceOf(address(vault)), held + added, "tokens held");
        vm.assertEq(vault.outflowInWindow(TO, address(usd)), 0, "a deposit is not outflow");
    }

    /// @notice A frozen account can neither send nor receive, whatever its limits.
    function testFuzz_frozenAccountNeitherSendsNorReceives(uint256 amount, bool freezeSender) public {
        amount = bound(amount, 1, RANGE);
        vault.deposit(FROM, address(usd), RANGE);
        vault.deposit(TO, address(usd), RANGE);
        vault.freeze(freezeSender ? FROM : TO);
        try vault.transfer(++opId, FROM, TO, address(usd), amount) {
            vm.assertTrue(false, "a frozen account took part in a transfer");
        } catch {}
        try vault.transfer(++opId, TO, FROM, address(usd), amount) {
            vm.assertTrue(false, "a frozen account took part in a transfer");
        } catch {}
        vm.assertEq(vault.balanceOf(FROM, address(usd)), RANGE, "sender balance");
        vm.assertEq(vault.balanceOf(TO, address(usd)), RANGE, "receiver balance");
    }

    // ---------------------------------------------------------------- helpers

    /// @dev Builds the state a case describes under the unlimited limits of setUp, then sets the tiers.
    function _arrange(Case memory c) internal {
        if (c.fromBalance + c.priorOutflow > 0) vault.deposit(FROM, address(usd), c.fromBalance + c.priorOutflow);
        if (c.toBalance > 0) vault.deposit(TO, address(usd), c.toBalance);
        if (c.priorOutflow > 0) vault.transfer(++opId, FROM, SINK, address(usd), c.priorOutflow);
        vm.warp(block.timestamp + c.elapsed);
        vault.setTier(FROM, c.fromTier);
        vault.setTier(TO, c.toTier);
    }

    /// @dev Raises every limit except rule `rule`'s so that `c.amount` passes them.
    function _loosenAllBut(uint256 rule, Case memory c, TierLimits memory lf, TierLimits memory lt, uint256 counted)
        internal
        pure
    {
        if (rule != 0 && lf.maxSingle < c.amount) lf.maxSingle = uint80(c.amount);
        if (rule != 1 && c.fromBalance < c.amount) c.fromBalance = c.amount;
        if (rule != 2 && lf.maxDailyOutflow < counted + c.amount) lf.maxDailyOutflow = uint80(counted + c.amount);
        if (rule != 3 && lt.maxBalance < c.toBalance + c.amount) lt.maxBalance = uint80(c.toBalance + c.amount);
    }

    function _randomLimits(uint256 seed) internal pure returns (TierLimits[4] memory limits) {
        for (uint8 tier = 1; tier <= 3; ++tier) {
            uint256 r = uint256(keccak256(abi.encode(seed, tier)));
            limits[tier] = TierLimits(
                uint80(bound(r, 0, RANGE)), uint80(bound(r >> 80, 0, RANGE)), uint80(bound(r >> 160, 0, RANGE))
            );
        }
    }

    function _setAllTiers(TierLimits memory lim) internal {
        for (uint8 tier = 1; tier <= 3; ++tier) {
            vault.setTierLimits(tier, address(usd), lim);
        }
    }

    function _sendOut(uint256 kindSeed, uint256 amount) internal returns (bool) {
        uint256 kind = kindSeed % 3;
        if (kind == 0) {
            try vault.transfer(++opId, FROM, SINK, address(usd), amount) {
                return true;
            } catch {
                return false;
            }
        }
        if (kind == 1) {
            try vault.withdraw(++opId, FROM, address(usd), amount) {
                return true;
            } catch {
                return false;
            }
        }
        vm.prank(LINKED);
        try vault.exit(FROM, address(usd), amount) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev Near `edges[which]` (one below, exactly, one above), or anywhere in range when `which` is 4.
    function _nearEdge(uint256 seed, uint256 which, uint256[4] memory edges) internal pure returns (uint256) {
        if (which == 4) return bound(seed, 0, 2 * RANGE);
        uint256 edge = edges[which];
        uint256 offset = seed % 3;
        if (offset == 0) return edge == 0 ? 0 : edge - 1;
        return offset == 1 ? edge : edge + 1;
    }

    /// @dev Around the window's end half of the time, anywhere within three days otherwise.
    function _pickElapsed(uint256 seed) internal pure returns (uint256) {
        uint256 which = seed % 6;
        if (which < 3) return DAY - 1 + which;
        return bound(seed >> 8, 0, 3 * DAY);
    }

    function _pickGap(uint256 seed) internal pure returns (uint256) {
        return seed % 4 == 0 ? DAY : bound(seed >> 8, 0, 20 hours);
    }

    function _gap(uint256 limit, uint256 used) internal pure returns (uint256) {
        return limit > used ? limit - used : 0;
    }
}
