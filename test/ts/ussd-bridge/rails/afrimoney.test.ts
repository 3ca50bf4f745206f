/**
 * The AfriMoney adapter against its sandbox (a modelled API: Africell publishes none), over real
 * loopback HTTP: the shared rail suite, then the Idempotency-Key rules.
 */
import assert from "node:assert/strict";
import { it } from "node:test";

import { afriMoneyRail, type AfriMoneyConfig } from "../../../../ussd-bridge/src/rails/afrimoney.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createAfriMoneySandbox } from "../../../../ussd-bridge/sandboxes/afrimoney.js";
import { railConformance } from "./conformance.js";
import { freshReference, phoneEnding } from "./harness.js";

const creds = SANDBOX_CREDENTIALS.afrimoney;
const leonean = (suffix: string) => phoneEnding("+23230123", suffix);

function config(env: { baseUrl: string; callbackBaseUrl: string }, overrides: Partial<AfriMoneyConfig> = {}): AfriMoneyConfig {
  return { ...env, clientId: creds.clientId, clientSecret: creds.clientSecret, currency: "SLE", ...overrides };
}

railConformance(
  {
    rail: "afrimoney",
    title: "AfriMoney (modelled API)",
    sandbox: () => createAfriMoneySandbox({ customerDelayMs: 0, initialFloat: "500000" }),
    adapter: (env, options) => afriMoneyRail(config(env, options?.wrongCredentials ? { clientSecret: "wrong" } : {})),
    collectRequest: (suffix) => ({ phone: leonean(suffix), amount: "150.5" }),
    payoutRequest: (suffix) => ({ phone: leonean(suffix), amount: "320" }),
    codes: { insufficientFunds: "INSUFFICIENT_FUNDS", cancelled: "CANCELLED_BY_CUSTOMER", expired: "EXPIRED", floatTooSmall: "INSUFFICIENT_FLOAT", noWallet: "WALLET_NOT_FOUND" },
    carries: { callbackCode: true, callbackAmount: true, collectStatusReceipt: true, statusAmount: true },
    railEnforcesIdempotency: true,
    authHint: /invalid_client.*AFRIMONEY_CLIENT_ID/,
  },
  (context) => {
    it("the same reference with a different request is refused, not charged", async () => {
      const { rail, control } = context();
      const reference = freshReference("c-reuse");
      await rail.collect({ reference, phone: leonean("180"), amount: "10", description: "Cash in" });
      const before = (await control.transactions()).length;
      await assert.rejects(rail.collect({ reference, phone: leonean("180"), amount: "11", description: "Cash in" }), /idempotency_key_reused/);
      assert.equal((await control.transactions()).length, before);
    });

    it("a callback for the other direction is not read as this one's", async () => {
      const { rail, receiver } = context();
      const request = await rail.payout({ reference: freshReference("p-dir"), phone: leonean("181"), amount: "5", remarks: "Cash out" });
      const [callback] = await receiver.waitFor((r) => r.parsed?.providerRef === request.providerRef);
      assert.equal(rail.parseCallback("collect", callback!.body, {}), undefined);
    });
  },
);
