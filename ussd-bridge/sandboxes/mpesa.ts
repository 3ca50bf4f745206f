/**
 * A local Daraja (Safaricom M-Pesa API) with the same HTTP shapes: OAuth client-credentials, M-Pesa
 * Express (STK push) and its query, B2C payment requests with results posted to ResultURL, and the
 * Transaction Status query (asynchronous, as on Daraja). The customer is simulated by the magic
 * values in core.ts; result codes are Daraja's.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { z } from "zod";

import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";
import { compactTimestamp, dottedTimestamp } from "../src/rails/time.js";
import { basicOf, bearerOf, jsonBody, tokenIssuer } from "./auth.js";
import { createSandboxCore, receipts, type Failure, type SandboxTx } from "./core.js";
import type { RailSandbox, RailSandboxOptions } from "./rail.js";

const EAT = 3;

/** Daraja's result codes and texts for each way a sandbox transaction can fail. */
const COLLECT_FAILURES: Record<Failure, { code: number; desc: string }> = {
  "insufficient-funds": { code: 1, desc: "The balance is insufficient for the transaction." },
  cancelled: { code: 1032, desc: "Request cancelled by user" },
  expired: { code: 1037, desc: "DS timeout user cannot be reached" },
  "wrong-pin": { code: 2001, desc: "The initiator information is invalid." },
  "party-unknown": { code: 1037, desc: "DS timeout user cannot be reached" },
  "insufficient-float": { code: 1, desc: "The balance is insufficient for the transaction." },
  "rejected-credentials": { code: 2001, desc: "The initiator information is invalid." },
};
const PAYOUT_FAILURES: Record<Failure, { code: number; desc: string }> = {
  ...COLLECT_FAILURES,
  "insufficient-float": { code: 1, desc: "The balance is insufficient for the transaction." },
  "party-unknown": { code: 2040, desc: "Credit Party customer type (Unregistered or Registered Customer) can't be supported by the service." },
  expired: { code: 1037, desc: "The request timed out in the queue." },
};

const stkPushBody = z.object({
  BusinessShortCode: z.union([z.string(), z.number()]).transform(String),
  Password: z.string().min(1),
  Timestamp: z.string().regex(/^\d{14}$/),
  TransactionType: z.enum(["CustomerPayBillOnline", "CustomerBuyGoodsOnline"]),
  Amount: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int().min(1)),
  PartyA: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^254\d{9}$/)),
  PartyB: z.union([z.string(), z.number()]).transform(String),
  PhoneNumber: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^254\d{9}$/)),
  CallBackURL: z.url(),
  AccountReference: z.string().min(1).max(12),
  TransactionDesc: z.string().min(1).max(182),
});

const stkQueryBody = z.object({
  BusinessShortCode: z.union([z.string(), z.number()]).transform(String),
  Password: z.string().min(1),
  Timestamp: z.string().regex(/^\d{14}$/),
  CheckoutRequestID: z.string().min(1),
});

const b2cBody = z.object({
  InitiatorName: z.string().min(1),
  SecurityCredential: z.string().min(1),
  CommandID: z.enum(["BusinessPayment", "SalaryPayment", "PromotionPayment"]),
  Amount: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int().min(10)),
  PartyA: z.union([z.string(), z.number()]).transform(String),
  PartyB: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^254\d{9}$/)),
  Remarks: z.string().min(2).max(100),
  QueueTimeOutURL: z.url(),
  ResultURL: z.url(),
  Occasion: z.string().max(100).optional(),
});

const statusBody = z.object({
  Initiator: z.string().min(1),
  SecurityCredential: z.string().min(1),
  CommandID: z.literal("TransactionStatusQuery"),
  TransactionID: z.string().optional(),
  OriginalConversationID: z.string().optional(),
  PartyA: z.union([z.string(), z.number()]).transform(String),
  IdentifierType: z.union([z.string(), z.number()]).transform(String),
  ResultURL: z.url(),
  QueueTimeOutURL: z.url(),
  Remarks: z.string().optional(),
  Occasion: z.string().optional(),
});

export interface MpesaSandboxOptions extends RailSandboxOptions {
  credentials?: typeof SANDBOX_CREDENTIALS.mpesa;
}

export function createMpesaSandbox(options: MpesaSandboxOptions = {}): RailSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS.mpesa;
  const core = createSandboxCore({ ...options, account: `M-Pesa paybill ${creds.shortcode} / B2C ${creds.b2cShortcode}`, currency: options.currency ?? "KES" });
  const tokens = tokenIssuer(core.now, 3599);
  const app = new Hono();
  let counter = 0;
  const nextId = () => `${Date.now() % 100000}-${++counter}-${randomBytes(2).readUInt16BE(0)}`;
  const stkReceipt = receipts("SBX", 10);
  const b2cReceipt = receipts("SBP", 10);
  const requestId = () => `${randomBytes(4).toString("hex")}-${++counter}`;
  const error = (c: Context, status: 400 | 401 | 404 | 500, errorCode: string, errorMessage: string) =>
    c.json({ requestId: requestId(), errorCode, errorMessage }, status);
  const badRequest = (c: Context, issues: z.core.$ZodIssue[]) => error(c, 400, "400.002.02", `Bad Request - Invalid ${String(issues[0]?.path[0] ?? "body")}`);
  const stkPassword = (shortcode: string, timestamp: string) => Buffer.from(`${shortcode}${creds.passkey}${timestamp}`).toString("base64");

  app.get("/oauth/v1/generate", (c) => {
    if (c.req.query("grant_type") !== "client_credentials") return error(c, 400, "400.008.02", "Invalid grant type passed");
    const basic = basicOf(c);
    if (!basic || basic.user !== creds.consumerKey || basic.secret !== creds.consumerSecret) {
      return error(c, 400, "400.008.01", "Invalid Authentication passed");
    }
    const { token, expiresIn } = tokens.issue();
    return c.json({ access_token: token, expires_in: String(expiresIn) });
  });

  const authorized = async (c: Context) => (tokens.valid(bearerOf(c)) ? undefined : error(c, 401, "404.001.03", "Invalid Access Token"));
  app.use("/mpesa/*", async (c, next) => (await authorized(c)) ?? next());

  app.post("/mpesa/stkpush/v1/processrequest", async (c) => {
    const parsed = stkPushBody.safeParse(await jsonBody(c));
    if (!parsed.success) return badRequest(c, parsed.error.issues);
    const req = parsed.data;
    if (req.BusinessShortCode !== creds.shortcode) return error(c, 400, "400.002.02", "Bad Request - Invalid BusinessShortCode");
    if (req.Password !== stkPassword(req.BusinessShortCode, req.Timestamp)) return error(c, 400, "400.002.02", "Bad Request - Invalid Password");
    const merchantRequestId = nextId();
    const checkoutRequestId = `ws_CO_${compactTimestamp(core.now(), EAT).slice(6)}${String(++counter).padStart(6, "0")}`;
    core.open(
      {
        id: checkoutRequestId,
        direction: "collect",
        reference: req.AccountReference,
        msisdn: req.PhoneNumber,
        amount: String(req.Amount),
        data: { MerchantRequestID: merchantRequestId },
        callback: (tx) => ({ url: req.CallBackURL, body: stkCallback(tx) }),
      },
      stkReceipt,
    );
    return c.json({
      MerchantRequestID: merchantRequestId,
      CheckoutRequestID: checkoutRequestId,
      ResponseCode: "0",
      ResponseDescription: "Success. Request accepted for processing",
      CustomerMessage: "Success. Request accepted for processing",
    });
  });

  const stkCallback = (tx: SandboxTx) => {
    const failure = tx.failure ? COLLECT_FAILURES[tx.failure] : undefined;
    const stk: Record<string, unknown> = {
      MerchantRequestID: tx.data.MerchantRequestID,
      CheckoutRequestID: tx.id,
      ResultCode: failure?.code ?? 0,
      ResultDesc: failure?.desc ?? "The service request is processed successfully.",
    };
    if (!failure) {
      stk.CallbackMetadata = {
        Item: [
          { Name: "Amount", Value: Number(tx.amount) },
          { Name: "MpesaReceiptNumber", Value: tx.receipt },
          { Name: "Balance" },
          { Name: "TransactionDate", Value: Number(compactTimestamp(tx.settledAt ?? core.now(), EAT)) },
          { Name: "PhoneNumber", Value: Number(tx.msisdn) },
        ],
      };
    }
    return { Body: { stkCallback: stk } };
  };

  app.post("/mpesa/stkpushquery/v1/query", async (c) => {
    const parsed = stkQueryBody.safeParse(await jsonBody(c));
    if (!parsed.success) return badRequest(c, parsed.error.issues);
    const req = parsed.data;
    if (req.Password !== stkPassword(req.BusinessShortCode, req.Timestamp)) return error(c, 400, "400.002.02", "Bad Request - Invalid Password");
    const tx = core.get(req.CheckoutRequestID);
    if (!tx || tx.direction !== "collect") return error(c, 400, "400.002.02", "Bad Request - Invalid CheckoutRequestID");
    if (tx.state === "pending") return error(c, 500, "500.001.1001", "The transaction is being processed");
    const failure = tx.failure ? COLLECT_FAILURES[tx.failure] : undefined;
    return c.json({
      ResponseCode: "0",
      ResponseDescription: "The service request has been accepted successsfully",
      MerchantRequestID: tx.data.MerchantRequestID,
      CheckoutRequestID: tx.id,
      ResultCode: String(failure?.code ?? 0),
      ResultDesc: failure?.desc ?? "The service request is processed successfully.",
    });
  });

  app.post("/mpesa/b2c/v1/paymentrequest", async (c) => {
    const parsed = b2cBody.safeParse(await jsonBody(c));
    if (!parsed.success) return badRequest(c, parsed.error.issues);
    const req = parsed.data;
    if (req.PartyA !== creds.b2cShortcode) return error(c, 400, "400.002.02", "Bad Request - Invalid PartyA");
    const conversationId = `AG_${compactTimestamp(core.now(), EAT).slice(0, 8)}_${randomBytes(10).toString("hex")}`;
    const originatorConversationId = nextId();
    const credentialsOk = req.InitiatorName === creds.initiatorName && req.SecurityCredential === creds.securityCredential;
    core.open(
      {
        id: originatorConversationId,
        direction: "payout",
        reference: req.Occasion,
        msisdn: req.PartyB,
        amount: String(req.Amount),
        failure: credentialsOk ? undefined : "rejected-credentials",
        data: { ConversationID: conversationId, QueueTimeOutURL: req.QueueTimeOutURL },
        callback: (tx) => ({ url: req.ResultURL, body: b2cResult(tx) }),
      },
      b2cReceipt,
    );
    return c.json({
      ConversationID: conversationId,
      OriginatorConversationID: originatorConversationId,
      ResponseCode: "0",
      ResponseDescription: "Accept the service request successfully.",
    });
  });

  const b2cResult = (tx: SandboxTx) => {
    const failure = tx.failure ? PAYOUT_FAILURES[tx.failure] : undefined;
    const result: Record<string, unknown> = {
      ResultType: 0,
      ResultCode: failure?.code ?? 0,
      ResultDesc: failure?.desc ?? "The service request is processed successfully.",
      OriginatorConversationID: tx.id,
      ConversationID: tx.data.ConversationID,
      TransactionID: tx.receipt ?? b2cReceipt(),
      ReferenceData: { ReferenceItem: { Key: "QueueTimeoutURL", Value: tx.data.QueueTimeOutURL } },
    };
    if (!failure) {
      result.ResultParameters = {
        ResultParameter: [
          { Key: "TransactionAmount", Value: Number(tx.amount) },
          { Key: "TransactionReceipt", Value: tx.receipt },
          { Key: "B2CRecipientIsRegisteredCustomer", Value: "Y" },
          { Key: "B2CChargesPaidAccountAvailableFunds", Value: 0 },
          { Key: "ReceiverPartyPublicName", Value: `${tx.msisdn} - Sandbox Customer` },
          { Key: "TransactionCompletedDateTime", Value: dottedTimestamp(tx.settledAt ?? core.now(), EAT) },
          { Key: "B2CUtilityAccountAvailableFunds", Value: Number(core.float()) },
          { Key: "B2CWorkingAccountAvailableFunds", Value: Number(core.float()) },
        ],
      };
    }
    return { Result: result };
  };

  app.post("/mpesa/transactionstatus/v1/query", async (c) => {
    const parsed = statusBody.safeParse(await jsonBody(c));
    if (!parsed.success) return badRequest(c, parsed.error.issues);
    const req = parsed.data;
    if (req.Initiator !== creds.initiatorName || req.SecurityCredential !== creds.securityCredential) {
      return error(c, 400, "400.002.02", "Bad Request - Invalid Initiator");
    }
    const tx = req.OriginalConversationID
      ? core.get(req.OriginalConversationID)
      : core.find((t) => t.receipt !== undefined && t.receipt === req.TransactionID);
    if (!tx) return error(c, 400, "400.002.02", "Bad Request - Invalid OriginalConversationID");
    const conversationId = `AG_${compactTimestamp(core.now(), EAT).slice(0, 8)}_${randomBytes(10).toString("hex")}`;
    const originatorConversationId = nextId();
    // Daraja answers a status query asynchronously, at ResultURL, right after the acknowledgement.
    setImmediate(() => void postStatusResult(req.ResultURL, tx, conversationId, originatorConversationId, req.Occasion));
    return c.json({
      OriginatorConversationID: originatorConversationId,
      ConversationID: conversationId,
      ResponseCode: "0",
      ResponseDescription: "Accept the service request successfully.",
    });
  });

  const postStatusResult = async (url: string, tx: SandboxTx, conversationId: string, originatorConversationId: string, occasion?: string) => {
    const failure = tx.failure ? (tx.direction === "payout" ? PAYOUT_FAILURES : COLLECT_FAILURES)[tx.failure] : undefined;
    const status = tx.state === "succeeded" ? "Completed" : tx.state === "failed" ? "Failed" : "Pending";
    const body = {
      Result: {
        ResultType: 0,
        ResultCode: failure?.code ?? 0,
        ResultDesc: failure?.desc ?? "The service request has been accepted successfully.",
        OriginatorConversationID: originatorConversationId,
        ConversationID: conversationId,
        TransactionID: randomBytes(5).toString("hex").toUpperCase(),
        ResultParameters: {
          ResultParameter: [
            { Key: "ReceiptNo", Value: tx.receipt ?? "" },
            { Key: "ConversationID", Value: tx.data.ConversationID ?? "" },
            { Key: "OriginatorConversationID", Value: tx.id },
            { Key: "FinalisedTime", Value: tx.settledAt ? Number(compactTimestamp(tx.settledAt, EAT)) : "" },
            { Key: "Amount", Value: Number(tx.amount) },
            { Key: "TransactionStatus", Value: status },
            { Key: "ReasonType", Value: failure?.desc ?? (tx.direction === "payout" ? "Business Payment to Customer via API" : "Pay Bill Online") },
            { Key: "CreditPartyName", Value: `${tx.msisdn} - Sandbox Customer` },
            { Key: "InitiatedTime", Value: Number(compactTimestamp(tx.createdAt, EAT)) },
          ],
        },
        ReferenceData: { ReferenceItem: { Key: "Occasion", Value: occasion ?? "" } },
      },
    };
    try {
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      await response.body?.cancel();
    } catch {
      // Daraja does not retry a result it could not deliver.
    }
  };

  core.mountControl(app, authorized);
  return { rail: "mpesa", app, core };
}
