/**
 * Opens the bridge's database and brings its schema up to date with the committed migrations
 * (ussd-bridge/drizzle/{sqlite,pg}). The opening itself (SQLite file or `:memory:`, `postgres://`,
 * `pglite://`) is sdk/sql.ts's, shared with the other parts that keep tables.
 *
 * Every caller gets the same `Database`: drizzle with the SQLite table objects' types. The PostgreSQL
 * tables (schema.pg.ts) have the same names, columns and value types, so the same queries run on
 * both; only the table objects passed to drizzle differ, and `tables` holds the right ones.
 * Queries must be awaited and must not rely on a dialect-specific feature.
 */
import path from "node:path";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";

import { openSql, type Dialect, type SqlDatabase } from "../../../sdk/sql.js";
import * as sqliteSchema from "./schema.js";
import * as pgSchema from "./schema.pg.js";

export type Tables = typeof sqliteSchema;
export type Db = BetterSQLite3Database<Tables>;
export type { Dialect };

export type Database = SqlDatabase<Tables>;

export interface DatabaseOptions {
  /** Overrides the SQLite path; ignored when `url` is set. ":memory:" for a throwaway database. */
  sqlitePath?: string;
  /** A DATABASE_URL; when set, PostgreSQL is used. */
  url?: string;
}

const MIGRATIONS = path.resolve(import.meta.dirname, "../../drizzle");

export function openDatabase(options: DatabaseOptions): Promise<Database> {
  return openSql({ sqlite: sqliteSchema, pg: pgSchema, migrations: MIGRATIONS }, options);
}
