/**
 * PINs: the policy a new PIN must meet, and how a PIN is hashed and checked.
 *
 * Hash: scrypt over HMAC-SHA256(pinKey, pin) with a random 16-byte salt per hash, stored as
 * `scrypt$N$r$p$<salt>$<hash>` (salt and hash in base64url), so the parameters travel with the
 * hash and can be raised later without breaking old hashes (`needsRehash`). `pinKey` is derived from
 * the pepper: a PIN has at most a million values, so a stolen database alone must not be enough
 * to search them; the attacker needs the pepper too.
 *
 * node:crypto's callback `scrypt` runs on libuv's thread pool, so hashing never blocks the event
 * loop that answers other USSD hops. Comparison is constant-time.
 *
 * A PIN is never logged, never put in an error message, never stored in clear: functions here take
 * it as an argument and return only booleans, reasons and hashes.
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** 4 to 6 digits: M-Pesa PINs have 4, MTN MoMo PINs 4 or 5; 6 lets a careful person go further. */
export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 6;

const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** The key PIN hashes are made with, derived from the pepper so the pepper itself is used for one thing only. */
export function pinKeyFrom(pepper: Uint8Array): Buffer {
  return createHmac("sha256", pepper).update("juapesa/pin-hash-key/v1").digest();
}

export type PinProblem = "not-digits" | "too-short" | "too-long" | "trivial";

/** Why `pin` is not acceptable as a new PIN, or undefined when it is. `phone` lets it refuse the number's own digits. */
export function pinProblem(pin: string, phone?: string): PinProblem | undefined {
  if (!/^\d+$/.test(pin)) return "not-digits";
  if (pin.length < PIN_MIN_DIGITS) return "too-short";
  if (pin.length > PIN_MAX_DIGITS) return "too-long";
  return isTrivial(pin, phone) ? "trivial" : undefined;
}

/**
 * PINs that a person watching, or anyone guessing three times, would try first: one digit repeated,
 * straight runs either way (wrapping 9→0, as on the keypad's bottom row: 7890), a repeated pair or
 * triple (1212, 123123), the keypad's middle column (2580), the most common four-digit PINs, and
 * the last digits of the person's own number.
 */
function isTrivial(pin: string, phone?: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  if (steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9))) return true; // 0000, 1234, 4321, 7890
  for (const period of [2, 3]) {
    if (pin.length > period && pin.length % period === 0 && pin === pin.slice(0, period).repeat(pin.length / period)) return true;
  }
  if (COMMON_PINS.has(pin)) return true;
  if (phone && phone.replace(/\D/g, "").endsWith(pin)) return true;
  return false;
}

/** Most used four-digit PINs after the runs and repeats above (DataGenetics' PIN analysis, 2012), and keypad lines. */
const COMMON_PINS = new Set(["1122", "1004", "2000", "2001", "6969", "1313", "1010", "2580", "0852", "1470", "0741", "3690", "0963", "112233", "121212", "696969", "159753"]);

function scryptAsync(secret: Buffer, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128·N·r·p bytes; leave headroom so node does not refuse valid parameters.
    const maxmem = 256 * params.N * params.r * params.p;
    scrypt(secret, salt, HASH_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const keyed = (pin: string, key: Uint8Array) => createHmac("sha256", key).update(pin).digest();

export async function hashPin(pin: string, key: Uint8Array, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(keyed(pin, key), salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(parts[4]!, "base64url"), hash: Buffer.from(parts[5]!, "base64url") };
}

/** True when `pin` matches `encoded`. A malformed stored hash never matches (and says so without the PIN). */
export async function verifyPinHash(pin: string, encoded: string, key: Uint8Array): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed || parsed.hash.length === 0) throw new Error("A stored PIN hash is malformed; reset the PIN for this account.");
  const candidate = await scryptAsync(keyed(pin, key), parsed.salt, parsed.params);
  return candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
}

/** True when `encoded` was made with other parameters than `params` (rehash it after the next right PIN). */
export function needsRehash(encoded: string, params: ScryptParams): boolean {
  const parsed = parseHash(encoded);
  return !parsed || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}
