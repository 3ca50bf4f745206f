/**
 * `npm run flows:import -- <file.csv> [--db <sqlite file>]`: imports a telco transaction log (format in
 * csv.ts and agents/liquidity/docs/keeper.md) into the flow history the keeper forecasts from.
 * The database is DATABASE_URL when set (PostgreSQL), else --db, JUAPESA_KEEPER_DB or .data/keeper.db.
 *
 * Good rows are imported and bad ones listed by line; the exit code is 0 when every row was imported or
 * already there, 2 when some were refused (fix them and import the whole file again: what was imported
 * is skipped as a duplicate), 1 when the file could not be read at all.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { openLiquidityDatabase } from "../db/open.js";
import { importTelcoCsv } from "./csv.js";
import { createFlowStore } from "./store.js";

const { values, positionals } = parseArgs({ options: { db: { type: "string" } }, allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error("usage: npm run flows:import -- <file.csv> [--db <sqlite file>]");
  process.exit(1);
}
if (!existsSync(file)) {
  console.error(`${file} does not exist.`);
  process.exit(1);
}

const database = await openLiquidityDatabase({ url: process.env.DATABASE_URL, sqlitePath: values.db ?? process.env.JUAPESA_KEEPER_DB ?? ".data/keeper.db" });
try {
  const report = await importTelcoCsv(createFlowStore(database.db, database.tables), readFileSync(file, "utf8"));
  console.log(`${file} → ${database.where}`);
  console.log(`  rows ${report.rows}, imported ${report.imported}, already there ${report.duplicates}, refused ${report.rejected.length}, hourly rows touched ${report.hours}`);
  for (const { line, message } of report.rejected) console.log(`  line ${line}: ${message}`);
  process.exitCode = report.rejected.length === 0 ? 0 : report.imported + report.duplicates > 0 ? 2 : 1;
} finally {
  await database.close();
}
