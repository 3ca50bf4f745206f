/**
 * The reserve attester over real HTTP: it signs only what the rail itself confirms (MoMo and M-Pesa
 * sandboxes on loopback), once per receipt, and what it signs is accepted by the real ledger and vault
 * on an in-process chain. Also its reserve reports, from the rails' floats and a custodian statement.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, toHex, type Hex } from "viem";

import { createAttesterClient, AttestationRefusedError } from "../../../agents/reserve-attester/client.js";
import { holdingsFileSource, railFloatSource } from "../../../agents/reserve-attester/custodian.js";
import { signStatement, SupplyChangeKind, type SupplyChange } from "../../../sdk/attestation.js";
import { accountIdFor } from "../../../sdk/phone.js";
import { assetForFiat, assetToBurnForFiat, rateFor } from "../../../ussd-bridge/src/cash/rates.js";
import { collectRef, payoutRef, refundRef } from "../../../ussd-bridge/src/cash/refs.js";
import type { Attester, E164 } from "../../../ussd-bridge/src/ports.js";
import {
  ATTESTER_TOKEN,
  cashChain,
  freshKey,
  kenyan,
  momoSandbox,
  mpesaSandbox,
  RATES,
  settled,
  startTestAttester,
  TEST_PEPPER,
  ugandan,
  type CashChain,
  type SandboxedRail,
  type TestAttester,
} from "../ussd-bridge/cash/fixture.js";

const UGX = rateFor(RATES, "UGX");
const KES = rateFor(RATES, "KES");

describe("reserve attester", () => {
  let chain: CashChain;
  let momo: SandboxedRail;
  let mpesa: SandboxedRail;
  let attester: TestAttester;
  let client: Attester;
  let holdingsFile: string;
  let opSeq = 1_000n;

  let dir: string;

  before(async () => {
    chain = await cashChain();
    momo = await momoSandbox();
    mpesa = await mpesaSandbox();
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-attester-test-"));
    holdingsFile = path.join(dir, "holdings.json");
    attester = await startTestAttester(chain, [momo, mpesa], {
      dir,
      sources: (rails) => [railFloatSource(rails.get("mtn-momo")!), railFloatSource(rails.get("mpesa")!), holdingsFileSource(holdingsFile)],
    });
    client = createAttesterClient({ url: attester.url, token: ATTESTER_TOKEN });
  });
  after(async () => {
    await attester?.stopAndClean();
    await momo?.close();
    await mpesa?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The bridge's side: its own adapter asks the rail, as the bridge would. */
  const bridgeMomo = () => momo.adapter(attester.url);

  /** Deadlines count from the chain's clock, which a test below moves ahead of the wall clock. */
  async function deadline(seconds = 3_600n) {
    return (await chain.publicClient.getBlock()).timestamp + seconds;
  }

  async function collected(phone: E164, amount: string) {
    const rail = bridgeMomo();
    const request = await rail.collect({ reference: freshKey("ci"), phone, amount, description: "Cash in" });
    const status = await settled(rail, "collect", request.providerRef);
    return { providerRef: request.providerRef, status };
  }

  async function mintFor(phone: E164, amount: string, providerRef: string, overrides: Partial<SupplyChange> = {}): Promise<SupplyChange> {
    return {
      kind: SupplyChangeKind.Mint,
      asset: chain.deployment.USDC,
      holder: chain.deployment.vault,
      account: accountIdFor(TEST_PEPPER, phone),
      amount: assetForFiat(UGX, amount),
      ref: collectRef("mtn-momo", providerRef),
      nonce: ++opSeq,
      deadline: await deadline(),
      ...overrides,
    };
  }

  async function refusal(promise: Promise<unknown>): Promise<AttestationRefusedError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof AttestationRefusedError, `expected a refusal, got ${String(error)}`);
      return error;
    }
    assert.fail("the attester signed what it should have refused");
  }

  const vault = () => chain.stack.contracts.vault;
  async function openAccount(account: Hex) {
    await vault().write.openAccount([account, 1]);
  }

  it("signs a cash-in mint the rail confirmed, and the vault credits it against the ledger", async () => {
    const phone = ugandan("100");
    const { providerRef, status } = await collected(phone, "5000");
    assert.equal(status.state, "succeeded");
    const change = await mintFor(phone, "5000", providerRef);
    const { change: signed, signatures } = await client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change });
    assert.deepEqual(signed, change);
    await openAccount(change.account);
    await vault().write.credit([++opSeq, change.account, change, signatures]);
    assert.equal(await vault().read.balanceOf([change.account, chain.deployment.USDC]), assetForFiat(UGX, "5000"));
  });

  it("refuses while the rail says pending, and when the collection failed or was cancelled", async () => {
    const rail = bridgeMomo();
    const pending = await rail.collect({ reference: freshKey("ci"), phone: ugandan("003"), amount: "5000", description: "Cash in" });
    const waiting = await refusal(client.attest({ rail: "mtn-momo", direction: "collect", providerRef: pending.providerRef, change: await mintFor(ugandan("003"), "5000", pending.providerRef) }));
    assert.equal(waiting.code, "rail-pending");
    assert.equal(waiting.retryable, true);
    for (const suffix of ["001", "002"]) {
      const { providerRef, status } = await collected(ugandan(suffix), "5000");
      assert.equal(status.state, "failed");
      const failed = await refusal(client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: await mintFor(ugandan(suffix), "5000", providerRef) }));
      assert.equal(failed.code, "rail-failed");
      assert.equal(failed.retryable, false);
    }
  });

  it("refuses a mint whose amount, account, asset, holder or ref differ from what the rail shows", async () => {
    const phone = ugandan("110");
    const { providerRef } = await collected(phone, "7400");
    const cases: Array<[Partial<SupplyChange>, string]> = [
      [{ amount: assetForFiat(UGX, "7400") + 1n }, "amount-mismatch"],
      [{ account: accountIdFor(TEST_PEPPER, ugandan("111")) }, "account-mismatch"],
      [{ asset: chain.deployment.cNGN }, "statement-mismatch"],
      [{ holder: chain.admin.account.address }, "statement-mismatch"],
      [{ ref: collectRef("mtn-momo", "another request") }, "ref-mismatch"],
      [{ kind: SupplyChangeKind.Burn }, "statement-mismatch"],
      [{ deadline: BigInt(Math.floor(Date.now() / 1000)) + 30n * 86_400n }, "statement-mismatch"],
    ];
    for (const [override, code] of cases) {
      const failed = await refusal(client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: await mintFor(phone, "7400", providerRef, override) }));
      assert.equal(failed.code, code, JSON.stringify(override, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
    }
    // The truthful statement still goes through: refusals recorded nothing.
    await client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: await mintFor(phone, "7400", providerRef) });
  });

  it("attests a receipt once: an identical repeat gets the same signatures, a different statement is refused", async () => {
    const phone = ugandan("120");
    const { providerRef } = await collected(phone, "3700");
    const change = await mintFor(phone, "3700", providerRef);
    const first = await client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change });
    const count = attester.store.count();
    const again = await client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change });
    assert.equal(again.signatures, first.signatures);
    assert.equal(attester.store.count(), count);
    const other = await refusal(client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: { ...change, nonce: change.nonce + 1n } }));
    assert.equal(other.code, "already-attested");
    assert.equal(other.httpStatus, 409);
  });

  it("replaces a statement only once it expired unused on the ledger", async () => {
    const phone = ugandan("130");
    const { providerRef } = await collected(phone, "3700");
    const shortLived = await mintFor(phone, "3700", providerRef, { deadline: await deadline(120n) });
    await client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: shortLived });
    const replacement = { ...shortLived, deadline: await deadline(7_200n) };
    assert.equal((await refusal(client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: replacement }))).code, "already-attested");
    await chain.conn.networkHelpers.time.increase(600);
    const signed = await client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: replacement });
    await openAccount(replacement.account);
    await vault().write.credit([++opSeq, replacement.account, signed.change, signed.signatures]);
    assert.equal(await vault().read.balanceOf([replacement.account, chain.deployment.USDC]), replacement.amount);
    // Used now: nothing can replace it any more, expired or not.
    await chain.conn.networkHelpers.time.increase(7_300);
    const late = { ...replacement, deadline: await deadline(86_400n) };
    assert.equal((await refusal(client.attest({ rail: "mtn-momo", direction: "collect", providerRef, change: late }))).code, "already-attested");
  });

  it("vouches for an M-Pesa collection by the payer the statement shows (the STK query names none), for no other account", async () => {
    const rail = mpesa.adapter(attester.url);
    const phone = kenyan("140");
    const request = await rail.collect({ reference: freshKey("ci"), phone, amount: "500", description: "Cash in" });
    await settled(rail, "collect", request.providerRef);
    const change: SupplyChange = {
      kind: SupplyChangeKind.Mint,
      asset: chain.deployment.USDC,
      holder: chain.deployment.vault,
      account: accountIdFor(TEST_PEPPER, phone),
      amount: assetForFiat(KES, "500"),
      ref: collectRef("mpesa", request.providerRef),
      nonce: ++opSeq,
      deadline: await deadline(),
    };
    const someoneElse = { ...change, account: accountIdFor(TEST_PEPPER, kenyan("141")) };
    const wrong = await refusal(client.attest({ rail: "mpesa", direction: "collect", providerRef: request.providerRef, change: someoneElse }));
    assert.equal(wrong.code, "account-mismatch");
    const { change: signed, signatures } = await client.attest({ rail: "mpesa", direction: "collect", providerRef: request.providerRef, change });
    await openAccount(change.account);
    assert.deepEqual(signed, change);
    await vault().write.credit([++opSeq, change.account, change, signatures]);
    assert.equal(await vault().read.balanceOf([change.account, chain.deployment.USDC]), change.amount);
  });

  describe("cash out", () => {
    // The number has no MoMo wallet (magic 007), so payouts to it fail; the account is funded directly.
    const phone = ugandan("007");
    const account = accountIdFor(TEST_PEPPER, phone);

    before(async () => {
      const change = await mintFor(phone, "370000", "seed funds", { ref: keccak256(toHex("cash-out test funds")) }); // 100 USDC
      const signatures = await signStatement(chain.attesters.slice(0, 2), chain.stack.domain, "SupplyChange", change);
      await openAccount(account);
      await vault().write.credit([++opSeq, account, change, signatures]);
    });

    async function burnFor(reference: string, fiat: string, overrides: Partial<SupplyChange> = {}): Promise<SupplyChange> {
      return {
        kind: SupplyChangeKind.Burn,
        asset: chain.deployment.USDC,
        holder: chain.deployment.vault,
        account,
        amount: assetToBurnForFiat(UGX, fiat),
        ref: payoutRef("mtn-momo", reference),
        nonce: ++opSeq,
        deadline: await deadline(),
        ...overrides,
      };
    }

    it("signs a burn on request, bound to one payout reference", async () => {
      const reference = freshKey("co");
      const burn = await burnFor(reference, "37000");
      const signed = await client.attest({ rail: "mtn-momo", direction: "payout", providerRef: reference, change: burn });
      assert.deepEqual(signed.change, burn);
      const wrongRef = await refusal(client.attest({ rail: "mtn-momo", direction: "payout", providerRef: freshKey("co"), change: burn }));
      assert.equal(wrongRef.code, "ref-mismatch");
      const second = await refusal(client.attest({ rail: "mtn-momo", direction: "payout", providerRef: reference, change: { ...burn, amount: burn.amount * 2n } }));
      assert.equal(second.code, "already-attested");
      const mint = await refusal(client.attest({ rail: "mtn-momo", direction: "payout", providerRef: reference, change: { ...burn, kind: SupplyChangeKind.Mint } }));
      assert.equal(mint.code, "statement-mismatch");
    });

    it("refunds a failed payout once, exactly what was burned, and only after the burn was executed", async () => {
      const reference = freshKey("co");
      const fiat = "37000";
      const burn = await burnFor(reference, fiat);
      const { signatures } = await client.attest({ rail: "mtn-momo", direction: "payout", providerRef: reference, change: burn });
      const refund: SupplyChange = { ...burn, kind: SupplyChangeKind.Mint, ref: refundRef("mtn-momo", reference), nonce: ++opSeq };
      const rail = bridgeMomo();
      // The number has no wallet: the payout fails.
      const payout = await rail.payout({ reference, phone, amount: fiat, remarks: "Cash out" });
      assert.equal((await settled(rail, "payout", payout.providerRef)).state, "failed");

      const notBurnt = await refusal(client.attest({ rail: "mtn-momo", direction: "refund", providerRef: payout.providerRef, change: refund }));
      assert.equal(notBurnt.code, "no-burn");

      const before = await vault().read.balanceOf([account, chain.deployment.USDC]);
      await vault().write.debit([++opSeq, account, burn, signatures]);
      assert.equal((await refusal(client.attest({ rail: "mtn-momo", direction: "refund", providerRef: payout.providerRef, change: { ...refund, amount: refund.amount + 1n } }))).code, "amount-mismatch");
      assert.equal((await refusal(client.attest({ rail: "mtn-momo", direction: "refund", providerRef: payout.providerRef, change: { ...refund, account: keccak256(toHex("someone else")) } }))).code, "account-mismatch");
      const signed = await client.attest({ rail: "mtn-momo", direction: "refund", providerRef: payout.providerRef, change: refund });
      await vault().write.credit([++opSeq, account, signed.change, signed.signatures]);
      assert.equal(await vault().read.balanceOf([account, chain.deployment.USDC]), before);

      const twice = await refusal(client.attest({ rail: "mtn-momo", direction: "refund", providerRef: payout.providerRef, change: { ...refund, nonce: refund.nonce + 1n } }));
      assert.equal(twice.code, "already-attested");
    });

    it("refuses to refund a payout the rail paid, or one it has not settled", async () => {
      const rail = bridgeMomo();
      for (const [suffix, code] of [["160", "payout-not-failed"], ["003", "rail-pending"]] as const) {
        const reference = freshKey("co");
        const burn = await burnFor(reference, "3700");
        const { signatures } = await client.attest({ rail: "mtn-momo", direction: "payout", providerRef: reference, change: burn });
        await vault().write.debit([++opSeq, account, burn, signatures]);
        const payout = await rail.payout({ reference, phone: ugandan(suffix), amount: "3700", remarks: "Cash out" });
        if (suffix === "160") await settled(rail, "payout", payout.providerRef);
        const refund: SupplyChange = { ...burn, kind: SupplyChangeKind.Mint, ref: refundRef("mtn-momo", reference), nonce: ++opSeq };
        assert.equal((await refusal(client.attest({ rail: "mtn-momo", direction: "refund", providerRef: payout.providerRef, change: refund }))).code, code);
      }
    });

    it("refuses a refund that names another payout's failure", async () => {
      const rail = bridgeMomo();
      const paid = freshKey("co");
      const burn = await burnFor(paid, "3700");
      const { signatures } = await client.attest({ rail: "mtn-momo", direction: "payout", providerRef: paid, change: burn });
      await vault().write.debit([++opSeq, account, burn, signatures]);
      await settled(rail, "payout", (await rail.payout({ reference: paid, phone: ugandan("170"), amount: "3700", remarks: "Cash out" })).providerRef);
      // A different payout of the same amount failed; it must not refund the paid one.
      const failedRef = freshKey("co");
      const failed = await rail.payout({ reference: failedRef, phone: "+256701555007", amount: "3700", remarks: "Cash out" });
      await settled(rail, "payout", failed.providerRef);
      const refund: SupplyChange = { ...burn, kind: SupplyChangeKind.Mint, ref: refundRef("mtn-momo", paid), nonce: ++opSeq };
      const answer = await refusal(client.attest({ rail: "mtn-momo", direction: "refund", providerRef: failed.providerRef, change: refund }));
      // Bound by the payee's number (MoMo names it); by our echoed reference where a statement carries it.
      assert.ok(["account-mismatch", "ref-mismatch"].includes(answer.code), answer.code);
    });
  });

  it("answers only with the bearer token, and refuses malformed requests with a reason", async () => {
    const url = `${attester.url}/attest`;
    const noToken = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(noToken.status, 401);
    const wrong = createAttesterClient({ url: attester.url, token: "not-the-token-at-all" });
    const refused = await refusal(wrong.attest({ rail: "mtn-momo", direction: "collect", providerRef: "x", change: await mintFor(ugandan("100"), "1", "x") }));
    assert.equal(refused.code, "unauthorized");
    const malformed = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ATTESTER_TOKEN}` }, body: JSON.stringify({ rail: "mtn-momo" }) });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: string }).error, "malformed");
    const health = (await (await fetch(`${attester.url}/health`)).json()) as { threshold: number; signers: string[] };
    assert.equal(health.threshold, 2);
    assert.equal(health.signers.length, 2);
  });

  describe("reserve reports", () => {
    const report = async () =>
      (await (await fetch(`${attester.url}/reports/run`, { method: "POST", headers: { authorization: `Bearer ${ATTESTER_TOKEN}` } })).json()) as {
        outcomes: Array<{ asset: string; status: string; reserve?: string }>;
      };

    it("posts each asset's reserve: the custodian's holdings plus the rails' floats at the custodian rate", async () => {
      const blockTime = Number((await chain.publicClient.getBlock()).timestamp) * 1000;
      // The in-process chain runs ahead of the wall clock (a second per block, and a test above moved it);
      // bring the sandboxes' clocks, which date the float statements, just behind it, and read the floats
      // with adapters that log in on the moved clock.
      const lag = blockTime - Date.now() - 2_000;
      if (lag > 0) await Promise.all([momo.sandbox.core.advance(lag), mpesa.sandbox.core.advance(lag)]);
      const floatRails = [momo.adapter(attester.url), mpesa.adapter(attester.url)];
      attester.sources.splice(0, attester.sources.length, ...floatRails.map(railFloatSource), holdingsFileSource(holdingsFile));
      writeFileSync(
        holdingsFile,
        JSON.stringify([
          { asset: "cNGN", amount: "6000000000", asOf: blockTime - 5_000, statementId: "BANK-NGN-1" },
          { asset: "USDC", amount: "4000000", asOf: blockTime - 5_000, statementId: "BANK-USD-1" },
          { asset: "XAUt", amount: "500", asOf: blockTime - 5_000, statementId: "VAULT-XAU-1" },
        ]),
      );
      const floats = await Promise.all(floatRails.map((r) => r.float()));
      const expectedUsdc =
        4_000_000_000_000n + floats.reduce((sum, f) => sum + assetForFiat(rateFor(RATES, f.currency), f.available), 0n);
      const { outcomes } = await report();
      assert.deepEqual(outcomes.map((o) => o.status), ["reported", "reported", "reported"]);
      const [usdc] = await chain.stack.contracts.ledger.read.latestReserve([chain.deployment.USDC]);
      assert.equal(usdc, expectedUsdc);
      const [ngn, , fresh] = await chain.stack.contracts.ledger.read.latestReserve([chain.deployment.cNGN]);
      assert.equal(ngn, 6_000_000_000_000_000n);
      assert.equal(fresh, true);
      // Invariant 1 holds for every asset after the report.
      for (const asset of ["cNGN", "USDC", "XAUt"] as const) {
        const [reserve] = await chain.stack.contracts.ledger.read.latestReserve([chain.deployment[asset]]);
        assert.ok((await chain.stack.contracts.tokens[asset].read.totalSupply()) <= reserve, `${asset} supply within reserve`);
      }
      // Nothing newer to say: no second report with the same statement date.
      assert.deepEqual((await report()).outcomes.map((o) => o.status), ["not-newer", "not-newer", "not-newer"]);
    });

    it("refuses to report a statement older than the ledger's maxReserveAge", async () => {
      const maxAge = await chain.stack.contracts.ledger.read.maxReserveAge();
      const blockTime = Number((await chain.publicClient.getBlock()).timestamp) * 1000;
      const old = blockTime - Number(maxAge) * 1000 - 60_000;
      writeFileSync(holdingsFile, JSON.stringify([{ asset: "XAUt", amount: "900", asOf: old, statementId: "VAULT-XAU-OLD" }]));
      const before = await chain.stack.contracts.ledger.read.latestReserve([chain.deployment.XAUt]);
      const { outcomes } = await report();
      assert.equal(outcomes.find((o) => o.asset === "XAUt")!.status, "stale");
      assert.deepEqual(await chain.stack.contracts.ledger.read.latestReserve([chain.deployment.XAUt]), before);
    });
  });
});
