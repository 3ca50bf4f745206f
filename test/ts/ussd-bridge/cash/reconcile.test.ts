/**
 * Reconciliation: every kind of difference from hand-built statements, rows and vault events; then on
 * the real parts (MoMo sandbox, attester, bridge, in-process vault): a clean run finds nothing, planted
 * differences are each found, and `npm run reconcile` says so in words, in JSON and in its exit code.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { keccak256, toHex, type Hex } from "viem";

import { signStatement, SupplyChangeKind } from "../../../../sdk/attestation.js";
import { accountIdFor } from "../../../../sdk/phone.js";
import type { RailStatementLine } from "../../../../ussd-bridge/src/ports.js";
import type { RailPaymentRow } from "../../../../ussd-bridge/src/cash/payments.js";
import { rateFor } from "../../../../ussd-bridge/src/cash/rates.js";
import { collectRef, payoutRef, refundRef } from "../../../../ussd-bridge/src/cash/refs.js";
import { compareRail, formatReconciliation, reconcileRail, type VaultMovement } from "../../../../ussd-bridge/src/cash/reconcile.js";
import type { Listening } from "../../../../ussd-bridge/sandboxes/listen.js";
import {
  cashChain,
  freshKey,
  ignitionAddresses,
  momoSandbox,
  RATES,
  rpcOver,
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
const T0 = Date.parse("2026-03-01T00:00:00Z");
const WINDOW = { from: T0, to: T0 + 86_400_000 };

function row(fields: Partial<RailPaymentRow> & Pick<RailPaymentRow, "id" | "direction" | "status">): RailPaymentRow {
  return {
    rail: "mtn-momo",
    accountId: "0xaa",
    phone: "+256772123100",
    currency: "UGX",
    fiatAmount: "3700",
    asset: "USDC",
    assetAmount: "1000000",
    providerRef: null,
    receipt: null,
    resultCode: null,
    opId: null,
    refundOpId: null,
    createdAt: T0 + 1_000,
    updatedAt: T0 + 2_000,
    ...fields,
  };
}
const line = (fields: Partial<RailStatementLine> & Pick<RailStatementLine, "providerRef" | "direction" | "state">): RailStatementLine => ({ amount: "3700", at: T0 + 1_000, ...fields });
let block = 1n;
const movement = (kind: "credit" | "debit", ref: Hex, amount = 1_000_000n): VaultMovement => ({
  kind,
  opId: block,
  account: "0xaa",
  asset: "0x0000000000000000000000000000000000000001",
  amount,
  ref,
  blockNumber: ++block,
  txHash: keccak256(toHex(`tx ${block}`)),
  at: T0 + 5_000,
});
const compare = (lines: RailStatementLine[], rows: RailPaymentRow[], movements: VaultMovement[]) =>
  compareRail({ rail: "mtn-momo", currency: "UGX", rate: UGX, ...WINDOW, lines, rows, movements }).map((d) => d.kind).sort();

describe("reconciliation", () => {
  describe("finds each kind of difference", () => {
    const paidIn = row({ id: "ci_1", direction: "collect", status: "succeeded", providerRef: "P1", opId: "0x01" });
    const paidOut = row({ id: "co_1", direction: "payout", status: "succeeded", providerRef: "P2", opId: "0x02" });
    const refunded = row({ id: "co_2", direction: "payout", status: "refunded", providerRef: "P3", opId: "0x03", refundOpId: "0x04" });
    const cleanLines = [
      line({ providerRef: "P1", direction: "collect", state: "succeeded", receipt: "R1" }),
      line({ providerRef: "P2", direction: "payout", state: "succeeded" }),
      line({ providerRef: "P3", direction: "payout", state: "failed" }),
    ];
    const cleanMovements = [
      movement("credit", collectRef("mtn-momo", "P1")),
      movement("debit", payoutRef("mtn-momo", "co_1")),
      movement("debit", payoutRef("mtn-momo", "co_2")),
      movement("credit", refundRef("mtn-momo", "co_2")),
    ];

    it("none when statement, bridge and vault agree", () => {
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], cleanMovements), []);
    });

    it("a collection paid at the rail and never credited, with or without a bridge row", () => {
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], cleanMovements.slice(1)), ["paid-not-credited"]);
      const stray = line({ providerRef: "P9", direction: "collect", state: "succeeded" });
      assert.deepEqual(compare([...cleanLines, stray], [paidIn, paidOut, refunded], cleanMovements), ["paid-not-credited"]);
    });

    it("a credit nothing explains, or one for a collection the rail says failed", () => {
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], [...cleanMovements, movement("credit", keccak256(toHex("who knows")))]), ["credited-without-receipt"]);
      const failedLine = line({ providerRef: "P1", direction: "collect", state: "failed" });
      assert.deepEqual(compare([failedLine, ...cleanLines.slice(1)], [paidIn, paidOut, refunded], cleanMovements), ["bridge-disagrees-with-rail", "credited-without-receipt"]);
    });

    it("amounts that differ between rail, bridge and vault", () => {
      const credit = movement("credit", collectRef("mtn-momo", "P1"), 999_999n);
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], [credit, ...cleanMovements.slice(1)]), ["amount-mismatch"]);
      assert.deepEqual(compare(cleanLines, [{ ...paidIn, fiatAmount: "3800" }, paidOut, refunded], cleanMovements), ["amount-mismatch"]);
      const debit = movement("debit", payoutRef("mtn-momo", "co_1"), 2_000_000n);
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], [cleanMovements[0]!, debit, ...cleanMovements.slice(2)]), ["amount-mismatch"]);
      const refund = movement("credit", refundRef("mtn-momo", "co_2"), 1n);
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], [...cleanMovements.slice(0, 3), refund]), ["amount-mismatch"]);
    });

    it("a debited payout that failed, or never reached the rail, without a refund", () => {
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], cleanMovements.slice(0, 3)), ["payout-failed-not-refunded"]);
      const stuck = row({ id: "co_3", direction: "payout", status: "failed", opId: "0x05", resultCode: "request-refused" });
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded, stuck], [...cleanMovements, movement("debit", payoutRef("mtn-momo", "co_3"))]), ["payout-failed-not-refunded"]);
    });

    it("money paid out with no debit, and a refund for a payout that was paid", () => {
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], cleanMovements.filter((_, i) => i !== 1)), ["paid-out-not-debited"]);
      const unknownPayout = line({ providerRef: "P8", direction: "payout", state: "succeeded" });
      assert.deepEqual(compare([...cleanLines, unknownPayout], [paidIn, paidOut, refunded], cleanMovements), ["paid-out-not-debited"]);
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], [...cleanMovements, movement("credit", refundRef("mtn-momo", "co_1"))]), ["refunded-but-paid"]);
    });

    it("duplicates on the statement or on chain", () => {
      assert.deepEqual(compare([...cleanLines, cleanLines[0]!], [paidIn, paidOut, refunded], cleanMovements), ["duplicate", "duplicate"]);
      assert.deepEqual(compare(cleanLines, [paidIn, paidOut, refunded], [...cleanMovements, movement("credit", collectRef("mtn-momo", "P1"))]), ["duplicate"]);
    });

    it("a payment the bridge recorded that the statement does not show", () => {
      assert.deepEqual(compare(cleanLines.slice(1), [paidIn, paidOut, refunded], cleanMovements.slice(1)), ["missing-from-statement"]);
    });
  });

  describe("on the real parts", () => {
    let chain: CashChain;
    let momo: SandboxedRail;
    let attester: TestAttester;
    let bridge: TestBridge;
    let sms: Awaited<ReturnType<typeof smsSandbox>>;
    let rpc: Listening;
    let dir: string;
    let from: number;
    let to: number;
    /**
     * The window covers the day's business on both clocks: rows and the rail's statement are dated by
     * the wall clock, vault events by the in-process chain's, which can run ahead of it (a second per
     * block) or behind it (its genesis is dated when the test process started).
     */
    async function closeWindow() {
      to = Math.max(Date.now(), Number((await chain.publicClient.getBlock()).timestamp) * 1000) + 60_000;
    }

    before(async () => {
      const wallStart = Date.now();
      chain = await cashChain();
      from = Math.min(wallStart, Number((await chain.publicClient.getBlock()).timestamp) * 1000) - 1_000;
      momo = await momoSandbox();
      attester = await startTestAttester(chain, [momo]);
      sms = await smsSandbox();
      dir = mkdtempSync(path.join(tmpdir(), "juapesa-reconcile-"));
      bridge = await startBridge(chain, attester, [momo], { dbPath: path.join(dir, "bridge.db"), smsUrl: sms.url });
      rpc = await rpcOver(chain);
      writeFileSync(path.join(dir, "deployed_addresses.json"), JSON.stringify(ignitionAddresses(chain)));

      // A day's business: a cash in, a cancelled one, a cash out.
      const phone = ugandan("100");
      const account = accountIdFor(TEST_PEPPER, phone);
      await chain.stack.contracts.vault.write.openAccount([account, 1]);
      const paid = await bridge.cash.cashIn({ opKey: freshKey("in"), accountId: account, phone, rail: "mtn-momo", fiatAmount: "74000" });
      const cancelled = await bridge.cash.cashIn({ opKey: freshKey("in"), accountId: account, phone: ugandan("002"), rail: "mtn-momo", fiatAmount: "3700" });
      await settle(paid.reference, (r) => r.opId !== null);
      await settle(cancelled.reference, (r) => r.status === "failed");
      const out = await bridge.cash.cashOut({ opKey: freshKey("out"), accountId: account, phone, rail: "mtn-momo", asset: "USDC", amount: 5_000_000n });
      await settle(out.reference, (r) => r.status === "succeeded");
    });
    after(async () => {
      await bridge?.close();
      await attester?.stopAndClean();
      await momo?.close();
      await sms?.close();
      await rpc?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function settle(reference: string, done: (r: RailPaymentRow) => boolean) {
      const t = bridge.db.tables.railPayments;
      for (let i = 0; i < 400; i++) {
        await bridge.cash.idle();
        const found = (await bridge.db.db.select().from(t).where(eq(t.id, reference)))[0];
        if (found && done(found)) return found;
        await bridge.cash.pollPending();
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      throw new Error(`${reference} did not settle`);
    }

    const reconcile = () =>
      reconcileRail({
        rail: momo.adapter(attester.url),
        rates: RATES,
        db: bridge.db.db,
        tables: bridge.db.tables,
        publicClient: chain.publicClient,
        vault: chain.deployment.vault,
        from,
        to,
      });

    function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/reconcile.ts", "--rail", "mtn-momo", "--from", String(from), "--to", String(to), "--deployment", path.join(dir, "deployed_addresses.json"), ...args], {
          env: {
            PATH: process.env.PATH,
            MOMO_BASE_URL: momo.server.url,
            JUAPESA_BRIDGE_DB: path.join(dir, "bridge.db"),
            JUAPESA_RPC_URL: rpc.url,
            JUAPESA_CHAIN_ID: String(chain.deployment.chainId),
          },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    }

    it("a clean day has no differences, and the command says so with exit code 0", async () => {
      await closeWindow();
      const result = await reconcile();
      assert.deepEqual(result.differences, []);
      assert.equal(result.counts.lines, 3);
      assert.match(formatReconciliation(result), /No differences\./);
      const run = await cli([]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Reconciliation of mtn-momo/);
      assert.match(run.stdout, /rail statement: 3 lines · bridge: 3 payments · vault: 1 credits, 1 debits/);
    });

    it("finds planted differences: money the rail took outside the bridge, a credit without a receipt, an altered amount", async () => {
      // 1. The rail collects from a customer without the bridge knowing (a lost request answer, a fraud).
      const outside = momo.adapter(attester.url);
      const stray = await outside.collect({ reference: freshKey("stray"), phone: ugandan("120"), amount: "3700", description: "x" });
      for (let i = 0; i < 100 && (await outside.status("collect", stray.providerRef)).state === "pending"; i++) await new Promise((r) => setTimeout(r, 20));
      // 2. A credit signed outside the attester's checks (the test holds the attester keys).
      const account = accountIdFor(TEST_PEPPER, ugandan("100"));
      const change = {
        kind: SupplyChangeKind.Mint,
        asset: chain.deployment.USDC,
        holder: chain.deployment.vault,
        account,
        amount: 1_000_000n,
        ref: keccak256(toHex("no receipt at all")),
        nonce: 77n,
        deadline: (await chain.publicClient.getBlock()).timestamp + 3_600n,
      };
      await chain.stack.contracts.vault.write.credit([77n, account, change, await signStatement(chain.attesters.slice(0, 2), chain.stack.domain, "SupplyChange", change)]);
      // 3. Someone edits the bridge's record of the paid cash in.
      const t = bridge.db.tables.railPayments;
      const paidIn = (await bridge.db.db.select().from(t).where(eq(t.status, "succeeded"))).find((r) => r.direction === "collect")!;
      await bridge.db.db.update(t).set({ fiatAmount: "70000" }).where(eq(t.id, paidIn.id));

      await closeWindow();
      const result = await reconcile();
      assert.deepEqual(result.differences.map((d) => d.kind).sort(), ["amount-mismatch", "credited-without-receipt", "paid-not-credited"]);
      assert.equal(result.differences.find((d) => d.kind === "paid-not-credited")!.providerRef, stray.providerRef);
      assert.equal(result.differences.find((d) => d.kind === "amount-mismatch")!.reference, paidIn.id);

      const run = await cli([]);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /3 differences:/);
      assert.match(run.stdout, /- paid-not-credited: UGX 3700 collected for a request the bridge has no row of, no vault credit \(rail [0-9a-f-]{36}\)/);
      const json = await cli(["--json"]);
      assert.equal(json.code, 1);
      const parsed = JSON.parse(json.stdout) as { differences: Array<{ kind: string }> };
      assert.deepEqual(parsed.differences.map((d) => d.kind).sort(), ["amount-mismatch", "credited-without-receipt", "paid-not-credited"]);
    });

    it("the command refuses to run without what it needs, with exit code 2", async () => {
      const run = await cli(["--from", "yesterday"]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--from "yesterday" is neither an ISO date or time nor milliseconds/);
    });
  });
});
