/**
 * Monitoring rules on a real SQLite outbox: each rule fires when it should and stays quiet when it
 * should, alerts are stored once per operation without phone numbers, and only rules configured to
 * block refuse the operation (sanctions by default).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseUnits } from "viem";

import { createCompliance, type ComplianceService } from "../../../../ussd-bridge/src/compliance/index.js";
import { opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";
import { DEFAULT_MONITORING, monitoringConfig, monitoringConfigFromEnv } from "../../../../ussd-bridge/src/compliance/monitoring.js";
import { parseSanctionsCsv, SanctionsList } from "../../../../ussd-bridge/src/compliance/sanctions.js";
import { loadTierTable } from "../../../../ussd-bridge/src/compliance/tiers.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import type { MonitoredOperation } from "../../../../ussd-bridge/src/ports.js";
import { addOperation, addUser, DAY, HOUR, newOpId } from "./fixtures.js";
import type { E164 } from "../../../../sdk/phone.js";

const naira = (n: string) => parseUnits(n, 6);
const T0 = Date.UTC(2025, 2, 1, 9);
const LISTED: E164 = "+254700000999";
const list = new SanctionsList(parseSanctionsCsv(`list_id,name,aliases,phone,country,program,source\nT-1,Fictus Listed,,${LISTED},KE,DEMO,test\n`).entries);

describe("monitoring rules", () => {
  let database: Database;
  let clock = T0;
  let phoneSeq = 100;
  const nextPhone = (): E164 => `+23480300${String(phoneSeq++).padStart(5, "0")}`;
  const make = (overrides = {}): ComplianceService =>
    createCompliance({ db: database.db, tables: database.tables, sanctions: list, tiers: loadTierTable(), monitoring: overrides, now: () => clock });

  before(async () => {
    database = await openDatabase({ sqlitePath: ":memory:" });
  });
  after(() => database.close());

  const alertsFor = async (opId: bigint) => {
    const rows = await database.db.select().from(database.tables.alerts);
    return rows.filter((r) => r.opId === opIdHex(opId));
  };
  const op = (accountId: `0x${string}`, amount: bigint, extra: Partial<MonitoredOperation> = {}): MonitoredOperation => ({
    opId: newOpId(),
    kind: "transfer",
    accountId,
    asset: "cNGN",
    amount,
    at: T0,
    ...extra,
  });
  /** An account old enough that the new-account rule stays out of the way. */
  const oldAccount = () => addUser(database, nextPhone(), { createdAt: T0 - 90 * DAY });

  it("velocity: the 11th outgoing operation within an hour raises an alert, the 10th does not", async () => {
    const compliance = make();
    const busy = await oldAccount();
    for (let i = 0; i < 9; i++) await addOperation(database, { accountId: busy, amount: naira("100"), at: T0 - 50 * 60_000 + i });
    await addOperation(database, { accountId: busy, amount: naira("100"), at: T0 - 2 * HOUR }); // outside the window
    const tenth = op(busy, naira("100"));
    assert.deepEqual(await compliance.review(tenth), { allow: true, alerts: [] });
    await addOperation(database, { accountId: busy, amount: naira("100"), at: T0 - 60_000 });
    const eleventh = op(busy, naira("100"));
    assert.deepEqual(await compliance.review(eleventh), { allow: true, alerts: ["velocity"] });
    const [alert] = await alertsFor(eleventh.opId);
    assert.equal(alert.severity, "warn");
    assert.equal(alert.createdAt, clock);
    assert.deepEqual(JSON.parse(alert.detail), {
      kind: "transfer",
      asset: "cNGN",
      amount: "100000000",
      currency: "NGN",
      tier: 1,
      ops: 11,
      maxOps: 10,
      windowMs: HOUR,
    });
  });

  it("structuring: a third amount within 24 hours just under the single limit raises an alert", async () => {
    const compliance = make();
    const splitter = await oldAccount();
    await addOperation(database, { accountId: splitter, amount: naira("49999"), at: T0 - 20 * HOUR });
    await addOperation(database, { accountId: splitter, asset: "USDC", amount: parseUnits("33", 6), at: T0 - 10 * HOUR }); // ₦47,850
    const third = op(splitter, naira("45000")); // exactly 90 %
    assert.deepEqual(await compliance.review(third), { allow: true, alerts: ["structuring"] });
    const [alert] = await alertsFor(third.opId);
    assert.equal(alert.severity, "high");
    assert.equal(JSON.parse(alert.detail).ops, 3);
    assert.equal(JSON.parse(alert.detail).from, "45000");
  });

  it("structuring: stays quiet for amounts under 90 %, a pair, or near-limit amounts spread over more than a day", async () => {
    const compliance = make();
    const a = await oldAccount();
    await addOperation(database, { accountId: a, amount: naira("49000"), at: T0 - 5 * HOUR });
    await addOperation(database, { accountId: a, amount: naira("48000"), at: T0 - 4 * HOUR });
    assert.deepEqual((await compliance.review(op(a, naira("44999")))).alerts, []); // just below 90 %

    const b = await oldAccount();
    await addOperation(database, { accountId: b, amount: naira("49000"), at: T0 - 5 * HOUR });
    assert.deepEqual((await compliance.review(op(b, naira("49000")))).alerts, []); // only two

    const c = await oldAccount();
    await addOperation(database, { accountId: c, amount: naira("49000"), at: T0 - 25 * HOUR });
    await addOperation(database, { accountId: c, amount: naira("49000"), at: T0 - 5 * HOUR });
    await addOperation(database, { accountId: c, amount: naira("49000"), at: T0 - 4 * HOUR, status: "failed" });
    assert.deepEqual((await compliance.review(op(c, naira("49000")))).alerts, []);
  });

  it("new account: moving more than 80 % of the daily limit in its first week raises an alert", async () => {
    const compliance = make();
    const fresh = await addUser(database, nextPhone(), { createdAt: T0 - 2 * DAY });
    await addOperation(database, { accountId: fresh, amount: naira("25000"), at: T0 - DAY });
    const large = op(fresh, naira("15001")); // ₦40,001 since opening, over ₦40,000
    assert.deepEqual(await compliance.review(large), { allow: true, alerts: ["new-account-large"] });
    const detail = JSON.parse((await alertsFor(large.opId))[0].detail);
    assert.equal(detail.accountAgeHours, 48);
    assert.equal(detail.movedSinceOpening, "40001");
    assert.equal(detail.threshold, "40000");
  });

  it("new account: stays quiet below the threshold, and for the same amounts on an older account", async () => {
    const compliance = make();
    const fresh = await addUser(database, nextPhone(), { createdAt: T0 - 2 * DAY });
    await addOperation(database, { accountId: fresh, amount: naira("25000"), at: T0 - DAY });
    assert.deepEqual((await compliance.review(op(fresh, naira("15000")))).alerts, []);
    const settled = await addUser(database, nextPhone(), { createdAt: T0 - 8 * DAY });
    await addOperation(database, { accountId: settled, amount: naira("25000"), at: T0 - DAY });
    assert.deepEqual((await compliance.review(op(settled, naira("20000")))).alerts, []);
  });

  it("sanctions: a listed counterparty blocks the operation and the alert names neither number nor person", async () => {
    const compliance = make();
    const sender = await oldAccount();
    const listed = await addUser(database, LISTED, { createdAt: T0 - 90 * DAY });
    const toListed = op(sender, naira("100"), { counterpartyId: listed });
    assert.deepEqual(await compliance.review(toListed), { allow: false, alerts: ["sanctions"] });
    const [alert] = await alertsFor(toListed.opId);
    assert.equal(alert.severity, "high");
    assert.deepEqual(JSON.parse(alert.detail), { kind: "transfer", asset: "cNGN", amount: "100000000", party: "counterparty", listIds: ["T-1"], score: 1 });
    assert.ok(!alert.detail.includes("700000999") && !alert.detail.includes("Fictus"));
    // The listed person's own operations are blocked too, even a convert.
    const ownConvert = op(listed, naira("1"), { kind: "convert" });
    assert.deepEqual(await compliance.review(ownConvert), { allow: false, alerts: ["sanctions"] });
  });

  it("sanctions: an account the registry blocked is refused; a clean pair passes without alerts", async () => {
    const compliance = make();
    const blocked = await addUser(database, nextPhone(), { createdAt: T0 - 90 * DAY, status: "blocked" });
    const clean = await oldAccount();
    assert.deepEqual(await compliance.review(op(clean, naira("100"), { counterpartyId: blocked })), { allow: false, alerts: ["sanctions"] });
    assert.deepEqual(await compliance.review(op(clean, naira("100"), { counterpartyId: await oldAccount() })), { allow: true, alerts: [] });
  });

  it("reviewing the same operation again stores no second alert", async () => {
    const compliance = make();
    const sender = await oldAccount();
    const listed = (await database.db.select().from(database.tables.users)).find((u) => u.phone === LISTED)!.accountId as `0x${string}`;
    const retried = op(sender, naira("100"), { counterpartyId: listed });
    await compliance.review(retried);
    clock += 1_000;
    await compliance.review(retried);
    assert.equal((await alertsFor(retried.opId)).length, 1);
  });

  it("converts and cash-ins are not outgoing money: velocity and structuring ignore them", async () => {
    const compliance = make({ velocity: { maxOps: 1 } });
    const a = await oldAccount();
    await addOperation(database, { accountId: a, amount: naira("100"), at: T0 - 60_000 });
    assert.deepEqual((await compliance.review(op(a, naira("100"), { kind: "convert" }))).alerts, []);
    assert.deepEqual((await compliance.review(op(a, naira("100"), { kind: "cash-in" }))).alerts, []);
    assert.deepEqual((await compliance.review(op(a, naira("100"), { kind: "cash-out" }))).alerts, ["velocity"]);
  });

  it("a rule configured to block refuses the operation; sanctions can be turned into an alert only", async () => {
    const strict = make({ velocity: { maxOps: 1, action: "block" } });
    const a = await oldAccount();
    await addOperation(database, { accountId: a, amount: naira("100"), at: T0 - 60_000 });
    assert.deepEqual(await strict.review(op(a, naira("100"))), { allow: false, alerts: ["velocity"] });

    const lenient = make({ sanctions: { action: "alert" } });
    const listed = (await database.db.select().from(database.tables.users)).find((u) => u.phone === LISTED)!.accountId as `0x${string}`;
    assert.deepEqual(await lenient.review(op(await oldAccount(), naira("100"), { counterpartyId: listed })), { allow: true, alerts: ["sanctions"] });
  });

  it("validates its configuration and reads overrides from JUAPESA_MONITORING_FILE", async () => {
    assert.deepEqual(monitoringConfig(), DEFAULT_MONITORING);
    assert.throws(() => monitoringConfig({ structuring: { nearLimitFraction: 1.5 } }), /structuring\.nearLimitFraction/);
    assert.throws(() => monitoringConfig({ velocity: { action: "shout" as "alert" } }), /velocity\.action/);
    assert.deepEqual(monitoringConfigFromEnv({}), DEFAULT_MONITORING);
    assert.throws(() => monitoringConfigFromEnv({ JUAPESA_MONITORING_FILE: "/nonexistent/monitoring.json" }), /JUAPESA_MONITORING_FILE/);
  });
});

describe("monitoring and alert admin on PostgreSQL (PGlite)", () => {
  it("stores an alert once and lets an officer list and resolve it over HTTP", async () => {
    const { Hono } = await import("hono");
    const { adminRoutes } = await import("../../../../ussd-bridge/src/admin/index.js");
    const { listen } = await import("./fixtures.js");
    const database = await openDatabase({ url: "pglite://memory" });
    const token = "pg-admin-token-0123456789abcdef";
    const app = new Hono().route("/admin", adminRoutes({ db: database.db, tables: database.tables, token, now: () => T0 }));
    const server = await listen(app);
    try {
      const compliance = createCompliance({ db: database.db, tables: database.tables, sanctions: list, tiers: loadTierTable(), now: () => T0 });
      const splitter = await addUser(database, "+2348030009001", { createdAt: T0 - 90 * DAY });
      await addOperation(database, { accountId: splitter, amount: naira("49000"), at: T0 - 3 * HOUR });
      await addOperation(database, { accountId: splitter, amount: naira("48000"), at: T0 - 2 * HOUR });
      const third = { opId: newOpId(), kind: "transfer" as const, accountId: splitter, asset: "cNGN" as const, amount: naira("47000"), at: T0 };
      assert.deepEqual(await compliance.review(third), { allow: true, alerts: ["structuring"] });
      assert.deepEqual(await compliance.review(third), { allow: true, alerts: ["structuring"] });
      const auth = { authorization: `Bearer ${token}` };
      const listed = await (await fetch(`${server.url}/admin/alerts?rule=structuring`, { headers: auth })).json();
      assert.equal(listed.alerts.length, 1);
      assert.equal(listed.alerts[0].opId, opIdHex(third.opId));
      const resolved = await fetch(`${server.url}/admin/alerts/${listed.alerts[0].id}/resolve`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ note: "documented salary advance" }),
      });
      assert.equal(resolved.status, 200);
      assert.deepEqual((await (await fetch(`${server.url}/admin/alerts`, { headers: auth })).json()).alerts, []);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
