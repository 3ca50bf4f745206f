/** The baselines on synthetic series whose right answer is known, and their refusals. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ets, ForecastInputError, naive, REQUIRED_QUANTILES, seasonalNaive, theta, type SeriesHistory } from "../../../../agents/liquidity/forecast/index.js";

const day = (id: string, values: number[]): SeriesHistory => ({ id, values, start: "2024-01-01", step: "day", country: "KE" });
const weekly = [10, 12, 11, 13, 30, 25, 5];
const weeklySeries = Array.from({ length: 70 }, (_, t) => weekly[t % 7]);
const trendSeries = Array.from({ length: 140 }, (_, t) => 100 + 2 * t);

function p50(q: Map<number, Float64Array>): number[] {
  return [...q.get(0.5)!];
}

describe("forecast baselines", () => {
  it("naive repeats the last value", async () => {
    const [f] = await naive().forecast([day("a", [1, 5, 3])], 4);
    assert.deepEqual(p50(f.quantiles), [3, 3, 3, 3]);
  });

  it("seasonal naive continues a pure weekly pattern exactly, with zero-width intervals", async () => {
    const [f] = await seasonalNaive().forecast([day("w", weeklySeries)], 14);
    assert.deepEqual(p50(f.quantiles), [...weekly, ...weekly]);
    assert.deepEqual([...f.quantiles.get(0.9)!], [...f.quantiles.get(0.1)!]);
  });

  it("seasonal naive uses 24 steps for hourly series, or the period given (168 for a week of hours)", async () => {
    const hourly = Array.from({ length: 48 }, (_, t) => t % 24);
    const [f] = await seasonalNaive().forecast([{ ...day("h", hourly), step: "hour" }], 3);
    assert.deepEqual(p50(f.quantiles), [0, 1, 2]);
    const week = Array.from({ length: 336 }, (_, t) => t);
    const [g] = await seasonalNaive({ period: 168 }).forecast([{ ...day("h", week), step: "hour" }], 2);
    assert.deepEqual(p50(g.quantiles), [168, 169]);
  });

  it("ETS follows a linear trend closely", async () => {
    const [out] = await ets().forecast([day("t", trendSeries)], 14);
    const mid = out.quantiles.get(0.5)!;
    for (let h = 0; h < 14; h++) {
      const truth = 100 + 2 * (140 + h);
      assert.ok(Math.abs(mid[h] - truth) / truth < 0.01, `h=${h}: ${mid[h]} vs ${truth}`);
    }
  });

  it("Theta starts on a linear trend and extends it at half its slope, as the method is defined", async () => {
    const [out] = await theta().forecast([day("t", trendSeries)], 14);
    const mid = out.quantiles.get(0.5)!;
    assert.ok(Math.abs(mid[0] - (100 + 2 * 140)) < 2, `first step ${mid[0]}`);
    for (let h = 1; h < 14; h++) assert.ok(Math.abs(mid[h] - mid[h - 1] - 1) < 1e-6, `step ${h}: ${mid[h] - mid[h - 1]}`);
  });

  it("ETS and Theta reproduce a weekly pattern with a little noise", async () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.4;
    const y = Array.from({ length: 210 }, (_, t) => weekly[t % 7] + noise());
    for (const f of [ets(), theta()]) {
      const [out] = await f.forecast([day("w", y)], 7);
      const mid = out.quantiles.get(0.5)!;
      for (let h = 0; h < 7; h++) assert.ok(Math.abs(mid[h] - weekly[(210 + h) % 7]) < 1, `${f.name} h=${h}: ${mid[h]}`);
    }
  });

  it("every baseline returns ordered quantiles 0.1 ≤ 0.5 ≤ 0.9 ≤ 0.95 ≤ 0.99 that widen with the horizon", async () => {
    let seed = 3;
    const y = Array.from({ length: 120 }, (_, t) => 50 + 10 * Math.sin(t) + ((seed = (seed * 69069 + 1) % 2 ** 32) / 2 ** 32) * 8);
    for (const f of [naive(), seasonalNaive(), ets(), theta()]) {
      const [out] = await f.forecast([day("n", y)], 21);
      for (const q of REQUIRED_QUANTILES) assert.equal(out.quantiles.get(q)!.length, 21, `${f.name} q${q}`);
      const levels = [0.1, 0.5, 0.9, 0.95, 0.99];
      for (let h = 0; h < 21; h++) {
        for (let i = 1; i < levels.length; i++) assert.ok(out.quantiles.get(levels[i])![h] >= out.quantiles.get(levels[i - 1])![h], `${f.name} h=${h}`);
      }
      const width = (h: number) => out.quantiles.get(0.9)![h] - out.quantiles.get(0.1)![h];
      assert.ok(width(20) > width(0), `${f.name} widens`);
    }
  });

  it("refuses empty, non-finite or too-short histories and bad horizons with a clear error", async () => {
    for (const f of [naive(), seasonalNaive(), ets(), theta()]) {
      await assert.rejects(f.forecast([day("e", [])], 3), (e: unknown) => e instanceof ForecastInputError && /"e" is empty/.test(e.message));
      await assert.rejects(f.forecast([day("n", [1, 2, NaN, ...weeklySeries])], 3), /non-finite value \(NaN\) at step 2; fill gaps/);
      await assert.rejects(f.forecast([day("w", weeklySeries)], 0), /horizon must be a positive integer/);
    }
    await assert.rejects(seasonalNaive().forecast([day("s", [1, 2, 3])], 3), /has 3 steps, needs at least 8/);
    await assert.rejects(ets().forecast([day("s", weekly)], 3), /needs at least 16/);
    await assert.rejects(seasonalNaive().forecast([{ ...day("x", weeklySeries), step: "week" as "day" }], 3), /unknown step "week"/);
  });
});
