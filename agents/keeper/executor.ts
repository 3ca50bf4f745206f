/**
 * Sends an order's transactions, one step at a time, and finds out what became of them after a crash.
 *
 * For each step: estimate gas (a call that would revert fails the order here, with the pool's reason,
 * and nothing is sent); take the next nonce; sign locally; RECORD the signed transaction (nonce, hash,
 * raw bytes) in the order's row; only then broadcast; wait for the receipt and record it. A crash
 * anywhere leaves either no record (nothing was broadcast) or a record of the exact transaction, which
 * `settle` resolves: mined → its outcome; pending → wait; unknown to the node → broadcast the same bytes
 * again (same nonce and hash: the chain executes it at most once); its nonce used by another transaction
 * → it can never execute, the order fails. One order is in flight at a time, so nonces never interleave.
 */
import { keccak256, TransactionReceiptNotFoundError, TransactionNotFoundError, type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from "viem";

import { GasEstimateError, gasLimitFor } from "../../sdk/gas.js";
import { liquidityPoolAbi, routerAbi } from "../../sdk/abis.generated.js";
import { decodePayload, type OrderRow, type OrderStep, type OrderStore } from "./orders.js";

export type KeeperWallet = WalletClient<Transport, Chain | undefined, Account>;
export type Log = (event: string, fields: Record<string, unknown>) => void;

export interface ExecutionOutcome {
  id: string;
  state: string;
  error?: string;
}

export function createExecutor(deps: { store: OrderStore; publicClient: PublicClient; wallet: KeeperWallet; log: Log; receiptTimeoutMs?: number }) {
  const { store, publicClient, wallet, log } = deps;
  const keeper = wallet.account.address;
  const timeout = deps.receiptTimeoutMs ?? 120_000;

  async function fail(row: OrderRow, error: string): Promise<ExecutionOutcome> {
    const moved = await store.move(row.id, ["approved", "sent"], "failed", { error: error.slice(0, 500) });
    log("order.failed", { id: row.id, pool: row.pool, error });
    return { id: row.id, state: moved?.state ?? (await store.get(row.id))!.state, error };
  }

  /** Waits for a recorded step's transaction, re-broadcasting its exact bytes if the node never got them. */
  async function settleStep(id: string, index: number, step: OrderStep): Promise<"success" | "reverted" | "replaced"> {
    const hash = step.hash!;
    const mined = await publicClient.getTransactionReceipt({ hash }).catch((e) => (e instanceof TransactionReceiptNotFoundError ? undefined : Promise.reject(e)));
    if (mined) {
      await store.recordResult(id, index, { result: mined.status, block: mined.blockNumber });
      return mined.status;
    }
    const known = await publicClient.getTransaction({ hash }).catch((e) => (e instanceof TransactionNotFoundError ? undefined : Promise.reject(e)));
    if (!known) {
      const used = await publicClient.getTransactionCount({ address: keeper, blockTag: "latest" });
      if (used > step.nonce!) return "replaced";
      log("order.rebroadcast", { id, step: index, hash, nonce: step.nonce });
      await publicClient.sendRawTransaction({ serializedTransaction: step.raw! });
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout });
    await store.recordResult(id, index, { result: receipt.status, block: receipt.blockNumber });
    return receipt.status;
  }

  /** Carries a `sent` or `approved` order through its remaining steps. Throws when the chain cannot be reached (the row stays as it is). */
  async function run(orderId: string): Promise<ExecutionOutcome> {
    let row = (await store.get(orderId))!;
    if (row.state !== "approved" && row.state !== "sent") return { id: row.id, state: row.state };
    const steps = decodePayload(row.payload).steps;
    for (let i = 0; i < steps.length; i++) {
      let step = steps[i]!;
      if (step.result === "success") continue;
      if (step.result === "reverted") return fail(row, `step ${i + 1} (${step.label}) reverted in block ${step.block}`);
      if (!step.hash) {
        let gas: bigint;
        try {
          gas = await gasLimitFor(publicClient, { account: wallet.account, to: step.to, data: step.data }, { errorAbis: [liquidityPoolAbi, routerAbi] });
        } catch (error) {
          if (error instanceof GasEstimateError) return fail(row, `step ${i + 1} (${step.label}) would revert with ${error.reason}; nothing was sent`);
          throw error;
        }
        const nonce = await publicClient.getTransactionCount({ address: keeper, blockTag: "pending" });
        const request = await wallet.prepareTransactionRequest({ account: wallet.account, chain: wallet.chain, to: step.to, data: step.data, gas, nonce });
        const raw = await wallet.signTransaction(request as Parameters<KeeperWallet["signTransaction"]>[0]);
        const hash = keccak256(raw);
        row = await store.recordSigned(row.id, i, { nonce, hash, raw }); // written before it leaves this process
        step = { ...step, nonce, hash, raw };
        log("order.sending", { id: row.id, step: i + 1, of: steps.length, label: step.label, hash, nonce });
        await publicClient.sendRawTransaction({ serializedTransaction: raw });
      }
      const outcome = await settleStep(row.id, i, step);
      row = (await store.get(row.id))!;
      if (outcome === "replaced") return fail(row, `step ${i + 1}'s transaction ${step.hash} was never mined and its nonce ${step.nonce} is used by another transaction; it cannot execute`);
      if (outcome === "reverted") return fail(row, `step ${i + 1} (${step.label}) reverted (transaction ${step.hash})`);
    }
    const done = await store.move(row.id, ["sent"], "done");
    if (done) log("order.done", { id: row.id, pool: row.pool, txHash: done.txHash });
    return { id: row.id, state: done?.state ?? (await store.get(row.id))!.state };
  }

  return {
    run,
    /** Settles every order a previous run left `sent` (start-up reconciliation, and each tick before new sends). */
    async reconcile(): Promise<ExecutionOutcome[]> {
      const outcomes: ExecutionOutcome[] = [];
      for (const row of await store.list({ states: ["sent"] })) outcomes.push(await run(row.id));
      return outcomes;
    },
  };
}

export type Executor = ReturnType<typeof createExecutor>;

