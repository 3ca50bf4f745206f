/**
 * The `rail_payments` table: one row per rail request, the durable record of a cash movement. Its
 * states, per direction:
 *
 *   collect:  pending ──rail paid──▶ succeeded ──vault credit executed (opId set)──▶ succeeded + opId
 *                └─────rail failed──▶ failed
 *   payout:   pending ──vault debit executed (opId set), payout requested (providerRef set)──▶ …
 *                ├──rail paid──▶ succeeded
 *                ├──rail failed──▶ failed ──refund executed (refundOpId set)──▶ refunded
 *                └──debit refused (opId never set)──▶ failed
 *
 * `opId` and `refundOpId` are written only once the vault has executed the operation, so a row shows
 * what happened on chain; the ids themselves are derived from the reference (ids.ts) and known before.
 * Every transition is a conditional update from the state it leaves, so a callback and a poll racing
 * for the same row move it once.
 */
import { and, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";

import type { Db, Tables } from "../db/open.js";
import type { AccountId, AssetSymbol, E164, RailId } from "../ports.js";
import type { CashDirection } from "./ids.js";

export type RailPaymentRow = Tables["railPayments"]["$inferSelect"];
export type RailPaymentStatus = "pending" | "succeeded" | "failed" | "refunded";

export interface NewRailPayment {
  id: string;
  rail: RailId;
  direction: CashDirection;
  accountId: AccountId;
  phone: E164;
  currency: string;
  fiatAmount: string;
  asset: AssetSymbol;
  assetAmount: bigint;
}

export interface RailPayments {
  /** Inserts the row, or returns the one already there for this reference. */
  create(row: NewRailPayment, now: number): Promise<{ row: RailPaymentRow; created: boolean }>;
  get(id: string): Promise<RailPaymentRow | undefined>;
  byProviderRef(rail: RailId, providerRef: string): Promise<RailPaymentRow | undefined>;
  /** Rows that still need the rail, the attester or the vault; of one account when given. */
  unsettled(accountId?: AccountId): Promise<RailPaymentRow[]>;
  /** Moves a row from `from` (any of) with `set`; undefined when another writer moved it first. */
  transition(id: string, from: RailPaymentStatus | readonly RailPaymentStatus[], set: Partial<Omit<RailPaymentRow, "id">>, now: number): Promise<RailPaymentRow | undefined>;
  /** Sets fields without a state change (provider ref, receipt, executed op ids). */
  update(id: string, set: Partial<Omit<RailPaymentRow, "id" | "status">>, now: number): Promise<RailPaymentRow | undefined>;
}

export function railPayments({ db, tables }: { db: Db; tables: Tables }): RailPayments {
  const t = tables.railPayments;
  const first = (rows: RailPaymentRow[]) => rows[0];
  return {
    async create(row, now) {
      const values = { ...row, assetAmount: row.assetAmount.toString(), status: "pending", createdAt: now, updatedAt: now };
      const inserted = await db.insert(t).values(values).onConflictDoNothing().returning();
      if (inserted.length === 1) return { row: inserted[0]!, created: true };
      return { row: (await this.get(row.id))!, created: false };
    },
    get: async (id) => first(await db.select().from(t).where(eq(t.id, id))),
    byProviderRef: async (rail, providerRef) => first(await db.select().from(t).where(and(eq(t.rail, rail), eq(t.providerRef, providerRef)))),
    unsettled: async (accountId) =>
      db
        .select()
        .from(t)
        .where(
          and(
            accountId === undefined ? undefined : eq(t.accountId, accountId),
            or(
              eq(t.status, "pending"),
              and(eq(t.status, "succeeded"), eq(t.direction, "collect"), isNull(t.opId)),
              and(eq(t.status, "failed"), eq(t.direction, "payout"), isNotNull(t.opId)),
            ),
          ),
        )
        .orderBy(t.createdAt),
    async transition(id, from, set, now) {
      const states = typeof from === "string" ? [from] : [...from];
      return first(await db.update(t).set({ ...set, updatedAt: now }).where(and(eq(t.id, id), inArray(t.status, states))).returning());
    },
    update: async (id, set, now) => first(await db.update(t).set({ ...set, updatedAt: now }).where(eq(t.id, id)).returning()),
  };
}
