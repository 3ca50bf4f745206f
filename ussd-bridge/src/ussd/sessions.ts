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
import BetterSqlite3 from "better-sqlite3";
import { and, desc, eq, gte, inArray, lt } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";

import type { E164 } from "../ports.js";
import type { UssdDeps } from "./deps.js";
import type { FlowState } from "./state.js";
import { groupCommit } from "./writes.js";

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
  private readonly rows: SessionRows;
  private lastSweep = 0;

  constructor(
    deps: Pick<UssdDeps, "db" | "tables">,
    private readonly now: () => number,
  ) {
    this.rows = sessionRows(deps);
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const cached = this.cache.get(sessionId);
    if (cached) return cached;
    const row = await this.rows.get(sessionId);
    if (!row) return undefined;
    const record = fromRow(row);
    if (record) this.remember(record);
    return record;
  }

  /** The phone's other sessions not ended and seen within the resume window, newest first. */
  async recentFor(phone: E164, exceptSessionId: string): Promise<SessionRecord[]> {
    const rows = await this.rows.recent(phone, this.now() - RESUME_WINDOW_MS);
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
    const updatedAt = Math.max(this.now(), record.updatedAt + 1);
    const values = { state: JSON.stringify(update.state), hops: update.hops, lastInput: update.lastInput, lastResponse: update.lastResponse, status: update.status, updatedAt };
    const written = record.stored
      ? await this.rows.update(record.sessionId, record.updatedAt, values)
      : await this.rows.insert({ sessionId: record.sessionId, phone: record.phone, createdAt: record.createdAt, ...values });
    if (!written) throw this.stale(record.sessionId);
    Object.assign(record, update, { updatedAt, stored: true });
    this.remember(record);
  }

  /** Marks a session ended or dropped (the gateway's end-of-session notice, or a takeover). */
  async setStatus(sessionId: string, status: SessionStatus): Promise<void> {
    const cached = this.cache.get(sessionId);
    // The row's time is kept as the last hop's for a drop, so the resume window counts from the hop.
    const updatedAt = status === "dropped" ? undefined : Math.max(this.now(), (cached?.updatedAt ?? 0) + 1);
    await this.rows.setStatus(sessionId, status, updatedAt);
    // The copy is changed exactly as the row was, so it stays a faithful version of it.
    if (cached) Object.assign(cached, { status }, updatedAt === undefined ? {} : { updatedAt });
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

type RowValues = Pick<Row, "state" | "hops" | "lastInput" | "lastResponse" | "status" | "updatedAt">;

/** The five things the store does to the `sessions` table; `true` = the row was written. */
interface SessionRows {
  get(sessionId: string): Promise<Row | undefined>;
  recent(phone: string, since: number): Promise<Row[]>;
  insert(row: Row): Promise<boolean>;
  update(sessionId: string, version: number, values: RowValues): Promise<boolean>;
  setStatus(sessionId: string, status: SessionStatus, updatedAt: number | undefined): Promise<void>;
}

/**
 * Every hop writes a session row, so on SQLite the store uses prepared statements straight on the
 * driver (built from the drizzle table, so names live in schema.ts only): building a drizzle query
 * costs several times what SQLite needs to run it. And the writes of the hops that arrive together
 * are committed together (group commit, writes.ts): a hop still answers only once its own row is
 * committed. PostgreSQL goes through drizzle.
 */
function sessionRows(deps: Pick<UssdDeps, "db" | "tables">): SessionRows {
  const client = (deps.db as { $client?: unknown }).$client;
  return client instanceof BetterSqlite3 ? sqliteRows(client, deps.tables) : drizzleRows(deps);
}

function sqliteRows(client: BetterSqlite3.Database, tables: UssdDeps["tables"]): SessionRows {
  const config = getTableConfig(tables.sessions);
  const c = tables.sessions;
  const q = (name: string) => `"${name}"`;
  const table = q(config.name);
  const keys = ["sessionId", "phone", "state", "hops", "lastInput", "lastResponse", "status", "createdAt", "updatedAt"] as const;
  const select = `SELECT ${keys.map((k) => `${q(c[k].name)} AS ${q(k)}`).join(", ")} FROM ${table}`;
  const get = client.prepare<[string], Row>(`${select} WHERE ${q(c.sessionId.name)} = ?`);
  const recent = client.prepare<[string, number], Row>(
    `${select} WHERE ${q(c.phone.name)} = ? AND ${q(c.status.name)} IN ('live', 'dropped') AND ${q(c.updatedAt.name)} >= ? ORDER BY ${q(c.updatedAt.name)} DESC LIMIT 5`,
  );
  const insert = client.prepare(`INSERT INTO ${table} (${keys.map((k) => q(c[k].name)).join(", ")}) VALUES (${keys.map((k) => `@${k}`).join(", ")}) ON CONFLICT DO NOTHING`);
  const changed = ["state", "hops", "lastInput", "lastResponse", "status", "updatedAt"] as const;
  const update = client.prepare(
    `UPDATE ${table} SET ${changed.map((k) => `${q(c[k].name)} = @${k}`).join(", ")} WHERE ${q(c.sessionId.name)} = @sessionId AND ${q(c.updatedAt.name)} = @version`,
  );
  const setStatus = client.prepare(`UPDATE ${table} SET ${q(c.status.name)} = @status, ${q(c.updatedAt.name)} = COALESCE(@updatedAt, ${q(c.updatedAt.name)}) WHERE ${q(c.sessionId.name)} = @sessionId`);
  const write = groupCommit(client);
  return {
    get: async (sessionId) => get.get(sessionId),
    recent: async (phone, since) => recent.all(phone, since),
    insert: (row) => write(() => insert.run(row).changes === 1),
    update: (sessionId, version, values) => write(() => update.run({ ...values, sessionId, version }).changes === 1),
    setStatus: (sessionId, status, updatedAt) => write(() => void setStatus.run({ sessionId, status, updatedAt: updatedAt ?? null })),
  };
}

function drizzleRows({ db, tables }: Pick<UssdDeps, "db" | "tables">): SessionRows {
  const t = tables.sessions;
  return {
    async get(sessionId) {
      const [row] = await db.select().from(t).where(eq(t.sessionId, sessionId));
      return row;
    },
    recent: (phone, since) =>
      db
        .select()
        .from(t)
        .where(and(eq(t.phone, phone), inArray(t.status, ["live", "dropped"]), gte(t.updatedAt, since)))
        .orderBy(desc(t.updatedAt))
        .limit(5),
    async insert(row) {
      const inserted = await db.insert(t).values(row).onConflictDoNothing().returning({ sessionId: t.sessionId });
      return inserted.length > 0;
    },
    async update(sessionId, version, values) {
      const updated = await db
        .update(t)
        .set(values)
        .where(and(eq(t.sessionId, sessionId), eq(t.updatedAt, version)))
        .returning({ sessionId: t.sessionId });
      return updated.length > 0;
    },
    async setStatus(sessionId, status, updatedAt) {
      await db
        .update(t)
        .set(updatedAt === undefined ? { status } : { status, updatedAt })
        .where(eq(t.sessionId, sessionId));
    },
  };
}

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

/** How long a session row is kept after its last hop: far past any resume or live window. */
export const SESSION_RETENTION_MS = 24 * 3_600_000;

/**
 * Deletes the session rows last touched before `before` and returns how many. Old rows are no use
 * to anyone (no resume reaches back that far) and hold what people typed and saw (masked numbers,
 * amounts, balances), so they are not kept. The in-memory copies expire long before.
 */
export async function purgeSessions({ db, tables }: Pick<UssdDeps, "db" | "tables">, before: number): Promise<number> {
  const t = tables.sessions;
  const gone = await db.delete(t).where(lt(t.updatedAt, before)).returning({ sessionId: t.sessionId });
  return gone.length;
}
