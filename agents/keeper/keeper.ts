/**
 * The keeper's loop. One tick:
 *   1. settles orders a previous tick (or a previous process) left `sent`, and expires stale ones;
 *   2. ingests new flow events from the chain (from its stored cursor);
 *   3. reads each pool at the latest block: reserves, targets at current prices, prices, bounds, and
 *      the keeper's inventory;
 *   4. per pool asset: scores past forecasts, forecasts today's net outflow (ONNX model or a baseline,
 *      and says which), and keeps the forecast for scoring;
 *   5. plans with the rebalancer (floors, orders, findings);
 *   6. raises and resolves alerts (below floor, floor above target, forecast drift);
 *   7. records the orders (dry run: only logs them; paused: logs them as held) and, unless paused or
 *      dry-running, sends the approved ones, one at a time.
 * Ticks, approvals and rejections run one at a time (a queue), so two never race for the same order
 * or the keeper's nonce.
 */
import { encodeFunctionData, type Address, type Hex, type PublicClient } from "viem";

import { liquidityPoolAbi, routerAbi } from "../../sdk/abis.generated.js";
import type { LiquidityDatabase } from "../liquidity/db/open.js";
import { createChainIngestor } from "../liquidity/flows/chain.js";
import { createFlowStore, DAY_MS, type FlowSource } from "../liquidity/flows/store.js";
import { createAlerts, type AlertCondition, type AlertKind } from "./alerts.js";
import { createExecutor, type ExecutionOutcome, type KeeperWallet, type Log } from "./executor.js";
import { createForecastBook, dailySeries, forecastNet, type ForecastScore, type ModelForecaster, type NetForecast, type SeriesSpec } from "./forecasting.js";
import type { KeeperMetrics } from "./metrics.js";
import { createOrderStore, OPEN_STATES, OrderStateError, type NewOrder, type OrderRow, type OrderStep } from "./orders.js";
import { plan as planOrders, type Mode, type Order, type Plan, type PlanInput } from "./planner.js";
import { baseUnits, priceUsd, readPool, wholeUnits, type PoolState } from "./pool-state.js";

/** Gas of one `pool.rebalance` (order of magnitude for the cost model; bench/results/gas.json has the measured one). */
const REBALANCE_GAS = 120_000;
const DRIFT_KINDS: readonly AlertKind[] = ["below-floor", "floor-above-target", "forecast-drift"];

export interface KeeperPool {
  name: string;
  address: Address;
  /** Only these operators' flows make the pool's demand (all when absent). */
  operators?: string[];
}

export interface KeeperOptions {
  database: LiquidityDatabase;
  publicClient: PublicClient;
  wallet: KeeperWallet;
  chainId: number;
  /** The chain's name in plans (orders for another chain are cross-chain). Default "local" on 31337, else "chain-<id>". */
  chainName?: string;
  vault: Address;
  router?: Address;
  pools: readonly KeeperPool[];
  /** Token address (lower case) → asset symbol. */
  assets: ReadonlyMap<string, string>;
  mode: Mode;
  dryRun?: boolean;
  /** Hours until a replenishment ordered now can be used (default 4). Rounded down to whole days of lead time. */
  leadTimeHours?: number;
  floorQuantile?: number;
  sources?: readonly FlowSource[];
  /** A pending-approval or awaiting-relayer order expires after this (default 1 h): the next plan replaces it. */
  orderTtlMs?: number;
  model?: ModelForecaster;
  /** Why there is no model, for the log and the forecast rows. */
  modelProblem?: string;
  /** Drift when the rolling MASE exceeds this multiple of the validation MASE (default 2) … */
  driftFactor?: number;
  /** … over the last `driftWindow` scored forecasts (default 7), once at least 3 are scored. */
  driftWindow?: number;
  hbarUsd?: number;
  idleFloatAnnualRate?: number;
  startBlock?: bigint;
  metrics: KeeperMetrics;
  log?: Log;
  now?: () => number;
}

export interface TickSummary {
  block: string;
  ingested: number;
  forecasts: Pick<NetForecast, "pool" | "asset" | "forecaster" | "why" | "historyDays">[];
  floors: Plan["floors"];
  created: string[];
  outcomes: ExecutionOutcome[];
  alertsOpened: AlertCondition[];
  findings: Plan["findings"];
}

export class OrderNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No order ${id}.`);
    this.name = "OrderNotFoundError";
  }
}

export function createKeeper(options: KeeperOptions) {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const { db, tables } = options.database;
  const flows = createFlowStore(db, tables, now);
  const store = createOrderStore(db, tables, now);
  const alerts = createAlerts(db, tables, log, now);
  const book = createForecastBook(db, tables, now);
  const executor = createExecutor({ store, publicClient: options.publicClient, wallet: options.wallet, log });
  const metrics = options.metrics;
  const chainName = options.chainName ?? (options.chainId === 31337 ? "local" : `chain-${options.chainId}`);
  const keeperAddress = options.wallet.account.address;
  const sources = options.sources ?? ["pool", "vault"];
  const leadDays = Math.floor((options.leadTimeHours ?? 4) / 24);
  const ttl = options.orderTtlMs ?? 3_600_000;
  const ingestor = createChainIngestor(flows, {
    publicClient: options.publicClient,
    chainId: options.chainId,
    vault: options.vault,
    pools: options.pools,
    assets: options.assets,
    startBlock: options.startBlock,
  });
  const pools = new Map(options.pools.map((p) => [p.name, p]));
  let mode = options.mode;
  let lastPlan: Plan | undefined;
  let lastTick: { at: string; ok: boolean; error?: string; summary?: TickSummary } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };
  const setModeGauge = () => {
    for (const m of ["automatic", "approve", "paused"]) metrics.mode.set({ mode: m }, m === mode ? 1 : 0);
    metrics.dryRun.set(options.dryRun ? 1 : 0);
  };
  setModeGauge();

  async function expireStale(): Promise<void> {
    for (const row of await store.list({ states: ["pending-approval", "awaiting-relayer"] })) {
      if (row.createdAt + ttl > now()) continue;
      if (await store.move(row.id, ["pending-approval", "awaiting-relayer"], "expired", { error: `not ${row.state === "pending-approval" ? "approved" : "relayed"} within ${ttl / 60_000} min` })) {
        log("order.expired", { id: row.id, pool: row.pool, was: row.state });
      }
    }
  }

  function stepsFor(order: Order, state: PoolState): OrderStep[] {
    const token = (symbol: string) => {
      const asset = state.assets.find((a) => a.symbol === symbol);
      if (!asset) throw new Error(`the plan names ${symbol}, which pool ${state.name} does not hold`);
      return asset;
    };
    const steps: OrderStep[] = [];
    if (order.swap) {
      if (!options.router) throw new Error("the plan needs a treasury swap, and the keeper has no router configured");
      const from = token(order.swap.tokenIn);
      const to = token(order.swap.tokenOut);
      const amountIn = baseUnits(order.swap.amountIn, from.decimals);
      const minOut = (baseUnits(order.swap.amountOut, to.decimals) * 995n) / 1000n; // 0.5 % below the plan's quote
      const deadline = BigInt(Math.floor((state.timeMs + ttl) / 1000));
      steps.push({
        label: `swap ${order.swap.amountIn} ${from.symbol} for ≥ ${order.swap.amountOut * 0.995} ${to.symbol}`,
        to: options.router,
        data: encodeFunctionData({ abi: routerAbi, functionName: "swap", args: [[from.token, to.token], [state.address], amountIn, minOut, keeperAddress, deadline] }),
      });
    }
    for (const call of order.calls) {
      const inAsset = token(call.tokenIn);
      const outAsset = token(call.tokenOut);
      const amountIn = baseUnits(call.amountIn, inAsset.decimals);
      const amountOut = baseUnits(call.amountOut, outAsset.decimals);
      steps.push({
        label: `rebalance: bring ${wholeUnits(amountIn, inAsset.decimals)} ${inAsset.symbol}, take ${wholeUnits(amountOut, outAsset.decimals)} ${outAsset.symbol}`,
        to: state.address,
        data: encodeFunctionData({ abi: liquidityPoolAbi, functionName: "rebalance", args: [inAsset.token, amountIn, outAsset.token, amountOut] }),
      });
    }
    return steps;
  }

  function toNewOrder(order: Order, state: PoolState, planInput: PlanInput): NewOrder {
    const pool = pools.get(order.pool)!;
    const crossChain = order.route.kind !== "same-chain" || order.chain !== chainName;
    const decimals = (symbol: string) => state.assets.find((a) => a.symbol === symbol)?.decimals ?? 6;
    const sumOf = (pick: (c: Order["calls"][number]) => [string, number]) => {
      const by = new Map<string, bigint>();
      for (const c of order.calls) {
        const [asset, amount] = pick(c);
        by.set(asset, (by.get(asset) ?? 0n) + baseUnits(amount, decimals(asset)));
      }
      return { assets: [...by.keys()].join("+") || order.asset, amounts: [...by.values()].map(String).join("+") || String(baseUnits(order.amount, decimals(order.asset))) };
    };
    const ins = sumOf((c) => [c.tokenIn, c.amountIn]);
    const outs = sumOf((c) => [c.tokenOut, c.amountOut]);
    const initial = order.status === "pending-approval" ? "pending-approval" : crossChain ? "awaiting-relayer" : "approved";
    const floor = lastPlan?.floors.find((f) => f.pool === order.pool && f.asset === order.asset);
    return {
      // The rebalancer's id is a hash of the planning time, pool, asset and source: the same plan, the same id.
      id: order.id as Hex,
      chainId: options.chainId,
      pool: order.pool,
      poolAddress: pool.address,
      kind: crossChain ? "cross-chain" : "rebalance",
      assetIn: ins.assets,
      amountIn: ins.amounts,
      assetOut: outs.assets,
      amountOut: outs.amounts,
      state: initial,
      mode,
      explanation: order.explanation,
      plannedBlock: state.block,
      payload: {
        steps: crossChain ? [] : stepsFor(order, state),
        plan: { now: planInput.now, asset: order.asset, amount: order.amount, amountUsd: order.amountUsd, route: order.route, source: order.source, floor },
        planOrderId: order.id,
      },
      decidedBy: initial === "pending-approval" ? undefined : "automatic",
    };
  }

  async function inTransit(pool: string): Promise<Map<string, number>> {
    const open = await store.list({ pool, states: OPEN_STATES });
    const by = new Map<string, number>();
    for (const row of open) {
      const p = JSON.parse(row.payload) as { plan?: { asset?: string; amount?: number } };
      if (p.plan?.asset && typeof p.plan.amount === "number") by.set(p.plan.asset, (by.get(p.plan.asset) ?? 0) + p.plan.amount);
    }
    return by;
  }

  async function sendApproved(): Promise<ExecutionOutcome[]> {
    if (mode === "paused" || options.dryRun) return [];
    const outcomes: ExecutionOutcome[] = [];
    for (const row of (await store.list({ states: ["approved"] })).reverse()) outcomes.push(await execute(row));
    return outcomes;
  }

  async function execute(row: OrderRow): Promise<ExecutionOutcome> {
    if (row.kind === "cross-chain") {
      const moved = await store.move(row.id, ["approved"], "awaiting-relayer");
      if (moved) log("order.awaiting-relayer", { id: row.id, pool: row.pool, note: "cross-chain moves go through the CCTP relayer, which does not exist yet" });
      return { id: row.id, state: moved?.state ?? row.state };
    }
    const outcome = await executor.run(row.id);
    await afterOutcome(outcome);
    return outcome;
  }

  async function afterOutcome(outcome: ExecutionOutcome) {
    const row = await store.get(outcome.id);
    if (!row) return;
    const asset = (JSON.parse(row.payload) as { plan?: { asset?: string } }).plan?.asset ?? row.assetIn;
    if (outcome.state === "failed") {
      const { opened } = await alerts.raise({ kind: "order-failed", severity: "warning", pool: row.pool, asset, message: `order ${row.id} failed: ${outcome.error ?? row.error}`, details: { order: row.id } });
      if (opened) metrics.alertsOpened.inc({ kind: "order-failed" });
    } else if (outcome.state === "done") await alerts.resolve("order-failed", row.pool, asset);
  }

  async function tick(): Promise<TickSummary> {
    // 1. What earlier ticks left in flight (a dry run sends nothing, re-broadcasts included).
    const settled = options.dryRun ? [] : await executor.reconcile();
    for (const o of settled) await afterOutcome(o);
    await expireStale();
    // 2. New flows.
    const ingested = await ingestor.ingest();
    metrics.flowEvents.inc(ingested.inserted);
    // 3–4. Pools and forecasts.
    // The head itself, not viem's cached block number: the day and the plan are those of the block read.
    const block = (await options.publicClient.getBlock({ blockTag: "latest" })).number;
    const states: PoolState[] = [];
    const forecasts: NetForecast[] = [];
    const scores: ForecastScore[] = [];
    const planPools: PlanInput["pools"] = [];
    for (const pool of options.pools) {
      const state = await readPool(options.publicClient, pool, keeperAddress, options.assets, block);
      states.push(state);
      const today = Math.floor(state.timeMs / DAY_MS) * DAY_MS;
      const transit = await inTransit(pool.name);
      const assets: PlanInput["pools"][number]["assets"] = [];
      for (const a of state.assets) {
        const spec: SeriesSpec = { pool: pool.name, asset: a.symbol, decimals: a.decimals, sources, operators: pool.operators };
        const series = await dailySeries(flows, spec, today);
        await book.score(spec, series, today);
        const forecast = await forecastNet(series, spec, leadDays + 1, options.model, options.modelProblem);
        forecasts.push(forecast);
        if (forecast.forecaster !== "none") await book.keep(forecast, today);
        scores.push(await book.rolling(pool.name, a.symbol, options.driftWindow ?? 7));
        assets.push({
          asset: a.symbol,
          holding: wholeUnits(a.reserve, a.decimals),
          inTransit: transit.get(a.symbol) ?? 0,
          target: wholeUnits(a.target, a.decimals),
          forecast: { stepHours: 24, quantiles: forecast.quantiles },
          leadTimeSteps: leadDays,
          reviewSteps: 1,
        });
      }
      planPools.push({
        id: pool.name,
        label: pool.name,
        chain: chainName,
        bounds: { maxRebalanceBps: state.params.maxRebalanceBps, spreadBps: state.params.spreadBps, imbalanceSlope: Number(state.params.imbalanceSlope) / 1e18 },
        assets,
      });
    }
    // 5. Plan.
    const first = states[0];
    const pricesUsd = Object.fromEntries(states.flatMap((s) => s.assets.map((a) => [a.symbol, priceUsd(a.priceWad)])));
    const inventory = new Map<string, number>();
    for (const s of states) for (const a of s.assets) inventory.set(a.symbol, wholeUnits(a.inventory, a.decimals));
    const input: PlanInput = {
      now: new Date(first?.timeMs ?? now()).toISOString(),
      mode,
      pools: planPools,
      treasuries: [...inventory].map(([asset, available]) => ({ id: "keeper", chain: chainName, asset, available })),
      costs: {
        pricesUsd,
        gasPriceWeibar: Number(await options.publicClient.getGasPrice()),
        hbarUsd: options.hbarUsd ?? 0.2,
        rebalanceGas: REBALANCE_GAS,
        idleFloatAnnualRate: { "*": options.idleFloatAnnualRate ?? 0.05 },
      },
      config: { floorQuantile: options.floorQuantile ?? 0.9 },
    };
    const plan = planOrders(input);
    lastPlan = plan;
    // 6. Metrics and alerts.
    for (const s of states) {
      for (const a of s.assets) {
        metrics.float.set({ pool: s.name, asset: a.symbol }, wholeUnits(a.reserve, a.decimals));
        metrics.target.set({ pool: s.name, asset: a.symbol }, wholeUnits(a.target, a.decimals));
        metrics.inventory.set({ asset: a.symbol }, wholeUnits(a.inventory, a.decimals));
      }
    }
    metrics.forecaster.reset();
    for (const f of forecasts) metrics.forecaster.set({ pool: f.pool, asset: f.asset, forecaster: f.forecaster }, 1);
    for (const s of scores) {
      if (s.mae !== undefined) metrics.forecastMae.set({ pool: s.pool, asset: s.asset }, s.mae);
      if (s.mase !== undefined) metrics.forecastMase.set({ pool: s.pool, asset: s.asset }, s.mase);
      if (s.validationMase !== undefined) metrics.validationMase.set({ pool: s.pool, asset: s.asset }, s.validationMase);
    }
    const conditions: AlertCondition[] = [];
    for (const f of plan.floors) {
      metrics.floor.set({ pool: f.pool, asset: f.asset }, f.floor);
      if (f.floor > 0 && f.holding < f.floor) {
        conditions.push({
          kind: "below-floor",
          severity: f.holding < f.floor / 2 ? "critical" : "warning",
          pool: f.pool,
          asset: f.asset,
          message: `${f.pool} holds ${round(f.holding)} ${f.asset}, below its floor of ${round(f.floor)} (P${Math.round(f.quantile * 100)} of forecast net outflow over ${f.horizonSteps * f.stepHours} h)`,
          details: { holding: f.holding, floor: f.floor, inTransit: f.inTransit },
        });
      }
    }
    for (const finding of plan.findings) {
      if (finding.kind === "floor-above-target" && finding.pool && finding.asset) {
        conditions.push({ kind: "floor-above-target", severity: "warning", pool: finding.pool, asset: finding.asset, message: finding.text, details: { amount: finding.amount } });
      }
    }
    const factor = options.driftFactor ?? 2;
    for (const s of scores) {
      if (s.scored >= 3 && s.mase !== undefined && s.validationMase !== undefined && s.validationMase > 0 && s.mase > factor * s.validationMase) {
        conditions.push({
          kind: "forecast-drift",
          severity: "warning",
          pool: s.pool,
          asset: s.asset,
          message: `${s.pool} ${s.asset}: rolling MASE ${s.mase.toFixed(2)} over the last ${s.scored} days is more than ${factor}× the ${s.validationMase.toFixed(2)} ${s.forecaster} scored on the series' history`,
          details: { mase: s.mase, validationMase: s.validationMase, scored: s.scored, forecaster: s.forecaster },
        });
      }
    }
    const opened = await alerts.reconcile(DRIFT_KINDS, conditions);
    for (const c of opened) metrics.alertsOpened.inc({ kind: c.kind });
    // 7. Orders.
    for (const f of forecasts) log("forecast", { pool: f.pool, asset: f.asset, forecaster: f.forecaster, why: f.why, historyDays: f.historyDays, p50: round(f.quantiles["0.5"]![0]!), p90: round(f.quantiles["0.9"]![0]!) });
    const created: string[] = [];
    for (const order of plan.orders) {
      const state = states.find((s) => s.name === order.pool)!;
      if (options.dryRun || mode === "paused") {
        log("order.planned", { id: order.id, pool: order.pool, asset: order.asset, amount: order.amount, calls: order.calls.length, held: true, why: options.dryRun ? "dry run" : "paused", explanation: order.explanation });
        continue;
      }
      const { row, created: isNew } = await store.insert(toNewOrder(order, state, input));
      if (isNew) {
        created.push(row.id);
        log("order.planned", { id: row.id, pool: row.pool, asset: order.asset, amount: order.amount, state: row.state, explanation: row.explanation });
      }
    }
    for (const finding of plan.findings) log("plan.finding", { kind: finding.kind, pool: finding.pool, asset: finding.asset, text: finding.text });
    const outcomes = [...settled, ...(await sendApproved())];
    return {
      block: block.toString(),
      ingested: ingested.inserted,
      forecasts: forecasts.map(({ pool, asset, forecaster, why, historyDays }) => ({ pool, asset, forecaster, why, historyDays })),
      floors: plan.floors,
      created,
      outcomes,
      alertsOpened: opened,
      findings: plan.findings,
    };
  }

  return {
    store,
    alerts,
    flows,
    metrics,
    get mode() {
      return mode;
    },
    dryRun: options.dryRun ?? false,
    lastPlan: () => lastPlan,
    /** Resolves when nothing is running (the current tick or approval has finished). */
    idle: () => queue.then(() => undefined),
    lastTick: () => lastTick,

    /** One loop run; failures are logged, counted and returned (the loop goes on). */
    tick(): Promise<TickSummary> {
      return serial(async () => {
        try {
          const summary = await tick();
          metrics.ticks.inc({ outcome: "ok" });
          metrics.lastTick.set(now() / 1000);
          lastTick = { at: new Date(now()).toISOString(), ok: true, summary };
          return summary;
        } catch (error) {
          const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
          metrics.ticks.inc({ outcome: "error" });
          lastTick = { at: new Date(now()).toISOString(), ok: false, error: message };
          log("tick.failed", { error: message });
          throw error;
        }
      });
    },

    /** Start-up: settles what a previous process left in flight, before anything new is planned. */
    reconcile(): Promise<ExecutionOutcome[]> {
      return serial(async () => {
        if (options.dryRun) return [];
        const outcomes = await executor.reconcile();
        for (const o of outcomes) await afterOutcome(o);
        if (outcomes.length) log("reconciled", { orders: outcomes });
        return outcomes;
      });
    },

    /** An admin approves a pending order: it is sent now unless the keeper is paused or dry-running. */
    approve(id: string, by = "admin"): Promise<{ row: OrderRow; outcome?: ExecutionOutcome }> {
      return serial(async () => {
        const row = await store.get(id);
        if (!row) throw new OrderNotFoundError(id);
        const moved = await store.move(id, ["pending-approval"], "approved", { decidedBy: by });
        if (!moved) throw new OrderStateError(id, row.state, "approved");
        log("order.approved", { id, pool: row.pool, by });
        if (mode === "paused" || options.dryRun) return { row: moved };
        const outcome = await execute(moved);
        return { row: (await store.get(id))!, outcome };
      });
    },

    reject(id: string, by = "admin"): Promise<OrderRow> {
      return serial(async () => {
        const row = await store.get(id);
        if (!row) throw new OrderNotFoundError(id);
        const moved = await store.move(id, ["pending-approval"], "rejected", { decidedBy: by });
        if (!moved) throw new OrderStateError(id, row.state, "rejected");
        log("order.rejected", { id, pool: row.pool, by });
        return moved;
      });
    },

    setMode(next: Mode): void {
      if (next !== mode) log("mode", { from: mode, to: next });
      mode = next;
      setModeGauge();
    },

    /** Refreshes the gauges that count rows (orders by state, open alerts by kind). */
    async refreshCounts(): Promise<void> {
      for (const [state, n] of Object.entries(await store.countsByState())) metrics.orders.set({ state }, n);
      const open = await alerts.list({ open: true, limit: 10_000 });
      for (const kind of ["below-floor", "floor-above-target", "forecast-drift", "order-failed"]) metrics.alerts.set({ kind }, open.filter((a) => a.kind === kind).length);
    },
  };
}

export type Keeper = ReturnType<typeof createKeeper>;

const round = (x: number) => Math.round(x * 1e6) / 1e6;
