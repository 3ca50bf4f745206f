/**
 * Our reference for a rail request (the idempotency key towards the rail) and the ids derived from it.
 * Every derivation is deterministic, so a retry after a crash sends the same id and the rail refuses it
 * as a duplicate instead of charging twice.
 */
import { createHash } from "node:crypto";

/** Letters, digits, `-` and `_`, at most 64: fits every rail's id fields once derived. */
const REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;

export function assertReference(reference: string): void {
  if (!REFERENCE.test(reference)) {
    throw new Error("a rail reference must be 1 to 64 letters, digits, '-' or '_' (it becomes the rail's idempotency key)");
  }
}

/**
 * A UUID in version-4 form whose bits come from SHA-256(namespace, reference): MoMo takes any valid
 * UUID v4 as X-Reference-Id, and deriving it means the same reference always sends the same id.
 */
export function uuidFromReference(namespace: string, reference: string): string {
  const bytes = createHash("sha256").update(`${namespace}\u0000${reference}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A short code derived from the reference, in Crockford base32 (no I, L, O, U to misread), for fields
 * with a small limit that a customer sees, such as M-Pesa's AccountReference (12 characters).
 */
export function shortCode(prefix: string, reference: string, length: number): string {
  const digest = createHash("sha256").update(reference).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let out = "";
  for (let i = 0; i < length - prefix.length; i++) {
    out += CROCKFORD[Number(bits & 31n)];
    bits >>= 5n;
  }
  return prefix + out;
}
