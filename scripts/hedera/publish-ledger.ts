/**
 * Mirrors the AttestationLedger to its HCS topic: reads every `ReserveReported` and
 * `SupplyChangeAttested` event from an EVM JSON-RPC endpoint and publishes each as one topic message
 * in the format of sdk/hcs-message.ts.
 *
 *   tsx scripts/hedera/publish-ledger.ts --topic 0.0.8001 [--from-block N] [--dry-run]
 *
 *   --topic ID         the ledger topic (or HEDERA_TOPIC_ID)
 *   --rpc URL          EVM JSON-RPC endpoint (default: HEDERA_NETWORK's relay, e.g. HEDERA_TESTNET_RPC_URL)
 *   --ledger ADDRESS   the AttestationLedger (default: the deployment recorded for the endpoint's chain id)
 *   --from-block N     first block, on the first run only (default: the ledger's deployment block from
 *                      Ignition's journal); later runs resume where the last one stopped
 *   --to-block N       last block (default: the latest)
 *   --batch-blocks N   blocks per eth_getLogs call (default 1000, the relay's default range limit)
 *   --state-dir DIR    where progress is kept (default .hedera/, gitignored; or JUAPESA_HEDERA_STATE_DIR)
 *   --dry-run          print every message it would publish, publish nothing, change no state
 *
 * Resumable and idempotent: the state file records the next block to read and, for that block, the
 * ids of the statements already published. Every block before it is fully published, so a statement
 * is never published twice by this tool; a crash between a submission and its receipt can repeat one
 * message, which readers drop by statement id (see sdk/hcs-message.ts).
 *
 * Environment for a real run: HEDERA_NETWORK, HEDERA_OPERATOR_ID, HEDERA_OPERATOR_KEY (pays), and
 * HEDERA_PUBLISHER_KEY when the topic's submit key is not the operator's.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { TopicMessageSubmitTransaction, type Client as HederaClient, type PrivateKey, TopicId } from "@hashgraph/sdk";
import { createPublicClient, getAbiItem, getAddress, http, isAddress, type Address, type Hex, type PublicClient } from "viem";

import { attestationLedgerAbi } from "../../sdk/abis.generated.js";
import type { ReserveReport, SupplyChange, SupplyChangeKind } from "../../sdk/attestation.js";
import { deploymentBlock, loadDeployment } from "../../sdk/deployments.js";
import { HCS_CHUNK_SIZE, HCS_MAX_CHUNKS, encodeHcsMessage, encodeHcsMessageJson, hcsChunkCount, type LedgerMessage } from "../../sdk/hcs-message.js";
import { hederaRpcUrl } from "../../sdk/hedera.js";
import { dryRunBanner, isEntryPoint, runCli } from "./lib/cli.js";
import { OPERATOR_ID, OPERATOR_KEY, hederaClient, networkFromEnv, operatorFromEnv, privateKeyFromEnv, requireEnv } from "./lib/env.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const DEFAULT_STATE_DIR = path.join(ROOT, ".hedera");
/** hiero-json-rpc-relay's default eth_getLogs block-range limit. */
export const DEFAULT_BATCH_BLOCKS = 1_000n;

const LEDGER_EVENTS = [
  getAbiItem({ abi: attestationLedgerAbi, name: "ReserveReported" }),
  getAbiItem({ abi: attestationLedgerAbi, name: "SupplyChangeAttested" }),
] as const;

interface LogPosition {
  blockNumber: bigint | null;
  transactionHash: Hex | null;
  logIndex: number | null;
}

/** What the ledger's events add to a statement's own fields. */
interface SignedStatement {
  id: Hex;
  signatures: Hex;
}

export type LedgerLog = LogPosition &
  (
    | {
        eventName: "ReserveReported";
        args: ReserveReport & SignedStatement;
      }
    | {
        eventName: "SupplyChangeAttested";
        // Events decode the kind as a plain number.
        args: Omit<SupplyChange, "kind"> & { kind: number } & SignedStatement;
      }
  );

/** One ledger event as its topic message. */
export function messageFromLog(chainId: number, ledger: Address, log: LedgerLog): LedgerMessage {
  if (log.blockNumber === null || log.transactionHash === null || log.logIndex === null) {
    throw new Error("a pending log has no position yet; read mined blocks only");
  }
  const base = { chainId, ledger, blockNumber: log.blockNumber, txHash: log.transactionHash, logIndex: log.logIndex };
  if (log.eventName === "ReserveReported") {
    const { id, signatures, ...statement } = log.args;
    return { ...base, type: "ReserveReported", id, signatures, statement };
  }
  const { id, signatures, kind, ...rest } = log.args;
  return { ...base, type: "SupplyChangeAttested", id, signatures, statement: { kind: kind as SupplyChangeKind, ...rest } };
}

/** Every ledger statement in [fromBlock, toBlock], in chain order. */
export async function readLedgerMessages(client: PublicClient, ledger: Address, fromBlock: bigint, toBlock: bigint): Promise<LedgerMessage[]> {
  const chainId = await client.getChainId();
  const logs = await client.getLogs({ address: ledger, events: LEDGER_EVENTS, fromBlock, toBlock, strict: true });
  return (logs as unknown as LedgerLog[])
    .map((log) => messageFromLog(chainId, getAddress(ledger), log))
    .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/**
 * The submission of one message. Chunks are HCS_CHUNK_SIZE (1024) bytes; maxChunks is the format's
 * bound, so an oversized message fails at freeze instead of being cut.
 */
export function buildTopicMessage(topicId: TopicId | string, message: Uint8Array): TopicMessageSubmitTransaction {
  if (hcsChunkCount(message) > HCS_MAX_CHUNKS) {
    throw new Error(`a ${message.length}-byte message needs more than ${HCS_MAX_CHUNKS} chunks of ${HCS_CHUNK_SIZE} bytes`);
  }
  return new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage(message).setChunkSize(HCS_CHUNK_SIZE).setMaxChunks(HCS_MAX_CHUNKS);
}

export interface PublishState {
  version: 1;
  chainId: number;
  ledger: Address;
  topicId: string;
  /** Every statement before this block is published. */
  nextBlock: string;
  /** Statements of `nextBlock` already published. */
  publishedInNextBlock: Hex[];
}

export function stateFileFor(dir: string, chainId: number, ledger: Address, topicId: string): string {
  return path.join(dir, `publish-ledger-${chainId}-${getAddress(ledger)}-${topicId}.json`);
}

export function loadState(file: string, expected: Pick<PublishState, "chainId" | "ledger" | "topicId">): PublishState | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, "utf8")) as PublishState;
  if (state.version !== 1 || state.chainId !== expected.chainId || getAddress(state.ledger) !== getAddress(expected.ledger) || state.topicId !== expected.topicId) {
    throw new Error(`${file} belongs to another ledger or topic (chain ${state.chainId}, ${state.ledger}, ${state.topicId}); refusing to use it`);
  }
  return state;
}

/** Written to a temporary file and renamed, so a crash leaves the old state or the new one, never half. */
export function saveState(file: string, state: PublishState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export interface SubmitReceipt {
  sequenceNumber?: bigint;
}
export type Submit = (message: Uint8Array, statement: LedgerMessage) => Promise<SubmitReceipt>;

export interface PublishOptions {
  client: PublicClient;
  ledger: Address;
  topicId: string;
  stateFile: string;
  /** How a message reaches the topic; tests inject their own. Unused in a dry run. */
  submit: Submit;
  /** First block, on the first run only. */
  fromBlock?: bigint;
  toBlock?: bigint;
  batchBlocks?: bigint;
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface PublishResult {
  published: LedgerMessage[];
  skipped: number;
  nextBlock: bigint;
}

export async function publishLedger(options: PublishOptions): Promise<PublishResult> {
  const log = options.log ?? console.log;
  const chainId = await options.client.getChainId();
  const ledger = getAddress(options.ledger);
  const saved = loadState(options.stateFile, { chainId, ledger, topicId: options.topicId });
  if (saved && options.fromBlock !== undefined && options.fromBlock !== BigInt(saved.nextBlock)) {
    throw new Error(
      `${options.stateFile} says every statement before block ${saved.nextBlock} is published; --from-block ${options.fromBlock} ` +
        `would skip or republish statements. Drop --from-block to resume, or delete the state file to start over.`,
    );
  }
  const first = saved ? BigInt(saved.nextBlock) : options.fromBlock;
  if (first === undefined) {
    throw new Error(`First run for ledger ${ledger}: pass --from-block (the block the ledger was deployed in).`);
  }
  const state: PublishState = saved ?? { version: 1, chainId, ledger, topicId: options.topicId, nextBlock: first.toString(), publishedInNextBlock: [] };
  const toBlock = options.toBlock ?? (await options.client.getBlockNumber());
  const batch = options.batchBlocks ?? DEFAULT_BATCH_BLOCKS;
  const result: PublishResult = { published: [], skipped: 0, nextBlock: first };

  for (let from = first; from <= toBlock; from += batch) {
    const to = from + batch - 1n < toBlock ? from + batch - 1n : toBlock;
    for (const message of await readLedgerMessages(options.client, ledger, from, to)) {
      const next = BigInt(state.nextBlock);
      if (message.blockNumber < next || (message.blockNumber === next && state.publishedInNextBlock.includes(message.id))) {
        result.skipped++;
        continue;
      }
      const bytes = encodeHcsMessage(message);
      const where = `${message.type} ${message.id} (block ${message.blockNumber}, ${bytes.length} bytes, ${hcsChunkCount(bytes)} chunk${hcsChunkCount(bytes) > 1 ? "s" : ""})`;
      if (options.dryRun) {
        log(`would publish ${where}\n  ${encodeHcsMessageJson(message)}`);
      } else {
        const receipt = await options.submit(bytes, message);
        log(`published ${where}${receipt.sequenceNumber !== undefined ? ` as message #${receipt.sequenceNumber}` : ""}`);
        if (message.blockNumber > next) {
          state.nextBlock = message.blockNumber.toString();
          state.publishedInNextBlock = [message.id];
        } else {
          state.publishedInNextBlock.push(message.id);
        }
        saveState(options.stateFile, state);
      }
      result.published.push(message);
    }
    if (!options.dryRun) {
      state.nextBlock = (to + 1n).toString();
      state.publishedInNextBlock = [];
      saveState(options.stateFile, state);
    }
    result.nextBlock = to + 1n;
  }
  return result;
}

/** Submits through the Hedera SDK, signing with the publisher's key when it is not the operator's. */
export function hederaSubmit(client: HederaClient, topicId: string, publisherKey?: PrivateKey): Submit {
  return async (message) => {
    const tx = buildTopicMessage(topicId, message).freezeWith(client);
    if (publisherKey) await tx.sign(publisherKey);
    let sequenceNumber: bigint | undefined;
    for (const response of await tx.executeAll(client)) {
      const receipt = await response.getReceipt(client);
      if (receipt.topicSequenceNumber) sequenceNumber = BigInt(receipt.topicSequenceNumber.toString());
    }
    return { sequenceNumber };
  };
}

export async function publishLedgerCli(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<PublishResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      topic: { type: "string" },
      rpc: { type: "string" },
      ledger: { type: "string" },
      "from-block": { type: "string" },
      "to-block": { type: "string" },
      "batch-blocks": { type: "string" },
      "state-dir": { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const network = networkFromEnv(env);
  const dryRun = values["dry-run"];
  requireEnv([{ name: "HEDERA_TOPIC_ID", purpose: "the ledger topic (0.0.x); or pass --topic" }], { HEDERA_TOPIC_ID: values.topic ?? env.HEDERA_TOPIC_ID });
  if (!dryRun) requireEnv([OPERATOR_ID, OPERATOR_KEY], env);
  const topicId = TopicId.fromString((values.topic ?? env.HEDERA_TOPIC_ID)!.trim()).toString();
  const rpcUrl = values.rpc ?? hederaRpcUrl(network, env);
  const client = createPublicClient({ transport: http(rpcUrl) });
  const chainId = await client.getChainId().catch((error: Error) => {
    throw new Error(`cannot reach the JSON-RPC endpoint ${rpcUrl}: ${error.message.split("\n")[0]}`);
  });
  if (values.ledger !== undefined && !isAddress(values.ledger)) throw new Error(`--ledger must be an address, got "${values.ledger}"`);
  const ledger = values.ledger ? getAddress(values.ledger) : loadDeployment(chainId).ledger;
  const stateDir = values["state-dir"] ?? env.JUAPESA_HEDERA_STATE_DIR ?? DEFAULT_STATE_DIR;
  const stateFile = stateFileFor(stateDir, chainId, ledger, topicId);
  const fromBlock = values["from-block"] !== undefined ? BigInt(values["from-block"]) : existsSync(stateFile) ? undefined : deploymentBlock(chainId, "ledger");

  if (dryRun) log(dryRunBanner(network));
  log(`Ledger ${ledger} on chain ${chainId} (${rpcUrl}) → topic ${topicId} on Hedera ${network.name}; state ${stateFile}`);

  let submit: Submit = async () => {
    throw new Error("a dry run submits nothing");
  };
  let hedera: HederaClient | undefined;
  if (!dryRun) {
    hedera = hederaClient(network, operatorFromEnv(env));
    submit = hederaSubmit(hedera, topicId, env.HEDERA_PUBLISHER_KEY?.trim() ? privateKeyFromEnv("HEDERA_PUBLISHER_KEY", env) : undefined);
  }
  try {
    const result = await publishLedger({
      client,
      ledger,
      topicId,
      stateFile,
      submit,
      fromBlock,
      toBlock: values["to-block"] !== undefined ? BigInt(values["to-block"]) : undefined,
      batchBlocks: values["batch-blocks"] !== undefined ? BigInt(values["batch-blocks"]) : undefined,
      dryRun,
      log,
    });
    log(`${dryRun ? "Would publish" : "Published"} ${result.published.length} statement(s), skipped ${result.skipped} already published; next block ${result.nextBlock}.`);
    return result;
  } finally {
    hedera?.close();
  }
}

if (isEntryPoint(import.meta.url)) await runCli(async () => void (await publishLedgerCli(process.argv.slice(2))));
