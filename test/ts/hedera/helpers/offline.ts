/**
 * Offline Hedera transactions for tests: manual node and transaction ids (so nothing asks a network
 * for them), a locally generated key, and a byte-level reading of what `toBytes()` produced.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AccountId, PrivateKey, Timestamp, Transaction, TransactionId, type PublicKey } from "@hashgraph/sdk";

export const ROOT = path.resolve(import.meta.dirname, "../../../..");
export const NODE = AccountId.fromString("0.0.3");
export const OPERATOR = AccountId.fromString("0.0.1001");
export const VALID_START = new Timestamp(1_767_225_600, 0); // 2026-01-01T00:00:00Z

export function transactionId(payer = OPERATOR): TransactionId {
  return TransactionId.withValidStart(payer, VALID_START);
}

/** Freezes with manual ids, signs with each key, serialises, and decodes the bytes as a fresh transaction. */
export async function signedRoundTrip<T extends Transaction>(tx: T, keys: readonly PrivateKey[]): Promise<{ bytes: Uint8Array; decoded: Transaction }> {
  tx.setNodeAccountIds([NODE]).setTransactionId(transactionId()).freeze();
  for (const key of keys) await tx.sign(key);
  const bytes = tx.toBytes();
  return { bytes, decoded: Transaction.fromBytes(bytes) };
}

// A minimal protobuf reader: enough of the wire format to walk a serialised TransactionList.
type Field = { number: number; bytes?: Uint8Array; varint?: bigint };

function fields(buffer: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buffer[i++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (i < buffer.length) {
    const key = Number(varint());
    const wire = key & 7;
    const number = key >> 3;
    if (wire === 0) out.push({ number, varint: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      out.push({ number, bytes: buffer.subarray(i, i + length) });
      i += length;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const field = (buffer: Uint8Array, number: number) => fields(buffer).find((f) => f.number === number);
const all = (buffer: Uint8Array, number: number) => fields(buffer).filter((f) => f.number === number);

export interface SignedBody {
  bodyBytes: Uint8Array;
  /** ECDSA (secp256k1) signatures by public-key prefix, hex. */
  signatures: Map<string, Uint8Array>;
}

/** Every signed transaction body in `toBytes()` output: one per node and chunk. */
export function signedBodies(bytes: Uint8Array): SignedBody[] {
  // TransactionList.transaction_list = 1; Transaction.signedTransactionBytes = 5;
  // SignedTransaction { bodyBytes = 1; sigMap = 2 }; SignatureMap.sigPair = 1;
  // SignaturePair { pubKeyPrefix = 1; ed25519 = 3; ECDSA_secp256k1 = 6 }.
  return all(bytes, 1).map(({ bytes: transaction }) => {
    const signed = field(transaction!, 5)!.bytes!;
    const bodyBytes = field(signed, 1)!.bytes!;
    const signatures = new Map<string, Uint8Array>();
    const sigMap = field(signed, 2)?.bytes;
    for (const pair of sigMap ? all(sigMap, 1) : []) {
      const prefix = Buffer.from(field(pair.bytes!, 1)!.bytes!).toString("hex");
      const signature = field(pair.bytes!, 6)?.bytes ?? field(pair.bytes!, 3)?.bytes;
      if (signature) signatures.set(prefix, signature);
    }
    return { bodyBytes, signatures };
  });
}

export interface SubmitChunk {
  number: number;
  total: number;
  message: Uint8Array;
}

/** The HCS chunks in a serialised TopicMessageSubmitTransaction (TransactionBody.consensusSubmitMessage = 27). */
export function submitChunks(bytes: Uint8Array): SubmitChunk[] {
  return signedBodies(bytes).map(({ bodyBytes }) => {
    const submit = field(bodyBytes, 27)!.bytes!;
    const chunkInfo = field(submit, 3)?.bytes;
    return {
      message: field(submit, 2)?.bytes ?? new Uint8Array(),
      total: chunkInfo ? Number(field(chunkInfo, 2)!.varint) : 1,
      number: chunkInfo ? Number(field(chunkInfo, 3)!.varint) : 1,
    };
  });
}

/** True when every body in the bytes carries a valid signature by `key`. */
export function everyBodySignedBy(bytes: Uint8Array, key: PublicKey): boolean {
  const prefix = Buffer.from(key.toBytesRaw()).toString("hex");
  return signedBodies(bytes).every(({ bodyBytes, signatures }) => {
    const signature = signatures.get(prefix);
    return signature !== undefined && key.verify(bodyBytes, signature);
  });
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Hedera script the way a person would (`tsx scripts/hedera/<name>.ts …`) with only the given
 * environment, so nothing from the developer's shell (keys, network) leaks in, and a fresh config
 * directory, so Hardhat's keystore is empty.
 */
export function runScript(name: string, args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  const home = mkdtempSync(path.join(tmpdir(), "juapesa-hedera-home-"));
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [`scripts/hedera/${name}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      rmSync(home, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}
