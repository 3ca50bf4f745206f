/**
 * The attester's HTTP format, in one place: a SupplyChange travels as JSON with its integers as
 * decimal strings (bigints do not survive JSON), and a refusal travels as `{ error, message }` with a
 * code the bridge can act on. The server validates with these schemas and the client decodes with them.
 */
import { z } from "zod";
import type { Hex } from "viem";

import type { SupplyChange, SupplyChangeKind } from "../../sdk/attestation.js";
import { RAIL_IDS, type AttestationRequest, type RailId } from "../../ussd-bridge/src/ports.js";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an address: 0x and 40 hex digits");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "32 bytes: 0x and 64 hex digits");
const uint = z.string().regex(/^\d{1,78}$/, "an unsigned integer as a decimal string");

export const supplyChangeSchema = z.object({
  kind: z.union([z.literal(0), z.literal(1)]),
  asset: address,
  holder: address,
  account: bytes32,
  amount: uint,
  ref: bytes32,
  nonce: uint,
  deadline: uint,
});
export type SupplyChangeJson = z.infer<typeof supplyChangeSchema>;

export const attestationRequestSchema = z.object({
  rail: z.enum(RAIL_IDS as [RailId, ...RailId[]]),
  direction: z.enum(["collect", "payout", "refund"]),
  providerRef: z.string().min(1).max(128),
  change: supplyChangeSchema,
});

export const attestationResponseSchema = z.object({
  change: supplyChangeSchema,
  signatures: z.string().regex(/^0x([0-9a-fA-F]{2})+$/),
});

/** Why the attester would not sign; the bridge decides from the code whether to wait, retry or give up. */
export type RefusalCode =
  | "malformed" // the request does not parse
  | "unsupported-rail" // the attester has no adapter for the rail
  | "rail-unreachable" // the rail did not answer; try again later
  | "rail-pending" // the rail has not settled the payment yet; try again later
  | "rail-failed" // the collection failed: nothing to mint
  | "payout-not-failed" // a refund was asked for a payout the rail does not report as failed
  | "unverifiable" // the rail's status lacks the amount or the payer, so the statement cannot be checked
  | "amount-mismatch"
  | "account-mismatch"
  | "ref-mismatch"
  | "statement-mismatch" // kind, asset, holder or deadline are not what the request implies
  | "no-burn" // a refund for a payout whose burn this attester never signed
  | "already-attested"; // another statement was already signed for this receipt

export const refusalSchema = z.object({ error: z.string(), message: z.string() });

export function encodeChange(change: SupplyChange): SupplyChangeJson {
  return {
    kind: change.kind,
    asset: change.asset,
    holder: change.holder,
    account: change.account,
    amount: change.amount.toString(),
    ref: change.ref,
    nonce: change.nonce.toString(),
    deadline: change.deadline.toString(),
  };
}

export function decodeChange(json: SupplyChangeJson): SupplyChange {
  return {
    kind: json.kind as SupplyChangeKind,
    asset: json.asset as Hex,
    holder: json.holder as Hex,
    account: json.account.toLowerCase() as Hex,
    amount: BigInt(json.amount),
    ref: json.ref.toLowerCase() as Hex,
    nonce: BigInt(json.nonce),
    deadline: BigInt(json.deadline),
  };
}

export function encodeRequest(req: AttestationRequest) {
  return { rail: req.rail, direction: req.direction, providerRef: req.providerRef, change: encodeChange(req.change) };
}

export function decodeRequest(json: z.infer<typeof attestationRequestSchema>): AttestationRequest {
  return { rail: json.rail, direction: json.direction, providerRef: json.providerRef, change: decodeChange(json.change) };
}

/** Two statements are the same statement when every signed field is equal. */
export function sameChange(a: SupplyChange, b: SupplyChange): boolean {
  const x = encodeChange(a);
  const y = encodeChange(b);
  return (Object.keys(x) as (keyof SupplyChangeJson)[]).every((k) => String(x[k]).toLowerCase() === String(y[k]).toLowerCase());
}
