/**
 * The threshold policy's search: for each pool and each way to supply it, the (s, S) that holds the
 * least float on a window while failing at most `target` of its transfers there. A coarse grid first,
 * then a fine grid around the coarse winner of each route. Pools are searched one at a time (a
 * threshold policy has no interaction between pools).
 */
import { run, type CostRates, type RunResult, type TransferBook } from "./backtest.js";
import { SUPPLY } from "./backtest-network.js";
import { thresholdPolicy, type Supply, type Threshold } from "./backtest-policies.js";

export interface Window {
  from: number;
  to: number;
}

/** S − s values (days of mean demand) on the fine grid. */
const FINE_GAPS = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4];
const COARSE_GAPS = [0, 0.5, 1, 2, 4];

/** Less float is better; at equal float (within 0.1 %), lower cost. */
export function better(a: RunResult, b: RunResult): boolean {
  if (Math.abs(a.avg_float - b.avg_float) > 1e-3 * b.avg_float) return a.avg_float < b.avg_float;
  return a.cost_usd.total < b.cost_usd.total;
}

export interface ThresholdChoice {
  threshold: Threshold;
  record: Record<string, unknown>;
}

/**
 * `window` is where failure and float are measured; `unitWindow` is where μ (the grid's unit, mean
 * daily demand) is taken, so grids are comparable between searches.
 */
export async function searchThresholds(
  book: TransferBook,
  demand: readonly Float64Array[],
  costs: CostRates,
  window: Window,
  unitWindow: Window,
  target: number,
  log: (...args: unknown[]) => void = () => {},
): Promise<ThresholdChoice[]> {
  const specs = book.pools;
  const out: ThresholdChoice[] = [];
  for (let p = 0; p < specs.length; p++) {
    const spec = specs[p]!;
    let mean = 0;
    for (let d = unitWindow.from; d <= unitWindow.to; d++) mean += demand[p]![d]!;
    mean /= unitWindow.to - unitWindow.from + 1;
    const supplies: [string, Supply][] =
      spec.chain === "hedera" ? [["same-chain", SUPPLY.sameChain]] : [["cctp-standard", SUPPLY.cctpStandard], ["cctp-fast", SUPPLY.cctpFast]];
    type Candidate = { t: Threshold; r: RunResult; route: string };
    let best: Candidate | undefined;
    let fallback: Candidate | undefined;
    let tried = 0;
    const tryOne = async (route: string, supply: Supply, sm: number, gap: number): Promise<RunResult | undefined> => {
      if (sm <= 0) return undefined;
      const t: Threshold = { s: sm * mean, S: (sm + gap) * mean, supply };
      const r = await run(book, thresholdPolicy(specs.map((_, q) => (q === p ? t : undefined))), costs, { ...window, pools: [p] });
      tried++;
      if (r.failure_rate <= target && (!best || better(r, best.r))) best = { t, r, route };
      if (!fallback || r.failure_rate < fallback.r.failure_rate || (r.failure_rate === fallback.r.failure_rate && better(r, fallback.r))) fallback = { t, r, route };
      return r;
    };
    for (const [route, supply] of supplies) {
      let routeBest: { sm: number; r: RunResult } | undefined;
      for (let sm = 0.5; sm <= 8.0001; sm += 0.25) {
        for (const gap of COARSE_GAPS) {
          const r = (await tryOne(route, supply, sm, gap))!;
          if (r.failure_rate <= target && (!routeBest || better(r, routeBest.r))) routeBest = { sm, r };
        }
      }
      const centre = routeBest?.sm ?? 8;
      for (let sm = centre - 0.3; sm <= centre + 0.3001; sm += 0.025) {
        for (const gap of FINE_GAPS) await tryOne(route, supply, sm, gap);
      }
    }
    const chosen: Candidate = best ?? fallback!;
    out.push({
      threshold: chosen.t,
      record: {
        pool: spec.id,
        route: chosen.route,
        asset: spec.asset,
        s: Number(chosen.t.s.toPrecision(6)),
        S: Number(chosen.t.S.toPrecision(6)),
        s_days_of_mean_demand: Number((chosen.t.s / mean).toFixed(3)),
        S_days_of_mean_demand: Number((chosen.t.S / mean).toFixed(3)),
        window_failure_rate: Number(chosen.r.failure_rate.toPrecision(6)),
        window_avg_float_usd: Number(chosen.r.avg_float.toPrecision(6)),
        met_target_on_window: best !== undefined,
        grid_points: tried,
      },
    });
    log(`  ${spec.id}: ${chosen.route} s=${(chosen.t.s / mean).toFixed(3)}·μ S=${(chosen.t.S / mean).toFixed(3)}·μ failure ${(100 * chosen.r.failure_rate).toFixed(3)} % float $${Math.round(chosen.r.avg_float)}`);
  }
  return out;
}
