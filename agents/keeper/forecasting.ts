/**
 * The keeper's forecasts: daily net outflow of each pool's asset, from the flow history.
 *
 * - Series: per UTC day, cash out and cash in of the asset summed over the configured sources
 *   (default the protocol's own: pool swaps and vault credits/debits) and operators; only complete
 *   days, days without flows count as 0. Telco imports, when listed, are history like any other source.
 * - Forecaster: the committed ONNX model once a series has the history it needs (it is a daily model,
 *   trained on NN5's cash withdrawals), otherwise a baseline: seasonal naive (weekly) from 15 days,
 *   naive from 2 days, nothing before (the floor is then 0 and the keeper says why). Every choice is
 *   named in the log, the forecast rows and /metrics.
 * - Net outflow at quantile q = cash-out at q − cash-in at its median. Cash out and cash in are
 *   forecast separately because the forecasters model non-negative demand (as NN5's withdrawals are);
 *   inflows are taken at their median: the risk the floor guards against is a cash-out surge.
 * - Each forecast for today is kept (keeper_forecasts) and scored once the day is over: absolute error of
 *   the median against the actual net outflow; MASE divides by the series' in-sample weekly seasonal-naive
 *   error. `validationMase` is what the forecaster scored on the series' own last week when it was
 *   chosen (fit on the days before): the level a drift alert compares the rolling MASE with.
 */
import { and, desc, eq, isNotNull, isNull, lte } from "drizzle-orm";

import { maseScale, naive, seasonalNaive, type Forecaster, type SeriesForecast } from "../liquidity/forecast/index.js";
import type { LiquidityDb, LiquidityTables } from "../liquidity/db/open.js";
import { DAY_MS, type FlowSource, type FlowStore } from "../liquidity/flows/store.js";

export const QUANTILES = [0.1, 0.5, 0.9] as const;
const SEASON = 7;
const VALIDATION_DAYS = 7;

export interface SeriesSpec {
  pool: string;
  asset: string;
  decimals: number;
  sources: readonly FlowSource[];
  /** Only these operators' flows (all when absent). */
  operators?: readonly string[];
}

export interface DailySeries {
  /** First millisecond of the first day. */
  start: number;
  out: number[];
  in: number[];
}

/** The model the keeper prefers, when it has one, and the history it needs. */
export interface ModelForecaster {
  forecaster: Forecaster;
  minHistoryDays: number;
}

export interface NetForecast {
  pool: string;
  asset: string;
  forecaster: string;
  /** Why this forecaster (for people). */
  why: string;
  historyDays: number;
  /** Per day from today: quantile level ("0.1", "0.5", "0.9") → net outflow in whole units. */
  quantiles: Record<string, number[]>;
  /** In-sample weekly seasonal-naive MAE of the net series (the MASE scale), when defined. */
  scale?: number;
  validationMase?: number;
}

const dayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** Complete days before `today` (ms of its first instant), at most `maxDays` back, from the first day with a flow. */
export async function dailySeries(store: FlowStore, spec: SeriesSpec, today: number, maxDays = 400): Promise<DailySeries> {
  const from = today - maxDays * DAY_MS;
  const rows = await store.rows({ asset: spec.asset, sources: spec.sources, operators: spec.operators, from, to: today });
  if (rows.length === 0) return { start: today, out: [], in: [] };
  const start = dayOf(rows[0]!.hour);
  const days = (today - start) / DAY_MS;
  const out = new Array<number>(days).fill(0);
  const inn = new Array<number>(days).fill(0);
  const unit = 10 ** spec.decimals;
  for (const r of rows) {
    const d = (dayOf(r.hour) - start) / DAY_MS;
    // Whole units as floats: what forecasters work in; sums stay exact in bigints until this point.
    out[d]! += Number(BigInt(r.cashOut)) / unit;
    inn[d]! += Number(BigInt(r.cashIn)) / unit;
  }
  return { start, out, in: inn };
}

interface Choice {
  forecaster?: Forecaster;
  name: string;
  why: string;
}

function choose(historyDays: number, model: ModelForecaster | undefined, modelProblem: string | undefined): Choice {
  if (model && historyDays >= model.minHistoryDays) return { forecaster: model.forecaster, name: model.forecaster.name, why: `${historyDays} days of history (the model needs ${model.minHistoryDays})` };
  const short = model ? `${historyDays} days of history, the model needs ${model.minHistoryDays}` : `no model (${modelProblem ?? "none configured"})`;
  if (historyDays >= 2 * SEASON + 1) return { forecaster: seasonalNaive(), name: "seasonal_naive", why: `baseline: ${short}` };
  if (historyDays >= 2) return { forecaster: naive(), name: "naive", why: `baseline: ${short}; under ${2 * SEASON + 1} days, so no weekly season` };
  return { name: "none", why: `no forecast: ${historyDays} day(s) of history; the floor is 0 until there are 2` };
}

async function quantilesOf(forecaster: Forecaster, id: string, values: number[], start: number, horizon: number): Promise<SeriesForecast> {
  const [f] = await forecaster.forecast([{ id, values, start: new Date(start).toISOString().slice(0, 10), step: "day" }], horizon);
  return f!;
}

const row = (f: SeriesForecast, q: number) => Array.from(f.quantiles.get(q) ?? f.quantiles.get(0.5)!);

/** Net outflow quantiles for `horizon` days from today, with the forecaster that made them and why. */
export async function forecastNet(
  series: DailySeries,
  spec: SeriesSpec,
  horizon: number,
  model: ModelForecaster | undefined,
  modelProblem?: string,
): Promise<NetForecast> {
  const historyDays = series.out.length;
  const base = { pool: spec.pool, asset: spec.asset, historyDays };
  let choice = choose(historyDays, model, modelProblem);
  const id = `${spec.pool}/${spec.asset}`;
  const net = series.out.map((o, i) => o - series.in[i]!);
  const scale = net.length > SEASON ? maseScale(net, SEASON) : undefined;
  if (!choice.forecaster) return { ...base, forecaster: choice.name, why: choice.why, quantiles: Object.fromEntries(QUANTILES.map((q) => [String(q), new Array(horizon).fill(0)])), scale };

  const run = async (c: Choice, values: { out: number[]; in: number[] }, h: number) => {
    const out = await quantilesOf(c.forecaster!, `${id}/out`, values.out, series.start, h);
    const inn = await quantilesOf(c.forecaster!, `${id}/in`, values.in, series.start, h);
    const inMedian = row(inn, 0.5);
    return Object.fromEntries(QUANTILES.map((q) => [String(q), row(out, q).map((v, d) => v - inMedian[d]!)]));
  };
  let quantiles: Record<string, number[]>;
  try {
    quantiles = await run(choice, series, horizon);
  } catch (error) {
    // The model refused this series (too short for one of its inputs, say): a baseline stands in, and says so.
    const problem = error instanceof Error ? error.message : String(error);
    choice = choose(historyDays, undefined, `${choice.name} refused the series: ${problem}`);
    if (!choice.forecaster) return { ...base, forecaster: choice.name, why: choice.why, quantiles: Object.fromEntries(QUANTILES.map((q) => [String(q), new Array(horizon).fill(0)])), scale };
    quantiles = await run(choice, series, horizon);
  }

  let validationMase: number | undefined;
  const fitDays = historyDays - VALIDATION_DAYS;
  if (fitDays > SEASON && choose(fitDays, model, modelProblem).name === choice.name) {
    const held = await run(choice, { out: series.out.slice(0, fitDays), in: series.in.slice(0, fitDays) }, VALIDATION_DAYS);
    const trainScale = maseScale(net.slice(0, fitDays), SEASON);
    if (trainScale > 0) {
      const actual = net.slice(fitDays);
      validationMase = actual.reduce((s, a, i) => s + Math.abs(a - held["0.5"]![i]!), 0) / actual.length / trainScale;
    }
  }
  return { ...base, forecaster: choice.name, why: choice.why, quantiles, scale, validationMase };
}

export interface ForecastScore {
  pool: string;
  asset: string;
  /** Forecasts scored in the window. */
  scored: number;
  mae?: number;
  mase?: number;
  validationMase?: number;
  forecaster?: string;
}

/** Keeps forecasts for scoring and scores those whose day has ended. */
export function createForecastBook(db: LiquidityDb, tables: LiquidityTables, now: () => number = Date.now) {
  const f = tables.keeperForecasts;
  return {
    /** Keeps the first forecast made for `day` (later ticks the same day do not replace it). */
    async keep(forecast: NetForecast, day: number): Promise<void> {
      const [p10, p50, p90] = QUANTILES.map((q) => forecast.quantiles[String(q)]![0]!);
      await db
        .insert(f)
        .values({
          id: `${forecast.pool}:${forecast.asset}:${day}`,
          pool: forecast.pool,
          asset: forecast.asset,
          forecaster: forecast.forecaster,
          day,
          p10: p10!,
          p50: p50!,
          p90: p90!,
          scale: forecast.scale ?? null,
          validationMase: forecast.validationMase ?? null,
          madeAt: now(),
        })
        .onConflictDoNothing();
    },

    /** Scores every unscored forecast of this series whose day is complete (before `today`). */
    async score(spec: SeriesSpec, series: DailySeries, today: number): Promise<number> {
      const open = await db
        .select()
        .from(f)
        .where(and(eq(f.pool, spec.pool), eq(f.asset, spec.asset), isNull(f.scoredAt), lte(f.day, today - DAY_MS)));
      for (const row of open) {
        const d = (row.day - series.start) / DAY_MS;
        const actual = d >= 0 && d < series.out.length ? series.out[d]! - series.in[d]! : 0;
        await db.update(f).set({ actual, absError: Math.abs(actual - row.p50), scoredAt: now() }).where(and(eq(f.id, row.id), isNull(f.scoredAt)));
      }
      return open.length;
    },

    /** Rolling error over the last `window` scored forecasts of the series. */
    async rolling(pool: string, asset: string, window: number): Promise<ForecastScore> {
      const rows = await db
        .select()
        .from(f)
        .where(and(eq(f.pool, pool), eq(f.asset, asset), isNotNull(f.scoredAt)))
        .orderBy(desc(f.day))
        .limit(window);
      if (rows.length === 0) return { pool, asset, scored: 0 };
      const mae = rows.reduce((s, r) => s + r.absError!, 0) / rows.length;
      const scale = rows[0]!.scale;
      const validations = rows.map((r) => r.validationMase).filter((v): v is number => v !== null && Number.isFinite(v));
      return {
        pool,
        asset,
        scored: rows.length,
        mae,
        mase: scale && scale > 0 ? mae / scale : undefined,
        validationMase: validations.length ? validations.reduce((a, b) => a + b, 0) / validations.length : undefined,
        forecaster: rows[0]!.forecaster,
      };
    },
  };
}

export type ForecastBook = ReturnType<typeof createForecastBook>;
