/**
 * Cash in and cash out end to end on real parts: the MoMo and M-Pesa sandboxes on loopback (their
 * callbacks travel over HTTP to the bridge's callback routes), the reserve attester in its own HTTP
 * server, the money service with its outbox in a SQLite file, and the vault on an in-process chain.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import type { Hex } from "viem";

import { accountIdFor } from "../../../../sdk/phone.js";
import type { E164, RailId } from "../../../../ussd-bridge/src/ports.js";
import { cashOpId, cashReference } from "../../../../ussd-bridge/src/cash/ids.js";
import { assetForFiat, assetToBurnForFiat, rateFor } from "../../../../ussd-bridge/src/cash/rates.js";
import { collectRef, payoutRef, refundRef } from "../../../../ussd-bridge/src/cash/refs.js";
import { readVaultMovements } from "../../../../ussd-bridge/src/cash/reconcile.js";
import type { RailPaymentRow } from "../../../../ussd-bridge/src/cash/payments.js";
import { opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";
import {
  cashChain,
  freshKey,
  kenyan,
  momoSandbox,
  mpesaSandbox,
  RATES,
  smsSandbox,
  startBridge,
  startTestAttester,
  TEST_PEPPER,
  ugandan,
  type CashChain,
  type SandboxedRail,
  type TestAttester,
  type TestBridge,
} from "./fixture.js";

const UGX = rateFor(RATES, "UGX");
const KES = rateFor(RATES, "KES");
const USDC = (whole: number) => BigInt(Math.round(whole * 1_000_000));

describe("cash in and cash out", () => {
  let chain: CashChain;
  let momo: SandboxedRail;
  let mpesa: SandboxedRail;
  let attester: TestAttester;
  let bridge: TestBridge;
  let dir: string;
  let sms: Awaited<ReturnType<typeof smsSandbox>>;
  const events: Array<{ event: string; fields: Record<string, unknown> }> = [];

  before(async () => {
    chain = await cashChain();
    momo = await momoSandbox();
    // The custodian's M-Pesa B2C float is empty: every M-Pesa payout fails for want of float.
    mpesa = await mpesaSandbox({ initialFloat: "0" });
    attester = await startTestAttester(chain, [momo, mpesa]);
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-cash-"));
    sms = await smsSandbox();
    bridge = await startBridge(chain, attester, [momo, mpesa], { dbPath: path.join(dir, "bridge.db"), smsUrl: sms.url, log: (event, fields) => events.push({ event, fields }) });
  });
  after(async () => {
    await bridge?.close();
    await attester?.stopAndClean();
    await momo?.close();
    await mpesa?.close();
    await sms?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const vault = () => chain.stack.contracts.vault;
  const accountOf = (phone: E164) => accountIdFor(TEST_PEPPER, phone);
  const balance = (phone: E164, asset: "USDC" | "cNGN" = "USDC") => vault().read.balanceOf([accountOf(phone), chain.deployment[asset]]);
  const opened = new Set<string>();
  async function open(phone: E164) {
    if (opened.has(phone)) return;
    opened.add(phone);
    await vault().write.openAccount([accountOf(phone), 1]);
  }

  async function rowOf(b: TestBridge, reference: string): Promise<RailPaymentRow | undefined> {
    const t = b.db.tables.railPayments;
    return (await b.db.db.select().from(t).where(eq(t.id, reference)))[0];
  }

  /** Lets callbacks and background work run until the row satisfies `done` (never by time alone). */
  async function until(b: TestBridge, reference: string, done: (row: RailPaymentRow) => boolean, what: string): Promise<RailPaymentRow> {
    for (let i = 0; i < 400; i++) {
      await b.cash.idle();
      const row = await rowOf(b, reference);
      if (row && done(row)) return row;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    throw new Error(`payment ${reference} never became ${what}: ${JSON.stringify(await rowOf(b, reference))}`);
  }

  async function movementsWithRef(ref: Hex) {
    return (await readVaultMovements(chain.publicClient, chain.deployment.vault)).filter((m) => m.ref.toLowerCase() === ref.toLowerCase());
  }

  async function supplyWithinReserve() {
    for (const asset of ["cNGN", "USDC", "XAUt"] as const) {
      const [reserve, , fresh] = await chain.stack.contracts.ledger.read.latestReserve([chain.deployment[asset]]);
      const supply = await chain.stack.contracts.tokens[asset].read.totalSupply();
      assert.ok(fresh && supply <= reserve, `${asset}: supply ${supply} within the fresh reserve ${reserve} (invariant 1)`);
    }
  }

  async function cashIn(b: TestBridge, phone: E164, fiatAmount: string, rail: RailId = "mtn-momo", opKey = freshKey("cash-in")) {
    await open(phone);
    const outcome = await b.cash.cashIn({ opKey, accountId: accountOf(phone), phone, rail, fiatAmount, budgetMs: 10_000 });
    return { opKey, outcome, reference: outcome.reference };
  }

  it("cash in: collected, attested and credited exactly once, despite a duplicate callback and polls racing it", async () => {
    const phone = ugandan("004"); // the sandbox sends this number's callback twice
    const { opKey, outcome, reference } = await cashIn(bridge, phone, "5000");
    assert.equal(outcome.status, "requested");
    await Promise.all([bridge.cash.pollPending(), bridge.cash.pollPending()]);
    const row = await until(bridge, reference, (r) => r.opId !== null, "credited");
    assert.equal(row.status, "succeeded");
    assert.equal(row.opId, opIdHex(cashOpId("mtn-momo", "collect", reference)));
    assert.equal(momo.sandbox.core.deliveries(row.providerRef!).length, 2, "the rail called back twice");

    // A late repeat of the callback, another poll and a retried request change nothing.
    const delivery = momo.sandbox.core.deliveries(row.providerRef!)[0]!;
    const late = await fetch(delivery.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(delivery.body) });
    assert.equal(late.status, 200);
    await bridge.cash.pollPending();
    const retried = await bridge.cash.cashIn({ opKey, accountId: accountOf(phone), phone, rail: "mtn-momo", fiatAmount: "5000" });
    assert.deepEqual(retried, { status: "done", reference });
    await bridge.cash.idle();

    assert.equal(await balance(phone), assetForFiat(UGX, "5000"));
    assert.equal((await movementsWithRef(collectRef("mtn-momo", row.providerRef!))).length, 1);
    const notices = await bridge.notices(reference);
    assert.deepEqual(notices.map((n) => [n.kind, n.status, n.phone]), [["credited", "sent", phone]]);
    assert.match(notices[0]!.message, /UGX 5000 received from MTN MoMo\. 1\.351351 USDC added/);
    assert.equal(sms.sandbox.messages(phone).filter((m) => m.message === notices[0]!.message).length, 1, "the gateway got it once");
    await supplyWithinReserve();
  });

  it("cash in that the customer cancels or cannot pay credits nothing", async () => {
    for (const suffix of ["002", "001"]) {
      const phone = ugandan(suffix);
      const { reference } = await cashIn(bridge, phone, "5000");
      const row = await until(bridge, reference, (r) => r.status === "failed", "failed");
      assert.equal(row.opId, null);
      assert.equal(await balance(phone), 0n);
      assert.equal((await movementsWithRef(collectRef("mtn-momo", row.providerRef!))).length, 0);
      assert.deepEqual((await bridge.notices(reference)).map((n) => n.kind), ["collect-failed"]);
      const again = await bridge.cash.pollPending();
      assert.equal(again.errors, 0);
      assert.equal(await balance(phone), 0n);
    }
  });

  it("a callback claiming success the rail does not confirm, or for an unknown reference, moves nothing", async () => {
    const phone = ugandan("003"); // the customer never answers: pending until it expires
    const { reference } = await cashIn(bridge, phone, "5000");
    const row = (await rowOf(bridge, reference))!;
    const forged = {
      amount: "5000",
      currency: "UGX",
      financialTransactionId: "9999999999",
      externalId: reference,
      payer: { partyIdType: "MSISDN", partyId: phone.slice(1) },
      status: "SUCCESSFUL",
    };
    const post = (body: unknown) =>
      fetch(`${bridge.callbackUrl}/rails/mtn-momo/collect/callback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    assert.equal((await post(forged)).status, 200);
    assert.equal((await post({ ...forged, externalId: "ci_000000000000000000000000000000" })).status, 200);
    assert.equal((await post({ hello: "world" })).status, 200);
    await bridge.cash.idle();
    await bridge.cash.pollPending();
    const after = (await rowOf(bridge, reference))!;
    assert.equal(after.status, "pending");
    assert.equal(after.opId, null);
    assert.equal(await balance(phone), 0n);
    assert.equal((await movementsWithRef(collectRef("mtn-momo", row.providerRef!))).length, 0);
    assert.ok(events.some((e) => e.event === "callback.unknown-reference"));
    assert.ok(events.some((e) => e.event === "callback.unrecognised"));
    // Logs name references and codes, never a number.
    for (const e of events) assert.doesNotMatch(JSON.stringify(e.fields), /256772|254708|\+2/);
  });

  describe("cash out", () => {
    const phone = ugandan("200");

    before(async () => {
      const { reference } = await cashIn(bridge, phone, "370000"); // 100 USDC
      await until(bridge, reference, (r) => r.opId !== null, "credited");
    });

    it("debits the account with an attested burn, pays the wallet, and texts the customer", async () => {
      const before = await balance(phone);
      const outcome = await bridge.cash.cashOut({ opKey: freshKey("cash-out"), accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "USDC", amount: USDC(10), budgetMs: 10_000 });
      assert.notEqual(outcome.status, "refused");
      const row = await until(bridge, outcome.reference, (r) => r.status === "succeeded", "paid");
      assert.equal(row.fiatAmount, "37000");
      assert.equal(await balance(phone), before - USDC(10));
      assert.equal((await movementsWithRef(payoutRef("mtn-momo", outcome.reference))).length, 1);
      const paid = momo.sandbox.core.find((tx) => tx.reference === outcome.reference && tx.direction === "payout")!;
      assert.equal(paid.state, "succeeded");
      assert.equal(paid.amount, "37000");
      assert.deepEqual((await bridge.notices(outcome.reference)).map((n) => [n.kind, n.status]), [["paid", "sent"]]);
      await supplyWithinReserve();
    });

    it("pays whole shillings and burns only what they are worth: the remainder stays in the account", async () => {
      const before = await balance(phone);
      const amount = 1_234_567n; // 1.234567 USDC = 4,567.9 UGX
      const outcome = await bridge.cash.cashOut({ opKey: freshKey("cash-out"), accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "USDC", amount, budgetMs: 10_000 });
      const row = await until(bridge, outcome.reference, (r) => r.status === "succeeded", "paid");
      assert.equal(row.fiatAmount, "4567");
      const burnt = assetToBurnForFiat(UGX, "4567");
      assert.ok(burnt <= amount && burnt * 3700n >= 4567n * 1_000_000n, "the burn covers the payout and no more than was asked");
      assert.equal(await balance(phone), before - burnt);
    });

    it("a debit the vault refuses (over the tier's single-operation limit) ends the cash out: no payout, a clear reason", async () => {
      const opKey = freshKey("cash-out");
      const outcome = await bridge.cash.cashOut({ opKey, accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "USDC", amount: USDC(40), budgetMs: 10_000 });
      assert.equal(outcome.status, "refused");
      assert.equal(outcome.status === "refused" && outcome.reason, "limit-single");
      const row = (await rowOf(bridge, outcome.reference))!;
      assert.equal(row.status, "failed");
      assert.equal(row.opId, null);
      assert.equal(momo.sandbox.core.find((tx) => tx.reference === outcome.reference), undefined, "no payout was requested");
      await bridge.cash.pollPending();
      assert.equal((await rowOf(bridge, outcome.reference))!.status, "failed");
      assert.deepEqual(await bridge.cash.cashOut({ opKey, accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "USDC", amount: USDC(40) }), outcome);
      const wrongAsset = await bridge.cash.cashOut({ opKey: freshKey("cash-out"), accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "cNGN", amount: USDC(1) });
      assert.equal(wrongAsset.status === "refused" && wrongAsset.reason, "unsupported-rail");
    });

    it("a payout that fails is refunded exactly once, with the burned amount", async () => {
      // A Kenyan number with a MoMo wallet cashes in there, then cashes out to M-Pesa, whose float is empty.
      const kenyanPhone = kenyan("300");
      const { reference: inRef } = await cashIn(bridge, kenyanPhone, "37000"); // 10 USDC through MoMo
      await until(bridge, inRef, (r) => r.opId !== null, "credited");
      const before = await balance(kenyanPhone);
      const outcome = await bridge.cash.cashOut({ opKey: freshKey("cash-out"), accountId: accountOf(kenyanPhone), phone: kenyanPhone, rail: "mpesa", asset: "USDC", amount: USDC(1), budgetMs: 10_000 });
      assert.notEqual(outcome.status, "refused");
      const row = await until(bridge, outcome.reference, (r) => r.status === "refunded", "refunded");
      assert.equal(row.fiatAmount, "129");
      assert.equal(row.refundOpId, opIdHex(cashOpId("mpesa", "refund", outcome.reference)));
      assert.equal(await balance(kenyanPhone), before);
      await Promise.all([bridge.cash.pollPending(), bridge.cash.pollPending()]);
      for (const d of mpesa.sandbox.core.deliveries(row.providerRef!)) {
        await fetch(d.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(d.body) });
      }
      await bridge.cash.idle();
      assert.equal(await balance(kenyanPhone), before);
      assert.equal((await movementsWithRef(payoutRef("mpesa", outcome.reference))).length, 1);
      const refunds = await movementsWithRef(refundRef("mpesa", outcome.reference));
      assert.equal(refunds.length, 1);
      assert.equal(refunds[0]!.amount, assetToBurnForFiat(KES, "129"));
      const notices = await bridge.notices(outcome.reference);
      assert.deepEqual(notices.map((n) => n.kind), ["refunded"]);
      assert.match(notices[0]!.message, /cash out of KES 129 to M-Pesa failed\. 1 USDC returned/);
      await supplyWithinReserve();
    });
  });

  describe("after a crash", () => {
    it("a collection left pending is finished once by the next instance's pollPending", async () => {
      const dbPath = path.join(dir, "crash-in.db");
      // This instance's callbacks go nowhere, and it stops before it ever polls.
      const first = await startBridge(chain, attester, [momo], { dbPath, smsUrl: sms.url, callbackBaseUrl: "http://127.0.0.1:9" });
      const phone = ugandan("500");
      const { reference } = await cashIn(first, phone, "7400");
      await first.crash();
      const pending = (await (async () => {
        const peek = await startBridge(chain, attester, [], { dbPath, smsUrl: sms.url });
        const row = await rowOf(peek, reference);
        await peek.close();
        return row;
      })())!;
      assert.equal(pending.status, "pending");
      assert.equal(await balance(phone), 0n);

      const second = await startBridge(chain, attester, [momo], { dbPath, smsUrl: sms.url });
      const summary = await second.cash.pollPending();
      assert.equal(summary.errors, 0);
      const row = await until(second, reference, (r) => r.opId !== null, "credited");
      assert.equal(row.status, "succeeded");
      assert.equal((await second.cash.pollPending()).changed, 0);
      await second.close();
      const third = await startBridge(chain, attester, [momo], { dbPath, smsUrl: sms.url });
      await third.cash.pollPending();
      await third.close();
      assert.equal(await balance(phone), assetForFiat(UGX, "7400"));
      assert.equal((await movementsWithRef(collectRef("mtn-momo", row.providerRef!))).length, 1);
    });

    it("a cash out stopped after its debit was sent is paid once by the next instance", async () => {
      const dbPath = path.join(dir, "crash-out.db");
      const phone = ugandan("600");
      const first = await startBridge(chain, attester, [momo], { dbPath, smsUrl: sms.url, budgetMs: 0 });
      const { reference: inRef } = await cashIn(first, phone, "37000");
      await until(first, inRef, (r) => r.opId !== null, "credited");
      const opKey = freshKey("cash-out");
      const outcome = await first.cash.cashOut({ opKey, accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "USDC", amount: USDC(5), budgetMs: 0 });
      assert.equal(outcome.status, "requested");
      await first.crash();

      const second = await startBridge(chain, attester, [momo], { dbPath, smsUrl: sms.url });
      await second.money.reconcile();
      await second.cash.pollPending();
      const row = await until(second, outcome.reference, (r) => r.status === "succeeded", "paid");
      assert.equal(row.opId, opIdHex(cashOpId("mtn-momo", "payout", outcome.reference)));
      await second.cash.pollPending();
      assert.deepEqual((await second.notices(outcome.reference)).map((n) => n.kind), ["paid"]);
      await second.close();
      assert.equal(await balance(phone), USDC(10) - USDC(5));
      assert.equal((await movementsWithRef(payoutRef("mtn-momo", outcome.reference))).length, 1);
      assert.equal(momo.sandbox.core.all().filter((tx) => tx.reference === outcome.reference).length, 1, "one payout at the rail");
    });
  });

  it("derives one reference per operation key and direction", () => {
    assert.equal(cashReference("collect", "k"), cashReference("collect", "k"));
    assert.notEqual(cashReference("collect", "k"), cashReference("payout", "k"));
    assert.match(cashReference("payout", "session-1:cash-out"), /^co_[0-9a-f]{30}$/);
  });

  it("refuses what it cannot do before anything moves", async () => {
    const phone = ugandan("700");
    await open(phone);
    const unsupported = await bridge.cash.cashIn({ opKey: freshKey("x"), accountId: accountOf(phone), phone, rail: "orange", fiatAmount: "500" });
    assert.equal(unsupported.status === "refused" && unsupported.reason, "unsupported-rail");
    for (const fiatAmount of ["-5", "abc", "0", "1.1234567"]) {
      const bad = await bridge.cash.cashIn({ opKey: freshKey("x"), accountId: accountOf(phone), phone, rail: "mtn-momo", fiatAmount });
      assert.equal(bad.status, "refused", fiatAmount);
    }
    // Over the tier's balance limit: refused before the customer is asked to pay.
    const tooMuch = await bridge.cash.cashIn({ opKey: freshKey("x"), accountId: accountOf(phone), phone, rail: "mtn-momo", fiatAmount: "1000000" });
    assert.equal(tooMuch.status === "refused" && tooMuch.reason, "limit-balance");
    assert.equal(momo.sandbox.core.find((tx) => tx.reference === tooMuch.reference), undefined);
    // No open vault account: nothing could be credited, so the customer is never asked to pay.
    const stranger = ugandan("710");
    const notOpen = await bridge.cash.cashIn({ opKey: freshKey("x"), accountId: accountOf(stranger), phone: stranger, rail: "mtn-momo", fiatAmount: "500" });
    assert.equal(notOpen.status === "refused" && notOpen.reason, "account-not-open");
  });

  it("monitoring that holds a cash movement stops it before the rail or the vault hear of it", async () => {
    const reviewed: string[] = [];
    const held = await startBridge(chain, attester, [momo], {
      dbPath: path.join(dir, "held.db"),
      smsUrl: sms.url,
      compliance: {
        async review(op) {
          reviewed.push(op.kind);
          const large = op.amount >= USDC(5);
          return { allow: !large, alerts: large ? ["new-account-large"] : [] };
        },
      },
    });
    try {
      const phone = ugandan("720");
      await open(phone);
      const cashInHeld = await held.cash.cashIn({ opKey: freshKey("x"), accountId: accountOf(phone), phone, rail: "mtn-momo", fiatAmount: "37000" });
      assert.deepEqual(cashInHeld, { status: "refused", reference: cashInHeld.reference, reason: "compliance", detail: "held by monitoring (new-account-large)" });
      const small = await held.cash.cashIn({ opKey: freshKey("x"), accountId: accountOf(phone), phone, rail: "mtn-momo", fiatAmount: "3700" });
      assert.equal(small.status, "requested");
      await until(held, small.reference, (r) => r.opId !== null, "credited");
      const cashOutHeld = await held.cash.cashOut({ opKey: freshKey("x"), accountId: accountOf(phone), phone, rail: "mtn-momo", asset: "USDC", amount: USDC(5) });
      assert.equal(cashOutHeld.status === "refused" && cashOutHeld.reason, "compliance");
      assert.deepEqual(reviewed, ["cash-in", "cash-in", "cash-out"]);
      for (const reference of [cashInHeld.reference, cashOutHeld.reference]) {
        assert.equal(momo.sandbox.core.find((tx) => tx.reference === reference), undefined);
        assert.equal(await rowOf(held, reference), undefined);
      }
      assert.equal(await balance(phone), USDC(1));
    } finally {
      await held.close();
    }
  });
});
