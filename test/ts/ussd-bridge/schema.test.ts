/**
 * The PostgreSQL schema mirrors the SQLite one: same tables, columns, nullability, defaults, keys and
 * indexes, so the same queries run on both. And the committed migrations are what drizzle-kit would
 * generate from the schemas now (a schema edit without a migration fails here, not in production).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { getTableConfig as pgConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";

import { openDatabase } from "../../../ussd-bridge/src/db/open.js";
import * as pg from "../../../ussd-bridge/src/db/schema.pg.js";
import * as sqlite from "../../../ussd-bridge/src/db/schema.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

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

describe("bridge database schema", () => {
  it("PostgreSQL mirrors SQLite table for table and column for column", () => {
    const names = Object.keys(sqlite).sort();
    assert.deepEqual(Object.keys(pg).sort(), names);
    for (const name of names) {
      assert.deepEqual(
        describePg((pg as unknown as Record<string, PgTable>)[name]!),
        describeSqlite((sqlite as unknown as Record<string, SQLiteTable>)[name]!),
        `table ${name} differs between the dialects`,
      );
    }
  });

  it("the committed migrations are up to date with both schemas", () => {
    for (const dialect of ["sqlite", "pg"]) {
      const out = mkdtempSync(path.join(tmpdir(), `juapesa-drizzle-${dialect}-`));
      try {
        const schema = dialect === "sqlite" ? "schema.ts" : "schema.pg.ts";
        // Generate into a copy of the committed folder: drizzle-kit writes nothing new when they agree.
        // (It takes --out relative to the working directory.)
        const committed = path.join(ROOT, "ussd-bridge/drizzle", dialect);
        spawnSync("cp", ["-r", `${committed}/.`, out]);
        const run = spawnSync(
          path.join(ROOT, "node_modules/.bin/drizzle-kit"),
          ["generate", "--dialect", dialect === "sqlite" ? "sqlite" : "postgresql", "--schema", `ussd-bridge/src/db/${schema}`, "--out", path.relative(ROOT, out)],
          { cwd: ROOT, encoding: "utf8" },
        );
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(readdirSync(out).sort(), readdirSync(committed).sort(), `${dialect}: drizzle-kit generated a new migration; commit it`);
        assert.match(run.stdout, /No schema changes/, `${dialect}: ${run.stdout}`);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  });

  for (const [label, options] of [
    ["SQLite", { sqlitePath: ":memory:" }],
    ["PostgreSQL (PGlite)", { url: "pglite://memory" }],
  ] as const) {
    it(`${label}: migrations create every table, and reopening applies nothing twice`, async () => {
      const database = await openDatabase(options);
      try {
        for (const table of Object.values(database.tables)) {
          await database.db.select().from(table as typeof database.tables.users).limit(1);
        }
      } finally {
        await database.close();
      }
    });
  }

  it("a SQLite file keeps its rows across reopening, and a bad DATABASE_URL is refused clearly", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "juapesa-db-"));
    try {
      const file = path.join(dir, "nested", "bridge.db");
      const first = await openDatabase({ sqlitePath: file });
      const now = Date.now();
      await first.db.insert(first.tables.bridgeState).values({ key: "k", value: "v", updatedAt: now });
      await first.close();
      const second = await openDatabase({ sqlitePath: file });
      assert.deepEqual(await second.db.select().from(second.tables.bridgeState), [{ key: "k", value: "v", updatedAt: now }]);
      await second.close();
      assert.ok(readFileSync(file).length > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await assert.rejects(openDatabase({ url: "mysql://x" }), /DATABASE_URL must start with postgres:\/\/, postgresql:\/\/ or pglite:\/\//);
  });
});
