/**
 * The HCS message format of the attestation ledger, in one place: every statement the
 * AttestationLedger accepts (`ReserveReported`, `SupplyChangeAttested`) is published to the
 * "JuaPesa attestation ledger" topic as one message, so anyone can re-verify the ledger from
 * Hedera Consensus Service alone.
 *
 * A message is UTF-8 JSON with no whitespace and keys in exactly this order (version 1):
 *
 *   {"v":1,"type":"ReserveReported"|"SupplyChangeAttested","chainId":296,"ledger":"0x…",
 *    "id":"0x…","blockNumber":"123","txHash":"0x…","logIndex":0,"statement":{…},"signatures":"0x…"}
 *
 * - `statement` is the EIP-712 message exactly as the attesters signed it, fields in struct order
 *   (ReserveReport: asset, reserve, asOf, custodianRef, nonce; SupplyChange: kind, asset, holder,
 *   account, amount, ref, nonce, deadline); `kind` is the uint8 (0 mint, 1 burn).
 * - Integers that can exceed 2^53 (uint256, uint64, block numbers) are decimal strings; chainId,
 *   logIndex and kind are JSON numbers. Addresses are EIP-55 checksummed; other hex is lowercase.
 * - `id` is the statement id, its EIP-712 digest under the ledger's domain (chainId, ledger), so
 *   `statementDigest(message) === message.id` checks the fields, and `recoverSigners` the signatures
 *   (65-byte r‖s‖v signatures concatenated, signer addresses strictly ascending).
 * - Consumers deduplicate by `id`: a statement is accepted once on chain, and the publisher keys its
 *   progress by `id`, but a crash between a submission and its receipt can repeat a message.
 *
 * The encoding is canonical: `decodeHcsMessage` rejects any input that does not re-encode to the
 * same bytes, so a message has exactly one valid form.
 */
import { getAddress, hashTypedData, recoverAddress, type Address, type Hex } from "viem";

import { ledgerDomain, statementTypes, type ReserveReport, type SupplyChange, type SupplyChangeKind } from "./attestation.js";

export const HCS_MESSAGE_VERSION = 1;
/** HCS accepts at most 1024 bytes per message chunk; the SDK splits longer messages. */
export const HCS_CHUNK_SIZE = 1024;
/**
 * The largest message the format can produce — a supply change signed by all 32 attesters the
 * ledger allows (MAX_ATTESTERS), every integer at its maximum — is 5,004 bytes: 5 chunks (a test
 * pins it). A longer message is not one of ours, so the submission refuses it rather than send it.
 */
export const HCS_MAX_CHUNKS = 5;

interface MessageBase {
  chainId: number;
  ledger: Address;
  id: Hex;
  blockNumber: bigint;
  txHash: Hex;
  logIndex: number;
  signatures: Hex;
}

export interface ReserveReportedMessage extends MessageBase {
  type: "ReserveReported";
  statement: ReserveReport;
}

export interface SupplyChangeAttestedMessage extends MessageBase {
  type: "SupplyChangeAttested";
  statement: SupplyChange;
}

export type LedgerMessage = ReserveReportedMessage | SupplyChangeAttestedMessage;

export class HcsMessageError extends Error {
  constructor(message: string) {
    super(`Not a JuaPesa ledger message: ${message}`);
    this.name = "HcsMessageError";
  }
}

/** The canonical JSON text of a message. */
export function encodeHcsMessageJson(message: LedgerMessage): string {
  const statement =
    message.type === "ReserveReported"
      ? {
          asset: getAddress(message.statement.asset),
          reserve: message.statement.reserve.toString(),
          asOf: message.statement.asOf.toString(),
          custodianRef: lower(message.statement.custodianRef),
          nonce: message.statement.nonce.toString(),
        }
      : {
          kind: message.statement.kind,
          asset: getAddress(message.statement.asset),
          holder: getAddress(message.statement.holder),
          account: lower(message.statement.account),
          amount: message.statement.amount.toString(),
          ref: lower(message.statement.ref),
          nonce: message.statement.nonce.toString(),
          deadline: message.statement.deadline.toString(),
        };
  return JSON.stringify({
    v: HCS_MESSAGE_VERSION,
    type: message.type,
    chainId: message.chainId,
    ledger: getAddress(message.ledger),
    id: lower(message.id),
    blockNumber: message.blockNumber.toString(),
    txHash: lower(message.txHash),
    logIndex: message.logIndex,
    statement,
    signatures: lower(message.signatures),
  });
}

/** The bytes submitted to the topic. */
export function encodeHcsMessage(message: LedgerMessage): Uint8Array {
  return new TextEncoder().encode(encodeHcsMessageJson(message));
}

/** Parses and validates a topic message; throws HcsMessageError on anything but a canonical v1 message. */
export function decodeHcsMessage(input: Uint8Array | string): LedgerMessage {
  let text: string;
  try {
    text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch {
    throw new HcsMessageError("not UTF-8");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HcsMessageError("not JSON");
  }
  const m = record(raw, "message");
  if (m.v !== HCS_MESSAGE_VERSION) throw new HcsMessageError(`version ${JSON.stringify(m.v)}, expected ${HCS_MESSAGE_VERSION}`);
  const s = record(m.statement, "statement");
  const base: MessageBase = {
    chainId: safeInteger(m.chainId, "chainId"),
    ledger: address(m.ledger, "ledger"),
    id: bytes32(m.id, "id"),
    blockNumber: uint(m.blockNumber, "blockNumber"),
    txHash: bytes32(m.txHash, "txHash"),
    logIndex: safeInteger(m.logIndex, "logIndex"),
    signatures: hex(m.signatures, "signatures"),
  };
  let message: LedgerMessage;
  if (m.type === "ReserveReported") {
    message = {
      ...base,
      type: "ReserveReported",
      statement: {
        asset: address(s.asset, "statement.asset"),
        reserve: uint(s.reserve, "statement.reserve"),
        asOf: uint(s.asOf, "statement.asOf"),
        custodianRef: bytes32(s.custodianRef, "statement.custodianRef"),
        nonce: uint(s.nonce, "statement.nonce"),
      },
    };
  } else if (m.type === "SupplyChangeAttested") {
    if (s.kind !== 0 && s.kind !== 1) throw new HcsMessageError(`statement.kind ${JSON.stringify(s.kind)} is neither 0 (mint) nor 1 (burn)`);
    message = {
      ...base,
      type: "SupplyChangeAttested",
      statement: {
        kind: s.kind as SupplyChangeKind,
        asset: address(s.asset, "statement.asset"),
        holder: address(s.holder, "statement.holder"),
        account: bytes32(s.account, "statement.account"),
        amount: uint(s.amount, "statement.amount"),
        ref: bytes32(s.ref, "statement.ref"),
        nonce: uint(s.nonce, "statement.nonce"),
        deadline: uint(s.deadline, "statement.deadline"),
      },
    };
  } else {
    throw new HcsMessageError(`unknown type ${JSON.stringify(m.type)}`);
  }
  if (encodeHcsMessageJson(message) !== text) throw new HcsMessageError("not in canonical form (key order, spacing or hex case)");
  return message;
}

/** The EIP-712 digest of the message's statement under its ledger's domain: equals `id` when the fields are intact. */
export function statementDigest(message: LedgerMessage): Hex {
  const domain = ledgerDomain({ chainId: message.chainId, verifyingContract: message.ledger });
  return message.type === "ReserveReported"
    ? hashTypedData({ domain, types: statementTypes, primaryType: "ReserveReport", message: message.statement })
    : hashTypedData({ domain, types: statementTypes, primaryType: "SupplyChange", message: message.statement });
}

/** The addresses that signed the statement, in signature order (the ledger requires them ascending). */
export async function recoverSigners(message: LedgerMessage): Promise<Address[]> {
  const raw = message.signatures.slice(2);
  if (raw.length % 130 !== 0) throw new HcsMessageError(`signatures of ${raw.length / 2} bytes are not 65-byte signatures`);
  const digest = statementDigest(message);
  const signers: Address[] = [];
  for (let i = 0; i < raw.length; i += 130) {
    signers.push(await recoverAddress({ hash: digest, signature: `0x${raw.slice(i, i + 130)}` }));
  }
  return signers;
}

/** How many HCS chunks the SDK will split `bytes` into. */
export function hcsChunkCount(bytes: Uint8Array): number {
  return Math.max(1, Math.ceil(bytes.length / HCS_CHUNK_SIZE));
}

const lower = (h: Hex): Hex => h.toLowerCase() as Hex;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HcsMessageError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function safeInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new HcsMessageError(`${what} is not a non-negative integer`);
  return value;
}

function uint(value: unknown, what: string): bigint {
  if (typeof value !== "string" || !/^(0|[1-9]\d{0,77})$/.test(value)) throw new HcsMessageError(`${what} is not a decimal string`);
  const n = BigInt(value);
  if (n >= 1n << 256n) throw new HcsMessageError(`${what} exceeds uint256`);
  return n;
}

function hex(value: unknown, what: string): Hex {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) throw new HcsMessageError(`${what} is not hex bytes`);
  return value as Hex;
}

function bytes32(value: unknown, what: string): Hex {
  const h = hex(value, what);
  if (h.length !== 66) throw new HcsMessageError(`${what} is not 32 bytes`);
  return h;
}

function address(value: unknown, what: string): Address {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new HcsMessageError(`${what} is not an address`);
  return getAddress(value);
}
