/**
 * Sends the bridge's contract calls from one key, in nonce order, without two calls ever taking the
 * same nonce.
 *
 * Why a serial send queue rather than viem's `nonceManager`: the nonce manager hands out nonces
 * concurrently, so call k+1 can reach the node before call k. An Ethereum node parks k+1 until k
 * arrives, but Hedera's relay has no such queue and refuses a nonce ahead of the account's, and a
 * send that fails after taking a nonce leaves a gap the manager never closes (it never goes back
 * below the highest nonce it handed out). Here everything slow and parallel happens outside the
 * queue (gas estimate, which also surfaces reverts, and fee lookup); inside it only the nonce is
 * assigned and the signed transaction handed to the node, one at a time, which costs one round
 * trip per send. After any failed send the next nonce is read again from the node ("pending"
 * count), so a refused or lost transaction never leaves a gap; a "nonce too low" (another process
 * used the key) is retried once with the node's count.
 *
 * One sender per key per process: the registry (account openings) and the money service share it.
 */
import type { Abi, Address, Hex, PublicClient, WalletClient } from "viem";
import { encodeFunctionData, keccak256 } from "viem";

import { gasLimitFor, type GasLimitOptions } from "../../../sdk/gas.js";

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export interface SentTransaction {
  hash: Hex;
  nonce: number;
}

export interface SendOptions extends GasLimitOptions {
  /**
   * Called with the nonce (and, for a locally signed transaction, the hash) once the transaction is
   * signed and before it is handed to the node, so the caller can record it first: if the answer is
   * then lost, the caller still knows which nonce may carry its call. A throw here sends nothing.
   */
  beforeBroadcast?: (tx: { nonce: number; hash?: Hex }) => Promise<unknown>;
}

export interface TxSender {
  readonly address: Address;
  /**
   * Estimates gas (sdk/gas.ts: estimate plus margin; throws GasEstimateError, carrying the revert,
   * when the call would revert, and nothing is sent), then signs and sends in nonce order.
   */
  send(call: ContractCall, options?: SendOptions): Promise<SentTransaction>;
}

export interface ChainClients {
  public: PublicClient;
  wallet: WalletClient;
}

export function createTxSender(chain: ChainClients): TxSender {
  const maybeAccount = chain.wallet.account;
  if (!maybeAccount) throw new Error("The wallet client has no account: create it with the operator's key (privateKeyToAccount).");
  const account = maybeAccount;
  let nextNonce: number | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  /** Runs `job` after every job queued before it, whether they succeeded or not. */
  function serially<T>(job: () => Promise<T>): Promise<T> {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  }

  async function pendingNonce(): Promise<number> {
    return chain.public.getTransactionCount({ address: account.address, blockTag: "pending" });
  }

  async function sendWithNonce(request: Record<string, unknown>, nonce: number, beforeBroadcast: SendOptions["beforeBroadcast"]): Promise<Hex> {
    if (account.type === "local") {
      // viem's signTransaction takes the prepared request; its generic types cannot follow a request built at run time.
      const serializedTransaction = await account.signTransaction!({ ...request, nonce } as Parameters<NonNullable<typeof account.signTransaction>>[0]);
      await beforeBroadcast?.({ nonce, hash: keccak256(serializedTransaction) });
      return chain.wallet.sendRawTransaction({ serializedTransaction });
    }
    // A JSON-RPC account (a node's unlocked key): the node signs, with the nonce we assign.
    await beforeBroadcast?.({ nonce });
    return chain.wallet.sendTransaction({ ...request, nonce, account, chain: null } as Parameters<WalletClient["sendTransaction"]>[0]);
  }

  return {
    address: account.address,
    async send(call, options: SendOptions = {}) {
      const request = { ...call, account };
      const gas = await gasLimitFor(chain.public, request as Parameters<typeof gasLimitFor>[1], options);
      const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args });
      const prepared = await chain.wallet.prepareTransactionRequest({
        account,
        chain: chain.wallet.chain,
        to: call.address,
        data,
        gas,
        parameters: ["chainId", "fees", "type"],
      } as Parameters<WalletClient["prepareTransactionRequest"]>[0]);
      // Keep only the transaction's own fields: the account and chain objects are not part of what is signed.
      const { account: _account, chain: _chain, parameters: _parameters, ...fields } = prepared as Record<string, unknown>;

      return serially(async () => {
        for (let tries = 0; ; tries++) {
          const nonce = nextNonce ?? (await pendingNonce());
          try {
            const hash = await sendWithNonce(fields, nonce, options.beforeBroadcast);
            nextNonce = nonce + 1;
            return { hash, nonce };
          } catch (error) {
            nextNonce = undefined; // read it again from the node: the send may or may not have used it
            if (tries === 0 && isNonceConflict(error)) continue;
            throw error;
          }
        }
      });
    },
  };
}

function isNonceConflict(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as { details?: string }).details ?? ""}` : String(error);
  return /nonce too low|nonce has already been used|already known|replacement transaction underpriced|invalid nonce|WRONG_NONCE/i.test(text);
}
