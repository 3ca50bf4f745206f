/**
 * The PostgreSQL schema mirrors the SQLite one: same tables, columns, nullability, defaults, keys and
 * indexes, so the same queries run on both. And the committed migrations are what drizzle-kit would
 * generate from the schemas now (a schema edit without a migration fails here, not in production).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

import { openDatabase } from "../../../ussd-bridge/src/db/open.js";
import * as pg from "../../../ussd-bridge/src/db/schema.pg.js";
import * as sqlite from "../../../ussd-bridge/src/db/schema.js";
import { assertMigrationsCurrent, assertMirrors } from "../helpers/schema-parity.js";

describe("bridge database schema", () => {
  it("PostgreSQL mirrors SQLite table for table and column for column", () => {
    assertMirrors(sqlite, pg);
  });

  it("the committed migrations are up to date with both schemas", () => {
    assertMigrationsCurrent({ sqlite: "ussd-bridge/src/db/schema.ts", pg: "ussd-bridge/src/db/schema.pg.ts" }, "ussd-bridge/drizzle");
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
