/**
 * Sentences a treasury operator reads, made from templates: every figure comes from the plan, in the
 * asset's currency symbol, in compact form (₦48M, $350k, 0.6 oz XAUt).
 */
import type { Finding, Floor, Order, PoolInput } from "./types.js";

interface Display {
  prefix?: string;
  suffix?: string;
}

/** How each asset's amounts are written. An unknown asset is written as "<amount> <symbol>". */
const DISPLAY: Readonly<Record<string, Display>> = {
  cNGN: { prefix: "₦" },
  NGN: { prefix: "₦" },
  cKES: { prefix: "KSh " },
  KES: { prefix: "KSh " },
  USDC: { prefix: "$", suffix: " USDC" },
  USD: { prefix: "$" },
  GBP: { prefix: "£" },
  XAUt: { suffix: " oz XAUt" },
};

/** 48_300_000 → "48.3M", 1_250_000_000 → "1.25B", 350_000 → "350k", 0.6 → "0.6": three significant digits. */
export function compact(value: number): string {
  const sign = value < 0 ? "-" : "";
  const v = Math.abs(value);
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [scale, unit] of units) {
    // 999,950 rounds to "1000k": promote it to the next unit instead.
    if (v >= scale * 0.9995) return sign + significant(v / scale) + unit;
  }
  return sign + significant(v);
}

function significant(v: number): string {
  if (v === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(v)));
  return String(Number(v.toFixed(Math.min(digits, 6))));
}

export function money(asset: string, amount: number): string {
  const d = DISPLAY[asset];
  if (!d) return `${compact(amount)} ${asset}`;
  return `${d.prefix ?? ""}${compact(amount)}${d.suffix ?? ""}`;
}

export function duration(steps: number, stepHours: number): string {
  const hours = steps * stepHours;
  if (hours < 48) return `${Number(hours.toFixed(1))} h`;
  return `${Number((hours / 24).toFixed(1))} days`;
}

const labelOf = (pool: PoolInput | undefined, id: string) => pool?.label ?? id;

function routeText(order: Order): string {
  switch (order.route.kind) {
    case "cctp-fast":
      return ` over CCTP Fast (${order.route.feeBps} bps)`;
    case "cctp-standard":
      return " over CCTP Standard";
    default:
      return "";
  }
}

export function explainOrder(order: Order, floor: Floor, pools: ReadonlyMap<string, PoolInput>, reasons: readonly string[] = []): string {
  const pool = pools.get(order.pool);
  const a = order.asset;
  const why = reasons.length ? `, ${reasons.join(", ")}` : "";
  const transit = floor.inTransit > 0 ? `, ${money(a, floor.inTransit)} on its way` : "";
  const source =
    order.source.kind === "pool"
      ? `from pool ${labelOf(pools.get(order.source.id), order.source.id)}`
      : `from treasury ${order.source.id}`;
  const swap = order.swap ? `, bought with ${money(order.swap.tokenIn, order.swap.amountIn)} in pool ${labelOf(pools.get(order.swap.pool), order.swap.pool)}` : "";
  const giveBack = order.calls.filter((c) => c.pool === order.pool);
  const counter = giveBack.length
    ? ` (${giveBack.length} rebalance call${giveBack.length > 1 ? "s" : ""}, taking back ${summarise(giveBack.map((c) => [c.tokenOut, c.amountOut]))})`
    : "";
  return (
    `${labelOf(pool, order.pool)} pool: forecast net cash-out ${money(a, floor.medianOutflow)} over the next ${duration(floor.horizonSteps, floor.stepHours)}${why}; ` +
    `floor ${money(a, floor.floor)} (P${Number((floor.quantile * 100).toFixed(1))}), holding ${money(a, floor.holding)}${transit}; ` +
    `moving ${money(a, order.amount)} ${source}${routeText(order)}${swap}${counter}, cost $${compact(order.cost.totalUsd)}.`
  );
}

function summarise(amounts: [string, number][]): string {
  const byAsset = new Map<string, number>();
  for (const [asset, amount] of amounts) byAsset.set(asset, (byAsset.get(asset) ?? 0) + amount);
  return [...byAsset].map(([asset, amount]) => money(asset, amount)).join(" and ");
}

export function explainFinding(finding: Omit<Finding, "text">, pools: ReadonlyMap<string, PoolInput>, detail: { floor?: Floor; target?: number; minOrderUsd?: number; orders?: number; valueUsd?: number } = {}): string {
  const label = finding.pool ? labelOf(pools.get(finding.pool), finding.pool) : "";
  const a = finding.asset ?? "";
  const amount = finding.amount ?? 0;
  switch (finding.kind) {
    case "short":
      return `${label} pool: ${a} short by ${money(a, amount)} after this plan: no source within the lead time has more above its own floor (floor ${money(a, detail.floor?.floor ?? 0)}, holding ${money(a, detail.floor?.holding ?? 0)}).`;
    case "floor-above-target":
      return `${label} pool: floor ${money(a, detail.floor?.floor ?? 0)} is above the on-chain ${a} target ${money(a, detail.target ?? 0)}; a keeper rebalance fills to the target only, so ${money(a, amount)} more needs an LP deposit or a higher ${a} weight.`;
    case "below-minimum":
      return `${label} pool: an order of ${money(a, amount)} ($${compact(detail.valueUsd ?? 0)}) is below the $${compact(detail.minOrderUsd ?? 0)} minimum and is not placed.`;
    case "paused":
      return `Paused: ${detail.orders ?? 0} order${detail.orders === 1 ? "" : "s"} planned and explained; none will be sent.`;
  }
}
