/**
 * The KYC provider adapter: a tier upgrade is an ID check (ID number and name against the issuing
 * authority) submitted as a job, whose result comes back by callback and can be asked for.
 *
 * The shape is MODELLED on Smile ID's ID-verification job API, not a verified copy of it: jobs at
 * `POST /v1/id_verification` with partner_params (job_id, user_id, job_type, and our requested tier),
 * results at `POST /v1/job_status` and at the callback_url, every request and result signed with
 * base64(HMAC-SHA256(api_key, timestamp + partner_id + "sid_request")). Result codes follow Smile's
 * documentation as we read it: 1012 verified, 1013 ID number not found, 1022 no match. Swap this file
 * for a contracted provider's client.
 *
 * Names and ID numbers are personal data: they go to the provider and nowhere else (not into errors,
 * logs or our database).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

import type { AccountId } from "../ports.js";
import { fromEnv, RailConfigError } from "../rails/config.js";
import { callProvider, isLoopback, ProviderAuthError, ProviderError, said, trimSlash, type Fetch } from "../rails/http.js";
import { SANDBOX_CREDENTIALS } from "../rails/sandbox-credentials.js";

const PROVIDER = "KYC provider";

export type KycState = "pending" | "approved" | "rejected";

export interface KycResult {
  jobId: string;
  /** The provider's own id for the job. */
  providerRef?: string;
  state: KycState;
  /** The tier the check supports, when approved. */
  tier?: number;
  resultCode?: string;
  resultText?: string;
}

export interface KycSubmission {
  /** Our id for the job (e.g. the kyc_requests row id); the same id is the same job. */
  jobId: string;
  accountId: AccountId;
  /** ISO 3166 alpha-2. */
  country: string;
  /** e.g. NATIONAL_ID, PASSPORT, VOTER_ID, as the provider names them per country. */
  idType: string;
  idNumber: string;
  firstName: string;
  lastName: string;
  requestedTier: number;
}

export interface KycProvider {
  submit(job: KycSubmission): Promise<KycResult>;
  status(jobId: string, accountId: AccountId): Promise<KycResult>;
  /** A result the provider posted; undefined unless its shape and signature are right. */
  parseCallback(body: unknown, headers: Record<string, string>): KycResult | undefined;
}

export interface KycProviderConfig {
  baseUrl: string;
  partnerId: string;
  apiKey: string;
  /** Results are posted to `${callbackBaseUrl}/kyc/callback`. */
  callbackBaseUrl: string;
  fetch?: Fetch;
  now?: () => number;
}

/** base64(HMAC-SHA256(apiKey, timestamp + partnerId + "sid_request")). */
export function kycSignature(apiKey: string, partnerId: string, timestamp: string): string {
  return createHmac("sha256", apiKey).update(`${timestamp}${partnerId}sid_request`).digest("base64");
}

/** What each result code means for the upgrade. */
export const KYC_RESULT_CODES: Readonly<Record<string, { state: KycState; text: string }>> = {
  "1012": { state: "approved", text: "ID number validated; names match." },
  "1013": { state: "rejected", text: "The ID number was not found at the issuing authority." },
  "1022": { state: "rejected", text: "The ID number exists but the names do not match." },
  "1014": { state: "rejected", text: "This ID type is not supported for the country." },
};

const partnerParams = z.object({ job_id: z.string().min(1), user_id: z.string().min(1), job_type: z.union([z.number(), z.string()]), requested_tier: z.union([z.number(), z.string()]).optional() });
const resultBody = z.object({
  SmileJobID: z.string().optional(),
  PartnerParams: partnerParams,
  ResultCode: z.string(),
  ResultText: z.string().optional(),
  timestamp: z.string().min(1),
  signature: z.string().min(1),
});
const statusAnswer = z.object({
  job_complete: z.boolean(),
  job_success: z.boolean().optional(),
  timestamp: z.string(),
  signature: z.string(),
  result: z.union([resultBody.omit({ timestamp: true, signature: true }), z.string()]).optional(),
});

export function kycProvider(config: KycProviderConfig): KycProvider {
  const fetchFn = config.fetch ?? fetch;
  const now = config.now ?? Date.now;
  const base = trimSlash(config.baseUrl);
  const signed = () => {
    const timestamp = new Date(now()).toISOString();
    return { partner_id: config.partnerId, timestamp, signature: kycSignature(config.apiKey, config.partnerId, timestamp) };
  };
  const genuine = (timestamp: string, signature: string) => {
    const expected = Buffer.from(kycSignature(config.apiKey, config.partnerId, timestamp));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  const toResult = (jobId: string, code: string, text: string | undefined, requestedTier: unknown, providerRef?: string): KycResult => {
    const known = KYC_RESULT_CODES[code];
    const state = known?.state ?? "rejected";
    const tier = Number(requestedTier);
    return { jobId, providerRef, state, tier: state === "approved" && Number.isInteger(tier) ? tier : undefined, resultCode: code, resultText: text ?? known?.text };
  };
  const post = async (call: string, path: string, json: unknown) => {
    const answer = await callProvider(fetchFn, PROVIDER, call, `${base}${path}`, { json });
    if (answer.status === 401 || answer.status === 403) {
      throw new ProviderAuthError(PROVIDER, call, { status: answer.status, said: said(answer.body), hint: "Check KYC_PARTNER_ID and KYC_API_KEY" });
    }
    if (answer.status !== 200) throw new ProviderError(PROVIDER, call, { status: answer.status, said: said(answer.body) });
    return answer.body;
  };

  return {
    async submit(job) {
      const body = (await post("submit", "/v1/id_verification", {
        ...signed(),
        source_sdk: "rest_api",
        country: job.country,
        id_type: job.idType,
        id_number: job.idNumber,
        first_name: job.firstName,
        last_name: job.lastName,
        partner_params: { job_id: job.jobId, user_id: job.accountId, job_type: 5, requested_tier: job.requestedTier },
        callback_url: `${trimSlash(config.callbackBaseUrl)}/kyc/callback`,
      })) as { success?: boolean; smile_job_id?: string };
      if (!body?.success) throw new ProviderError(PROVIDER, "submit", { said: said(body) });
      return { jobId: job.jobId, providerRef: body.smile_job_id, state: "pending" };
    },

    async status(jobId, accountId) {
      const body = await post("job status", "/v1/job_status", { ...signed(), job_id: jobId, user_id: accountId, image_links: false, history: false });
      const parsed = statusAnswer.safeParse(body);
      if (!parsed.success || !genuine(parsed.data.timestamp, parsed.data.signature)) {
        throw new ProviderError(PROVIDER, "job status", { said: "the answer is not signed with our key, or is not a job status" });
      }
      const result = parsed.data.result;
      if (!parsed.data.job_complete || !result || typeof result === "string") return { jobId, state: "pending" };
      return toResult(jobId, result.ResultCode, result.ResultText, result.PartnerParams.requested_tier, result.SmileJobID);
    },

    parseCallback(body) {
      const parsed = resultBody.safeParse(body);
      if (!parsed.success || !genuine(parsed.data.timestamp, parsed.data.signature)) return undefined;
      const result = parsed.data;
      return toResult(result.PartnerParams.job_id, result.ResultCode, result.ResultText, result.PartnerParams.requested_tier, result.SmileJobID);
    },
  };
}

/** The KYC provider from KYC_BASE_URL, KYC_PARTNER_ID and KYC_API_KEY; undefined when no base URL is set. */
export function kycProviderFromEnv(options: { env?: NodeJS.ProcessEnv; baseUrl?: string; callbackBaseUrl: string; fetch?: Fetch }): KycProvider | undefined {
  const env = options.env ?? process.env;
  const baseUrl = fromEnv(env, "KYC_BASE_URL") ?? options.baseUrl;
  if (!baseUrl) return undefined;
  const partnerId = fromEnv(env, "KYC_PARTNER_ID") ?? (isLoopback(baseUrl) ? SANDBOX_CREDENTIALS.kyc.partnerId : undefined);
  const apiKey = fromEnv(env, "KYC_API_KEY") ?? (isLoopback(baseUrl) ? SANDBOX_CREDENTIALS.kyc.apiKey : undefined);
  if (!partnerId || !apiKey) throw new RailConfigError("KYC provider: set KYC_PARTNER_ID and KYC_API_KEY (sandbox credentials apply only to a base URL on this machine)");
  return kycProvider({ baseUrl, partnerId, apiKey, callbackBaseUrl: options.callbackBaseUrl, fetch: options.fetch });
}
