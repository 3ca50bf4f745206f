/**
 * What an adapter must remember between calls, for the rails whose API cannot answer it later:
 * M-Pesa has no idempotency key on STK push or B2C, so the adapter remembers which references it sent;
 * Orange Money's status query needs the pay_token its web payment returned. In memory by default; the
 * bridge passes `dbRailMemory` so the memory survives a restart and is shared with the attester.
 */
import { eq } from "drizzle-orm";

import type { Db, Tables } from "../db/open.js";
import { ProviderError } from "./http.js";

export interface RailMemory {
  get(key: string): Promise<string | undefined>;
  /** Stores the value only if the key is new; true when it did. */
  claim(key: string, value: string): Promise<boolean>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export function memoryRailMemory(): RailMemory {
  const map = new Map<string, string>();
  return {
    async get(key) {
      return map.get(key);
    },
    async claim(key, value) {
      if (map.has(key)) return false;
      map.set(key, value);
      return true;
    },
    async set(key, value) {
      map.set(key, value);
    },
    async delete(key) {
      map.delete(key);
    },
  };
}

/** Kept in the bridge's `bridge_state` table under `rails:…` keys; runs on SQLite and PostgreSQL. */
export function dbRailMemory({ db, tables }: { db: Db; tables: Tables }): RailMemory {
  const state = tables.bridgeState;
  return {
    async get(key) {
      const rows = await db.select({ value: state.value }).from(state).where(eq(state.key, key));
      return rows[0]?.value;
    },
    async claim(key, value) {
      const rows = await db.insert(state).values({ key, value, updatedAt: Date.now() }).onConflictDoNothing().returning({ key: state.key });
      return rows.length === 1;
    },
    async set(key, value) {
      await db
        .insert(state)
        .values({ key, value, updatedAt: Date.now() })
        .onConflictDoUpdate({ target: state.key, set: { value, updatedAt: Date.now() } });
    },
    async delete(key) {
      await db.delete(state).where(eq(state.key, key));
    },
  };
}

interface Remembered<T> {
  sentAt: number;
  result?: T;
}

/**
 * Sends a request at most once per key, for a rail without an idempotency key of its own. The key is
 * claimed before sending; the answer is stored after. If the provider answered with an error, nothing
 * happened and the claim is released so a retry may send. If the answer was lost (network failure or
 * a crash), the claim stays and later calls refuse to send again: only the rail's statement can tell
 * whether the first request went through, and guessing would risk charging a customer twice.
 */
export async function sendOnce<T>(memory: RailMemory, key: string, provider: string, send: () => Promise<T>): Promise<T> {
  const claimed = await memory.claim(key, JSON.stringify({ sentAt: Date.now() } satisfies Remembered<T>));
  if (!claimed) {
    const stored = JSON.parse((await memory.get(key)) ?? "{}") as Remembered<T>;
    if (stored.result !== undefined) return stored.result;
    throw new ProviderError(provider, "request", {
      said: "a request with this reference is in flight, or was sent and its answer was lost",
      hint: "Do not resend it: find it in the rail's statement (reconciliation) and settle it from there",
    });
  }
  let result: T;
  try {
    result = await send();
  } catch (error) {
    // An HTTP answer means the provider refused the request; anything else leaves it unknown.
    if (error instanceof ProviderError && error.status !== undefined) await memory.delete(key);
    throw error;
  }
  await memory.set(key, JSON.stringify({ sentAt: Date.now(), result } satisfies Remembered<T>));
  return result;
}

/** The answer `sendOnce` stored for a key, if the request was sent and answered. */
export async function rememberedAnswer<T>(memory: RailMemory, key: string): Promise<T | undefined> {
  const text = await memory.get(key);
  if (!text) return undefined;
  return (JSON.parse(text) as Remembered<T>).result;
}
