/**
 * "Request money from a number": rows of `money_requests`, asked for under Receive and shown to
 * the payer under Receive, where the payer can pay one with a PIN or decline it.
 *
 * A request's id comes from the session that made it, so a gateway retry never asks twice; paying
 * one uses an operation id derived from the request, so two sessions paying the same request move
 * the money once.
 */
import { createHash } from "node:crypto";
import { and, count, desc, eq, sql, type Placeholder } from "drizzle-orm";

import type { Tables } from "../db/open.js";
import { preparedPer } from "../db/prepared.js";

import type { AccountId, AssetSymbol, Registry } from "../ports.js";
import type { UssdDeps } from "./deps.js";
import type { RequestItem } from "./state.js";

/** The most requests listed on the Receive screen, newest first. */
export const MAX_LISTED_REQUESTS = 9;

export function requestIdFor(sessionId: string): string {
  return `rq_${createHash("sha256").update(`ussd-request:${sessionId}`).digest("hex").slice(0, 24)}`;
}

const openCount = (db: UssdDeps["db"], t: Tables["moneyRequests"], payerId: string | Placeholder) =>
  db.select({ n: count() }).from(t).where(and(eq(t.payerId, payerId), eq(t.status, "open")));

// Asked each time someone opens Receive.
const preparedOpenCount = preparedPer((db, tables) => openCount(db, tables.moneyRequests, sql.placeholder("payerId")).prepare());

export async function countOpenRequests(deps: UssdDeps, payerId: AccountId): Promise<number> {
  const { db, tables } = deps;
  const prepared = preparedOpenCount(db, tables);
  const [row] = prepared ? [prepared.get({ payerId })] : await openCount(db, tables.moneyRequests, payerId);
  return Number(row?.n ?? 0);
}

export async function listOpenRequests(deps: UssdDeps, payerId: AccountId, registry: Registry): Promise<RequestItem[]> {
  const { db, tables } = deps;
  const rows = await db
    .select()
    .from(tables.moneyRequests)
    .where(and(eq(tables.moneyRequests.payerId, payerId), eq(tables.moneyRequests.status, "open")))
    .orderBy(desc(tables.moneyRequests.createdAt))
    .limit(MAX_LISTED_REQUESTS);
  const items: RequestItem[] = [];
  for (const row of rows) {
    const requester = await registry.findByAccount(row.requesterId as AccountId);
    if (!requester) continue;
    items.push({ id: row.id, from: requester.phone, fromAccount: requester.accountId, amount: row.amount, asset: row.asset as AssetSymbol });
  }
  return items;
}

/** Stores a request once per id; returns false when the row was already there. */
export async function createRequest(deps: UssdDeps, req: { id: string; requesterId: AccountId; payerId: AccountId; asset: AssetSymbol; amount: bigint }): Promise<boolean> {
  const now = deps.now?.() ?? Date.now();
  const inserted = await deps.db
    .insert(deps.tables.moneyRequests)
    .values({ id: req.id, requesterId: req.requesterId, payerId: req.payerId, asset: req.asset, amount: req.amount.toString(), status: "open", createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: deps.tables.moneyRequests.id });
  return inserted.length > 0;
}

/** Only the payer can close a request, and only an open one. */
export async function closeRequest(deps: UssdDeps, id: string, payerId: AccountId, status: "paid" | "declined", opId?: string): Promise<void> {
  const { db, tables } = deps;
  await db
    .update(tables.moneyRequests)
    .set({ status, ...(opId ? { opId } : {}), updatedAt: deps.now?.() ?? Date.now() })
    .where(and(eq(tables.moneyRequests.id, id), eq(tables.moneyRequests.payerId, payerId), eq(tables.moneyRequests.status, "open")));
}

/** Notes the operation paying a request before it is sent, so a late settlement can close it. */
export async function linkRequestOp(deps: UssdDeps, id: string, payerId: AccountId, opId: string): Promise<void> {
  const { db, tables } = deps;
  await db
    .update(tables.moneyRequests)
    .set({ opId, updatedAt: deps.now?.() ?? Date.now() })
    .where(and(eq(tables.moneyRequests.id, id), eq(tables.moneyRequests.payerId, payerId), eq(tables.moneyRequests.status, "open")));
}

/** The operation last sent to pay a request, if any (0x-hex). */
export async function linkedOpOf(deps: UssdDeps, id: string): Promise<string | undefined> {
  const [row] = await deps.db.select({ opId: deps.tables.moneyRequests.opId }).from(deps.tables.moneyRequests).where(eq(deps.tables.moneyRequests.id, id));
  return row?.opId ?? undefined;
}

/** A late-settled payment closes the request it paid. */
export async function closeRequestPaidBy(deps: UssdDeps, opId: string): Promise<void> {
  const { db, tables } = deps;
  await db
    .update(tables.moneyRequests)
    .set({ status: "paid", updatedAt: deps.now?.() ?? Date.now() })
    .where(and(eq(tables.moneyRequests.opId, opId), eq(tables.moneyRequests.status, "open")));
}
