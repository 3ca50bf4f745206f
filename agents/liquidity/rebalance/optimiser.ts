/**
 * Which sources fill which pools' gaps, at least cost: a small transportation problem solved as a
 * min-cost max-flow (mincostflow.ts), in US dollars of value.
 *
 *   S ─► source ─(route: fee + carry in transit)─► sink (pool, asset) ─(gap it can take)─► T
 *   S ─► treasury(B) ─(spread + B's excess fee)─► swap-in(Z, A) ─(A's shortfall fee)─► swap-out(Z, A) ─► sink
 *
 * Sources: another pool's asset above both its own floor and its on-chain target (a keeper rebalance
 * may not take an asset below target), a treasury account, and — for USDC only — either of those on
 * another chain over a CCTP route. A treasury holding a different asset can buy the asset in a pool Z
 * on the sink's chain, down to Z's own floor, paying Z's spread and imbalance fees (convex, as
 * segments). A route is used only if it arrives within the sink's lead time: later money would not
 * protect the floor it is meant to restore.
 *
 * The linear part of each cost (fees in bps, carry in transit) is what the flow minimises. Gas is a
 * fixed cost per call, about $0.01 against orders of thousands of dollars (1e-6 of the value), so it
 * is added to each order's cost afterwards and not optimised; orders below `minOrderUsd` are dropped.
 * Among equal costs, a pool's idle surplus is used before treasury money (a tiny preference cost),
 * because surplus in a pool earns nothing while the treasury's money can earn its yield.
 */
import { carryUsd, convexSegments, excessFee, feeUsd, idleFloatRate, shortfallFee } from "./cost.js";
import { FlowNetwork } from "./mincostflow.js";
import type { CostInput, Floor, PlanConfig, PoolAssetInput, PoolInput, RouteInput, TreasuryInput } from "./types.js";

/** CCTP moves USDC only. */
export const CCTP_ASSETS = new Set(["USDC"]);
const BPS = 10_000;
/** Cost per dollar that makes treasury money second choice to an equally cheap pool surplus (1e-5 bps). */
const TREASURY_PREFERENCE = 1e-9;
const DEFAULT_MAX_COST_BPS = 200;
/** Linear pieces per convex swap-fee curve. */
const SWAP_PIECES = 8;

export interface Sink {
  pool: PoolInput;
  asset: PoolAssetInput;
  floor: Floor;
  /** Units the pool can take by keeper rebalance now: min(gap, target − holding − inTransit). */
  deliverable: number;
  leadTimeSteps: number;
  stepHours: number;
}

export type AllocationSource =
  | { kind: "pool"; pool: PoolInput; asset: PoolAssetInput }
  | { kind: "treasury"; treasury: TreasuryInput };

export interface Allocation {
  sink: Sink;
  source: AllocationSource;
  route: RouteInput;
  /** Set when the treasury's asset is swapped into the sink's asset in this pool first. */
  swapVia?: { pool: PoolInput; fromAsset: string };
  /** Units of the sink's asset delivered. */
  amount: number;
  valueUsd: number;
  feeUsd: number;
  swapUsd: number;
  carryUsd: number;
}

export interface OptimiseResult {
  allocations: Allocation[];
  /** Per sink (pool/asset key): units it needed and did not get. */
  short: Map<string, number>;
  costUsd: number;
}

export const sinkKey = (pool: string, asset: string) => `${pool}/${asset}`;

export function priceOf(costs: CostInput, asset: string): number {
  const p = costs.pricesUsd[asset];
  if (!(typeof p === "number" && p > 0 && Number.isFinite(p))) throw new RangeError(`no USD price for ${asset}: pass costs.pricesUsd["${asset}"]`);
  return p;
}

/** Units of a pool's asset a keeper may take out: above its own floor and (on chain) above its target. */
export function surplusOf(asset: PoolAssetInput, floor: number): number {
  return Math.max(0, asset.holding - Math.max(floor, asset.target ?? 0));
}

/** Units a swap may take out of a pool's asset: between its floor and where the keeper's rebalance tier begins. */
function swapTierOf(asset: PoolAssetInput, floor: number): { units: number; startReserve: number } {
  const rebalanceLevel = Math.max(floor, asset.target ?? 0);
  const startReserve = Math.min(asset.holding, rebalanceLevel);
  return { units: Math.max(0, startReserve - floor), startReserve };
}

function routesBetween(routes: readonly RouteInput[], from: string, to: string, asset: string): RouteInput[] {
  if (from === to) {
    const given = routes.filter((r) => r.kind === "same-chain" && r.from === from && r.to === to);
    return given.length > 0 ? given : [{ from, to, kind: "same-chain", feeBps: 0, leadTimeSteps: 0 }];
  }
  if (!CCTP_ASSETS.has(asset)) return [];
  return routes.filter((r) => r.kind !== "same-chain" && r.from === from && r.to === to);
}

type EdgeTag =
  | { kind: "direct"; source: AllocationSource; sink: Sink; route: RouteInput; feePerUsd: number; carryPerUsd: number }
  | { kind: "to-swap"; treasury: TreasuryInput; pool: PoolInput; route: RouteInput; perUsd: number }
  | { kind: "swap-out"; pool: PoolInput; perUsd: number }
  | { kind: "from-swap"; pool: PoolInput; sink: Sink; route: RouteInput; carryPerUsd: number };

export function optimise(
  pools: readonly PoolInput[],
  floors: ReadonlyMap<string, Floor>,
  sinks: readonly Sink[],
  treasuries: readonly TreasuryInput[],
  routes: readonly RouteInput[],
  costs: CostInput,
  config: PlanConfig = {},
): OptimiseResult {
  const maxCost = (config.maxCostBps ?? DEFAULT_MAX_COST_BPS) / BPS;
  const net = new FlowNetwork();
  const S = net.node("S");
  const T = net.node("T");
  const tags = new Map<number, EdgeTag>();
  const floorOf = (pool: string, asset: string) => floors.get(sinkKey(pool, asset))?.floor ?? 0;

  const sinkNodes: number[] = [];
  const sinkEdges: number[] = [];
  for (const sink of sinks) {
    const node = net.node(`sink:${sinkKey(sink.pool.id, sink.asset.asset)}`);
    sinkNodes.push(node);
    sinkEdges.push(net.edge(node, T, sink.deliverable * priceOf(costs, sink.asset.asset), 0));
  }

  const connect = (from: number, source: AllocationSource, chain: string, asset: string, preference: number, excludePool?: string) => {
    sinks.forEach((sink, k) => {
      if (sink.asset.asset !== asset || sink.pool.id === excludePool) return;
      for (const route of routesBetween(routes, chain, sink.pool.chain, asset)) {
        if (route.leadTimeSteps > sink.leadTimeSteps) continue;
        const feePerUsd = route.feeBps / BPS;
        const carryPerUsd = carryUsd(1, route.leadTimeSteps * sink.stepHours, idleFloatRate(asset, costs));
        if (feePerUsd + carryPerUsd > maxCost) continue;
        const id = net.edge(from, sinkNodes[k]!, Infinity, feePerUsd + carryPerUsd + preference);
        tags.set(id, { kind: "direct", source, sink, route, feePerUsd, carryPerUsd });
      }
    });
  };

  // Pools' surpluses, in a fixed order (input order) so equal-cost ties resolve the same way every time.
  for (const pool of pools) {
    for (const asset of pool.assets) {
      const units = surplusOf(asset, floorOf(pool.id, asset.asset));
      if (units <= 0) continue;
      const node = net.node(`pool:${sinkKey(pool.id, asset.asset)}`);
      net.edge(S, node, units * priceOf(costs, asset.asset), 0);
      connect(node, { kind: "pool", pool, asset }, pool.chain, asset.asset, 0, pool.id);
    }
  }

  const treasuryNodes = new Map<string, number>();
  for (const treasury of treasuries) {
    if (!(treasury.available > 0)) continue;
    const node = net.node(`treasury:${treasury.id}`);
    treasuryNodes.set(treasury.id, node);
    net.edge(S, node, treasury.available * priceOf(costs, treasury.asset), 0);
    connect(node, { kind: "treasury", treasury }, treasury.chain, treasury.asset, TREASURY_PREFERENCE);
  }

  // Swaps: treasury money of asset B buys asset A in pool Z (on the sink's chain, not the sink itself).
  for (const pool of pools) {
    if (!pool.bounds) continue;
    const { spreadBps, imbalanceSlope } = pool.bounds;
    for (const out of pool.assets) {
      const priceOut = priceOf(costs, out.asset);
      const neededUsd = sinks
        .filter((s) => s.asset.asset === out.asset && s.pool.chain === pool.chain && s.pool.id !== pool.id)
        .reduce((sum, s) => sum + s.deliverable * priceOut, 0);
      if (neededUsd <= 0) continue;
      const tier = swapTierOf(out, floorOf(pool.id, out.asset));
      if (tier.units <= 0 || out.target === undefined) continue;
      // Segments only over what could be needed, so that a small order is priced on a fine grid.
      const tierUsd = Math.min(tier.units * priceOut, neededUsd);
      const swapIn = net.node(`swap-in:${sinkKey(pool.id, out.asset)}`);
      const swapOut = net.node(`swap-out:${sinkKey(pool.id, out.asset)}`);
      const outFee = (v: number) => shortfallFee(tier.startReserve, out.target!, v / priceOut, imbalanceSlope) * priceOut;
      for (const segment of convexSegments(outFee, tierUsd, SWAP_PIECES)) {
        const perUsd = segment.costPerUsd + spreadBps / BPS;
        if (perUsd > maxCost) continue;
        const id = net.edge(swapIn, swapOut, segment.capacityUsd, perUsd);
        tags.set(id, { kind: "swap-out", pool, perUsd });
      }
      for (const payIn of pool.assets) {
        if (payIn.asset === out.asset || payIn.target === undefined) continue;
        const priceIn = priceOf(costs, payIn.asset);
        const inFee = (v: number) => excessFee(payIn.holding, payIn.target!, v / priceIn, imbalanceSlope) * priceIn;
        for (const treasury of treasuries) {
          const tNode = treasuryNodes.get(treasury.id);
          if (tNode === undefined || treasury.asset !== payIn.asset || treasury.chain !== pool.chain) continue;
          const route = routesBetween(routes, pool.chain, pool.chain, payIn.asset)[0]!;
          for (const segment of convexSegments(inFee, tierUsd, SWAP_PIECES)) {
            if (segment.costPerUsd > maxCost) continue;
            const id = net.edge(tNode, swapIn, segment.capacityUsd, segment.costPerUsd + TREASURY_PREFERENCE);
            tags.set(id, { kind: "to-swap", treasury, pool, route, perUsd: segment.costPerUsd });
          }
        }
      }
      sinks.forEach((sink, k) => {
        if (sink.asset.asset !== out.asset || sink.pool.chain !== pool.chain || sink.pool.id === pool.id) return;
        const route = routesBetween(routes, pool.chain, pool.chain, out.asset)[0]!;
        if (route.leadTimeSteps > sink.leadTimeSteps) return;
        const carryPerUsd = carryUsd(1, route.leadTimeSteps * sink.stepHours, idleFloatRate(out.asset, costs));
        const id = net.edge(swapOut, sinkNodes[k]!, Infinity, carryPerUsd);
        tags.set(id, { kind: "from-swap", pool, sink, route, carryPerUsd });
      });
    }
  }

  net.solve(S, T);
  const short = new Map<string, number>();
  sinks.forEach((sink, k) => {
    const missing = sink.deliverable - net.flowOn(sinkEdges[k]!) / priceOf(costs, sink.asset.asset);
    if (missing > 0) short.set(sinkKey(sink.pool.id, sink.asset.asset), missing);
  });
  return { ...collect(net, S, T, tags, costs), short };
}

function collect(net: FlowNetwork, S: number, T: number, tags: Map<number, EdgeTag>, costs: CostInput): Omit<OptimiseResult, "short"> {
  const grouped = new Map<string, Allocation>();
  let costUsd = 0;
  for (const path of net.paths(S, T)) {
    const steps = path.edges.map((id) => tags.get(id)).filter((t): t is EdgeTag => t !== undefined);
    const direct = steps.find((t) => t.kind === "direct");
    let allocation: Omit<Allocation, "amount" | "valueUsd" | "feeUsd" | "swapUsd" | "carryUsd">;
    let feePerUsd = 0;
    let swapPerUsd = 0;
    let carryPerUsd = 0;
    if (direct?.kind === "direct") {
      allocation = { sink: direct.sink, source: direct.source, route: direct.route };
      feePerUsd = direct.feePerUsd;
      carryPerUsd = direct.carryPerUsd;
    } else {
      const toSwap = steps.find((t) => t.kind === "to-swap");
      const fromSwap = steps.find((t) => t.kind === "from-swap");
      const swapOut = steps.find((t) => t.kind === "swap-out");
      if (toSwap?.kind !== "to-swap" || fromSwap?.kind !== "from-swap" || swapOut?.kind !== "swap-out") {
        throw new Error(`internal: a flow path the planner did not build (${path.edges.map((e) => net.nameOf(net.endpoints(e).to)).join(" → ")})`);
      }
      allocation = {
        sink: fromSwap.sink,
        source: { kind: "treasury", treasury: toSwap.treasury },
        route: fromSwap.route,
        swapVia: { pool: toSwap.pool, fromAsset: toSwap.treasury.asset },
      };
      swapPerUsd = toSwap.perUsd + swapOut.perUsd;
      carryPerUsd = fromSwap.carryPerUsd;
    }
    const key = [
      allocation.sink.pool.id,
      allocation.sink.asset.asset,
      allocation.source.kind === "pool" ? `pool:${allocation.source.pool.id}` : `treasury:${allocation.source.treasury.id}`,
      allocation.route.kind,
      allocation.swapVia?.pool.id ?? "",
    ].join("|");
    const existing = grouped.get(key) ?? { ...allocation, amount: 0, valueUsd: 0, feeUsd: 0, swapUsd: 0, carryUsd: 0 };
    existing.valueUsd += path.amount;
    existing.amount += path.amount / priceOf(costs, allocation.sink.asset.asset);
    existing.feeUsd += feeUsd(path.amount, feePerUsd * BPS);
    existing.swapUsd += path.amount * swapPerUsd;
    existing.carryUsd += path.amount * carryPerUsd;
    costUsd += path.amount * (feePerUsd + swapPerUsd + carryPerUsd);
    grouped.set(key, existing);
  }
  return { allocations: [...grouped.values()], costUsd };
}
