/**
 * Checks shared by every part that keeps a SQLite schema with a PostgreSQL mirror: the two describe the
 * same tables, columns, keys and indexes, and the committed migrations are what drizzle-kit would
 * generate from the schemas now (a schema edit without its migration fails a test, not production).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableConfig as pgConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

function describeSqlite(table: SQLiteTable) {
  const c = sqliteConfig(table);
  return {
    name: c.name,
    columns: c.columns.map((col) => ({ name: col.name, notNull: col.notNull, primary: col.primary, hasDefault: col.hasDefault })),
    primaryKeys: c.primaryKeys.map((pk) => pk.columns.map((col) => col.name)),
    indexes: c.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique, on: i.config.columns.map((col) => (col as { name: string }).name) })),
  };
}

function describePg(table: PgTable) {
  const c = pgConfig(table);
  return {
    name: c.name,
    columns: c.columns.map((col) => ({ name: col.name, notNull: col.notNull, primary: col.primary, hasDefault: col.hasDefault || col.generatedIdentity !== undefined })),
    primaryKeys: c.primaryKeys.map((pk) => pk.columns.map((col) => col.name)),
    indexes: c.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique, on: i.config.columns.map((col) => (col as { name: string }).name) })),
  };
}

export function assertMirrors(sqlite: Record<string, unknown>, pg: Record<string, unknown>): void {
  const names = Object.keys(sqlite).sort();
  assert.deepEqual(Object.keys(pg).sort(), names);
  for (const name of names) {
    assert.deepEqual(describePg(pg[name] as PgTable), describeSqlite(sqlite[name] as SQLiteTable), `table ${name} differs between the dialects`);
  }
}

/** `schemas` are paths relative to the repository root; `migrations` holds `sqlite/` and `pg/`. */
export function assertMigrationsCurrent(schemas: { sqlite: string; pg: string }, migrations: string): void {
  for (const dialect of ["sqlite", "pg"] as const) {
    const out = mkdtempSync(path.join(tmpdir(), `juapesa-drizzle-${dialect}-`));
    try {
      // Generate into a copy of the committed folder: drizzle-kit writes nothing new when they agree.
      // (It takes --out relative to the working directory.)
      const committed = path.join(ROOT, migrations, dialect);
      spawnSync("cp", ["-r", `${committed}/.`, out]);
      const run = spawnSync(
        path.join(ROOT, "node_modules/.bin/drizzle-kit"),
        ["generate", "--dialect", dialect === "sqlite" ? "sqlite" : "postgresql", "--schema", schemas[dialect], "--out", path.relative(ROOT, out)],
        { cwd: ROOT, encoding: "utf8" },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(readdirSync(out).sort(), readdirSync(committed).sort(), `${dialect}: drizzle-kit generated a new migration; commit it`);
      assert.match(run.stdout, /No schema changes/, `${dialect}: ${run.stdout}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
}
