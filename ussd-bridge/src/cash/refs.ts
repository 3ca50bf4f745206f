/**
 * The `ref` of a supply-change statement: the hash of the rail reference the statement rests on, never the receipt itself (the ledger is public). One definition, used by the cash service
 * that proposes statements, the reserve attester that checks them and the reconciliation that matches
 * the vault's Credited/Debited events back to a rail's statement.
 *
 * The rail and the purpose are part of the hashed text: two rails may issue the same receipt number,
 * and a payout's burn and its refund must never share a ref.
 */
import { keccak256, toHex, type Hex } from "viem";

import type { RailId } from "../ports.js";

/**
 * A cash in: the rail's id for the collection request (CheckoutRequestID, X-Reference-Id, …). Every
 * rail has one from the start, its status API and its statement both name it, and it maps to exactly
 * one receipt; a receipt number alone is not always in the status answer (M-Pesa's STK query has none).
 */
export function collectRef(rail: RailId, providerRef: string): Hex {
  return keccak256(toHex(`juapesa:${rail}:collect:${providerRef}`));
}

/** A cash out's burn, bound to our payout reference (the payout is requested after the burn). */
export function payoutRef(rail: RailId, reference: string): Hex {
  return keccak256(toHex(`juapesa:${rail}:payout:${reference}`));
}

/** The refund of a failed payout: one per payout reference. */
export function refundRef(rail: RailId, reference: string): Hex {
  return keccak256(toHex(`juapesa:${rail}:refund:${reference}`));
}
