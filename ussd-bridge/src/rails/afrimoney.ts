/**
 * AfriMoney (Africell, Sierra Leone). Africell publishes no merchant API, so this adapter speaks a
 * MODELLED generic merchant API (see sandboxes/afrimoney.ts and docs/rails.md): OAuth client
 * credentials, `POST /v1/collections` and `POST /v1/payouts` with our reference as Idempotency-Key,
 * status by `GET /v1/{collections|payouts}/{transaction_id}`, and a callback `{event, data}` to the
 * callback_url of the request. Everything specific to it stays in this file, so the real API, when a
 * partnership gives one, replaces one adapter and one sandbox.
 */
import { z } from "zod";

import type { RailRequestResult, RailState, RailStatus } from "../ports.js";
import { canonicalAmount } from "./amount.js";
import { railCallbackUrl, type Direction } from "./callbacks.js";
import { readSandboxFloat, readSandboxStatement, type CustodianRail } from "./custodian.js";
import { callProvider, ProviderAuthError, ProviderError, said, trimSlash, type Fetch, type ProviderAnswer } from "./http.js";
import { e164FromDigits, msisdnDigits } from "./msisdn.js";
import { assertReference } from "./reference.js";
import { secondsFrom, tokenCache } from "./token.js";

const PROVIDER = "AfriMoney";
const STATE: Readonly<Record<string, RailState>> = { PENDING: "pending", SUCCESSFUL: "succeeded", FAILED: "failed" };
const PATH: Record<Direction, string> = { collect: "/v1/collections", payout: "/v1/payouts" };

export interface AfriMoneyConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  currency: string;
  callbackBaseUrl: string;
  fetch?: Fetch;
  now?: () => number;
}

const transaction = z.object({
  transaction_id: z.string().min(1),
  reference: z.string().optional(),
  status: z.enum(["PENDING", "SUCCESSFUL", "FAILED"]),
  reason_code: z.string().optional(),
  reason: z.string().optional(),
  receipt: z.string().optional(),
  amount: z.string().optional(),
  msisdn: z.string().optional(),
});
const callbackBody = z.object({ event: z.enum(["collection.completed", "payout.completed"]), data: transaction });

function toStatus(tx: z.infer<typeof transaction>): RailStatus {
  const state = STATE[tx.status]!;
  let amount: string | undefined;
  try {
    amount = tx.amount === undefined ? undefined : canonicalAmount(tx.amount);
  } catch {
    amount = undefined;
  }
  return {
    providerRef: tx.transaction_id,
    state,
    resultCode: tx.reason_code ?? tx.status,
    resultDesc: tx.reason ?? (state === "succeeded" ? "Successful." : state === "pending" ? "Waiting for the customer." : "Failed."),
    receipt: state === "succeeded" ? tx.receipt : undefined,
    amount,
    phone: tx.msisdn ? e164FromDigits(tx.msisdn) : undefined,
  };
}

export function afriMoneyRail(config: AfriMoneyConfig): CustodianRail {
  const fetchFn = config.fetch ?? fetch;
  const base = trimSlash(config.baseUrl);
  const tokens = tokenCache(async () => {
    const answer = await callProvider(fetchFn, PROVIDER, "OAuth token", `${base}/oauth/token`, {
      json: { client_id: config.clientId, client_secret: config.clientSecret, grant_type: "client_credentials" },
    });
    const body = answer.body as { access_token?: string; expires_in?: unknown; error?: string; error_description?: string };
    if (answer.status !== 200 || typeof body?.access_token !== "string") {
      throw new ProviderAuthError(PROVIDER, "OAuth token", {
        status: answer.status,
        code: body?.error,
        said: body?.error_description ?? said(answer.body),
        hint: "Check AFRIMONEY_CLIENT_ID and AFRIMONEY_CLIENT_SECRET",
      });
    }
    return { accessToken: body.access_token, expiresIn: secondsFrom(body.expires_in) };
  }, config.now);

  const api = async (call: string, path: string, extra: { json?: unknown; headers?: Record<string, string> } = {}): Promise<ProviderAnswer> => {
    for (let attempt = 0; ; attempt++) {
      const answer = await callProvider(fetchFn, PROVIDER, call, `${base}${path}`, {
        method: extra.json === undefined ? "GET" : "POST",
        json: extra.json,
        headers: { Authorization: `Bearer ${await tokens.get()}`, ...extra.headers },
      });
      if (answer.status === 401 && attempt === 0) {
        tokens.invalidate();
        continue;
      }
      return answer;
    }
  };
  const fail = (call: string, answer: ProviderAnswer): never => {
    const body = answer.body as { error?: string; message?: string };
    throw new ProviderError(PROVIDER, call, { status: answer.status, code: body?.error, said: body?.message ?? said(answer.body) });
  };

  const request = async (direction: Direction, reference: string, phone: `+${string}`, amount: string, text: string): Promise<RailRequestResult> => {
    assertReference(reference);
    const call = direction === "collect" ? "collection" : "payout";
    const answer = await api(call, PATH[direction], {
      headers: { "Idempotency-Key": reference },
      json: {
        reference,
        msisdn: msisdnDigits(phone),
        amount: canonicalAmount(amount),
        currency: config.currency,
        description: text.slice(0, 100),
        callback_url: railCallbackUrl(config.callbackBaseUrl, "afrimoney", direction),
      },
    });
    const body = answer.body as { transaction_id?: string };
    if (answer.status !== 202 || typeof body?.transaction_id !== "string") return fail(call, answer);
    return { providerRef: body.transaction_id, state: "pending" };
  };

  return {
    id: "afrimoney",
    currency: config.currency,
    collect: ({ reference, phone, amount, description }) => request("collect", reference, phone, amount, description),
    payout: ({ reference, phone, amount, remarks }) => request("payout", reference, phone, amount, remarks),
    async status(direction, providerRef) {
      const answer = await api("status", `${PATH[direction]}/${encodeURIComponent(providerRef)}`);
      const parsed = transaction.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) return fail("status", answer);
      return toStatus(parsed.data);
    },
    parseCallback(direction, body) {
      const parsed = callbackBody.safeParse(body);
      if (!parsed.success) return undefined;
      if ((parsed.data.event === "collection.completed") !== (direction === "collect")) return undefined;
      return toStatus(parsed.data.data);
    },
    async statement(from, to) {
      return readSandboxStatement(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` }, from, to);
    },
    async float() {
      return readSandboxFloat(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` });
    },
  };
}
