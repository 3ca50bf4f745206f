// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TestBase} from "./utils/TestBase.sol";
import {FxOracle} from "../../contracts/FxOracle.sol";
import {IFxOracle, FeedConfig, FeedState} from "../../contracts/interfaces/IFxOracle.sol";

/// @notice Fuzz tests of the oracle's median, breaker band and report expiry, each against a reference
/// computed here by a different method than the contract's.
contract FxOracleFuzzTest is TestBase {
    error Unreachable();

    uint32 internal constant EXPIRY = 1 hours;
    uint256 internal constant WAD = 1e18;

    FxOracle internal oracle;
    uint256 internal feedCount;

    function setUp() public {
        oracle = new FxOracle(address(this));
        vm.warp(1_700_000_000);
    }

    // ---------------------------------------------------------------------------------------------
    // Median
    // ---------------------------------------------------------------------------------------------

    function testFuzz_medianOfAnyReportSetMatchesRankReference(uint256[16] memory raw, uint256 n) public {
        n = bound(n, 1, 16);
        bytes32 id = _feed(n, 1, type(uint64).max, 0);
        uint256[] memory values = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            values[i] = bound(raw[i], 1, type(uint128).max);
            _report(id, i, values[i]);
        }
        vm.assertEq(oracle.feedState(id).median, _referenceMedian(values), "median != rank reference");
        vm.assertEq(oracle.feedState(id).roundId, n, "one round per report");
    }

    function testFuzz_medianWithManyTiesMatchesRankReference(uint256[16] memory raw, uint256 n) public {
        n = bound(n, 1, 16);
        bytes32 id = _feed(n, 1, type(uint64).max, 0);
        uint256[] memory values = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            // A handful of distinct values, so equal reports are the norm rather than the exception.
            values[i] = bound(raw[i], 1, 4) * 1e18;
            _report(id, i, values[i]);
        }
        vm.assertEq(oracle.feedState(id).median, _referenceMedian(values), "median != rank reference");
    }

    function testFuzz_reportingAgainReplacesTheReportersValue(
        uint256[16] memory raw,
        uint256 n,
        uint256 again,
        uint256 newValue
    ) public {
        n = bound(n, 1, 16);
        bytes32 id = _feed(n, 1, type(uint64).max, 0);
        uint256[] memory values = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            values[i] = bound(raw[i], 1, 1e30);
            _report(id, i, values[i]);
        }
        uint256 who = bound(again, 0, n - 1);
        values[who] = bound(newValue, 1, 1e30);
        _report(id, who, values[who]);
        vm.assertEq(oracle.feedState(id).median, _referenceMedian(values), "median != rank reference");
    }

    // ---------------------------------------------------------------------------------------------
    // Breaker
    // ---------------------------------------------------------------------------------------------

    function testFuzz_moveJustInsideTheBandNeverTrips(uint256 ema, uint256 threshold, bool up, bool onTheEdge)
        public
    {
        // On the edge, ema * threshold divides by WAD exactly, so the move equals the threshold to the wei.
        ema = onTheEdge ? bound(ema, 1, 1e20) * WAD : bound(ema, 1, type(uint128).max / 2);
        threshold = bound(threshold, 1, WAD);
        uint256 diff = ema * threshold / WAD; // largest move with diff / ema <= threshold
        if (!up && diff >= ema) up = true;
        bytes32 id = _feed(1, 1, uint64(threshold), 0);

        _report(id, 0, ema);
        vm.warp(block.timestamp + 1);
        _report(id, 0, up ? ema + diff : ema - diff);

        FeedState memory s = oracle.feedState(id);
        vm.assertFalse(s.halted, "in-band move tripped the breaker");
        vm.assertEq(s.trippedAt, 0, "trippedAt set without a trip");
        vm.assertTrue(oracle.isTradable(id), "in-band feed not tradable");
    }

    function testFuzz_moveJustOutsideTheBandAlwaysTrips(uint256 ema, uint256 threshold, bool up) public {
        ema = bound(ema, 1, type(uint128).max / 2);
        threshold = bound(threshold, 1, WAD);
        uint256 diff = ema * threshold / WAD + 1; // smallest move with diff / ema > threshold
        if (!up && diff >= ema) up = true;
        bytes32 id = _feed(1, 1, uint64(threshold), 0);

        _report(id, 0, ema);
        vm.warp(block.timestamp + 1);
        uint256 moved = up ? ema + diff : ema - diff;
        _report(id, 0, moved);

        FeedState memory s = oracle.feedState(id);
        vm.assertTrue(s.halted, "out-of-band move did not trip the breaker");
        vm.assertEq(s.trippedAt, block.timestamp, "trippedAt");
        vm.assertEq(s.ema, ema, "outlier folded into the ema");
        vm.assertEq(s.median, moved, "tripping median not recorded");
        vm.assertFalse(oracle.isTradable(id), "halted feed tradable");
        vm.expectRevert(abi.encodeWithSelector(IFxOracle.FeedHalted.selector, id));
        oracle.rate(id);
    }

    function testFuzz_breakerResetsItselfOnlyAfterTheCooldown(uint256 cooldown, uint256 wait) public {
        cooldown = bound(cooldown, 1, 30 minutes);
        wait = bound(wait, 1, 2 * cooldown);
        bytes32 id = _feed(1, 1, 0.1e18, uint32(cooldown));

        _report(id, 0, 1e18);
        vm.warp(block.timestamp + 1);
        _report(id, 0, 2e18); // trips
        uint256 trippedAt = block.timestamp;
        vm.warp(trippedAt + wait);
        _report(id, 0, 1.05e18); // back in band

        bool elapsed = wait >= cooldown;
        vm.assertEq(oracle.feedState(id).halted, !elapsed, "halted iff the cooldown has not elapsed");
        vm.assertEq(oracle.isTradable(id), elapsed, "tradable iff reset");
    }

    function testFuzz_emaStaysBetweenOldEmaAndInBandMedian(uint256 first, uint256 second, uint256 alpha) public {
        first = bound(first, 1, 1e30);
        second = bound(second, first, first * 3 / 2 + 1); // within the 100 % band below
        alpha = bound(alpha, 1, WAD);
        bytes32 id = _feedWithAlpha(uint64(alpha));

        _report(id, 0, first);
        vm.warp(block.timestamp + 1);
        _report(id, 0, second);

        FeedState memory s = oracle.feedState(id);
        vm.assertFalse(s.halted, "tripped");
        vm.assertGe(s.ema, first, "ema below both inputs");
        vm.assertLe(s.ema, second, "ema above both inputs");
        vm.assertEq(s.ema, (second * alpha + first * (WAD - alpha)) / WAD, "ema formula");
    }

    // ---------------------------------------------------------------------------------------------
    // Expiry
    // ---------------------------------------------------------------------------------------------

    function testFuzz_onlyUnexpiredReportsCount(
        uint256[16] memory raw,
        uint256[16] memory gaps,
        uint256 n,
        uint256 minReports
    ) public {
        n = bound(n, 1, 16);
        minReports = bound(minReports, 1, n);
        bytes32 id = _feed(n, minReports, type(uint64).max, 0);

        uint256[] memory values = new uint256[](n);
        uint256[] memory times = new uint256[](n);
        FeedState memory before;
        for (uint256 i; i < n; ++i) {
            // Gaps up to twice the expiry, so some reports expire before the last one lands and some do not.
            vm.warp(block.timestamp + bound(gaps[i], 0, 2 * uint256(EXPIRY)));
            values[i] = bound(raw[i], 1, 1e30);
            times[i] = block.timestamp;
            if (i == n - 1) before = oracle.feedState(id);
            _report(id, i, values[i]);
        }

        (uint256[] memory fresh, uint256 oldest) = _fresh(values, times);
        FeedState memory s = oracle.feedState(id);
        if (fresh.length >= minReports) {
            vm.assertEq(s.median, _referenceMedian(fresh), "median over fresh reports");
            vm.assertEq(s.validUntil, oldest + EXPIRY, "validUntil = oldest included + expiry");
            vm.assertEq(s.updatedAt, block.timestamp, "updatedAt");
            vm.assertEq(s.roundId, before.roundId + 1, "round counted");
        } else {
            vm.assertEq(s.median, before.median, "median kept when too few fresh reports");
            vm.assertEq(s.validUntil, before.validUntil, "validUntil kept");
            vm.assertEq(s.roundId, before.roundId, "no round without a median");
        }
    }

    function testFuzz_rateGoesStaleExactlyAfterValidUntil(uint256 age, uint256 value) public {
        age = bound(age, 0, 3 * uint256(EXPIRY));
        value = bound(value, 1, type(uint128).max);
        bytes32 id = _feed(1, 1, type(uint64).max, 0);
        _report(id, 0, value);
        uint40 validUntil = oracle.feedState(id).validUntil;
        vm.assertEq(validUntil, block.timestamp + EXPIRY, "validUntil");

        vm.warp(block.timestamp + age);
        if (age <= EXPIRY) {
            vm.assertEq(oracle.rate(id), value, "fresh rate");
            vm.assertTrue(oracle.isTradable(id), "fresh feed not tradable");
        } else {
            vm.assertFalse(oracle.isTradable(id), "stale feed tradable");
            vm.expectRevert(abi.encodeWithSelector(IFxOracle.RateStale.selector, id, validUntil));
            oracle.rate(id);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    function _feed(uint256 reporterCount, uint256 minReports, uint64 threshold, uint32 cooldown)
        internal
        returns (bytes32 id)
    {
        id = oracle.addFeed(
            string.concat("FEED-", _itoa(feedCount++)),
            FeedConfig({
                minReports: uint8(minReports),
                reportExpiry: EXPIRY,
                breakerThreshold: threshold,
                emaAlpha: 0.2e18,
                cooldown: cooldown
            })
        );
        for (uint256 i; i < reporterCount; ++i) {
            oracle.addReporter(id, _reporter(i));
        }
    }

    function _feedWithAlpha(uint64 alpha) internal returns (bytes32 id) {
        id = oracle.addFeed(
            "ALPHA",
            FeedConfig({minReports: 1, reportExpiry: EXPIRY, breakerThreshold: 1e18, emaAlpha: alpha, cooldown: 0})
        );
        oracle.addReporter(id, _reporter(0));
    }

    function _report(bytes32 id, uint256 reporterIndex, uint256 value) internal {
        vm.prank(_reporter(reporterIndex));
        oracle.report(id, value);
    }

    function _reporter(uint256 i) internal pure returns (address) {
        return address(uint160(0x1000 + i));
    }

    /// @dev The k-th smallest value (0-based), found by counting ranks rather than sorting.
    function _kth(uint256[] memory v, uint256 k) internal pure returns (uint256) {
        for (uint256 i; i < v.length; ++i) {
            uint256 below;
            uint256 atOrBelow;
            for (uint256 j; j < v.length; ++j) {
                if (v[j] < v[i]) ++below;
                if (v[j] <= v[i]) ++atOrBelow;
            }
            if (below <= k && k < atOrBelow) return v[i];
        }
        revert Unreachable();
    }

    function _referenceMedian(uint256[] memory v) internal pure returns (uint256) {
        uint256 n = v.length;
        if (n % 2 == 1) return _kth(v, n / 2);
        return (_kth(v, n / 2 - 1) + _kth(v, n / 2)) / 2;
    }

    function _fresh(uint256[] memory values, uint256[] memory times)
        internal
        view
        returns (uint256[] memory fresh, uint256 oldest)
    {
        uint256 count;
        for (uint256 i; i < values.length; ++i) {
            if (block.timestamp - times[i] <= EXPIRY) ++count;
        }
        fresh = new uint256[](count);
        oldest = type(uint256).max;
        uint256 k;
        for (uint256 i; i < values.length; ++i) {
            if (block.timestamp - times[i] <= EXPIRY) {
                fresh[k++] = values[i];
                if (times[i] < oldest) oldest = times[i];
            }
        }
    }

    function _itoa(uint256 x) internal pure returns (string memory) {
        if (x == 0) return "0";
        bytes memory b;
        while (x > 0) {
            b = abi.encodePacked(bytes1(uint8(48 + x % 10)), b);
            x /= 10;
        }
        return string(b);
    }
}
