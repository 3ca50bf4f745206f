/**
 * The behaviour every rail adapter must show against its sandbox, as one suite each rail runs with its
 * own numbers, codes and quirks: collect (success, insufficient funds, cancelled, timeout, duplicate and
 * late callbacks), payout (success, float too small, no wallet), credentials, idempotency, malformed
 * callbacks and the statement. Callbacks travel over real HTTP to a real receiver.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { E164 } from "../../../../sdk/phone.js";
import type { RailId } from "../../../../ussd-bridge/src/ports.js";
import type { CustodianRail } from "../../../../ussd-bridge/src/rails/custodian.js";
import { ProviderAuthError } from "../../../../ussd-bridge/src/rails/http.js";
import { listen, type Listening } from "../../../../ussd-bridge/sandboxes/listen.js";
import type { RailSandbox } from "../../../../ussd-bridge/sandboxes/rail.js";
import { callbackReceiver, freshReference, sandboxControl, type Received } from "./harness.js";

export interface RailUnderTest {
  rail: RailId;
  title: string;
  /** A sandbox with an instant customer (customerDelayMs 0) and the given callback base, when it needs one. */
  sandbox(callbackBaseUrl: string): RailSandbox;
  adapter(env: { baseUrl: string; callbackBaseUrl: string }, options?: { wrongCredentials?: boolean }): CustodianRail;
  /** A request whose magic value (number or amount) ends in `suffix`. */
  collectRequest(suffix: string): { phone: E164; amount: string };
  payoutRequest(suffix: string): { phone: E164; amount: string };
  /** The rail's result codes for the scenarios. */
  codes: { insufficientFunds: string; cancelled: string; expired: string; floatTooSmall: string; noWallet: string };
  /** What the rail's answers carry; rails differ, and the suite checks all that each one gives. */
  carries: {
    /** The callback names the failure code (Airtel's and Orange's say only TF / FAILED). */
    callbackCode: boolean;
    callbackAmount: boolean;
    /** status() gives the receipt of a collection (Daraja's STK query does not). */
    collectStatusReceipt: boolean;
    /** status() gives the amount (Airtel's and Orange's enquiries do not). */
    statusAmount: boolean;
  };
  /** Whether the rail itself refuses a repeated reference (so a fresh adapter cannot charge twice). */
  railEnforcesIdempotency: boolean;
  authHint: RegExp;
}

export function railConformance(t: RailUnderTest, extra?: (context: () => Context) => void): void {
  describe(`${t.title} adapter against its sandbox`, () => {
    let context: Context;
    before(async () => {
      const receiver = await callbackReceiver();
      const sandbox = t.sandbox(receiver.url);
      const server = await listen(sandbox.app);
      const rail = t.adapter({ baseUrl: server.url, callbackBaseUrl: receiver.url });
      receiver.adapters[t.rail] = rail;
      context = { receiver, sandbox, server, rail, control: sandboxControl(server.url) };
    });
    after(async () => {
      context.sandbox.core.close();
      await context.server.close();
      await context.receiver.close();
    });

    const callbackFor = async (direction: "collect" | "payout", providerRef: string, count = 1): Promise<Received[]> =>
      context.receiver.waitFor((r) => r.direction === direction && r.parsed?.providerRef === providerRef, count);

    it("collects: the callback reaches the bridge, parseCallback reads it, and status says succeeded", async () => {
      const { rail } = context;
      const before = Number((await rail.float()).available);
      const { phone, amount } = t.collectRequest("100");
      const request = await rail.collect({ reference: freshReference("c-ok"), phone, amount, description: "Cash in" });
      assert.equal(request.state, "pending");
      const [callback] = await callbackFor("collect", request.providerRef);
      assert.equal(callback!.parsed!.state, "succeeded");
      assert.ok(callback!.parsed!.receipt, "the callback carries the rail's receipt");
      if (t.carries.callbackAmount) assert.equal(callback!.parsed!.amount, amount);
      const status = await rail.status("collect", request.providerRef);
      assert.equal(status.state, "succeeded");
      if (t.carries.collectStatusReceipt) {
        assert.equal(status.receipt, callback!.parsed!.receipt);
        if (t.carries.statusAmount) assert.equal(status.amount, amount);
      }
      assert.equal(Number((await rail.float()).available), before + Number(amount));
    });

    for (const [scenario, suffix, code] of [
      ["insufficient funds", "001", () => t.codes.insufficientFunds],
      ["cancelled by the customer", "002", () => t.codes.cancelled],
    ] as const) {
      it(`collect ${scenario} (magic ${suffix}): failed in the callback and in status`, async () => {
        const { rail } = context;
        const { phone, amount } = t.collectRequest(suffix);
        const request = await rail.collect({ reference: freshReference(`c-${suffix}`), phone, amount, description: "Cash in" });
        const [callback] = await callbackFor("collect", request.providerRef);
        assert.equal(callback!.parsed!.state, "failed");
        if (t.carries.callbackCode) assert.equal(callback!.parsed!.resultCode, code());
        assert.equal(callback!.parsed!.receipt, undefined);
        assert.ok(callback!.parsed!.resultDesc);
        const status = await rail.status("collect", request.providerRef);
        assert.equal(status.state, "failed");
        assert.equal(status.resultCode, code());
      });
    }

    it("timeout (magic 003): no callback, status stays pending, then fails once the request expires", async () => {
      const { rail, control, sandbox, receiver } = context;
      const { phone, amount } = t.collectRequest("003");
      const request = await rail.collect({ reference: freshReference("c-timeout"), phone, amount, description: "Cash in" });
      await control.flush();
      assert.equal((await rail.status("collect", request.providerRef)).state, "pending");
      await control.advance(sandbox.core.options.expiresAfterMs);
      const status = await rail.status("collect", request.providerRef);
      assert.equal(status.state, "failed");
      assert.equal(status.resultCode, t.codes.expired);
      assert.equal(receiver.matching((r) => r.parsed?.providerRef === request.providerRef).length, 0);
    });

    it("duplicate callback (magic 004): delivered twice, both read as the same success", async () => {
      const { phone, amount } = t.collectRequest("004");
      const request = await context.rail.collect({ reference: freshReference("c-dup"), phone, amount, description: "Cash in" });
      const callbacks = await callbackFor("collect", request.providerRef, 2);
      assert.equal(callbacks.length, 2);
      assert.deepEqual(callbacks[0]!.body, callbacks[1]!.body);
      assert.deepEqual(callbacks[0]!.parsed, callbacks[1]!.parsed);
      assert.equal(callbacks[0]!.parsed!.state, "succeeded");
    });

    it("late callback (magic 005): status already says succeeded; the callback comes when the sandbox clock passes", async () => {
      const { rail, control, sandbox, receiver } = context;
      const { phone, amount } = t.collectRequest("005");
      const request = await rail.collect({ reference: freshReference("c-late"), phone, amount, description: "Cash in" });
      await control.flush();
      assert.equal((await rail.status("collect", request.providerRef)).state, "succeeded");
      assert.equal(receiver.matching((r) => r.parsed?.providerRef === request.providerRef).length, 0);
      await control.advance(sandbox.core.options.lateCallbackMs);
      const [callback] = await callbackFor("collect", request.providerRef);
      assert.equal(callback!.parsed!.state, "succeeded");
    });

    it("the same reference twice charges once", async () => {
      const { rail, control } = context;
      const reference = freshReference("c-idem");
      const { phone, amount } = t.collectRequest("111");
      const before = (await control.transactions()).length;
      const first = await rail.collect({ reference, phone, amount, description: "Cash in" });
      await callbackFor("collect", first.providerRef);
      // Where the rail enforces it, even a fresh adapter (a restarted bridge with no memory) cannot charge twice.
      const again = t.railEnforcesIdempotency ? t.adapter({ baseUrl: context.server.url, callbackBaseUrl: context.receiver.url }) : rail;
      const second = await again.collect({ reference, phone, amount, description: "Cash in" });
      assert.equal(second.providerRef, first.providerRef);
      await control.flush();
      assert.equal((await control.transactions()).length, before + 1, "one request reached the rail");
      const lines = await rail.statement(0, context.sandbox.core.now() + 1);
      assert.equal(lines.filter((l) => l.providerRef === first.providerRef).length, 1);
    });

    it("pays out: the result reaches the bridge and status says succeeded with the receipt; the float goes down", async () => {
      const { rail } = context;
      const before = Number((await rail.float()).available);
      const { phone, amount } = t.payoutRequest("200");
      const request = await rail.payout({ reference: freshReference("p-ok"), phone, amount, remarks: "Cash out" });
      const [callback] = await callbackFor("payout", request.providerRef);
      assert.equal(callback!.parsed!.state, "succeeded");
      assert.ok(callback!.parsed!.receipt);
      const status = await rail.status("payout", request.providerRef);
      assert.equal(status.state, "succeeded");
      assert.equal(status.receipt, callback!.parsed!.receipt);
      if (t.carries.statusAmount) assert.equal(status.amount, amount);
      assert.equal(Number((await rail.float()).available), before - Number(amount));
    });

    it("a payout larger than the float fails, and so does one to a number with no wallet (magic 007)", async () => {
      const { rail } = context;
      const tooMuch = await rail.payout({ reference: freshReference("p-float"), phone: t.payoutRequest("201").phone, amount: "90000000", remarks: "Cash out" });
      const [short] = await callbackFor("payout", tooMuch.providerRef);
      assert.equal(short!.parsed!.state, "failed");
      if (t.carries.callbackCode) assert.equal(short!.parsed!.resultCode, t.codes.floatTooSmall);
      const shortStatus = await rail.status("payout", tooMuch.providerRef);
      assert.equal(shortStatus.state, "failed");
      assert.equal(shortStatus.resultCode, t.codes.floatTooSmall);

      const { phone, amount } = t.payoutRequest("007");
      const nobody = await rail.payout({ reference: freshReference("p-nobody"), phone, amount, remarks: "Cash out" });
      const [refused] = await callbackFor("payout", nobody.providerRef);
      assert.equal(refused!.parsed!.state, "failed");
      if (t.carries.callbackCode) assert.equal(refused!.parsed!.resultCode, t.codes.noWallet);
      const status = await rail.status("payout", nobody.providerRef);
      assert.equal(status.state, "failed");
      assert.equal(status.resultCode, t.codes.noWallet);
    });

    it("wrong credentials: a clear error naming what to check, and nothing charged", async () => {
      const wrong = t.adapter({ baseUrl: context.server.url, callbackBaseUrl: context.receiver.url }, { wrongCredentials: true });
      const { phone, amount } = t.collectRequest("120");
      const count = (await context.control.transactions()).length;
      await assert.rejects(wrong.collect({ reference: freshReference("c-auth"), phone, amount, description: "x" }), (error: unknown) => {
        assert.ok(error instanceof ProviderAuthError, `expected ProviderAuthError, got ${String(error)}`);
        assert.match(error.message, t.authHint);
        return true;
      });
      assert.equal((await context.control.transactions()).length, count);
    });

    it("malformed callbacks are not read as results", () => {
      for (const body of [undefined, null, "", "text", 42, {}, [], { status: "SUCCESS" }, { transaction: {} }, { Body: {} }, { data: null }]) {
        assert.equal(context.rail.parseCallback("collect", body, {}), undefined, JSON.stringify(body));
        assert.equal(context.rail.parseCallback("payout", body, {}), undefined, JSON.stringify(body));
      }
    });

    it("the statement lists exactly what happened in the window", async () => {
      const { rail, control, sandbox } = context;
      const from = sandbox.core.now();
      const ok = t.collectRequest("130");
      const short = t.collectRequest("001");
      const paid = t.payoutRequest("131");
      const a = await rail.collect({ reference: freshReference("s-ok"), ...ok, description: "x" });
      const b = await rail.collect({ reference: freshReference("s-fail"), ...short, description: "x" });
      const c = await rail.payout({ reference: freshReference("s-pay"), ...paid, remarks: "x" });
      await control.flush();
      const lines = await rail.statement(from, sandbox.core.now() + 1);
      assert.deepEqual(
        lines.map((l) => [l.providerRef, l.direction, l.amount, l.state, l.receipt !== undefined]),
        [
          [a.providerRef, "collect", ok.amount, "succeeded", true],
          [b.providerRef, "collect", short.amount, "failed", false],
          [c.providerRef, "payout", paid.amount, "succeeded", true],
        ],
      );
    });

    extra?.(() => context);
  });
}

export interface Context {
  receiver: Awaited<ReturnType<typeof callbackReceiver>>;
  sandbox: RailSandbox;
  server: Listening;
  rail: CustodianRail;
  control: ReturnType<typeof sandboxControl>;
}
