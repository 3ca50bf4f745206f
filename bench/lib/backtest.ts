/**
 * The rebalancing backtest's world: agents (NN5 series) grouped into operator pools, each day's
 * cash-out demand split into transfers, transfers failing when their pool lacks the cash, and
 * replenishments arriving after their lead time. Policies (backtest-policies.ts) decide the orders.
 *
 * Time: day d's transfers run in the order drawn; at the end of day d the policy sees the day's demand
 * and places orders. An order with lead time L placed at the end of day d arrives at the end of day
 * d + L and serves transfers from day d + L + 1. So an order must cover days d+1 … d+L+1: the lead
 * time plus one day of review.
 *
 * Everything is deterministic: transfers come from a seeded generator per pool and day, the same for
 * every policy (common random numbers), so policies differ only by what they decide.
 */

export interface PoolSpec {
  id: string;
  label: string;
  chain: string;
  /** The pool's float asset (what cash-outs draw on) and its USD price. */
  asset: string;
  priceUsd: number;
  /** Currency the agents pay out, and float-asset units per one unit of it. */
  currency: string;
  assetPerCurrency: number;
  /** Currency units per NN5 unit (the scale of the data). */
  currencyPerNn5: number;
  /** Transfer sizes in currency: lognormal with this median and log-sd, capped. */
  transferMedian: number;
  transferSigma: number;
  transferCap: number;
  /** Indices (0-based) of the NN5 series that are this pool's agents. */
  agents: number[];
  /** Annual rate idle float of this asset would earn elsewhere. */
  idleRate: number;
}

/** A replenishment on its way. */
export interface Shipment {
  pool: number;
  amount: number;
  /** First day whose transfers it can serve. */
  usableDay: number;
}

/** What a policy asks for at the end of a day. */
export interface OrderIntent {
  pool: number;
  amount: number;
  leadDays: number;
  feeBps: number;
  /** Another pool giving up float (leaves at once), or the treasury (unlimited). */
  fromPool?: number;
  crossChain: boolean;
}

export interface DayView {
  day: number;
  floats: readonly number[];
  inTransit: readonly number[];
}

export interface Policy {
  readonly name: string;
  /** Float each pool holds at the start of the warm-up. */
  initialFloat(pool: number, day: number): Promise<number> | number;
  /** Orders at the end of `view.day` (demand of that day and before is known). */
  decide(view: DayView): Promise<OrderIntent[]> | OrderIntent[];
}

export interface PoolResult {
  id: string;
  transfers: number;
  failed: number;
  failure_rate: number;
  /** Time-average float (mean of start- and end-of-day), in the pool's asset and in USD. */
  avg_float: number;
  avg_float_usd: number;
  rebalances: number;
}

export interface RunResult {
  transfers: number;
  failed: number;
  failure_rate: number;
  /** Σ over pools of time-average float, USD. */
  avg_float: number;
  avg_in_transit: number;
  rebalances: number;
  cross_chain_rebalances: number;
  /** Orders filled from another pool's surplus rather than the treasury. */
  pool_to_pool_rebalances: number;
  cost_usd: { idle_float: number; in_transit: number; fees: number; gas: number; total: number };
  cost_per_transfer_usd: number;
  pools: PoolResult[];
}

export interface CostRates {
  /** USD gas for one rebalance call into a pool. */
  gasPerOrderUsd: number;
  /** USD gas for the burn and the mint of a cross-chain move. */
  crossChainGasUsd: number;
}

// ---------------------------------------------------------------- seeded draws

/** mulberry32: small, fast, good enough for drawing transfer sizes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/**
 * The transfers of one pool on one day, in the pool's asset: each agent's demand cut into lognormal
 * sizes (the last one is the remainder, so they add up to the demand), then the pool's transfers
 * shuffled together.
 */
export function transfersOf(spec: PoolSpec, poolIndex: number, day: number, demandNn5: (agent: number, day: number) => number, seed = 1): Float64Array {
  const next = rng(((seed * 1_000_003) ^ (poolIndex * 7_919) ^ (day * 104_729)) >>> 0);
  const sizes: number[] = [];
  for (const agent of spec.agents) {
    let left = demandNn5(agent, day) * spec.currencyPerNn5;
    while (left > 1e-9) {
      const size = Math.min(spec.transferCap, spec.transferMedian * Math.exp(spec.transferSigma * normal(next)), left);
      sizes.push(size * spec.assetPerCurrency);
      left -= size;
    }
  }
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j]!, sizes[i]!];
  }
  return Float64Array.from(sizes);
}

/** Caches each pool-day's transfers so every policy (and every grid point) sees the same ones. */
export class TransferBook {
  private readonly cache = new Map<number, Float64Array>();
  constructor(
    readonly pools: readonly PoolSpec[],
    private readonly demandNn5: (agent: number, day: number) => number,
    private readonly seed = 1,
  ) {}

  day(pool: number, day: number): Float64Array {
    const key = day * 64 + pool;
    let list = this.cache.get(key);
    if (!list) {
      list = transfersOf(this.pools[pool]!, pool, day, this.demandNn5, this.seed);
      this.cache.set(key, list);
    }
    return list;
  }

  /** The pool's demand on a day, in its asset (what its history records, failed transfers included). */
  demand(pool: number, day: number): number {
    const spec = this.pools[pool]!;
    let sum = 0;
    for (const agent of spec.agents) sum += this.demandNn5(agent, day);
    return sum * spec.currencyPerNn5 * spec.assetPerCurrency;
  }
}

// ---------------------------------------------------------------- the simulator

export interface RunOptions {
  /** First and last day (0-based, inclusive) that count. */
  from: number;
  to: number;
  /** Days simulated before `from` so every policy starts from its own steady state. */
  warmupDays?: number;
  /** Only these pools (default all): the threshold search runs pools one at a time. */
  pools?: number[];
}

export async function run(book: TransferBook, policy: Policy, costs: CostRates, options: RunOptions): Promise<RunResult> {
  const specs = book.pools;
  const active = options.pools ?? specs.map((_, i) => i);
  const start = options.from - (options.warmupDays ?? 7);
  const floats = specs.map(() => 0);
  for (const p of active) floats[p] = await policy.initialFloat(p, start);
  let shipments: Shipment[] = [];
  const stats = specs.map((s) => ({ id: s.id, transfers: 0, failed: 0, floatDays: 0, rebalances: 0 }));
  const cost = { idle_float: 0, in_transit: 0, fees: 0, gas: 0 };
  let inTransitUsdDays = 0;
  let rebalances = 0;
  let crossChain = 0;
  let poolToPool = 0;
  const days = options.to - options.from + 1;

  for (let day = start; day <= options.to; day++) {
    const counting = day >= options.from;
    const arriving = shipments.filter((s) => s.usableDay === day);
    shipments = shipments.filter((s) => s.usableDay !== day);
    for (const s of arriving) floats[s.pool]! += s.amount;

    for (const p of active) {
      const spec = specs[p]!;
      const open = floats[p]!;
      let float = open;
      let failed = 0;
      const list = book.day(p, day);
      for (let k = 0; k < list.length; k++) {
        const size = list[k]!;
        if (size <= float) float -= size;
        else failed++;
      }
      floats[p] = float;
      if (counting) {
        const st = stats[p]!;
        st.transfers += list.length;
        st.failed += failed;
        const avg = (open + float) / 2;
        st.floatDays += avg;
        cost.idle_float += (avg * spec.priceUsd * spec.idleRate) / 365;
      }
    }

    const view: DayView = { day, floats: [...floats], inTransit: specs.map((_, p) => shipments.filter((s) => s.pool === p).reduce((a, s) => a + s.amount, 0)) };
    const intents = await policy.decide(view);
    for (const order of intents) {
      if (!(order.amount > 0)) continue;
      const spec = specs[order.pool]!;
      if (order.fromPool !== undefined) {
        const give = Math.min(order.amount, floats[order.fromPool]!);
        floats[order.fromPool]! -= give;
        order.amount = give;
      }
      shipments.push({ pool: order.pool, amount: order.amount, usableDay: day + order.leadDays + 1 });
      if (counting) {
        const usd = order.amount * spec.priceUsd;
        rebalances++;
        stats[order.pool]!.rebalances++;
        cost.fees += (usd * order.feeBps) / 10_000;
        cost.gas += costs.gasPerOrderUsd * (order.fromPool !== undefined ? 2 : 1) + (order.crossChain ? costs.crossChainGasUsd : 0);
        cost.in_transit += (usd * spec.idleRate * order.leadDays) / 365;
        inTransitUsdDays += usd * order.leadDays;
        if (order.crossChain) crossChain++;
        if (order.fromPool !== undefined) poolToPool++;
      }
    }
  }

  const pools: PoolResult[] = active.map((p) => {
    const st = stats[p]!;
    const avg = st.floatDays / days;
    return {
      id: st.id,
      transfers: st.transfers,
      failed: st.failed,
      failure_rate: st.transfers ? st.failed / st.transfers : 0,
      avg_float: avg,
      avg_float_usd: avg * specs[p]!.priceUsd,
      rebalances: st.rebalances,
    };
  });
  const transfers = pools.reduce((a, p) => a + p.transfers, 0);
  const failed = pools.reduce((a, p) => a + p.failed, 0);
  const total = cost.idle_float + cost.in_transit + cost.fees + cost.gas;
  return {
    transfers,
    failed,
    failure_rate: transfers ? failed / transfers : 0,
    avg_float: pools.reduce((a, p) => a + p.avg_float_usd, 0),
    avg_in_transit: inTransitUsdDays / days,
    rebalances,
    cross_chain_rebalances: crossChain,
    pool_to_pool_rebalances: poolToPool,
    cost_usd: { ...cost, total },
    cost_per_transfer_usd: transfers ? total / transfers : 0,
    pools,
  };
}
