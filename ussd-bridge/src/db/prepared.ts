/**
 * Hot queries (run on most USSD hops) are prepared once on SQLite: building a drizzle query costs
 * several times what SQLite needs to run it. On PostgreSQL they are built per call (a named
 * prepared statement there lives per connection, which the pool hides).
 */
import BetterSqlite3 from "better-sqlite3";

import type { Db, Tables } from "./open.js";

/** The better-sqlite3 connection under `db`, when it is SQLite. */
export function sqliteClientOf(db: Db): BetterSqlite3.Database | undefined {
  const client = (db as { $client?: unknown }).$client;
  return client instanceof BetterSqlite3 ? client : undefined;
}

/**
 * One prepared query per database, made on first use; `undefined` on PostgreSQL, where the caller
 * builds the query each time.
 */
export function preparedPer<T>(make: (db: Db, tables: Tables) => T): (db: Db, tables: Tables) => T | undefined {
  const made = new WeakMap<Db, T>();
  return (db, tables) => {
    if (!sqliteClientOf(db)) return undefined;
    let query = made.get(db);
    if (!query) made.set(db, (query = make(db, tables)));
    return query;
  };
}
