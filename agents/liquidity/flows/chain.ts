/**
 * Flow history from the protocol's own events on chain:
 *   CustodialVault Credited (an attested cash in)  → cash in  of the asset, attributed by its ref
 *   CustodialVault Debited  (an attested cash out) → cash out of the asset, attributed by its ref
 *   LiquidityPool  Swap                            → tokenIn into the pool, tokenOut out of it,
 *                                                    filed under the pool's name as operator
 * Deposits, withdrawals and the keeper's own rebalances are not demand and are not read.
 *
 * Reading resumes from a cursor (the last block whose events are all recorded), in chunks; each chunk's
 * events are recorded before the cursor moves past it, and recording is idempotent, so a crash anywhere
 * costs at most re-reading one chunk, never a double count. Only blocks `confirmations` behind the head
 * are read (Hedera has immediate finality: 0 there).
 */
import { getAbiItem, type Address, type PublicClient } from "viem";

import { custodialVaultAbi, liquidityPoolAbi } from "../../../sdk/abis.generated.js";
import { UNATTRIBUTED, UNKNOWN, type FlowEvent, type FlowStore } from "./store.js";

const CREDITED = getAbiItem({ abi: custodialVaultAbi, name: "Credited" });
const DEBITED = getAbiItem({ abi: custodialVaultAbi, name: "Debited" });
const SWAP = getAbiItem({ abi: liquidityPoolAbi, name: "Swap" });

export interface ChainFlowSource {
  publicClient: PublicClient;
  chainId: number;
  vault: Address;
  pools: readonly { name: string; address: Address }[];
  /** Token address → asset symbol; other tokens are filed under their address. */
  assets: ReadonlyMap<string, string>;
  /** The first block to read when there is no cursor yet (the deployment's block). */
  startBlock?: bigint;
  /** Blocks per eth_getLogs request (RPCs cap ranges; Hedera's relay at 1,000 blocks by default). */
  chunkBlocks?: bigint;
  confirmations?: bigint;
}

export interface IngestResult {
  fromBlock: bigint;
  toBlock: bigint;
  events: number;
  inserted: number;
}

export function chainCursorName(source: Pick<ChainFlowSource, "chainId" | "vault" | "pools">): string {
  return `chain:${source.chainId}:${[source.vault, ...source.pools.map((p) => p.address)].map((a) => a.toLowerCase()).join(",")}`;
}

export function createChainIngestor(store: FlowStore, source: ChainFlowSource) {
  const cursorName = chainCursorName(source);
  const chunk = source.chunkBlocks ?? 1_000n;
  const poolNames = new Map(source.pools.map((p) => [p.address.toLowerCase(), p.name]));
  const symbol = (token: string) => source.assets.get(token.toLowerCase()) ?? token.toLowerCase();

  async function blockTimes(numbers: Iterable<bigint>): Promise<Map<bigint, number>> {
    const times = new Map<bigint, number>();
    for (const n of new Set(numbers)) times.set(n, Number((await source.publicClient.getBlock({ blockNumber: n })).timestamp) * 1000);
    return times;
  }

  async function readRange(fromBlock: bigint, toBlock: bigint): Promise<FlowEvent[]> {
    const logs = await source.publicClient.getLogs({
      address: [source.vault, ...source.pools.map((p) => p.address)],
      events: [CREDITED, DEBITED, SWAP],
      fromBlock,
      toBlock,
      strict: true,
    });
    if (logs.length === 0) return [];
    const times = await blockTimes(logs.map((l) => l.blockNumber));
    const refs = logs.flatMap((l) => (l.eventName === "Credited" || l.eventName === "Debited" ? [l.args.ref] : []));
    const parties = await store.attributions(refs);
    const events: FlowEvent[] = [];
    for (const log of logs) {
      const id = `${source.chainId}:${log.transactionHash}:${log.logIndex}`;
      const at = times.get(log.blockNumber)!;
      const block = Number(log.blockNumber);
      if (log.eventName === "Swap") {
        const pool = poolNames.get(log.address.toLowerCase());
        if (!pool) continue;
        const party = { operator: pool, agent: UNKNOWN, region: UNKNOWN };
        events.push({ id: `pool:${id}:in`, source: "pool", at, block, ...party, asset: symbol(log.args.tokenIn), direction: "in", amount: log.args.amountIn });
        events.push({ id: `pool:${id}:out`, source: "pool", at, block, ...party, asset: symbol(log.args.tokenOut), direction: "out", amount: log.args.amountOut });
      } else if (log.address.toLowerCase() === source.vault.toLowerCase()) {
        const ref = log.args.ref.toLowerCase();
        events.push({
          id: `vault:${id}`,
          source: "vault",
          at,
          block,
          ...(parties.get(ref) ?? UNATTRIBUTED),
          asset: symbol(log.args.asset),
          direction: log.eventName === "Credited" ? "in" : "out",
          amount: log.args.amount,
          ref,
        });
      }
    }
    return events;
  }

  return {
    cursorName,

    /** Reads every block after the cursor up to the confirmed head, chunk by chunk. */
    async ingest(): Promise<IngestResult> {
      const head = (await source.publicClient.getBlock({ blockTag: "latest" })).number - (source.confirmations ?? 0n);
      const stored = await store.cursor(cursorName);
      const fromBlock = stored !== undefined ? BigInt(stored) + 1n : (source.startBlock ?? 0n);
      let events = 0;
      let inserted = 0;
      for (let start = fromBlock; start <= head; start += chunk) {
        const end = start + chunk - 1n < head ? start + chunk - 1n : head;
        const found = await readRange(start, end);
        const result = await store.record(found);
        events += found.length;
        inserted += result.inserted;
        await store.setCursor(cursorName, Number(end));
      }
      return { fromBlock, toBlock: head, events, inserted };
    },
  };
}

export type ChainIngestor = ReturnType<typeof createChainIngestor>;
