/**
 * Opens the liquidity database (flow history + keeper state) and applies the committed migrations
 * (agents/liquidity/drizzle/{sqlite,pg}): a SQLite file by default, PostgreSQL when a DATABASE_URL
 * (postgres://, pglite://) is given. See sdk/sql.ts for the rules queries follow to run on both.
 */
import path from "node:path";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";

import { openSql, type SqlDatabase } from "../../../sdk/sql.js";
import * as sqliteSchema from "./schema.js";
import * as pgSchema from "./schema.pg.js";

export type LiquidityTables = typeof sqliteSchema;
export type LiquidityDb = BetterSQLite3Database<LiquidityTables>;
export type LiquidityDatabase = SqlDatabase<LiquidityTables>;

const MIGRATIONS = path.resolve(import.meta.dirname, "../drizzle");

export function openLiquidityDatabase(location: { sqlitePath?: string; url?: string }): Promise<LiquidityDatabase> {
  // FULL: an order written before its send must survive a power cut, not only a crash.
  return openSql({ sqlite: sqliteSchema, pg: pgSchema, migrations: MIGRATIONS }, { ...location, synchronous: "FULL" });
}
