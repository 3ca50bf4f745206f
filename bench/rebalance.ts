/**
 * npm run bench:rebalance — the rebalancing backtest on NN5 (see agents/liquidity/docs/rebalance.md).
 *
 * 111 NN5 series are 111 agents' daily cash-out demand in six operator pools (bench/lib/backtest-network.ts).
 * Three policies run over the test window (days 736–791) on the same transfers:
 *   none       a generous starting float (30 days of recent mean demand), never refilled;
 *   threshold  the best static (s, S) per pool, searched on the training window (days 371–735) for the
 *              least float whose failure rate there is ≤ 0.25 % (half the 0.5 % target, see TUNING_TARGET);
 *   forecast   the planner (agents/liquidity/rebalance) with forecasts re-made every day from the history
 *              up to that day; its forecaster, quantile, aggregation and Kenyan lead time are tuned by the
 *              same rule on days 680–735, the last training days the ONNX model used for tuning has not
 *              seen: that model is trained on windows ending by day 679 (as train:forecast's validation
 *              run), and the committed model (trained to day 735) runs on the test window. Tuning on days
 *              a model was trained on scores its in-sample forecasts, which are better than it will do,
 *              and picks a floor too low.
 * Writes bench/results/rebalance.json.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import * as forecast from "../agents/liquidity/forecast/index.js";
import type { Forecaster, SeriesForecast } from "../agents/liquidity/forecast/types.js";
import type { PlanConfig, PlanInput, Plan } from "../agents/liquidity/rebalance/types.js";
import { run, TransferBook, type RunResult } from "./lib/backtest.js";
import { network, planCosts, ROUTES, simCosts, SUPPLY, TREASURIES, KES_PER_USD, NGN_PER_USD, HBAR_USD, IDLE_RATE } from "./lib/backtest-network.js";
import { FORECAST_HORIZON, forecastPolicy, nonePolicy, thresholdPolicy } from "./lib/backtest-policies.js";
import { better, searchThresholds } from "./lib/backtest-search.js";

const SEED = Number(process.env.REBALANCE_SEED ?? 20_260_301);
const TARGET = 0.005;
/**
 * Both policies are tuned to half the target. A rule tuned to just meet a rare-event target on past
 * days (0.5 % of transfers is a few dozen in a pool's month) goes over it on new days about as often
 * as not: tuned to the edge, the threshold policy went from 0.46 % to 0.57 % and the forecast policy
 * from 0.38 % to 0.55 % on the test window (agents/liquidity/docs/rebalance.md).
 */
const TUNING_TARGET = TARGET / 2;
/** 0-based day indices. Training ends at index 734 (day 735); the test window is indices 735–790. */
const TUNE = { from: 370, to: 734 };
/** The forecast policy's tuning window: days 680–735, after the tuning model's training days. */
const FORECAST_TUNE = { from: forecast.NN5_VALIDATION_END, to: 734 };
const TUNING_MODEL = path.resolve(import.meta.dirname, `../.data/bench/nn5-mlp-to-day-${forecast.NN5_VALIDATION_END}.onnx`);
const TEST = { from: 735, to: 790 };
const NONE_DAYS = 30;
/** Floor quantiles tried for the forecast policy (the baselines give levels up to 0.99). */
const QUANTILES = [0.8, 0.85, 0.9, 0.925, 0.95, 0.965, 0.975, 0.985, 0.99];
const OUT = path.resolve(import.meta.dirname, "results/rebalance.json");

const log = (...args: unknown[]) => console.log(...args);
const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

async function main() {
  const started = performance.now();
  const nn5 = forecast.loadNn5();
  const specs = network(nn5.series.length);
  const book = new TransferBook(specs, (agent, day) => nn5.series[agent]![day]!, SEED);
  const days = nn5.dates.length;
  const demand = specs.map((_, p) => Float64Array.from({ length: days }, (_, d) => book.demand(p, d)));
  const costs = simCosts();

  // ------------------------------------------------------------ threshold: grid search per pool on training
  log("threshold: searching (s, S) per pool on days", TUNE.from + 1, "to", TUNE.to + 1);
  const thresholdSearch = await searchThresholds(book, demand, costs, TUNE, TUNE, TUNING_TARGET, log);
  const thresholds = thresholdSearch.map((x) => x.threshold);

  // ------------------------------------------------------------ forecast: tune on training
  const forecasters = await availableForecasters("tuning");
  const cache = new Map<string, SeriesForecast[]>();
  const planCostsInput = planCosts();
  const makeForecastPolicy = (f: Forecaster, config: PlanConfig, keLead: number, onPlan?: (i: PlanInput, r: Plan) => void, forecastCache = cache) =>
    forecastPolicy({
      book,
      forecaster: f,
      demand,
      startDate: nn5.dates[0]!,
      country: forecast.NN5_COUNTRY,
      leadDays: specs.map((s) => (s.chain === "hedera" ? SUPPLY.sameChain.leadDays : keLead)),
      treasuries: TREASURIES,
      routes: ROUTES,
      costs: planCostsInput,
      config,
      cache: forecastCache,
      ...(onPlan ? { onPlan } : {}),
    });

  log("forecast: tuning forecaster, quantile, aggregation and Kenyan lead time on days", FORECAST_TUNE.from + 1, "to", FORECAST_TUNE.to + 1, `(forecasters: ${forecasters.map((f) => f.name).join(", ")})`);
  const tuning: { forecaster: string; quantile: number; aggregation: string; ke_lead_days: number; failure_rate: number; avg_float: number; cost_per_transfer_usd: number }[] = [];
  let bestForecast: { f: Forecaster; config: PlanConfig; keLead: number; r: RunResult } | undefined;
  let fallbackForecast: typeof bestForecast;
  for (const f of forecasters) {
    for (const aggregation of ["sum-of-quantiles", "independent"] as const) {
      for (const quantile of QUANTILES) {
        for (const keLead of [SUPPLY.cctpFast.leadDays, SUPPLY.cctpStandard.leadDays]) {
          const config: PlanConfig = { floorQuantile: quantile, aggregation };
          const r = await run(book, makeForecastPolicy(f, config, keLead), costs, FORECAST_TUNE);
          tuning.push({ forecaster: f.name, quantile, aggregation, ke_lead_days: keLead, failure_rate: round(r.failure_rate), avg_float: round(r.avg_float), cost_per_transfer_usd: round(r.cost_per_transfer_usd) });
          if (r.failure_rate <= TUNING_TARGET && (!bestForecast || better(r, bestForecast.r))) bestForecast = { f, config, keLead, r };
          if (!fallbackForecast || r.failure_rate < fallbackForecast.r.failure_rate) fallbackForecast = { f, config, keLead, r };
        }
      }
      log(`  ${f.name} ${aggregation}: done (${Math.round((performance.now() - started) / 1000)} s)`);
    }
  }
  const chosenForecast = bestForecast ?? fallbackForecast!;
  log(`  chosen: ${chosenForecast.f.name}, P${chosenForecast.config.floorQuantile! * 100}, ${chosenForecast.config.aggregation}, Kenyan lead ${chosenForecast.keLead} d; training failure ${(100 * chosenForecast.r.failure_rate).toFixed(3)} %, float $${Math.round(chosenForecast.r.avg_float)}`);

  // ------------------------------------------------------------ the test window
  log("test window: days", TEST.from + 1, "to", TEST.to + 1);
  const none = await run(book, nonePolicy(book, NONE_DAYS), costs, TEST);
  const threshold = await run(book, thresholdPolicy(thresholds), costs, TEST);
  const samples: string[] = [];
  const testForecasters = await availableForecasters("test");
  const testForecaster = testForecasters.find((f) => f.name === chosenForecast.f.name)!;
  const forecastRun = await run(
    book,
    makeForecastPolicy(
      testForecaster,
      chosenForecast.config,
      chosenForecast.keLead,
      (input, result) => {
        if (samples.length < 6 && input.now >= nn5.dates[TEST.from]!) samples.push(...result.explanations.slice(0, 6 - samples.length));
      },
      new Map(),
    ),
    costs,
    TEST,
  );

  // A bound, not a policy: (s, S) searched on the test window itself (it peeks) for the forecast policy's
  // test failure rate. No static threshold chosen in advance can hold less float at that failure rate.
  log("threshold tuned on the test window itself, at the forecast policy's failure rate (peeks; a bound)");
  const oracleSearch = await searchThresholds(book, demand, costs, TEST, TUNE, Math.max(forecastRun.failure_rate, 1e-9), log);
  const oracle = await run(book, thresholdPolicy(oracleSearch.map((x) => x.threshold)), costs, TEST);

  const summary = (r: RunResult, extra: Record<string, unknown>) => ({
    failure_rate: round(r.failure_rate),
    avg_float: round(r.avg_float),
    avg_float_unit: "USD (time-average float held in the pools, summed over pools)",
    cost_per_transfer_usd: round(r.cost_per_transfer_usd),
    rebalances: r.rebalances,
    cross_chain_rebalances: r.cross_chain_rebalances,
    pool_to_pool_rebalances: r.pool_to_pool_rebalances,
    avg_in_transit_usd: round(r.avg_in_transit),
    transfers: r.transfers,
    failed: r.failed,
    cost_usd: Object.fromEntries(Object.entries(r.cost_usd).map(([k, v]) => [k, round(v)])),
    pools: r.pools.map((p) => ({ ...p, failure_rate: round(p.failure_rate), avg_float: round(p.avg_float), avg_float_usd: round(p.avg_float_usd) })),
    ...extra,
  });
  const reduction = 1 - forecastRun.avg_float / threshold.avg_float;
  const result = {
    set_up: {
      data: "NN5 gap-filled (nn5_daily_monash_imputed.csv), 111 series = 111 agents",
      pools: specs.map((s) => ({ id: s.id, chain: s.chain, asset: s.asset, currency: s.currency, agents: s.agents.length, currency_per_nn5_unit: s.currencyPerNn5 })),
      grouping: "series i (0-based) → pool i mod 6",
      transfers: "each agent-day's demand cut into lognormal sizes (NG median ₦15,000, KE median KSh 1,500, log-sd 0.9, capped at ₦500k / KSh 150k), last one the remainder, shuffled within the pool; seeded",
      seed: SEED,
      failure: "a transfer fails when its pool's float is below its size; failed demand is lost",
      lead_days: { same_chain: SUPPLY.sameChain.leadDays, cctp_standard: SUPPLY.cctpStandard.leadDays, cctp_fast: SUPPLY.cctpFast.leadDays },
      fx: { NGN_per_USD: NGN_PER_USD, KES_per_USD: KES_PER_USD, HBAR_USD },
      idle_float_annual_rate: IDLE_RATE,
      training_window_days: [TUNE.from + 1, TUNE.to + 1],
      forecast_tuning_window_days: [FORECAST_TUNE.from + 1, FORECAST_TUNE.to + 1],
      forecast_tuning_model: `ONNX model trained on windows ending by day ${forecast.NN5_VALIDATION_END} (same config and seeds as the committed one); the committed model (to day 735) on the test window`,
      test_window_days: [TEST.from + 1, TEST.to + 1],
      failure_target: TARGET,
      tuning_failure_target: TUNING_TARGET,
      forecast_horizon_days: FORECAST_HORIZON,
    },
    policies: {
      none: summary(none, { initial_float_days_of_mean_demand: NONE_DAYS }),
      threshold: summary(threshold, { params: thresholdSearch.map((x) => x.record), search: "per pool and supply route: coarse grid s ∈ {0.5, 0.75, …, 8}·μ × S − s ∈ {0, 0.5, 1, 2, 4}·μ, then fine grid s ± 0.3·μ in steps of 0.025·μ × S − s ∈ {0, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4}·μ (μ = mean daily demand on training); least training float with training failure ≤ 0.25 % (half the target)" }),
      forecast: summary(forecastRun, {
        forecaster: chosenForecast.f.name,
        quantile: chosenForecast.config.floorQuantile,
        aggregation: chosenForecast.config.aggregation,
        ke_lead_days: chosenForecast.keLead,
        training: { failure_rate: round(chosenForecast.r.failure_rate), avg_float: round(chosenForecast.r.avg_float) },
        tuning,
      }),
    },
    comparison: {
      threshold_tuned_on_test: {
        note: "(s, S) per pool searched on the test window itself (peeking) to fail no more than the forecast policy did there: the least float any static threshold could have held at that failure rate",
        failure_rate: round(oracle.failure_rate),
        avg_float: round(oracle.avg_float),
        cost_per_transfer_usd: round(oracle.cost_per_transfer_usd),
        params: oracleSearch.map((x) => x.record),
      },
      forecast_float_vs_threshold_tuned_on_test: round(forecastRun.avg_float / oracle.avg_float, 4),
      forecast_float_vs_threshold: round(forecastRun.avg_float / threshold.avg_float, 4),
      float_reduction_vs_threshold: round(reduction, 4),
      forecast_failure_below_target: forecastRun.failure_rate < TARGET,
      forecast_failure_at_or_below_threshold: forecastRun.failure_rate <= threshold.failure_rate,
      // The aim: under 0.5 %, with at least 30 % less float than the best threshold policy at the same
      // or lower failure rate. The best (s, S) at the forecast policy's failure rate is the one searched
      // on the test window itself, so it is the hardest comparison there is (no (s, S) chosen in advance
      // can hold less float and fail no more there).
      float_reduction_vs_best_threshold_at_same_or_lower_failure: round(1 - forecastRun.avg_float / oracle.avg_float, 4),
      aim_met: forecastRun.failure_rate < TARGET && oracle.failure_rate <= forecastRun.failure_rate && forecastRun.avg_float <= 0.7 * oracle.avg_float,
    },
    sample_explanations: samples,
    run_s: round((performance.now() - started) / 1000, 3),
  };
  writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
  for (const f of [...forecasters, ...testForecasters]) await (f as Partial<forecast.OnnxForecaster>).close?.();

  log("\npolicy       failure %   avg float $   cost/transfer $   rebalances");
  for (const [name, r] of [["none", none], ["threshold", threshold], ["forecast", forecastRun], ["(s,S) on test", oracle]] as const) {
    log(`${name.padEnd(12)} ${(100 * r.failure_rate).toFixed(3).padStart(8)}   ${Math.round(r.avg_float).toLocaleString("en").padStart(11)}   ${r.cost_per_transfer_usd.toFixed(5).padStart(15)}   ${String(r.rebalances).padStart(10)}`);
  }
  log(`\nforecast float vs threshold: ${(100 * (1 - reduction)).toFixed(1)} % (${(100 * reduction).toFixed(1)} % less)`);
  log(`forecast float vs (s, S) tuned on the test window at the forecast's failure rate: ${(100 * result.comparison.forecast_float_vs_threshold_tuned_on_test).toFixed(1)} %; aim met: ${result.comparison.aim_met}`);
  log(`wrote ${path.relative(process.cwd(), OUT)}`);
}

/**
 * The forecast helper's baselines, and its ONNX model when the committed file is there: for tuning, the
 * same model trained only on windows ending by day 680 (trained here once, then kept in .data/bench);
 * for the test window, the committed model.
 */
async function availableForecasters(phase: "tuning" | "test"): Promise<Forecaster[]> {
  const list: Forecaster[] = [forecast.seasonalNaive(), forecast.ets(), forecast.theta()];
  if (!existsSync(forecast.NN5_MODEL_PATH)) {
    log(`(no ONNX model at ${path.relative(process.cwd(), forecast.NN5_MODEL_PATH)}: \`npm run train:forecast\` builds it; tuning the baselines only)`);
    return list;
  }
  if (phase === "test") return [...list, await forecast.loadOnnxForecaster(forecast.NN5_MODEL_PATH)];
  if (!existsSync(TUNING_MODEL)) {
    log(`training the tuning model (windows ending by day ${forecast.NN5_VALIDATION_END}; a few minutes, once) …`);
    const trained = await forecast.trainOnNn5(forecast.loadNn5(), forecast.NN5_MODEL_CONFIG, forecast.NN5_VALIDATION_END, { log: (line: string) => log(`  ${line}`) });
    mkdirSync(path.dirname(TUNING_MODEL), { recursive: true });
    writeFileSync(TUNING_MODEL, forecast.exportOnnx(trained.members, trained.spec));
  }
  return [...list, await forecast.loadOnnxForecaster(TUNING_MODEL)];
}

await main();
