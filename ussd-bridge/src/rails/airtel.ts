/**
 * Airtel Money through the Airtel Africa Open API.
 *
 * - collect: `POST /merchant/v1/payments/` (a USSD push to the customer), enquiry
 *   `GET /standard/v1/payments/{id}`;
 * - payout: `POST /standard/v1/disbursements/` with the disbursement PIN encrypted with Airtel's RSA
 *   public key (PKCS#1 v1.5), enquiry `GET /standard/v1/disbursements/{id}`;
 * - auth: `POST /auth/oauth2/token` with the client id and secret as JSON; every call names
 *   X-Country and X-Currency.
 *
 * Our reference is the transaction id Airtel keys the request by, and the providerRef: Airtel refuses
 * a second request with the same id, and the adapter then answers with the enquiry of the first.
 * Airtel posts callbacks to the URL registered for the application in its portal (register
 * `${callbackBaseUrl}/rails/airtel/collect/callback`); the body names only the id and TS/TF, and the
 * enquiry gives no amount, so the amount checked is the one we asked for under that id.
 */
import { constants, createPublicKey, publicEncrypt, type KeyObject } from "node:crypto";
import { getCountryCallingCode, type CountryCode } from "libphonenumber-js";
import { z } from "zod";

import type { RailRequestResult, RailState, RailStatus } from "../ports.js";
import { canonicalAmount } from "./amount.js";
import type { Direction } from "./callbacks.js";
import { readSandboxFloat, readSandboxStatement, type CustodianRail } from "./custodian.js";
import { callProvider, isLoopback, ProviderAuthError, ProviderError, said, trimSlash, type Fetch, type ProviderAnswer } from "./http.js";
import { nationalDigits } from "./msisdn.js";
import { assertReference } from "./reference.js";
import { secondsFrom, tokenCache } from "./token.js";

const PROVIDER = "Airtel Money";

/** Transaction states in Airtel's enquiries and callbacks. */
const STATE: Readonly<Record<string, RailState>> = { TS: "succeeded", TF: "failed", TE: "failed", TIP: "pending", TA: "pending", DP: "pending" };

export interface AirtelConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** ISO 3166 country of the merchant account, e.g. "NG". */
  country: string;
  currency: string;
  /** The disbursement PIN of the merchant wallet (4 digits). */
  disbursementPin: string;
  /** Airtel's RSA public key for the PIN, base64 DER as the portal shows it, or PEM; fetched from a local sandbox when absent. */
  pinPublicKey?: string;
  /** Documented for the portal registration; Airtel takes no callback URL per request. */
  callbackBaseUrl: string;
  fetch?: Fetch;
  now?: () => number;
}

const enquiryAnswer = z.object({
  data: z.object({
    transaction: z.object({ id: z.string(), status: z.string(), message: z.string().optional(), airtel_money_id: z.string().optional() }),
  }),
  status: z.object({ response_code: z.string().optional(), message: z.string().optional(), success: z.boolean().optional() }),
});

const callbackBody = z.object({
  transaction: z.object({
    id: z.string().min(1),
    message: z.string().optional(),
    status_code: z.string().min(1),
    airtel_money_id: z.string().optional(),
  }),
});

const envelope = z.object({ status: z.object({ code: z.string().optional(), message: z.string().optional(), response_code: z.string().optional(), success: z.boolean().optional() }) });

export function airtelRail(config: AirtelConfig): CustodianRail {
  const fetchFn = config.fetch ?? fetch;
  const base = trimSlash(config.baseUrl);
  const callingCode = getCountryCallingCode(config.country as CountryCode);
  const tokens = tokenCache(async () => {
    const answer = await callProvider(fetchFn, PROVIDER, "OAuth token", `${base}/auth/oauth2/token`, {
      json: { client_id: config.clientId, client_secret: config.clientSecret, grant_type: "client_credentials" },
    });
    const body = answer.body as { access_token?: string; expires_in?: unknown; error?: string; error_description?: string };
    if (answer.status !== 200 || typeof body?.access_token !== "string") {
      throw new ProviderAuthError(PROVIDER, "OAuth token", {
        status: answer.status,
        code: body?.error,
        said: body?.error_description ?? said(answer.body),
        hint: "Check AIRTEL_CLIENT_ID and AIRTEL_CLIENT_SECRET (and that they belong to this environment)",
      });
    }
    return { accessToken: body.access_token, expiresIn: secondsFrom(body.expires_in, 180) };
  }, config.now);

  let pinKey: Promise<KeyObject> | undefined;
  const publicKey = () =>
    (pinKey ??= (async () => {
      let text = config.pinPublicKey;
      if (!text) {
        if (!isLoopback(base)) throw new Error("AIRTEL_PIN_PUBLIC_KEY is not set: disbursements need Airtel's RSA public key to encrypt the PIN");
        const answer = await callProvider(fetchFn, PROVIDER, "PIN key", `${base}/sandbox/pin-public-key`);
        text = (answer.body as { public_key?: string }).public_key ?? "";
      }
      return text.includes("BEGIN") ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, "base64"), format: "der", type: "spki" });
    })().catch((error: unknown) => {
      pinKey = undefined;
      throw error;
    }));

  const api = async (call: string, path: string, json?: unknown): Promise<ProviderAnswer> => {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const answer = await callProvider(fetchFn, PROVIDER, call, `${base}${path}`, {
        method: json === undefined ? "GET" : "POST",
        json,
        headers: { Authorization: `Bearer ${token}`, "X-Country": config.country, "X-Currency": config.currency },
      });
      if (answer.status === 401 && attempt === 0) {
        tokens.invalidate();
        continue;
      }
      return answer;
    }
  };

  const fail = (call: string, answer: ProviderAnswer): never => {
    const parsed = envelope.safeParse(answer.body);
    const Err = answer.status === 401 ? ProviderAuthError : ProviderError;
    throw new Err(PROVIDER, call, {
      status: answer.status,
      code: parsed.success ? parsed.data.status.response_code : (answer.body as { error?: string })?.error,
      said: parsed.success ? parsed.data.status.message : said(answer.body),
    });
  };

  const enquiryPath = (direction: Direction, id: string) => `/standard/v1/${direction === "collect" ? "payments" : "disbursements"}/${encodeURIComponent(id)}`;

  const status = async (direction: Direction, providerRef: string): Promise<RailStatus> => {
    const answer = await api("enquiry", enquiryPath(direction, providerRef));
    const parsed = enquiryAnswer.safeParse(answer.body);
    if (answer.status !== 200 || !parsed.success) return fail("enquiry", answer);
    const tx = parsed.data.data.transaction;
    const state = STATE[tx.status] ?? "pending";
    return {
      providerRef,
      state,
      resultCode: parsed.data.status.response_code ?? tx.status,
      resultDesc: tx.message ?? parsed.data.status.message,
      receipt: state === "succeeded" ? tx.airtel_money_id : undefined,
    };
  };

  /** After a refused request, the enquiry tells whether the id was already taken by our own first try. */
  const existing = async (direction: Direction, id: string): Promise<RailRequestResult | undefined> => {
    try {
      const { receipt: _receipt, ...current } = await status(direction, id);
      return current;
    } catch {
      return undefined;
    }
  };

  return {
    id: "airtel",
    currency: config.currency,

    async collect({ reference, phone, amount }) {
      assertReference(reference);
      const answer = await api("collection", "/merchant/v1/payments/", {
        reference,
        subscriber: { country: config.country, currency: config.currency, msisdn: nationalDigits(phone, callingCode) },
        transaction: { amount: Number(canonicalAmount(amount)), country: config.country, currency: config.currency, id: reference },
      });
      if (answer.status === 200 && (answer.body as { status?: { success?: boolean } })?.status?.success) return { providerRef: reference, state: "pending" };
      if (answer.status !== 401) {
        const already = await existing("collect", reference);
        if (already) return already;
      }
      return fail("collection", answer);
    },

    async payout({ reference, phone, amount }) {
      assertReference(reference);
      const pin = publicEncrypt({ key: await publicKey(), padding: constants.RSA_PKCS1_PADDING }, Buffer.from(config.disbursementPin)).toString("base64");
      const answer = await api("disbursement", "/standard/v1/disbursements/", {
        payee: { msisdn: nationalDigits(phone, callingCode), wallet_type: "NORMAL" },
        reference,
        pin,
        transaction: { amount: Number(canonicalAmount(amount)), id: reference, type: "B2C" },
      });
      const body = answer.body as { status?: { success?: boolean }; data?: { transaction?: { status?: string } } };
      if (answer.status === 200 && body?.status?.success) {
        return { providerRef: reference, state: STATE[body.data?.transaction?.status ?? "TIP"] ?? "pending" };
      }
      if (answer.status !== 401) {
        const already = await existing("payout", reference);
        if (already) return already;
      }
      return fail("disbursement", answer);
    },

    status,

    parseCallback(_direction, body) {
      const parsed = callbackBody.safeParse(body);
      if (!parsed.success) return undefined;
      const tx = parsed.data.transaction;
      const state = STATE[tx.status_code];
      if (!state) return undefined;
      return {
        providerRef: tx.id,
        state,
        resultCode: tx.status_code,
        resultDesc: tx.message,
        receipt: state === "succeeded" ? tx.airtel_money_id : undefined,
      };
    },

    async statement(from, to) {
      return readSandboxStatement(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` }, from, to);
    },

    async float() {
      return readSandboxFloat(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` });
    },
  };
}
