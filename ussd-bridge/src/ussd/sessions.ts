/**
 * USSD sessions in the `sessions` table, with an in-memory copy so a hop reads nothing and writes
 * one small row.
 *
 * Every write is conditional on the row's `updatedAt` being what this process last saw (optimistic
 * concurrency): when another instance, or a restart, moved the session on, the write fails, the
 * copy is dropped and the hop is replayed from the database. So a second bridge behind the same
 * gateway, or a gateway retry landing on another instance, can never run a step twice from a stale
 * copy.
 *
 * Timings (see docs/ussd.md):
 * - LIVE_WINDOW_MS: a session seen within the last 60 s and not ended holds its phone: a second
 *   session for that phone is refused.
 * - RESUME_WINDOW_MS: a session cut off mid-flow (the gateway reported Incomplete/Failed, or it
 *   went quiet past the live window without an END) can be continued within 5 minutes of its last
 *   hop by the next dial.
 */
import { and, desc, eq, gte, ne } from "drizzle-orm";

import type { E164 } from "../ports.js";
import type { UssdDeps } from "./deps.js";
import type { FlowState } from "./state.js";

export const LIVE_WINDOW_MS = 60_000;
export const RESUME_WINDOW_MS = 5 * 60_000;
/** Copies older than this are dropped from memory (the database keeps them). */
const CACHE_TTL_MS = RESUME_WINDOW_MS + LIVE_WINDOW_MS;
const CACHE_MAX = 100_000;

export type SessionStatus = "live" | "ended" | "dropped";

export interface SessionRecord {
  sessionId: string;
  phone: E164;
  state: FlowState;
  /** Inputs processed so far (the length of `lastInput` split on "*"). */
  hops: number;
  /** The inputs so far, `*`-joined, with every PIN withheld (engine.ts). */
  lastInput: string;
  lastResponse: string;
  status: SessionStatus;
  createdAt: number;
  /** Also the row's version for conditional writes. */
  updatedAt: number;
  /** Whether the row exists yet. */
  stored: boolean;
  /** PINs between hops; never written anywhere. */
  secrets: Map<string, string>;
}

export type SessionUpdate = Pick<SessionRecord, "state" | "hops" | "lastInput" | "lastResponse" | "status">;

export class StaleSessionError extends Error {
  constructor() {
    super("the session moved on elsewhere; replaying from the database");
    this.name = "StaleSessionError";
  }
}

export class SessionStore {
  private readonly cache = new Map<string, SessionRecord>();
  private lastSweep = 0;

  constructor(
    private readonly deps: Pick<UssdDeps, "db" | "tables">,
    private readonly now: () => number,
  ) {}

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const cached = this.cache.get(sessionId);
    if (cached) return cached;
    const { db, tables } = this.deps;
    const [row] = await db.select().from(tables.sessions).where(eq(tables.sessions.sessionId, sessionId));
    if (!row) return undefined;
    const record = fromRow(row);
    if (record) this.remember(record);
    return record;
  }

  /** The phone's other sessions not ended and seen within the resume window, newest first. */
  async recentFor(phone: E164, exceptSessionId: string): Promise<SessionRecord[]> {
    const { db, tables } = this.deps;
    const rows = await db
      .select()
      .from(tables.sessions)
      .where(and(eq(tables.sessions.phone, phone), ne(tables.sessions.status, "ended"), gte(tables.sessions.updatedAt, this.now() - RESUME_WINDOW_MS)))
      .orderBy(desc(tables.sessions.updatedAt))
      .limit(5);
    return rows
      .filter((row) => row.sessionId !== exceptSessionId)
      .map((row) => this.cache.get(row.sessionId) ?? fromRow(row))
      .filter((r): r is SessionRecord => r !== undefined);
  }

  /** A record not stored yet. */
  fresh(sessionId: string, phone: E164, state: FlowState): SessionRecord {
    const now = this.now();
    return { sessionId, phone, state, hops: 0, lastInput: "", lastResponse: "", status: "live", createdAt: now, updatedAt: now, stored: false, secrets: new Map() };
  }

  /** Writes the record's new state; throws StaleSessionError when the row moved on elsewhere. */
  async save(record: SessionRecord, update: SessionUpdate): Promise<void> {
    const { db, tables } = this.deps;
    const updatedAt = Math.max(this.now(), record.updatedAt + 1);
    const values = { state: JSON.stringify(update.state), hops: update.hops, lastInput: update.lastInput, lastResponse: update.lastResponse, status: update.status, updatedAt };
    if (!record.stored) {
      const inserted = await db
        .insert(tables.sessions)
        .values({ sessionId: record.sessionId, phone: record.phone, createdAt: record.createdAt, ...values })
        .onConflictDoNothing()
        .returning({ sessionId: tables.sessions.sessionId });
      if (inserted.length === 0) throw this.stale(record.sessionId);
    } else {
      const updated = await db
        .update(tables.sessions)
        .set(values)
        .where(and(eq(tables.sessions.sessionId, record.sessionId), eq(tables.sessions.updatedAt, record.updatedAt)))
        .returning({ sessionId: tables.sessions.sessionId });
      if (updated.length === 0) throw this.stale(record.sessionId);
    }
    Object.assign(record, update, { updatedAt, stored: true });
    this.remember(record);
  }

  /** Marks a session ended or dropped (the gateway's end-of-session notice, or a takeover). */
  async setStatus(sessionId: string, status: SessionStatus): Promise<void> {
    const { db, tables } = this.deps;
    const updatedAt = this.now();
    const cached = this.cache.get(sessionId);
    // The row's time is kept as the last hop's for a drop, so the resume window counts from the hop.
    const set = status === "dropped" ? { status } : { status, updatedAt: Math.max(updatedAt, (cached?.updatedAt ?? 0) + 1) };
    await db.update(tables.sessions).set(set).where(eq(tables.sessions.sessionId, sessionId));
    this.cache.delete(sessionId); // re-read on next use, so versions stay exact
  }

  forgetCopy(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  private stale(sessionId: string): StaleSessionError {
    this.cache.delete(sessionId);
    return new StaleSessionError();
  }

  private remember(record: SessionRecord): void {
    this.cache.delete(record.sessionId);
    this.cache.set(record.sessionId, record); // most recently used last
    this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    if (this.cache.size <= CACHE_MAX && now - this.lastSweep < 30_000) return;
    this.lastSweep = now;
    for (const [id, record] of this.cache) {
      if (this.cache.size > CACHE_MAX || now - record.updatedAt > CACHE_TTL_MS) this.cache.delete(id);
      else break; // ordered by last use: the rest are newer
    }
  }
}

type Row = {
  sessionId: string;
  phone: string;
  state: string;
  hops: number;
  lastInput: string;
  lastResponse: string;
  status: string;
  createdAt: number;
  updatedAt: number;
};

function fromRow(row: Row): SessionRecord | undefined {
  let state: FlowState;
  try {
    state = JSON.parse(row.state) as FlowState;
  } catch {
    return undefined;
  }
  const status: SessionStatus = row.status === "ended" || row.status === "dropped" ? row.status : "live";
  return {
    sessionId: row.sessionId,
    phone: row.phone as E164,
    state,
    hops: row.hops,
    lastInput: row.lastInput,
    lastResponse: row.lastResponse,
    status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    stored: true,
    secrets: new Map(),
  };
}
