/**
 * The NN5 loader on a small synthetic file with the real file's layout (the real data may be absent
 * in CI; `npm run bench:forecast` checks the loader against the published seasonal-naive score).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { loadNn5, Nn5FormatError, Nn5MissingError } from "../../../../agents/liquidity/forecast/index.js";
import { addDays } from "../../../../agents/liquidity/calendar.js";

const dir = mkdtempSync(path.join(tmpdir(), "juapesa-nn5-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(rows: number, cols: number, cell = (t: number, j: number) => String(t * 10 + j)): string {
  const header = ["date", ...Array.from({ length: cols }, (_, j) => `NN5-${String(j + 1).padStart(3, "0")}`)].join(",");
  const lines = Array.from({ length: rows }, (_, t) => [addDays("1996-03-18", t), ...Array.from({ length: cols }, (_, j) => cell(t, j))].join(","));
  return [header, ...lines].join("\n") + "\n";
}

describe("NN5 loader", () => {
  it("reads names, dates and the train/test split, and offers the training parts as histories", () => {
    const file = path.join(dir, "ok.csv");
    writeFileSync(file, csv(20, 2));
    const d = loadNn5(file, 15, 5);
    assert.deepEqual(d.names, ["NN5-001", "NN5-002"]);
    assert.equal(d.dates[0], "1996-03-18");
    assert.equal(d.dates[19], "1996-04-06");
    assert.deepEqual([...d.train(1)].slice(-2), [131, 141]);
    assert.deepEqual([...d.test(0)], [150, 160, 170, 180, 190]);
    const h = d.trainHistories();
    assert.equal(h.length, 2);
    assert.equal(h[0].values.length, 15);
    assert.equal(h[0].country, "GB");
    assert.equal(h[0].start, "1996-03-18");
  });

  it("says where the data should be when it is missing", () => {
    assert.throws(() => loadNn5(path.join(dir, "absent.csv")), (e: unknown) => e instanceof Nn5MissingError && /NN5_DIR/.test(e.message));
  });

  it("refuses gaps, short files and a wrong header", () => {
    const gap = path.join(dir, "gap.csv");
    writeFileSync(gap, csv(20, 2, (t, j) => (t === 3 && j === 1 ? "" : "1")));
    assert.throws(() => loadNn5(gap, 15, 5), (e: unknown) => e instanceof Nn5FormatError && /row 5, NN5-002/.test(e.message));
    const short = path.join(dir, "short.csv");
    writeFileSync(short, csv(10, 2));
    assert.throws(() => loadNn5(short, 15, 5), /10 rows, needs 20/);
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "Day\tNN5-001\n");
    assert.throws(() => loadNn5(bad, 15, 5), /header starts/);
  });
});
