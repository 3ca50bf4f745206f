/**
 * Telco log import into a real SQLite file: hours aggregated, the sample file imports cleanly and
 * idempotently, bad rows are refused by line with what is wrong while the good rows go in, a reference
 * reused with different content is a conflict, and the npm command reports and exits accordingly.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { openLiquidityDatabase, type LiquidityDatabase } from "../../../../agents/liquidity/db/open.js";
import { importTelcoCsv, parseCsv } from "../../../../agents/liquidity/flows/csv.js";
import { createFlowStore, type FlowStore } from "../../../../agents/liquidity/flows/store.js";
import { ROOT } from "../../helpers/schema-parity.js";

const HEADER = "timestamp,operator,agent,region,asset,direction,amount,reference";
const SAMPLE = path.join(ROOT, "agents/liquidity/flows/sample/telco-log.csv");

describe("telco log import", () => {
  let dir: string;
  let database: LiquidityDatabase;
  let store: FlowStore;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-flows-csv-"));
    database = await openLiquidityDatabase({ sqlitePath: path.join(dir, "keeper.db") });
    store = createFlowStore(database.db, database.tables);
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sums rows into hours per operator, agent, region and asset, in exact base units", async () => {
    const report = await importTelcoCsv(
      store,
      [
        HEADER,
        "2026-02-02T08:05:00Z,MTN-NG,MTN-AG-1,Lagos,cNGN,out,25000.50,R-1",
        "2026-02-02T08:59:59Z,MTN-NG,MTN-AG-1,Lagos,cNGN,out,0.000001,R-2",
        "2026-02-02T09:30:00+01:00,MTN-NG,MTN-AG-1,Lagos,cNGN,in,1000,R-3", // 08:30 UTC
        '2026-02-02T09:00:00Z,MTN-NG,MTN-AG-1,"Lagos Island",cNGN,in,"12,5"', // wrong: quoted comma amount, 7 fields
        "2026-02-02T09:00:00Z,Airtel-NG,AIR-AG-9,Abuja,USDC,in,99999999999999.123456,A-1",
        "",
      ].join("\n"),
    );
    assert.deepEqual(report.rejected, [{ line: 5, message: "expected 8 fields (timestamp,operator,agent,region,asset,direction,amount,reference), found 7" }]);
    assert.deepEqual([report.rows, report.imported, report.duplicates, report.hours], [5, 4, 0, 2]);
    const rows = (await store.allRows()).map((r) => [new Date(r.hour).toISOString(), r.operator, r.agent, r.region, r.asset, r.source, r.cashIn, r.cashOut, r.events]);
    assert.deepEqual(rows, [
      ["2026-02-02T08:00:00.000Z", "MTN-NG", "MTN-AG-1", "Lagos", "cNGN", "telco", "1000000000", "25000500001", 3],
      ["2026-02-02T09:00:00.000Z", "Airtel-NG", "AIR-AG-9", "Abuja", "USDC", "telco", "99999999999999123456", "0", 1],
    ]);
  });

  it("refuses each bad row with its line and reason, imports the good ones, and a corrected re-import adds only the fixed rows", async () => {
    const bad = [
      HEADER,
      "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,B-1",
      "2026-02-03T10:00:00,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,B-2",
      "2026-02-03T10:00:00Z,MTN-NG,2348031234567,Kano,cNGN,out,500,B-3",
      "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,NGN,out,500,B-4",
      "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,withdraw,500,B-5",
      "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,-500,B-6",
      "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,1.1234567,B-7",
      "2026-02-30T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,B-8",
      "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,B-1", // same reference, same content: a duplicate
      "2026-02-03T10:20:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,700,B-1", // same reference, other content: a conflict
      "2026-02-03T10:30:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,in,0,B-9",
      "2026-02-03T10:40:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,in,800,R-1", // a reference imported by the previous test, other content
    ];
    const report = await importTelcoCsv(store, bad.join("\n"));
    assert.equal(report.imported, 1);
    assert.equal(report.duplicates, 1);
    const byLine = new Map(report.rejected.map((r) => [r.line, r.message]));
    assert.deepEqual([...byLine.keys()], [3, 4, 5, 6, 7, 8, 9, 11, 12, 13]);
    assert.match(byLine.get(3)!, /timestamp "2026-02-03T10:00:00" is not ISO 8601 with a zone/);
    assert.match(byLine.get(4)!, /agent "2348031234567" looks like a phone number/);
    assert.match(byLine.get(5)!, /asset "NGN" is not one of cNGN, USDC, XAUt \(naira flows are cNGN/);
    assert.match(byLine.get(6)!, /direction "withdraw" must be "in" \(cash in\) or "out" \(cash out\)/);
    assert.match(byLine.get(7)!, /amount "-500" must be a positive decimal/);
    assert.match(byLine.get(8)!, /amount "1.1234567" has 7 decimals; cNGN has 6/);
    assert.match(byLine.get(9)!, /is not a real date|not ISO 8601/);
    assert.match(byLine.get(11)!, /reference B-1 of MTN-NG is already on line 2 with different content/);
    assert.match(byLine.get(12)!, /amount must be more than zero/);
    assert.match(byLine.get(13)!, /reference R-1 of MTN-NG was imported before with different content/);

    // The operator fixes line 3 (adds the zone) and imports the whole file again.
    const fixed = [...bad];
    fixed[2] = "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,B-2";
    const again = await importTelcoCsv(store, fixed.join("\n"));
    assert.equal(again.imported, 1);
    assert.equal(again.duplicates, 2);
    const kano = (await store.allRows()).filter((r) => r.agent === "MTN-AG-2");
    assert.deepEqual(kano.map((r) => [r.cashOut, r.events]), [["1000000000", 2]]);
  });

  it("refuses a file without the header, and parses quoted fields with commas, quotes and newlines", async () => {
    const report = await importTelcoCsv(store, "2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,X-1\n");
    assert.equal(report.imported, 0);
    assert.deepEqual(report.rejected, [{ line: 1, message: `the first line must be the header ${HEADER}` }]);
    assert.deepEqual(parseCsv('a,"b,1","c ""q"""\r\n"multi\nline",x\n\nlast'), [
      { line: 1, fields: ["a", "b,1", 'c "q"'] },
      { line: 2, fields: ["multi\nline", "x"] },
      { line: 5, fields: ["last"] },
    ]);
  });

  it("npm run flows:import imports the shipped sample once, and says so the second time", () => {
    const db = path.join(dir, "cli.db");
    const run = () => spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["agents/liquidity/flows/import.ts", SAMPLE, "--db", db], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
    const rows = readFileSync(SAMPLE, "utf8").trim().split("\n").length - 1;
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`rows ${rows}, imported ${rows}, already there 0, refused 0`));
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`rows ${rows}, imported 0, already there ${rows}, refused 0`));
    const badFile = path.join(dir, "bad.csv");
    writeFileSync(badFile, `${HEADER}\n2026-02-03T10:00:00Z,MTN-NG,MTN-AG-2,Kano,cNGN,out,500,C-1\nnot,a,row\n`);
    const partial = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["agents/liquidity/flows/import.ts", badFile, "--db", db], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
    assert.equal(partial.status, 2);
    assert.match(partial.stdout, /imported 1, .* refused 1/);
    assert.match(partial.stdout, /line 3: expected 8 fields/);
  });
});
