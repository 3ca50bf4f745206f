// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IFxOracle} from "./interfaces/IFxOracle.sol";
import {AssetParams, ILiquidityPool, PoolParams, TradingLimit} from "./interfaces/ILiquidityPool.sol";
import {Leg, PoolMath} from "./libraries/PoolMath.sol";
import {Roles} from "./libraries/Roles.sol";
import {HederaAssociation} from "./hedera/HederaAssociation.sol";

/// @title JuaPesa liquidity pool
/// @notice See {ILiquidityPool}. Assets, feeds and weights are immutables, so a swap reads no configuration
/// from storage beyond the two assets' slots and the fee parameters.
contract LiquidityPool is ILiquidityPool, ERC20, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 public constant MAX_ASSETS = 4;
    uint256 private constant BPS = 10_000;

    /// @dev Everything a swap writes for one asset, in one slot.
    struct AssetState {
        uint112 reserve;
        int48 netflow0;
        int48 netflow1;
        uint40 lastFlowAt;
    }

    /// @dev What a swap reads but rarely writes, in one slot. Flat: a nested TradingLimit would start a new slot.
    struct AssetConfig {
        uint112 target;
        uint48 limit0;
        uint24 timestep0;
        uint48 limit1;
        uint24 timestep1;
    }

    // Declared first so that they pack into Pausable's `_paused` slot: a swap reads the pause flag and
    // its fee parameters with a single cold SLOAD.
    uint16 private _spreadBps;
    uint64 private _imbalanceSlope;
    uint16 private _maxRebalanceBps;

    AssetState[MAX_ASSETS] private _state;
    AssetConfig[MAX_ASSETS] private _config;

    IFxOracle public immutable oracle;
    uint256 private immutable _count;
    address private immutable _token0;
    address private immutable _token1;
    address private immutable _token2;
    address private immutable _token3;
    bytes32 private immutable _feed0;
    bytes32 private immutable _feed1;
    bytes32 private immutable _feed2;
    bytes32 private immutable _feed3;
    uint256 private immutable _scale0;
    uint256 private immutable _scale1;
    uint256 private immutable _scale2;
    uint256 private immutable _scale3;
    bool private immutable _inverted0;
    bool private immutable _inverted1;
    bool private immutable _inverted2;
    bool private immutable _inverted3;
    uint16 private immutable _weight0;
    uint16 private immutable _weight1;
    uint16 private immutable _weight2;
    uint16 private immutable _weight3;

    constructor(
        string memory name_,
        string memory symbol_,
        IFxOracle oracle_,
        AssetParams[] memory assets_,
        PoolParams memory params_,
        address admin
    ) ERC20(name_, symbol_) {
        if (address(oracle_) == address(0) || admin == address(0)) revert ZeroAddress();
        uint256 n = assets_.length;
        if (n < 2 || n > MAX_ASSETS) revert InvalidParams();
        uint256[MAX_ASSETS] memory scales;
        uint256 weightSum;
        for (uint256 i; i < n; ++i) {
            AssetParams memory a = assets_[i];
            if (a.token == address(0)) revert ZeroAddress();
            for (uint256 k; k < i; ++k) {
                if (assets_[k].token == a.token) revert SameAsset();
            }
            uint8 decimals_ = IERC20Metadata(a.token).decimals();
            if (decimals_ > 18 || a.weightBps == 0) revert InvalidParams();
            scales[i] = 10 ** (18 - decimals_);
            weightSum += a.weightBps;
        }
        if (weightSum != BPS) revert InvalidParams();

        AssetParams memory none;
        AssetParams memory a2 = n > 2 ? assets_[2] : none;
        AssetParams memory a3 = n > 3 ? assets_[3] : none;
        oracle = oracle_;
        _count = n;
        (_token0, _feed0, _scale0, _inverted0, _weight0) =
            (assets_[0].token, assets_[0].feedId, scales[0], assets_[0].inverted, assets_[0].weightBps);
        (_token1, _feed1, _scale1, _inverted1, _weight1) =
            (assets_[1].token, assets_[1].feedId, scales[1], assets_[1].inverted, assets_[1].weightBps);
        (_token2, _feed2, _scale2, _inverted2, _weight2) = (a2.token, a2.feedId, scales[2], a2.inverted, a2.weightBps);
        (_token3, _feed3, _scale3, _inverted3, _weight3) = (a3.token, a3.feedId, scales[3], a3.inverted, a3.weightBps);

        _setParams(params_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- swaps

    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, address to)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 amountOut)
    {
        if (to == address(0)) revert ZeroAddress();
        uint256 i = _indexOf(tokenIn);
        uint256 j = _indexOf(tokenOut);
        uint256 fee;
        AssetState memory stateIn;
        AssetState memory stateOut;
        (amountOut, fee, stateIn, stateOut) = _swapResult(i, j, amountIn);
        // Pay-first: the input must already sit in the pool on top of the tracked reserve.
        uint256 received = IERC20(tokenIn).balanceOf(address(this));
        if (received < stateIn.reserve) revert PaymentMissing(tokenIn, stateIn.reserve, received);
        if (amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);

        _state[i] = stateIn;
        _state[j] = stateOut;
        emit Swap(msg.sender, tokenIn, tokenOut, amountIn, amountOut, fee, to);
        IERC20(tokenOut).safeTransfer(to, amountOut);
    }

    function quote(address tokenIn, address tokenOut, uint256 amountIn)
        external
        view
        nonReentrantView
        returns (uint256 amountOut, uint256 feeOut)
    {
        _requireNotPaused();
        (amountOut, feeOut,,) = _swapResult(_indexOf(tokenIn), _indexOf(tokenOut), amountIn);
    }

    /// @dev The one computation behind both `swap` and `quote`: pricing, liquidity and trading limits.
    /// Returns the two assets' states as the swap leaves them.
    function _swapResult(uint256 i, uint256 j, uint256 amountIn)
        private
        view
        returns (uint256 amountOut, uint256 fee, AssetState memory stateIn, AssetState memory stateOut)
    {
        if (amountIn == 0) revert ZeroAmount();
        if (i == j) revert SameAsset();
        stateIn = _state[i];
        stateOut = _state[j];
        AssetConfig memory configIn = _config[i];
        AssetConfig memory configOut = _config[j];
        uint112 reserveInAfter = (stateIn.reserve + amountIn).toUint112();

        Leg memory legIn = Leg(stateIn.reserve, configIn.target, _scale(i), 0);
        Leg memory legOut = Leg(stateOut.reserve, configOut.target, _scale(j), 0);
        (legIn.price, legOut.price) = _pairPrices(i, j);
        uint256 gross;
        (amountOut, fee, gross) = PoolMath.swapOut(legIn, legOut, amountIn, _spreadBps, _imbalanceSlope);
        if (amountOut == 0) revert FeeExceedsAmount(fee, gross);
        if (amountOut > stateOut.reserve) revert InsufficientLiquidity(_token(j), amountOut, stateOut.reserve);

        stateIn.reserve = reserveInAfter;
        unchecked {
            stateOut.reserve -= uint112(amountOut);
        }
        _recordFlow(stateIn, configIn, i, amountIn, true);
        _recordFlow(stateOut, configOut, j, amountOut, false);
    }

    /// @dev Adds the flow, in whole tokens, to both windows, which are epoch-aligned (window k = t / timestep)
    /// so that they can share one `lastFlowAt`.
    function _recordFlow(AssetState memory state, AssetConfig memory config, uint256 i, uint256 amount, bool inflow)
        private
        view
    {
        if (config.limit0 == 0 && config.limit1 == 0) {
            (state.netflow0, state.netflow1) = (0, 0);
        } else {
            int256 flow = int256(PoolMath.wholeTokensUp(amount, _scale(i)));
            if (!inflow) flow = -flow;
            state.netflow0 = _nextNetflow(state, config.limit0, config.timestep0, state.netflow0, flow, i);
            state.netflow1 = _nextNetflow(state, config.limit1, config.timestep1, state.netflow1, flow, i);
        }
        state.lastFlowAt = uint40(block.timestamp);
    }

    function _nextNetflow(
        AssetState memory state,
        uint48 limit,
        uint24 timestep,
        int48 netflow,
        int256 flow,
        uint256 i
    ) private view returns (int48) {
        if (limit == 0) return 0;
        if (state.lastFlowAt / timestep == block.timestamp / timestep) flow += netflow;
        int256 bound = int256(uint256(limit));
        if (flow > bound || flow < -bound) revert TradingLimitExceeded(_token(i), flow, limit);
        // |flow| <= limit <= type(int48).max, enforced by setTradingLimit.
        return int48(flow);
    }

    // ---------------------------------------------------------------- liquidity

    function deposit(address token, uint256 amount, uint256 minShares, address to)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 shares)
    {
        if (to == address(0)) revert ZeroAddress();
        uint256 i = _indexOf(token);
        uint256[MAX_ASSETS] memory prices = _allPrices();
        shares = _depositShares(i, amount, prices);
        if (shares < minShares) revert InsufficientOutput(shares, minShares);

        _state[i].reserve += uint112(amount); // fits: checked in _depositShares
        _mint(to, shares);
        _syncTargets(prices);
        emit Deposit(msg.sender, token, amount, shares, to);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    function quoteDeposit(address token, uint256 amount) external view nonReentrantView returns (uint256 shares) {
        _requireNotPaused();
        uint256 i = _indexOf(token);
        return _depositShares(i, amount, _allPrices());
    }

    function _depositShares(uint256 i, uint256 amount, uint256[MAX_ASSETS] memory prices)
        private
        view
        returns (uint256 shares)
    {
        if (amount == 0) revert ZeroAmount();
        uint256 reserve = _state[i].reserve;
        (reserve + amount).toUint112();
        uint256 fee = PoolMath.excessFee(reserve, _config[i].target, amount, _imbalanceSlope);
        if (fee >= amount) revert FeeExceedsAmount(fee, amount);
        shares = PoolMath.toValue(amount - fee, _scale(i), prices[i]);
        uint256 supply = totalSupply();
        if (supply != 0) {
            uint256 poolValue = _totalValue(prices);
            if (poolValue == 0) revert EmptyPool();
            shares = Math.mulDiv(shares, supply, poolValue);
        }
        if (shares == 0) revert ZeroAmount();
    }

    /// @dev Never reads the oracle, so LPs can leave even while a feed is halted or stale. Targets shrink
    /// in proportion, which is what a sync at the last synced prices would give.
    function withdraw(uint256 shares, uint256[] calldata minAmounts, address to)
        external
        nonReentrant
        returns (uint256[] memory amounts)
    {
        if (shares == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        uint256 n = _count;
        if (minAmounts.length != n) revert InvalidParams();
        uint256 supply = totalSupply();
        _burn(msg.sender, shares);

        amounts = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            AssetState storage state = _state[i];
            uint256 amount = Math.mulDiv(state.reserve, shares, supply);
            if (amount < minAmounts[i]) revert InsufficientOutput(amount, minAmounts[i]);
            state.reserve -= uint112(amount);
            AssetConfig storage config = _config[i];
            config.target = uint112(Math.mulDiv(config.target, supply - shares, supply));
            amounts[i] = amount;
        }
        emit Withdraw(msg.sender, shares, amounts, to);
        for (uint256 i; i < n; ++i) {
            if (amounts[i] != 0) IERC20(_token(i)).safeTransfer(to, amounts[i]);
        }
    }

    function withdrawSingle(uint256 shares, address token, uint256 minAmountOut, address to)
        external
        nonReentrant
        returns (uint256 amountOut)
    {
        if (to == address(0)) revert ZeroAddress();
        uint256 i = _indexOf(token);
        uint256[MAX_ASSETS] memory prices = _allPrices();
        uint256 fee;
        (amountOut, fee) = _withdrawSingleResult(i, shares, prices);
        if (amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);

        _burn(msg.sender, shares);
        _state[i].reserve -= uint112(amountOut);
        _syncTargets(prices);
        emit WithdrawSingle(msg.sender, shares, token, amountOut, fee, to);
        IERC20(token).safeTransfer(to, amountOut);
    }

    function quoteWithdrawSingle(uint256 shares, address token)
        external
        view
        nonReentrantView
        returns (uint256 amountOut, uint256 feeOut)
    {
        uint256 i = _indexOf(token);
        return _withdrawSingleResult(i, shares, _allPrices());
    }

    function _withdrawSingleResult(uint256 i, uint256 shares, uint256[MAX_ASSETS] memory prices)
        private
        view
        returns (uint256 amountOut, uint256 fee)
    {
        if (shares == 0) revert ZeroAmount();
        uint256 supply = totalSupply();
        if (supply == 0) revert EmptyPool();
        uint256 value = Math.mulDiv(shares, _totalValue(prices), supply);
        uint256 gross = PoolMath.fromValue(value, _scale(i), prices[i]);
        uint256 reserve = _state[i].reserve;
        (amountOut, fee) = PoolMath.payOut(
            reserve, _config[i].target, gross, PoolMath.spreadFee(gross, _spreadBps), _imbalanceSlope
        );
        if (amountOut == 0) revert FeeExceedsAmount(fee, gross);
        if (amountOut > reserve) revert InsufficientLiquidity(_token(i), amountOut, reserve);
    }

    // ---------------------------------------------------------------- rebalancing and targets

    function rebalance(address tokenIn, uint256 amountIn, address tokenOut, uint256 amountOut)
        external
        nonReentrant
        whenNotPaused
        onlyRole(Roles.KEEPER)
    {
        if (amountIn == 0 || amountOut == 0) revert ZeroAmount();
        uint256 i = _indexOf(tokenIn);
        uint256 j = _indexOf(tokenOut);
        if (i == j) revert SameAsset();
        uint256[MAX_ASSETS] memory prices = _allPrices();
        (uint256 reserveIn, uint256 reserveOut) = _checkRebalance(i, j, amountIn, amountOut, prices);

        // Both fit in uint112: the new reserve in is at most its target, the new reserve out below the old.
        _state[i].reserve = uint112(reserveIn + amountIn);
        _state[j].reserve = uint112(reserveOut - amountOut);
        _syncTargets(prices);
        emit Rebalance(msg.sender, tokenIn, amountIn, tokenOut, amountOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenOut).safeTransfer(msg.sender, amountOut);
    }

    /// @dev Checks a rebalance against targets synced to current prices, as if syncTargets() had run first.
    function _checkRebalance(
        uint256 i,
        uint256 j,
        uint256 amountIn,
        uint256 amountOut,
        uint256[MAX_ASSETS] memory prices
    ) private view returns (uint256 reserveIn, uint256 reserveOut) {
        uint256 poolValue = _totalValue(prices);
        if (poolValue == 0) revert EmptyPool();
        reserveIn = _state[i].reserve;
        reserveOut = _state[j].reserve;
        if (reserveIn + amountIn > _targetOf(i, poolValue, prices[i])) revert RebalanceWorsensImbalance(_token(i));
        if (amountOut > reserveOut || reserveOut - amountOut < _targetOf(j, poolValue, prices[j])) {
            revert RebalanceWorsensImbalance(_token(j));
        }
        uint256 valueIn = PoolMath.toValue(amountIn, _scale(i), prices[i]);
        uint256 valueOut = PoolMath.toValueUp(amountOut, _scale(j), prices[j]);
        if (valueOut > valueIn) revert RebalanceLosesValue(valueIn, valueOut);
        uint256 maxValue = poolValue * _maxRebalanceBps / BPS;
        if (valueIn > maxValue) revert RebalanceTooLarge(valueIn, maxValue);
    }

    function syncTargets() external nonReentrant {
        _syncTargets(_allPrices());
    }

    function _syncTargets(uint256[MAX_ASSETS] memory prices) private {
        uint256 n = _count;
        uint256 poolValue = _totalValue(prices);
        uint256[] memory newTargets = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 target = _targetOf(i, poolValue, prices[i]);
            _config[i].target = target.toUint112();
            newTargets[i] = target;
        }
        emit TargetsSynced(poolValue, newTargets);
    }

    function _targetOf(uint256 i, uint256 poolValue, uint256 price) private view returns (uint256) {
        return PoolMath.fromValue(poolValue * _weight(i) / BPS, _scale(i), price);
    }

    // ---------------------------------------------------------------- admin

    function setParams(PoolParams calldata newParams) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParams(newParams);
    }

    function _setParams(PoolParams memory newParams) private {
        if (newParams.spreadBps >= BPS || newParams.maxRebalanceBps > BPS) revert InvalidParams();
        (_spreadBps, _imbalanceSlope, _maxRebalanceBps) =
            (newParams.spreadBps, newParams.imbalanceSlope, newParams.maxRebalanceBps);
        emit PoolParamsChanged(newParams);
    }

    /// @dev Net flows already recorded carry over; a window whose limit is set to 0 stops counting.
    function setTradingLimit(address token, TradingLimit calldata limit) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 i = _indexOf(token);
        if (!_validWindow(limit.limit0, limit.timestep0) || !_validWindow(limit.limit1, limit.timestep1)) {
            revert InvalidParams();
        }
        AssetConfig storage config = _config[i];
        (config.limit0, config.timestep0, config.limit1, config.timestep1) =
            (limit.limit0, limit.timestep0, limit.limit1, limit.timestep1);
        emit TradingLimitChanged(token, limit);
    }

    function _validWindow(uint48 limit, uint24 timestep) private pure returns (bool) {
        return limit == 0 || (timestep != 0 && limit <= uint48(type(int48).max));
    }

    /// @inheritdoc ILiquidityPool
    function associateHederaToken(address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        HederaAssociation.associate(token);
        emit HederaTokenAssociated(token);
    }

    /// @notice Stops swaps, deposits and rebalances; withdrawals stay open. Pauser role.
    function pause() external onlyRole(Roles.PAUSER) {
        _pause();
    }

    function unpause() external onlyRole(Roles.PAUSER) {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    function assets() external view returns (AssetParams[] memory list) {
        uint256 n = _count;
        list = new AssetParams[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = AssetParams(_token(i), _feed(i), _inverted(i), _weight(i));
        }
    }

    function reserves() external view returns (uint256[] memory list) {
        uint256 n = _count;
        list = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = _state[i].reserve;
        }
    }

    function targets() external view returns (uint256[] memory list) {
        uint256 n = _count;
        list = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = _config[i].target;
        }
    }

    function totalValue() external view returns (uint256) {
        return _totalValue(_allPrices());
    }

    function priceOf(address token) external view returns (uint256) {
        uint256 i = _indexOf(token);
        bytes32 feed = _feed(i);
        return PoolMath.price(feed == bytes32(0) ? PoolMath.WAD : oracle.rate(feed), _inverted(i));
    }

    function params() external view returns (PoolParams memory) {
        return PoolParams(_spreadBps, _imbalanceSlope, _maxRebalanceBps);
    }

    function tradingLimit(address token) external view returns (TradingLimit memory) {
        AssetConfig memory config = _config[_indexOf(token)];
        return TradingLimit(config.limit0, config.timestep0, config.limit1, config.timestep1);
    }

    function netflows(address token) external view returns (int256 netflow0, int256 netflow1) {
        uint256 i = _indexOf(token);
        AssetState memory state = _state[i];
        AssetConfig memory config = _config[i];
        if (config.limit0 != 0 && state.lastFlowAt / config.timestep0 == block.timestamp / config.timestep0) {
            netflow0 = state.netflow0;
        }
        if (config.limit1 != 0 && state.lastFlowAt / config.timestep1 == block.timestamp / config.timestep1) {
            netflow1 = state.netflow1;
        }
    }

    // ---------------------------------------------------------------- internals

    function _totalValue(uint256[MAX_ASSETS] memory prices) private view returns (uint256 value) {
        uint256 n = _count;
        for (uint256 i; i < n; ++i) {
            value += PoolMath.toValue(_state[i].reserve, _scale(i), prices[i]);
        }
    }

    /// @dev One oracle call for both legs of a swap; pegged pairs skip the oracle.
    function _pairPrices(uint256 i, uint256 j) private view returns (uint256 priceI, uint256 priceJ) {
        bytes32 feedI = _feed(i);
        bytes32 feedJ = _feed(j);
        (uint256 rateI, uint256 rateJ) =
            (feedI | feedJ) == bytes32(0) ? (PoolMath.WAD, PoolMath.WAD) : oracle.rates(feedI, feedJ);
        return (PoolMath.price(rateI, _inverted(i)), PoolMath.price(rateJ, _inverted(j)));
    }

    function _allPrices() private view returns (uint256[MAX_ASSETS] memory prices) {
        (prices[0], prices[1]) = _pairPrices(0, 1);
        if (_count > 2) (prices[2], prices[3]) = _pairPrices(2, 3);
    }

    function _indexOf(address token) private view returns (uint256) {
        if (token == _token0) return 0;
        if (token == _token1) return 1;
        // Unused slots hold address(0), which must not match.
        if (token != address(0)) {
            if (token == _token2) return 2;
            if (token == _token3) return 3;
        }
        revert UnknownAsset(token);
    }

    function _token(uint256 i) private view returns (address) {
        return i == 0 ? _token0 : i == 1 ? _token1 : i == 2 ? _token2 : _token3;
    }

    function _feed(uint256 i) private view returns (bytes32) {
        return i == 0 ? _feed0 : i == 1 ? _feed1 : i == 2 ? _feed2 : _feed3;
    }

    function _scale(uint256 i) private view returns (uint256) {
        return i == 0 ? _scale0 : i == 1 ? _scale1 : i == 2 ? _scale2 : _scale3;
    }

    function _inverted(uint256 i) private view returns (bool) {
        return i == 0 ? _inverted0 : i == 1 ? _inverted1 : i == 2 ? _inverted2 : _inverted3;
    }

    function _weight(uint256 i) private view returns (uint16) {
        return i == 0 ? _weight0 : i == 1 ? _weight1 : i == 2 ? _weight2 : _weight3;
    }
}
