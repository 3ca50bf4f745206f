/**
 * The custodian's rate table: how much of an asset one unit of a rail's currency buys when cash comes
 * in, and what an asset amount pays out when cash goes out. The bridge quotes with it and the reserve
 * attester checks with it, so the two must read the same table (the same environment or file).
 *
 * Naira rails map to cNGN one for one; every other currency maps to USDC at the custodian's quote of
 * that currency per US dollar. The defaults are round figures for a local stack, not market data: a
 * deployment sets the custodian's real quote with JUAPESA_CUSTODIAN_RATES ("KES=129.5,UGX=3700") or
 * JUAPESA_CUSTODIAN_RATES_FILE (JSON `{ "KES": "129.5", … }`), which override the defaults one by one.
 *
 * Rounding always favours the reserve: a cash in credits the asset amount rounded down, a cash out pays
 * whole currency units rounded down and burns the asset amount rounded up, so the custodian never owes
 * more than it holds (DESIGN.md invariant 1).
 */
import { existsSync, readFileSync } from "node:fs";
import { parseUnits } from "viem";

import type { AssetSymbol } from "../ports.js";

/** Asset base units: 6 decimals for every asset (sdk/protocol.ts). */
const ASSET_DECIMALS = 6;
const ASSET_UNIT = 10n ** BigInt(ASSET_DECIMALS);

export interface CustodianRate {
  asset: AssetSymbol;
  /** Whole asset units per whole currency unit, as an exact fraction. */
  assetPerFiat: { num: bigint; den: bigint };
}

/** Currency units per US dollar: the custodian's quote for currencies that map to USDC. */
export const DEFAULT_FIAT_PER_USD: Readonly<Record<string, string>> = {
  KES: "129", // Kenya: M-Pesa, Airtel
  UGX: "3700", // Uganda: MTN MoMo, Airtel
  TZS: "2600",
  RWF: "1450",
  GHS: "12.5", // Ghana: MTN MoMo
  ZMW: "26",
  XOF: "565", // West Africa (BCEAO): Orange Money
  XAF: "565", // Central Africa (BEAC): Orange Money, MTN MoMo
  SLE: "22.8", // Sierra Leone: AfriMoney, Orange Money
  LRD: "180", // Liberia: Orange Money
  GNF: "8600",
  MWK: "1735",
  CDF: "2850",
};

export type RateTable = ReadonlyMap<string, CustodianRate>;

export class UnknownCurrencyError extends Error {
  constructor(readonly currency: string) {
    super(`No custodian rate for ${currency}: add it to JUAPESA_CUSTODIAN_RATES ("${currency}=<units per USD>") or the rates file.`);
    this.name = "UnknownCurrencyError";
  }
}

/** The table from the defaults, then the file, then the environment variable (later ones win). */
export function rateTableFromEnv(env: NodeJS.ProcessEnv = process.env): RateTable {
  const overrides: Record<string, string> = {};
  const file = env.JUAPESA_CUSTODIAN_RATES_FILE?.trim();
  if (file) {
    if (!existsSync(file)) throw new Error(`JUAPESA_CUSTODIAN_RATES_FILE points at ${file}, which does not exist.`);
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const [currency, value] of Object.entries(parsed)) overrides[currency] = String(value);
  }
  for (const pair of (env.JUAPESA_CUSTODIAN_RATES ?? "").split(",")) {
    if (!pair.trim()) continue;
    const [currency, value] = pair.split("=").map((s) => s.trim());
    if (!currency || !value) throw new Error(`JUAPESA_CUSTODIAN_RATES entry "${pair}" is not CUR=rate.`);
    overrides[currency] = value;
  }
  return rateTable({ ...DEFAULT_FIAT_PER_USD, ...overrides });
}

/** Builds the table from currency → units per US dollar; NGN is always cNGN one for one. */
export function rateTable(fiatPerUsd: Readonly<Record<string, string>>): RateTable {
  const table = new Map<string, CustodianRate>();
  for (const [currency, perUsd] of Object.entries(fiatPerUsd)) {
    if (currency === "NGN") continue;
    if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`"${currency}" is not an ISO 4217 currency code.`);
    const { num, den } = decimalFraction(perUsd, `the rate for ${currency}`);
    if (num === 0n) throw new Error(`The rate for ${currency} must be above zero.`);
    // perUsd = num/den currency units per dollar → den/num dollars per currency unit.
    table.set(currency, { asset: "USDC", assetPerFiat: { num: den, den: num } });
  }
  table.set("NGN", { asset: "cNGN", assetPerFiat: { num: 1n, den: 1n } });
  return table;
}

export function rateFor(table: RateTable, currency: string): CustodianRate {
  const rate = table.get(currency);
  if (!rate) throw new UnknownCurrencyError(currency);
  return rate;
}

/** Asset base units a fiat amount buys (cash in), rounded down. */
export function assetForFiat(rate: CustodianRate, fiat: string): bigint {
  return (parseFiat(fiat) * rate.assetPerFiat.num) / rate.assetPerFiat.den;
}

/** Whole currency units an asset amount pays out (cash out), rounded down; "0" when it buys less than one. */
export function fiatForAsset(rate: CustodianRate, amount: bigint): string {
  return ((amount * rate.assetPerFiat.den) / (rate.assetPerFiat.num * ASSET_UNIT)).toString();
}

/** Asset base units to burn for a fiat payout, rounded up: never less than the payout is worth. */
export function assetToBurnForFiat(rate: CustodianRate, fiat: string): bigint {
  const scaled = parseFiat(fiat) * rate.assetPerFiat.num;
  const { den } = rate.assetPerFiat;
  return (scaled + den - 1n) / den;
}

/** A fiat decimal string ("500", "12.50") as asset-scaled base units; refuses anything else. */
export function parseFiat(fiat: string): bigint {
  if (!/^\d{1,15}(\.\d{1,6})?$/.test(fiat)) throw new RangeError(`"${fiat}" is not a plain amount (digits, at most 6 decimals).`);
  return parseUnits(fiat, ASSET_DECIMALS);
}

function decimalFraction(text: string, what: string): { num: bigint; den: bigint } {
  if (!/^\d{1,12}(\.\d{1,12})?$/.test(text)) throw new Error(`${what} ("${text}") must be a plain decimal number.`);
  const [whole, fraction = ""] = text.split(".");
  const den = 10n ** BigInt(fraction.length);
  return { num: BigInt(whole! + fraction), den };
}

/** The canonical form of a fiat amount ("0500.50" → "500.5"); refuses what parseFiat refuses and zero. */
export function canonicalFiat(fiat: string): string {
  const trimmed = fiat.trim();
  if (parseFiat(trimmed) === 0n) throw new RangeError("The amount must be more than zero.");
  const [whole, fraction = ""] = trimmed.split(".");
  const cleanFraction = fraction.replace(/0+$/, "");
  const cleanWhole = whole!.replace(/^0+(?=\d)/, "");
  return cleanFraction ? `${cleanWhole}.${cleanFraction}` : cleanWhole;
}
