// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {AssetParams, ILiquidityPool} from "./interfaces/ILiquidityPool.sol";
import {IRouter} from "./interfaces/IRouter.sol";

/// @title JuaPesa router
/// @notice See {IRouter}. Holds no tokens: the caller pays the first pool directly and every hop pays the
/// next pool (or the recipient) directly, so each pool's pay-first check sees the input already there.
contract Router is IRouter, AccessControl {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_POOLS = 8;

    address[] private _pools;
    mapping(address pool => bool registered) public isPool;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- swaps

    function swap(
        address[] calldata tokens,
        address[] calldata pools_,
        uint256 amountIn,
        uint256 minAmountOut,
        address to,
        uint256 deadline
    ) external returns (uint256 amountOut) {
        _checkDeadline(deadline);
        return _swap(tokens, pools_, amountIn, minAmountOut, to);
    }

    function swapBest(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        address to,
        uint256 deadline
    ) external returns (uint256 amountOut) {
        _checkDeadline(deadline);
        (, address[] memory tokens, address[] memory pools_) = bestQuote(tokenIn, tokenOut, amountIn);
        return _swap(tokens, pools_, amountIn, minAmountOut, to);
    }

    function _swap(address[] memory tokens, address[] memory pools_, uint256 amountIn, uint256 minAmountOut, address to)
        private
        returns (uint256 amountOut)
    {
        _checkPath(tokens, pools_, amountIn);
        IERC20(tokens[0]).safeTransferFrom(msg.sender, pools_[0], amountIn);
        amountOut = amountIn;
        uint256 last = pools_.length - 1;
        for (uint256 i; i < last; ++i) {
            amountOut = ILiquidityPool(pools_[i]).swap(tokens[i], tokens[i + 1], amountOut, 0, pools_[i + 1]);
        }
        amountOut = ILiquidityPool(pools_[last]).swap(tokens[last], tokens[last + 1], amountOut, 0, to);
        if (amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);
    }

    function _checkDeadline(uint256 deadline) private view {
        if (block.timestamp > deadline) revert Expired(deadline, block.timestamp);
    }

    /// @dev A pool may appear once per path: a chained quote reads each pool before any hop runs, so a
    /// second visit would be quoted on stale reserves.
    function _checkPath(address[] memory tokens, address[] memory pools_, uint256 amountIn) private view {
        uint256 n = pools_.length;
        if (n == 0 || tokens.length != n + 1) revert InvalidPath();
        if (amountIn == 0) revert ZeroAmount();
        for (uint256 i; i < n; ++i) {
            address pool = pools_[i];
            if (!isPool[pool]) revert UnknownPool(pool);
            for (uint256 k; k < i; ++k) {
                if (pools_[k] == pool) revert InvalidPath();
            }
        }
    }

    // ---------------------------------------------------------------- quotes

    function quote(address[] calldata tokens, address[] calldata pools_, uint256 amountIn)
        external
        view
        returns (uint256 amountOut)
    {
        _checkPath(tokens, pools_, amountIn);
        amountOut = amountIn;
        for (uint256 i; i < pools_.length; ++i) {
            (amountOut,) = ILiquidityPool(pools_[i]).quote(tokens[i], tokens[i + 1], amountOut);
        }
    }

    /// @dev Ties go to the path found first, and single hops are tried first.
    function bestQuote(address tokenIn, address tokenOut, uint256 amountIn)
        public
        view
        returns (uint256 amountOut, address[] memory tokens, address[] memory pools_)
    {
        if (amountIn == 0) revert ZeroAmount();
        if (tokenIn == tokenOut) revert InvalidPath();
        uint256 n = _pools.length;
        address[][] memory held = new address[][](n);
        for (uint256 p; p < n; ++p) {
            held[p] = _tokensOf(_pools[p]);
        }

        for (uint256 p; p < n; ++p) {
            if (!_contains(held[p], tokenIn) || !_contains(held[p], tokenOut)) continue;
            uint256 out = _tryQuote(_pools[p], tokenIn, tokenOut, amountIn);
            if (out > amountOut) {
                amountOut = out;
                tokens = _pair(tokenIn, tokenOut);
                pools_ = _single(_pools[p]);
            }
        }

        for (uint256 p; p < n; ++p) {
            if (!_contains(held[p], tokenIn)) continue;
            for (uint256 m; m < held[p].length; ++m) {
                address mid = held[p][m];
                if (mid == tokenIn || mid == tokenOut) continue;
                uint256 midAmount = _tryQuote(_pools[p], tokenIn, mid, amountIn);
                if (midAmount == 0) continue;
                for (uint256 q; q < n; ++q) {
                    if (q == p || !_contains(held[q], mid) || !_contains(held[q], tokenOut)) continue;
                    uint256 out = _tryQuote(_pools[q], mid, tokenOut, midAmount);
                    if (out > amountOut) {
                        amountOut = out;
                        tokens = _triple(tokenIn, mid, tokenOut);
                        pools_ = _pair(_pools[p], _pools[q]);
                    }
                }
            }
        }
        if (amountOut == 0) revert NoRoute(tokenIn, tokenOut);
    }

    /// @dev 0 when the pool would refuse the swap (limits, liquidity, halted feed ...).
    function _tryQuote(address pool, address tokenIn, address tokenOut, uint256 amountIn)
        private
        view
        returns (uint256)
    {
        try ILiquidityPool(pool).quote(tokenIn, tokenOut, amountIn) returns (uint256 out, uint256) {
            return out;
        } catch {
            return 0;
        }
    }

    function _tokensOf(address pool) private view returns (address[] memory list) {
        AssetParams[] memory assets = ILiquidityPool(pool).assets();
        list = new address[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            list[i] = assets[i].token;
        }
    }

    function _contains(address[] memory list, address item) private pure returns (bool) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == item) return true;
        }
        return false;
    }

    function _single(address a) private pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    function _pair(address a, address b) private pure returns (address[] memory list) {
        list = new address[](2);
        (list[0], list[1]) = (a, b);
    }

    function _triple(address a, address b, address c) private pure returns (address[] memory list) {
        list = new address[](3);
        (list[0], list[1], list[2]) = (a, b, c);
    }

    // ---------------------------------------------------------------- registry

    function pools() external view returns (address[] memory) {
        return _pools;
    }

    function addPool(address pool) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (pool.code.length == 0) revert UnknownPool(pool);
        if (isPool[pool]) revert PoolExists(pool);
        if (_pools.length >= MAX_POOLS) revert TooManyPools(MAX_POOLS);
        isPool[pool] = true;
        _pools.push(pool);
        emit PoolAdded(pool);
    }

    function removePool(address pool) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!isPool[pool]) revert UnknownPool(pool);
        delete isPool[pool];
        uint256 last = _pools.length - 1;
        for (uint256 i; i < last; ++i) {
            if (_pools[i] == pool) {
                _pools[i] = _pools[last];
                break;
            }
        }
        _pools.pop();
        emit PoolRemoved(pool);
    }
}
