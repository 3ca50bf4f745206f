/**
 * A local Orange Money Web Payment API with the same HTTP shapes: `POST /oauth/v3/token` (Basic client
 * id:secret, form grant_type), `POST /orange-money-webpay/{country}/v1/webpayment` answering with a
 * pay_token, a payment_url and a notif_token, `POST …/v1/transactionstatus` (order_id, amount and
 * pay_token), and the notification `{status, notif_token, txnid}` POSTed to notif_url.
 *
 * A web payment carries no customer number (the customer confirms on Orange's page), so for
 * collections the magic value is the amount's last three digits. Payouts use a cash-in endpoint that
 * is modelled, not Orange's (`POST …/v1/cashin`, same style), because Orange publishes no pan-African
 * disbursement API.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { z } from "zod";

import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";
import { basicOf, bearerOf, jsonBody, tokenIssuer } from "./auth.js";
import { createSandboxCore, receipts, type SandboxTx } from "./core.js";
import { isAmount, toUnits } from "./fiat.js";
import type { RailSandbox, RailSandboxOptions } from "./rail.js";

const amountField = z.union([z.number(), z.string()]).transform(String).refine(isAmount, "amount must be a positive decimal");
const webPaymentBody = z.object({
  merchant_key: z.string().min(1),
  currency: z.string().min(3).max(3),
  order_id: z.string().min(1).max(64),
  amount: amountField,
  return_url: z.url(),
  cancel_url: z.url(),
  notif_url: z.url(),
  lang: z.string().min(2).max(5),
  reference: z.string().max(30).optional(),
});
const cashInBody = z.object({
  merchant_key: z.string().min(1),
  currency: z.string().min(3).max(3),
  order_id: z.string().min(1).max(64),
  amount: amountField,
  receiver_msisdn: z.string().regex(/^\d{7,15}$/),
  notif_url: z.url(),
  reference: z.string().max(30).optional(),
});
const statusBody = z.object({ order_id: z.string().min(1), amount: amountField, pay_token: z.string().min(1) });

export interface OrangeSandboxOptions extends RailSandboxOptions {
  credentials?: typeof SANDBOX_CREDENTIALS.orange;
  /** The country segment of the path ("sl", "ci", "sn", …; Orange's development API uses "dev"). */
  country?: string;
}

export function createOrangeSandbox(options: OrangeSandboxOptions = {}): RailSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS.orange;
  const country = options.country ?? "sl";
  const currency = options.currency ?? "SLE";
  const core = createSandboxCore({ ...options, account: `Orange Money merchant ${creds.merchantKey} (${country})`, currency });
  const tokens = tokenIssuer(core.now, 7_776_000);
  const txnIds = receipts("MP", 14);
  const app = new Hono();
  const prefix = `/orange-money-webpay/${country}/v1`;
  const apiError = (c: Context, status: 400 | 401 | 404, code: number, message: string, description: string) => c.json({ code, message, description }, status);

  app.post("/oauth/v3/token", async (c) => {
    const basic = basicOf(c);
    const form = new URLSearchParams(await c.req.text());
    if (!basic || basic.user !== creds.clientId || basic.secret !== creds.clientSecret) {
      return c.json({ error: "invalid_client", error_description: "The requested service needs credentials, but the ones provided were invalid." }, 401);
    }
    if (form.get("grant_type") !== "client_credentials") return c.json({ error: "unsupported_grant_type", error_description: "grant_type must be client_credentials" }, 400);
    const { token, expiresIn } = tokens.issue();
    return c.json({ token_type: "Bearer", access_token: token, expires_in: String(expiresIn) });
  });

  const authorized = async (c: Context) =>
    tokens.valid(bearerOf(c)) ? undefined : apiError(c, 401, 41, "Invalid credentials", "The requested service needs credentials, but the ones provided were invalid.");
  app.use("/orange-money-webpay/*", async (c, next) => (await authorized(c)) ?? next());

  const notification = (url: string) => (tx: SandboxTx) => ({
    url,
    body: { status: tx.state === "succeeded" ? "SUCCESS" : "FAILED", notif_token: tx.data.notif_token, ...(tx.receipt ? { txnid: tx.receipt } : {}) },
  });

  const open = (c: Context, kind: "collect" | "payout", req: { merchant_key: string; currency: string; order_id: string; amount: string; notif_url: string }, msisdn: string) => {
    if (req.merchant_key !== creds.merchantKey) return apiError(c, 401, 1101, "Invalid merchant key", "The merchant_key does not belong to this application.");
    if (req.currency !== currency) return apiError(c, 400, 1102, "Invalid currency", `This merchant account holds ${currency}.`);
    if (core.find((tx) => tx.reference === req.order_id)) return apiError(c, 400, 1103, "Duplicate order_id", "An order with this order_id was already initialised.");
    const payToken = `v1${randomBytes(16).toString("hex")}`;
    const notifToken = randomBytes(16).toString("hex");
    core.open(
      {
        id: payToken,
        direction: kind,
        reference: req.order_id,
        msisdn,
        amount: req.amount,
        magic: kind === "collect" ? req.amount.split(".")[0] : msisdn,
        data: { notif_token: notifToken },
        callback: notification(req.notif_url),
      },
      txnIds,
    );
    return { payToken, notifToken };
  };

  app.post(`${prefix}/webpayment`, async (c) => {
    const parsed = webPaymentBody.safeParse(await jsonBody(c));
    if (!parsed.success) return apiError(c, 400, 1100, "Invalid body", `Invalid ${parsed.error.issues[0]?.path.join(".")}`);
    const opened = open(c, "collect", parsed.data, "");
    if (opened instanceof Response) return opened;
    const origin = new URL(c.req.url).origin;
    return c.json({ status: 201, message: "OK", pay_token: opened.payToken, payment_url: `${origin}/webpay/${opened.payToken}`, notif_token: opened.notifToken }, 201);
  });

  app.post(`${prefix}/cashin`, async (c) => {
    const parsed = cashInBody.safeParse(await jsonBody(c));
    if (!parsed.success) return apiError(c, 400, 1100, "Invalid body", `Invalid ${parsed.error.issues[0]?.path.join(".")}`);
    const opened = open(c, "payout", parsed.data, parsed.data.receiver_msisdn);
    if (opened instanceof Response) return opened;
    return c.json({ status: 201, message: "OK", pay_token: opened.payToken, notif_token: opened.notifToken }, 201);
  });

  app.post(`${prefix}/transactionstatus`, async (c) => {
    const parsed = statusBody.safeParse(await jsonBody(c));
    if (!parsed.success) return apiError(c, 400, 1100, "Invalid body", `Invalid ${parsed.error.issues[0]?.path.join(".")}`);
    const tx = core.get(parsed.data.pay_token);
    if (!tx || tx.reference !== parsed.data.order_id || toUnits(tx.amount) !== toUnits(parsed.data.amount)) {
      return apiError(c, 404, 1104, "Transaction not found", "No transaction has this order_id, amount and pay_token.");
    }
    const status = tx.state === "succeeded" ? "SUCCESS" : tx.state === "pending" ? "PENDING" : tx.failure === "expired" ? "EXPIRED" : "FAILED";
    return c.json({ status, order_id: tx.reference, ...(tx.receipt ? { txnid: tx.receipt } : {}) }, 201);
  });

  app.get("/webpay/:payToken", (c) => {
    const tx = core.get(c.req.param("payToken"));
    if (!tx) return c.text("Unknown payment", 404);
    return c.text(`Orange Money sandbox payment page\norder ${tx.reference}: ${tx.amount} ${tx.currency}\nstate: ${tx.state}\n(the simulated customer answers by itself; see /sandbox/scenarios)\n`);
  });

  core.mountControl(app, authorized);
  return { rail: "orange", app, core };
}
