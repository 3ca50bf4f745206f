/**
 * The seams between the bridge's parts. Each part implements one of these interfaces and is handed
 * the others at start (`app.ts` wires them), so menus, the partner API, the rails and the attester
 * never reach into each other's tables or clients.
 *
 * Money amounts are bigints in the asset's base units (6 decimals for every asset); fiat amounts on a
 * rail are decimal strings as the rail takes them. Operation ids are uint256 bigints: the same id is
 * the same operation everywhere (outbox row, vault call, retries), and the vault refuses it twice.
 */
import type { Hex } from "viem";

import type { SupplyChange } from "../../sdk/attestation.js";
import type { E164 } from "../../sdk/phone.js";

export type { E164 };
export type AssetSymbol = "cNGN" | "USDC" | "XAUt";
export const ASSET_SYMBOLS: readonly AssetSymbol[] = ["cNGN", "USDC", "XAUt"];
export type Lang = "en" | "sw" | "fr";
export const LANGS: readonly Lang[] = ["en", "sw", "fr"];
/** HMAC-SHA256(pepper, E.164) as 0x-hex: the vault's account id. */
export type AccountId = Hex;

// ─── Registry and PINs ─────────────────────────────────────────────────────────────────────────────

export interface User {
  accountId: AccountId;
  phone: E164;
  country: string;
  lang: Lang;
  tier: number;
  status: "active" | "blocked";
  createdAt: number;
}

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: "wrong"; attemptsLeft: number }
  | { ok: false; reason: "locked"; until: number };

export type RegisterResult =
  | { ok: true; user: User }
  | { ok: false; reason: "already-registered" | "sanctioned" | "unsupported-country" | "weak-pin" };

export interface Registry {
  findByPhone(phone: E164): Promise<User | undefined>;
  findByAccount(accountId: AccountId): Promise<User | undefined>;
  /** Screens the number, stores the user with a scrypt PIN hash and opens the vault account at tier 1. */
  register(input: { phone: E164; lang: Lang; pin: string }): Promise<RegisterResult>;
  /** Three wrong PINs lock the account for 30 minutes; a right one resets the count. */
  verifyPin(accountId: AccountId, pin: string): Promise<PinCheck>;
  changePin(accountId: AccountId, oldPin: string, newPin: string): Promise<PinCheck | { ok: false; reason: "weak-pin" }>;
  setLanguage(accountId: AccountId, lang: Lang): Promise<void>;
  /** Off-chain record and on-chain `vault.setTier` (KYC upgrades). */
  setTier(accountId: AccountId, tier: number): Promise<void>;
}

// ─── Money: every call is idempotent by opId and goes through the outbox ────────────────────────────

/** Why a money operation was refused, decoded from the vault's custom errors or the bridge's own checks. */
export type MoneyRefusal =
  | "insufficient-balance"
  | "limit-single"
  | "limit-daily"
  | "limit-balance"
  | "account-frozen"
  | "account-not-open"
  | "self-transfer"
  | "slippage"
  | "market-halted" // oracle breaker or stale rate
  | "pool-limit" // pool trading limit or not enough liquidity
  | "compliance" // sanctions or monitoring refused it
  | "invalid-statement"
  | "unknown";

/**
 * done: the receipt arrived within the budget; pending: written and sent, the receipt has not come yet
 * (an SMS follows when it does); refused: nothing happened and nothing will.
 */
export type OpOutcome =
  | { status: "done"; opId: bigint; txHash: Hex; amountOut?: bigint }
  | { status: "pending"; opId: bigint; txHash?: Hex }
  | { status: "refused"; opId: bigint; reason: MoneyRefusal; detail?: string };

export interface Quote {
  from: AssetSymbol;
  to: AssetSymbol;
  amountIn: bigint;
  amountOut: bigint;
  /** Fee in `from` units, as the pools charge it (spread plus imbalance fee). */
  fee: bigint;
  /** Pools along the best route, for `convert`. */
  pools: Hex[];
  tokens: Hex[];
}

export interface Limits {
  maxSingle: bigint;
  remainingToday: bigint;
  maxBalance: bigint;
}

export interface OperationRecord {
  opId: bigint;
  kind: "transfer" | "convert" | "credit" | "debit" | "refund";
  origin: "ussd" | "api" | "rail";
  accountId: AccountId;
  counterpartyId?: AccountId;
  asset: AssetSymbol;
  amount: bigint;
  assetOut?: AssetSymbol;
  amountOut?: bigint;
  status: "pending" | "submitted" | "done" | "failed";
  txHash?: Hex;
  error?: string;
  createdAt: number;
  updatedAt: number;
}

/** How long a caller will wait for a receipt before answering "in progress" (the telco's budget). */
export interface Budget {
  budgetMs?: number;
}

export interface MoneyService {
  balances(accountId: AccountId): Promise<Record<AssetSymbol, bigint>>;
  limits(accountId: AccountId, asset: AssetSymbol): Promise<Limits>;
  quote(from: AssetSymbol, to: AssetSymbol, amountIn: bigint): Promise<Quote>;
  transfer(req: { opId: bigint; origin: "ussd" | "api"; from: AccountId; to: AccountId; asset: AssetSymbol; amount: bigint } & Budget): Promise<OpOutcome>;
  convert(
    req: { opId: bigint; origin: "ussd" | "api"; accountId: AccountId; from: AssetSymbol; to: AssetSymbol; amountIn: bigint; minAmountOut: bigint } & Budget,
  ): Promise<OpOutcome>;
  /** Attested mint into an account (cash in, refund). */
  credit(req: { opId: bigint; kind?: "credit" | "refund"; accountId: AccountId; change: SupplyChange; signatures: Hex } & Budget): Promise<OpOutcome>;
  /** Attested burn from an account (cash out). */
  debit(req: { opId: bigint; accountId: AccountId; change: SupplyChange; signatures: Hex } & Budget): Promise<OpOutcome>;
  operation(opId: bigint): Promise<OperationRecord | undefined>;
  /** Resends every operation that is not final, or marks it done when the vault already executed it. */
  reconcile(): Promise<{ checked: number; completed: number; resent: number; failed: number }>;
  /** Called once per operation that becomes final after the caller stopped waiting. */
  onSettled(listener: (op: OperationRecord) => void): void;
}

// ─── Compliance ──────────────────────────────────────────────────────────────────────────────────────

export interface ScreeningHit {
  listId: string;
  name?: string;
  /** 1 for an exact identifier match; the name similarity otherwise. */
  score: number;
}

export type ScreeningResult = { hit: false } | { hit: true; matches: ScreeningHit[] };

export interface MonitoredOperation {
  opId: bigint;
  kind: "transfer" | "convert" | "cash-in" | "cash-out";
  accountId: AccountId;
  counterpartyId?: AccountId;
  asset: AssetSymbol;
  amount: bigint;
  at: number;
}

export interface Compliance {
  /** Sanctions screening of a person by number and, where known, name. */
  screen(subject: { phone?: E164; name?: string }): Promise<ScreeningResult>;
  /** Runs the monitoring rules before an operation: stores any alerts; `allow: false` blocks it. */
  review(op: MonitoredOperation): Promise<{ allow: boolean; alerts: string[] }>;
}

// ─── Mobile-money rails ────────────────────────────────────────────────────────────────────────────

export type RailId = "mpesa" | "mtn-momo" | "airtel" | "orange" | "afrimoney";
export const RAIL_IDS: readonly RailId[] = ["mpesa", "mtn-momo", "airtel", "orange", "afrimoney"];

export type RailState = "pending" | "succeeded" | "failed";

export interface RailRequestResult {
  /** The rail's id for the request (CheckoutRequestID, X-Reference-Id, ConversationID, …). */
  providerRef: string;
  state: RailState;
  resultCode?: string;
  resultDesc?: string;
}

export interface RailStatus extends RailRequestResult {
  /** The rail's receipt number (MpesaReceiptNumber, financialTransactionId, …) once it succeeded. */
  receipt?: string;
  amount?: string;
  phone?: E164;
}

export interface RailStatementLine {
  providerRef: string;
  receipt?: string;
  /** Our reference, when the rail echoes it (the attester binds a refund to its payout with it). */
  reference?: string;
  /** The customer's number, when the statement shows it (the attester checks the account with it). */
  phone?: E164;
  direction: "collect" | "payout";
  amount: string;
  state: RailState;
  at: number;
}

export interface RailAdapter {
  id: RailId;
  /** ISO 4217 currency the rail moves, e.g. "KES". */
  currency: string;
  /** Debit the customer's wallet (STK push, request-to-pay). `reference` is our idempotency key. */
  collect(req: { reference: string; phone: E164; amount: string; description: string }): Promise<RailRequestResult>;
  /** Pay the customer's wallet (B2C, disbursement). */
  payout(req: { reference: string; phone: E164; amount: string; remarks: string }): Promise<RailRequestResult>;
  /** Asks the rail itself (the attester trusts only this, never a callback). */
  status(direction: "collect" | "payout", providerRef: string): Promise<RailStatus>;
  /** Reads a callback body the rail posted; undefined when it is not one of this rail's callbacks. */
  parseCallback(direction: "collect" | "payout", body: unknown, headers: Record<string, string>): RailStatus | undefined;
  /** The rail's statement between two times (ms), for reconciliation. */
  statement(from: number, to: number): Promise<RailStatementLine[]>;
}

/** Cash in and cash out, orchestrated across a rail, the reserve attester and the vault. */
export interface CashService {
  cashIn(req: { opKey: string; accountId: AccountId; phone: E164; rail: RailId; fiatAmount: string } & Budget): Promise<CashOutcome>;
  cashOut(req: { opKey: string; accountId: AccountId; phone: E164; rail: RailId; asset: AssetSymbol; amount: bigint } & Budget): Promise<CashOutcome>;
  /** A rail's callback, as posted to the bridge; duplicate and late callbacks are harmless. */
  onCallback(rail: RailId, direction: "collect" | "payout", body: unknown, headers: Record<string, string>): Promise<void>;
  /** The asset and amount a fiat amount buys on a rail, and the reverse, at the custodian's rate. */
  /** `assetPerFiat` is whole asset units per whole currency unit; convert with cash/rates.ts, never by hand. */
  rate(rail: RailId): { asset: AssetSymbol; assetPerFiat: { num: bigint; den: bigint } };
}

export type CashOutcome =
  | { status: "requested"; reference: string } // waiting for the customer or the rail
  | { status: "done"; reference: string }
  | { status: "refused"; reference: string; reason: MoneyRefusal | "rail-failed" | "unsupported-rail"; detail?: string };

// ─── Reserve attester (agents/reserve-attester) ─────────────────────────────────────────────────────

/** What the bridge asks the attester to sign; it checks the receipt with the rail before signing. */
export interface AttestationRequest {
  rail: RailId;
  direction: "collect" | "payout" | "refund";
  providerRef: string;
  /** The statement the bridge proposes; the attester checks it against what the rail says. */
  change: SupplyChange;
}

export interface Attester {
  attest(req: AttestationRequest): Promise<{ change: SupplyChange; signatures: Hex }>;
}

// ─── SMS (Africa's Talking) ───────────────────────────────────────────────────────────────────────

export interface SmsSender {
  /** Queues a notice once per `id` (an event id), then sends it; never throws for a gateway error. */
  notify(id: string, to: E164, message: string): Promise<void>;
}
