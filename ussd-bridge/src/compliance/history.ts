/**
 * An account's recent outgoing money, read from the outbox (`operations`), for the limit checks and
 * the monitoring rules. Outgoing means a transfer sent or a cash out (a vault debit); a convert
 * stays with the same person, so it is not counted. Failed operations moved nothing.
 */
import { and, eq, gte, inArray, ne } from "drizzle-orm";

import type { Db, Tables } from "../db/open.js";
import type { AccountId, AssetSymbol } from "../ports.js";

export interface OutgoingOp {
  opId: string; // 0x-hex, as stored
  kind: "transfer" | "debit";
  asset: AssetSymbol;
  amount: bigint;
  createdAt: number;
}

export const OUTGOING_KINDS = ["transfer", "debit"] as const;

export async function outgoingSince(db: Db, tables: Tables, accountId: AccountId, since: number): Promise<OutgoingOp[]> {
  const { operations: o } = tables;
  const rows = await db
    .select({ opId: o.opId, kind: o.kind, asset: o.asset, amount: o.amount, createdAt: o.createdAt })
    .from(o)
    .where(and(eq(o.accountId, accountId), gte(o.createdAt, since), inArray(o.kind, [...OUTGOING_KINDS]), ne(o.status, "failed")));
  return rows.map((r) => ({ ...r, kind: r.kind as OutgoingOp["kind"], asset: r.asset as AssetSymbol, amount: BigInt(r.amount) }));
}
