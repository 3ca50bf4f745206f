/**
 * Opens the bridge's database and brings its schema up to date with the committed migrations.
 *
 * - default: a SQLite file (better-sqlite3, WAL) at `sqlitePath`, or `:memory:`;
 * - `DATABASE_URL=postgres://…` (or `postgresql://…`): PostgreSQL through node-postgres;
 * - `DATABASE_URL=pglite://<dir>` or `pglite://memory`: PostgreSQL compiled to wasm, in process
 *   (PGlite), which runs the PostgreSQL dialect anywhere, for tests and trials.
 *
 * Every caller gets the same `Database`: drizzle with the SQLite table objects' types. The PostgreSQL
 * tables (schema.pg.ts) have the same names, columns and value types, so the same queries run on
 * both; only the table objects passed to drizzle differ, and `tables` holds the right ones.
 * Queries must be awaited (SQLite's driver is synchronous underneath, which awaiting tolerates) and
 * must not rely on a dialect-specific feature.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";

import * as sqliteSchema from "./schema.js";
import * as pgSchema from "./schema.pg.js";

export type Tables = typeof sqliteSchema;
export type Db = BetterSQLite3Database<Tables>;
export type Dialect = "sqlite" | "postgres";

export interface Database {
  db: Db;
  tables: Tables;
  dialect: Dialect;
  /** Where it lives, without credentials (for logs). */
  where: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Overrides the SQLite path; ignored when `url` is set. ":memory:" for a throwaway database. */
  sqlitePath?: string;
  /** A DATABASE_URL; when set, PostgreSQL is used. */
  url?: string;
}

const MIGRATIONS = path.resolve(import.meta.dirname, "../../drizzle");

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const url = options.url?.trim();
  if (url) return openPostgres(url);
  const file = options.sqlitePath ?? ":memory:";
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma("journal_mode = WAL"); // readers never wait for the writer
  sqlite.pragma("synchronous = NORMAL"); // durable at each WAL checkpoint; safe against application crashes
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzleSqlite(sqlite, { schema: sqliteSchema });
  migrateSqlite(db, { migrationsFolder: path.join(MIGRATIONS, "sqlite") });
  return {
    db,
    tables: sqliteSchema,
    dialect: "sqlite",
    where: file === ":memory:" ? "sqlite (memory)" : `sqlite ${path.resolve(file)}`,
    close: async () => void sqlite.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const folder = path.join(MIGRATIONS, "pg");
  if (url.startsWith("pglite://")) {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const dir = url.slice("pglite://".length);
    const client = dir === "" || dir === "memory" ? new PGlite() : new PGlite(path.resolve(dir));
    const db = drizzle(client, { schema: pgSchema });
    await migrate(db, { migrationsFolder: folder });
    return { db: db as unknown as Db, tables: pgSchema as unknown as Tables, dialect: "postgres", where: `pglite ${dir || "memory"}`, close: () => client.close() };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL must start with postgres://, postgresql:// or pglite://");
  const { default: pg } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = drizzle(pool, { schema: pgSchema });
  await migrate(db, { migrationsFolder: folder });
  const { host, port, pathname } = new URL(url);
  return { db: db as unknown as Db, tables: pgSchema as unknown as Tables, dialect: "postgres", where: `postgres ${host}:${port}${pathname}`, close: () => pool.end() };
}
