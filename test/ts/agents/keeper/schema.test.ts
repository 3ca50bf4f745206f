/**
 * The liquidity database (flow history + keeper state): the PostgreSQL schema mirrors the SQLite one,
 * the committed migrations are current, and both dialects open, migrate and keep rows.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

import { openLiquidityDatabase } from "../../../../agents/liquidity/db/open.js";
import * as pg from "../../../../agents/liquidity/db/schema.pg.js";
import * as sqlite from "../../../../agents/liquidity/db/schema.js";
import { assertMigrationsCurrent, assertMirrors } from "../../helpers/schema-parity.js";

describe("liquidity database schema", () => {
  it("PostgreSQL mirrors SQLite table for table and column for column", () => {
    assertMirrors(sqlite, pg);
  });

  it("the committed migrations are up to date with both schemas", () => {
    assertMigrationsCurrent({ sqlite: "agents/liquidity/db/schema.ts", pg: "agents/liquidity/db/schema.pg.ts" }, "agents/liquidity/drizzle");
  });

  for (const [label, options] of [
    ["SQLite", { sqlitePath: ":memory:" }],
    ["PostgreSQL (PGlite)", { url: "pglite://memory" }],
  ] as const) {
    it(`${label}: migrations create every table, and a flow row reads back exactly`, async () => {
      const database = await openLiquidityDatabase(options);
      try {
        for (const table of Object.values(database.tables)) await database.db.select().from(table as typeof database.tables.flows).limit(1);
        const row = { hour: 1_767_225_600_000, operator: "MTN-NG", agent: "agent-7", region: "Lagos", asset: "cNGN", source: "telco", cashIn: "123456789012345678901", cashOut: "0", events: 1, updatedAt: 1 };
        await database.db.insert(database.tables.flows).values(row);
        assert.deepEqual(await database.db.select().from(database.tables.flows), [row]);
      } finally {
        await database.close();
      }
    });
  }

  it("a SQLite file keeps its rows across reopening", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "juapesa-liquidity-db-"));
    try {
      const file = path.join(dir, "nested", "keeper.db");
      const first = await openLiquidityDatabase({ sqlitePath: file });
      await first.db.insert(first.tables.flowCursors).values({ name: "c", block: 42, updatedAt: 1 });
      await first.close();
      const second = await openLiquidityDatabase({ sqlitePath: file });
      assert.deepEqual(await second.db.select().from(second.tables.flowCursors), [{ name: "c", block: 42, updatedAt: 1 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
