/**
 * Waiting for a transaction's receipt for a bounded time.
 *
 * A plain poll of eth_getTransactionReceipt rather than viem's waitForTransactionReceipt: that one
 * polls at the client's interval (4 s over HTTP by default), longer than a whole USSD budget, and
 * its block watcher keeps running until its own timeout after the caller has given up.
 */
import { TransactionReceiptNotFoundError, type Hex, type PublicClient, type TransactionReceipt } from "viem";

export const DEFAULT_POLL_MS = 200;

/** The receipt, or undefined when `timeoutMs` passed (or `signal` aborted) before it came. */
export async function receiptWithin(
  client: PublicClient,
  hash: Hex,
  timeoutMs: number,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<TransactionReceipt | undefined> {
  const deadline = Date.now() + timeoutMs;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  for (;;) {
    const receipt = await receiptIfAny(client, hash);
    if (receipt) return receipt;
    const left = deadline - Date.now();
    if (left <= 0 || options.signal?.aborted) return undefined;
    await sleep(Math.min(pollMs, left), options.signal);
  }
}

/** The receipt if the transaction is mined, undefined if not (yet); other errors propagate. */
export async function receiptIfAny(client: PublicClient, hash: Hex): Promise<TransactionReceipt | undefined> {
  try {
    return await client.getTransactionReceipt({ hash });
  } catch (error) {
    if (error instanceof TransactionReceiptNotFoundError) return undefined;
    throw error;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (a closing service aborts its waits). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
