/**
 * The keeper's outbox: `keeper_orders`, one row per order, written before anything is sent for it.
 *
 * States (the rebalancer's state machine, agents/liquidity/rebalance/modes.ts):
 *   pending-approval ─approve→ approved ─send→ sent ─confirm→ done
 *          │                      │              └──fail──→ failed
 *          └─reject→ rejected     └─(cross-chain)→ awaiting-relayer
 *   pending-approval, approved, awaiting-relayer ─expire→ expired
 * Every update is conditional on the state it moves from, so two writers (the loop and the admin
 * endpoint) can never both move a row, and a final row never moves again.
 *
 * An order's payload holds its steps (the exact transactions: target and calldata) and, per step, the
 * signed transaction with its nonce and hash, recorded BEFORE the broadcast. A keeper that dies after
 * that write finds the row `sent` on restart and asks the chain what became of that very transaction:
 * it is mined (record the outcome), pending (wait), or unknown (broadcast the same bytes again: same
 * nonce, same hash, so it can execute at most once).
 */
import { and, count, desc, eq, inArray } from "drizzle-orm";
import type { Address, Hex } from "viem";

import type { LiquidityDb, LiquidityTables } from "../liquidity/db/open.js";

export type OrderState = "pending-approval" | "approved" | "sent" | "done" | "failed" | "rejected" | "expired" | "awaiting-relayer";
export const ORDER_STATES: readonly OrderState[] = ["pending-approval", "approved", "sent", "done", "failed", "rejected", "expired", "awaiting-relayer"];
/** States in which an order is still coming: its amount counts as in transit, so it is not ordered twice. */
export const OPEN_STATES: readonly OrderState[] = ["pending-approval", "approved", "sent", "awaiting-relayer"];

/** One transaction of an order. */
export interface OrderStep {
  /** What it does, for people: "rebalance cNGN in 1,000,000 / USDC out 689.5". */
  label: string;
  to: Address;
  data: Hex;
  /** Set when the transaction was signed (before the broadcast). */
  nonce?: number;
  hash?: Hex;
  raw?: Hex;
  /** The outcome once mined. */
  result?: "success" | "reverted";
  block?: string;
}

export interface OrderPayload {
  steps: OrderStep[];
  /** The plan's figures behind the order (floor, holding, forecast), for the admin view. */
  plan: Record<string, unknown>;
  /** The rebalancer's own id for the order (its explanation names it). */
  planOrderId?: string;
}

export type OrderRow = LiquidityTables["keeperOrders"]["$inferSelect"];

export interface NewOrder {
  id: Hex;
  chainId: number;
  pool: string;
  poolAddress: Address;
  kind: "rebalance" | "cross-chain";
  /** What the keeper brings, and how much in base units ("+"-joined when an order's calls bring several). */
  assetIn: string;
  amountIn: string;
  /** What it takes back, likewise. */
  assetOut: string;
  amountOut: string;
  state: "pending-approval" | "approved" | "awaiting-relayer";
  mode: string;
  explanation: string;
  plannedBlock: bigint;
  payload: OrderPayload;
  decidedBy?: string;
}

export class OrderStateError extends Error {
  constructor(
    readonly id: string,
    readonly state: string,
    readonly wanted: string,
  ) {
    super(`Order ${id} is ${state}; it cannot be ${wanted}.`);
    this.name = "OrderStateError";
  }
}

export const decodePayload = (text: string) => JSON.parse(text) as OrderPayload;

export function createOrderStore(db: LiquidityDb, tables: LiquidityTables, now: () => number = Date.now) {
  const orders = tables.keeperOrders;

  async function get(id: string): Promise<OrderRow | undefined> {
    const [row] = await db.select().from(orders).where(eq(orders.id, id)).limit(1);
    return row;
  }

  /** Moves `id` from one of `from` to `to` (with extra columns); returns the new row, or undefined if it was not in `from`. */
  async function move(id: string, from: readonly OrderState[], to: OrderState, set: Partial<OrderRow> = {}): Promise<OrderRow | undefined> {
    const [row] = await db
      .update(orders)
      .set({ ...set, state: to, updatedAt: now() })
      .where(and(eq(orders.id, id), inArray(orders.state, from as OrderState[])))
      .returning();
    return row;
  }

  return {
    get,
    move,

    /** Inserts the order unless its id exists; `created` false means the existing row is returned. */
    async insert(order: NewOrder): Promise<{ row: OrderRow; created: boolean }> {
      const at = now();
      const [inserted] = await db
        .insert(orders)
        .values({
          id: order.id,
          chainId: order.chainId,
          pool: order.pool,
          poolAddress: order.poolAddress,
          kind: order.kind,
          assetIn: order.assetIn,
          amountIn: order.amountIn,
          assetOut: order.assetOut,
          amountOut: order.amountOut,
          state: order.state,
          mode: order.mode,
          explanation: order.explanation,
          plannedBlock: Number(order.plannedBlock),
          payload: JSON.stringify(order.payload),
          decidedBy: order.decidedBy ?? null,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted) return { row: inserted, created: true };
      return { row: (await get(order.id))!, created: false };
    },

    /** Records the signed transaction of step `index` and makes the order `sent` (from approved or sent). */
    async recordSigned(id: string, index: number, signed: { nonce: number; hash: Hex; raw: Hex }): Promise<OrderRow> {
      const row = await get(id);
      if (!row || (row.state !== "approved" && row.state !== "sent")) throw new OrderStateError(id, row?.state ?? "unknown", "sent");
      const payload = decodePayload(row.payload);
      payload.steps[index] = { ...payload.steps[index]!, ...signed };
      const moved = await db
        .update(orders)
        .set({ state: "sent", payload: JSON.stringify(payload), txHash: signed.hash, updatedAt: now() })
        .where(and(eq(orders.id, id), eq(orders.payload, row.payload), inArray(orders.state, ["approved", "sent"])))
        .returning();
      if (!moved[0]) throw new OrderStateError(id, "changed by another writer", "sent");
      return moved[0];
    },

    /** Records a mined step's outcome (in a `sent` order). */
    async recordResult(id: string, index: number, result: { result: "success" | "reverted"; block: bigint }): Promise<OrderRow | undefined> {
      const row = await get(id);
      if (!row || row.state !== "sent") return undefined;
      const payload = decodePayload(row.payload);
      payload.steps[index] = { ...payload.steps[index]!, result: result.result, block: result.block.toString() };
      const [moved] = await db
        .update(orders)
        .set({ payload: JSON.stringify(payload), updatedAt: now() })
        .where(and(eq(orders.id, id), eq(orders.payload, row.payload), eq(orders.state, "sent")))
        .returning();
      return moved;
    },

    list(filter: { states?: readonly OrderState[]; pool?: string; limit?: number } = {}): Promise<OrderRow[]> {
      const conditions = [];
      if (filter.states) conditions.push(inArray(orders.state, filter.states as OrderState[]));
      if (filter.pool) conditions.push(eq(orders.pool, filter.pool));
      return db
        .select()
        .from(orders)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(orders.createdAt), orders.id)
        .limit(filter.limit ?? 200);
    },

    async countsByState(): Promise<Record<OrderState, number>> {
      const counts = Object.fromEntries(ORDER_STATES.map((s) => [s, 0])) as Record<OrderState, number>;
      for (const row of await db.select({ state: orders.state, n: count() }).from(orders).groupBy(orders.state)) counts[row.state as OrderState] = row.n;
      return counts;
    },
  };
}

export type OrderStore = ReturnType<typeof createOrderStore>;
