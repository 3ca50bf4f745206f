/**
 * Operation ids: where the "at most once" of every money action starts.
 *
 * `opIdFor(namespace, ...parts)` = uint256(keccak256(abi.encode("JuaPesa operation v1", namespace, parts)))
 * with `parts` an ABI `string[]`. The id depends only on what identifies the action, never on time
 * or randomness, so the same action asked twice has the same id: a USSD gateway re-posting a hop, a
 * person redialling into the same session, or a partner retrying with the same idempotency key all
 * land on the same outbox row and the same vault operation, which the vault executes at most once.
 *
 * What the parts should be, per origin:
 * - "ussd": the session id and the step that confirms the action (e.g. `[sessionId, "send"]`);
 * - "api":  the partner id and its idempotency key;
 * - "rail": the rail, the direction and the rail's own reference (e.g. a CheckoutRequestID).
 * Namespaces keep an API key and a USSD session that happen to share a string apart. ABI-encoding
 * (each string length-prefixed) keeps ["ab", "c"] and ["a", "bc"] apart.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";

export type OpNamespace = "ussd" | "api" | "rail";

const DOMAIN_TAG = "JuaPesa operation v1";
const NAMESPACES: readonly OpNamespace[] = ["ussd", "api", "rail"];

export function opIdFor(namespace: OpNamespace, ...parts: string[]): bigint {
  if (!NAMESPACES.includes(namespace)) throw new TypeError(`unknown operation namespace "${namespace}"`);
  if (parts.length === 0) throw new TypeError("an operation id needs at least one part that identifies the action");
  const encoded = encodeAbiParameters([{ type: "string" }, { type: "string" }, { type: "string[]" }], [DOMAIN_TAG, namespace, parts]);
  return BigInt(keccak256(encoded));
}

/** The outbox's key for an operation id: 0x + 64 hex digits (db/schema.ts). */
export function opIdHex(opId: bigint): Hex {
  if (opId < 0n || opId >= 1n << 256n) throw new RangeError("an operation id is a uint256");
  return `0x${opId.toString(16).padStart(64, "0")}`;
}
