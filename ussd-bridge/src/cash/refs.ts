/**
 * The `ref` of a supply-change statement: the hash of the rail receipt or reference the statement
 * rests on, never the receipt itself (the ledger is public). One definition, used by the cash service
 * that proposes statements, the reserve attester that checks them and the reconciliation that matches
 * the vault's Credited/Debited events back to a rail's statement.
 *
 * The rail and the purpose are part of the hashed text: two rails may issue the same receipt number,
 * and a payout's burn and its refund must never share a ref.
 */
import { keccak256, toHex, type Hex } from "viem";

import type { RailId } from "../ports.js";

/** A cash in: the rail's receipt for the collection (its own request id when it issues no receipt). */
export function collectRef(rail: RailId, receipt: string): Hex {
  return keccak256(toHex(`juapesa:${rail}:collect:${receipt}`));
}

/** A cash out's burn, bound to our payout reference (the payout is requested after the burn). */
export function payoutRef(rail: RailId, reference: string): Hex {
  return keccak256(toHex(`juapesa:${rail}:payout:${reference}`));
}

/** The refund of a failed payout: one per payout reference. */
export function refundRef(rail: RailId, reference: string): Hex {
  return keccak256(toHex(`juapesa:${rail}:refund:${reference}`));
}

/** The receipt a collection's ref rests on. */
export function collectReceipt(status: { receipt?: string; providerRef: string }): string {
  return status.receipt ?? status.providerRef;
}
