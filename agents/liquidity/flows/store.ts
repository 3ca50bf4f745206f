/**
 * Writing and reading the flow history. A flow is recorded once under its source identity
 * (`flow_events.id`); the hourly `flows` rows are then recomputed from the events of every bucket the
 * batch touched, duplicates included. Recomputing (rather than adding) is what makes every write
 * idempotent: a batch seen twice, or cut short by a crash between its two steps, leaves the same rows.
 */
import { and, eq, gte, inArray, lt } from "drizzle-orm";

import type { LiquidityDb, LiquidityTables } from "../db/open.js";

export type FlowSource = "vault" | "pool" | "telco";
export const FLOW_SOURCES: readonly FlowSource[] = ["vault", "pool", "telco"];
export type FlowDirection = "in" | "out";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const hourOf = (atMs: number) => Math.floor(atMs / HOUR_MS) * HOUR_MS;

/** Who a flow belongs to. Operator names are the telcos' (MTN-NG, Airtel-NG …); agent is a till or agent code. */
export interface FlowParty {
  operator: string;
  agent: string;
  region: string;
}

/** Placeholders for what a source does not know (a pool swap has no agent; an unattributed vault event no operator). */
export const UNKNOWN = "-";
export const UNATTRIBUTED: FlowParty = { operator: "unattributed", agent: UNKNOWN, region: UNKNOWN };

export interface FlowEvent extends FlowParty {
  id: string;
  source: FlowSource;
  /** The flow's own time, ms since the epoch. */
  at: number;
  asset: string;
  direction: FlowDirection;
  /** Base units of `asset`. */
  amount: bigint;
  ref?: string;
  block?: number;
}

export type FlowEventRow = LiquidityTables["flowEvents"]["$inferSelect"];
export type FlowRow = LiquidityTables["flows"]["$inferSelect"];

/** The hourly row a flow is summed into. */
interface Bucket extends FlowParty {
  hour: number;
  asset: string;
  source: string;
}
const bucketKey = (b: Bucket) => JSON.stringify([b.hour, b.operator, b.agent, b.region, b.asset, b.source]);

/** Rows per INSERT: 13 columns each, far under SQLite's and PostgreSQL's bind-parameter limits. */
const CHUNK = 500;

export function createFlowStore(db: LiquidityDb, tables: LiquidityTables, now: () => number = Date.now) {
  const { flows, flowEvents, flowAttributions, flowCursors } = tables;

  async function recompute(buckets: Iterable<Bucket>): Promise<void> {
    const unique = new Map<string, Bucket>();
    for (const b of buckets) unique.set(bucketKey(b), b);
    for (const b of unique.values()) {
      const where = and(
        eq(flowEvents.hour, b.hour),
        eq(flowEvents.operator, b.operator),
        eq(flowEvents.agent, b.agent),
        eq(flowEvents.region, b.region),
        eq(flowEvents.asset, b.asset),
        eq(flowEvents.source, b.source),
      );
      const events = await db.select({ direction: flowEvents.direction, amount: flowEvents.amount }).from(flowEvents).where(where);
      const rowKey = and(
        eq(flows.hour, b.hour),
        eq(flows.operator, b.operator),
        eq(flows.agent, b.agent),
        eq(flows.region, b.region),
        eq(flows.asset, b.asset),
        eq(flows.source, b.source),
      );
      if (events.length === 0) {
        await db.delete(flows).where(rowKey);
        continue;
      }
      let cashIn = 0n;
      let cashOut = 0n;
      for (const e of events) {
        if (e.direction === "in") cashIn += BigInt(e.amount);
        else cashOut += BigInt(e.amount);
      }
      const values = { cashIn: cashIn.toString(), cashOut: cashOut.toString(), events: events.length, updatedAt: now() };
      await db
        .insert(flows)
        .values({ ...b, ...values })
        .onConflictDoUpdate({ target: [flows.hour, flows.operator, flows.agent, flows.region, flows.asset, flows.source], set: values });
    }
  }

  return {
    /**
     * Records flows not seen before and brings the hourly rows of every bucket they fall in up to date.
     * Returns how many were new; the others were already there (and are left exactly as they were).
     */
    async record(events: readonly FlowEvent[]): Promise<{ inserted: number; duplicates: number }> {
      let inserted = 0;
      for (let i = 0; i < events.length; i += CHUNK) {
        const rows = events.slice(i, i + CHUNK).map((e) => ({
          id: e.id,
          source: e.source,
          hour: hourOf(e.at),
          at: e.at,
          operator: e.operator,
          agent: e.agent,
          region: e.region,
          asset: e.asset,
          direction: e.direction,
          amount: e.amount.toString(),
          ref: e.ref ?? null,
          block: e.block ?? null,
          createdAt: now(),
        }));
        inserted += (await db.insert(flowEvents).values(rows).onConflictDoNothing().returning({ id: flowEvents.id })).length;
      }
      await recompute(events.map((e) => ({ hour: hourOf(e.at), operator: e.operator, agent: e.agent, region: e.region, asset: e.asset, source: e.source })));
      return { inserted, duplicates: events.length - inserted };
    },

    /** The stored events with these ids (to tell a true duplicate from a reused reference). */
    async eventsById(ids: readonly string[]): Promise<Map<string, FlowEventRow>> {
      const found = new Map<string, FlowEventRow>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        for (const row of await db.select().from(flowEvents).where(inArray(flowEvents.id, ids.slice(i, i + CHUNK) as string[]))) found.set(row.id, row);
      }
      return found;
    },

    /** Who the vault events with these refs belong to, where someone has said. */
    async attributions(refs: readonly string[]): Promise<Map<string, FlowParty>> {
      const found = new Map<string, FlowParty>();
      const wanted = [...new Set(refs.map((r) => r.toLowerCase()))];
      for (let i = 0; i < wanted.length; i += CHUNK) {
        for (const row of await db.select().from(flowAttributions).where(inArray(flowAttributions.ref, wanted.slice(i, i + CHUNK)))) {
          found.set(row.ref, { operator: row.operator, agent: row.agent, region: row.region });
        }
      }
      return found;
    },

    /**
     * Says who a vault credit or debit belongs to (by its statement ref), and re-files events already
     * ingested under another party, so attributions may arrive before or after the chain events.
     */
    async attribute(ref: string, party: FlowParty): Promise<{ refiled: number }> {
      const key = ref.toLowerCase();
      const set = { operator: party.operator, agent: party.agent, region: party.region, updatedAt: now() };
      await db.insert(flowAttributions).values({ ref: key, ...set }).onConflictDoUpdate({ target: flowAttributions.ref, set });
      const events = await db.select().from(flowEvents).where(and(eq(flowEvents.ref, key), eq(flowEvents.source, "vault")));
      const moved = events.filter((e) => e.operator !== party.operator || e.agent !== party.agent || e.region !== party.region);
      if (moved.length === 0) return { refiled: 0 };
      await db
        .update(flowEvents)
        .set({ operator: party.operator, agent: party.agent, region: party.region })
        .where(inArray(flowEvents.id, moved.map((e) => e.id)));
      await recompute([...moved, ...moved.map((e) => ({ ...e, ...party }))]);
      return { refiled: moved.length };
    },

    async cursor(name: string): Promise<number | undefined> {
      const [row] = await db.select().from(flowCursors).where(eq(flowCursors.name, name)).limit(1);
      return row?.block;
    },

    async setCursor(name: string, block: number): Promise<void> {
      const set = { block, updatedAt: now() };
      await db.insert(flowCursors).values({ name, ...set }).onConflictDoUpdate({ target: flowCursors.name, set });
    },

    /** Hourly rows of `asset` from `sources` with from ≤ hour < to. */
    rows(filter: { asset: string; sources: readonly FlowSource[]; from: number; to: number; operators?: readonly string[] }): Promise<FlowRow[]> {
      const conditions = [eq(flows.asset, filter.asset), inArray(flows.source, filter.sources as FlowSource[]), gte(flows.hour, filter.from), lt(flows.hour, filter.to)];
      if (filter.operators && filter.operators.length > 0) conditions.push(inArray(flows.operator, filter.operators as string[]));
      return db.select().from(flows).where(and(...conditions)).orderBy(flows.hour);
    },

    allRows(): Promise<FlowRow[]> {
      return db.select().from(flows).orderBy(flows.hour, flows.operator, flows.agent, flows.region, flows.asset, flows.source);
    },
  };
}

export type FlowStore = ReturnType<typeof createFlowStore>;
