/**
 * The KYC provider adapter (a modelled Smile-ID-like API) against its sandbox over loopback HTTP:
 * signed submissions, signed results by callback and by status, the magic ID numbers, bad keys and
 * forged callbacks.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";

import type { AccountId } from "../../../../ussd-bridge/src/ports.js";
import { kycCallbackRoutes } from "../../../../ussd-bridge/src/kyc/callbacks.js";
import { kycProvider, kycSignature, type KycResult } from "../../../../ussd-bridge/src/kyc/provider.js";
import { ProviderAuthError } from "../../../../ussd-bridge/src/rails/http.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createKycSandbox } from "../../../../ussd-bridge/sandboxes/kyc.js";
import { listen, type Listening } from "../../../../ussd-bridge/sandboxes/listen.js";

const creds = SANDBOX_CREDENTIALS.kyc;
const account = `0x${"ab".repeat(32)}` as AccountId;
let seq = 0;
const job = (idNumber: string) => ({
  jobId: `kyc-${process.pid}-${++seq}`,
  accountId: account,
  country: "KE",
  idType: "NATIONAL_ID",
  idNumber,
  firstName: "Amina",
  lastName: "Otieno",
  requestedTier: 2,
});

describe("KYC provider adapter against its sandbox", () => {
  let sandbox: ReturnType<typeof createKycSandbox>;
  let server: Listening;
  let receiver: Listening;
  let provider: ReturnType<typeof kycProvider>;
  const results: KycResult[] = [];

  before(async () => {
    sandbox = createKycSandbox({ delayMs: 0 });
    server = await listen(sandbox.app);
    const app = new Hono();
    receiver = await listen(app);
    provider = kycProvider({ baseUrl: server.url, partnerId: creds.partnerId, apiKey: creds.apiKey, callbackBaseUrl: receiver.url });
    app.route("/", kycCallbackRoutes(provider, async (result) => void results.push(result)));
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  it("an ID that checks out: pending at submission, approved for the requested tier by callback and by status", async () => {
    const submission = job("12345678");
    const submitted = await provider.submit(submission);
    assert.equal(submitted.state, "pending");
    assert.ok(submitted.providerRef);
    await sandbox.idle();
    const byCallback = results.find((r) => r.jobId === submission.jobId);
    assert.deepEqual(byCallback && { state: byCallback.state, tier: byCallback.tier, code: byCallback.resultCode }, { state: "approved", tier: 2, code: "1012" });
    const byStatus = await provider.status(submission.jobId, account);
    assert.equal(byStatus.state, "approved");
    assert.equal(byStatus.tier, 2);
  });

  for (const [idNumber, code] of [["12345699", "1013"], ["12345698", "1022"]] as const) {
    it(`an ID number ending ${idNumber.slice(-2)} is rejected with ${code}, and no tier`, async () => {
      const submission = job(idNumber);
      await provider.submit(submission);
      await sandbox.idle();
      const status = await provider.status(submission.jobId, account);
      assert.equal(status.state, "rejected");
      assert.equal(status.resultCode, code);
      assert.equal(status.tier, undefined);
      assert.equal(results.find((r) => r.jobId === submission.jobId)?.state, "rejected");
    });
  }

  it("a check that never completes stays pending, with no callback", async () => {
    const submission = job("12345697");
    await provider.submit(submission);
    await sandbox.idle();
    assert.equal((await provider.status(submission.jobId, account)).state, "pending");
    assert.equal(results.some((r) => r.jobId === submission.jobId), false);
  });

  it("submitting the same job id twice is the same job", async () => {
    const submission = job("22345678");
    const first = await provider.submit(submission);
    const second = await provider.submit(submission);
    assert.equal(second.providerRef, first.providerRef);
  });

  it("a wrong API key is refused with an error naming what to check", async () => {
    const wrong = kycProvider({ baseUrl: server.url, partnerId: creds.partnerId, apiKey: "wrong", callbackBaseUrl: receiver.url });
    await assert.rejects(wrong.submit(job("32345678")), (error: unknown) => {
      assert.ok(error instanceof ProviderAuthError);
      assert.match(error.message, /KYC_API_KEY/);
      return true;
    });
  });

  it("a forged or malformed result is not read, and the callback route answers 400", async () => {
    const timestamp = new Date().toISOString();
    const forged = {
      PartnerParams: { job_id: "x", user_id: account, job_type: 5, requested_tier: 3 },
      ResultCode: "1012",
      timestamp,
      signature: kycSignature("not-our-key", creds.partnerId, timestamp),
    };
    assert.equal(provider.parseCallback(forged, {}), undefined);
    for (const body of [undefined, null, {}, "x", { ResultCode: "1012" }]) assert.equal(provider.parseCallback(body, {}), undefined);
    const response = await fetch(`${receiver.url}/kyc/callback`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(forged) });
    assert.equal(response.status, 400);
    const genuine = { ...forged, signature: kycSignature(creds.apiKey, creds.partnerId, timestamp) };
    assert.equal(provider.parseCallback(genuine, {})?.tier, 3);
  });
});
