/**
 * A local KYC provider with the modelled Smile-ID-like shape of src/kyc/provider.ts: signed job
 * submission, signed job status, signed result posted to callback_url. Magic values, by the ID number's
 * last two digits: 99 not found (1013), 98 names do not match (1022), 97 never completes (no result,
 * no callback); anything else is verified (1012). Nothing is kept but the job's outcome.
 */
import { Hono } from "hono";
import { z } from "zod";

import { kycSignature } from "../src/kyc/provider.js";
import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";
import { jsonBody } from "./auth.js";

const signedFields = z.object({ partner_id: z.string(), timestamp: z.string(), signature: z.string() });
const submitBody = signedFields.extend({
  country: z.string().length(2),
  id_type: z.string().min(1),
  id_number: z.string().min(4),
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  partner_params: z.object({ job_id: z.string().min(1), user_id: z.string().min(1), job_type: z.union([z.number(), z.string()]), requested_tier: z.union([z.number(), z.string()]).optional() }),
  callback_url: z.url(),
});
const statusBody = signedFields.extend({ job_id: z.string().min(1), user_id: z.string().min(1) });

interface Job {
  smileJobId: string;
  partnerParams: z.infer<typeof submitBody>["partner_params"];
  resultCode?: string;
  resultText?: string;
}

const OUTCOMES: Record<string, { code: string; text: string } | "never"> = {
  "99": { code: "1013", text: "ID Number Not Found" },
  "98": { code: "1022", text: "No Match" },
  "97": "never",
};

export interface KycSandbox {
  app: Hono;
  /** Waits until every result due has been posted. */
  idle(): Promise<void>;
}

export function createKycSandbox(options: { credentials?: typeof SANDBOX_CREDENTIALS.kyc; delayMs?: number } = {}): KycSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS.kyc;
  const delayMs = options.delayMs ?? 250;
  const jobs = new Map<string, Job>();
  const inFlight = new Set<Promise<void>>();
  const app = new Hono();
  const sign = () => {
    const timestamp = new Date().toISOString();
    return { timestamp, signature: kycSignature(creds.apiKey, creds.partnerId, timestamp) };
  };
  const authentic = (body: z.infer<typeof signedFields>) => body.partner_id === creds.partnerId && body.signature === kycSignature(creds.apiKey, creds.partnerId, body.timestamp);
  const result = (job: Job) => ({ SmileJobID: job.smileJobId, PartnerParams: job.partnerParams, ResultCode: job.resultCode!, ResultText: job.resultText });

  app.post("/v1/id_verification", async (c) => {
    const parsed = submitBody.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ code: "2213", error: `Invalid ${parsed.error.issues[0]?.path.join(".")}` }, 400);
    const req = parsed.data;
    if (!authentic(req)) return c.json({ code: "2205", error: "You are not authorized to do that." }, 401);
    const existing = jobs.get(req.partner_params.job_id);
    if (existing) return c.json({ success: true, smile_job_id: existing.smileJobId });
    const job: Job = { smileJobId: String(1e9 + jobs.size + 1), partnerParams: req.partner_params };
    jobs.set(req.partner_params.job_id, job);
    const outcome = OUTCOMES[req.id_number.slice(-2)] ?? { code: "1012", text: "ID Number Validated" };
    if (outcome !== "never") {
      const run = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
        .then(async () => {
          job.resultCode = outcome.code;
          job.resultText = outcome.text;
          const response = await fetch(req.callback_url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ ...result(job), ...sign() }),
            signal: AbortSignal.timeout(10_000),
          });
          await response.body?.cancel();
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
    return c.json({ success: true, smile_job_id: job.smileJobId });
  });

  app.post("/v1/job_status", async (c) => {
    const parsed = statusBody.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ code: "2213", error: `Invalid ${parsed.error.issues[0]?.path.join(".")}` }, 400);
    if (!authentic(parsed.data)) return c.json({ code: "2205", error: "You are not authorized to do that." }, 401);
    const job = jobs.get(parsed.data.job_id);
    if (!job || job.partnerParams.user_id !== parsed.data.user_id) return c.json({ code: "2204", error: "Job not found" }, 404);
    const complete = job.resultCode !== undefined;
    return c.json({ ...sign(), job_complete: complete, job_success: job.resultCode === "1012", code: complete ? "2302" : "2314", result: complete ? result(job) : "Job not complete" });
  });

  app.post("/sandbox/flush", async (c) => {
    await Promise.all([...inFlight]);
    return c.json({ ok: true });
  });

  return {
    app,
    async idle() {
      await Promise.all([...inFlight]);
    },
  };
}
