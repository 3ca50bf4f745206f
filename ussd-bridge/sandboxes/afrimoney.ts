/**
 * A local AfriMoney (Africell, Sierra Leone) merchant API. Africell publishes no merchant API, so this
 * shape is MODELLED on a generic mobile-money merchant API, not copied from anything real: OAuth client
 * credentials at `POST /oauth/token`, `POST /v1/collections` and `POST /v1/payouts` with an
 * Idempotency-Key header (same key and body: the first answer again; same key, other body: 409),
 * `GET /v1/{collections|payouts}/{transaction_id}`, and a callback `{event, data}` POSTed to the
 * request's callback_url. Replace it with Africell's real API when a partnership provides one.
 */
import { createHash, randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { z } from "zod";

import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";
import { bearerOf, jsonBody, tokenIssuer } from "./auth.js";
import { createSandboxCore, receipts, type Direction, type Failure, type SandboxTx } from "./core.js";
import { isAmount } from "./fiat.js";
import type { RailSandbox, RailSandboxOptions } from "./rail.js";

const REASONS: Record<Failure, { code: string; text: string }> = {
  "insufficient-funds": { code: "INSUFFICIENT_FUNDS", text: "The customer's wallet balance is too low." },
  "insufficient-float": { code: "INSUFFICIENT_FLOAT", text: "The merchant account's float is too low for this payout." },
  cancelled: { code: "CANCELLED_BY_CUSTOMER", text: "The customer declined the prompt." },
  expired: { code: "EXPIRED", text: "The customer did not answer in time." },
  "wrong-pin": { code: "WRONG_PIN", text: "The customer entered a wrong PIN." },
  "party-unknown": { code: "WALLET_NOT_FOUND", text: "The number has no AfriMoney wallet." },
  "rejected-credentials": { code: "NOT_ALLOWED", text: "The merchant account may not do this." },
};

const requestBody = z.object({
  reference: z.string().min(1).max(64),
  msisdn: z.string().regex(/^\d{7,15}$/),
  amount: z.string().refine(isAmount, "amount must be a positive decimal string"),
  currency: z.string().length(3),
  description: z.string().max(100).optional(),
  callback_url: z.url(),
});

export interface AfriMoneySandboxOptions extends RailSandboxOptions {
  credentials?: typeof SANDBOX_CREDENTIALS.afrimoney;
}

export function createAfriMoneySandbox(options: AfriMoneySandboxOptions = {}): RailSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS.afrimoney;
  const currency = options.currency ?? "SLE";
  const core = createSandboxCore({ ...options, account: "AfriMoney merchant account (modelled API)", currency });
  const tokens = tokenIssuer(core.now, 3600);
  const receiptIds = receipts("AFM", 12);
  const idempotency = new Map<string, { hash: string; id: string }>();
  const app = new Hono();

  app.post("/oauth/token", async (c) => {
    const body = (await jsonBody(c)) as { client_id?: string; client_secret?: string; grant_type?: string } | undefined;
    if (body?.grant_type !== "client_credentials") return c.json({ error: "unsupported_grant_type", error_description: "grant_type must be client_credentials" }, 400);
    if (body.client_id !== creds.clientId || body.client_secret !== creds.clientSecret) {
      return c.json({ error: "invalid_client", error_description: "Unknown client or wrong secret" }, 401);
    }
    const { token, expiresIn } = tokens.issue();
    return c.json({ access_token: token, token_type: "Bearer", expires_in: expiresIn });
  });

  const authorized = async (c: Context) => (tokens.valid(bearerOf(c)) ? undefined : c.json({ error: "invalid_token", error_description: "The access token is missing, invalid or expired" }, 401));
  app.use("/v1/*", async (c, next) => (await authorized(c)) ?? next());

  const view = (tx: SandboxTx) => ({
    transaction_id: tx.id,
    reference: tx.reference,
    type: tx.direction === "collect" ? "collection" : "payout",
    status: tx.state === "succeeded" ? "SUCCESSFUL" : tx.state === "failed" ? "FAILED" : "PENDING",
    ...(tx.failure ? { reason_code: REASONS[tx.failure].code, reason: REASONS[tx.failure].text } : {}),
    ...(tx.receipt ? { receipt: tx.receipt } : {}),
    amount: tx.amount,
    currency: tx.currency,
    msisdn: tx.msisdn,
    created_at: new Date(tx.createdAt).toISOString(),
    ...(tx.settledAt ? { completed_at: new Date(tx.settledAt).toISOString() } : {}),
  });

  const create = (direction: Direction) => async (c: Context) => {
    const key = c.req.header("idempotency-key");
    if (!key) return c.json({ error: "idempotency_key_required", message: "Send an Idempotency-Key header (your unique reference)." }, 400);
    const raw = await jsonBody(c);
    const parsed = requestBody.safeParse(raw);
    if (!parsed.success) return c.json({ error: "invalid_request", message: `Invalid ${parsed.error.issues[0]?.path.join(".")}` }, 400);
    const req = parsed.data;
    if (req.currency !== currency) return c.json({ error: "invalid_currency", message: `This merchant account holds ${currency}.` }, 400);
    const hash = createHash("sha256").update(`${direction}:${JSON.stringify(req)}`).digest("hex");
    const seen = idempotency.get(key);
    if (seen) {
      if (seen.hash !== hash) return c.json({ error: "idempotency_key_reused", message: "This Idempotency-Key was used with a different request." }, 409);
      const tx = core.get(seen.id)!;
      return c.json({ transaction_id: tx.id, reference: tx.reference, status: "PENDING" }, 202);
    }
    const id = `AFM-${randomBytes(8).toString("hex")}`;
    idempotency.set(key, { hash, id });
    core.open(
      {
        id,
        direction,
        reference: req.reference,
        msisdn: req.msisdn,
        amount: req.amount,
        callback: (tx) => ({ url: req.callback_url, body: { event: `${direction === "collect" ? "collection" : "payout"}.completed`, data: view(tx) } }),
      },
      receiptIds,
    );
    return c.json({ transaction_id: id, reference: req.reference, status: "PENDING" }, 202);
  };

  const read = (direction: Direction) => (c: Context) => {
    const tx = core.get(c.req.param("id") ?? "");
    if (!tx || tx.direction !== direction) return c.json({ error: "not_found", message: "No such transaction." }, 404);
    return c.json(view(tx));
  };

  app.post("/v1/collections", create("collect"));
  app.post("/v1/payouts", create("payout"));
  app.get("/v1/collections/:id", read("collect"));
  app.get("/v1/payouts/:id", read("payout"));
  core.mountControl(app, authorized);
  return { rail: "afrimoney", app, core };
}
