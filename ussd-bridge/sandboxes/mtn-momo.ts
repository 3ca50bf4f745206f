/**
 * A local MTN MoMo Open API with the same HTTP shapes: per-product tokens (`POST /collection/token/`,
 * `POST /disbursement/token/`, Basic API user:key plus Ocp-Apim-Subscription-Key), request-to-pay and
 * transfer with X-Reference-Id as the idempotency key (a repeated id is refused with 409
 * RESOURCE_ALREADY_EXIST), status by GET on the reference id, and the callback POSTed to X-Callback-Url
 * with the same body as the status answer.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";

import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";
import { basicOf, bearerOf, jsonBody, tokenIssuer, type TokenIssuer } from "./auth.js";
import { createSandboxCore, numericIds, type Direction, type Failure, type SandboxTx } from "./core.js";
import { isAmount } from "./fiat.js";
import type { RailSandbox, RailSandboxOptions } from "./rail.js";

type Product = "collection" | "disbursement";

/** MoMo's reason codes for each way a sandbox transaction fails. */
const REASONS: Record<Direction, Record<Failure, string>> = {
  collect: {
    "insufficient-funds": "NOT_ENOUGH_FUNDS",
    cancelled: "APPROVAL_REJECTED",
    expired: "EXPIRED",
    "wrong-pin": "APPROVAL_REJECTED",
    "party-unknown": "PAYER_NOT_FOUND",
    "insufficient-float": "NOT_ENOUGH_FUNDS",
    "rejected-credentials": "NOT_ALLOWED",
  },
  payout: {
    "insufficient-funds": "NOT_ENOUGH_FUNDS",
    cancelled: "APPROVAL_REJECTED",
    expired: "EXPIRED",
    "wrong-pin": "APPROVAL_REJECTED",
    "party-unknown": "PAYEE_NOT_FOUND",
    "insufficient-float": "NOT_ENOUGH_FUNDS",
    "rejected-credentials": "NOT_ALLOWED",
  },
};

const party = z.object({ partyIdType: z.enum(["MSISDN", "EMAIL", "PARTY_CODE"]), partyId: z.string().min(1) });
const requestBody = z.object({
  amount: z.string().refine(isAmount, "amount must be a decimal string"),
  currency: z.string().length(3),
  externalId: z.string().min(1),
  payerMessage: z.string().max(160).optional(),
  payeeNote: z.string().max(160).optional(),
});
const requestToPayBody = requestBody.extend({ payer: party });
const transferBody = requestBody.extend({ payee: party });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export interface MomoSandboxOptions extends RailSandboxOptions {
  credentials?: typeof SANDBOX_CREDENTIALS["mtn-momo"];
}

export function createMomoSandbox(options: MomoSandboxOptions = {}): RailSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS["mtn-momo"];
  const currency = options.currency ?? "UGX";
  const core = createSandboxCore({ ...options, account: "MTN MoMo merchant wallet (collection and disbursement)", currency });
  const tokens: Record<Product, TokenIssuer> = { collection: tokenIssuer(core.now, 3600), disbursement: tokenIssuer(core.now, 3600) };
  const financialIds = numericIds(10);
  const app = new Hono();

  const subscriptionRefused = (c: Context) =>
    c.json({ statusCode: 401, message: "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription." }, 401);

  for (const product of ["collection", "disbursement"] as const) {
    const productCreds = creds[product];
    app.post(`/${product}/token/`, (c) => {
      if (c.req.header("ocp-apim-subscription-key") !== productCreds.subscriptionKey) return subscriptionRefused(c);
      const basic = basicOf(c);
      if (!basic || basic.user !== productCreds.userId || basic.secret !== productCreds.apiKey) return c.json({ error: "login_failed" }, 401);
      const { token, expiresIn } = tokens[product].issue();
      return c.json({ access_token: token, token_type: "access_token", expires_in: expiresIn });
    });
    app.use(`/${product}/v1_0/*`, async (c, next) => {
      if (c.req.header("ocp-apim-subscription-key") !== productCreds.subscriptionKey) return subscriptionRefused(c);
      if (!tokens[product].valid(bearerOf(c))) return c.json({ statusCode: 401, message: "Access denied due to invalid or expired access token." }, 401);
      if (c.req.header("x-target-environment") !== creds.targetEnvironment) {
        return c.json({ code: "NOT_ALLOWED_TARGET_ENVIRONMENT", message: "Access to target environment is forbidden." }, 403);
      }
      return next();
    });
  }

  const statusBody = (tx: SandboxTx) => {
    const body: Record<string, unknown> = {
      amount: tx.amount,
      currency: tx.currency,
      externalId: tx.reference,
      [tx.direction === "collect" ? "payer" : "payee"]: { partyIdType: "MSISDN", partyId: tx.msisdn },
      payerMessage: tx.data.payerMessage ?? "",
      payeeNote: tx.data.payeeNote ?? "",
      status: tx.state === "succeeded" ? "SUCCESSFUL" : tx.state === "failed" ? "FAILED" : "PENDING",
    };
    if (tx.receipt) body.financialTransactionId = tx.receipt;
    if (tx.failure) body.reason = REASONS[tx.direction][tx.failure];
    return body;
  };

  const create = (direction: Direction, schema: typeof requestToPayBody | typeof transferBody) => async (c: Context) => {
    const referenceId = c.req.header("x-reference-id") ?? "";
    if (!UUID.test(referenceId)) return c.json({ code: "INVALID_REFERENCE_ID", message: "X-Reference-Id must be a UUID version 4." }, 400);
    const parsed = schema.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ code: "BAD_REQUEST", message: `Invalid ${String(parsed.error.issues[0]?.path.join(".") ?? "body")}.` }, 400);
    const req = parsed.data;
    if (req.currency !== currency) return c.json({ code: "INVALID_CURRENCY", message: "Currency not supported." }, 500);
    if (core.get(referenceId)) return c.json({ code: "RESOURCE_ALREADY_EXIST", message: "Duplicated reference id. Creation for resource failed." }, 409);
    const who = "payer" in req ? req.payer : (req as z.infer<typeof transferBody>).payee;
    const callbackUrl = c.req.header("x-callback-url");
    core.open(
      {
        id: referenceId,
        direction,
        reference: req.externalId,
        msisdn: who.partyId,
        amount: req.amount,
        data: { payerMessage: req.payerMessage ?? "", payeeNote: req.payeeNote ?? "" },
        callback: callbackUrl ? (tx) => ({ url: callbackUrl, body: statusBody(tx) }) : undefined,
      },
      financialIds,
    );
    return c.body(null, 202);
  };

  const read = (direction: Direction) => (c: Context) => {
    const tx = core.get(c.req.param("referenceId") ?? "");
    if (!tx || tx.direction !== direction) return c.json({ code: "RESOURCE_NOT_FOUND", message: "Requested resource was not found." }, 404);
    return c.json(statusBody(tx));
  };

  app.post("/collection/v1_0/requesttopay", create("collect", requestToPayBody));
  app.get("/collection/v1_0/requesttopay/:referenceId", read("collect"));
  app.post("/disbursement/v1_0/transfer", create("payout", transferBody));
  app.get("/disbursement/v1_0/transfer/:referenceId", read("payout"));

  core.mountControl(app, async (c) => {
    const token = bearerOf(c);
    return tokens.collection.valid(token) || tokens.disbursement.valid(token) ? undefined : c.json({ statusCode: 401, message: "Access denied due to invalid or expired access token." }, 401);
  });
  return { rail: "mtn-momo", app, core };
}
