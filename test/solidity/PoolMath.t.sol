// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Leg, PoolMath} from "../../contracts/libraries/PoolMath.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @notice Fuzz tests of the pool's pricing: value conservation, path independence, monotone fees and
/// rounding against the trader, over random decimals, prices, reserves, targets, spreads and slopes.
contract PoolMathTest is TestBase {
    uint256 internal constant WAD = 1e18;

    struct Market {
        Leg legIn;
        Leg legOut;
        uint256 spreadBps;
        uint256 slope;
    }

    struct Trade {
        uint256 amountOut;
        uint256 fee;
        uint256 gross;
        bool ok; // what the pool would accept: something to pay, and no more than the reserve
    }

    // ---------------------------------------------------------------- swap properties

    function testFuzz_swapNeverLowersPoolValueAtOracleRate(uint256 seed, uint256 amountIn) public pure {
        Market memory m = _market(seed);
        amountIn = _amount(m.legIn, amountIn);
        Trade memory t = _swap(m, amountIn);
        if (!t.ok) return;
        // amountOut * scaleOut * priceOut <= amountIn * scaleIn * priceIn, exactly.
        require(
            _le512(t.amountOut * m.legOut.scale, m.legOut.price, amountIn * m.legIn.scale, m.legIn.price),
            "output worth more than input"
        );
        vm.assertEq(t.amountOut + t.fee, t.gross, "fee is what the oracle rate owes minus what is paid");
    }

    function testFuzz_splittingATradeNeverPaysLessFee(uint256 seed, uint256 a1, uint256 a2) public pure {
        Market memory m = _market(seed);
        a1 = _amount(m.legIn, a1);
        a2 = _amount(m.legIn, a2);
        Trade memory whole = _swap(m, a1 + a2);
        Trade memory first = _swap(m, a1);
        if (!whole.ok || !first.ok) return;
        m.legIn.reserve += a1;
        m.legOut.reserve -= first.amountOut;
        Trade memory second = _swap(m, a2);
        if (!second.ok) return;
        vm.assertLe(first.amountOut + second.amountOut, whole.amountOut, "split paid more than the whole trade");
    }

    function testFuzz_feeNeverFallsAsTheTradeGrows(uint256 seed, uint256 amountIn, uint256 extra) public pure {
        Market memory m = _market(seed);
        amountIn = _amount(m.legIn, amountIn);
        extra = bound(extra, 1, amountIn);
        Trade memory small = _swap(m, amountIn);
        Trade memory large = _swap(m, amountIn + extra);
        if (!small.ok || !large.ok) return;
        vm.assertGe(large.fee, small.fee, "larger trade paid a smaller fee");
    }

    function testFuzz_feeGrowsWithTheOutAssetShortfall(uint256 seed, uint256 amountIn, uint256 drawn) public pure {
        Market memory m = _market(seed);
        amountIn = _amount(m.legIn, amountIn);
        Trade memory before = _swap(m, amountIn);
        m.legOut.reserve -= bound(drawn, 0, m.legOut.reserve);
        Trade memory deeper = _swap(m, amountIn);
        if (!before.ok || !deeper.ok) return;
        vm.assertEq(deeper.gross, before.gross, "oracle-rate output depends on reserves");
        vm.assertGe(deeper.fee, before.fee, "a deeper shortfall paid a smaller fee");
    }

    function testFuzz_feeGrowsWithTheInAssetExcess(uint256 seed, uint256 amountIn, uint256 added) public pure {
        Market memory m = _market(seed);
        amountIn = _amount(m.legIn, amountIn);
        Trade memory before = _swap(m, amountIn);
        m.legIn.reserve += _amount(m.legIn, added);
        Trade memory fuller = _swap(m, amountIn);
        if (!before.ok || !fuller.ok) return;
        vm.assertGe(fuller.fee, before.fee, "a larger excess paid a smaller fee");
    }

    function testFuzz_improvingTradePaysOnlyTheSpread(uint256 seed, uint256 amountIn) public pure {
        Market memory m = _market(seed);
        amountIn = _amount(m.legIn, amountIn);
        // The in asset stays at or below target and the out asset at or above it.
        m.legIn.target = m.legIn.reserve + amountIn + bound(seed >> 8, 0, 1e30);
        uint256 gross = PoolMath.convert(amountIn, m.legIn, m.legOut);
        m.legOut.reserve = Math.max(m.legOut.reserve, gross + 1);
        m.legOut.target = bound(seed >> 16, 0, m.legOut.reserve - gross);
        Trade memory t = _swap(m, amountIn);
        if (!t.ok) return;
        vm.assertEq(t.fee, PoolMath.spreadFee(t.gross, m.spreadBps), "improving trade paid an imbalance fee");
    }

    function testFuzz_unbalancingTradePaysMoreThanTheSpread(uint256 seed, uint256 amountIn) public pure {
        Market memory m = _market(seed);
        m.slope = bound(m.slope, 1e16, type(uint64).max);
        amountIn = _amount(m.legIn, amountIn);
        m.legIn.target = bound(seed >> 8, 1, Math.max(m.legIn.reserve, 1)); // already at or above target
        Trade memory t = _swap(m, amountIn);
        if (!t.ok) return;
        uint256 excess = PoolMath.excessFee(m.legIn.reserve, m.legIn.target, amountIn, m.slope);
        vm.assertGt(excess, 0, "pushing further above target is free");
        vm.assertGe(
            t.fee,
            PoolMath.spreadFee(t.gross, m.spreadBps) + PoolMath.convertUp(excess, m.legIn, m.legOut),
            "imbalance fee missing"
        );
    }

    // ---------------------------------------------------------------- rounding against the trader

    function testFuzz_shortfallPaymentIsTheExactFloorOfTheFeeEquation(
        uint256 reserve,
        uint256 target,
        uint256 net,
        uint256 slope
    ) public pure {
        reserve = bound(reserve, 0, type(uint112).max);
        target = bound(target, 1, type(uint112).max);
        slope = bound(slope, 1, type(uint64).max);
        net = bound(net, 0, reserve + target);
        uint256 paid = PoolMath.payableAfterShortfallFee(reserve, target, net, slope);
        uint256 headroom = reserve > target ? reserve - target : 0;
        if (net <= headroom) {
            vm.assertEq(paid, net, "above target the pool pays without an imbalance fee");
            return;
        }
        uint256 s0 = target - (reserve - headroom);
        uint256 rest = net - headroom;
        vm.assertGe(paid, headroom, "pays less than the headroom above target");
        vm.assertTrue(PoolMath.fitsBelowTarget(paid - headroom, target, s0, rest, slope), "paid more than net allows");
        vm.assertFalse(
            PoolMath.fitsBelowTarget(paid - headroom + 1, target, s0, rest, slope), "one more unit would still fit"
        );
    }

    /// @dev An input (found by search) where the fixed-point estimate lands one unit below the exact root.
    function test_shortfallSolverLiftsAnEstimateOneUnitShortToTheExactFloor() public pure {
        uint256 target = 2476314650833959394704576274066960;
        uint256 s0 = 2125743945591146374408970716137710;
        uint256 slope = 385434042184840;
        uint256 rest = 41605951593252651382164654002314236;
        uint256 paid = PoolMath.payableAfterShortfallFee(target - s0, target, rest, slope);
        vm.assertEq(paid, 41458469825254287315225404530525104, "not the exact floor");
        vm.assertTrue(PoolMath.fitsBelowTarget(paid, target, s0, rest, slope), "paid more than rest allows");
        vm.assertFalse(PoolMath.fitsBelowTarget(paid + 1, target, s0, rest, slope), "one more unit would fit");
    }

    function testFuzz_aBudgetBeyondTheDrainingCostTakesTheWholeReserve(
        uint256 reserve,
        uint256 target,
        uint256 net,
        uint256 slope
    ) public pure {
        reserve = bound(reserve, 0, type(uint112).max);
        target = bound(target, 1, type(uint112).max);
        slope = bound(slope, 1, type(uint64).max);
        uint256 headroom = reserve > target ? reserve - target : 0;
        uint256 s0 = target - (reserve - headroom);
        uint256 drainCost = (reserve - headroom)
            + PoolMath.mulDivUp(slope, (target - s0) * (target + s0), 2 * target * WAD);
        net = bound(net, headroom + drainCost + 1, type(uint128).max);
        vm.assertGe(
            PoolMath.payableAfterShortfallFee(reserve, target, net, slope), reserve, "paid less than the whole reserve"
        );
    }

    function testFuzz_fitsBelowTargetMatchesTheFeeIntegral(
        uint256 b,
        uint256 t,
        uint256 s0,
        uint256 rest,
        uint256 slope
    ) public pure {
        // Small enough that the integral is computed directly in 256 bits.
        t = bound(t, 1, 1e24);
        s0 = bound(s0, 0, t);
        rest = bound(rest, 0, 1e24);
        b = bound(b, 0, rest + 1);
        slope = bound(slope, 0, type(uint64).max);
        uint256 fee2tWad = slope * ((s0 + b) * (s0 + b) - s0 * s0); // fee * 2t * WAD
        bool expected = b <= rest && b * 2 * t * WAD + fee2tWad <= rest * 2 * t * WAD;
        vm.assertEq(PoolMath.fitsBelowTarget(b, t, s0, rest, slope), expected, "exact comparison is wrong");
    }

    function testFuzz_excessFeeIsTheIntegralRoundedUp(uint256 reserve, uint256 target, uint256 amountIn, uint256 slope)
        public
        pure
    {
        reserve = bound(reserve, 0, 1e27);
        target = bound(target, 1, 1e27);
        amountIn = bound(amountIn, 0, 1e27);
        slope = bound(slope, 0, type(uint64).max);
        uint256 fee = PoolMath.excessFee(reserve, target, amountIn, slope);
        uint256 e0 = reserve > target ? reserve - target : 0;
        uint256 e1 = reserve + amountIn > target ? reserve + amountIn - target : 0;
        uint256 exact2tWad = slope * (e1 * e1 - e0 * e0); // fee * 2t * WAD, exactly
        vm.assertGe(fee * 2 * target * WAD, exact2tWad, "fee rounded down");
        if (fee != 0) vm.assertLt((fee - 1) * 2 * target * WAD, exact2tWad, "fee rounded up by more than a unit");
    }

    function testFuzz_excessFeeIsPathIndependent(uint256 reserve, uint256 target, uint256 a1, uint256 a2, uint256 slope)
        public
        pure
    {
        reserve = bound(reserve, 0, 1e27);
        target = bound(target, 1, 1e27);
        a1 = bound(a1, 0, 1e27);
        a2 = bound(a2, 0, 1e27);
        slope = bound(slope, 0, type(uint64).max);
        uint256 whole = PoolMath.excessFee(reserve, target, a1 + a2, slope);
        uint256 split = PoolMath.excessFee(reserve, target, a1, slope) + PoolMath.excessFee(reserve + a1, target, a2, slope);
        vm.assertGe(split, whole, "splitting a deposit avoided excess fee");
        vm.assertLe(split, whole + 2, "excess fee is not the integral");
    }

    function testFuzz_conversionsRoundDown(uint256 amount, uint256 scaleExp, uint256 price) public pure {
        uint256 scale = 10 ** bound(scaleExp, 0, 18);
        price = bound(price, 1, 1e30);
        amount = bound(amount, 0, type(uint112).max);
        uint256 value = PoolMath.toValue(amount, scale, price);
        vm.assertLe(PoolMath.fromValue(value, scale, price), amount, "round trip gained units");
        vm.assertLe(
            value, PoolMath.toValueUp(amount, scale, price), "floor value above ceil value"
        );
    }

    function testFuzz_wholeTokenFlowsRoundUpSoDustCannotHide(uint256 a, uint256 b, uint256 decimals) public pure {
        uint256 scale = 10 ** (18 - bound(decimals, 0, 18));
        a = bound(a, 1, type(uint112).max);
        b = bound(b, 1, type(uint112).max);
        vm.assertGe(PoolMath.wholeTokensUp(a, scale), 1, "a dust flow counted as nothing");
        vm.assertGe(
            PoolMath.wholeTokensUp(a, scale) + PoolMath.wholeTokensUp(b, scale),
            PoolMath.wholeTokensUp(a + b, scale),
            "split flows counted less than the whole"
        );
    }

    function test_invertedFeedPriceIsTheReciprocalRoundedUp() public pure {
        vm.assertEq(PoolMath.price(1500e18, true), 666_666_666_666_667, "USD/NGN 1500 is not ~$0.000667 per naira");
        vm.assertEq(PoolMath.price(2650e18, false), 2650e18, "a direct feed is not the price");
        vm.assertEq(PoolMath.price(1e40, true), 1, "a tiny inverted price rounded to zero");
    }

    function test_nairaForDollarsAtTheOracleRate() public pure {
        Leg memory usdc = Leg(0, 0, 1e12, 1e18);
        Leg memory ngn = Leg(0, 0, 1e12, PoolMath.price(1500e18, true));
        // 100 USDC is 150,000 naira, less the one unit lost to the rounded-up naira price.
        uint256 naira = PoolMath.convert(100e6, usdc, ngn);
        vm.assertApproxEqAbs(naira, 150_000e6, 1e3, "100 USDC is not 150,000 NGN");
        vm.assertLe(naira, 150_000e6, "conversion rounded in the trader's favour");
    }

    // ---------------------------------------------------------------- helpers

    function _swap(Market memory m, uint256 amountIn) internal pure returns (Trade memory t) {
        (t.amountOut, t.fee, t.gross) = PoolMath.swapOut(m.legIn, m.legOut, amountIn, m.spreadBps, m.slope);
        t.ok = t.amountOut != 0 && t.amountOut <= m.legOut.reserve;
    }

    /// @dev A random market: decimals 0..18, prices from 1e-9 to 1e9 dollars, reserves up to 1e12 whole
    /// tokens, targets around the reserves, spreads to 5 %, slopes from 0 to the type's maximum.
    function _market(uint256 seed) internal pure returns (Market memory m) {
        m.legIn = _leg(seed, 0);
        m.legOut = _leg(seed, 1);
        m.spreadBps = bound(_r(seed, 2), 0, 500);
        uint256 kind = _r(seed, 3) % 8;
        m.slope = kind == 0 ? 0 : kind == 1 ? type(uint64).max : bound(_r(seed, 4), 0, 5e18);
    }

    function _leg(uint256 seed, uint256 k) internal pure returns (Leg memory leg) {
        uint256 decimals = bound(_r(seed, 10 + k), 0, 18);
        leg.scale = 10 ** (18 - decimals);
        leg.price = bound(_r(seed, 20 + k), 1e9, 1e27);
        uint256 unit = 10 ** decimals;
        leg.reserve = bound(_r(seed, 30 + k), 0, 1e12 * unit);
        uint256 spread = leg.reserve / 2 + unit;
        leg.target = _r(seed, 40 + k) % 4 == 0 ? 0 : bound(_r(seed, 50 + k), leg.reserve / 2, leg.reserve + spread);
    }

    /// @dev Trade sizes from one unit to about the size of the reserve (sometimes several times it).
    function _amount(Leg memory leg, uint256 x) internal pure returns (uint256) {
        uint256 cap = Math.max(leg.reserve, 10 ** (18 - Math.log10(leg.scale)));
        return bound(x, 1, x % 3 == 0 ? 3 * cap : cap / 10 + 1);
    }

    function _r(uint256 seed, uint256 k) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, k)));
    }

    /// @dev a1 * a2 <= b1 * b2 without overflow.
    function _le512(uint256 a1, uint256 a2, uint256 b1, uint256 b2) internal pure returns (bool) {
        (uint256 aHigh, uint256 aLow) = Math.mul512(a1, a2);
        (uint256 bHigh, uint256 bLow) = Math.mul512(b1, b2);
        return aHigh < bHigh || (aHigh == bHigh && aLow <= bLow);
    }
}
