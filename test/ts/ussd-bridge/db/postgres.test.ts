/**
 * The same registry and outbox on PostgreSQL (PGlite, the real PostgreSQL compiled to wasm, in
 * process): registration, a transfer, and reconciliation after a crash before the send.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseUnits } from "viem";

import { createRegistry } from "../../../../ussd-bridge/src/accounts/registry.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { opIdFor } from "../../../../ussd-bridge/src/money/op-id.js";
import { createTxSender } from "../../../../ussd-bridge/src/money/sender.js";
import { createMoneyService } from "../../../../ussd-bridge/src/money/service.js";
import { chainFixture, crashingClients, listScreening, TEST_PEPPER, TEST_SCRYPT, type ChainFixture } from "../money/fixture.js";

let chain: ChainFixture;
let database: Database;
before(async () => {
  chain = await chainFixture();
  database = await openDatabase({ url: "pglite://memory" });
});
after(async () => database?.close());

describe("registry and outbox on PostgreSQL", () => {
  it("registers two people, moves money between them and reconciles an operation a crash left open", async () => {
    assert.equal(database.dialect, "postgres");
    const { db, tables } = database;
    const sender = createTxSender(chain);
    const registry = createRegistry({ db, tables, pepper: TEST_PEPPER, compliance: listScreening([]), chain: { public: chain.public, wallet: chain.wallet, sender }, deployment: chain.deployment, pinScrypt: TEST_SCRYPT });
    const money = createMoneyService({ db, tables, chain: { public: chain.public, wallet: chain.wallet, sender }, deployment: chain.deployment, budgetMs: 10_000, unknownGraceMs: 0, log: () => {} });

    const amina = await registry.register({ phone: "+2348031234567", lang: "en", pin: "4826" });
    const kofi = await registry.register({ phone: "+233241234567", lang: "fr", pin: "9173" });
    assert.ok(amina.ok && kofi.ok);
    assert.deepEqual(await registry.register({ phone: "+2348031234567", lang: "en", pin: "4826" }), { ok: false, reason: "already-registered" });
    assert.deepEqual(await registry.verifyPin(amina.user.accountId, "0001"), { ok: false, reason: "wrong", attemptsLeft: 2 });
    assert.deepEqual(await registry.verifyPin(amina.user.accountId, "4826"), { ok: true });

    const mint = await chain.signMint(amina.user.accountId, "cNGN", parseUnits("1000", 6), "pg-fund");
    assert.equal((await money.credit({ opId: opIdFor("rail", "pg", "fund"), accountId: amina.user.accountId, ...mint })).status, "done");
    const sendId = opIdFor("ussd", "pg-session", "send");
    const sent = await money.transfer({ opId: sendId, origin: "ussd", from: amina.user.accountId, to: kofi.user.accountId, asset: "cNGN", amount: parseUnits("300", 6) });
    assert.equal(sent.status, "done");
    assert.equal((await money.transfer({ opId: sendId, origin: "ussd", from: amina.user.accountId, to: kofi.user.accountId, asset: "cNGN", amount: parseUnits("300", 6) })).status, "done");

    // A bridge that dies before its send leaves a pending row; the next one sends it once.
    const crashing = createMoneyService({ db, tables, chain: crashingClients(chain, "eth_sendRawTransaction", "before"), deployment: chain.deployment, unknownGraceMs: 0, log: () => {} });
    const openId = opIdFor("ussd", "pg-session-2", "send");
    assert.equal((await crashing.transfer({ opId: openId, origin: "ussd", from: kofi.user.accountId, to: amina.user.accountId, asset: "cNGN", amount: parseUnits("100", 6), budgetMs: 300 })).status, "pending");
    await crashing.close();
    // The send was recorded (nonce and hash) before it was handed to the node, which never got it.
    assert.equal((await money.operation(openId))!.status, "submitted");
    assert.deepEqual(await money.reconcile(), { checked: 1, completed: 0, resent: 1, failed: 0 });
    assert.equal((await money.operation(openId))!.status, "done");
    assert.deepEqual(await money.reconcile(), { checked: 0, completed: 0, resent: 0, failed: 0 });

    assert.deepEqual(await money.balances(amina.user.accountId), { cNGN: parseUnits("800", 6), USDC: 0n, XAUt: 0n });
    assert.deepEqual(await money.balances(kofi.user.accountId), { cNGN: parseUnits("200", 6), USDC: 0n, XAUt: 0n });
    await money.close();
  });
});
