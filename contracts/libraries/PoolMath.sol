// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice One side of a swap as the pricing sees it: token units, oracle price of a whole token (WAD).
/// @param scale 10 ** (18 - decimals): turns token units into 18-decimal units.
struct Leg {
    uint256 reserve;
    uint256 target;
    uint256 scale;
    uint256 price;
}

/// @title Pricing of an oracle-priced pool: values, spread and imbalance fees
/// @notice Every result rounds against the trader (outputs down, fees up), so no sequence of trades can
/// take value out of the pool at the oracle rate.
/// @dev Reserves and targets fit in uint112 (also after the trade) and slopes in uint64, as the pool stores
/// them; the unchecked blocks rely on those bounds.
library PoolMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;

    /// @dev Fixed-point unit of the shortfall solver: 120 bits of fraction keep its error below one token unit.
    uint256 private constant ONE = 1 << 120;
    /// @dev Draining an asset's reserve costs at most (1 + slope / 2) * target < 10.3 * target (slope < 18.5
    /// WAD), so a payment budget above 21 * target can never be met; the bound also keeps the solver in range.
    uint256 private constant MAX_REST_PER_TARGET = 21;

    /// @notice Price of one whole asset in the numeraire (WAD) from an oracle rate.
    /// @dev Rounded up so that no price is ever zero; every leg of a trade uses the same price, so the
    /// direction does not favour either side.
    function price(uint256 rate, bool inverted) internal pure returns (uint256) {
        return inverted ? Math.ceilDiv(1e36, rate) : rate;
    }

    /// @notice Value of `amount` token units in the numeraire (WAD), rounded down.
    function toValue(uint256 amount, uint256 scale, uint256 price_) internal pure returns (uint256) {
        return Math.mulDiv(amount * scale, price_, WAD);
    }

    /// @notice Value of `amount` token units in the numeraire (WAD), rounded up.
    function toValueUp(uint256 amount, uint256 scale, uint256 price_) internal pure returns (uint256) {
        return mulDivUp(amount * scale, price_, WAD);
    }

    /// @notice Token units worth `value` (WAD) in the numeraire, rounded down.
    function fromValue(uint256 value, uint256 scale, uint256 price_) internal pure returns (uint256) {
        return Math.mulDiv(value, WAD, price_ * scale);
    }

    /// @notice `amount` of the `from` asset in units of the `to` asset at oracle prices, rounded down.
    function convert(uint256 amount, Leg memory from, Leg memory to) internal pure returns (uint256) {
        return Math.mulDiv(amount * from.scale, from.price, to.price * to.scale);
    }

    /// @notice `amount` of the `from` asset in units of the `to` asset at oracle prices, rounded up.
    function convertUp(uint256 amount, Leg memory from, Leg memory to) internal pure returns (uint256) {
        return mulDivUp(amount * from.scale, from.price, to.price * to.scale);
    }

    /// @notice The spread on `amount`, rounded up.
    function spreadFee(uint256 amount, uint256 spreadBps) internal pure returns (uint256) {
        return Math.ceilDiv(amount * spreadBps, BPS);
    }

    /// @notice Imbalance fee, in the asset's own units, for adding `amountIn` to `reserve`: the integral of
    /// the marginal fee slope * e / target over the excess e above target, slope * (e1^2 - e0^2) / (2 target).
    /// @dev Path-independent because the whole `amountIn` enters the reserve; rounded up.
    function excessFee(uint256 reserve, uint256 target, uint256 amountIn, uint256 slope)
        internal
        pure
        returns (uint256)
    {
        uint256 reserveAfter = reserve + amountIn;
        if (target == 0 || slope == 0 || reserveAfter <= target) return 0;
        unchecked {
            uint256 e0 = reserve > target ? reserve - target : 0;
            uint256 e1 = reserveAfter - target;
            return mulDivUp(slope, (e1 - e0) * (e1 + e0), 2 * target * WAD);
        }
    }

    /// @notice What the pool pays from `net` (gross output already less the flat fees) after the imbalance
    /// fee on the shortfall s below target that the payment itself opens: the largest `a` with
    /// a + slope * (s(a)^2 - s(0)^2) / (2 target) <= net, where s(a) = max(0, target - reserve + a).
    /// @dev The fee is measured on the amount that actually leaves the reserve (the fee itself stays), which
    /// makes it path-independent: paying net1 and then net2 never yields more than paying net1 + net2.
    /// Reserve and target are uint112 amounts. A result above `reserve` means the pool cannot pay.
    function payableAfterShortfallFee(uint256 reserve, uint256 target, uint256 net, uint256 slope)
        internal
        pure
        returns (uint256)
    {
        if (target == 0 || slope == 0) return net;
        uint256 headroom = reserve > target ? reserve - target : 0;
        if (net <= headroom) return net;
        uint256 rest = net - headroom;
        if (rest > MAX_REST_PER_TARGET * target) return net;
        return headroom + _belowTarget(target, target - (reserve - headroom), rest, slope);
    }

    /// @dev Exact floor of the root b of slope/(2t) b^2 + (1 + slope s0 / t) b = rest (slope in WAD), with s0
    /// the shortfall already open, from the cancellation-free b = 2 rest / (u + sqrt(u^2 + v)) where
    /// u = 1 + k s0 / t, v = 2 k rest / t and k = slope / WAD, in 120-bit fixed point. Every rounding grows
    /// the denominator, so b never exceeds the root, and the error analysis (t < 2^112, rest <= 21 t) keeps
    /// it within a unit or two of it; exact checks then lift b to the floor.
    function _belowTarget(uint256 t, uint256 s0, uint256 rest, uint256 slope) private pure returns (uint256 b) {
        unchecked {
            // k < 2^124.3, k s0 < 2^237, 2 k rest < 2^243, u^2 < 2^249, v ONE < 2^250, 2 rest ONE < 2^238.
            uint256 k = (slope * ONE + WAD - 1) / WAD;
            uint256 u = ONE + (k * s0 + t - 1) / t;
            uint256 radicand = u * u + ((2 * k * rest + t - 1) / t) * ONE;
            uint256 root = Math.sqrt(radicand);
            if (root * root < radicand) ++root;
            b = 2 * rest * ONE / (u + root);
        }
        while (fitsBelowTarget(b + 1, t, s0, rest, slope)) ++b;
    }

    /// @notice Whether paying `b` with the shortfall going from s0 to s0 + b, fee included, costs at most
    /// `rest`: 2 t WAD b + slope b (2 s0 + b) <= 2 t WAD rest, compared exactly in 512 bits.
    function fitsBelowTarget(uint256 b, uint256 t, uint256 s0, uint256 rest, uint256 slope)
        internal
        pure
        returns (bool)
    {
        if (b > rest) return false;
        unchecked {
            (uint256 feeHigh, uint256 feeLow) = Math.mul512(slope * b, 2 * s0 + b);
            (uint256 budgetHigh, uint256 budgetLow) = Math.mul512(2 * t * WAD, rest - b);
            return feeHigh < budgetHigh || (feeHigh == budgetHigh && feeLow <= budgetLow);
        }
    }

    /// @notice Pays out `gross` units less `flatFee` (fees that do not depend on the payment) and less the
    /// shortfall fee; `amountOut` is 0 when the flat fees already take it all. `fee` = gross - amountOut.
    function payOut(uint256 reserve, uint256 target, uint256 gross, uint256 flatFee, uint256 slope)
        internal
        pure
        returns (uint256 amountOut, uint256 fee)
    {
        if (flatFee >= gross) return (0, flatFee);
        amountOut = payableAfterShortfallFee(reserve, target, gross - flatFee, slope);
        fee = gross - amountOut;
    }

    /// @notice A swap of `amountIn` from `legIn` to `legOut`: the oracle-rate output `gross` (rounded down)
    /// less the spread, the in-side excess fee (converted at the oracle rate, rounded up) and the out-side
    /// shortfall fee. The caller refuses `amountOut` == 0 and `amountOut` > `legOut.reserve`.
    function swapOut(Leg memory legIn, Leg memory legOut, uint256 amountIn, uint256 spreadBps, uint256 slope)
        internal
        pure
        returns (uint256 amountOut, uint256 fee, uint256 gross)
    {
        gross = convert(amountIn, legIn, legOut);
        uint256 flatFee = spreadFee(gross, spreadBps);
        uint256 inFee = excessFee(legIn.reserve, legIn.target, amountIn, slope);
        if (inFee != 0) flatFee += convertUp(inFee, legIn, legOut);
        (amountOut, fee) = payOut(legOut.reserve, legOut.target, gross, flatFee, slope);
    }

    /// @notice Whole tokens in `amount`, rounded up, so that a flow split into dust still counts in full.
    function wholeTokensUp(uint256 amount, uint256 scale) internal pure returns (uint256) {
        return Math.ceilDiv(amount * scale, WAD);
    }

    /// @notice x * y / d rounded up, at full precision.
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return Math.mulDiv(x, y, d) + (mulmod(x, y, d) == 0 ? 0 : 1);
    }
}
