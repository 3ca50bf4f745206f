/**
 * What a partner transfer and a partner convert do, between a validated request and the money layer:
 * read the numbers, find the accounts, screen both sides, check balances and limits (the vault's and
 * the country's, the stricter refusing first), run the monitoring rules, and only then call the
 * MoneyService with the operation id the Idempotency-Key gave. Every refusal before the money layer
 * is an `ApiError` (a 4xx); the money layer's own refusals come back as an operation with status
 * `refused`.
 */
import type { CountryCode } from "libphonenumber-js/max";

import { maskPhone, normalisePhone, type E164 } from "../../../sdk/phone.js";
import { checkTierLimits } from "../compliance/limits.js";
import type { AssetUsdPrices, TierTable } from "../compliance/tiers.js";
import type { Db, Tables } from "../db/open.js";
import { opIdHex } from "../money/op-id.js";
import { parseRefusal } from "../money/outbox.js";
import { MoneyRefusalError } from "../money/refusal.js";
import type { AssetSymbol, Compliance, MoneyRefusal, MoneyService, OperationRecord, OpOutcome, Registry, User } from "../ports.js";
import { ApiError } from "./errors.js";
import { fromBaseUnits, REFUSALS, toBaseUnits, type OperationView } from "./schemas.js";

export interface OperationDeps {
  db: Db;
  tables: Tables;
  money: MoneyService;
  registry: Registry;
  compliance: Compliance;
  tiers: TierTable;
  prices?: AssetUsdPrices;
  defaultCountry: CountryCode;
  budgetMs: number;
  now: () => number;
}

/** Called right before the money layer is asked: from then on the response is the key's for good. */
export type ReachedMoney = () => void;

const COMPLIANCE_REFUSAL = "This operation was refused by compliance screening.";

function phoneOf(deps: OperationDeps, field: string, input: string): E164 {
  const e164 = normalisePhone(input, deps.defaultCountry);
  if (!e164) {
    throw new ApiError(400, "invalid-phone", `\`${field}\` is not a valid phone number; write it with the country code (+254712345678) or in the local form of ${deps.defaultCountry}.`);
  }
  return e164;
}

async function registered(deps: OperationDeps, phone: E164, who: "sender" | "recipient" | "account"): Promise<User> {
  const user = await deps.registry.findByPhone(phone);
  if (!user) throw new ApiError(422, `${who}-not-registered`, `The ${who === "account" ? "number" : who} ${maskPhone(phone)} has no JuaPesa account; they register by dialling *789#.`);
  if (user.status !== "active") throw new ApiError(403, "compliance", COMPLIANCE_REFUSAL);
  return user;
}

async function screened(deps: OperationDeps, phone: E164): Promise<void> {
  const result = await deps.compliance.screen({ phone });
  // The message never says which side or which list: tipping off a listed person is itself forbidden.
  if (result.hit) throw new ApiError(403, "compliance", COMPLIANCE_REFUSAL);
}

const units = (amount: bigint, asset: AssetSymbol) => `${fromBaseUnits(amount)} ${asset}`;

/** The vault's limits and balance for taking `amount` of `asset` out of an account. */
async function checkOutflow(deps: OperationDeps, user: User, asset: AssetSymbol, amount: bigint): Promise<void> {
  const [balances, limits] = await Promise.all([deps.money.balances(user.accountId), deps.money.limits(user.accountId, asset)]);
  if (balances[asset] < amount) {
    throw new ApiError(422, "insufficient-balance", `The account holds ${units(balances[asset], asset)}, less than ${units(amount, asset)}.`);
  }
  if (amount > limits.maxSingle) throw new ApiError(422, "limit-single", `The amount is over the account's single-operation limit of ${units(limits.maxSingle, asset)}.`);
  if (amount > limits.remainingToday) throw new ApiError(422, "limit-daily", `The amount is over what the account may still send today, ${units(limits.remainingToday, asset)}.`);
}

/** The vault's balance limit for putting `amount` of `asset` into an account. */
async function checkInflow(deps: OperationDeps, user: User, asset: AssetSymbol, amount: bigint, balances: Record<AssetSymbol, bigint>): Promise<void> {
  const limits = await deps.money.limits(user.accountId, asset);
  if (balances[asset] + amount > limits.maxBalance) {
    const room = limits.maxBalance > balances[asset] ? limits.maxBalance - balances[asset] : 0n;
    throw new ApiError(422, "limit-balance", `The receiving account may hold ${units(room, asset)} more of ${asset} at its tier.`);
  }
}

const TIER_MESSAGES = {
  "limit-single": "The amount is over the sender's single-operation limit for their KYC tier",
  "limit-daily": "The amount is over what the sender may still send in 24 hours at their KYC tier",
  "limit-balance": "The amount would lift the recipient over the balance limit of their KYC tier",
} as const;

/** The operation already in the outbox for this id: a retry after a crash resumes it, never re-checks it. */
async function resumable(
  deps: OperationDeps,
  opId: bigint,
  expected: Pick<OperationRecord, "kind" | "accountId" | "asset" | "amount" | "counterpartyId" | "assetOut">,
): Promise<OperationRecord | undefined> {
  const existing = await deps.money.operation(opId);
  const same = (Object.keys(expected) as (keyof typeof expected)[]).every((field) => existing?.[field] === expected[field]);
  if (existing && !same) {
    throw new ApiError(422, "3106", "Modified request: this Idempotency-Key was used with a different body");
  }
  return existing;
}

function outcomeFields(outcome: OpOutcome): Pick<OperationView, "status" | "txHash" | "reason" | "amountOut"> {
  if (outcome.status === "done") {
    return { status: "done", txHash: outcome.txHash, ...(outcome.amountOut !== undefined ? { amountOut: fromBaseUnits(outcome.amountOut) } : {}) };
  }
  if (outcome.status === "pending") return { status: "pending", ...(outcome.txHash ? { txHash: outcome.txHash } : {}) };
  return { status: "refused", reason: outcome.reason };
}

/** The live state of an outbox record, for GET and for a replayed response. */
export function recordFields(record: OperationRecord): Pick<OperationView, "status" | "txHash" | "reason" | "amountOut"> {
  if (record.status === "done") {
    return { status: "done", ...(record.txHash ? { txHash: record.txHash } : {}), ...(record.amountOut !== undefined && record.kind === "convert" ? { amountOut: fromBaseUnits(record.amountOut) } : {}) };
  }
  if (record.status === "failed") {
    const { reason } = parseRefusal(record.error ?? null);
    return { status: "refused", reason: (REFUSALS as readonly MoneyRefusal[]).includes(reason) ? reason : "unknown" };
  }
  return { status: "pending", ...(record.txHash ? { txHash: record.txHash } : {}) };
}

export async function partnerTransfer(
  deps: OperationDeps,
  req: { opId: bigint; from: string; to: string; asset: AssetSymbol; amount: string; reference?: string },
  reachedMoney: ReachedMoney,
): Promise<OperationView> {
  const from = phoneOf(deps, "from", req.from);
  const to = phoneOf(deps, "to", req.to);
  if (from === to) throw new ApiError(422, "self-transfer", "`from` and `to` are the same number; a transfer needs two accounts.");
  const amount = toBaseUnits(req.amount);
  const sender = await registered(deps, from, "sender");
  const recipient = await registered(deps, to, "recipient");
  const existing = await resumable(deps, req.opId, {
    kind: "transfer",
    accountId: sender.accountId,
    counterpartyId: recipient.accountId,
    asset: req.asset,
    amount,
    assetOut: undefined,
  });
  const view = (outcome: OpOutcome): OperationView => ({
    id: opIdHex(req.opId),
    kind: "transfer",
    asset: req.asset,
    amount: fromBaseUnits(amount),
    from: maskPhone(from),
    to: maskPhone(to),
    ...(req.reference !== undefined ? { reference: req.reference } : {}),
    createdAt: new Date(existing?.createdAt ?? deps.now()).toISOString(),
    ...outcomeFields(outcome),
  });
  const send = () => {
    reachedMoney();
    return deps.money.transfer({ opId: req.opId, origin: "api", from: sender.accountId, to: recipient.accountId, asset: req.asset, amount, budgetMs: deps.budgetMs });
  };
  if (existing) return view(await send());

  await screened(deps, from);
  await screened(deps, to);
  await checkOutflow(deps, sender, req.asset, amount);
  const recipientBalances = await deps.money.balances(recipient.accountId);
  await checkInflow(deps, recipient, req.asset, amount, recipientBalances);
  const tier = await checkTierLimits(
    { db: deps.db, tables: deps.tables, tiers: deps.tiers, prices: deps.prices },
    { sender, recipient: { ...recipient, balances: recipientBalances }, asset: req.asset, amount, at: deps.now(), opId: req.opId },
  );
  if (!tier.ok) throw new ApiError(422, tier.reason, `${TIER_MESSAGES[tier.reason]} (at most ${units(tier.limit, req.asset)} now).`);
  const review = await deps.compliance.review({
    opId: req.opId,
    kind: "transfer",
    accountId: sender.accountId,
    counterpartyId: recipient.accountId,
    asset: req.asset,
    amount,
    at: deps.now(),
  });
  if (!review.allow) throw new ApiError(403, "compliance", COMPLIANCE_REFUSAL);
  return view(await send());
}

export async function partnerConvert(
  deps: OperationDeps,
  req: { opId: bigint; phone: string; from: AssetSymbol; to: AssetSymbol; amount: string; minAmountOut?: string; maxSlippageBps?: number },
  reachedMoney: ReachedMoney,
): Promise<OperationView> {
  const phone = phoneOf(deps, "phone", req.phone);
  const holder = await registered(deps, phone, "account");
  const amountIn = toBaseUnits(req.amount);
  const existing = await resumable(deps, req.opId, {
    kind: "convert",
    accountId: holder.accountId,
    counterpartyId: undefined,
    asset: req.from,
    amount: amountIn,
    assetOut: req.to,
  });
  const base = {
    id: opIdHex(req.opId),
    kind: "convert" as const,
    asset: req.from,
    amount: fromBaseUnits(amountIn),
    assetOut: req.to,
    phone: maskPhone(phone),
    createdAt: new Date(existing?.createdAt ?? deps.now()).toISOString(),
  };

  if (existing) {
    reachedMoney();
    const minAmountOut = existing.amountOut ?? 0n;
    const outcome = await deps.money.convert({ opId: req.opId, origin: "api", accountId: holder.accountId, from: req.from, to: req.to, amountIn, minAmountOut, budgetMs: deps.budgetMs });
    return { ...base, ...outcomeFields(outcome) };
  }

  await screened(deps, phone);
  let quote;
  try {
    quote = await deps.money.quote(req.from, req.to, amountIn);
  } catch (error) {
    // The pools refused to quote (a halted market, not enough liquidity): the partner's to retry later.
    if (error instanceof MoneyRefusalError) throw new ApiError(422, error.reason, `No quote for ${req.from} → ${req.to} right now: ${error.detail}.`);
    throw error;
  }
  const minAmountOut = req.minAmountOut !== undefined ? toBaseUnits(req.minAmountOut) : (quote.amountOut * BigInt(10_000 - (req.maxSlippageBps ?? 0))) / 10_000n;
  if (quote.amountOut < minAmountOut) {
    throw new ApiError(422, "slippage", `The quote gives ${units(quote.amountOut, req.to)}, less than your minimum of ${units(minAmountOut, req.to)}.`);
  }
  await checkOutflow(deps, holder, req.from, amountIn);
  await checkInflow(deps, holder, req.to, quote.amountOut, await deps.money.balances(holder.accountId));
  const review = await deps.compliance.review({ opId: req.opId, kind: "convert", accountId: holder.accountId, asset: req.from, amount: amountIn, at: deps.now() });
  if (!review.allow) throw new ApiError(403, "compliance", COMPLIANCE_REFUSAL);

  reachedMoney();
  const outcome = await deps.money.convert({ opId: req.opId, origin: "api", accountId: holder.accountId, from: req.from, to: req.to, amountIn, minAmountOut, budgetMs: deps.budgetMs });
  return {
    ...base,
    minAmountOut: fromBaseUnits(minAmountOut),
    quotedAmountOut: fromBaseUnits(quote.amountOut),
    fee: fromBaseUnits(quote.fee),
    ...outcomeFields(outcome),
  };
}
