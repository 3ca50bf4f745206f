/**
 * Phone numbers and the account ids derived from them, in one place.
 *
 * A vault account id is HMAC-SHA256(pepper, E.164 number): the chain never sees a number, and without
 * the pepper no one can test a guess. The pepper is a secret of at least 32 bytes that comes only from
 * the environment (JUAPESA_PEPPER, hex) or a secret file (JUAPESA_PEPPER_FILE); the local stack
 * generates a development pepper into the gitignored `.keys/`.
 */
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import type { Hex } from "viem";

export type E164 = `+${string}`;

/**
 * The E.164 form of a number typed in any common local or international format ("0712 345 678",
 * "254712345678", "+254-712-345678", "00254712345678"), read in `defaultCountry` when it has no
 * country code; undefined when it is not a valid mobile or fixed-line number.
 */
export function normalisePhone(input: string, defaultCountry: CountryCode): E164 | undefined {
  const cleaned = input.trim().replace(/^00/, "+");
  if (!/^\+?[\d\s().-]{6,20}$/.test(cleaned)) return undefined;
  let parsed = parsePhoneNumberFromString(cleaned, defaultCountry);
  // "254712345678" typed without the plus: try it as international when the local reading fails.
  if ((!parsed || !parsed.isValid()) && !cleaned.startsWith("+")) parsed = parsePhoneNumberFromString(`+${cleaned}`);
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.number as E164;
}

/** The ISO country of an E.164 number, or undefined. */
export function countryOf(e164: string): CountryCode | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}

/** The vault account id of a number: HMAC-SHA256(pepper, E.164), as 0x-hex. */
export function accountIdFor(pepper: Uint8Array, e164: E164): Hex {
  if (pepper.length < 32) throw new Error("the pepper must be at least 32 bytes");
  return `0x${createHmac("sha256", pepper).update(e164).digest("hex")}`;
}

/** "+254 7•• ••• 678": enough for a person to recognise a number, not to learn it. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, "");
  if (digits.length < 7) return "•••";
  return `+${digits.slice(0, 4)}•••${digits.slice(-3)}`;
}

export class PepperMissingError extends Error {
  constructor() {
    super("No pepper: set JUAPESA_PEPPER (at least 32 bytes as hex) or JUAPESA_PEPPER_FILE (a file holding it).");
    this.name = "PepperMissingError";
  }
}

/** The pepper from JUAPESA_PEPPER or JUAPESA_PEPPER_FILE. */
export function pepperFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const file = env.JUAPESA_PEPPER_FILE?.trim();
  const text = env.JUAPESA_PEPPER?.trim() ?? (file && existsSync(file) ? readFileSync(file, "utf8").trim() : undefined);
  if (!text) throw new PepperMissingError();
  const hex = text.replace(/^0x/, "");
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0) throw new Error("the pepper must be hex");
  const pepper = Buffer.from(hex, "hex");
  if (pepper.length < 32) throw new Error(`the pepper must be at least 32 bytes, got ${pepper.length}`);
  return pepper;
}
