/**
 * The M-Pesa adapter against the local Daraja sandbox, over real loopback HTTP: the shared rail suite,
 * then what only Daraja has (STK password, B2C initiator credential, whole shillings, the asynchronous
 * Transaction Status answer).
 */
import assert from "node:assert/strict";
import { it } from "node:test";

import { mpesaRail, type MpesaConfig } from "../../../../ussd-bridge/src/rails/mpesa.js";
import { ProviderError } from "../../../../ussd-bridge/src/rails/http.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createMpesaSandbox } from "../../../../ussd-bridge/sandboxes/mpesa.js";
import { railConformance } from "./conformance.js";
import { freshReference, phoneEnding } from "./harness.js";

const creds = SANDBOX_CREDENTIALS.mpesa;
const kenyan = (suffix: string) => phoneEnding("+254708374", suffix);

function config(env: { baseUrl: string; callbackBaseUrl: string }, overrides: Partial<MpesaConfig> = {}): MpesaConfig {
  return {
    ...env,
    consumerKey: creds.consumerKey,
    consumerSecret: creds.consumerSecret,
    shortcode: creds.shortcode,
    passkey: creds.passkey,
    b2cShortcode: creds.b2cShortcode,
    initiatorName: creds.initiatorName,
    securityCredential: creds.securityCredential,
    statusWaitMs: 5000,
    ...overrides,
  };
}

railConformance(
  {
    rail: "mpesa",
    title: "M-Pesa (Daraja)",
    sandbox: () => createMpesaSandbox({ customerDelayMs: 0, initialFloat: "100000" }),
    adapter: (env, options) => mpesaRail(config(env, options?.wrongCredentials ? { consumerSecret: "wrong" } : {})),
    collectRequest: (suffix) => ({ phone: kenyan(suffix), amount: "250" }),
    payoutRequest: (suffix) => ({ phone: kenyan(suffix), amount: "1500" }),
    codes: { insufficientFunds: "1", cancelled: "1032", expired: "1037", floatTooSmall: "1", noWallet: "2040" },
    carries: { callbackCode: true, callbackAmount: true, collectStatusReceipt: false, statusAmount: true },
    railEnforcesIdempotency: false,
    authHint: /400\.008\.01.*MPESA_CONSUMER_KEY/,
  },
  (context) => {
    it("a wrong PIN (magic 006) fails with 2001", async () => {
      const { rail, receiver } = context();
      const request = await rail.collect({ reference: freshReference("c-pin"), phone: kenyan("006"), amount: "250", description: "Cash in" });
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
      assert.equal(callback!.parsed!.resultCode, "2001");
      assert.equal(callback!.parsed!.state, "failed");
    });

    it("the STK callback carries the receipt, the amount and the payer's number", async () => {
      const { rail, receiver } = context();
      const request = await rail.collect({ reference: freshReference("c-meta"), phone: kenyan("140"), amount: "500", description: "Cash in" });
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
      assert.match(request.providerRef, /^ws_CO_/);
      assert.match(callback!.parsed!.receipt!, /^SBX[0-9A-Z]{7}$/);
      assert.equal(callback!.parsed!.phone, kenyan("140"));
    });

    it("a wrong passkey is refused before anything is charged, naming MPESA_PASSKEY", async () => {
      const { server, receiver } = context();
      const wrong = mpesaRail(config({ baseUrl: server.url, callbackBaseUrl: receiver.url }, { passkey: "wrong" }));
      await assert.rejects(wrong.collect({ reference: freshReference("c-pass"), phone: kenyan("121"), amount: "10", description: "x" }), (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        assert.match(error.message, /Invalid Password.*MPESA_PASSKEY/);
        return true;
      });
    });

    it("a wrong B2C initiator credential: the result fails with 2001", async () => {
      const { server, receiver } = context();
      const wrong = mpesaRail(config({ baseUrl: server.url, callbackBaseUrl: receiver.url }, { securityCredential: "not-the-credential" }));
      receiver.adapters.mpesa ??= wrong;
      const request = await wrong.payout({ reference: freshReference("p-cred"), phone: kenyan("202"), amount: "100", remarks: "Cash out" });
      const [result] = await receiver.waitFor((r) => r.direction === "payout" && r.parsed?.providerRef === request.providerRef);
      assert.equal(result!.parsed!.resultCode, "2001");
    });

    it("amounts and references M-Pesa cannot take are refused before sending", async () => {
      const { rail } = context();
      await assert.rejects(rail.collect({ reference: freshReference("c-cents"), phone: kenyan("122"), amount: "10.50", description: "x" }), /whole amounts/);
      await assert.rejects(rail.collect({ reference: "bad reference!", phone: kenyan("122"), amount: "10", description: "x" }), /reference/);
    });

    it("a Transaction Status answer is consumed by the waiting status() call, not handed to the bridge as a payout event", () => {
      const { rail } = context();
      const body = {
        Result: { ResultType: 0, ResultCode: 0, ResultDesc: "ok", OriginatorConversationID: "1-2-3", ConversationID: "AG_x", ResultParameters: { ResultParameter: [{ Key: "TransactionStatus", Value: "Completed" }] } },
      };
      assert.equal(rail.parseCallback("payout", body, { "x-juapesa-callback-query": "kind=status" }), undefined);
      assert.equal(rail.parseCallback("payout", body, {})?.providerRef, "1-2-3");
    });
  },
);
