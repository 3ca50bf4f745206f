/**
 * The bridge's database, PostgreSQL dialect (used when DATABASE_URL is set): the same tables, columns
 * and indexes as `schema.ts`, which is the source of truth (a test compares the two). Times are
 * `bigint` here because PostgreSQL's `integer` is 32-bit; everything else maps one to one.
 */
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

/** The registry: one row per registered phone. The phone is here (the bridge must text it), never on-chain. */
export const users = pgTable(
  "users",
  {
    accountId: text("account_id").primaryKey(), // HMAC-SHA256(pepper, E.164), 0x-hex, as the vault knows it
    phone: text("phone").notNull(), // E.164
    country: text("country").notNull(), // ISO 3166-1 alpha-2, from the number
    lang: text("lang").notNull(), // "en" | "sw" | "fr"
    pinHash: text("pin_hash").notNull(), // scrypt, with its parameters and per-user salt (see pin.ts)
    failedPins: integer("failed_pins").notNull().default(0),
    lockedUntil: bigint("locked_until", { mode: "number" }).notNull().default(0),
    tier: integer("tier").notNull().default(1),
    status: text("status").notNull().default("active"), // active | blocked (sanctions hit)
    termsAcceptedAt: bigint("terms_accepted_at", { mode: "number" }).notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("users_phone").on(t.phone)],
);

/** USSD sessions: what a session has collected so far, and the last screen (a repeated hop gets it again). */
export const sessions = pgTable(
  "sessions",
  {
    sessionId: text("session_id").primaryKey(),
    phone: text("phone").notNull(),
    state: text("state").notNull(), // JSON: current screen and collected fields
    hops: integer("hops").notNull().default(0), // inputs processed so far
    lastInput: text("last_input").notNull().default(""), // the full `text` last answered
    lastResponse: text("last_response").notNull().default(""),
    status: text("status").notNull().default("live"), // live | ended | dropped
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("sessions_phone").on(t.phone, t.status)],
);

/**
 * The outbox: every money action is written here before its contract call and marked on its receipt.
 * On start the bridge reconciles rows that are not final with the chain (the vault refuses a repeated id).
 */
export const operations = pgTable(
  "operations",
  {
    opId: text("op_id").primaryKey(),
    kind: text("kind").notNull(), // transfer | convert | credit | debit | refund
    origin: text("origin").notNull(), // ussd | api | rail
    accountId: text("account_id").notNull(),
    counterpartyId: text("counterparty_id"), // transfer recipient
    asset: text("asset").notNull(), // symbol
    amount: text("amount").notNull(), // base units
    assetOut: text("asset_out"), // convert
    amountOut: text("amount_out"), // convert: minimum, then actual
    payload: text("payload").notNull(), // JSON: everything needed to resend the call (e.g. a signed statement)
    status: text("status").notNull(), // pending | submitted | done | failed
    txHash: text("tx_hash"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("operations_status").on(t.status), index("operations_account").on(t.accountId, t.createdAt)],
);

/** "Request money from a number": shown to the payer under Receive. */
export const moneyRequests = pgTable(
  "money_requests",
  {
    id: text("id").primaryKey(),
    requesterId: text("requester_id").notNull(),
    payerId: text("payer_id").notNull(),
    asset: text("asset").notNull(),
    amount: text("amount").notNull(),
    status: text("status").notNull(), // open | paid | declined | expired
    opId: text("op_id"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("money_requests_payer").on(t.payerId, t.status)],
);

/** Mobile-money collections (cash in) and payouts (cash out), one row per rail request. */
export const railPayments = pgTable(
  "rail_payments",
  {
    id: text("id").primaryKey(), // our reference (idempotency key towards the rail)
    rail: text("rail").notNull(), // mpesa | mtn-momo | airtel | orange | afrimoney
    direction: text("direction").notNull(), // collect | payout
    accountId: text("account_id").notNull(),
    phone: text("phone").notNull(),
    currency: text("currency").notNull(), // fiat on the rail
    fiatAmount: text("fiat_amount").notNull(), // decimal string as the rail takes it (e.g. "500" KES)
    asset: text("asset").notNull(),
    assetAmount: text("asset_amount").notNull(), // base units
    providerRef: text("provider_ref"), // CheckoutRequestID, X-Reference-Id, ConversationID, …
    receipt: text("receipt"), // the rail's receipt number once paid
    status: text("status").notNull(), // pending | succeeded | failed | refunded
    resultCode: text("result_code"),
    opId: text("op_id"), // the vault credit (collect) or debit (payout)
    refundOpId: text("refund_op_id"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("rail_payments_provider_ref").on(t.rail, t.providerRef), index("rail_payments_status").on(t.status)],
);

/** Monitoring alerts for compliance officers. */
export const alerts = pgTable(
  "alerts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    rule: text("rule").notNull(), // velocity | structuring | new-account-large | sanctions
    severity: text("severity").notNull(), // info | warn | high
    accountId: text("account_id"),
    opId: text("op_id"),
    detail: text("detail").notNull(), // JSON, no phone numbers
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    resolvedAt: bigint("resolved_at", { mode: "number" }),
    resolvedBy: text("resolved_by"),
  },
  (t) => [index("alerts_open").on(t.resolvedAt, t.createdAt)],
);

/** Partner API idempotency, Mojaloop style: same key and body replays the result; another body is refused. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    partnerId: text("partner_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: text("status").notNull(), // in-progress | done
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    opId: text("op_id"), // the operation this key drives (0x-hex), so a partner can look it up by id
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(), // last claimed: an in-progress key not touched for a while is reclaimed
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.key] }), index("idempotency_keys_op").on(t.partnerId, t.opId)],
);

/** SMS notices, sent through the Africa's Talking adapter; kept until the gateway accepts them. */
export const smsOutbox = pgTable(
  "sms_outbox",
  {
    id: text("id").primaryKey(), // derived from the event, so a notice is queued once
    phone: text("phone").notNull(),
    message: text("message").notNull(),
    status: text("status").notNull(), // queued | sent | failed
    providerMessageId: text("provider_message_id"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("sms_outbox_status").on(t.status)],
);

/** KYC upgrade requests sent to the KYC provider adapter. */
export const kycRequests = pgTable("kyc_requests", {
  id: text("id").primaryKey(),
  accountId: text("account_id").notNull(),
  requestedTier: integer("requested_tier").notNull(),
  providerRef: text("provider_ref"),
  status: text("status").notNull(), // pending | approved | rejected
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

/** Small key-value state that must survive restarts (e.g. the last block reconciled). */
export const bridgeState = pgTable("bridge_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});
