/**
 * Cash in and cash out (DESIGN.md flows 2 and 3), orchestrated across a mobile-money rail, the reserve
 * attester and the vault (through the MoneyService and its outbox).
 *
 *   cash in:  row ─▶ rail collect ─▶ (callback or poll) rail status: paid ─▶ attester signs Mint ─▶ vault credit ─▶ SMS
 *   cash out: row ─▶ attester signs Burn ─▶ vault debit ─▶ rail payout ─▶ (callback or poll) status:
 *                 paid ─▶ SMS;  failed ─▶ attester signs refund Mint ─▶ vault credit ─▶ SMS
 *
 * The `rail_payments` row is the record (payments.ts); every step reads it afresh and moves it with a
 * conditional update, and every money step is idempotent by a vault operation id derived from the row's
 * reference, so a duplicate callback, a late callback, a poll racing a callback, or a restart in the
 * middle moves no money twice. A callback is only a wake-up: what happened is always asked of the rail
 * itself (`adapter.status`), and the attester asks again before it signs.
 */
import type { Hex } from "viem";

import type { Deployment } from "../../../sdk/deployments.js";
import type { Db, Tables } from "../db/open.js";
import { opIdHex } from "../money/op-id.js";
import type {
  AccountId,
  AssetSymbol,
  Attester,
  CashOutcome,
  CashService,
  Compliance,
  E164,
  Lang,
  MoneyRefusal,
  MoneyService,
  OperationRecord,
  RailAdapter,
  RailId,
  RailStatus,
  SmsSender,
} from "../ports.js";
import { cashOpId, cashReference, type CashPurpose } from "./ids.js";
import { noticeId, noticeText, type NoticeKind } from "./notices.js";
import { railPayments, type RailPaymentRow } from "./payments.js";
import { assetForFiat, assetToBurnForFiat, canonicalFiat, fiatForAsset, rateFor, UnknownCurrencyError, type RateTable } from "./rates.js";
import { collectRef, payoutRef, refundRef } from "./refs.js";
import { cashStatement, statementBook } from "./statements.js";

export type Log = (event: string, fields: Record<string, unknown>) => void;

export interface CashServiceOptions {
  db: Db;
  tables: Tables;
  rails: ReadonlyMap<RailId, RailAdapter>;
  attester: Attester;
  money: MoneyService;
  sms: SmsSender;
  rates: RateTable;
  deployment: Pick<Deployment, "vault" | "cNGN" | "USDC" | "XAUt">;
  /** ms since the epoch; a test may pin it. */
  now?: () => number;
  /** How long a caller waits for the vault's receipt before hearing "requested". */
  budgetMs: number;
  /** How long a proposed statement stays valid (the attester allows at most two days). */
  statementTtlSeconds?: number;
  /** Monitoring rules, run before a cash movement starts; `allow: false` refuses it as "compliance". */
  compliance?: Pick<Compliance, "review">;
  /** The person's language for SMS notices (English when unknown). */
  langOf?: (accountId: AccountId) => Promise<Lang | undefined>;
  /** Events carry references, rails and codes; never a phone number. */
  log?: Log;
}

export interface PollSummary {
  checked: number;
  changed: number;
  errors: number;
}

export interface CashServiceRuntime extends CashService {
  /** Asks the rail, the attester and the vault about every unfinished row; at start, it is crash recovery. */
  pollPending(): Promise<PollSummary>;
  /** Resolves once background work (callbacks, settled operations) has finished. */
  idle(): Promise<void>;
  /** Polls every `everyMs` (a rail's callback can be lost; its status cannot); returns the stop. */
  pollEvery(everyMs: number): () => void;
}

const DEFAULT_STATEMENT_TTL_SECONDS = 86_400;
/** A callback can overtake the rail's answer to our own request; look for its row a few times. */
const CALLBACK_LOOKUP_TRIES = 4;
const CALLBACK_LOOKUP_PAUSE_MS = 250;

export function createCashService(options: CashServiceOptions): CashServiceRuntime {
  const { rails, attester, money, sms, rates, deployment } = options;
  const now = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(now() / 1000);
  const ttl = BigInt(options.statementTtlSeconds ?? DEFAULT_STATEMENT_TTL_SECONDS);
  const log = options.log ?? (() => {});
  const payments = railPayments(options);
  const book = statementBook(options);

  // ── one step at a time per payment, and background work that can be awaited ─────────────────────
  const queues = new Map<string, Promise<unknown>>();
  function exclusive<T>(reference: string, job: () => Promise<T>): Promise<T> {
    const run = (queues.get(reference) ?? Promise.resolve()).then(job, job);
    const tail = run.catch(() => undefined);
    queues.set(reference, tail);
    void tail.then(() => queues.get(reference) === tail && queues.delete(reference));
    return run;
  }
  const background = new Set<Promise<unknown>>();
  function spawn(what: string, job: () => Promise<unknown>) {
    const task = job().catch((error) => log(`${what}.error`, { reason: reasonOf(error) }));
    background.add(task);
    void task.finally(() => background.delete(task));
  }

  const rateOf = (rail: RailId) => rateFor(rates, adapterOf(rail).currency);
  function adapterOf(rail: RailId): RailAdapter {
    const adapter = rails.get(rail);
    if (!adapter) throw new Error(`No adapter for rail ${rail}`);
    return adapter;
  }
  const tokenOf = (asset: AssetSymbol): Hex => deployment[asset];
  const deadline = () => BigInt(nowSeconds()) + ttl;

  async function notify(kind: NoticeKind, row: RailPaymentRow) {
    const lang = (await options.langOf?.(row.accountId as AccountId).catch(() => undefined)) ?? "en";
    const text = noticeText(kind, lang, {
      rail: row.rail as RailId,
      currency: row.currency,
      fiatAmount: row.fiatAmount,
      asset: row.asset as AssetSymbol,
      assetAmount: BigInt(row.assetAmount),
      reference: row.id,
    });
    await sms.notify(noticeId(kind, row.id), row.phone as E164, text);
  }

  async function railStatus(row: RailPaymentRow): Promise<RailStatus | undefined> {
    try {
      return await adapterOf(row.rail as RailId).status(row.direction as "collect" | "payout", row.providerRef!);
    } catch (error) {
      log("rail.status-unavailable", { rail: row.rail, reference: row.id, reason: reasonOf(error) });
      return undefined;
    }
  }

  /** Attests, or logs why not; undefined when the attester would not sign (yet). */
  async function attest(row: RailPaymentRow, direction: "collect" | "payout" | "refund", providerRef: string, change: Parameters<Attester["attest"]>[0]["change"]) {
    try {
      return await attester.attest({ rail: row.rail as RailId, direction, providerRef, change });
    } catch (error) {
      log("attest.refused", { rail: row.rail, reference: row.id, direction, code: codeOf(error), reason: reasonOf(error) });
      return undefined;
    }
  }

  /** Runs the monitoring rules; a reason when they hold the movement, undefined when it may go. */
  async function review(kind: "cash-in" | "cash-out", opId: bigint, accountId: AccountId, asset: AssetSymbol, amount: bigint): Promise<string | undefined> {
    if (!options.compliance) return undefined;
    const verdict = await options.compliance.review({ opId, kind, accountId, asset, amount, at: now() });
    return verdict.allow ? undefined : `held by monitoring (${verdict.alerts.join(", ") || "no alert named"})`;
  }

  // ── cash in ───────────────────────────────────────────────────────────────────────────────────────

  async function cashIn(req: Parameters<CashService["cashIn"]>[0]): Promise<CashOutcome> {
    const reference = cashReference("collect", req.opKey);
    const adapter = rails.get(req.rail);
    if (!adapter) return { status: "refused", reference, reason: "unsupported-rail", detail: `${req.rail} is not connected.` };
    let fiat: string;
    let rate;
    try {
      fiat = canonicalFiat(req.fiatAmount);
      rate = rateFor(rates, adapter.currency);
    } catch (error) {
      if (error instanceof UnknownCurrencyError) return { status: "refused", reference, reason: "unsupported-rail", detail: error.message };
      return { status: "refused", reference, reason: "unknown", detail: reasonOf(error) };
    }
    const assetAmount = assetForFiat(rate, fiat);
    if (assetAmount === 0n) return { status: "refused", reference, reason: "unknown", detail: "The amount is too small to credit." };

    let row = await payments.get(reference);
    if (!row) {
      // A credit the vault would refuse after the customer paid must be refused before they are asked.
      const [balances, limits] = await Promise.all([money.balances(req.accountId), money.limits(req.accountId, rate.asset)]);
      if (limits.maxBalance === 0n) {
        return { status: "refused", reference, reason: "account-not-open", detail: "The vault account is not open, or it is frozen: nothing can be credited to it." };
      }
      if (balances[rate.asset] + assetAmount > limits.maxBalance) {
        return { status: "refused", reference, reason: "limit-balance", detail: `This would take the ${rate.asset} balance over its limit.` };
      }
      const held = await review("cash-in", cashOpId(req.rail, "collect", reference), req.accountId, rate.asset, assetAmount);
      if (held) return { status: "refused", reference, reason: "compliance", detail: held };
      row = (
        await payments.create(
          { id: reference, rail: req.rail, direction: "collect", accountId: req.accountId, phone: req.phone, currency: adapter.currency, fiatAmount: fiat, asset: rate.asset, assetAmount },
          now(),
        )
      ).row;
    }
    if (row.direction !== "collect" || row.accountId !== req.accountId || row.rail !== req.rail || row.fiatAmount !== fiat) {
      return { status: "refused", reference, reason: "unknown", detail: "This operation key was already used for a different cash movement." };
    }
    const settled = await exclusive(reference, async () => {
      const current = (await payments.get(reference))!;
      if (current.status !== "pending" || current.providerRef) return current;
      return requestCollect(current, adapter, req.budgetMs);
    });
    return outcomeOf(settled);
  }

  async function requestCollect(row: RailPaymentRow, adapter: RailAdapter, budgetMs?: number): Promise<RailPaymentRow> {
    let result;
    try {
      result = await adapter.collect({ reference: row.id, phone: row.phone as E164, amount: row.fiatAmount, description: "JuaPesa cash in" });
    } catch (error) {
      if (outcomeUnknown(error)) {
        // The request may have reached the rail: leave the row for reconciliation, never resend blindly.
        log("collect.request-unanswered", { rail: row.rail, reference: row.id, reason: reasonOf(error) });
        return row;
      }
      log("collect.request-refused", { rail: row.rail, reference: row.id, reason: reasonOf(error) });
      return (await payments.transition(row.id, "pending", { status: "failed", resultCode: "request-refused" }, now())) ?? row;
    }
    const updated = (await payments.update(row.id, { providerRef: result.providerRef, resultCode: result.resultCode ?? null }, now()))!;
    if (result.state === "failed") {
      return (await payments.transition(row.id, "pending", { status: "failed", resultCode: result.resultCode ?? "failed" }, now())) ?? updated;
    }
    return result.state === "succeeded" ? advanceCollect(updated, budgetMs) : updated;
  }

  async function advanceCollect(row: RailPaymentRow, budgetMs = options.budgetMs): Promise<RailPaymentRow> {
    if (row.status === "pending") {
      if (!row.providerRef) return row; // the request's answer was lost: reconciliation settles it
      const status = await railStatus(row);
      if (!status || status.state === "pending") return row;
      if (status.state === "failed") {
        const failed = await payments.transition(row.id, "pending", { status: "failed", resultCode: status.resultCode ?? "failed" }, now());
        if (failed) await notify("collect-failed", failed);
        return failed ?? (await payments.get(row.id))!;
      }
      const paid = status.amount !== undefined ? canonicalFiat(status.amount) : row.fiatAmount;
      if (paid !== row.fiatAmount) log("collect.amount-differs", { rail: row.rail, reference: row.id, asked: row.fiatAmount, paid });
      const fields = {
        status: "succeeded",
        receipt: status.receipt ?? null,
        resultCode: status.resultCode ?? null,
        fiatAmount: paid,
        assetAmount: assetForFiat(rateOf(row.rail as RailId), paid).toString(),
      };
      row = (await payments.transition(row.id, "pending", fields, now())) ?? (await payments.get(row.id))!;
    }
    if (row.status !== "succeeded" || row.opId) return row;
    return creditCollect(row, budgetMs);
  }

  async function creditCollect(row: RailPaymentRow, budgetMs: number): Promise<RailPaymentRow> {
    const rail = row.rail as RailId;
    const opId = cashOpId(rail, "collect", row.id);
    const settled = await settledBefore(row, opId, "credit");
    if (settled !== "absent") return settled === "done" ? markCredited(row, opId) : row;
    const change = await book.propose(
      row.id,
      "collect",
      () =>
        cashStatement({
          kind: "mint",
          token: tokenOf(row.asset as AssetSymbol),
          vault: deployment.vault,
          account: row.accountId as AccountId,
          amount: BigInt(row.assetAmount),
          ref: collectRef(rail, row.providerRef!),
          opId,
          deadline: deadline(),
        }),
      nowSeconds(),
    );
    const attestation = await attest(row, "collect", row.providerRef!, change);
    if (!attestation) return row;
    const outcome = await money.credit({ opId, kind: "credit", accountId: row.accountId as AccountId, ...attestation, budgetMs });
    if (outcome.status === "done") return markCredited(row, opId);
    if (outcome.status === "refused") {
      log("collect.credit-refused", { rail, reference: row.id, reason: outcome.reason });
      return (await payments.update(row.id, { resultCode: `credit-refused:${outcome.reason}` }, now())) ?? row;
    }
    return row; // pending: the outbox finishes it and onSettled brings us back
  }

  async function markCredited(row: RailPaymentRow, opId: bigint): Promise<RailPaymentRow> {
    const credited = await payments.transition(row.id, "succeeded", { opId: opIdHex(opId) }, now());
    if (credited && !row.opId) await notify("credited", credited);
    return credited ?? row;
  }

  // ── cash out ──────────────────────────────────────────────────────────────────────────────────────

  async function cashOut(req: Parameters<CashService["cashOut"]>[0]): Promise<CashOutcome> {
    const reference = cashReference("payout", req.opKey);
    const adapter = rails.get(req.rail);
    if (!adapter) return { status: "refused", reference, reason: "unsupported-rail", detail: `${req.rail} is not connected.` };
    let rate;
    try {
      rate = rateFor(rates, adapter.currency);
    } catch (error) {
      return { status: "refused", reference, reason: "unsupported-rail", detail: reasonOf(error) };
    }
    if (req.asset !== rate.asset) {
      return { status: "refused", reference, reason: "unsupported-rail", detail: `${adapter.currency} payouts are made from ${rate.asset}, not ${req.asset}.` };
    }
    if (req.amount <= 0n) return { status: "refused", reference, reason: "unknown", detail: "The amount must be more than zero." };
    // The rail pays whole currency units; only what they are worth is burned, the rest stays.
    const fiat = fiatForAsset(rate, req.amount);
    if (fiat === "0") return { status: "refused", reference, reason: "unknown", detail: `The amount is worth less than 1 ${adapter.currency}.` };
    const burn = assetToBurnForFiat(rate, fiat);
    if (!(await payments.get(reference))) {
      const held = await review("cash-out", cashOpId(req.rail, "payout", reference), req.accountId, rate.asset, burn);
      if (held) return { status: "refused", reference, reason: "compliance", detail: held };
    }

    const { row } = await payments.create(
      { id: reference, rail: req.rail, direction: "payout", accountId: req.accountId, phone: req.phone, currency: adapter.currency, fiatAmount: fiat, asset: rate.asset, assetAmount: burn },
      now(),
    );
    if (row.direction !== "payout" || row.accountId !== req.accountId || row.rail !== req.rail || row.assetAmount !== burn.toString()) {
      return { status: "refused", reference, reason: "unknown", detail: "This operation key was already used for a different cash movement." };
    }
    const settled = await exclusive(reference, async () => {
      const current = (await payments.get(reference))!;
      if (current.status !== "pending" || current.opId) return current;
      return debitThenPay(current, { budgetMs: req.budgetMs, waiting: true }, await money.operation(cashOpId(req.rail, "payout", reference)));
    });
    return outcomeOf(settled);
  }

  /** The debit phase: attested burn, then the payout once the vault has executed it. */
  async function debitThenPay(row: RailPaymentRow, how: { budgetMs?: number; waiting: boolean }, existing?: OperationRecord): Promise<RailPaymentRow> {
    const rail = row.rail as RailId;
    const opId = cashOpId(rail, "payout", row.id);
    // A person waiting on the screen hears a refusal there; one who has moved on gets an SMS.
    const tell = !how.waiting;
    if (existing) {
      if (existing.status === "done") return requestPayout(await markDebited(row, opId));
      if (existing.status === "failed") return refuseCashOut(row, `debit-refused:${refusalOf(existing.error)}`, tell);
      return row; // the outbox is sending it; onSettled brings us back
    }
    const change = await book.propose(
      row.id,
      "payout",
      () =>
        cashStatement({
          kind: "burn",
          token: tokenOf(row.asset as AssetSymbol),
          vault: deployment.vault,
          account: row.accountId as AccountId,
          amount: BigInt(row.assetAmount),
          ref: payoutRef(rail, row.id),
          opId,
          deadline: deadline(),
        }),
      nowSeconds(),
    );
    // Before the payout exists, the burn is bound to our payout reference.
    const attestation = await attest(row, "payout", row.id, change);
    if (!attestation) return refuseCashOut(row, "attester-refused", tell);
    const outcome = await money.debit({ opId, accountId: row.accountId as AccountId, ...attestation, budgetMs: how.budgetMs ?? options.budgetMs });
    if (outcome.status === "refused") return refuseCashOut(row, `debit-refused:${outcome.reason}`, tell);
    if (outcome.status === "pending") return row;
    return requestPayout(await markDebited(row, opId));
  }

  async function markDebited(row: RailPaymentRow, opId: bigint) {
    return (await payments.transition(row.id, "pending", { opId: opIdHex(opId) }, now())) ?? (await payments.get(row.id))!;
  }

  /** Nothing was taken: the row fails without a vault operation; the person hears it unless they are waiting. */
  async function refuseCashOut(row: RailPaymentRow, resultCode: string, tell: boolean): Promise<RailPaymentRow> {
    const failed = await payments.transition(row.id, "pending", { status: "failed", resultCode }, now());
    log("payout.refused", { rail: row.rail, reference: row.id, resultCode });
    if (failed && tell) await notify("payout-refused", failed);
    return failed ?? (await payments.get(row.id))!;
  }

  async function requestPayout(row: RailPaymentRow): Promise<RailPaymentRow> {
    if (row.status !== "pending" || !row.opId || row.providerRef) return row;
    const adapter = adapterOf(row.rail as RailId);
    let result;
    try {
      result = await adapter.payout({ reference: row.id, phone: row.phone as E164, amount: row.fiatAmount, remarks: "JuaPesa cash out" });
    } catch (error) {
      if (outcomeUnknown(error)) {
        log("payout.request-unanswered", { rail: row.rail, reference: row.id, reason: reasonOf(error) });
        return row;
      }
      // The rail refused the request outright: no payout id exists, so no refund can be attested against
      // one. The row waits for an operator (reconciliation lists it as a payout failed without a refund).
      log("payout.request-refused", { rail: row.rail, reference: row.id, reason: reasonOf(error) });
      return (await payments.transition(row.id, "pending", { status: "failed", resultCode: "request-refused" }, now())) ?? row;
    }
    const updated = (await payments.update(row.id, { providerRef: result.providerRef, resultCode: result.resultCode ?? null }, now()))!;
    if (result.state === "pending") return updated;
    return advancePayout(updated);
  }

  async function advancePayout(row: RailPaymentRow): Promise<RailPaymentRow> {
    if (row.status === "pending" && !row.opId) {
      return debitThenPay(row, { waiting: false }, await money.operation(cashOpId(row.rail as RailId, "payout", row.id)));
    }
    if (row.status === "pending" && !row.providerRef) return requestPayout(row);
    if (row.status === "pending") {
      const status = await railStatus(row);
      if (!status || status.state === "pending") return row;
      if (status.state === "succeeded") {
        const paid = await payments.transition(row.id, "pending", { status: "succeeded", receipt: status.receipt ?? null, resultCode: status.resultCode ?? null }, now());
        if (paid) await notify("paid", paid);
        return paid ?? (await payments.get(row.id))!;
      }
      row = (await payments.transition(row.id, "pending", { status: "failed", resultCode: status.resultCode ?? "failed" }, now())) ?? (await payments.get(row.id))!;
    }
    if (row.status === "failed" && row.opId) return refund(row);
    return row;
  }

  async function refund(row: RailPaymentRow): Promise<RailPaymentRow> {
    const rail = row.rail as RailId;
    if (!row.providerRef) return row; // see requestPayout: an operator settles it
    const opId = cashOpId(rail, "refund", row.id);
    const settled = await settledBefore(row, opId, "refund");
    if (settled !== "absent") return settled === "done" ? markRefunded(row, opId) : row;
    const change = await book.propose(
      row.id,
      "refund",
      () =>
        cashStatement({
          kind: "mint",
          token: tokenOf(row.asset as AssetSymbol),
          vault: deployment.vault,
          account: row.accountId as AccountId,
          amount: BigInt(row.assetAmount),
          ref: refundRef(rail, row.id),
          opId,
          deadline: deadline(),
        }),
      nowSeconds(),
    );
    const attestation = await attest(row, "refund", row.providerRef, change);
    if (!attestation) return row;
    const outcome = await money.credit({ opId, kind: "refund", accountId: row.accountId as AccountId, ...attestation, budgetMs: options.budgetMs });
    if (outcome.status === "done") return markRefunded(row, opId);
    if (outcome.status === "refused") log("payout.refund-refused", { rail, reference: row.id, reason: outcome.reason });
    return row;
  }

  async function markRefunded(row: RailPaymentRow, opId: bigint): Promise<RailPaymentRow> {
    const refunded = await payments.transition(row.id, "failed", { status: "refunded", refundOpId: opIdHex(opId) }, now());
    if (refunded) await notify("refunded", refunded);
    return refunded ?? (await payments.get(row.id))!;
  }

  /** What the outbox knows of a vault operation: done, still under way, failed, or never written. */
  async function settledBefore(row: RailPaymentRow, opId: bigint, what: string): Promise<"done" | "under-way" | "failed" | "absent"> {
    const op = await money.operation(opId);
    if (!op) return "absent";
    if (op.status === "done") return "done";
    if (op.status === "failed") {
      log(`${what}.failed`, { rail: row.rail, reference: row.id, error: op.error });
      return "failed";
    }
    return "under-way";
  }

  // ── events: callbacks, settled operations, polling ──────────────────────────────────────────────────

  async function advance(id: string): Promise<RailPaymentRow | undefined> {
    const row = await payments.get(id);
    if (!row || !rails.has(row.rail as RailId)) return row;
    return row.direction === "collect" ? advanceCollect(row) : advancePayout(row);
  }

  async function onCallback(rail: RailId, direction: "collect" | "payout", body: unknown, headers: Record<string, string>): Promise<void> {
    const adapter = rails.get(rail);
    if (!adapter) return log("callback.unknown-rail", { rail, direction });
    let parsed: RailStatus | undefined;
    try {
      parsed = adapter.parseCallback(direction, body, headers);
    } catch (error) {
      log("callback.unreadable", { rail, direction, reason: reasonOf(error) });
    }
    if (!parsed) return log("callback.unrecognised", { rail, direction });
    let row: RailPaymentRow | undefined;
    for (let i = 0; i < CALLBACK_LOOKUP_TRIES && !row; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, CALLBACK_LOOKUP_PAUSE_MS));
      row = await payments.byProviderRef(rail, parsed.providerRef);
    }
    if (!row || row.direction !== direction) return log("callback.unknown-reference", { rail, direction });
    log("callback.received", { rail, direction, reference: row.id, claims: parsed.state });
    // The callback's own claim is not evidence: advancing asks the rail.
    await exclusive(row.id, () => advance(row.id));
  }

  money.onSettled((op) => {
    if (op.kind !== "credit" && op.kind !== "debit" && op.kind !== "refund") return;
    spawn("settled", async () => {
      for (const row of await payments.unsettled(op.accountId)) {
        const purposes: CashPurpose[] = row.direction === "collect" ? ["collect"] : ["payout", "refund"];
        if (purposes.some((p) => cashOpId(row.rail as RailId, p, row.id) === op.opId)) await exclusive(row.id, () => advance(row.id));
      }
    });
  });

  async function pollPending(): Promise<PollSummary> {
    const rows = await payments.unsettled();
    let changed = 0;
    let errors = 0;
    for (const row of rows) {
      try {
        const after = await exclusive(row.id, () => advance(row.id));
        if (after && (after.status !== row.status || after.opId !== row.opId || after.providerRef !== row.providerRef)) changed++;
      } catch (error) {
        errors++;
        log("poll.error", { rail: row.rail, reference: row.id, reason: reasonOf(error) });
      }
    }
    return { checked: rows.length, changed, errors };
  }

  return {
    cashIn,
    cashOut,
    onCallback(rail, direction, body, headers) {
      // Tracked, so idle() also waits for callbacks the routes handed over without waiting.
      const task = onCallback(rail, direction, body, headers);
      background.add(task);
      void task.finally(() => background.delete(task)).catch(() => undefined);
      return task;
    },
    rate: (rail) => rateOf(rail),
    pollPending,
    pollEvery(everyMs) {
      let running: Promise<unknown> | undefined;
      const timer = setInterval(() => {
        running ??= pollPending()
          .catch((error) => log("poll.error", { reason: reasonOf(error) }))
          .finally(() => (running = undefined));
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async idle() {
      while (background.size > 0 || queues.size > 0) {
        await Promise.allSettled([...background, ...queues.values()]);
      }
    },
  };
}

/** What a caller is told, read from the row alone (so a retry of the same opKey hears the same). */
export function outcomeOf(row: RailPaymentRow): CashOutcome {
  const reference = row.id;
  if (row.direction === "collect") {
    if (row.status === "succeeded" && row.opId) return { status: "done", reference };
    if (row.status === "failed") return { status: "refused", reference, reason: "rail-failed", detail: row.resultCode ?? undefined };
    return { status: "requested", reference };
  }
  if (row.status === "succeeded") return { status: "done", reference };
  if (row.status === "failed" && !row.opId) {
    const code = row.resultCode ?? "";
    if (code.startsWith("debit-refused:")) return { status: "refused", reference, reason: code.slice("debit-refused:".length) as MoneyRefusal };
    return { status: "refused", reference, reason: code === "attester-refused" ? "invalid-statement" : "unknown", detail: code || undefined };
  }
  if (row.status === "failed" || row.status === "refunded") return { status: "refused", reference, reason: "rail-failed", detail: row.resultCode ?? undefined };
  return { status: "requested", reference };
}

/** A network failure or a lost answer: the request may or may not have reached the rail. */
function outcomeUnknown(error: unknown): boolean {
  return error instanceof Error && error.name === "ProviderError" && (error as { status?: number }).status === undefined;
}

const MONEY_REFUSALS: readonly MoneyRefusal[] = [
  "insufficient-balance",
  "limit-single",
  "limit-daily",
  "limit-balance",
  "account-frozen",
  "account-not-open",
  "self-transfer",
  "slippage",
  "market-halted",
  "pool-limit",
  "compliance",
  "invalid-statement",
  "unknown",
];
function refusalOf(error: string | undefined): MoneyRefusal {
  return MONEY_REFUSALS.find((r) => error?.startsWith(r)) ?? "unknown";
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : undefined;
}
