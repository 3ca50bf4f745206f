/**
 * The identities of a cash movement, all derived from the caller's `opKey` so that a retry (a gateway
 * re-posting a hop, a redial into the same session, a crash and restart) is the same payment: the same
 * rail reference (the rail's idempotency key), the same vault operation ids.
 */
import { createHash } from "node:crypto";

import { opIdFor } from "../money/op-id.js";
import type { RailId } from "../ports.js";

export type CashDirection = "collect" | "payout";

/**
 * Our reference for the rail request: "ci_" or "co_" and 120 bits of SHA-256(direction, opKey), which
 * fits every rail's idempotency field (letters, digits, `_`; at most 64) and reveals nothing of the key.
 */
export function cashReference(direction: CashDirection, opKey: string): string {
  if (!opKey) throw new TypeError("a cash operation needs an opKey that identifies it (session and step, or idempotency key)");
  const digest = createHash("sha256").update(`juapesa cash ${direction}\u0000${opKey}`).digest("hex");
  return `${direction === "collect" ? "ci" : "co"}_${digest.slice(0, 30)}`;
}

/** The vault operations of one cash movement (opIdFor's "rail" namespace: rail, purpose, our reference). */
export type CashPurpose = "collect" | "payout" | "refund";

export function cashOpId(rail: RailId, purpose: CashPurpose, reference: string): bigint {
  return opIdFor("rail", rail, purpose, reference);
}
