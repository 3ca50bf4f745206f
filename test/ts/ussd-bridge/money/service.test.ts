/**
 * The money service against the real contracts on an in-process chain and a real SQLite database:
 * outcomes and refusals, idempotency by opId, crash safety of the outbox, nonce safety under
 * concurrency, converts, and the "in progress" path that settles later.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, parseUnits, toHex, type Hex } from "viem";

import { feedId, WAD } from "../../../../sdk/protocol.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { opIdFor } from "../../../../ussd-bridge/src/money/op-id.js";
import { createMoneyService, type BridgeMoneyService, type MoneyServiceOptions } from "../../../../ussd-bridge/src/money/service.js";
import { MoneyRefusalError } from "../../../../ussd-bridge/src/money/refusal.js";
import type { OperationRecord } from "../../../../ussd-bridge/src/ports.js";
import { chainFixture, crashingClients, type ChainFixture } from "./fixture.js";

const cngn = (naira: string) => parseUnits(naira, 6);
const account = (label: string): Hex => keccak256(toHex(`money test account ${label}`));

let chain: ChainFixture;
const services: BridgeMoneyService[] = [];
const databases: Database[] = [];

before(async () => {
  chain = await chainFixture();
});
after(async () => {
  for (const s of services) await s.close();
  for (const d of databases) await d.close();
});

async function database(file?: string): Promise<Database> {
  const db = await openDatabase({ sqlitePath: file ?? ":memory:" });
  databases.push(db);
  return db;
}

function service(db: Database, overrides: Partial<MoneyServiceOptions> = {}): BridgeMoneyService {
  const s = createMoneyService({ db: db.db, tables: db.tables, chain: { public: chain.public, wallet: chain.wallet }, deployment: chain.deployment, budgetMs: 10_000, unknownGraceMs: 0, log: () => {}, ...overrides });
  services.push(s);
  return s;
}

async function open(...ids: Hex[]) {
  for (const id of ids) await chain.stack.contracts.vault.write.openAccount([id, 1]);
}

async function fund(money: BridgeMoneyService, id: Hex, asset: "cNGN" | "USDC", amount: bigint, label: string) {
  const { change, signatures } = await chain.signMint(id, asset, amount, label);
  const outcome = await money.credit({ opId: opIdFor("rail", "test-fund", label), accountId: id, change, signatures });
  assert.equal(outcome.status, "done", JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

const balance = (id: Hex, asset: "cNGN" | "USDC" | "XAUt" = "cNGN") => chain.stack.contracts.vault.read.balanceOf([id, chain.deployment[asset]]);
const operatorNonce = () => chain.public.getTransactionCount({ address: chain.wallet.account!.address, blockTag: "pending" });

async function transferEvents(opId: bigint) {
  return chain.public.getContractEvents({ address: chain.deployment.vault, abi: chain.stack.contracts.vault.abi, eventName: "Transferred", args: { opId }, fromBlock: 0n });
}

describe("money: transfers", () => {
  it("moves money and answers done with the transaction, recorded in the outbox", async () => {
    const money = service(await database());
    const [amina, kofi] = [account("t1-amina"), account("t1-kofi")];
    await open(amina, kofi);
    await fund(money, amina, "cNGN", cngn("1000"), "t1");
    const opId = opIdFor("ussd", "session-t1", "send");
    const outcome = await money.transfer({ opId, origin: "ussd", from: amina, to: kofi, asset: "cNGN", amount: cngn("250") });
    assert.equal(outcome.status, "done");
    assert.ok(outcome.status === "done" && /^0x[0-9a-f]{64}$/.test(outcome.txHash));
    assert.equal(await balance(amina), cngn("750"));
    assert.equal(await balance(kofi), cngn("250"));
    const record = await money.operation(opId);
    assert.deepEqual(
      { kind: record!.kind, origin: record!.origin, status: record!.status, amount: record!.amount, asset: record!.asset, to: record!.counterpartyId, tx: record!.txHash },
      { kind: "transfer", origin: "ussd", status: "done", amount: cngn("250"), asset: "cNGN", to: kofi, tx: outcome.status === "done" ? outcome.txHash : undefined },
    );
    assert.deepEqual(await money.balances(kofi), { cNGN: cngn("250"), USDC: 0n, XAUt: 0n });
  });

  it("answers a repeated opId with the first outcome and moves the money once", async () => {
    const money = service(await database());
    const [a, b] = [account("t2-a"), account("t2-b")];
    await open(a, b);
    await fund(money, a, "cNGN", cngn("500"), "t2");
    const req = { opId: opIdFor("ussd", "session-t2", "send"), origin: "ussd" as const, from: a, to: b, asset: "cNGN" as const, amount: cngn("100") };
    const first = await money.transfer(req);
    const nonce = await operatorNonce();
    const again = await money.transfer(req);
    const together = await Promise.all([money.transfer(req), money.transfer(req)]);
    assert.deepEqual(again, first);
    assert.deepEqual(together, [first, first]);
    assert.equal(await operatorNonce(), nonce, "no transaction was sent for the repeats");
    assert.equal(await balance(b), cngn("100"));
    assert.equal((await transferEvents(req.opId)).length, 1);

    const altered = await money.transfer({ ...req, amount: cngn("200") });
    assert.deepEqual(altered, { status: "refused", opId: req.opId, reason: "unknown", detail: "this operation id was already used for a different operation" });
    assert.equal(await balance(b), cngn("100"));
  });

  it("sends two operations at once with the same new opId only once", async () => {
    const money = service(await database());
    const [a, b] = [account("t2b-a"), account("t2b-b")];
    await open(a, b);
    await fund(money, a, "cNGN", cngn("500"), "t2b");
    const req = { opId: opIdFor("ussd", "session-t2b", "send"), origin: "ussd" as const, from: a, to: b, asset: "cNGN" as const, amount: cngn("40") };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => money.transfer(req)));
    assert.ok(outcomes.every((o) => o.status === "done"));
    assert.equal(new Set(outcomes.map((o) => (o.status === "done" ? o.txHash : ""))).size, 1);
    assert.equal(await balance(b), cngn("40"));
  });

  it("refuses what the vault refuses, marks the row failed and sends no transaction", async () => {
    const money = service(await database());
    const [rich, poor, frozen, stranger] = [account("t3-rich"), account("t3-poor"), account("t3-frozen"), account("t3-unopened")];
    await open(rich, poor, frozen);
    await fund(money, rich, "cNGN", cngn("60000"), "t3-rich");
    await fund(money, frozen, "cNGN", cngn("100"), "t3-frozen");
    await chain.stack.contracts.vault.write.freeze([frozen]);

    const cases = [
      { name: "insufficient", from: poor, to: rich, amount: cngn("10"), reason: "insufficient-balance" },
      { name: "single limit", from: rich, to: poor, amount: cngn("50001"), reason: "limit-single" },
      { name: "frozen sender", from: frozen, to: poor, amount: cngn("10"), reason: "account-frozen" },
      { name: "frozen recipient", from: rich, to: frozen, amount: cngn("10"), reason: "account-frozen" },
      { name: "self", from: rich, to: rich, amount: cngn("10"), reason: "self-transfer" },
      { name: "unopened recipient", from: rich, to: stranger, amount: cngn("10"), reason: "account-not-open" },
    ] as const;
    for (const c of cases) {
      const opId = opIdFor("ussd", "session-t3", c.name);
      const nonce = await operatorNonce();
      const outcome = await money.transfer({ opId, origin: "ussd", from: c.from, to: c.to, asset: "cNGN", amount: c.amount });
      assert.equal(outcome.status, "refused", c.name);
      assert.equal(outcome.status === "refused" && outcome.reason, c.reason, c.name);
      assert.equal(await operatorNonce(), nonce, `${c.name}: nothing was sent`);
      const record = await money.operation(opId);
      assert.equal(record!.status, "failed");
      assert.match(record!.error!, new RegExp(`^${c.reason}: `));
      assert.deepEqual(await money.transfer({ opId, origin: "ussd", from: c.from, to: c.to, asset: "cNGN", amount: c.amount }), outcome, `${c.name}: the repeat answers the same`);
    }
    assert.equal(await balance(rich), cngn("60000"));

    // The daily window: 30,000 + 30,000 naira is over tier 1's 50,000.
    const first = await money.transfer({ opId: opIdFor("ussd", "session-t3", "daily-1"), origin: "ussd", from: rich, to: poor, asset: "cNGN", amount: cngn("30000") });
    const second = await money.transfer({ opId: opIdFor("ussd", "session-t3", "daily-2"), origin: "ussd", from: rich, to: poor, asset: "cNGN", amount: cngn("30000") });
    assert.equal(first.status, "done");
    assert.equal(second.status === "refused" && second.reason, "limit-daily");
    assert.deepEqual(await money.limits(rich, "cNGN"), { maxSingle: cngn("50000"), remainingToday: cngn("20000"), maxBalance: cngn("300000") });
    assert.deepEqual(await money.limits(stranger, "cNGN"), { maxSingle: 0n, remainingToday: 0n, maxBalance: 0n });
    assert.deepEqual(await money.limits(frozen, "cNGN"), { maxSingle: 0n, remainingToday: 0n, maxBalance: 0n });
  });

  it("of two sends that together overdraw, lands one and refuses the other as insufficient", async () => {
    const money = service(await database());
    const [a, b] = [account("t4b-a"), account("t4b-b")];
    await open(a, b);
    await fund(money, a, "cNGN", cngn("100"), "t4b");
    const outcomes = await Promise.all(
      ["x", "y"].map((step) => money.transfer({ opId: opIdFor("ussd", "session-t4b", step), origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("60") })),
    );
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ["done", "refused"]);
    const refused = outcomes.find((o) => o.status === "refused");
    assert.equal(refused?.status === "refused" && refused.reason, "insufficient-balance");
    assert.equal(await balance(a), cngn("40"));
    assert.equal(await balance(b), cngn("60"));
  });

  it("refuses a non-positive amount at once, without an outbox row", async () => {
    const money = service(await database());
    const opId = opIdFor("ussd", "session-t4", "send");
    const outcome = await money.transfer({ opId, origin: "ussd", from: account("t4-a"), to: account("t4-b"), asset: "cNGN", amount: 0n });
    assert.equal(outcome.status === "refused" && outcome.reason, "unknown");
    assert.equal(await money.operation(opId), undefined);
  });

  it("lands ten transfers sent at once from one operator key, each exactly once", async () => {
    const money = service(await database());
    const [a, b, c] = [account("t5-a"), account("t5-b"), account("t5-c")];
    await open(a, b, c);
    await fund(money, a, "cNGN", cngn("1000"), "t5-a");
    await fund(money, b, "cNGN", cngn("1000"), "t5-b");
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        money.transfer({ opId: opIdFor("ussd", "session-t5", String(i)), origin: "ussd", from: i % 2 ? a : b, to: c, asset: "cNGN", amount: cngn(String(i + 1)) }),
      ),
    );
    assert.deepEqual(outcomes.map((o) => o.status), Array(10).fill("done"));
    assert.equal(new Set(outcomes.map((o) => (o.status === "done" ? o.txHash : ""))).size, 10);
    // a sent 2+4+6+8+10 = 30, b sent 1+3+5+7+9 = 25.
    assert.equal(await balance(a), cngn("970"));
    assert.equal(await balance(b), cngn("975"));
    assert.equal(await balance(c), cngn("55"));
  });
});

describe("money: in progress", () => {
  it("answers pending when the budget is 0, then settles and tells the listeners", async () => {
    const money = service(await database());
    const [a, b] = [account("t6-a"), account("t6-b")];
    await open(a, b);
    await fund(money, a, "cNGN", cngn("100"), "t6");
    const settled: OperationRecord[] = [];
    const heard = new Promise<void>((resolve) => money.onSettled((op) => (settled.push(op), resolve())));
    const opId = opIdFor("ussd", "session-t6", "send");
    const outcome = await money.transfer({ opId, origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("60"), budgetMs: 0 });
    assert.deepEqual(outcome, { status: "pending", opId });
    await heard;
    assert.equal(settled.length, 1);
    assert.equal(settled[0]!.opId, opId);
    assert.equal(settled[0]!.status, "done");
    assert.ok(settled[0]!.txHash);
    assert.equal(await balance(b), cngn("60"));
    assert.equal((await money.transfer({ opId, origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("60") })).status, "done");

    // A refusal that comes after the caller left is heard the same way.
    const refusedOp = opIdFor("ussd", "session-t6", "too-much");
    const heardRefusal = new Promise<OperationRecord>((resolve) => money.onSettled((op) => op.opId === refusedOp && resolve(op)));
    assert.equal((await money.transfer({ opId: refusedOp, origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("1000"), budgetMs: 0 })).status, "pending");
    const refused = await heardRefusal;
    assert.equal(refused.status, "failed");
    assert.match(refused.error!, /^insufficient-balance: /);
  });

  it("does not call the listeners for an operation whose caller got the answer", async () => {
    const money = service(await database());
    const [a, b] = [account("t7-a"), account("t7-b")];
    await open(a, b);
    const settled: OperationRecord[] = [];
    money.onSettled((op) => settled.push(op));
    await fund(money, a, "cNGN", cngn("100"), "t7");
    const outcome = await money.transfer({ opId: opIdFor("ussd", "session-t7", "send"), origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("5") });
    assert.equal(outcome.status, "done");
    assert.deepEqual(settled, []);
  });
});

describe("money: crash safety", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "bridge-outbox-"));

  async function crashedThenReconciled(label: string, method: string, when: "before" | "after" | "answer-lost") {
    const file = path.join(tmp, `${label}.db`);
    const setupDb = await database(file);
    const setup = service(setupDb);
    const [a, b] = [account(`${label}-a`), account(`${label}-b`)];
    await open(a, b);
    await fund(setup, a, "cNGN", cngn("100"), label);
    await setup.close();

    // The first bridge: its connection dies at the chosen moment, as if the process stopped there.
    const crashingDb = await database(file);
    const crashing = service(crashingDb, { chain: crashingClients(chain, method, when) });
    const opId = opIdFor("ussd", `session-${label}`, "send");
    const before = await crashing.transfer({ opId, origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("30"), budgetMs: 300 });
    assert.equal(before.status, "pending");
    await crashing.close();
    await crashingDb.close();

    // The restarted bridge: a new process over the same database file.
    const restartedDb = await database(file);
    const restarted = service(restartedDb);
    const counts = await restarted.reconcile();
    const record = await restarted.operation(opId);
    assert.equal(record!.status, "done");
    assert.equal(await balance(b), cngn("30"), "the money moved exactly once");
    assert.equal(await balance(a), cngn("70"));
    const events = await transferEvents(opId);
    assert.equal(events.length, 1);
    assert.equal(record!.txHash, events[0]!.transactionHash);
    // Reconciling again, or the caller retrying, changes nothing.
    assert.deepEqual(await restarted.reconcile(), { checked: 0, completed: 0, resent: 0, failed: 0 });
    const retried = await restarted.transfer({ opId, origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("30") });
    assert.deepEqual(retried, { status: "done", opId, txHash: events[0]!.transactionHash });
    assert.equal(await balance(b), cngn("30"));
    return counts;
  }

  it("sends exactly once after a crash between the outbox write and the send", async () => {
    const counts = await crashedThenReconciled("crash-before-send", "eth_sendRawTransaction", "before");
    assert.deepEqual(counts, { checked: 1, completed: 0, resent: 1, failed: 0 });
  });

  it("completes without sending again after a crash between the send and its receipt", async () => {
    const counts = await crashedThenReconciled("crash-after-send", "eth_sendRawTransaction", "after");
    assert.deepEqual(counts, { checked: 1, completed: 1, resent: 0, failed: 0 });
  });

  it("completes without sending again when the send went through but its answer was lost", async () => {
    const counts = await crashedThenReconciled("crash-answer-lost", "eth_sendRawTransaction", "answer-lost");
    assert.deepEqual(counts, { checked: 1, completed: 1, resent: 0, failed: 0 });
  });

  it("marks an open operation the vault now refuses as failed when no earlier send can land", async () => {
    const file = path.join(tmp, "refused-on-reconcile.db");
    const db1 = await database(file);
    const crashing = service(db1, { chain: crashingClients(chain, "eth_sendRawTransaction", "before") });
    const [a, b] = [account("t8-a"), account("t8-b")];
    await open(a, b);
    const opId = opIdFor("ussd", "session-t8", "send");
    // The estimate passes only if a has the money: fund it, crash before the send, then drain it.
    const funder = service(db1);
    await fund(funder, a, "cNGN", cngn("50"), "t8");
    assert.equal((await crashing.transfer({ opId, origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("50"), budgetMs: 300 })).status, "pending");
    await crashing.close();
    await funder.transfer({ opId: opIdFor("ussd", "session-t8", "drain"), origin: "ussd", from: a, to: b, asset: "cNGN", amount: cngn("50") });

    const restarted = service(await database(file));
    assert.deepEqual(await restarted.reconcile(), { checked: 1, completed: 0, resent: 0, failed: 1 });
    const record = await restarted.operation(opId);
    assert.equal(record!.status, "failed");
    assert.match(record!.error!, /^insufficient-balance: /);
    assert.equal((await transferEvents(opId)).length, 0);
  });
});

describe("money: attested credits and debits", () => {
  it("credits and debits with attested statements, and refuses a statement used twice", async () => {
    const money = service(await database());
    const a = account("t9-a");
    await open(a);
    const mint = await chain.signMint(a, "cNGN", cngn("400"), "t9-mint");
    assert.equal((await money.credit({ opId: opIdFor("rail", "mpesa", "collect", "t9"), accountId: a, ...mint })).status, "done");
    const burn = await chain.signBurn(a, "cNGN", cngn("150"), "t9-burn");
    assert.equal((await money.debit({ opId: opIdFor("rail", "mpesa", "payout", "t9"), accountId: a, ...burn })).status, "done");
    assert.equal(await balance(a), cngn("250"));

    const replay = await money.credit({ opId: opIdFor("rail", "mpesa", "collect", "t9-replay"), accountId: a, ...mint });
    assert.equal(replay.status === "refused" && replay.reason, "invalid-statement");
    const record = await money.operation(opIdFor("rail", "mpesa", "payout", "t9"));
    assert.deepEqual([record!.kind, record!.origin, record!.asset, record!.amount], ["debit", "rail", "cNGN", cngn("150")]);
    assert.equal(await balance(a), cngn("250"));
  });
});

describe("money: quotes and converts", () => {
  it("quotes along the router's best route with the fee in the input asset", async () => {
    const money = service(await database());
    const quote = await money.quote("cNGN", "USDC", cngn("14500"));
    assert.equal(quote.pools.length, 1);
    assert.deepEqual(quote.tokens, [chain.deployment.cNGN, chain.deployment.USDC]);
    // ₦14,500 at ₦1,450 per dollar is $10 before fees; the spread alone is 0.10 %.
    assert.ok(quote.amountOut < parseUnits("10", 6) && quote.amountOut > parseUnits("9.9", 6), `${quote.amountOut}`);
    assert.ok(quote.fee >= cngn("14.5") && quote.fee < cngn("145"), `${quote.fee}`);
  });

  it("converts at the quote and refuses below the minimum output as slippage", async () => {
    const money = service(await database());
    const a = account("t10-a");
    await open(a);
    await fund(money, a, "cNGN", cngn("30000"), "t10");
    const quote = await money.quote("cNGN", "USDC", cngn("14500"));

    const greedy = await money.convert({ opId: opIdFor("ussd", "session-t10", "greedy"), origin: "ussd", accountId: a, from: "cNGN", to: "USDC", amountIn: cngn("14500"), minAmountOut: quote.amountOut + 1_000_000n });
    assert.equal(greedy.status === "refused" && greedy.reason, "slippage");
    assert.equal(await balance(a), cngn("30000"));

    const opId = opIdFor("ussd", "session-t10", "convert");
    const outcome = await money.convert({ opId, origin: "ussd", accountId: a, from: "cNGN", to: "USDC", amountIn: cngn("14500"), minAmountOut: quote.amountOut });
    assert.equal(outcome.status, "done");
    assert.ok(outcome.status === "done" && outcome.amountOut === quote.amountOut);
    assert.equal(await balance(a), cngn("15500"));
    assert.equal(await balance(a, "USDC"), quote.amountOut);
    const record = await money.operation(opId);
    assert.deepEqual([record!.kind, record!.asset, record!.assetOut, record!.amountOut], ["convert", "cNGN", "USDC", quote.amountOut]);
  });

  it("refuses converts the pool's trading limit stops, as pool-limit", async () => {
    const money = service(await database());
    const a = account("t11-a");
    await open(a);
    await fund(money, a, "cNGN", cngn("30000"), "t11");
    const pool = chain.stack.contracts.pool;
    await pool.write.setTradingLimit([chain.deployment.USDC, { limit0: 5, timestep0: 300, limit1: 0, timestep1: 0 }]);
    try {
      await assert.rejects(money.quote("cNGN", "USDC", cngn("14500")), (e: unknown) => e instanceof MoneyRefusalError && e.reason === "pool-limit");
      const outcome = await money.convert({ opId: opIdFor("ussd", "session-t11", "convert"), origin: "ussd", accountId: a, from: "cNGN", to: "USDC", amountIn: cngn("14500"), minAmountOut: 1n });
      assert.equal(outcome.status === "refused" && outcome.reason, "pool-limit");
    } finally {
      await pool.write.setTradingLimit([chain.deployment.USDC, { limit0: 0, timestep0: 0, limit1: 0, timestep1: 0 }]);
    }
    assert.equal(await balance(a), cngn("30000"));
  });

  it("refuses converts on a halted market as market-halted (runs last: it trips the gold feed's breaker)", async () => {
    const money = service(await database());
    const a = account("t12-a");
    await open(a);
    await fund(money, a, "USDC", parseUnits("100", 6), "t12");
    await chain.stack.contracts.oracle.write.report([feedId("XAU/USD"), 8_000n * WAD]);
    await assert.rejects(money.quote("USDC", "XAUt", parseUnits("50", 6)), (e: unknown) => e instanceof MoneyRefusalError && e.reason === "market-halted");
    const outcome = await money.convert({ opId: opIdFor("ussd", "session-t12", "convert"), origin: "ussd", accountId: a, from: "USDC", to: "XAUt", amountIn: parseUnits("50", 6), minAmountOut: 1n });
    assert.equal(outcome.status === "refused" && outcome.reason, "market-halted");
    assert.equal(await balance(a, "USDC"), parseUnits("100", 6));
  });
});
