// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Router over JuaPesa pools
/// @notice A path is `tokens` (length n + 1) and `pools` (length n): hop i swaps tokens[i] for
/// tokens[i + 1] in pools[i]. Every pool on a path must be registered.
interface IRouter {
    event PoolAdded(address indexed pool);
    event PoolRemoved(address indexed pool);

    error Expired(uint256 deadline, uint256 nowTs);
    error InvalidPath();
    error UnknownPool(address pool);
    error PoolExists(address pool);
    error TooManyPools(uint256 max);
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    error NoRoute(address tokenIn, address tokenOut);
    error ZeroAmount();

    function quote(address[] calldata tokens, address[] calldata pools, uint256 amountIn)
        external
        view
        returns (uint256 amountOut);

    /// @notice The best single- or two-hop path among registered pools, by output.
    function bestQuote(address tokenIn, address tokenOut, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, address[] memory tokens, address[] memory pools);

    /// @notice Pulls `amountIn` of tokens[0] from the caller and swaps along the path; output to `to`.
    function swap(
        address[] calldata tokens,
        address[] calldata pools,
        uint256 amountIn,
        uint256 minAmountOut,
        address to,
        uint256 deadline
    ) external returns (uint256 amountOut);

    /// @notice `bestQuote` then `swap` along that path.
    function swapBest(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        address to,
        uint256 deadline
    ) external returns (uint256 amountOut);

    function pools() external view returns (address[] memory);
    function isPool(address pool) external view returns (bool);
    function addPool(address pool) external;
    function removePool(address pool) external;
}
