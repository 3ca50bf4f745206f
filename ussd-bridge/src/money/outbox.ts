/**
 * The outbox: the `operations` table, one row per money operation, written before its contract call.
 *
 * Life of a row: `pending` (written; maybe being sent) → `submitted` (a transaction is out, its hash
 * recorded) → `done` (the vault executed the operation) or `failed` (the vault refused it and will
 * refuse it again; nothing moved). Rows only move forward: every update is conditional on the row
 * not being final yet, so a slow instance or a late background task can never undo a `done`, and
 * exactly one writer makes each row final (the one whose conditional update changed it).
 *
 * The payload holds the exact request (so a restart can send it again without the caller), the
 * block the first send was made at (to find the execution's event later), and every transaction
 * sent for it with its nonce (to know whether an earlier one could still land).
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Address, Hex } from "viem";

import type { SupplyChange } from "../../../sdk/attestation.js";
import type { Db, Tables } from "../db/open.js";
import type { AccountId, AssetSymbol, MoneyRefusal, OperationRecord } from "../ports.js";
import type { SentTransaction } from "./sender.js";

export type OpKind = OperationRecord["kind"];
export type OpOrigin = OperationRecord["origin"];

/** Everything a vault call needs, per kind. */
export type OpRequest =
  | { kind: "transfer"; from: AccountId; to: AccountId; asset: Address; amount: bigint }
  | { kind: "convert"; account: AccountId; tokenIn: Address; tokenOut: Address; amountIn: bigint; minAmountOut: bigint; deadline: bigint }
  | { kind: "credit" | "refund" | "debit"; account: AccountId; change: SupplyChange; signatures: Hex };

/** One transaction sent for an operation, recorded before it was handed to the node. */
export interface OutboxSend {
  nonce: number;
  /** Known before the broadcast for a locally signed transaction; after it for a node-signed one. */
  hash?: Hex;
  /** When it was handed to the node (ms). */
  at: number;
}

export interface Payload {
  request: OpRequest;
  /** The chain's block number just before the first send: where to look for the execution's event. */
  sinceBlock?: bigint;
  sends: OutboxSend[];
}

export interface NewOperation {
  opId: Hex;
  kind: OpKind;
  origin: OpOrigin;
  accountId: AccountId;
  counterpartyId?: AccountId;
  asset: AssetSymbol;
  amount: bigint;
  assetOut?: AssetSymbol;
  amountOut?: bigint;
  request: OpRequest;
}

export type OperationRow = Tables["operations"]["$inferSelect"];

const OPEN: OperationRecord["status"][] = ["pending", "submitted"];

export const isFinal = (row: OperationRow) => row.status === "done" || row.status === "failed";

export function createOutbox(db: Db, tables: Tables, now: () => number) {
  const ops = tables.operations;
  const stillOpen = (opId: Hex) => and(eq(ops.opId, opId), inArray(ops.status, OPEN));

  async function get(opId: Hex): Promise<OperationRow | undefined> {
    const [row] = await db.select().from(ops).where(eq(ops.opId, opId)).limit(1);
    return row;
  }

  /** Rewrites the payload with compare-and-set, so two writers never lose each other's sends. */
  async function updatePayload(opId: Hex, change: (payload: Payload) => Payload, columns: (before: Payload) => Partial<OperationRow> = () => ({})): Promise<boolean> {
    for (let round = 0; round < 8; round++) {
      const row = await get(opId);
      if (!row || isFinal(row)) return false;
      const before = decodePayload(row.payload);
      const payload = encodePayload(change(before));
      const updated = await db
        .update(ops)
        .set({ ...columns(before), payload, updatedAt: now() })
        .where(and(stillOpen(opId), eq(ops.payload, row.payload)))
        .returning({ opId: ops.opId });
      if (updated.length > 0) return true;
    }
    throw new Error(`outbox row ${opId.slice(0, 10)}… kept changing under concurrent writers`);
  }

  return {
    get,

    /** Inserts the row as `pending`; `created` is false when the id was already there (the row returned is the existing one). */
    async insert(op: NewOperation, initial?: { status: "failed"; error: string }): Promise<{ row: OperationRow; created: boolean }> {
      const at = now();
      const inserted = await db
        .insert(ops)
        .values({
          opId: op.opId,
          kind: op.kind,
          origin: op.origin,
          accountId: op.accountId,
          counterpartyId: op.counterpartyId ?? null,
          asset: op.asset,
          amount: op.amount.toString(),
          assetOut: op.assetOut ?? null,
          amountOut: op.amountOut?.toString() ?? null,
          payload: encodePayload({ request: op.request, sends: [] }),
          status: initial?.status ?? "pending",
          error: initial?.error ?? null,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return { row: inserted[0], created: true };
      const existing = await get(op.opId);
      if (!existing) throw new Error(`outbox row ${op.opId.slice(0, 10)}… neither inserted nor found`);
      return { row: existing, created: false };
    },

    unfinished(): Promise<OperationRow[]> {
      return db.select().from(ops).where(inArray(ops.status, OPEN)).orderBy(ops.createdAt);
    },

    /** Before the first send: fixes the block from which to search for the execution's event. */
    async markSearchFrom(opId: Hex, blockNumber: bigint): Promise<void> {
      await updatePayload(opId, (p) => ({ ...p, sinceBlock: p.sinceBlock ?? blockNumber }));
    },

    /** A transaction is about to go out (signed, nonce taken): the row is `submitted` and keeps the send. */
    recordSend(opId: Hex, send: OutboxSend): Promise<boolean> {
      return updatePayload(
        opId,
        (p) => ({ ...p, sends: [...p.sends, send] }),
        (p) => ({ status: "submitted", attempts: p.sends.length + 1, error: null, ...(send.hash ? { txHash: send.hash } : {}) }),
      );
    },

    /** The node's hash for a send recorded without one (a node-signed transaction). */
    setSendHash(opId: Hex, sent: SentTransaction): Promise<boolean> {
      return updatePayload(opId, (p) => ({ ...p, sends: p.sends.map((s) => (s.nonce === sent.nonce && !s.hash ? { ...s, hash: sent.hash } : s)) }), () => ({ txHash: sent.hash }));
    },

    /** Notes why the last try did not get through (a timeout, a refused connection) on a row that stays open. */
    async note(opId: Hex, problem: string): Promise<void> {
      await db.update(ops).set({ error: `retrying: ${problem.slice(0, 300)}`, updatedAt: now() }).where(stillOpen(opId));
    },

    /** Makes the row final. Returns the final row when this call made it so, undefined when it already was. */
    async finish(opId: Hex, end: { status: "done"; txHash: Hex; amountOut?: bigint } | { status: "failed"; reason: MoneyRefusal; detail: string }): Promise<OperationRow | undefined> {
      const set =
        end.status === "done"
          ? { status: "done", txHash: end.txHash, error: null, ...(end.amountOut !== undefined ? { amountOut: end.amountOut.toString() } : {}) }
          : { status: "failed", error: formatRefusal(end.reason, end.detail) };
      const [row] = await db.update(ops).set({ ...set, updatedAt: now() }).where(stillOpen(opId)).returning();
      return row;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

// ─── the error column of a failed row: "<refusal>: <detail>" ─────────────────────────────────────────

export function formatRefusal(reason: MoneyRefusal, detail: string): string {
  return `${reason}: ${detail}`;
}

export function parseRefusal(error: string | null): { reason: MoneyRefusal; detail?: string } {
  if (!error) return { reason: "unknown" };
  const at = error.indexOf(": ");
  return at < 0 ? { reason: error as MoneyRefusal } : { reason: error.slice(0, at) as MoneyRefusal, detail: error.slice(at + 2) };
}

// ─── payload JSON, with bigints kept exact ───────────────────────────────────────────────────────────

export function encodePayload(payload: Payload): string {
  return JSON.stringify(payload, (_key, value) => (typeof value === "bigint" ? { $bigint: value.toString() } : value));
}

export function decodePayload(text: string): Payload {
  return JSON.parse(text, (_key, value) =>
    value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof value.$bigint === "string" ? BigInt(value.$bigint) : value,
  ) as Payload;
}

export function toRecord(row: OperationRow): OperationRecord {
  return {
    opId: BigInt(row.opId),
    kind: row.kind as OpKind,
    origin: row.origin as OpOrigin,
    accountId: row.accountId as AccountId,
    ...(row.counterpartyId ? { counterpartyId: row.counterpartyId as AccountId } : {}),
    asset: row.asset as AssetSymbol,
    amount: BigInt(row.amount),
    ...(row.assetOut ? { assetOut: row.assetOut as AssetSymbol } : {}),
    ...(row.amountOut ? { amountOut: BigInt(row.amountOut) } : {}),
    status: row.status as OperationRecord["status"],
    ...(row.txHash ? { txHash: row.txHash as Hex } : {}),
    ...(row.error ? { error: row.error } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
