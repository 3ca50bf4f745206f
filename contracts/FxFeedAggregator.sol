// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {IFxOracle, FeedState} from "./interfaces/IFxOracle.sol";

/// @title FxFeedAggregator
/// @notice A Chainlink `AggregatorV3Interface` view of one FxOracle feed, so existing tooling can read it.
/// Answers are WAD (18 decimals). A halted feed reverts `FeedHalted`; a stale answer is returned as-is,
/// as Chainlink consumers judge freshness from `updatedAt` themselves.
/// @dev The oracle keeps no history: only the latest round can be read, and `getRoundData` reverts
/// `RoundNotStored` for any other round id.
contract FxFeedAggregator is AggregatorV3Interface {
    /// @notice The requested round is not the latest one; the oracle stores no earlier rounds.
    error RoundNotStored(uint80 roundId, uint80 latestRoundId);

    IFxOracle public immutable oracle;
    bytes32 public immutable feedId;

    constructor(IFxOracle oracle_, bytes32 feedId_) {
        if (oracle_.feedConfig(feedId_).reportExpiry == 0) revert IFxOracle.UnknownFeed(feedId_);
        oracle = oracle_;
        feedId = feedId_;
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    /// @notice The feed's name in the oracle, e.g. "NGN/USD".
    function description() external view returns (string memory) {
        return oracle.feedName(feedId);
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    /// @notice Only the latest round is answered (see the contract notice).
    function getRoundData(uint80 roundId_)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        FeedState memory s = oracle.feedState(feedId);
        if (roundId_ != s.roundId) revert RoundNotStored(roundId_, s.roundId);
        return _answer(s);
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return _answer(oracle.feedState(feedId));
    }

    function _answer(FeedState memory s)
        private
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        if (s.roundId == 0) revert IFxOracle.NoValidMedian(feedId);
        if (s.halted) revert IFxOracle.FeedHalted(feedId);
        // The median is a uint128, so the int256 conversion is exact.
        return (s.roundId, int256(uint256(s.median)), s.updatedAt, s.updatedAt, s.roundId);
    }
}
