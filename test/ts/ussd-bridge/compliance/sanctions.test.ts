/**
 * Sanctions lists: the CSV format (good rows load, every kind of bad row is reported by line and
 * skipped), exact phone matches, and fuzzy name matching (diacritics, word order, aliases, a near
 * miss that must stay below the threshold).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { jaroWinkler, nameSimilarity, nameTokens } from "../../../../ussd-bridge/src/compliance/names.js";
import {
  loadSanctionsFile,
  parseSanctionsCsv,
  SAMPLE_SANCTIONS_FILE,
  sanctionsConfigFromEnv,
  SanctionsList,
} from "../../../../ussd-bridge/src/compliance/sanctions.js";

const HEADER = "list_id,name,aliases,phone,country,program,source";
const csv = (...rows: string[]) => [HEADER, ...rows].join("\n") + "\n";

describe("sanctions CSV", () => {
  it("loads the shipped fictitious sample without a single bad line", () => {
    const { entries, errors } = loadSanctionsFile(SAMPLE_SANCTIONS_FILE);
    assert.deepEqual(errors, []);
    assert.equal(entries.length, 6);
    for (const e of entries) assert.match(e.program ?? "", /FICTITIOUS/);
    // Ofcom's drama range: numbers that are reserved for fiction, never assigned to anyone.
    for (const e of entries) if (e.phone) assert.match(e.phone, /^\+447700900\d{3}$/);
  });

  it("reads quoted names with commas, doubled quotes, CRLF line ends, a BOM, blank lines and aliases", () => {
    const text =
      "\uFEFF" +
      [HEADER, 'X-1,"Doe, ""Johnny"" Fictus",J. Fictus| Johnny F ,+254700000101,ke,DEMO,test', "", "X-2,,,+2348030000202,,DEMO,test"].join("\r\n");
    const { entries, errors } = parseSanctionsCsv(text);
    assert.deepEqual(errors, []);
    assert.equal(entries.length, 2);
    assert.deepEqual(entries[0], {
      listId: "X-1",
      name: 'Doe, "Johnny" Fictus',
      aliases: ["J. Fictus", "Johnny F"],
      phone: "+254700000101",
      country: "KE",
      program: "DEMO",
      source: "test",
    });
    assert.equal(entries[1].name, undefined);
    assert.equal(entries[1].phone, "+2348030000202");
  });

  it("accepts the columns in any order and ignores extra ones", () => {
    const text = "source,phone,name,list_id,program,aliases,country,remarks\ntest,,Fictus Maximus,Y-1,DEMO,,NG,whatever\n";
    const { entries, errors } = parseSanctionsCsv(text);
    assert.deepEqual(errors, []);
    assert.equal(entries[0].listId, "Y-1");
    assert.equal(entries[0].name, "Fictus Maximus");
  });

  it("reports every bad line by number with a reason, and keeps the good ones", () => {
    const text = csv(
      "OK-1,Good Fictus,,,,DEMO,test", // line 2
      "OK-2,Another Fictus,,+254700000303,KE,DEMO,test", // line 3
      "BAD-1,Too,Few,Fields", // line 4
      ",No Id Fictus,,,,DEMO,test", // line 5
      "OK-1,Duplicate Fictus,,,,DEMO,test", // line 6
      "BAD-2,,,,,DEMO,test", // line 7: nothing to match on
      "BAD-3,Fictus,,0712345678,KE,DEMO,test", // line 8: not E.164
      "BAD-4,Fictus,,+1,KE,DEMO,test", // line 9: not a number
      "BAD-5,Fictus,,,Kenya,DEMO,test", // line 10: country not alpha-2
      "BAD-6,!!!,,,,DEMO,test", // line 11: no letters
      "BAD 7,Fictus,,,,DEMO,test", // line 12: space in id
      "BAD-8,Fictus,ok|...,,,DEMO,test", // line 13: empty alias after folding
      'BAD-9,Fic"tus,,,,DEMO,test', // line 14: stray quote
    );
    const { entries, errors } = parseSanctionsCsv(text);
    assert.deepEqual(
      entries.map((e) => e.listId),
      ["OK-1", "OK-2"],
    );
    assert.deepEqual(
      errors.map((e) => e.line),
      [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    );
    const reasons = errors.map((e) => e.reason);
    assert.match(reasons[0], /expected 7 fields/);
    assert.match(reasons[1], /list_id is empty/);
    assert.match(reasons[2], /already used on line 2/);
    assert.match(reasons[3], /neither a name nor a phone/);
    assert.match(reasons[4], /not a valid E\.164/);
    assert.match(reasons[6], /alpha-2/);
    assert.match(reasons[7], /no letters/);
    assert.match(reasons[9], /alias/);
    assert.match(reasons[10], /quote in the middle/);
    // Reasons point at the line and id; they never repeat a listed number in full.
    assert.ok(!reasons.join(" ").includes("0712345678"));
  });

  it("resumes on the next line after a stray quote", () => {
    const stray = parseSanctionsCsv(csv('A-1,"Fictus" One,,,,DEMO,test', "A-2,Fictus Two,,,,DEMO,test"));
    assert.deepEqual(stray.errors.map((e) => e.line), [2]);
    assert.match(stray.errors[0].reason, /after a closing quote/);
    assert.deepEqual(stray.entries.map((e) => e.listId), ["A-2"]);
  });

  it("refuses a file without the header, an empty file and an unclosed quote", () => {
    assert.match(parseSanctionsCsv("OK-1,Fictus,,,,DEMO,test\n").errors[0].reason, /header lacks/);
    assert.match(parseSanctionsCsv("").errors[0].reason, /empty/);
    const unclosed = parseSanctionsCsv(csv("OK-0,Fictus Zero,,,,DEMO,test", 'OK-1,"Fictus,,,,DEMO,test', "OK-2,Fictus Two,,,,DEMO,test"));
    assert.deepEqual(unclosed.entries.map((e) => e.listId), ["OK-0"]);
    assert.deepEqual(unclosed.errors, [{ line: 3, reason: "a quoted field is never closed" }]);
  });

  const dir = mkdtempSync(path.join(tmpdir(), "juapesa-sanctions-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a list file from the environment and says when it cannot", () => {
    const file = path.join(dir, "list.csv");
    writeFileSync(file, csv("F-1,Fictus One,,,,DEMO,test"));
    const config = sanctionsConfigFromEnv({ JUAPESA_SANCTIONS_FILE: file, JUAPESA_SANCTIONS_THRESHOLD: "0.85" });
    assert.deepEqual(config, { file, threshold: 0.85, sample: false });
    assert.equal(loadSanctionsFile(config.file).entries.length, 1);
    assert.equal(sanctionsConfigFromEnv({}).sample, true);
    assert.throws(() => sanctionsConfigFromEnv({ JUAPESA_SANCTIONS_THRESHOLD: "1.5" }), /JUAPESA_SANCTIONS_THRESHOLD/);
    const missing = loadSanctionsFile(path.join(dir, "nope.csv"));
    assert.match(missing.errors[0].reason, /cannot read .*ENOENT/);
  });
});

describe("name matching", () => {
  it("folds case, diacritics, punctuation, apostrophes and titles into plain tokens", () => {
    assert.deepEqual(nameTokens("  Dr. Séamus Ó'Fictionnaire-Ñúñez "), ["seamus", "ofictionnaire", "nunez"]);
    assert.deepEqual(nameTokens("Jürgen Großmann Øster"), ["jurgen", "grossmann", "oster"]);
    assert.deepEqual(nameTokens("---"), []);
  });

  it("computes Jaro-Winkler as published (MARTHA/MARHTA 0.961, DIXON/DICKSONX 0.813)", () => {
    assert.equal(jaroWinkler("martha", "marhta").toFixed(3), "0.961");
    assert.equal(jaroWinkler("dixon", "dicksonx").toFixed(3), "0.813");
    assert.equal(jaroWinkler("", "x"), 0);
    assert.equal(jaroWinkler("abc", "abc"), 1);
  });

  it("scores the same person written differently as a match", () => {
    assert.equal(nameSimilarity("Seamus O Fictionnaire", "Ó Fictionnaire, Séamus"), 1); // accents, comma, order
    assert.equal(nameSimilarity("Placeholder Ifeoma", "Ifeoma Adaeze Placeholder"), 1); // order, middle name dropped
    assert.ok(nameSimilarity("Jean Baptiste Exemplere", "Jean-Baptiste Exemplaire") >= 0.95); // a typo
    assert.ok(nameSimilarity("Mohamed Aly", "Mohammed Ali") >= 0.9); // transliteration
    assert.equal(nameSimilarity("Abdul Rahman Fictus", "Abdulrahman Fictus"), 1); // split differently
  });

  it("keeps different people apart even when they share a first name", () => {
    assert.ok(nameSimilarity("Kofi Mensah", "Kofi Testa Demonstrado") < 0.9);
    assert.ok(nameSimilarity("Ifeoma Okafor", "Ifeoma Adaeze Placeholder") < 0.9);
    // One token cannot match through the token-set route: only the whole-name score counts.
    assert.ok(nameSimilarity("Kofi", "Kofi Testa Demonstrado") < 0.9);
  });
});

describe("screening", () => {
  const { entries } = loadSanctionsFile(SAMPLE_SANCTIONS_FILE);
  const list = new SanctionsList(entries);

  it("matches a listed number exactly, with score 1, and nothing else by number", () => {
    const result = list.screen({ phone: "+447700900005" });
    assert.deepEqual(result, { hit: true, matches: [{ listId: "SAMPLE-0005", name: undefined, score: 1 }] });
    assert.deepEqual(list.screen({ phone: "+447700900006" }), { hit: false });
  });

  it("matches a name written with other accents and word order", () => {
    const result = list.screen({ name: "SEAMUS O'FICTIONNAIRE" });
    assert.equal(result.hit, true);
    assert.equal(result.hit && result.matches[0].listId, "SAMPLE-0004");
  });

  it("matches through an alias and reports the listed name", () => {
    const result = list.screen({ name: "Shiru Mfano" });
    assert.equal(result.hit, true);
    assert.deepEqual(result.hit && result.matches[0], { listId: "SAMPLE-0002", name: "Wanjiru Sampuli Kamau-Mfano", score: 1 });
  });

  it("lets a near miss through at the default threshold and catches it at a lower one", () => {
    const score = nameSimilarity("Kofi Demonstra Mensah", "Kofi Testa Demonstrado");
    assert.ok(score < 0.9 && score > 0.85, `score ${score}`);
    assert.deepEqual(list.screen({ name: "Kofi Demonstra Mensah" }), { hit: false });
    const strict = new SanctionsList(entries, { threshold: 0.85 });
    const result = strict.screen({ name: "Kofi Demonstra Mensah" });
    assert.equal(result.hit && result.matches[0].listId, "SAMPLE-0006");
  });

  it("reports a person hit by both number and name once, with the best score first", () => {
    const result = list.screen({ phone: "+447700900001", name: "Ify Plasehold" });
    assert.equal(result.hit, true);
    assert.deepEqual(result.hit && result.matches.map((m) => [m.listId, m.score]), [["SAMPLE-0001", 1]]);
  });

  it("finds nothing for an empty subject and refuses a threshold outside (0, 1]", () => {
    assert.deepEqual(list.screen({}), { hit: false });
    assert.deepEqual(list.screen({ name: "   " }), { hit: false });
    assert.throws(() => new SanctionsList(entries, { threshold: 0 }), /threshold/);
  });
});
