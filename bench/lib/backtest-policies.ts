/**
 * The three policies the backtest compares: no rebalancing, a static (s, S) threshold per pool, and
 * the forecast-driven planner (agents/liquidity/rebalance) fed by a rolling-origin forecaster.
 */
import { addDays, describeDay } from "../../agents/liquidity/calendar.js";
import type { Forecaster, SeriesForecast } from "../../agents/liquidity/forecast/types.js";
import { plan } from "../../agents/liquidity/rebalance/index.js";
import type { CostInput, PlanConfig, PlanInput, RouteInput, TreasuryInput } from "../../agents/liquidity/rebalance/types.js";
import type { DayView, OrderIntent, Policy, PoolSpec, TransferBook } from "./backtest.js";

/** How a pool is replenished from the treasury: lead time, fee, and whether it crosses chains. */
export interface Supply {
  leadDays: number;
  feeBps: number;
  crossChain: boolean;
}

// ---------------------------------------------------------------- none

/** Starts every pool with `days` × its mean daily demand over the `lookback` days before `day`, and never refills. */
export function nonePolicy(book: TransferBook, days: number, lookback = 56): Policy {
  return {
    name: "none",
    initialFloat(pool, day) {
      let sum = 0;
      for (let d = day - lookback; d < day; d++) sum += book.demand(pool, d);
      return (days * sum) / lookback;
    },
    decide: () => [],
  };
}

// ---------------------------------------------------------------- threshold (s, S)

export interface Threshold {
  /** Reorder point: order when float + in transit falls below it. */
  s: number;
  /** Order-up-to level. */
  S: number;
  supply: Supply;
}

export function thresholdPolicy(thresholds: readonly (Threshold | undefined)[]): Policy {
  return {
    name: "threshold",
    initialFloat: (pool) => thresholds[pool]?.S ?? 0,
    decide(view: DayView): OrderIntent[] {
      const orders: OrderIntent[] = [];
      thresholds.forEach((t, pool) => {
        if (!t) return;
        const position = view.floats[pool]! + view.inTransit[pool]!;
        if (position < t.s) orders.push({ pool, amount: t.S - position, leadDays: t.supply.leadDays, feeBps: t.supply.feeBps, crossChain: t.supply.crossChain });
      });
      return orders;
    },
  };
}

// ---------------------------------------------------------------- forecast-driven

export interface ForecastPolicyOptions {
  book: TransferBook;
  forecaster: Forecaster;
  /** Each pool's daily demand in its asset, whole data set (the policy reads only days ≤ today). */
  demand: readonly Float64Array[];
  /** ISO date of day 0. */
  startDate: string;
  /** Country whose calendar explains the demand (NN5 is British cash machines: "GB"). */
  country: string;
  /** Per pool: the lead time its floor is planned for (which routes may serve it). */
  leadDays: readonly number[];
  treasuries: TreasuryInput[];
  routes: RouteInput[];
  costs: CostInput;
  config: PlanConfig;
  /** Shared across policies with the same forecaster: forecasts depend only on the day. */
  cache?: Map<string, SeriesForecast[]>;
  /** Called with every plan (for sample explanations). */
  onPlan?: (input: PlanInput, result: ReturnType<typeof plan>) => void;
}

/** Forecast horizon every plan asks for: the longest lead time plus the review day. */
export const FORECAST_HORIZON = 3;

export function forecastPolicy(options: ForecastPolicyOptions): Policy {
  const specs = options.book.pools;
  const cache = options.cache ?? new Map<string, SeriesForecast[]>();
  const forecastAt = async (day: number): Promise<SeriesForecast[]> => {
    const key = `${options.forecaster.name}|${day}`;
    let forecasts = cache.get(key);
    if (!forecasts) {
      // Rolling origin: the history ends with `day`; nothing after it is visible.
      const histories = specs.map((spec, p) => ({
        id: spec.id,
        values: options.demand[p]!.subarray(0, day + 1),
        start: options.startDate,
        step: "day" as const,
        country: options.country,
      }));
      forecasts = await options.forecaster.forecast(histories, FORECAST_HORIZON);
      cache.set(key, forecasts);
    }
    return forecasts;
  };

  const planAt = async (view: DayView) => {
    const forecasts = await forecastAt(view.day);
    const date = addDays(options.startDate, view.day + 1);
    const input: PlanInput = {
      now: `${date}T00:00:00Z`,
      mode: "automatic",
      pools: specs.map((spec: PoolSpec, p) => ({
        id: spec.id,
        label: spec.label,
        chain: spec.chain,
        assets: [
          {
            asset: spec.asset,
            holding: view.floats[p]!,
            inTransit: view.inTransit[p]!,
            forecast: { stepHours: 24, quantiles: quantileRecord(forecasts[p]!) },
            leadTimeSteps: options.leadDays[p]!,
            reviewSteps: 1,
            reasons: describeDay(date, options.country),
          },
        ],
      })),
      treasuries: options.treasuries,
      routes: options.routes,
      costs: options.costs,
      config: options.config,
    };
    const result = plan(input);
    options.onPlan?.(input, result);
    return result;
  };

  return {
    name: "forecast",
    async initialFloat(pool, day) {
      const result = await planAt({ day: day - 1, floats: specs.map(() => 0), inTransit: specs.map(() => 0) });
      return result.floors.find((f) => f.pool === specs[pool]!.id)?.floor ?? 0;
    },
    async decide(view) {
      const result = await planAt(view);
      return result.orders.map((order) => {
        const pool = specs.findIndex((s) => s.id === order.pool);
        const fromPool = order.source.kind === "pool" ? specs.findIndex((s) => s.id === order.source.id) : undefined;
        return {
          pool,
          amount: order.amount,
          leadDays: order.route.leadTimeSteps,
          feeBps: order.route.feeBps,
          ...(fromPool !== undefined ? { fromPool } : {}),
          crossChain: order.route.kind !== "same-chain",
        };
      });
    },
  };
}

function quantileRecord(forecast: SeriesForecast): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [level, values] of forecast.quantiles) out[String(level)] = Array.from(values);
  return out;
}
