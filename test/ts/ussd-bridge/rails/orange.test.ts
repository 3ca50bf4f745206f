/**
 * The Orange Money adapter against the local Orange sandbox, over real loopback HTTP: the shared rail
 * suite (collections pick their scenario by the amount, since a web payment carries no number), then
 * Orange's own rules (notif_url carries the order, the pay_token lives in RailMemory, the payment page).
 */
import assert from "node:assert/strict";
import { it } from "node:test";

import { orangeRail, type OrangeConfig } from "../../../../ussd-bridge/src/rails/orange.js";
import { memoryRailMemory } from "../../../../ussd-bridge/src/rails/memory.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createOrangeSandbox } from "../../../../ussd-bridge/sandboxes/orange.js";
import { railConformance } from "./conformance.js";
import { freshReference, phoneEnding } from "./harness.js";

const creds = SANDBOX_CREDENTIALS.orange;
const leonean = (suffix: string) => phoneEnding("+23276123", suffix);

function config(env: { baseUrl: string; callbackBaseUrl: string }, overrides: Partial<OrangeConfig> = {}): OrangeConfig {
  return { ...env, clientId: creds.clientId, clientSecret: creds.clientSecret, merchantKey: creds.merchantKey, country: "sl", currency: "SLE", ...overrides };
}

railConformance(
  {
    rail: "orange",
    title: "Orange Money",
    sandbox: () => createOrangeSandbox({ customerDelayMs: 0, initialFloat: "500000" }),
    adapter: (env, options) => orangeRail(config(env, options?.wrongCredentials ? { clientSecret: "wrong" } : {})),
    // The amount's last three digits are the magic value for a web payment.
    collectRequest: (suffix) => ({ phone: leonean("100"), amount: `4${suffix}` }),
    payoutRequest: (suffix) => ({ phone: leonean(suffix), amount: "300" }),
    codes: { insufficientFunds: "FAILED", cancelled: "FAILED", expired: "EXPIRED", floatTooSmall: "FAILED", noWallet: "FAILED" },
    carries: { callbackCode: true, callbackAmount: false, collectStatusReceipt: true, statusAmount: false },
    railEnforcesIdempotency: false,
    authHint: /invalid_client.*ORANGE_CLIENT_ID/,
  },
  (context) => {
    it("notif_url carries the order id, since Orange's notification names only its notif_token", async () => {
      const { rail, receiver } = context();
      const reference = freshReference("c-notif");
      const request = await rail.collect({ reference, phone: leonean("170"), amount: "4170", description: "Cash in" });
      assert.equal(request.providerRef, reference);
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === reference);
      assert.deepEqual(Object.keys(callback!.body as object).sort(), ["notif_token", "status", "txnid"]);
      assert.equal(callback!.headers["x-juapesa-callback-query"], `order_id=${reference}`);
      assert.match(callback!.parsed!.receipt!, /^MP/);
    });

    it("the customer's payment page is kept for the bridge to send", async () => {
      const { rail, server } = context();
      const reference = freshReference("c-page");
      await rail.collect({ reference, phone: leonean("171"), amount: "4171", description: "Cash in" });
      const url = await (rail as ReturnType<typeof orangeRail>).paymentUrl(reference);
      assert.ok(url?.startsWith(`${server.url}/webpay/`));
      assert.match(await (await fetch(url!)).text(), new RegExp(reference));
    });

    it("without the memory of the first answer, a process cannot ask the status, and a repeat is refused, not charged", async () => {
      const { server, receiver, control } = context();
      const env = { baseUrl: server.url, callbackBaseUrl: receiver.url };
      const first = orangeRail(config(env, { memory: memoryRailMemory() }));
      const stranger = orangeRail(config(env, { memory: memoryRailMemory() }));
      const reference = freshReference("c-mem");
      await first.collect({ reference, phone: leonean("172"), amount: "4172", description: "Cash in" });
      await assert.rejects(stranger.status("collect", reference), /same RailMemory/);
      const before = (await control.transactions()).length;
      await assert.rejects(stranger.collect({ reference, phone: leonean("172"), amount: "4172", description: "Cash in" }), /Duplicate order_id/);
      assert.equal((await control.transactions()).length, before);
    });

    it("a notification without the order id in its URL is not read", () => {
      const body = { status: "SUCCESS", notif_token: "abc", txnid: "MP1" };
      assert.equal(context().rail.parseCallback("collect", body, {}), undefined);
      assert.equal(context().rail.parseCallback("collect", body, { "x-juapesa-callback-query": "order_id=bad%20id!" }), undefined);
      assert.equal(context().rail.parseCallback("collect", body, { "x-juapesa-callback-query": "order_id=ok-1" })?.state, "succeeded");
    });
  },
);
