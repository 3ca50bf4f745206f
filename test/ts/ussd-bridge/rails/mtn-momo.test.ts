/**
 * The MTN MoMo adapter against the local MoMo sandbox, over real loopback HTTP: the shared rail suite,
 * then MoMo's own rules (X-Reference-Id derived from the reference, subscription key, target
 * environment).
 */
import assert from "node:assert/strict";
import { it } from "node:test";

import { momoRail, momoReferenceId, type MomoConfig } from "../../../../ussd-bridge/src/rails/mtn-momo.js";
import { ProviderAuthError, ProviderError } from "../../../../ussd-bridge/src/rails/http.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createMomoSandbox } from "../../../../ussd-bridge/sandboxes/mtn-momo.js";
import { railConformance } from "./conformance.js";
import { freshReference, phoneEnding } from "./harness.js";

const creds = SANDBOX_CREDENTIALS["mtn-momo"];
const ugandan = (suffix: string) => phoneEnding("+256772123", suffix);

function config(env: { baseUrl: string; callbackBaseUrl: string }, overrides: Partial<MomoConfig> = {}): MomoConfig {
  return { ...env, targetEnvironment: creds.targetEnvironment, currency: "UGX", collection: creds.collection, disbursement: creds.disbursement, ...overrides };
}

railConformance(
  {
    rail: "mtn-momo",
    title: "MTN MoMo",
    sandbox: () => createMomoSandbox({ customerDelayMs: 0, initialFloat: "5000000" }),
    adapter: (env, options) =>
      momoRail(config(env, options?.wrongCredentials ? { collection: { ...creds.collection, apiKey: "wrong" } } : {})),
    collectRequest: (suffix) => ({ phone: ugandan(suffix), amount: "5000" }),
    payoutRequest: (suffix) => ({ phone: ugandan(suffix), amount: "20000" }),
    codes: { insufficientFunds: "NOT_ENOUGH_FUNDS", cancelled: "APPROVAL_REJECTED", expired: "EXPIRED", floatTooSmall: "NOT_ENOUGH_FUNDS", noWallet: "PAYEE_NOT_FOUND" },
    carries: { callbackCode: true, callbackAmount: true, collectStatusReceipt: true, statusAmount: true },
    railEnforcesIdempotency: true,
    authHint: /login_failed.*MOMO_COLLECTION_API_KEY/,
  },
  (context) => {
    it("X-Reference-Id is derived from the reference: same reference, same UUID v4; other direction, another", () => {
      const a = momoReferenceId("collect", "ref-1");
      assert.equal(a, momoReferenceId("collect", "ref-1"));
      assert.notEqual(a, momoReferenceId("collect", "ref-2"));
      assert.notEqual(a, momoReferenceId("payout", "ref-1"));
      assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("the request carries the derived X-Reference-Id, and the callback is tied back to it through externalId", async () => {
      const { rail, receiver } = context();
      const reference = freshReference("c-ref");
      const request = await rail.collect({ reference, phone: ugandan("150"), amount: "5000", description: "Cash in" });
      assert.equal(request.providerRef, momoReferenceId("collect", reference));
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
      assert.equal((callback!.body as { externalId: string }).externalId, reference);
      assert.equal(callback!.parsed!.phone, ugandan("150"));
    });

    it("a wrong subscription key or target environment is refused with MoMo's own error", async () => {
      const { server, receiver } = context();
      const env = { baseUrl: server.url, callbackBaseUrl: receiver.url };
      const badKey = momoRail(config(env, { collection: { ...creds.collection, subscriptionKey: "nope" } }));
      await assert.rejects(badKey.collect({ reference: freshReference("c-sub"), phone: ugandan("151"), amount: "10", description: "x" }), (error: unknown) => {
        assert.ok(error instanceof ProviderAuthError);
        assert.match(error.message, /invalid subscription key.*MOMO_COLLECTION_SUBSCRIPTION_KEY/);
        return true;
      });
      const badEnv = momoRail(config(env, { targetEnvironment: "mtnuganda" }));
      await assert.rejects(badEnv.collect({ reference: freshReference("c-env"), phone: ugandan("151"), amount: "10", description: "x" }), (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        assert.match(error.message, /NOT_ALLOWED_TARGET_ENVIRONMENT/);
        return true;
      });
    });

    it("a currency the account does not hold is refused", async () => {
      const { server, receiver } = context();
      const eur = momoRail(config({ baseUrl: server.url, callbackBaseUrl: receiver.url }, { currency: "EUR" }));
      await assert.rejects(eur.collect({ reference: freshReference("c-cur"), phone: ugandan("152"), amount: "10", description: "x" }), /INVALID_CURRENCY/);
    });

    it("status of a reference id MoMo never saw is an error, not a pending payment", async () => {
      await assert.rejects(context().rail.status("collect", momoReferenceId("collect", "never-sent")), /RESOURCE_NOT_FOUND/);
    });
  },
);
