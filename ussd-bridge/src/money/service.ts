/**
 * The money service (ports.ts `MoneyService`): every operation goes through the outbox and the
 * operator's send queue, executes at most once on the vault, and answers within the caller's budget.
 *
 * One operation, start to finish:
 *  1. Write the outbox row (`pending`). The same opId again finds the row instead: a final row
 *     answers at once, an open one is waited on, nothing is sent twice from here.
 *  2. Estimate gas for the vault call. A revert here is a refusal: it is decoded (refusal.ts), the
 *     row is marked `failed`, and no transaction is sent. `OperationAlreadyExecuted` means done.
 *  3. Send (in nonce order, sender.ts); record the hash (`submitted`).
 *  4. Wait for the receipt. Within the budget the caller hears `done` (or `refused`); after it,
 *     `pending`, and the wait goes on in the background; when the row becomes final then, the
 *     `onSettled` listeners hear about it (the SMS that follows an "in progress" screen).
 *
 * A crash anywhere leaves an open row. `reconcile()` (at start, and on a timer if asked) asks the
 * vault whether each open operation executed (`isOperationExecuted`): if so the row is done; if not
 * the call is sent again with the same opId, which is safe because the vault executes an id once.
 * A row is only marked `failed` when no transaction sent for it can still land.
 */
import { TransactionNotFoundError, zeroHash, type Address, type Hex, type PublicClient, type TransactionReceipt, type WalletClient } from "viem";

import { custodialVaultAbi } from "../../../sdk/abis.generated.js";
import type { Deployment } from "../../../sdk/deployments.js";
import type { SupplyChange } from "../../../sdk/attestation.js";
import { DEFAULTS } from "../config.js";
import type { Db, Tables } from "../db/open.js";
import { ASSET_SYMBOLS, type AccountId, type AssetSymbol, type Compliance, type Limits, type MoneyRefusal, type MoneyService, type OperationRecord, type OpOutcome } from "../ports.js";
import { executionInLogs, findExecution, vaultCall } from "./calls.js";
import { opIdHex } from "./op-id.js";
import { createOutbox, decodePayload, isFinal, parseRefusal, toRecord, type NewOperation, type OperationRow, type OutboxSend } from "./outbox.js";
import { createQuoter } from "./quote.js";
import { receiptIfAny, receiptWithin, sleep } from "./receipts.js";
import { MoneyRefusalError, PROTOCOL_ERROR_ABIS, refusalOf, revertOf } from "./refusal.js";
import { createTxSender, type SentTransaction, type TxSender } from "./sender.js";

export interface MoneyServiceOptions {
  db: Db;
  tables: Tables;
  chain: {
    public: PublicClient;
    /** Holds the vault's operator role. */
    wallet: WalletClient;
    /** The operator's send queue, when the registry already made one for the same key. */
    sender?: TxSender;
  };
  deployment: Deployment;
  /** Default wait for a receipt before answering `pending` (a call's own `budgetMs` overrides it). */
  budgetMs?: number;
  /** Monitoring before transfers and converts; `allow: false` refuses the operation as "compliance". */
  compliance?: Pick<Compliance, "review">;
  /** How long an operation is watched in the background before it is left to `reconcile()`. */
  settleMs?: number;
  /**
   * How long a sent transaction the node does not know may still be on its way before it counts as
   * lost and is sent again. An Ethereum node knows a transaction the moment it accepts it; Hedera's
   * relay shows one only once the mirror node has it, a few seconds later.
   */
  unknownGraceMs?: number;
  /** How long a convert may wait to execute before the vault refuses it (its deadline), in seconds. */
  convertTtlSeconds?: number;
  /** Runs `reconcile()` on this interval (the app sets it; tests call reconcile themselves). */
  reconcileEveryMs?: number;
  now?: () => number;
  /** Where problems that do not reach a caller are reported (no phone numbers or PINs are ever in them). */
  log?: (message: string) => void;
}

export type BridgeMoneyService = MoneyService & {
  /** Stops background work (waits, retries, the reconcile timer); open rows stay for the next start. */
  close(): Promise<void>;
};

const SETTLE_MS = 120_000;
const UNKNOWN_GRACE_MS = 15_000;
const CONVERT_TTL_SECONDS = 600;
/** Sends per operation in one drive: a send that runs out of gas is retried with a fresh estimate. */
const MAX_SENDS = 3;
/** Transient failures (RPC down) tolerated in one drive before the row is left to `reconcile()`. */
const MAX_TRANSIENT = 3;

export function createMoneyService(options: MoneyServiceOptions): BridgeMoneyService {
  const { db, tables, deployment } = options;
  const client = options.chain.public;
  const now = options.now ?? Date.now;
  const defaultBudget = options.budgetMs ?? DEFAULTS.budgetMs;
  const settleMs = options.settleMs ?? SETTLE_MS;
  const unknownGraceMs = options.unknownGraceMs ?? UNKNOWN_GRACE_MS;
  const log = options.log ?? ((message: string) => console.warn(`[money] ${message}`));
  const sender = options.chain.sender ?? createTxSender({ public: client, wallet: options.chain.wallet });
  const outbox = createOutbox(db, tables, now);
  const quoter = createQuoter(client, deployment);
  const closing = new AbortController();
  const listeners: ((op: OperationRecord) => void)[] = [];
  /** Operations being driven in this process, and how many callers are waiting on each right now. */
  const inflight = new Map<Hex, { promise: Promise<OpOutcome>; waiting: number }>();

  const tokens: Record<AssetSymbol, Address> = { cNGN: deployment.cNGN, USDC: deployment.USDC, XAUt: deployment.XAUt };
  function symbolOf(token: Address): AssetSymbol {
    const symbol = ASSET_SYMBOLS.find((s) => tokens[s].toLowerCase() === token.toLowerCase());
    if (!symbol) throw new Error(`token ${token} is not one of the deployment's assets`);
    return symbol;
  }
  async function symbolOfMinter(minter: Address): Promise<AssetSymbol> {
    const known = ASSET_SYMBOLS.find((s) => tokens[s].toLowerCase() === minter.toLowerCase());
    if (known) return known;
    // An HTS issuer mints for its token: the vault knows which.
    return symbolOf(await client.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "assetOf", args: [minter] }));
  }

  // ─── outcomes ──────────────────────────────────────────────────────────────────────────────────

  function outcomeOf(row: OperationRow): OpOutcome {
    const opId = BigInt(row.opId);
    if (row.status === "done") return { status: "done", opId, txHash: row.txHash as Hex, ...(row.kind === "convert" && row.amountOut ? { amountOut: BigInt(row.amountOut) } : {}) };
    if (row.status === "failed") {
      const { reason, detail } = parseRefusal(row.error);
      return { status: "refused", opId, reason, ...(detail ? { detail } : {}) };
    }
    return { status: "pending", opId, ...(row.txHash ? { txHash: row.txHash as Hex } : {}) };
  }

  /** Tells the listeners, unless a caller is still waiting for this operation's answer. */
  function settled(row: OperationRow) {
    if ((inflight.get(row.opId as Hex)?.waiting ?? 0) > 0) return;
    const record = toRecord(row);
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (error) {
        log(`an onSettled listener failed for ${row.opId.slice(0, 10)}…: ${message(error)}`);
      }
    }
  }

  async function finishDone(opId: Hex, txHash: Hex, amountOut?: bigint): Promise<OpOutcome> {
    const row = await outbox.finish(opId, { status: "done", txHash, amountOut });
    if (row) settled(row);
    return outcomeOf(row ?? (await outbox.get(opId))!);
  }

  async function finishFailed(opId: Hex, reason: MoneyRefusal, detail: string): Promise<OpOutcome> {
    const row = await outbox.finish(opId, { status: "failed", reason, detail });
    if (row) settled(row);
    return outcomeOf(row ?? (await outbox.get(opId))!);
  }

  /** Done by a transaction this row may not know: find it among the vault's events. */
  async function finishExecuted(row: OperationRow): Promise<OpOutcome> {
    const payload = decodePayload(row.payload);
    const found = await findExecution(client, deployment, row.kind as NewOperation["kind"], BigInt(row.opId), payload.sinceBlock ?? 0n).catch((error) => {
      log(`no event found for executed operation ${row.opId.slice(0, 10)}…: ${message(error)}`);
      return undefined;
    });
    // Without the event (a node that prunes logs or limits ranges) the last hash sent is the best reference there is.
    const txHash = found?.txHash ?? (row.txHash as Hex | null) ?? payload.sends.at(-1)?.hash ?? zeroHash;
    return finishDone(row.opId as Hex, txHash, found?.amountOut);
  }

  async function finishReceipt(row: OperationRow, receipt: TransactionReceipt): Promise<OpOutcome> {
    const execution = executionInLogs(row.kind as NewOperation["kind"], BigInt(row.opId), receipt.logs);
    return finishDone(row.opId as Hex, receipt.transactionHash, execution?.amountOut);
  }

  // ─── driving one operation to an end ───────────────────────────────────────────────────────────

  async function isExecuted(opId: Hex): Promise<boolean> {
    return client.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "isOperationExecuted", args: [BigInt(opId)] });
  }

  /** The account's mined nonce count: every send with a lower nonce is final (it ran, or another transaction took its nonce). */
  function minedNonce(): Promise<number> {
    return client.getTransactionCount({ address: sender.address, blockTag: "latest" });
  }

  /** Whether the node knows a send: mined (with its receipt when the hash is known), waiting to be mined, or not at all. */
  async function sendState(sent: OutboxSend): Promise<{ kind: "mined"; receipt?: TransactionReceipt } | { kind: "waiting" } | { kind: "unknown" }> {
    if (sent.hash) {
      const receipt = await receiptIfAny(client, sent.hash);
      if (receipt) return { kind: "mined", receipt };
    }
    if (sent.nonce < (await minedNonce())) return { kind: "mined" };
    if (!sent.hash) return { kind: "unknown" };
    try {
      await client.getTransaction({ hash: sent.hash });
      return { kind: "waiting" };
    } catch (error) {
      if (error instanceof TransactionNotFoundError) return { kind: "unknown" };
      throw error;
    }
  }

  /**
   * True when no send recorded for an operation can still execute, so a refusal now is final: each
   * one's nonce is spent, or the node has not known it for longer than anything takes to land.
   */
  async function cannotLand(sends: OutboxSend[]): Promise<boolean> {
    if (sends.length === 0) return true;
    const mined = await minedNonce();
    for (const sent of sends) {
      if (sent.nonce < mined) continue;
      if (now() - sent.at <= settleMs) return false;
      if ((await sendState(sent)).kind === "waiting") return false;
    }
    return true;
  }

  /**
   * Takes an open row as far as it can go: to `done` or `failed`, or, when the chain does not answer
   * in time, leaves it open and answers `pending`. Never marks a row failed while a transaction sent
   * for it could still execute.
   */
  async function drive(opId: Hex): Promise<OpOutcome> {
    let transient = 0;
    let sendsHere = 0;
    for (;;) {
      const row = await outbox.get(opId);
      if (!row) throw new Error(`no outbox row ${opId.slice(0, 10)}…`);
      if (isFinal(row)) return outcomeOf(row);
      if (closing.signal.aborted) return outcomeOf(row);
      try {
        const payload = decodePayload(row.payload);
        const last = payload.sends.at(-1);
        if (last) {
          let state = await sendState(last);
          if (state.kind !== "mined" && last.hash) {
            // Waiting to be mined: wait. Unknown: give it the grace some nodes need to show a fresh one.
            const wait = state.kind === "waiting" ? settleMs : last.at + unknownGraceMs - now();
            const receipt = wait > 0 ? await receiptWithin(client, last.hash, wait, { signal: closing.signal }) : undefined;
            if (receipt) state = { kind: "mined", receipt };
            else if (state.kind === "waiting" || (await sendState(last)).kind === "waiting") return outcomeOf(row); // reconcile() looks again later
          }
          if (state.kind === "mined" && state.receipt?.status === "success") return await finishReceipt(row, state.receipt);
          // Reverted although the estimate passed (state moved in between, or out of gas), or lost on
          // the way: unless the vault executed the id after all, it is sent again below (the vault
          // refuses a double, so sending again is safe).
          if (await isExecuted(opId)) return await finishExecuted(row);
        } else if (payload.sinceBlock !== undefined) {
          // A send was being prepared when the bridge stopped: the vault knows whether it ran.
          if (await isExecuted(opId)) return await finishExecuted(row);
        }
        if (sendsHere >= MAX_SENDS) return outcomeOf(row);

        let call;
        try {
          call = await vaultCall(deployment.vault, BigInt(opId), payload.request, quoter, symbolOf);
        } catch (error) {
          if (!(error instanceof MoneyRefusalError)) throw error;
          if (await cannotLand(payload.sends)) return await finishFailed(opId, error.reason, error.detail);
          return outcomeOf(row); // an earlier send may still execute: reconcile() looks again later
        }
        if (payload.sinceBlock === undefined) await outbox.markSearchFrom(opId, await client.getBlockNumber());
        let sent: SentTransaction;
        try {
          sendsHere++;
          sent = await sender.send(call, { errorAbis: PROTOCOL_ERROR_ABIS, beforeBroadcast: (tx) => outbox.recordSend(opId, { ...tx, at: now() }) });
        } catch (error) {
          const revert = revertOf(error);
          if (!revert) throw error;
          const current = (await outbox.get(opId))!;
          if (revert.name === "OperationAlreadyExecuted") return await finishExecuted(current);
          if (!(await cannotLand(decodePayload(current.payload).sends))) return outcomeOf(current); // an earlier send may still execute
          const { reason, detail } = refusalOf(revert);
          return await finishFailed(opId, reason, detail);
        }
        await outbox.setSendHash(opId, sent);
      } catch (error) {
        // Not a refusal: nobody knows yet whether anything happened, so the row stays open.
        if (++transient > MAX_TRANSIENT) {
          await outbox.note(opId, message(error));
          log(`operation ${opId.slice(0, 10)}… left for reconcile after: ${message(error)}`);
          return outcomeOf((await outbox.get(opId))!);
        }
        // The first retry at once (a send the node answered with an error may well have been mined), then back off.
        if (transient > 1) await sleep(250 * 4 ** (transient - 2), closing.signal);
      }
    }
  }

  /** The drive of `opId` in this process: the one under way, or a new one. */
  function flightOf(opId: Hex) {
    let flight = inflight.get(opId);
    if (!flight) {
      const promise = drive(opId).finally(() => inflight.delete(opId));
      promise.catch((error) => log(`operation ${opId.slice(0, 10)}… stopped: ${message(error)}`));
      flight = { promise, waiting: 0 };
      inflight.set(opId, flight);
    }
    return flight;
  }

  /** Drives `opId` and waits up to `budgetMs` for its end; `pending` after that. */
  async function run(opId: Hex, budgetMs: number): Promise<OpOutcome> {
    const flight = flightOf(opId);
    if (budgetMs <= 0) return outcomeOf((await outbox.get(opId))!);
    flight.waiting++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs)));
      const outcome = await Promise.race([flight.promise, timeout]);
      return outcome ?? outcomeOf((await outbox.get(opId))!);
    } finally {
      clearTimeout(timer);
      flight.waiting--;
    }
  }

  /** Writes the operation (or finds it) and runs it within the budget. */
  async function execute(op: NewOperation, budgetMs: number | undefined, review?: () => Promise<{ allow: boolean; alerts: string[] }>): Promise<OpOutcome> {
    const existing = await outbox.get(op.opId);
    if (existing) return repeat(existing, op, budgetMs);
    const verdict = review ? await review() : { allow: true, alerts: [] };
    const blocked = verdict.allow ? undefined : { status: "failed" as const, error: `compliance: held by monitoring (${verdict.alerts.join(", ") || "no alert named"})` };
    const { row, created } = await outbox.insert(op, blocked);
    if (!created) return repeat(row, op, budgetMs);
    if (blocked) return outcomeOf(row);
    return run(op.opId, budgetMs ?? defaultBudget);
  }

  /** The same opId again: the same operation answers with its outcome; a different one is refused. */
  function repeat(row: OperationRow, op: NewOperation, budgetMs: number | undefined): Promise<OpOutcome> | OpOutcome {
    const same =
      row.kind === op.kind && row.accountId === op.accountId && (row.counterpartyId ?? undefined) === op.counterpartyId && row.asset === op.asset && row.amount === op.amount.toString() && (row.assetOut ?? undefined) === op.assetOut;
    if (!same) return { status: "refused", opId: BigInt(op.opId), reason: "unknown", detail: "this operation id was already used for a different operation" };
    if (isFinal(row)) return outcomeOf(row);
    return run(op.opId, budgetMs ?? defaultBudget);
  }

  function refuseAtOnce(opId: bigint, detail: string): OpOutcome {
    return { status: "refused", opId, reason: "unknown", detail };
  }

  function assertSymbol(symbol: string): asserts symbol is AssetSymbol {
    if (!ASSET_SYMBOLS.includes(symbol as AssetSymbol)) throw new TypeError(`unknown asset "${symbol}"; one of ${ASSET_SYMBOLS.join(", ")}`);
  }

  async function supplyChangeOp(kind: "credit" | "refund" | "debit", req: { opId: bigint; accountId: AccountId; change: SupplyChange; signatures: Hex }): Promise<NewOperation> {
    return {
      opId: opIdHex(req.opId),
      kind,
      origin: "rail",
      accountId: req.accountId,
      asset: await symbolOfMinter(req.change.asset),
      amount: req.change.amount,
      request: { kind, account: req.accountId, change: req.change, signatures: req.signatures },
    };
  }

  // ─── reconciliation ──────────────────────────────────────────────────────────────────────────────

  async function reconcile() {
    const counts = { checked: 0, completed: 0, resent: 0, failed: 0 };
    const rows = await outbox.unfinished();
    const queue = rows.filter((row) => !inflight.has(row.opId as Hex));
    counts.checked = rows.length;
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const opId = row.opId as Hex;
        try {
          if (await isExecuted(opId)) {
            const outcome = await finishExecuted(row);
            if (outcome.status === "done") counts.completed++;
            continue;
          }
          const outcome = await flightOf(opId).promise;
          const after = await outbox.get(opId);
          if (after && decodePayload(after.payload).sends.length > decodePayload(row.payload).sends.length) counts.resent++;
          if (outcome.status === "refused") counts.failed++;
        } catch (error) {
          log(`reconcile could not check ${opId.slice(0, 10)}…: ${message(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return counts;
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  if (options.reconcileEveryMs) {
    let running = false;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      reconcile()
        .catch((error) => log(`reconcile failed: ${message(error)}`))
        .finally(() => (running = false));
    }, options.reconcileEveryMs);
    timer.unref();
  }

  // ─── the port ────────────────────────────────────────────────────────────────────────────────────

  return {
    async balances(accountId) {
      const amounts = await Promise.all(
        ASSET_SYMBOLS.map((s) => client.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "balanceOf", args: [accountId, tokens[s]] })),
      );
      return Object.fromEntries(ASSET_SYMBOLS.map((s, i) => [s, amounts[i]!])) as Record<AssetSymbol, bigint>;
    },

    async limits(accountId, asset): Promise<Limits> {
      assertSymbol(asset);
      const info = await client.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "accountInfo", args: [accountId] });
      if (info.tier === 0 || info.frozen) return { maxSingle: 0n, remainingToday: 0n, maxBalance: 0n };
      const [limits, outflow] = await Promise.all([
        client.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "tierLimits", args: [info.tier, tokens[asset]] }),
        client.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "outflowInWindow", args: [accountId, tokens[asset]] }),
      ]);
      const remaining = BigInt(limits.maxDailyOutflow) - outflow;
      return { maxSingle: BigInt(limits.maxSingle), remainingToday: remaining > 0n ? remaining : 0n, maxBalance: BigInt(limits.maxBalance) };
    },

    quote(from, to, amountIn) {
      assertSymbol(from);
      assertSymbol(to);
      return quoter.quote(from, to, amountIn);
    },

    async transfer(req) {
      assertSymbol(req.asset);
      if (req.amount <= 0n) return refuseAtOnce(req.opId, "the amount must be more than zero");
      const op: NewOperation = {
        opId: opIdHex(req.opId),
        kind: "transfer",
        origin: req.origin,
        accountId: req.from,
        counterpartyId: req.to,
        asset: req.asset,
        amount: req.amount,
        request: { kind: "transfer", from: req.from, to: req.to, asset: tokens[req.asset], amount: req.amount },
      };
      const review = options.compliance && (() => options.compliance!.review({ opId: req.opId, kind: "transfer", accountId: req.from, counterpartyId: req.to, asset: req.asset, amount: req.amount, at: now() }));
      return execute(op, req.budgetMs, review);
    },

    async convert(req) {
      assertSymbol(req.from);
      assertSymbol(req.to);
      if (req.amountIn <= 0n) return refuseAtOnce(req.opId, "the amount must be more than zero");
      if (req.minAmountOut < 0n) return refuseAtOnce(req.opId, "the minimum output cannot be negative");
      const deadline = BigInt(Math.floor(now() / 1000) + (options.convertTtlSeconds ?? CONVERT_TTL_SECONDS));
      const op: NewOperation = {
        opId: opIdHex(req.opId),
        kind: "convert",
        origin: req.origin,
        accountId: req.accountId,
        asset: req.from,
        amount: req.amountIn,
        assetOut: req.to,
        amountOut: req.minAmountOut,
        request: { kind: "convert", account: req.accountId, tokenIn: tokens[req.from], tokenOut: tokens[req.to], amountIn: req.amountIn, minAmountOut: req.minAmountOut, deadline },
      };
      const review = options.compliance && (() => options.compliance!.review({ opId: req.opId, kind: "convert", accountId: req.accountId, asset: req.from, amount: req.amountIn, at: now() }));
      return execute(op, req.budgetMs, review);
    },

    async credit(req) {
      return execute(await supplyChangeOp(req.kind ?? "credit", req), req.budgetMs);
    },

    async debit(req) {
      return execute(await supplyChangeOp("debit", req), req.budgetMs);
    },

    async operation(opId) {
      const row = await outbox.get(opIdHex(opId));
      return row && toRecord(row);
    },

    reconcile,

    onSettled(listener) {
      listeners.push(listener);
    },

    async close() {
      if (timer) clearInterval(timer);
      closing.abort();
      await Promise.allSettled([...inflight.values()].map((f) => f.promise));
    },
  };
}

function message(error: unknown): string {
  if (error && typeof error === "object" && "shortMessage" in error && typeof error.shortMessage === "string") return error.shortMessage;
  return error instanceof Error ? error.message : String(error);
}
