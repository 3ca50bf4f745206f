// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice One asset of a pool, fixed at construction.
/// @param token The ERC-20 (or HTS facade) held by the pool.
/// @param feedId Oracle feed giving the asset's price in the pool's numeraire (USD); bytes32(0) = pegged 1:1.
/// @param inverted True when the feed quotes numeraire per asset the other way round (e.g. NGN per USD).
/// @param weightBps Target share of pool value, in basis points; all weights sum to 10 000.
struct AssetParams {
    address token;
    bytes32 feedId;
    bool inverted;
    uint16 weightBps;
}

/// @notice Fee and rebalance settings.
/// @param spreadBps Charged on every swap and single-asset withdrawal.
/// @param imbalanceSlope WAD. Marginal fee at a shortfall (or excess) of s relative to target t is
/// slope * s / t; the fee for moving from s0 to s1 is the integral, slope * (s1^2 - s0^2) / (2t),
/// so splitting a trade never pays less. Moves that shrink an imbalance pay no imbalance fee.
/// @param maxRebalanceBps Largest rebalance per call, as a share of pool value.
struct PoolParams {
    uint16 spreadBps;
    uint64 imbalanceSlope;
    uint16 maxRebalanceBps;
}

/// @notice Net-flow limits on one asset over two fixed windows (Mento style), in whole tokens.
/// A limit of 0 disables that window.
struct TradingLimit {
    uint48 limit0;
    uint24 timestep0;
    uint48 limit1;
    uint24 timestep1;
}

/// @title Oracle-priced multi-asset liquidity pool
/// @notice Swaps at the oracle rate less a spread and an imbalance fee; LPs hold pool shares (this
/// ERC-20) valued at oracle prices; fees stay in the pool and so accrue to LPs. `swap` is pay-first:
/// the caller (normally the Router) transfers `amountIn` to the pool, then calls `swap` in the same
/// transaction. Reserves are tracked, so donations never move the share price.
interface ILiquidityPool {
    event Swap(
        address indexed sender,
        address indexed tokenIn,
        address indexed tokenOut,
        uint256 amountIn,
        uint256 amountOut,
        uint256 feeOut,
        address to
    );
    event Deposit(
        address indexed sender, address indexed token, uint256 amount, uint256 shares, address indexed to
    );
    event Withdraw(address indexed sender, uint256 shares, uint256[] amounts, address indexed to);
    event WithdrawSingle(
        address indexed sender,
        uint256 shares,
        address indexed token,
        uint256 amountOut,
        uint256 feeOut,
        address indexed to
    );
    event Rebalance(
        address indexed keeper, address indexed tokenIn, uint256 amountIn, address indexed tokenOut, uint256 amountOut
    );
    event TargetsSynced(uint256 totalValue, uint256[] targets);
    event PoolParamsChanged(PoolParams params);
    event TradingLimitChanged(address indexed token, TradingLimit limit);
    event HederaTokenAssociated(address indexed token);

    error UnknownAsset(address token);
    error SameAsset();
    error ZeroAmount();
    error ZeroAddress();
    error InvalidParams();
    error PaymentMissing(address token, uint256 expected, uint256 received);
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    error InsufficientLiquidity(address token, uint256 requested, uint256 available);
    error FeeExceedsAmount(uint256 fee, uint256 amount);
    error TradingLimitExceeded(address token, int256 netflow, uint256 limit);
    error RebalanceWorsensImbalance(address token);
    error RebalanceTooLarge(uint256 value, uint256 maxValue);
    error RebalanceLosesValue(uint256 valueIn, uint256 valueOut);
    error EmptyPool();

    /// @notice Swaps `amountIn` of `tokenIn`, already transferred to the pool, for `tokenOut` sent to `to`.
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, address to)
        external
        returns (uint256 amountOut);

    /// @notice Exactly what `swap` would pay in this block, and the fee kept; reverts where `swap` would.
    function quote(address tokenIn, address tokenOut, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, uint256 feeOut);

    /// @notice Deposits one asset (pulled with transferFrom) for shares minted to `to`.
    function deposit(address token, uint256 amount, uint256 minShares, address to) external returns (uint256 shares);
    function quoteDeposit(address token, uint256 amount) external view returns (uint256 shares);

    /// @notice Burns shares for a pro-rata part of every reserve; no fee.
    function withdraw(uint256 shares, uint256[] calldata minAmounts, address to)
        external
        returns (uint256[] memory amounts);

    /// @notice Burns shares for one asset; pays the spread and any imbalance fee, like a swap.
    function withdrawSingle(uint256 shares, address token, uint256 minAmountOut, address to)
        external
        returns (uint256 amountOut);
    function quoteWithdrawSingle(uint256 shares, address token)
        external
        view
        returns (uint256 amountOut, uint256 feeOut);

    /// @notice Keeper role: brings `amountIn` of an asset below target and takes `amountOut` of one
    /// above target, at no more than oracle value, without overshooting either target and within
    /// `maxRebalanceBps` of pool value.
    function rebalance(address tokenIn, uint256 amountIn, address tokenOut, uint256 amountOut) external;

    /// @notice Recomputes target amounts from weights, reserves and current prices. Anyone may call.
    function syncTargets() external;

    function assets() external view returns (AssetParams[] memory);
    function reserves() external view returns (uint256[] memory);
    function targets() external view returns (uint256[] memory);
    /// @notice Pool value in the numeraire, WAD.
    function totalValue() external view returns (uint256);
    /// @notice Price of one whole token in the numeraire, WAD.
    function priceOf(address token) external view returns (uint256);
    function params() external view returns (PoolParams memory);
    function tradingLimit(address token) external view returns (TradingLimit memory);
    /// @notice Current net flow of `token` into the pool in whole tokens, for each window.
    function netflows(address token) external view returns (int256 netflow0, int256 netflow1);

    function setParams(PoolParams calldata newParams) external;
    function setTradingLimit(address token, TradingLimit calldata limit) external;

    /// @notice Associates the pool with HTS token `token`, which a Hedera account must do before it can
    /// receive the token; do it for each HTS asset before the first deposit. Already associated is fine.
    /// Admin role. Reverts `HtsCallFailed` with the network's response code otherwise.
    function associateHederaToken(address token) external;
}
