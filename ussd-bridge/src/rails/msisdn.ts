/** Phone numbers in the forms rails take them. Rails never see a "+", and some want no country code. */
import type { E164 } from "../../../sdk/phone.js";

/** "+254712345678" → "254712345678" (Daraja, MoMo, Africa's Talking without the plus). */
export function msisdnDigits(phone: E164): string {
  return phone.slice(1);
}

/** "254712345678" or "+254712345678" → "+254712345678"; undefined when it is not a plausible number. */
export function e164FromDigits(digits: string | number): E164 | undefined {
  const text = String(digits).trim().replace(/^\+/, "");
  return /^[1-9]\d{6,14}$/.test(text) ? (`+${text}` as E164) : undefined;
}

/**
 * The number without its country code, as Airtel's API wants it ("+256712345678" with calling code
 * "256" → "712345678").
 */
export function nationalDigits(phone: E164, callingCode: string): string {
  const digits = msisdnDigits(phone);
  if (!digits.startsWith(callingCode)) throw new Error(`the number is not in the rail's country (calling code +${callingCode})`);
  return digits.slice(callingCode.length);
}
