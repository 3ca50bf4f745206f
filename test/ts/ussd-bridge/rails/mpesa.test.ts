/**
 * The M-Pesa adapter against the local Daraja sandbox, over real loopback HTTP: STK push with its
 * callback and query, B2C with its result and the asynchronous Transaction Status answer, every
 * magic scenario, credentials, idempotency and the statement.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { mpesaRail } from "../../../../ussd-bridge/src/rails/mpesa.js";
import { ProviderAuthError, ProviderError } from "../../../../ussd-bridge/src/rails/http.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createMpesaSandbox } from "../../../../ussd-bridge/sandboxes/mpesa.js";
import { listen, type Listening } from "../../../../ussd-bridge/sandboxes/listen.js";
import { callbackReceiver, freshReference, phoneEnding, sandboxControl } from "./harness.js";

const creds = SANDBOX_CREDENTIALS.mpesa;
const kenyan = (suffix: string) => phoneEnding("+254708374", suffix);

describe("M-Pesa (Daraja) adapter against its sandbox", () => {
  let sandbox: ReturnType<typeof createMpesaSandbox>;
  let server: Listening;
  let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
  let control: ReturnType<typeof sandboxControl>;
  let rail: ReturnType<typeof mpesaRail>;
  const configFor = (overrides: Partial<Parameters<typeof mpesaRail>[0]> = {}) => ({
    baseUrl: server.url,
    consumerKey: creds.consumerKey,
    consumerSecret: creds.consumerSecret,
    shortcode: creds.shortcode,
    passkey: creds.passkey,
    b2cShortcode: creds.b2cShortcode,
    initiatorName: creds.initiatorName,
    securityCredential: creds.securityCredential,
    callbackBaseUrl: receiver.url,
    statusWaitMs: 5000,
    ...overrides,
  });

  before(async () => {
    sandbox = createMpesaSandbox({ customerDelayMs: 0, initialFloat: "100000" });
    server = await listen(sandbox.app);
    receiver = await callbackReceiver();
    control = sandboxControl(server.url);
    rail = mpesaRail(configFor());
    receiver.adapters.mpesa = rail;
  });
  after(async () => {
    sandbox.core.close();
    await server.close();
    await receiver.close();
  });

  const collectCallbacks = (providerRef: string) => receiver.matching((r) => r.direction === "collect" && r.parsed?.providerRef === providerRef);

  it("collects: the STK callback reaches the bridge with a receipt, and the query says succeeded", async () => {
    const floatBefore = (await rail.float()).available;
    const request = await rail.collect({ reference: freshReference("c-ok"), phone: kenyan("100"), amount: "500", description: "Cash in" });
    assert.equal(request.state, "pending");
    assert.match(request.providerRef, /^ws_CO_/);
    const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
    assert.equal(callback!.parsed!.state, "succeeded");
    assert.equal(callback!.parsed!.resultCode, "0");
    assert.match(callback!.parsed!.receipt!, /^SBX[0-9A-Z]{7}$/);
    assert.equal(callback!.parsed!.amount, "500");
    assert.equal(callback!.parsed!.phone, kenyan("100"));
    const status = await rail.status("collect", request.providerRef);
    assert.equal(status.state, "succeeded");
    assert.equal(status.resultCode, "0");
    assert.equal(Number((await rail.float()).available), Number(floatBefore) + 500);
  });

  for (const [suffix, code, words] of [
    ["001", "1", /insufficient/i],
    ["002", "1032", /cancelled/i],
    ["006", "2001", /initiator|PIN/i],
  ] as const) {
    it(`collect with a number ending ${suffix} fails with result code ${code}, in the callback and the query`, async () => {
      const request = await rail.collect({ reference: freshReference(`c-${suffix}`), phone: kenyan(suffix), amount: "250", description: "Cash in" });
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
      assert.equal(callback!.parsed!.state, "failed");
      assert.equal(callback!.parsed!.resultCode, code);
      assert.match(callback!.parsed!.resultDesc!, words);
      assert.equal(callback!.parsed!.receipt, undefined);
      const status = await rail.status("collect", request.providerRef);
      assert.equal(status.state, "failed");
      assert.equal(status.resultCode, code);
    });
  }

  it("a customer who never answers: no callback, the query says pending, and after expiry failed with 1037", async () => {
    const request = await rail.collect({ reference: freshReference("c-timeout"), phone: kenyan("003"), amount: "100", description: "Cash in" });
    await control.flush();
    assert.equal((await rail.status("collect", request.providerRef)).state, "pending");
    await control.advance(sandbox.core.options.expiresAfterMs);
    const status = await rail.status("collect", request.providerRef);
    assert.equal(status.state, "failed");
    assert.equal(status.resultCode, "1037");
    assert.deepEqual(await control.deliveries(request.providerRef), []);
    assert.deepEqual(collectCallbacks(request.providerRef), []);
  });

  it("a duplicated callback arrives twice with the same content", async () => {
    const request = await rail.collect({ reference: freshReference("c-dup"), phone: kenyan("004"), amount: "300", description: "Cash in" });
    const callbacks = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef, 2);
    assert.equal(callbacks.length, 2);
    assert.deepEqual(callbacks[0]!.body, callbacks[1]!.body);
    assert.equal(callbacks[0]!.parsed!.state, "succeeded");
  });

  it("a late callback: the query already says succeeded, the callback comes when the clock passes", async () => {
    const request = await rail.collect({ reference: freshReference("c-late"), phone: kenyan("005"), amount: "700", description: "Cash in" });
    await control.flush();
    assert.equal((await rail.status("collect", request.providerRef)).state, "succeeded");
    assert.deepEqual(collectCallbacks(request.providerRef), []);
    await control.advance(sandbox.core.options.lateCallbackMs);
    const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
    assert.equal(callback!.parsed!.state, "succeeded");
  });

  it("the same reference twice charges once: the second call returns the first answer", async () => {
    const reference = freshReference("c-idem");
    const first = await rail.collect({ reference, phone: kenyan("110"), amount: "123", description: "Cash in" });
    const second = await rail.collect({ reference, phone: kenyan("110"), amount: "123", description: "Cash in" });
    assert.deepEqual(second, first);
    await control.flush();
    const charges = (await control.transactions()).filter((t) => t.id === first.providerRef || t.amount === "123");
    assert.equal(charges.length, 1);
  });

  it("pays out: the B2C result reaches the bridge, and the Transaction Status answer says succeeded with receipt and amount", async () => {
    const floatBefore = Number((await rail.float()).available);
    const request = await rail.payout({ reference: freshReference("p-ok"), phone: kenyan("200"), amount: "1500", remarks: "Cash out" });
    assert.equal(request.state, "pending");
    const [result] = await receiver.waitFor((r) => r.direction === "payout" && r.parsed?.providerRef === request.providerRef);
    assert.equal(result!.parsed!.state, "succeeded");
    assert.equal(result!.parsed!.amount, "1500");
    assert.equal(result!.parsed!.phone, kenyan("200"));
    const status = await rail.status("payout", request.providerRef);
    assert.equal(status.state, "succeeded");
    assert.equal(status.receipt, result!.parsed!.receipt);
    assert.equal(status.amount, "1500");
    assert.equal(Number((await rail.float()).available), floatBefore - 1500);
  });

  it("a payout larger than the float fails with result code 1, and a number with no wallet with 2040", async () => {
    const tooMuch = await rail.payout({ reference: freshReference("p-float"), phone: kenyan("201"), amount: "99000000", remarks: "Cash out" });
    const [result] = await receiver.waitFor((r) => r.direction === "payout" && r.parsed?.providerRef === tooMuch.providerRef);
    assert.equal(result!.parsed!.state, "failed");
    assert.equal(result!.parsed!.resultCode, "1");
    const status = await rail.status("payout", tooMuch.providerRef);
    assert.equal(status.state, "failed");
    assert.equal(status.resultCode, "1");

    const nobody = await rail.payout({ reference: freshReference("p-nobody"), phone: kenyan("007"), amount: "100", remarks: "Cash out" });
    const [refused] = await receiver.waitFor((r) => r.direction === "payout" && r.parsed?.providerRef === nobody.providerRef);
    assert.equal(refused!.parsed!.state, "failed");
    assert.equal(refused!.parsed!.resultCode, "2040");
  });

  it("a wrong initiator credential: the B2C result fails with 2001", async () => {
    const wrong = mpesaRail(configFor({ securityCredential: "not-the-credential" }));
    const request = await wrong.payout({ reference: freshReference("p-cred"), phone: kenyan("202"), amount: "100", remarks: "Cash out" });
    const [result] = await receiver.waitFor((r) => r.direction === "payout" && r.parsed?.providerRef === request.providerRef);
    assert.equal(result!.parsed!.state, "failed");
    assert.equal(result!.parsed!.resultCode, "2001");
  });

  it("bad consumer credentials give an error that names what to check", async () => {
    const wrong = mpesaRail(configFor({ consumerSecret: "wrong" }));
    await assert.rejects(wrong.collect({ reference: freshReference("c-auth"), phone: kenyan("120"), amount: "10", description: "x" }), (error: unknown) => {
      assert.ok(error instanceof ProviderAuthError);
      assert.match(error.message, /400\.008\.01/);
      assert.match(error.message, /MPESA_CONSUMER_KEY/);
      return true;
    });
    // A refused request released its reference: the corrected adapter may send it.
  });

  it("a wrong passkey is refused before anything is charged", async () => {
    const wrong = mpesaRail(configFor({ passkey: "wrong" }));
    await assert.rejects(wrong.collect({ reference: freshReference("c-pass"), phone: kenyan("121"), amount: "10", description: "x" }), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.match(error.message, /Invalid Password/);
      assert.match(error.message, /MPESA_PASSKEY/);
      return true;
    });
  });

  it("amounts M-Pesa cannot take are refused before sending", async () => {
    await assert.rejects(rail.collect({ reference: freshReference("c-cents"), phone: kenyan("122"), amount: "10.50", description: "x" }), /whole amounts/);
    await assert.rejects(rail.collect({ reference: "bad reference!", phone: kenyan("122"), amount: "10", description: "x" }), /reference/);
  });

  it("malformed callbacks are not read as results", () => {
    for (const body of [undefined, null, "text", {}, { Body: {} }, { Body: { stkCallback: { CheckoutRequestID: "" } } }, { Result: { ResultCode: 0 } }, [1, 2]]) {
      assert.equal(rail.parseCallback("collect", body, {}), undefined);
      assert.equal(rail.parseCallback("payout", body, {}), undefined);
    }
  });

  it("the statement lists exactly what happened in the window", async () => {
    const from = sandbox.core.now();
    const ok = await rail.collect({ reference: freshReference("s-ok"), phone: kenyan("130"), amount: "40", description: "x" });
    const failed = await rail.collect({ reference: freshReference("s-fail"), phone: kenyan("001"), amount: "41", description: "x" });
    const paid = await rail.payout({ reference: freshReference("s-pay"), phone: kenyan("131"), amount: "42", remarks: "x" });
    await control.flush();
    const lines = await rail.statement(from, sandbox.core.now() + 1);
    assert.deepEqual(
      lines.map((l) => [l.providerRef, l.direction, l.amount, l.state, l.receipt !== undefined]),
      [
        [ok.providerRef, "collect", "40", "succeeded", true],
        [failed.providerRef, "collect", "41", "failed", false],
        [paid.providerRef, "payout", "42", "succeeded", true],
      ],
    );
  });
});
