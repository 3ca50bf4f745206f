// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Per-feed settings.
/// @param minReports Fewest unexpired reports a median needs.
/// @param reportExpiry Seconds a report counts for.
/// @param breakerThreshold Largest allowed |median - ema| / ema, as a WAD fraction (0.1e18 = 10 %).
/// @param emaAlpha Weight of the newest median in the moving average, WAD (0.2e18).
/// @param cooldown Seconds after a trip before the breaker may reset itself when the median is back in band.
struct FeedConfig {
    uint8 minReports;
    uint32 reportExpiry;
    uint64 breakerThreshold;
    uint64 emaAlpha;
    uint32 cooldown;
}

/// @notice The state of a feed, as auditors and pools see it.
struct FeedState {
    uint128 median; // WAD: units of quote per one unit of base
    uint40 validUntil; // the median is stale after this second (oldest included report + expiry)
    bool halted; // breaker tripped
    uint40 trippedAt;
    uint128 ema; // moving average of medians, the breaker's reference
    uint40 updatedAt; // when the median was last recomputed
    uint64 roundId; // number of medians computed so far
}

/// @title FX oracle with medians, expiry and circuit breakers
/// @notice A feed is a rate between two currencies (e.g. "NGN/USD": US dollars per naira), identified
/// by `keccak256(bytes(name))`. Whitelisted reporters per feed report values; each report recomputes
/// the median of unexpired reports (if at least `minReports`). A median that departs from the moving
/// average by more than `breakerThreshold` trips the breaker and halts the feed until a guardian resets
/// it, or until it comes back in band after `cooldown`.
interface IFxOracle {
    event FeedAdded(bytes32 indexed feedId, string name, FeedConfig config);
    event FeedConfigChanged(bytes32 indexed feedId, FeedConfig config);
    event ReporterAdded(bytes32 indexed feedId, address indexed reporter);
    event ReporterRemoved(bytes32 indexed feedId, address indexed reporter);
    event RateReported(bytes32 indexed feedId, address indexed reporter, uint256 value);
    event MedianUpdated(bytes32 indexed feedId, uint64 indexed roundId, uint256 median, uint256 ema, uint40 validUntil);
    event BreakerTripped(bytes32 indexed feedId, uint256 median, uint256 ema);
    /// @param by The guardian that reset it, or address(0) when it reset itself after the cooldown.
    event BreakerReset(bytes32 indexed feedId, address indexed by, uint256 median);

    error UnknownFeed(bytes32 feedId);
    error FeedExists(bytes32 feedId);
    error InvalidFeedConfig();
    error NotReporter(bytes32 feedId, address caller);
    error AlreadyReporter(bytes32 feedId, address reporter);
    error TooManyReporters(uint256 max);
    error ZeroRate();
    error NoValidMedian(bytes32 feedId);
    error RateStale(bytes32 feedId, uint40 validUntil);
    error FeedHalted(bytes32 feedId);
    error BreakerNotTripped(bytes32 feedId);

    /// @notice Reports `value` (WAD) for a feed. Only a reporter of that feed.
    function report(bytes32 feedId, uint256 value) external;

    /// @notice The current median (WAD). Reverts if the feed is unknown, has no median, is stale or halted.
    function rate(bytes32 feedId) external view returns (uint256);

    /// @notice Two rates in one call (what a pool swap needs). `bytes32(0)` reads as exactly 1e18.
    function rates(bytes32 feedA, bytes32 feedB) external view returns (uint256 rateA, uint256 rateB);

    /// @notice True when `rate(feedId)` would not revert.
    function isTradable(bytes32 feedId) external view returns (bool);

    function feedState(bytes32 feedId) external view returns (FeedState memory);
    function feedConfig(bytes32 feedId) external view returns (FeedConfig memory);
    function feedName(bytes32 feedId) external view returns (string memory);
    function reporters(bytes32 feedId) external view returns (address[] memory);
    /// @notice The latest report of each reporter of a feed.
    function reportOf(bytes32 feedId, address reporter) external view returns (uint256 value, uint40 timestamp);

    /// @dev Admin role. Returns the feed id.
    function addFeed(string calldata name, FeedConfig calldata config) external returns (bytes32 feedId);
    function setFeedConfig(bytes32 feedId, FeedConfig calldata config) external;
    /// @dev Admin role. At most MAX_REPORTERS per feed.
    function addReporter(bytes32 feedId, address reporter) external;
    function removeReporter(bytes32 feedId, address reporter) external;
    /// @notice Clears the breaker and restarts the moving average at the current median. Guardian role.
    function resetBreaker(bytes32 feedId) external;
}
