/**
 * The keeper's one integration point with the rebalancer (agents/liquidity/rebalance): the planner's
 * input and output shapes (the subset the keeper builds and reads, as the rebalancer declares them in
 * rebalance/types.ts) and the `plan` function the keeper calls.
 *
 * Until the rebalancer is merged, `plan` here is a stand-in that follows the same rules in their
 * simplest form: floor = Σ over the horizon of the P90 (configurable) of daily net outflow; an asset
 * below its floor gets the gap (capped by its on-chain target and the keeper's inventory) brought in
 * from the keeper's inventory, against the asset with the most value above its target, split into
 * calls of at most maxRebalanceBps of pool value, each keeping back a 1 bp haircut so value out < value
 * in at the oracle price. Order ids hash the planning time, pool, asset and source, like the
 * rebalancer's, so the same plan gives the same ids. Replace the body with the rebalancer's `plan`.
 */
import { createHash } from "node:crypto";

export type Mode = "automatic" | "approve" | "paused";
export const MODES: readonly Mode[] = ["automatic", "approve", "paused"];

export interface OutflowForecast {
  stepHours: number;
  quantiles: Record<string, number[]>;
}

export interface PoolBounds {
  maxRebalanceBps: number;
  spreadBps: number;
  imbalanceSlope: number;
}

export interface PoolAssetInput {
  asset: string;
  holding: number;
  inTransit?: number;
  target?: number;
  forecast?: OutflowForecast;
  leadTimeSteps?: number;
  reviewSteps?: number;
  reasons?: string[];
}

export interface PoolInput {
  id: string;
  label?: string;
  chain: string;
  bounds?: PoolBounds;
  assets: PoolAssetInput[];
}

export interface TreasuryInput {
  id: string;
  chain: string;
  asset: string;
  available: number;
}

export interface CostInput {
  pricesUsd: Record<string, number>;
  gasPriceWeibar: number;
  hbarUsd: number;
  rebalanceGas: number;
  idleFloatAnnualRate: Record<string, number>;
  valueHaircutBps?: number;
}

export interface PlanConfig {
  floorQuantile?: number;
  minOrderUsd?: number;
  toleranceUsd?: number;
}

export interface PlanInput {
  now: string;
  mode: Mode;
  pools: PoolInput[];
  treasuries?: TreasuryInput[];
  costs: CostInput;
  config?: PlanConfig;
}

export interface Floor {
  pool: string;
  asset: string;
  medianOutflow: number;
  floor: number;
  quantile: number;
  horizonSteps: number;
  stepHours: number;
  holding: number;
  inTransit: number;
  gap: number;
}

export interface RebalanceCall {
  pool: string;
  tokenIn: string;
  amountIn: number;
  tokenOut: string;
  amountOut: number;
}

export interface SwapCall {
  pool: string;
  tokenIn: string;
  amountIn: number;
  tokenOut: string;
  amountOut: number;
}

export type OrderStatus = "held" | "pending-approval" | "approved" | "awaiting-relayer" | "sent" | "done" | "failed" | "rejected" | "expired";
export type RouteKind = "same-chain" | "cctp-standard" | "cctp-fast";

export interface Order {
  id: string;
  status: OrderStatus;
  pool: string;
  chain: string;
  asset: string;
  amount: number;
  amountUsd: number;
  source: { kind: "pool" | "treasury"; id: string; chain: string; asset: string };
  route: { kind: RouteKind; feeBps: number; leadTimeSteps: number };
  swap?: SwapCall;
  calls: RebalanceCall[];
  explanation: string;
}

export interface Finding {
  kind: "short" | "floor-above-target" | "below-minimum" | "paused";
  pool?: string;
  asset?: string;
  amount?: number;
  text: string;
}

export interface Plan {
  now: string;
  mode: Mode;
  floors: Floor[];
  orders: Order[];
  findings: Finding[];
  explanations: string[];
}

const BPS = 10_000;
const initialStatus = (mode: Mode): OrderStatus => (mode === "automatic" ? "approved" : mode === "approve" ? "pending-approval" : "held");
const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: x >= 100 ? 0 : 4 });

export function plan(input: PlanInput): Plan {
  const q = input.config?.floorQuantile ?? 0.9;
  const minOrderUsd = input.config?.minOrderUsd ?? 50;
  const tolerance = input.config?.toleranceUsd ?? 1;
  const haircut = (input.costs.valueHaircutBps ?? 1) / BPS;
  const price = (asset: string) => input.costs.pricesUsd[asset] ?? 0;
  const available = new Map((input.treasuries ?? []).map((t) => [`${t.chain}|${t.asset}`, t.available]));
  const floors: Floor[] = [];
  const orders: Order[] = [];
  const findings: Finding[] = [];
  const level = (f: OutflowForecast, l: number) => f.quantiles[Object.keys(f.quantiles).find((k) => Number(k) === l) ?? ""] ?? [];

  for (const pool of input.pools) {
    const holdings = new Map(pool.assets.map((a) => [a.asset, a.holding]));
    const value = () => pool.assets.reduce((s, a) => s + holdings.get(a.asset)! * price(a.asset), 0);
    for (const a of pool.assets) {
      if (!a.forecast) continue;
      const horizon = (a.leadTimeSteps ?? 0) + (a.reviewSteps ?? 1);
      const sum = (l: number) => level(a.forecast!, l).slice(0, horizon).reduce((s, v) => s + v, 0);
      const floor = Math.max(0, sum(q));
      const inTransit = a.inTransit ?? 0;
      const gap = Math.max(0, floor - a.holding - inTransit);
      floors.push({ pool: pool.id, asset: a.asset, medianOutflow: sum(0.5), floor, quantile: q, horizonSteps: horizon, stepHours: a.forecast.stepHours, holding: a.holding, inTransit, gap });
      if (gap * price(a.asset) <= tolerance) continue;
      const label = pool.label ?? pool.id;
      if (a.target !== undefined && floor > a.target) {
        findings.push({ kind: "floor-above-target", pool: pool.id, asset: a.asset, amount: floor - a.target, text: `${label} ${a.asset}: the floor ${fmt(floor)} is above the pool's target ${fmt(a.target)}; a keeper rebalance stops at the target, the rest needs deposits or a new weight.` });
      }
      const room = a.target === undefined ? gap : Math.max(0, a.target - a.holding - inTransit);
      const inventory = available.get(`${pool.chain}|${a.asset}`) ?? 0;
      let want = Math.min(gap, room, inventory);
      if (want < Math.min(gap, room)) findings.push({ kind: "short", pool: pool.id, asset: a.asset, amount: Math.min(gap, room) - want, text: `${label} ${a.asset}: the keeper holds ${fmt(inventory)}, short of the ${fmt(Math.min(gap, room))} needed.` });
      if (want * price(a.asset) < minOrderUsd) {
        if (want > 0) findings.push({ kind: "below-minimum", pool: pool.id, asset: a.asset, amount: want, text: `${label} ${a.asset}: ${fmt(want)} is worth less than the $${minOrderUsd} an order must be worth.` });
        continue;
      }
      const calls: RebalanceCall[] = [];
      const cap = (value() * (pool.bounds?.maxRebalanceBps ?? BPS)) / BPS;
      const counters = pool.assets
        .filter((c) => c.asset !== a.asset && c.target !== undefined)
        .map((c) => ({ asset: c.asset, excessUsd: (holdings.get(c.asset)! - c.target!) * price(c.asset) }))
        .filter((c) => c.excessUsd > 0)
        .sort((x, y) => y.excessUsd - x.excessUsd);
      let remainingUsd = want * price(a.asset);
      for (const c of counters) {
        let excess = c.excessUsd;
        while (remainingUsd > 1e-6 && excess > 1e-6) {
          const valueIn = Math.min(remainingUsd, cap, excess / (1 - haircut));
          calls.push({ pool: pool.id, tokenIn: a.asset, amountIn: valueIn / price(a.asset), tokenOut: c.asset, amountOut: (valueIn * (1 - haircut)) / price(c.asset) });
          holdings.set(a.asset, holdings.get(a.asset)! + valueIn / price(a.asset));
          holdings.set(c.asset, holdings.get(c.asset)! - (valueIn * (1 - haircut)) / price(c.asset));
          remainingUsd -= valueIn;
          excess -= valueIn * (1 - haircut);
        }
      }
      if (calls.length === 0) continue;
      want = calls.reduce((s, c) => s + c.amountIn, 0);
      available.set(`${pool.chain}|${a.asset}`, inventory - want);
      const id = `rb-${createHash("sha256").update([input.now, pool.id, a.asset, "keeper", "same-chain"].join("\n")).digest("hex").slice(0, 20)}`;
      const takes = calls.map((c) => `${fmt(c.amountOut)} ${c.tokenOut}`).join(" and ");
      orders.push({
        id,
        status: initialStatus(input.mode),
        pool: pool.id,
        chain: pool.chain,
        asset: a.asset,
        amount: want,
        amountUsd: want * price(a.asset),
        source: { kind: "treasury", id: "keeper", chain: pool.chain, asset: a.asset },
        route: { kind: "same-chain", feeBps: 0, leadTimeSteps: 0 },
        calls,
        explanation: `${label} pool: forecast net cash-out of ${a.asset} ${fmt(sum(0.5))} over the next ${horizon * a.forecast.stepHours} h (P${Math.round(q * 100)} ${fmt(floor)}${a.reasons?.length ? `; ${a.reasons.join(", ")}` : ""}); floor ${fmt(floor)}, holding ${fmt(a.holding)}; bringing ${fmt(want)} ${a.asset} from the keeper's inventory and taking back ${takes} held above target.`,
      });
    }
  }
  if (input.mode === "paused" && orders.length > 0) findings.push({ kind: "paused", text: `Paused: ${orders.length} order(s) planned and held, none sent.` });
  return { now: input.now, mode: input.mode, floors, orders, findings, explanations: [...orders.map((o) => o.explanation), ...findings.map((f) => f.text)] };
}
