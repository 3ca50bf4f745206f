/**
 * publish-ledger against the real protocol on the in-process chain: the stack is deployed and seeded
 * as `npm start` does, its ledger events are read over viem, and "publishing" goes to an injected
 * submit function — nothing is sent to Hedera.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { PrivateKey, TopicMessageSubmitTransaction, Transaction } from "@hashgraph/sdk";
import { concat, getAddress, keccak256, toHex, type Hex } from "viem";

import { signStatement } from "../../../sdk/attestation.js";
import { HCS_CHUNK_SIZE, HCS_MAX_CHUNKS, decodeHcsMessage, encodeHcsMessage, recoverSigners, statementDigest, type LedgerMessage } from "../../../sdk/hcs-message.js";
import { ASSETS } from "../../../sdk/protocol.js";
import { buildTopicMessage, publishLedger, readLedgerMessages, stateFileFor, type PublishState, type Submit } from "../../../scripts/hedera/publish-ledger.js";
import { SEED_LIQUIDITY, deployStack, seedStack } from "../../../scripts/lib/stack.js";
import { testAttesters } from "../helpers/attesters.js";
import { NODE, everyBodySignedBy, runScript, submitChunks, transactionId } from "./helpers/offline.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const publicClient = await viem.getPublicClient();
const [, lp] = await viem.getWalletClients();
const attesters = testAttesters(3);
const signers = attesters.slice(0, 2);
const TOPIC = "0.0.8001";

const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
await seedStack(conn, stack, { attesters, threshold: 2n, lpIndex: 1 });
const ledger = stack.contracts.ledger;

let nonce = 1n << 40n;
/** One more reserve report, accepted by the ledger: a statement the publisher has not seen. */
async function reportReserve(symbol: "cNGN" | "USDC" | "XAUt" = "cNGN"): Promise<Hex> {
  const report = {
    asset: stack.addresses[symbol],
    reserve: SEED_LIQUIDITY[symbol] * 20n,
    asOf: BigInt(await networkHelpers.time.latest()),
    custodianRef: keccak256(toHex(`custodian statement ${++nonce}`)),
    nonce,
  };
  return ledger.write.submitReserveReport([report, await signStatement(signers, stack.domain, "ReserveReport", report)]);
}

function recorder(failAt?: number) {
  const sent: LedgerMessage[] = [];
  const submit: Submit = async (bytes, message) => {
    if (sent.length === failAt) throw new Error("topic unreachable");
    assert.deepEqual(decodeHcsMessage(bytes), message, "the bytes submitted are the message");
    sent.push(message);
    return { sequenceNumber: BigInt(sent.length) };
  };
  return { sent, submit };
}

const stateDirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "juapesa-publish-"));
  stateDirs.push(dir);
  return dir;
};
after(() => stateDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const quiet = () => {};

describe("publish-ledger: reading the ledger", () => {
  it("reads every accepted statement as a message, in chain order, with all fields and the signatures", async () => {
    const messages = await readLedgerMessages(publicClient, ledger.address, 0n, await publicClient.getBlockNumber());
    assert.deepEqual(
      messages.map((m) => m.type),
      ASSETS.flatMap(() => ["ReserveReported", "SupplyChangeAttested"]),
      "seeding reports a reserve and mints, per asset",
    );
    for (const [i, message] of messages.entries()) {
      const asset = ASSETS[Math.floor(i / 2)]!;
      const record = await ledger.read.statement([message.id]);
      assert.equal(record.blockNumber, message.blockNumber, "the block the ledger recorded");
      assert.equal(message.chainId, 31337);
      assert.equal(message.ledger, getAddress(ledger.address));
      const receipt = await publicClient.getTransactionReceipt({ hash: message.txHash });
      assert.equal(receipt.blockNumber, message.blockNumber);
      assert.equal(receipt.logs.find((l) => l.logIndex === message.logIndex)?.topics[1], message.id, "logIndex points at the event");
      if (message.type === "ReserveReported") {
        assert.equal(message.statement.asset, stack.addresses[asset.symbol]);
        assert.equal(await ledger.read.reserveReportDigest([message.statement]), message.id);
      } else {
        assert.equal(message.statement.holder, getAddress(lp!.account.address));
        assert.equal(message.statement.amount, SEED_LIQUIDITY[asset.symbol]);
        assert.equal(await ledger.read.supplyChangeDigest([message.statement]), message.id);
      }
      assert.equal(statementDigest(message), message.id, "the message alone re-derives the id");
      assert.deepEqual(await recoverSigners(message), signers.map((s) => s.address), "the signatures are the attesters'");
    }
  });
});

describe("publish-ledger: publishing", () => {
  it("publishes each statement once, then resumes from its state file and publishes only what is new", async () => {
    const dir = stateDir();
    const file = stateFileFor(dir, 31337, ledger.address, TOPIC);
    const first = recorder();
    const run1 = await publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit: first.submit, fromBlock: 0n, log: quiet });
    assert.equal(first.sent.length, 6);
    assert.deepEqual(run1.published, first.sent);
    const latest = await publicClient.getBlockNumber();
    const state = JSON.parse(readFileSync(file, "utf8")) as PublishState;
    assert.equal(state.nextBlock, (latest + 1n).toString());
    assert.deepEqual(state.publishedInNextBlock, []);

    const second = recorder();
    const run2 = await publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit: second.submit, log: quiet });
    assert.equal(second.sent.length, 0, "nothing is published twice");
    assert.equal(run2.nextBlock, latest + 1n);

    await reportReserve();
    const third = recorder();
    await publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit: third.submit, log: quiet });
    assert.equal(third.sent.length, 1);
    assert.equal(third.sent[0]!.type, "ReserveReported");
    assert.equal(third.sent[0]!.blockNumber, latest + 1n);
  });

  it("after a failure inside a block, resumes within that block without repeating a statement", async () => {
    const dir = stateDir();
    const file = stateFileFor(dir, 31337, ledger.address, TOPIC);
    const from = (await publicClient.getBlockNumber()) + 1n;
    await conn.provider.request({ method: "evm_setAutomine", params: [false] });
    // Reports for one asset must move forward in time, and these share a block: one per asset.
    const hashes = [await reportReserve("cNGN"), await reportReserve("USDC"), await reportReserve("XAUt")];
    await conn.provider.request({ method: "evm_mine", params: [] });
    await conn.provider.request({ method: "evm_setAutomine", params: [true] });
    const block = (await publicClient.getTransactionReceipt({ hash: hashes[0]! })).blockNumber;
    assert.equal((await publicClient.getTransactionReceipt({ hash: hashes[2]! })).blockNumber, block, "three statements in one block");

    const failing = recorder(2);
    await assert.rejects(
      publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit: failing.submit, fromBlock: from, log: quiet }),
      /topic unreachable/,
    );
    const state = JSON.parse(readFileSync(file, "utf8")) as PublishState;
    assert.equal(state.nextBlock, block.toString());
    assert.deepEqual(state.publishedInNextBlock, failing.sent.map((m) => m.id));

    const retry = recorder();
    await publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit: retry.submit, log: quiet });
    assert.equal(retry.sent.length, 1, "only the statement that was not published");
    const all = [...failing.sent, ...retry.sent].map((m) => m.id);
    assert.equal(new Set(all).size, 3);
  });

  it("refuses a --from-block that disagrees with its state, a state file of another topic, and a first run without a start", async () => {
    const dir = stateDir();
    const file = stateFileFor(dir, 31337, ledger.address, TOPIC);
    const { submit } = recorder();
    await assert.rejects(
      publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit, log: quiet }),
      /First run for ledger 0x[0-9a-fA-F]{40}: pass --from-block/,
    );
    await publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit, fromBlock: 0n, log: quiet });
    await assert.rejects(
      publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit, fromBlock: 0n, log: quiet }),
      /would skip or republish statements/,
    );
    await assert.rejects(
      publishLedger({ client: publicClient, ledger: ledger.address, topicId: "0.0.9999", stateFile: file, submit, log: quiet }),
      /belongs to another ledger or topic/,
    );
  });

  it("a dry run publishes nothing and leaves no state", async () => {
    const dir = stateDir();
    const file = stateFileFor(dir, 31337, ledger.address, TOPIC);
    const { sent, submit } = recorder();
    const lines: string[] = [];
    const result = await publishLedger({ client: publicClient, ledger: ledger.address, topicId: TOPIC, stateFile: file, submit, fromBlock: 0n, dryRun: true, log: (l) => lines.push(l) });
    assert.equal(sent.length, 0);
    assert.ok(result.published.length >= 6);
    assert.equal(existsSync(file), false);
    assert.equal(lines.length, result.published.length);
    assert.match(lines[0]!, /^would publish ReserveReported 0x[0-9a-f]{64} \(block \d+, \d+ bytes, 1 chunk\)\n  \{"v":1,/);
  });
});

describe("publish-ledger: the topic message transaction", () => {
  it("splits a long message into 1024-byte chunks that reassemble to it, each signed by the publisher and the payer", async () => {
    const [seeded] = await readLedgerMessages(publicClient, ledger.address, 0n, await publicClient.getBlockNumber());
    // Twelve signatures' worth: long enough to need three chunks.
    const long: LedgerMessage = { ...seeded!, signatures: concat(Array<Hex>(6).fill(seeded!.signatures)) };
    const bytes = encodeHcsMessage(long);
    assert.ok(bytes.length > 2 * HCS_CHUNK_SIZE && bytes.length <= 3 * HCS_CHUNK_SIZE, `${bytes.length} bytes`);

    const publisher = PrivateKey.generateECDSA();
    const payer = PrivateKey.generateED25519();
    const tx = buildTopicMessage(TOPIC, bytes).setNodeAccountIds([NODE]).setTransactionId(transactionId()).freeze();
    assert.equal(tx.getMaxChunks(), HCS_MAX_CHUNKS);
    await tx.sign(publisher);
    await tx.sign(payer);
    const serialised = tx.toBytes();

    const chunks = submitChunks(serialised);
    assert.deepEqual(chunks.map((c) => [c.number, c.total]), [[1, 3], [2, 3], [3, 3]]);
    assert.ok(chunks.every((c) => c.message.length <= HCS_CHUNK_SIZE));
    const reassembled = new Uint8Array(Buffer.concat(chunks.sort((a, b) => a.number - b.number).map((c) => c.message)));
    assert.deepEqual(reassembled, bytes);
    assert.deepEqual(decodeHcsMessage(reassembled), long);
    assert.ok(everyBodySignedBy(serialised, publisher.publicKey), "every chunk carries the submit key's signature");
    assert.ok(everyBodySignedBy(serialised, payer.publicKey));

    const decoded = Transaction.fromBytes(serialised);
    assert.ok(decoded instanceof TopicMessageSubmitTransaction);
    assert.equal(decoded.topicId?.toString(), TOPIC);
    assert.ok(publisher.publicKey.verifyTransaction(decoded));
  });

  it("refuses a message longer than the format can produce", () => {
    assert.throws(() => buildTopicMessage(TOPIC, new Uint8Array(HCS_MAX_CHUNKS * HCS_CHUNK_SIZE + 1)), /needs more than 5 chunks of 1024 bytes/);
  });
});

describe("publish-ledger: the command", () => {
  let server: Server;
  let rpcUrl: string;
  before(async () => {
    // The in-process chain served as JSON-RPC on loopback, so the script reads it as it would a relay.
    server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const answer = async (call: { id: number; method: string; params?: unknown[] }) => {
        try {
          return { jsonrpc: "2.0", id: call.id, result: await conn.provider.request({ method: call.method, params: call.params }) };
        } catch (error) {
          return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: (error as Error).message } };
        }
      };
      const request = JSON.parse(body);
      const response = Array.isArray(request) ? await Promise.all(request.map(answer)) : await answer(request);
      res.setHeader("content-type", "application/json").end(JSON.stringify(response));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    rpcUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  after(() => server.close());

  it("--dry-run reads the ledger over JSON-RPC and prints every message it would publish", async () => {
    const dir = stateDir();
    const run = await runScript(
      "publish-ledger",
      ["--dry-run", "--rpc", rpcUrl, "--ledger", ledger.address, "--topic", TOPIC, "--from-block", "0", "--state-dir", dir],
      { HEDERA_NETWORK: "testnet" },
    );
    assert.equal(run.code, 0, run.stderr);
    const expected = await readLedgerMessages(publicClient, ledger.address, 0n, await publicClient.getBlockNumber());
    assert.match(run.stdout, /DRY RUN on Hedera testnet/);
    assert.match(run.stdout, new RegExp(`Ledger ${getAddress(ledger.address)} on chain 31337 \\(${rpcUrl}\\) → topic ${TOPIC}`));
    const printed = run.stdout.split("\n").filter((l) => l.startsWith('  {"v":1')).map((l) => decodeHcsMessage(l.trim()));
    assert.deepEqual(printed, expected);
    assert.match(run.stdout, new RegExp(`Would publish ${expected.length} statement\\(s\\)`));
    assert.equal(existsSync(stateFileFor(dir, 31337, ledger.address, TOPIC)), false, "a dry run writes no state");
  });

  it("without a topic, or without the operator for a real run, says what is missing and exits non-zero", async () => {
    const noTopic = await runScript("publish-ledger", ["--dry-run", "--rpc", rpcUrl], {});
    assert.equal(noTopic.code, 1);
    assert.match(noTopic.stderr, /HEDERA_TOPIC_ID: the ledger topic \(0\.0\.x\); or pass --topic/);
    const noOperator = await runScript("publish-ledger", ["--rpc", rpcUrl, "--topic", TOPIC], {});
    assert.equal(noOperator.code, 1);
    assert.match(noOperator.stderr, /HEDERA_OPERATOR_ID: /);
    assert.match(noOperator.stderr, /HEDERA_OPERATOR_KEY: /);
  });
});
