/**
 * Amounts as a person types and reads them on a keypad screen.
 *
 * Typed: digits with at most one decimal separator. "." is always the decimal point; "," is one too
 * in French (where "25,50" is how people write it). In English and Kiswahili "," is refused rather
 * than guessed at, because "1,000" could mean one thousand or one: the person is asked to type
 * digits only. Every asset has 6 decimals, so at most 6 decimal digits; at most 12 whole digits
 * (no limit tier comes near it), which keeps every screen within its 182 characters.
 *
 * Shown: thousands grouped by the language's separator, at least 2 and at most 6 decimals with
 * trailing zeros dropped ("1,500.00", "0.000125"), the asset symbol after the number.
 */
import type { Lang } from "../ports.js";

export const ASSET_DECIMALS = 6;
export const MAX_WHOLE_DIGITS = 9;
const MAX_SHOWN_WHOLE_DIGITS = 12;
const SCALE = 10n ** BigInt(ASSET_DECIMALS);

export interface NumberStyle {
  group: string;
  decimal: string;
  /** Whether "," is read as the decimal separator when typed. */
  commaDecimal: boolean;
}

export const NUMBER_STYLES: Record<Lang, NumberStyle> = {
  en: { group: ",", decimal: ".", commaDecimal: false },
  sw: { group: ",", decimal: ".", commaDecimal: false },
  // French groups thousands with a (narrow) space; a plain space is the GSM-7 one.
  fr: { group: " ", decimal: ",", commaDecimal: true },
};

export type AmountProblem = "format" | "negative" | "zero" | "decimals" | "too-large";

export type ParsedAmount = { ok: true; value: bigint } | { ok: false; problem: AmountProblem };

/** An asset amount typed by a person, in base units (6 decimals). */
export function parseAmount(input: string, lang: Lang, decimals = ASSET_DECIMALS): ParsedAmount {
  let text = input.trim();
  let negative = false;
  if (text.startsWith("-")) {
    negative = true;
    text = text.slice(1).trim();
  }
  const separators = NUMBER_STYLES[lang].commaDecimal ? /^(\d+)(?:[.,](\d+))?$/ : /^(\d+)(?:\.(\d+))?$/;
  const match = separators.exec(text);
  if (!match) return { ok: false, problem: "format" };
  const whole = match[1]!.replace(/^0+(?=\d)/, "");
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (negative && (BigInt(whole) > 0n || fraction !== "")) return { ok: false, problem: "negative" };
  if (fraction.length > decimals) return { ok: false, problem: "decimals" };
  if (whole.length > MAX_WHOLE_DIGITS) return { ok: false, problem: "too-large" };
  const scale = 10n ** BigInt(decimals);
  const value = BigInt(whole) * scale + (fraction === "" ? 0n : BigInt(fraction.padEnd(decimals, "0")));
  if (value === 0n) return { ok: false, problem: "zero" };
  return { ok: true, value };
}

/** A whole fiat amount for a mobile-money rail ("500"): rails take whole units of the local currency. */
export function parseFiat(input: string, lang: Lang): { ok: true; value: string } | { ok: false; problem: AmountProblem | "whole" } {
  const parsed = parseAmount(input, lang, ASSET_DECIMALS);
  if (!parsed.ok) return parsed;
  if (parsed.value % SCALE !== 0n) return { ok: false, problem: "whole" };
  return { ok: true, value: (parsed.value / SCALE).toString() };
}

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** "1,500.00" / "1 500,00" / "0.000125": base units shown in `lang`. */
export function formatAmount(base: bigint, lang: Lang): string {
  const style = NUMBER_STYLES[lang];
  const sign = base < 0n ? "-" : "";
  const abs = base < 0n ? -base : base;
  const whole = (abs / SCALE).toString();
  if (whole.length > MAX_SHOWN_WHOLE_DIGITS) return `>${group("9".repeat(MAX_SHOWN_WHOLE_DIGITS), style.group)}`;
  if (whole.length > MAX_WHOLE_DIGITS) return `${sign}${group(whole, style.group)}`;
  let fraction = (abs % SCALE).toString().padStart(ASSET_DECIMALS, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${sign}${group(whole, style.group)}${style.decimal}${fraction}`;
}

/** "1,500" / "1 500": a whole fiat amount shown in `lang`. */
export function formatFiat(whole: string, lang: Lang): string {
  if (whole.length > MAX_SHOWN_WHOLE_DIGITS) return `>${group("9".repeat(MAX_SHOWN_WHOLE_DIGITS), NUMBER_STYLES[lang].group)}`;
  return group(whole, NUMBER_STYLES[lang].group);
}

/** "1,500.00 cNGN": an asset amount with its symbol. */
export function formatMoney(base: bigint | string, asset: string, lang: Lang): string {
  return `${formatAmount(BigInt(base), lang)} ${asset}`;
}

/** The largest amount `parseAmount` accepts, for tests that render worst cases. */
export const LARGEST_AMOUNT = 10n ** BigInt(MAX_WHOLE_DIGITS) * SCALE - 1n;
