// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {IFxOracle, FeedConfig, FeedState} from "./interfaces/IFxOracle.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title FxOracle
/// @notice See {IFxOracle}. Medians of per-feed reporter sets, with expiry and a moving-average breaker.
contract FxOracle is IFxOracle, AccessControl {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice Most reporters a feed may have: bounds the work (and gas) of every report.
    uint256 public constant MAX_REPORTERS = 16;

    uint256 private constant WAD = 1e18;

    struct Report {
        uint128 value;
        uint40 timestamp;
    }

    struct Feed {
        // `FeedState` packs into two slots; its first (median, validUntil, halted, trippedAt) is all
        // that `rate` needs, so a swap pays for one storage read per feed.
        FeedState state;
        // A known feed always has `reportExpiry > 0`, which is how existence is told apart.
        FeedConfig config;
        EnumerableSet.AddressSet reporters;
        mapping(address reporter => Report) reports;
        string name;
    }

    mapping(bytes32 feedId => Feed) private _feeds;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------------------------------------
    // Reporting
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IFxOracle
    function report(bytes32 feedId, uint256 value) external {
        Feed storage feed = _knownFeed(feedId);
        if (!feed.reporters.contains(msg.sender)) revert NotReporter(feedId, msg.sender);
        if (value == 0) revert ZeroRate();

        feed.reports[msg.sender] = Report(SafeCast.toUint128(value), uint40(block.timestamp));
        emit RateReported(feedId, msg.sender, value);

        _updateMedian(feedId, feed);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IFxOracle
    function rate(bytes32 feedId) external view returns (uint256) {
        return _rate(feedId);
    }

    /// @inheritdoc IFxOracle
    function rates(bytes32 feedA, bytes32 feedB) external view returns (uint256 rateA, uint256 rateB) {
        rateA = feedA == bytes32(0) ? WAD : _rate(feedA);
        rateB = feedB == bytes32(0) ? WAD : _rate(feedB);
    }

    /// @inheritdoc IFxOracle
    function isTradable(bytes32 feedId) external view returns (bool) {
        FeedState storage s = _feeds[feedId].state;
        return s.median != 0 && !s.halted && block.timestamp <= s.validUntil;
    }

    /// @inheritdoc IFxOracle
    function feedState(bytes32 feedId) external view returns (FeedState memory) {
        return _feeds[feedId].state;
    }

    /// @inheritdoc IFxOracle
    function feedConfig(bytes32 feedId) external view returns (FeedConfig memory) {
        return _feeds[feedId].config;
    }

    /// @inheritdoc IFxOracle
    function feedName(bytes32 feedId) external view returns (string memory) {
        return _feeds[feedId].name;
    }

    /// @inheritdoc IFxOracle
    function reporters(bytes32 feedId) external view returns (address[] memory) {
        return _feeds[feedId].reporters.values();
    }

    /// @inheritdoc IFxOracle
    function reportOf(bytes32 feedId, address reporter) external view returns (uint256 value, uint40 timestamp) {
        Report storage r = _feeds[feedId].reports[reporter];
        return (r.value, r.timestamp);
    }

    // ---------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IFxOracle
    function addFeed(string calldata name, FeedConfig calldata config)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (bytes32 feedId)
    {
        _checkConfig(config);
        feedId = keccak256(bytes(name));
        Feed storage feed = _feeds[feedId];
        if (feed.config.reportExpiry != 0) revert FeedExists(feedId);

        feed.config = config;
        feed.name = name;
        emit FeedAdded(feedId, name, config);
    }

    /// @inheritdoc IFxOracle
    function setFeedConfig(bytes32 feedId, FeedConfig calldata config) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Feed storage feed = _knownFeed(feedId);
        _checkConfig(config);
        feed.config = config;
        emit FeedConfigChanged(feedId, config);
    }

    /// @inheritdoc IFxOracle
    function addReporter(bytes32 feedId, address reporter) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Feed storage feed = _knownFeed(feedId);
        if (feed.reporters.length() >= MAX_REPORTERS) revert TooManyReporters(MAX_REPORTERS);
        if (!feed.reporters.add(reporter)) revert AlreadyReporter(feedId, reporter);
        emit ReporterAdded(feedId, reporter);
    }

    /// @inheritdoc IFxOracle
    function removeReporter(bytes32 feedId, address reporter) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Feed storage feed = _knownFeed(feedId);
        if (!feed.reporters.remove(reporter)) revert NotReporter(feedId, reporter);
        // A reporter added back later starts clean rather than reviving a report made under the old grant.
        delete feed.reports[reporter];
        emit ReporterRemoved(feedId, reporter);
    }

    /// @inheritdoc IFxOracle
    function resetBreaker(bytes32 feedId) external onlyRole(Roles.GUARDIAN) {
        FeedState storage s = _knownFeed(feedId).state;
        if (!s.halted) revert BreakerNotTripped(feedId);

        uint128 median = s.median;
        s.halted = false;
        // A real devaluation never comes back into band of the old average, so the guardian accepts
        // the current median as the new reference.
        s.ema = median;
        emit BreakerReset(feedId, msg.sender, median);
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    function _rate(bytes32 feedId) private view returns (uint256) {
        FeedState storage s = _feeds[feedId].state;
        uint256 median = s.median;
        uint40 validUntil = s.validUntil;
        bool halted = s.halted;

        if (median == 0) {
            // Only the failure path pays for the config read that tells "unknown" from "no median yet".
            if (_feeds[feedId].config.reportExpiry == 0) revert UnknownFeed(feedId);
            revert NoValidMedian(feedId);
        }
        if (halted) revert FeedHalted(feedId);
        if (block.timestamp > validUntil) revert RateStale(feedId, validUntil);
        return median;
    }

    /// @dev Recomputes the median over unexpired reports, then runs the breaker against the moving average.
    function _updateMedian(bytes32 feedId, Feed storage feed) private {
        FeedConfig memory config = feed.config;
        (uint256 median, uint256 oldest, uint256 count) = _medianOfFresh(feed, config.reportExpiry);
        // Too few fresh reports: the previous median stands and goes stale at its own validUntil.
        if (count < config.minReports) return;

        FeedState memory s = feed.state;
        uint40 now_ = uint40(block.timestamp);
        bool tripped;
        bool selfReset;

        if (s.roundId == 0) {
            s.ema = uint128(median);
        } else if (_outOfBand(median, s.ema, config.breakerThreshold)) {
            // The outlier stays out of the average, and each one restarts the cooldown, so a feed
            // only resets itself after a full cooldown without a jump.
            tripped = true;
            s.halted = true;
            s.trippedAt = now_;
        } else {
            // An in-band median is an ordinary market move, halted or not, so it feeds the average.
            if (s.halted && now_ >= uint256(s.trippedAt) + config.cooldown) {
                selfReset = true;
                s.halted = false;
            }
            s.ema = uint128((median * config.emaAlpha + uint256(s.ema) * (WAD - config.emaAlpha)) / WAD);
        }

        s.median = uint128(median);
        s.validUntil = uint40(oldest + config.reportExpiry);
        s.updatedAt = now_;
        s.roundId += 1;
        feed.state = s;

        emit MedianUpdated(feedId, s.roundId, median, s.ema, s.validUntil);
        if (tripped) emit BreakerTripped(feedId, median, s.ema);
        if (selfReset) emit BreakerReset(feedId, address(0), median);
    }

    /// @dev Median of the reports no older than `expiry`, the timestamp of the oldest of them, and their count.
    /// A report is fresh while `block.timestamp - timestamp <= expiry`.
    function _medianOfFresh(Feed storage feed, uint256 expiry)
        private
        view
        returns (uint256 median, uint256 oldest, uint256 count)
    {
        uint256 n = feed.reporters.length();
        uint256[] memory values = new uint256[](n);
        oldest = type(uint256).max;

        for (uint256 i; i < n; ++i) {
            Report memory r = feed.reports[feed.reporters.at(i)];
            // timestamp 0: a reporter that has not reported yet.
            if (r.timestamp == 0 || block.timestamp - r.timestamp > expiry) continue;

            // Insertion sort: n <= MAX_REPORTERS, so this beats anything cleverer on gas.
            uint256 j = count;
            while (j > 0 && values[j - 1] > r.value) {
                values[j] = values[j - 1];
                --j;
            }
            values[j] = r.value;
            ++count;
            if (r.timestamp < oldest) oldest = r.timestamp;
        }

        // count >= 1: the reporter who triggered this has a report stamped now.
        uint256 mid = count / 2;
        // Values are below 2**128, so the sum cannot overflow.
        median = count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// @dev True when |median - ema| / ema > threshold, compared without division so nothing rounds.
    function _outOfBand(uint256 median, uint256 ema, uint256 threshold) private pure returns (bool) {
        uint256 diff = median > ema ? median - ema : ema - median;
        return diff * WAD > threshold * ema;
    }

    function _knownFeed(bytes32 feedId) private view returns (Feed storage feed) {
        feed = _feeds[feedId];
        if (feed.config.reportExpiry == 0) revert UnknownFeed(feedId);
    }

    function _checkConfig(FeedConfig calldata config) private pure {
        if (
            config.minReports == 0 || config.minReports > MAX_REPORTERS || config.reportExpiry == 0
                || config.breakerThreshold == 0 || config.emaAlpha == 0 || config.emaAlpha > WAD
        ) revert InvalidFeedConfig();
    }
}
