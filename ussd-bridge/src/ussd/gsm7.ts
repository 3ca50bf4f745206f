/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), the character set every USSD handset and
 * gateway can show. Operators carry USSD strings in 7-bit GSM (data coding scheme 0x0F); a character
 * outside this set makes a gateway either replace it with "?" or switch the whole screen to UCS-2,
 * which halves the room to about 90 characters. So every screen and SMS the bridge writes stays in
 * the basic table: no emojis, no curly quotes, no bullets, and French without ê, â, ô, î, û, ç
 * (the basic table has é è à ù ì ò É Ç but not those).
 */

// The 128 characters of the basic table, in table order (0x1B, the escape to the extension table, as "\u001b").
const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** The extension table: each costs two septets (escape + code). */
const EXTENSION = "\f^{}\\[~]|€";

const BASIC_SET = new Set([...BASIC].filter((c) => c !== "\u001b"));
const EXTENSION_SET = new Set([...EXTENSION]);

/** True when every character of `text` is in the GSM 7-bit default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const c of text) if (!BASIC_SET.has(c) && !EXTENSION_SET.has(c)) return false;
  return true;
}

/** True when every character is in the basic table (no two-septet characters). */
export function isGsm7Basic(text: string): boolean {
  for (const c of text) if (!BASIC_SET.has(c)) return false;
  return true;
}

/** Septets `text` takes in GSM 7-bit: 1 per basic character, 2 per extension character; NaN when not GSM-7. */
export function gsm7Septets(text: string): number {
  let n = 0;
  for (const c of text) {
    if (BASIC_SET.has(c)) n += 1;
    else if (EXTENSION_SET.has(c)) n += 2;
    else return Number.NaN;
  }
  return n;
}

/** The characters of `text` that are not GSM-7, for error messages and tests. */
export function nonGsm7(text: string): string[] {
  return [...new Set([...text].filter((c) => !BASIC_SET.has(c) && !EXTENSION_SET.has(c)))];
}
