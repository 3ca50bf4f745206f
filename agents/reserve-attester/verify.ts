/**
 * What the attester checks before it signs. It believes the rail (asked directly: `adapter.status`, and
 * the rail's statement where the status API says too little), the chain and its own records, and
 * nothing the bridge says: the bridge's request only names the rail request and proposes a statement,
 * which must then be exactly the statement the facts imply.
 *
 * - collect (cash in) → Mint: the rail says the collection succeeded; the amount it reports, at the
 *   custodian's rate, is the statement's amount; the payer's number hashes to the statement's account;
 *   the ref is the hash of the rail's id for the request. Each rail request is attested once.
 * - payout (cash out) → Burn: signed on request. A burn removes tokens, so however it is used it cannot
 *   raise supply above reserves (invariant 1); the worst a rogue request can do is destroy an account's
 *   balance, which the vault's operator could already move. It is bound to one payout reference (its ref
 *   is that reference's hash) so each payout has one burn, and a refund can only ever reverse that burn.
 * - refund → Mint: a burn this attester signed for the payout was executed on the ledger, the rail says
 *   the payout failed (status and statement agree; the statement's line carries that payout's reference
 *   where the rail echoes it, and the payee is the debited account's number where the rail names it),
 *   and the refund gives back exactly what was burned, to the same account. Each failed rail payout
 *   refunds at most one burn.
 *
 * Some status APIs say little (M-Pesa's STK query gives neither amount, receipt nor payer): the
 * statement line of the same request completes the evidence. Where status and statement disagree on
 * the outcome, nothing is signed until they agree.
 */
import type { Hex } from "viem";

import { SupplyChangeKind, type SupplyChange } from "../../sdk/attestation.js";
import type { Deployment } from "../../sdk/deployments.js";
import { accountIdFor, type E164 } from "../../sdk/phone.js";
import type { AttestationRequest, RailAdapter, RailId, RailState, RailStatementLine } from "../../ussd-bridge/src/ports.js";
import { assetForFiat, assetToBurnForFiat, rateFor, type RateTable } from "../../ussd-bridge/src/cash/rates.js";
import { collectRef, payoutRef, refundRef } from "../../ussd-bridge/src/cash/refs.js";
import type { AttestationRecord, AttestationStore } from "./store.js";
import type { RefusalCode } from "./wire.js";

export interface VerifyContext {
  rails: ReadonlyMap<RailId, RailAdapter>;
  rates: RateTable;
  pepper: Uint8Array;
  deployment: Pick<Deployment, "vault" | "cNGN" | "USDC" | "XAUt">;
  store: AttestationStore;
  /** Whether the ledger has consumed a statement (by its digest). */
  isStatementUsed(digest: Hex): Promise<boolean>;
  /** The chain's time (latest block, unix seconds): deadlines are the chain's to enforce. */
  chainTime(): Promise<bigint>;
  /** The wall clock (ms), for searching the rail's statement. */
  nowMs(): number;
  /** The longest a statement may stay valid (seconds). */
  maxValiditySeconds: number;
  /** How far back the rail's statement is searched for a request (ms). */
  statementLookbackMs: number;
}

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "Refusal";
  }
}

/** What is recorded beside the signatures when the request passes. */
export type Verified = Pick<AttestationRecord, "ref" | "rail" | "direction" | "providerRef" | "refundRef" | "fiatAmount">;

export async function verifyRequest(req: AttestationRequest, ctx: VerifyContext): Promise<Verified> {
  const adapter = ctx.rails.get(req.rail);
  if (!adapter) throw new Refusal("unsupported-rail", `This attester has no adapter for rail "${req.rail}".`);
  await checkCommon(req.change, ctx);
  switch (req.direction) {
    case "collect":
      return verifyCollect(req, adapter, ctx);
    case "payout":
      return verifyBurn(req, adapter, ctx);
    case "refund":
      return verifyRefund(req, adapter, ctx);
  }
}

async function checkCommon(change: SupplyChange, ctx: VerifyContext) {
  if (change.holder.toLowerCase() !== ctx.deployment.vault.toLowerCase()) {
    throw new Refusal("statement-mismatch", "Cash statements must name the custodial vault as holder.");
  }
  if (/^0x0{64}$/.test(change.account)) throw new Refusal("statement-mismatch", "Cash statements must name a vault account.");
  if (change.amount <= 0n) throw new Refusal("amount-mismatch", "The amount must be above zero.");
  const now = await ctx.chainTime();
  if (change.deadline <= now || change.deadline > now + BigInt(ctx.maxValiditySeconds)) {
    throw new Refusal("statement-mismatch", `The deadline must be after the chain's time and at most ${ctx.maxValiditySeconds} s after it.`);
  }
}

async function verifyCollect(req: AttestationRequest, adapter: RailAdapter, ctx: VerifyContext): Promise<Verified> {
  const { change } = req;
  if (change.kind !== SupplyChangeKind.Mint) throw new Refusal("statement-mismatch", "A cash in is attested as a mint.");
  const rate = rateFor(ctx.rates, adapter.currency);
  expectAsset(change, ctx.deployment[rate.asset], rate.asset);
  const facts = await railFacts(adapter, "collect", req.providerRef, ctx, (f) => f.amount === undefined || f.phone === undefined);
  if (facts.state === "pending") throw new Refusal("rail-pending", "The rail has not confirmed this collection yet.");
  if (facts.state === "failed") throw new Refusal("rail-failed", `The rail reports this collection failed (${facts.resultCode ?? "no code"}).`);
  if (facts.amount === undefined || facts.phone === undefined) {
    throw new Refusal("unverifiable", "Neither the rail's status nor its statement states the amount and the payer, so the statement cannot be checked.");
  }
  const expected = assetForFiat(rate, facts.amount);
  if (change.amount !== expected) {
    throw new Refusal("amount-mismatch", `The rail collected ${facts.amount} ${adapter.currency}, which is ${expected} ${rate.asset} base units, not ${change.amount}.`);
  }
  if (accountIdFor(ctx.pepper, facts.phone).toLowerCase() !== change.account.toLowerCase()) {
    throw new Refusal("account-mismatch", "The payer on the rail is not the account the statement credits.");
  }
  const ref = collectRef(req.rail, req.providerRef);
  if (change.ref.toLowerCase() !== ref) throw new Refusal("ref-mismatch", "The ref must be the hash of the rail's id for this collection.");
  return { ref, rail: req.rail, direction: "collect", providerRef: req.providerRef, fiatAmount: facts.amount };
}

async function verifyBurn(req: AttestationRequest, adapter: RailAdapter, ctx: VerifyContext): Promise<Verified> {
  const { change } = req;
  if (change.kind !== SupplyChangeKind.Burn) throw new Refusal("statement-mismatch", "A cash out is attested as a burn.");
  const rate = rateFor(ctx.rates, adapter.currency);
  expectAsset(change, ctx.deployment[rate.asset], rate.asset);
  // Before the payout exists, providerRef is our payout reference: the burn is bound to it.
  const ref = payoutRef(req.rail, req.providerRef);
  if (change.ref.toLowerCase() !== ref) throw new Refusal("ref-mismatch", "The ref must be the hash of the payout reference.");
  return { ref, rail: req.rail, direction: "payout", providerRef: req.providerRef, refundRef: refundRef(req.rail, req.providerRef) };
}

async function verifyRefund(req: AttestationRequest, adapter: RailAdapter, ctx: VerifyContext): Promise<Verified> {
  const { change } = req;
  if (change.kind !== SupplyChangeKind.Mint) throw new Refusal("statement-mismatch", "A refund is attested as a mint.");
  const burn = ctx.store.burnForRefund(change.ref);
  if (!burn || burn.rail !== req.rail) throw new Refusal("no-burn", "This attester signed no burn for the payout this refund names.");
  const burned = burn.change;
  if (change.asset.toLowerCase() !== burned.asset.toLowerCase() || change.account.toLowerCase() !== burned.account.toLowerCase()) {
    throw new Refusal("account-mismatch", "A refund goes back to the account and asset that were debited.");
  }
  if (change.amount !== burned.amount) throw new Refusal("amount-mismatch", `A refund gives back exactly what was burned (${burned.amount}).`);
  if (!(await ctx.isStatementUsed(burn.digest))) {
    throw new Refusal("no-burn", "The burn for this payout was never executed on the ledger, so there is nothing to refund.");
  }
  const facts = await railFacts(adapter, "payout", req.providerRef, ctx, () => true);
  if (facts.state === "pending") throw new Refusal("rail-pending", "The rail has not settled this payout yet.");
  if (facts.state === "succeeded") throw new Refusal("payout-not-failed", "The rail reports this payout as paid: there is nothing to refund.");
  if (!facts.line) throw new Refusal("rail-pending", "The failed payout is not on the rail's statement yet; try again later.");
  // burn.providerRef is the payout reference the burn was bound to. Where the rail echoes it, it must
  // match; where the rail names the payee, it must be the debited account's number. Either keeps one
  // payout's failure from refunding another payout's burn.
  if (facts.line.reference !== undefined && facts.line.reference !== burn.providerRef) {
    throw new Refusal("ref-mismatch", "The failed payout on the rail is not the payout this burn paid for.");
  }
  if (facts.phone !== undefined && accountIdFor(ctx.pepper, facts.phone).toLowerCase() !== burned.account.toLowerCase()) {
    throw new Refusal("account-mismatch", "The failed payout on the rail was to another number than the debited account's.");
  }
  if (facts.amount !== undefined) {
    const rate = rateFor(ctx.rates, adapter.currency);
    if (assetToBurnForFiat(rate, facts.amount) !== burned.amount) {
      throw new Refusal("amount-mismatch", `The failed payout was for ${facts.amount} ${adapter.currency}, which is not what was burned.`);
    }
  }
  return { ref: change.ref.toLowerCase() as Hex, rail: req.rail, direction: "refund", providerRef: req.providerRef, fiatAmount: facts.amount };
}

interface RailFacts {
  state: RailState;
  resultCode?: string;
  amount?: string;
  receipt?: string;
  phone?: E164;
  line?: RailStatementLine;
}

/**
 * The rail's account of one request: its status, completed from its statement line when `needLine`
 * says the status lacks something. Status and statement must not contradict each other.
 */
async function railFacts(
  adapter: RailAdapter,
  direction: "collect" | "payout",
  providerRef: string,
  ctx: VerifyContext,
  needLine: (facts: RailFacts) => boolean,
): Promise<RailFacts> {
  const status = await askRail(() => adapter.status(direction, providerRef), "status query");
  const facts: RailFacts = { state: status.state, resultCode: status.resultCode, amount: status.amount, receipt: status.receipt, phone: status.phone };
  if (facts.state === "pending" || !needLine(facts)) return facts;
  const now = ctx.nowMs();
  const lines = await askRail(() => adapter.statement(now - ctx.statementLookbackMs, now + 60_000), "statement");
  const line = lines.find((l) => l.providerRef === providerRef && l.direction === direction);
  if (!line) return facts;
  if (line.state !== facts.state) {
    throw new Refusal("rail-pending", `The rail's status says ${facts.state} but its statement says ${line.state}; waiting until they agree.`);
  }
  return { ...facts, amount: facts.amount ?? line.amount, receipt: facts.receipt ?? line.receipt, phone: facts.phone ?? line.phone, line };
}

function expectAsset(change: SupplyChange, expected: Hex, symbol: string) {
  if (change.asset.toLowerCase() !== expected.toLowerCase()) {
    throw new Refusal("statement-mismatch", `This rail's money is booked as ${symbol} (${expected}) at the custodian's rate.`);
  }
}

async function askRail<T>(ask: () => Promise<T>, what: string): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Refusal("rail-unreachable", `The rail did not answer the ${what} (${reason}); try again later.`);
  }
}
