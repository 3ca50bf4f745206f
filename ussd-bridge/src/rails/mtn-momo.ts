/**
 * MTN Mobile Money through the MoMo Open API.
 *
 * - collect: `POST /collection/v1_0/requesttopay`, status `GET /collection/v1_0/requesttopay/{id}`;
 * - payout: `POST /disbursement/v1_0/transfer`, status `GET /disbursement/v1_0/transfer/{id}`;
 * - auth: per product, `POST /{product}/token/` with Basic API-user:API-key and the product's
 *   Ocp-Apim-Subscription-Key; every call also names X-Target-Environment.
 *
 * X-Reference-Id is the idempotency key: it is derived from our reference (same reference → same
 * UUID), so a retry after a crash is refused by MoMo as a duplicate (409) and the adapter answers with
 * the status of the request already made. The callback (POST or PUT to X-Callback-Url, sent once,
 * never retried) has the status answer's body; its externalId is our reference, from which the
 * adapter derives the reference id again.
 */
import { z } from "zod";

import type { RailRequestResult, RailState, RailStatus } from "../ports.js";
import { canonicalAmount } from "./amount.js";
import { railCallbackUrl, type Direction } from "./callbacks.js";
import { readSandboxFloat, readSandboxStatement, type CustodianRail } from "./custodian.js";
import { basicAuth, callProvider, ProviderAuthError, ProviderError, said, trimSlash, type Fetch, type ProviderAnswer } from "./http.js";
import { e164FromDigits, msisdnDigits } from "./msisdn.js";
import { assertReference, uuidFromReference } from "./reference.js";
import { secondsFrom, tokenCache, type TokenCache } from "./token.js";

const PROVIDER = "MTN MoMo";

/** MoMo's failure reasons, with what a person should know. */
export const MOMO_REASONS: Readonly<Record<string, string>> = {
  NOT_ENOUGH_FUNDS: "The wallet does not have enough funds.",
  APPROVAL_REJECTED: "The customer rejected the request (or entered a wrong PIN).",
  EXPIRED: "The customer did not answer before the request expired.",
  PAYER_NOT_FOUND: "The paying number has no MoMo wallet.",
  PAYEE_NOT_FOUND: "The receiving number has no MoMo wallet.",
  PAYER_LIMIT_REACHED: "The customer's wallet limit is reached.",
  PAYEE_NOT_ALLOWED_TO_RECEIVE: "The receiving wallet may not receive this payment.",
  NOT_ALLOWED: "MoMo does not allow this request for this account.",
  INTERNAL_PROCESSING_ERROR: "MoMo failed to process the request.",
  SERVICE_UNAVAILABLE: "MoMo is unavailable; try again later.",
  COULD_NOT_PERFORM_TRANSACTION: "MoMo could not perform the transaction.",
};

export interface MomoProductCredentials {
  /** The API user (a UUID) provisioned for the product. */
  userId: string;
  apiKey: string;
  subscriptionKey: string;
}

export interface MomoConfig {
  baseUrl: string;
  /** "sandbox" on MTN's sandbox, "mtnuganda", "mtnghana", … in production. */
  targetEnvironment: string;
  currency: string;
  collection: MomoProductCredentials;
  disbursement: MomoProductCredentials;
  callbackBaseUrl: string;
  fetch?: Fetch;
  now?: () => number;
}

const party = z.object({ partyIdType: z.string(), partyId: z.string() });
const reason = z.union([z.string(), z.object({ code: z.string(), message: z.string().optional() })]);
const statusAnswer = z.object({
  amount: z.union([z.string(), z.number()]).optional(),
  currency: z.string().optional(),
  financialTransactionId: z.string().optional(),
  externalId: z.string().min(1),
  payer: party.optional(),
  payee: party.optional(),
  status: z.enum(["PENDING", "SUCCESSFUL", "FAILED"]),
  reason: reason.optional(),
});

const PRODUCT: Record<Direction, "collection" | "disbursement"> = { collect: "collection", payout: "disbursement" };
const PATH: Record<Direction, string> = { collect: "/collection/v1_0/requesttopay", payout: "/disbursement/v1_0/transfer" };
const STATE: Record<string, RailState> = { PENDING: "pending", SUCCESSFUL: "succeeded", FAILED: "failed" };

/** X-Reference-Id for our reference in a direction: the idempotency key MoMo enforces. */
export function momoReferenceId(direction: Direction, reference: string): string {
  return uuidFromReference(`mtn-momo:${direction}`, reference);
}

function toStatus(providerRef: string, direction: Direction, answer: z.infer<typeof statusAnswer>): RailStatus {
  const code = answer.reason === undefined ? undefined : typeof answer.reason === "string" ? answer.reason : answer.reason.code;
  const state = STATE[answer.status]!;
  const who = direction === "collect" ? answer.payer : answer.payee;
  let amount: string | undefined;
  try {
    amount = answer.amount === undefined ? undefined : canonicalAmount(String(answer.amount));
  } catch {
    amount = undefined;
  }
  return {
    providerRef,
    state,
    resultCode: code ?? answer.status,
    resultDesc: code ? (MOMO_REASONS[code] ?? code) : state === "succeeded" ? "Successful." : state === "pending" ? "Waiting for the customer." : "Failed.",
    receipt: state === "succeeded" ? answer.financialTransactionId : undefined,
    amount,
    phone: who?.partyIdType === "MSISDN" ? e164FromDigits(who.partyId) : undefined,
  };
}

export function momoRail(config: MomoConfig): CustodianRail {
  const fetchFn = config.fetch ?? fetch;
  const base = trimSlash(config.baseUrl);
  const tokens = {} as Record<"collection" | "disbursement", TokenCache>;
  for (const product of ["collection", "disbursement"] as const) {
    const creds = config[product];
    tokens[product] = tokenCache(async () => {
      const answer = await callProvider(fetchFn, PROVIDER, `${product} token`, `${base}/${product}/token/`, {
        method: "POST",
        headers: { Authorization: basicAuth(creds.userId, creds.apiKey), "Ocp-Apim-Subscription-Key": creds.subscriptionKey },
      });
      const body = answer.body as { access_token?: string; expires_in?: unknown };
      if (answer.status !== 200 || typeof body?.access_token !== "string") {
        const env = product.toUpperCase();
        throw new ProviderAuthError(PROVIDER, `${product} token`, {
          status: answer.status,
          said: said(answer.body),
          hint: `Check MOMO_${env}_USER_ID, MOMO_${env}_API_KEY and MOMO_${env}_SUBSCRIPTION_KEY`,
        });
      }
      return { accessToken: body.access_token, expiresIn: secondsFrom(body.expires_in) };
    }, config.now);
  }

  const api = async (direction: Direction, call: string, path: string, extra: { json?: unknown; headers?: Record<string, string> } = {}): Promise<ProviderAnswer> => {
    const product = PRODUCT[direction];
    for (let attempt = 0; ; attempt++) {
      const token = await tokens[product].get();
      const answer = await callProvider(fetchFn, PROVIDER, call, `${base}${path}`, {
        method: extra.json === undefined ? "GET" : "POST",
        json: extra.json,
        headers: {
          Authorization: `Bearer ${token}`,
          "Ocp-Apim-Subscription-Key": config[product].subscriptionKey,
          "X-Target-Environment": config.targetEnvironment,
          ...extra.headers,
        },
      });
      if (answer.status === 401 && attempt === 0) {
        tokens[product].invalidate();
        continue;
      }
      return answer;
    }
  };

  const fail = (call: string, answer: ProviderAnswer): never => {
    const body = answer.body as { code?: string; message?: string };
    const Err = answer.status === 401 ? ProviderAuthError : ProviderError;
    throw new Err(PROVIDER, call, { status: answer.status, code: body?.code, said: body?.message ?? said(answer.body) });
  };

  const status = async (direction: Direction, providerRef: string): Promise<RailStatus> => {
    const answer = await api(direction, "status", `${PATH[direction]}/${encodeURIComponent(providerRef)}`);
    const parsed = statusAnswer.safeParse(answer.body);
    if (answer.status !== 200 || !parsed.success) return fail("status", answer);
    return toStatus(providerRef, direction, parsed.data);
  };

  const request = async (direction: Direction, reference: string, phone: `+${string}`, amount: string, message: string): Promise<RailRequestResult> => {
    assertReference(reference);
    const referenceId = momoReferenceId(direction, reference);
    const who = { partyIdType: "MSISDN", partyId: msisdnDigits(phone) };
    const answer = await api(direction, direction === "collect" ? "request to pay" : "transfer", PATH[direction], {
      headers: { "X-Reference-Id": referenceId, "X-Callback-Url": railCallbackUrl(config.callbackBaseUrl, "mtn-momo", direction) },
      json: {
        amount: canonicalAmount(amount),
        currency: config.currency,
        externalId: reference,
        [direction === "collect" ? "payer" : "payee"]: who,
        payerMessage: message.slice(0, 160),
        payeeNote: message.slice(0, 160),
      },
    });
    if (answer.status === 202) return { providerRef: referenceId, state: "pending" };
    if (answer.status === 409) {
      // Already requested under this reference (a retry): answer with what MoMo says about it.
      const { receipt: _receipt, amount: _amount, phone: _phone, ...current } = await status(direction, referenceId);
      return current;
    }
    return fail(direction === "collect" ? "request to pay" : "transfer", answer);
  };

  return {
    id: "mtn-momo",
    currency: config.currency,
    collect: ({ reference, phone, amount, description }) => request("collect", reference, phone, amount, description),
    payout: ({ reference, phone, amount, remarks }) => request("payout", reference, phone, amount, remarks),
    status,
    parseCallback(direction, body) {
      const parsed = statusAnswer.safeParse(body);
      if (!parsed.success) return undefined;
      try {
        assertReference(parsed.data.externalId);
        return toStatus(momoReferenceId(direction, parsed.data.externalId), direction, parsed.data);
      } catch {
        return undefined;
      }
    },
    async statement(from, to) {
      const headers = { Authorization: `Bearer ${await tokens.collection.get()}` };
      return readSandboxStatement(fetchFn, PROVIDER, base, headers, from, to);
    },
    async float() {
      return readSandboxFloat(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.disbursement.get()}` });
    },
  };
}
