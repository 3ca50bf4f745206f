/**
 * `Idempotency-Key` for partner POSTs, as Mojaloop treats a repeated transfer id
 * (central-ledger's duplicate check by id plus payload hash):
 *
 * - a new key is claimed (row `in-progress`) before anything happens;
 * - the same key with the same request → the stored response, replayed exactly;
 * - the same key with another request → refused (FSPIOP 3106, "modified request");
 * - the same key while the first request still runs → 409, try again shortly.
 *
 * A response is stored once the request reached the money layer. A request refused before that
 * (an unregistered number, a limit) releases its key, so the partner can fix the cause and retry
 * with the same key — as Stripe does for requests that never started executing. A key left
 * `in-progress` by a crash is reclaimed after `staleAfterMs`; the operation id derives from the key,
 * so the re-run lands on the same outbox row and never moves money twice.
 */
import { and, eq } from "drizzle-orm";

import type { Db, Tables } from "../db/open.js";
import { sha256Hex } from "./signature.js";

export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,64}$/;

export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: string }
  | { kind: "modified" }
  | { kind: "in-progress" };

/** JSON with keys sorted at every level: key order and whitespace do not change a request's hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What makes two requests "the same": method, path and the body's content. */
export function requestHash(method: string, path: string, body: unknown): string {
  return sha256Hex(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`);
}

export interface KeyRef {
  partnerId: string;
  key: string;
}

export function idempotencyStore(db: Db, tables: Tables, options: { now: () => number; staleAfterMs: number }) {
  const k = tables.idempotencyKeys;
  const where = (ref: KeyRef) => and(eq(k.partnerId, ref.partnerId), eq(k.key, ref.key));

  async function claim(ref: KeyRef, hash: string, opIdHex: string): Promise<Claim> {
    // Two rounds: a key released between our insert and our read is simply claimed again.
    for (let round = 0; round < 2; round++) {
      const now = options.now();
      const inserted = await db
        .insert(k)
        .values({ ...ref, requestHash: hash, status: "in-progress", opId: opIdHex, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning({ key: k.key });
      if (inserted.length > 0) return { kind: "claimed" };

      const [row] = await db.select().from(k).where(where(ref)).limit(1);
      if (!row) continue;
      if (row.requestHash !== hash) return { kind: "modified" };
      if (row.status === "done") return { kind: "replay", status: row.responseStatus ?? 200, body: row.responseBody ?? "{}" };
      if (row.updatedAt > now - options.staleAfterMs) return { kind: "in-progress" };
      // Abandoned by a crash: take it over, unless another retry just did.
      const taken = await db
        .update(k)
        .set({ updatedAt: now })
        .where(and(where(ref), eq(k.status, "in-progress"), eq(k.updatedAt, row.updatedAt)))
        .returning({ key: k.key });
      return taken.length > 0 ? { kind: "claimed" } : { kind: "in-progress" };
    }
    return { kind: "in-progress" };
  }

  async function complete(ref: KeyRef, status: number, body: string): Promise<void> {
    await db.update(k).set({ status: "done", responseStatus: status, responseBody: body, updatedAt: options.now() }).where(where(ref));
  }

  /** Frees a key whose request never reached the money layer. */
  async function release(ref: KeyRef): Promise<void> {
    await db.delete(k).where(and(where(ref), eq(k.status, "in-progress")));
  }

  /**
   * A request that reached the money layer and then failed (the chain unreachable): the key keeps
   * its request hash, so another body is still refused, but the same request may reclaim it at once.
   */
  async function abandon(ref: KeyRef): Promise<void> {
    await db.update(k).set({ updatedAt: 0 }).where(and(where(ref), eq(k.status, "in-progress")));
  }

  /** The stored response of the key that drives `opIdHex`, if it is this partner's. */
  async function byOperation(partnerId: string, opIdHex: string): Promise<{ status: string; body: string | null } | undefined> {
    const [row] = await db
      .select({ status: k.status, body: k.responseBody })
      .from(k)
      .where(and(eq(k.partnerId, partnerId), eq(k.opId, opIdHex)))
      .limit(1);
    return row;
  }

  return { claim, complete, release, abandon, byOperation };
}

export type IdempotencyStore = ReturnType<typeof idempotencyStore>;
