/**
 * M-Pesa through Safaricom's Daraja API.
 *
 * - collect: M-Pesa Express (STK push) `POST /mpesa/stkpush/v1/processrequest`; its result comes to
 *   CallBackURL as `Body.stkCallback`, and `POST /mpesa/stkpushquery/v1/query` asks for it.
 * - payout: B2C `POST /mpesa/b2c/v1/paymentrequest`; the result comes to ResultURL as `Result`.
 *   Its status is asked with the Transaction Status API, which Daraja also answers at a ResultURL:
 *   `status("payout")` sends the query, then waits (statusWaitMs) for that answer to reach
 *   `parseCallback`, which the bridge's callback router feeds.
 * - auth: `GET /oauth/v1/generate?grant_type=client_credentials` with Basic consumer key:secret.
 *
 * Neither STK push nor B2C v1 takes an idempotency key, so the adapter remembers every reference it
 * sent (RailMemory) and never sends one twice (see `sendOnce`).
 */
import { z } from "zod";

import type { RailRequestResult, RailState, RailStatus } from "../ports.js";
import { canonicalAmount, wholeAmount } from "./amount.js";
import { callbackQuery, railCallbackUrl, type Direction } from "./callbacks.js";
import { readSandboxFloat, readSandboxStatement, type CustodianRail } from "./custodian.js";
import { basicAuth, callProvider, ProviderAuthError, ProviderError, said, trimSlash, type Fetch, type ProviderAnswer } from "./http.js";
import { memoryRailMemory, sendOnce, type RailMemory } from "./memory.js";
import { e164FromDigits, msisdnDigits } from "./msisdn.js";
import { assertReference, shortCode } from "./reference.js";
import { compactTimestamp } from "./time.js";
import { secondsFrom, tokenCache } from "./token.js";

const PROVIDER = "M-Pesa (Daraja)";
/** Daraja's timestamps are East Africa Time. */
const EAT = 3;

/**
 * Daraja result codes for STK push and B2C results, with what they mean for us. Sources: Safaricom's
 * STK push guide and the community catalogues cited in docs/rails.md.
 */
export const MPESA_RESULT_CODES: Readonly<Record<string, { state: RailState; desc: string }>> = {
  "0": { state: "succeeded", desc: "The service request is processed successfully." },
  "1": { state: "failed", desc: "The balance is insufficient for the transaction." },
  "17": { state: "failed", desc: "M-Pesa could not process the request (system internal error); retry after a minute." },
  "26": { state: "failed", desc: "M-Pesa is busy; retry after a minute." },
  "1001": { state: "failed", desc: "Unable to lock subscriber: the customer has another M-Pesa transaction in progress." },
  "1019": { state: "failed", desc: "The transaction expired before the customer answered." },
  "1025": { state: "failed", desc: "An error occurred while sending the push request to the phone." },
  "9999": { state: "failed", desc: "An error occurred while sending the push request to the phone." },
  "1032": { state: "failed", desc: "Request cancelled by the customer." },
  "1037": { state: "failed", desc: "The customer's phone could not be reached (DS timeout)." },
  "2001": { state: "failed", desc: "Wrong PIN, or invalid initiator information." },
  "2040": { state: "failed", desc: "The receiving party cannot receive this payment (unregistered customer)." },
};

export function mpesaResult(code: string | number, fallbackDesc?: string): { state: RailState; resultCode: string; resultDesc: string } {
  const known = MPESA_RESULT_CODES[String(code)];
  return { state: known?.state ?? "failed", resultCode: String(code), resultDesc: known?.desc ?? fallbackDesc ?? `M-Pesa result code ${code}` };
}

export interface MpesaConfig {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** The paybill (or store number) that receives STK payments. */
  shortcode: string;
  passkey: string;
  transactionType?: "CustomerPayBillOnline" | "CustomerBuyGoodsOnline";
  /** PartyB for Buy Goods (the till); the shortcode for a paybill. */
  till?: string;
  /** The B2C shortcode that pays out. */
  b2cShortcode: string;
  initiatorName: string;
  /** The initiator password encrypted with Safaricom's certificate, as the portal gives it. */
  securityCredential: string;
  callbackBaseUrl: string;
  /** Where Transaction Status answers go (default callbackBaseUrl); that process must feed parseCallback. */
  statusCallbackBaseUrl?: string;
  /** How long `status("payout")` waits for the Transaction Status answer (default 30 s). */
  statusWaitMs?: number;
  memory?: RailMemory;
  fetch?: Fetch;
  now?: () => number;
}

const stkCallback = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: z.string(),
      CheckoutRequestID: z.string().min(1),
      ResultCode: z.union([z.number(), z.string()]),
      ResultDesc: z.string(),
      CallbackMetadata: z.object({ Item: z.array(z.object({ Name: z.string(), Value: z.union([z.string(), z.number()]).optional() })) }).optional(),
    }),
  }),
});

const resultParameter = z.object({ Key: z.string(), Value: z.union([z.string(), z.number()]).optional() });
const darajaResult = z.object({
  Result: z.object({
    ResultType: z.union([z.number(), z.string()]).optional(),
    ResultCode: z.union([z.number(), z.string()]),
    ResultDesc: z.string(),
    OriginatorConversationID: z.string().min(1),
    ConversationID: z.string().min(1),
    TransactionID: z.string().optional(),
    ResultParameters: z.object({ ResultParameter: z.union([z.array(resultParameter), resultParameter]) }).optional(),
  }),
});

const darajaError = z.object({ errorCode: z.string(), errorMessage: z.string() });

function items(list: Array<{ Name?: string; Key?: string; Value?: string | number }> | { Key: string; Value?: string | number } | undefined) {
  const map = new Map<string, string>();
  for (const item of Array.isArray(list) ? list : list ? [list] : []) {
    const name = "Name" in item ? item.Name : item.Key;
    if (name && item.Value !== undefined && item.Value !== "") map.set(name, String(item.Value));
  }
  return map;
}

function amountOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return canonicalAmount(String(Number(value)));
  } catch {
    return undefined;
  }
}

export function mpesaRail(config: MpesaConfig): CustodianRail {
  const fetchFn = config.fetch ?? fetch;
  const now = config.now ?? Date.now;
  const base = trimSlash(config.baseUrl);
  const memory = config.memory ?? memoryRailMemory();
  const statusWaitMs = config.statusWaitMs ?? 30_000;
  const tokens = tokenCache(async () => {
    const answer = await callProvider(fetchFn, PROVIDER, "OAuth token", `${base}/oauth/v1/generate?grant_type=client_credentials`, {
      headers: { Authorization: basicAuth(config.consumerKey, config.consumerSecret) },
    });
    const body = answer.body as { access_token?: string; expires_in?: unknown; errorCode?: string; errorMessage?: string };
    if (answer.status !== 200 || typeof body?.access_token !== "string") {
      throw new ProviderAuthError(PROVIDER, "OAuth token", {
        status: answer.status,
        code: body?.errorCode,
        said: body?.errorMessage ?? said(answer.body),
        hint: "Check MPESA_CONSUMER_KEY and MPESA_CONSUMER_SECRET (and that they belong to this environment's app)",
      });
    }
    return { accessToken: body.access_token, expiresIn: secondsFrom(body.expires_in) };
  }, now);

  /** A Daraja call with the bearer token; a refused token is renewed once. */
  const api = async (call: string, path: string, json: unknown): Promise<ProviderAnswer> => {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const answer = await callProvider(fetchFn, PROVIDER, call, `${base}${path}`, { headers: { Authorization: `Bearer ${token}` }, json });
      if (answer.status === 401 && attempt === 0) {
        tokens.invalidate();
        continue;
      }
      return answer;
    }
  };
  const fail = (call: string, answer: ProviderAnswer, hint?: string): never => {
    const parsed = darajaError.safeParse(answer.body);
    const Err = answer.status === 401 ? ProviderAuthError : ProviderError;
    throw new Err(PROVIDER, call, {
      status: answer.status,
      code: parsed.success ? parsed.data.errorCode : undefined,
      said: parsed.success ? parsed.data.errorMessage : said(answer.body),
      hint,
    });
  };
  const stkAuth = () => {
    const timestamp = compactTimestamp(now(), EAT);
    return { BusinessShortCode: config.shortcode, Password: Buffer.from(`${config.shortcode}${config.passkey}${timestamp}`).toString("base64"), Timestamp: timestamp };
  };

  // Transaction Status answers arrive as callbacks; status() waits for them here.
  const waiting = new Map<string, (status: RailStatus) => void>();
  const arrived = new Map<string, RailStatus>();
  const statusUrl = railCallbackUrl(config.statusCallbackBaseUrl ?? config.callbackBaseUrl, "mpesa", "payout", { kind: "status" });

  const fromResult = (result: z.infer<typeof darajaResult>["Result"], isStatusQuery: boolean): RailStatus => {
    const params = items(result.ResultParameters?.ResultParameter);
    const code = String(result.ResultCode);
    if (isStatusQuery) {
      const original = params.get("OriginatorConversationID") ?? "";
      let outcome = mpesaResult(code, result.ResultDesc);
      if (code === "0") {
        const status = params.get("TransactionStatus") ?? "";
        const state: RailState = status === "Completed" ? "succeeded" : status === "Failed" || status === "Cancelled" ? "failed" : "pending";
        outcome = { state, resultCode: code, resultDesc: state === "succeeded" ? outcome.resultDesc : `Transaction status: ${status || "unknown"}` };
      }
      return { providerRef: original, ...outcome, receipt: params.get("ReceiptNo"), amount: amountOf(params.get("Amount")) };
    }
    const outcome = mpesaResult(code, result.ResultDesc);
    const party = params.get("ReceiverPartyPublicName")?.split(" - ")[0];
    return {
      providerRef: result.OriginatorConversationID,
      ...outcome,
      resultDesc: result.ResultDesc || outcome.resultDesc,
      receipt: outcome.state === "succeeded" ? (params.get("TransactionReceipt") ?? result.TransactionID) : undefined,
      amount: amountOf(params.get("TransactionAmount")),
      phone: party ? e164FromDigits(party) : undefined,
    };
  };

  const rail: CustodianRail = {
    id: "mpesa",
    currency: "KES",

    async collect({ reference, phone, amount, description }) {
      assertReference(reference);
      const whole = wholeAmount(amount, PROVIDER);
      return sendOnce(memory, `rails:mpesa:collect:${reference}`, PROVIDER, async (): Promise<RailRequestResult> => {
        const answer = await api("STK push", "/mpesa/stkpush/v1/processrequest", {
          ...stkAuth(),
          TransactionType: config.transactionType ?? "CustomerPayBillOnline",
          Amount: whole,
          PartyA: msisdnDigits(phone),
          PartyB: config.till ?? config.shortcode,
          PhoneNumber: msisdnDigits(phone),
          CallBackURL: railCallbackUrl(config.callbackBaseUrl, "mpesa", "collect"),
          // Shown to the customer in the prompt and kept in the statement: derived, so it finds the request.
          AccountReference: shortCode("JP", reference, 12),
          TransactionDesc: description.slice(0, 13) || "JuaPesa",
        });
        const body = answer.body as { CheckoutRequestID?: string; ResponseCode?: string; ResponseDescription?: string };
        if (answer.status !== 200 || typeof body?.CheckoutRequestID !== "string") return fail("STK push", answer, "Check MPESA_SHORTCODE and MPESA_PASSKEY");
        return {
          providerRef: body.CheckoutRequestID,
          state: body.ResponseCode === "0" ? "pending" : "failed",
          resultCode: body.ResponseCode,
          resultDesc: body.ResponseDescription,
        };
      });
    },

    async payout({ reference, phone, amount, remarks }) {
      assertReference(reference);
      const whole = wholeAmount(amount, PROVIDER);
      return sendOnce(memory, `rails:mpesa:payout:${reference}`, PROVIDER, async (): Promise<RailRequestResult> => {
        const answer = await api("B2C payment", "/mpesa/b2c/v1/paymentrequest", {
          InitiatorName: config.initiatorName,
          SecurityCredential: config.securityCredential,
          CommandID: "BusinessPayment",
          Amount: whole,
          PartyA: config.b2cShortcode,
          PartyB: msisdnDigits(phone),
          Remarks: remarks.slice(0, 100).padEnd(2, "."),
          QueueTimeOutURL: railCallbackUrl(config.callbackBaseUrl, "mpesa", "payout", { kind: "timeout" }),
          ResultURL: railCallbackUrl(config.callbackBaseUrl, "mpesa", "payout"),
          Occasion: reference,
        });
        const body = answer.body as { OriginatorConversationID?: string; ResponseCode?: string; ResponseDescription?: string };
        if (answer.status !== 200 || typeof body?.OriginatorConversationID !== "string") {
          return fail("B2C payment", answer, "Check MPESA_B2C_SHORTCODE, MPESA_INITIATOR_NAME and MPESA_SECURITY_CREDENTIAL");
        }
        return {
          providerRef: body.OriginatorConversationID,
          state: body.ResponseCode === "0" ? "pending" : "failed",
          resultCode: body.ResponseCode,
          resultDesc: body.ResponseDescription,
        };
      });
    },

    async status(direction, providerRef) {
      if (direction === "collect") {
        const answer = await api("STK query", "/mpesa/stkpushquery/v1/query", { ...stkAuth(), CheckoutRequestID: providerRef });
        const error = darajaError.safeParse(answer.body);
        // Daraja answers a query about an unfinished push with this error rather than a result.
        if (error.success && error.data.errorCode === "500.001.1001") return { providerRef, state: "pending", resultDesc: error.data.errorMessage };
        const body = answer.body as { ResultCode?: string | number; ResultDesc?: string; CheckoutRequestID?: string };
        if (answer.status !== 200 || body?.ResultCode === undefined) return fail("STK query", answer);
        // The query carries no receipt or amount; those come in the callback and the statement.
        return { providerRef, ...mpesaResult(body.ResultCode, body.ResultDesc), resultDesc: body.ResultDesc ?? mpesaResult(body.ResultCode).resultDesc };
      }
      const answer = await api("transaction status", "/mpesa/transactionstatus/v1/query", {
        Initiator: config.initiatorName,
        SecurityCredential: config.securityCredential,
        CommandID: "TransactionStatusQuery",
        OriginalConversationID: providerRef,
        PartyA: config.b2cShortcode,
        IdentifierType: "4",
        ResultURL: statusUrl,
        QueueTimeOutURL: statusUrl,
        Remarks: "status",
        Occasion: providerRef,
      });
      const body = answer.body as { ConversationID?: string };
      if (answer.status !== 200 || typeof body?.ConversationID !== "string") return fail("transaction status", answer);
      const conversationId = body.ConversationID;
      const early = arrived.get(conversationId);
      if (early) {
        arrived.delete(conversationId);
        return early;
      }
      return new Promise<RailStatus>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(conversationId);
          resolve({ providerRef, state: "pending", resultDesc: "no answer from Daraja's Transaction Status API yet" });
        }, statusWaitMs);
        waiting.set(conversationId, (status) => {
          clearTimeout(timer);
          waiting.delete(conversationId);
          resolve(status);
        });
      });
    },

    parseCallback(direction: Direction, body: unknown, headers: Record<string, string>) {
      if (direction === "collect") {
        const parsed = stkCallback.safeParse(body);
        if (!parsed.success) return undefined;
        const stk = parsed.data.Body.stkCallback;
        const meta = items(stk.CallbackMetadata?.Item);
        const outcome = mpesaResult(stk.ResultCode, stk.ResultDesc);
        const phone = meta.get("PhoneNumber");
        return {
          providerRef: stk.CheckoutRequestID,
          ...outcome,
          resultDesc: stk.ResultDesc || outcome.resultDesc,
          receipt: outcome.state === "succeeded" ? meta.get("MpesaReceiptNumber") : undefined,
          amount: amountOf(meta.get("Amount")),
          phone: phone ? e164FromDigits(phone) : undefined,
        };
      }
      const parsed = darajaResult.safeParse(body);
      if (!parsed.success) return undefined;
      if (callbackQuery(headers).get("kind") === "status") {
        // Our own Transaction Status query answering: hand it to the waiting status() call; it is
        // not a rail event, so the bridge gets nothing to act on.
        const status = fromResult(parsed.data.Result, true);
        const resolve = waiting.get(parsed.data.Result.ConversationID);
        if (resolve) resolve(status);
        else {
          arrived.set(parsed.data.Result.ConversationID, status);
          if (arrived.size > 1000) arrived.delete(arrived.keys().next().value!);
        }
        return undefined;
      }
      return fromResult(parsed.data.Result, false);
    },

    async statement(from, to) {
      return readSandboxStatement(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` }, from, to);
    },

    async float() {
      return readSandboxFloat(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` });
    },
  };
  return rail;
}

