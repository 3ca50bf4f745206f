/**
 * The Airtel Money adapter against the local Airtel sandbox, over real loopback HTTP: the shared rail
 * suite, then Airtel's own rules (the encrypted disbursement PIN, X-Country / X-Currency, callbacks to
 * the portal-registered URL).
 */
import assert from "node:assert/strict";
import { it } from "node:test";

import { airtelRail, type AirtelConfig } from "../../../../ussd-bridge/src/rails/airtel.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createAirtelSandbox } from "../../../../ussd-bridge/sandboxes/airtel.js";
import { railConformance } from "./conformance.js";
import { freshReference, phoneEnding } from "./harness.js";

const creds = SANDBOX_CREDENTIALS.airtel;
const nigerian = (suffix: string) => phoneEnding("+2348021234", suffix);

function config(env: { baseUrl: string; callbackBaseUrl: string }, overrides: Partial<AirtelConfig> = {}): AirtelConfig {
  return { ...env, clientId: creds.clientId, clientSecret: creds.clientSecret, country: "NG", currency: "NGN", disbursementPin: creds.disbursementPin, ...overrides };
}

railConformance(
  {
    rail: "airtel",
    title: "Airtel Money",
    sandbox: (callbackBaseUrl) => createAirtelSandbox({ customerDelayMs: 0, initialFloat: "10000000", callbackBaseUrl }),
    adapter: (env, options) => airtelRail(config(env, options?.wrongCredentials ? { clientSecret: "wrong" } : {})),
    collectRequest: (suffix) => ({ phone: nigerian(suffix), amount: "2500" }),
    payoutRequest: (suffix) => ({ phone: nigerian(suffix), amount: "10000" }),
    codes: { insufficientFunds: "DP00800001007", cancelled: "DP00800001008", expired: "DP00800001029", floatTooSmall: "DP00900001007", noWallet: "DP00900001010" },
    carries: { callbackCode: false, callbackAmount: false, collectStatusReceipt: true, statusAmount: false },
    railEnforcesIdempotency: true,
    authHint: /invalid_client.*AIRTEL_CLIENT_ID/,
  },
  (context) => {
    it("the disbursement PIN travels RSA-encrypted; a wrong PIN fails the payout with Airtel's code", async () => {
      const { server, receiver } = context();
      const wrong = airtelRail(config({ baseUrl: server.url, callbackBaseUrl: receiver.url }, { disbursementPin: "9999" }));
      const request = await wrong.payout({ reference: freshReference("p-pin"), phone: nigerian("210"), amount: "100", remarks: "Cash out" });
      const [callback] = await receiver.waitFor((r) => r.direction === "payout" && r.parsed?.providerRef === request.providerRef);
      assert.equal(callback!.parsed!.state, "failed");
      const status = await wrong.status("payout", request.providerRef);
      assert.equal(status.resultCode, "DP00900001002");
      assert.match(status.resultDesc!, /pin/i);
    });

    it("our reference is Airtel's transaction id, and the callback names it", async () => {
      const { rail, receiver } = context();
      const reference = freshReference("c-id");
      const request = await rail.collect({ reference, phone: nigerian("160"), amount: "2500", description: "Cash in" });
      assert.equal(request.providerRef, reference);
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === reference);
      assert.match(callback!.parsed!.receipt!, /^CI/);
      assert.equal(callback!.headers["x-juapesa-callback-query"], "");
    });

    it("a request in another country's currency is refused with Airtel's error envelope", async () => {
      const { server, receiver } = context();
      const ghana = airtelRail(config({ baseUrl: server.url, callbackBaseUrl: receiver.url }, { country: "GH", currency: "GHS" }));
      await assert.rejects(ghana.collect({ reference: freshReference("c-gh"), phone: "+233241234160", amount: "10", description: "x" }), /X-Country must be NG/);
    });

    it("a number outside the account's country is refused before sending", async () => {
      await assert.rejects(context().rail.collect({ reference: freshReference("c-ke"), phone: "+254708374160", amount: "10", description: "x" }), /not in the rail's country/);
    });
  },
);
