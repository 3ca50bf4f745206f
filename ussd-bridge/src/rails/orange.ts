/**
 * Orange Money through Orange's Web Payment API.
 *
 * - collect: `POST /orange-money-webpay/{country}/v1/webpayment` → pay_token, payment_url, notif_token.
 *   The customer confirms on Orange's payment page (payment_url) or, where Orange offers it, with an
 *   OTP from the Orange Money USSD menu; `paymentUrl(reference)` gives the page to send them.
 * - status: `POST …/v1/transactionstatus` with order_id, amount and pay_token;
 * - notification: `{status, notif_token, txnid}` POSTed to notif_url. It names no order, so notif_url
 *   carries `?order_id=` and the callback router hands the query to parseCallback.
 * - payout: Orange publishes no pan-African disbursement API; `POST …/v1/cashin` is MODELLED on the
 *   web payment's style (see docs/rails.md), to be replaced by the country's cash-in API.
 * - auth: `POST /oauth/v3/token` with Basic client id:secret and `grant_type=client_credentials`.
 *
 * order_id is our reference and the providerRef. The status query needs the pay_token, which only the
 * first answer gives, so the adapter keeps it in RailMemory (the bridge's database in production,
 * shared with the attester); the same memory makes a repeated reference return the first answer.
 */
import { z } from "zod";

import type { E164 } from "../../../sdk/phone.js";
import type { RailRequestResult, RailState, RailStatus } from "../ports.js";
import { canonicalAmount } from "./amount.js";
import { callbackQuery, railCallbackUrl, type Direction } from "./callbacks.js";
import { readSandboxFloat, readSandboxStatement, type CustodianRail } from "./custodian.js";
import { basicAuth, callProvider, ProviderAuthError, ProviderError, said, trimSlash, type Fetch, type ProviderAnswer } from "./http.js";
import { memoryRailMemory, rememberedAnswer, sendOnce, type RailMemory } from "./memory.js";
import { msisdnDigits } from "./msisdn.js";
import { assertReference } from "./reference.js";
import { secondsFrom, tokenCache } from "./token.js";

const PROVIDER = "Orange Money";

const STATE: Readonly<Record<string, RailState>> = {
  INITIATED: "pending",
  PENDING: "pending",
  SUCCESS: "succeeded",
  FAILED: "failed",
  EXPIRED: "failed",
  CANCELLED: "failed",
};
const DESCRIPTION: Readonly<Record<string, string>> = {
  INITIATED: "Waiting for the customer to open Orange's payment page.",
  PENDING: "Waiting for the customer to confirm.",
  SUCCESS: "Paid.",
  FAILED: "The payment failed (Orange gives no reason).",
  EXPIRED: "The customer did not confirm before the payment expired.",
  CANCELLED: "The customer cancelled the payment.",
};

export interface OrangeConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantKey: string;
  /** The country segment of Orange's paths: "sl", "ci", "sn", "cm", … ("dev" on Orange's development API). */
  country: string;
  currency: string;
  lang?: string;
  /** Where Orange's page sends the customer afterwards (default: the bridge's base). */
  returnUrl?: string;
  cancelUrl?: string;
  callbackBaseUrl: string;
  memory?: RailMemory;
  fetch?: Fetch;
  now?: () => number;
}

interface Sent {
  providerRef: string;
  state: RailState;
  resultDesc: string;
  payToken: string;
  amount: string;
  paymentUrl?: string;
}

const notification = z.object({ status: z.string().min(1), notif_token: z.string().min(1), txnid: z.string().optional() });
const statusAnswer = z.object({ status: z.string().min(1), order_id: z.string().optional(), txnid: z.string().optional() });
const initAnswer = z.object({ pay_token: z.string().min(1), notif_token: z.string().optional(), payment_url: z.string().optional() });

export interface OrangeRail extends CustodianRail {
  /** Orange's payment page for a collection this adapter requested (to send to the customer). */
  paymentUrl(reference: string): Promise<string | undefined>;
}

export function orangeRail(config: OrangeConfig): OrangeRail {
  const fetchFn = config.fetch ?? fetch;
  const base = trimSlash(config.baseUrl);
  const prefix = `/orange-money-webpay/${config.country}/v1`;
  const memory = config.memory ?? memoryRailMemory();
  const key = (direction: Direction, reference: string) => `rails:orange:${direction}:${reference}`;
  const tokens = tokenCache(async () => {
    const answer = await callProvider(fetchFn, PROVIDER, "OAuth token", `${base}/oauth/v3/token`, {
      headers: { Authorization: basicAuth(config.clientId, config.clientSecret) },
      form: { grant_type: "client_credentials" },
    });
    const body = answer.body as { access_token?: string; expires_in?: unknown; error?: string; error_description?: string };
    if (answer.status !== 200 || typeof body?.access_token !== "string") {
      throw new ProviderAuthError(PROVIDER, "OAuth token", {
        status: answer.status,
        code: body?.error,
        said: body?.error_description ?? said(answer.body),
        hint: "Check ORANGE_CLIENT_ID and ORANGE_CLIENT_SECRET",
      });
    }
    return { accessToken: body.access_token, expiresIn: secondsFrom(body.expires_in) };
  }, config.now);

  const api = async (call: string, path: string, json: unknown): Promise<ProviderAnswer> => {
    for (let attempt = 0; ; attempt++) {
      const answer = await callProvider(fetchFn, PROVIDER, call, `${base}${prefix}${path}`, { headers: { Authorization: `Bearer ${await tokens.get()}` }, json });
      if (answer.status === 401 && attempt === 0 && (answer.body as { code?: number })?.code === 41) {
        tokens.invalidate();
        continue;
      }
      return answer;
    }
  };
  const fail = (call: string, answer: ProviderAnswer, hint?: string): never => {
    const body = answer.body as { code?: number | string; message?: string; description?: string };
    throw new ProviderError(PROVIDER, call, {
      status: answer.status,
      code: body?.code === undefined ? undefined : String(body.code),
      said: body?.message ? `${body.message}${body.description ? ` (${body.description})` : ""}` : said(answer.body),
      hint,
    });
  };

  const initiate = async (direction: Direction, reference: string, amount: string, body: Record<string, unknown>): Promise<RailRequestResult> => {
    assertReference(reference);
    const canonical = canonicalAmount(amount);
    const sent = await sendOnce(memory, key(direction, reference), PROVIDER, async (): Promise<Sent> => {
      const call = direction === "collect" ? "web payment" : "cash-in";
      const answer = await api(call, direction === "collect" ? "/webpayment" : "/cashin", {
        merchant_key: config.merchantKey,
        currency: config.currency,
        order_id: reference,
        amount: Number(canonical),
        notif_url: railCallbackUrl(config.callbackBaseUrl, "orange", direction, { order_id: reference }),
        reference: "JuaPesa",
        ...body,
      });
      const parsed = initAnswer.safeParse(answer.body);
      if (answer.status !== 201 && answer.status !== 200) return fail(call, answer, "Check ORANGE_MERCHANT_KEY, ORANGE_COUNTRY and ORANGE_CURRENCY");
      if (!parsed.success) return fail(call, answer);
      return {
        providerRef: reference,
        state: "pending",
        resultDesc: direction === "collect" ? DESCRIPTION.INITIATED! : DESCRIPTION.PENDING!,
        payToken: parsed.data.pay_token,
        amount: canonical,
        paymentUrl: parsed.data.payment_url,
      };
    });
    return { providerRef: sent.providerRef, state: sent.state, resultDesc: sent.resultDesc };
  };

  const toState = (status: string): RailState | undefined => STATE[status.toUpperCase()];

  return {
    id: "orange",
    currency: config.currency,

    collect: ({ reference, amount }) =>
      initiate("collect", reference, amount, {
        return_url: config.returnUrl ?? config.callbackBaseUrl,
        cancel_url: config.cancelUrl ?? config.callbackBaseUrl,
        lang: config.lang ?? "en",
      }),

    payout: ({ reference, phone, amount }: { reference: string; phone: E164; amount: string }) => initiate("payout", reference, amount, { receiver_msisdn: msisdnDigits(phone) }),

    async status(direction, providerRef): Promise<RailStatus> {
      const sent = await rememberedAnswer<Sent>(memory, key(direction, providerRef));
      if (!sent) {
        throw new ProviderError(PROVIDER, "status", {
          said: "no pay_token is remembered for this order",
          hint: "Orange's status query needs the pay_token of the first answer: give every process that asks Orange the same RailMemory (dbRailMemory)",
        });
      }
      const answer = await api("transaction status", "/transactionstatus", { order_id: providerRef, amount: Number(sent.amount), pay_token: sent.payToken });
      const parsed = statusAnswer.safeParse(answer.body);
      if ((answer.status !== 200 && answer.status !== 201) || !parsed.success) return fail("transaction status", answer);
      const code = parsed.data.status.toUpperCase();
      const state = toState(code) ?? "pending";
      return { providerRef, state, resultCode: code, resultDesc: DESCRIPTION[code] ?? code, receipt: state === "succeeded" ? parsed.data.txnid : undefined };
    },

    parseCallback(_direction, body, headers) {
      const parsed = notification.safeParse(body);
      const orderId = callbackQuery(headers).get("order_id");
      if (!parsed.success || !orderId) return undefined;
      try {
        assertReference(orderId);
      } catch {
        return undefined;
      }
      const code = parsed.data.status.toUpperCase();
      const state = toState(code);
      if (!state) return undefined;
      // The notif_token proves nothing without the one Orange gave us; status() is what is trusted.
      return { providerRef: orderId, state, resultCode: code, resultDesc: DESCRIPTION[code], receipt: state === "succeeded" ? parsed.data.txnid : undefined };
    },

    async statement(from, to) {
      return readSandboxStatement(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` }, from, to, (line) => line.reference ?? line.providerRef);
    },

    async float() {
      return readSandboxFloat(fetchFn, PROVIDER, base, { Authorization: `Bearer ${await tokens.get()}` });
    },

    async paymentUrl(reference) {
      return (await rememberedAnswer<Sent>(memory, key("collect", reference)))?.paymentUrl;
    },
  };
}
