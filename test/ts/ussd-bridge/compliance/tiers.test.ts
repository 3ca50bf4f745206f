/**
 * KYC tiers per country: the shipped table, its validation, the conversion of local-currency limits
 * into assets, and the off-chain limit check against the outbox history (real SQLite).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseUnits } from "viem";

import { ASSETS, tierLimits as protocolTierLimits, TIER_LIMITS_NGN } from "../../../../sdk/protocol.js";
import { checkTierLimits } from "../../../../ussd-bridge/src/compliance/limits.js";
import {
  countryTiers,
  DEFAULT_TIERS_FILE,
  limitsInAsset,
  loadTierTable,
  parseTierTable,
  stricter,
  TierConfigError,
  tierLimits,
  tierTableFromEnv,
  toLocalMicros,
} from "../../../../ussd-bridge/src/compliance/tiers.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { addOperation, addUser, DAY, HOUR } from "./fixtures.js";
import { opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";

const table = loadTierTable();
const naira = (n: string) => parseUnits(n, 6);

describe("tier table", () => {
  it("ships tiers for every country, each with a self-registration tier reachable over USSD", () => {
    assert.equal(table.selfRegistrationTier, 1);
    for (const [country, entry] of [...Object.entries(table.countries), ["default", table.default] as const]) {
      const lowest = entry.tiers.find((t) => t.tier === table.selfRegistrationTier);
      assert.equal(lowest?.via, "ussd-self-registration", country);
      assert.ok(entry.tiers.slice(1).every((t) => t.via === "kyc-provider"), country);
      assert.ok(entry.source.length > 20, `${country} says where its numbers come from`);
    }
    assert.deepEqual(Object.keys(table.countries).sort(), ["CI", "GH", "KE", "NG", "SL", "SN", "TZ", "UG"]);
  });

  it("matches the table in docs/compliance.md, number for number", () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, "../../../../ussd-bridge/docs/compliance.md"), "utf8");
    const rows = doc.split("\n").filter((line) => /^\| (NG|KE|GH|CI, SN|UG|TZ|SL|other) \|/.test(line));
    assert.equal(rows.length, 8);
    for (const row of rows) {
      const cells = row.split("|").map((c) => c.trim());
      const countries = cells[1] === "other" ? ["default"] : cells[1].split(", ");
      const documented = cells.slice(3, 6).map((cell) => cell.split("/").map((n) => Number(n.trim().replace(/[^\d]/g, ""))));
      for (const country of countries) {
        const entry = country === "default" ? table.default : table.countries[country];
        assert.equal(entry.currency, cells[2], country);
        assert.deepEqual(documented, entry.tiers.map((t) => [t.maxSingle, t.maxDaily, t.maxBalance]), country);
      }
    }
  });

  it("agrees with the protocol's naira tiers (CBN tiered KYC) and with its conversion into every asset", () => {
    for (const l of TIER_LIMITS_NGN) {
      const row = tierLimits(table, "NG", l.tier);
      assert.deepEqual([row.maxSingle, row.maxDaily, row.maxBalance], [l.maxSingle, l.maxDailyOutflow, l.maxBalance]);
    }
    for (const asset of ASSETS) {
      for (const { tier, limits } of protocolTierLimits(asset)) {
        const ours = limitsInAsset(table, "NG", tier, asset.symbol);
        assert.deepEqual(ours, { maxSingle: limits.maxSingle, maxDaily: limits.maxDailyOutflow, maxBalance: limits.maxBalance }, `${asset.symbol} tier ${tier}`);
      }
    }
  });

  it("expresses another country's limits in an asset through its rate, rounding down", () => {
    // KES 35,000 at KES 129 per dollar = $271.317829… → 271.317829 USDC.
    assert.equal(limitsInAsset(table, "KE", 1, "USDC").maxSingle, 271_317_829n);
    // The same in naira terms: $271.317829… × ₦1,450 = ₦393,410.852…
    assert.equal(limitsInAsset(table, "KE", 1, "cNGN").maxSingle, 393_410_852_713n);
    assert.equal(toLocalMicros(countryTiers(table, "KE"), "USDC", 1_000_000n), 129_000_000n);
  });

  it("falls back to the default row for an unknown country, and clamps tiers it does not list", () => {
    assert.equal(countryTiers(table, "ZZ"), table.default);
    assert.equal(countryTiers(table, "ke"), table.countries.KE);
    assert.equal(tierLimits(table, "NG", 9).tier, 3);
    assert.equal(tierLimits(table, "NG", 0).tier, 1);
  });

  it("takes the stricter of the on-chain and off-chain views field by field", () => {
    assert.deepEqual(stricter({ maxSingle: 5n, maxDaily: 50n, maxBalance: 7n }, { maxSingle: 9n, maxDaily: 10n, maxBalance: 7n }), {
      maxSingle: 5n,
      maxDaily: 10n,
      maxBalance: 7n,
    });
  });

  const dir = mkdtempSync(path.join(tmpdir(), "juapesa-tiers-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a deployment's own table from JUAPESA_TIERS_FILE", () => {
    const own = JSON.parse(readFileSync(DEFAULT_TIERS_FILE, "utf8"));
    own.countries.KE.tiers[0].maxSingle = 1_000;
    const file = path.join(dir, "tiers.json");
    writeFileSync(file, JSON.stringify(own));
    assert.equal(tierLimits(tierTableFromEnv({ JUAPESA_TIERS_FILE: file }), "KE", 1).maxSingle, 1_000);
    assert.equal(tierLimits(tierTableFromEnv({}), "KE", 1).maxSingle, 35_000);
  });

  it("refuses a broken table and lists every problem with where it is", () => {
    const broken = JSON.parse(readFileSync(DEFAULT_TIERS_FILE, "utf8"));
    broken.countries.KE.tiers[0].maxSingle = 200_000; // above its daily limit
    broken.countries.GH.tiers.reverse(); // out of order
    broken.countries.NG.currency = "naira";
    broken.countries.Kenya = broken.countries.KE;
    assert.throws(
      () => parseTierTable(broken, "test.json"),
      (error: Error) => error instanceof TierConfigError && /countries\.NG\.currency/.test(error.message) && /countries\.Kenya/.test(error.message),
    );
    delete broken.countries.Kenya;
    broken.countries.NG.currency = "NGN";
    assert.throws(
      () => parseTierTable(broken, "test.json"),
      (error: Error) => /KE tier 1: maxSingle is above maxDaily/.test(error.message) && /GH: tiers must be listed in increasing order/.test(error.message),
    );
    const file = path.join(dir, "not-json.json");
    writeFileSync(file, "{ nope");
    assert.throws(() => loadTierTable(file), /cannot read it as JSON/);
  });
});

describe("off-chain tier limits against the outbox", () => {
  let database: Database;
  const t0 = Date.UTC(2025, 0, 10, 12);
  before(async () => {
    database = await openDatabase({ sqlitePath: ":memory:" });
  });
  after(() => database.close());
  const deps = () => ({ db: database.db, tables: database.tables, tiers: table });

  it("refuses one operation above the single limit, in any asset", async () => {
    const sender = { accountId: await addUser(database, "+2348030000001", { createdAt: t0 - 30 * DAY }), country: "NG", tier: 1 };
    assert.deepEqual(await checkTierLimits(deps(), { sender, asset: "cNGN", amount: naira("50000"), at: t0 }), { ok: true });
    assert.deepEqual(await checkTierLimits(deps(), { sender, asset: "cNGN", amount: naira("50000.000001"), at: t0 }), {
      ok: false,
      reason: "limit-single",
      limit: naira("50000"),
    });
    // $40 is ₦58,000 at the seed rate: over the naira single limit.
    const usdc = await checkTierLimits(deps(), { sender, asset: "USDC", amount: parseUnits("40", 6), at: t0 });
    assert.equal(usdc.ok === false && usdc.reason, "limit-single");
  });

  it("counts the last 24 hours of outgoing operations across assets, not converts, failures or older ones", async () => {
    const sender = { accountId: await addUser(database, "+2348030000002", { createdAt: t0 - 30 * DAY }), country: "NG", tier: 1 };
    await addOperation(database, { accountId: sender.accountId, asset: "cNGN", amount: naira("20000"), at: t0 - 2 * HOUR });
    await addOperation(database, { accountId: sender.accountId, kind: "debit", asset: "USDC", amount: parseUnits("10", 6), at: t0 - HOUR }); // ₦14,500
    await addOperation(database, { accountId: sender.accountId, kind: "convert", asset: "cNGN", amount: naira("40000"), at: t0 - HOUR });
    await addOperation(database, { accountId: sender.accountId, asset: "cNGN", amount: naira("40000"), at: t0 - HOUR, status: "failed" });
    await addOperation(database, { accountId: sender.accountId, asset: "cNGN", amount: naira("40000"), at: t0 - DAY - 1 });
    // Spent ₦34,500 today; ₦15,500 remain.
    assert.deepEqual(await checkTierLimits(deps(), { sender, asset: "cNGN", amount: naira("15500"), at: t0 }), { ok: true });
    assert.deepEqual(await checkTierLimits(deps(), { sender, asset: "cNGN", amount: naira("15501"), at: t0 }), {
      ok: false,
      reason: "limit-daily",
      limit: naira("15500"),
    });
  });

  it("does not count an operation against itself when it is checked again on a retry", async () => {
    const sender = { accountId: await addUser(database, "+2348030000003", { createdAt: t0 - 30 * DAY }), country: "NG", tier: 1 };
    const opId = await addOperation(database, { accountId: sender.accountId, asset: "cNGN", amount: naira("30000"), at: t0, status: "pending" });
    const again = { sender, asset: "cNGN" as const, amount: naira("30000"), at: t0 };
    assert.equal((await checkTierLimits(deps(), again)).ok, false);
    assert.deepEqual(await checkTierLimits(deps(), { ...again, opId }), { ok: true });
  });

  it("refuses a transfer that would lift the recipient over their tier's balance limit", async () => {
    const sender = { accountId: await addUser(database, "+2348030000004", { createdAt: t0 - 30 * DAY }), country: "NG", tier: 3 };
    const recipient = {
      accountId: await addUser(database, "+254700000004", { createdAt: t0 - 30 * DAY }),
      country: "KE",
      tier: 1,
      balances: { USDC: parseUnits("700", 6) }, // KES 90,300 of KES 100,000
    };
    assert.deepEqual(await checkTierLimits(deps(), { sender, recipient, asset: "USDC", amount: parseUnits("75", 6), at: t0 }), { ok: true });
    const over = await checkTierLimits(deps(), { sender, recipient, asset: "USDC", amount: parseUnits("76", 6), at: t0 });
    // KES 9,700 of room = 75.193798 USDC.
    assert.deepEqual(over, { ok: false, reason: "limit-balance", limit: 75_193_798n });
  });
});
