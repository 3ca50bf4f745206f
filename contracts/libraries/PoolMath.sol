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
library PoolMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;

    /// @notice Price of one whole asset in the numeraire (WAD) from an oracle rate.
    /// @dev Rounded up so that no price is ever zero; every leg of a trade uses the same price, so the
    /// direction does not favour either side.
    function price(uint256 rate, bool inverted) internal pure returns (uint256) {
        return inverted ? Math.ceilDiv(1e36, rate) : rate;
    }

    /// @notice Value of `amount` token units in the numeraire (WAD).
    function toValue(uint256 amount, uint256 scale, uint256 price_, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(amount * scale, price_, WAD, rounding);
    }

    /// @notice Token units worth `value` (WAD) in the numeraire.
    function fromValue(uint256 value, uint256 scale, uint256 price_, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(value, WAD, price_ * scale, rounding);
    }

    /// @notice `amount` of the `from` asset expressed in units of the `to` asset at oracle prices.
    function convert(uint256 amount, Leg memory from, Leg memory to, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(amount * from.scale, from.price, to.price * to.scale, rounding);
    }

    /// @notice The spread on `amount`, rounded up.
    function spreadFee(uint256 amount, uint256 spreadBps) internal pure returns (uint256) {
        return Math.mulDiv(amount, spreadBps, BPS, Math.Rounding.Ceil);
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
        uint256 e0 = reserve > target ? reserve - target : 0;
        uint256 e1 = reserveAfter - target;
        return Math.mulDiv(slope * (e1 - e0), e1 + e0, 2 * target * WAD, Math.Rounding.Ceil);
    }

    /// @notice What the pool pays from `net` (gross output already less the flat fees) after the imbalance
    /// fee on the shortfall s below target that the payment itself opens: the largest `a` with
    /// a + slope * (s(a)^2 - s(0)^2) / (2 target) <= net, where s(a) = max(0, target - reserve + a).
    /// @dev The fee is measured on the amount that actually leaves the reserve (the fee itself stays), which
    /// makes it path-independent: paying net1 and then net2 never yields more than paying net1 + net2.
    /// A result above `reserve` means the pool cannot pay.
    function payableAfterShortfallFee(uint256 reserve, uint256 target, uint256 net, uint256 slope)
        internal
        pure
        returns (uint256)
    {
        if (target == 0 || slope == 0) return net;
        uint256 headroom = reserve > target ? reserve - target : 0;
        if (net <= headroom) return net;
        uint256 rest = net - headroom;
        // Draining the reserve costs at most slope / 2 * target (slope < 18.5 WAD), so past this bound the
        // answer exceeds the reserve anyway; the bound also keeps the terms below far from overflow.
        if (rest > reserve + 20 * target) return net;
        return headroom + _belowTarget(target, target - (reserve - headroom), rest, slope);
    }

    /// @dev Exact floor of the root b of slope/(2t) b^2 + (1 + slope s0 / t) b = rest, with s0 the shortfall
    /// already open. In WAD terms b = 2 rest / (u + sqrt(u^2 + q)) with u = 1 + slope s0 / t and
    /// q = 2 slope rest / t, a form free of cancellation. u and q are scaled by 2^shift (2^2shift) to about
    /// 125 bits, so every rounding (all of them shrink b) stays below one unit of b; one exact check then
    /// lifts b to the floor of the true root.
    function _belowTarget(uint256 t, uint256 s0, uint256 rest, uint256 slope) private pure returns (uint256 b) {
        uint256 uNumerator = WAD * t + slope * s0;
        uint256 qNumerator = 2 * slope * rest * WAD;
        uint256 shift =
            Math.min(125 - Math.log2(uNumerator / t), (251 - Math.log2(qNumerator / t)) / 2);
        uint256 u = Math.mulDiv(uNumerator, 1 << shift, t, Math.Rounding.Ceil);
        uint256 q = Math.mulDiv(qNumerator, 1 << (2 * shift), t, Math.Rounding.Ceil);
        b = Math.mulDiv(2 * rest * WAD, 1 << shift, u + Math.sqrt(u * u + q, Math.Rounding.Ceil));
        if (fitsBelowTarget(b + 1, t, s0, rest, slope)) ++b;
    }

    /// @notice Whether paying `b` with the shortfall going from s0 to s0 + b, fee included, costs at most
    /// `rest`: 2 t b + slope b (2 s0 + b) / WAD <= 2 t rest, compared exactly in 512 bits.
    function fitsBelowTarget(uint256 b, uint256 t, uint256 s0, uint256 rest, uint256 slope)
        internal
        pure
        returns (bool)
    {
        if (b > rest) return false;
        (uint256 feeHigh, uint256 feeLow) = Math.mul512(slope * b, 2 * s0 + b);
        (uint256 budgetHigh, uint256 budgetLow) = Math.mul512(2 * t * WAD, rest - b);
        return feeHigh < budgetHigh || (feeHigh == budgetHigh && feeLow <= budgetLow);
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
        gross = convert(amountIn, legIn, legOut, Math.Rounding.Floor);
        uint256 inFee = excessFee(legIn.reserve, legIn.target, amountIn, slope);
        uint256 flatFee = spreadFee(gross, spreadBps) + convert(inFee, legIn, legOut, Math.Rounding.Ceil);
        (amountOut, fee) = payOut(legOut.reserve, legOut.target, gross, flatFee, slope);
    }

    /// @notice Whole tokens in `amount`, rounded up, so that a flow split into dust still counts in full.
    function wholeTokensUp(uint256 amount, uint256 scale) internal pure returns (uint256) {
        return Math.ceilDiv(amount * scale, WAD);
    }
}
