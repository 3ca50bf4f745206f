/**
 * KYC tiers per country: the off-chain, local-currency view of what an account may do.
 *
 * The vault enforces its own limits per tier and asset on-chain; the bridge checks these before it
 * sends, and the stricter of the two wins (`stricter`). Registration over USSD gives the table's
 * `selfRegistrationTier`; higher tiers come from the KYC provider. The numbers and where they come
 * from live in `ussd-bridge/data/tiers.json` (documented in docs/compliance.md); a deployment
 * points `JUAPESA_TIERS_FILE` at its own table.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

import { USD_NGN, WAD, XAU_USD } from "../../../sdk/protocol.js";
import type { AssetSymbol } from "../ports.js";

export const DEFAULT_TIERS_FILE = path.resolve(import.meta.dirname, "../../data/tiers.json");

const wholeUnits = z.number().int().positive();
const tierSchema = z.object({
  tier: z.number().int().min(1).max(255),
  maxSingle: wholeUnits,
  maxDaily: wholeUnits,
  maxBalance: wholeUnits,
  /** How a person reaches the tier: by registering over USSD, or through the KYC provider. */
  via: z.enum(["ussd-self-registration", "kyc-provider"]),
});
const countrySchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as KES"),
  /** Local units per US dollar, indicative: only used to express the limits in an asset. */
  usdRate: z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "a decimal string such as \"129.5\""),
  source: z.string().min(1),
  verified: z.enum(["yes", "partly", "no"]),
  tiers: z.array(tierSchema).min(1),
});
const tableSchema = z.object({
  selfRegistrationTier: z.number().int().min(1),
  countries: z.record(z.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code such as KE"), countrySchema),
  default: countrySchema,
});

export type TierLimits = z.infer<typeof tierSchema>;
export type CountryTiers = z.infer<typeof countrySchema>;
export type TierTable = z.infer<typeof tableSchema>;

/** Limits in an asset's base units (6 decimals). */
export interface AssetLimits {
  maxSingle: bigint;
  maxDaily: bigint;
  maxBalance: bigint;
}

export class TierConfigError extends Error {
  constructor(where: string, problems: string[]) {
    super(`The KYC tier table ${where} is not usable:\n  - ${problems.join("\n  - ")}`);
    this.name = "TierConfigError";
  }
}

/** Validates a parsed tier table; throws a `TierConfigError` listing every problem. */
export function parseTierTable(json: unknown, where = "(inline)"): TierTable {
  const parsed = tableSchema.safeParse(json);
  if (!parsed.success) {
    throw new TierConfigError(where, parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  const table = parsed.data;
  const problems: string[] = [];
  for (const [name, entry] of [...Object.entries(table.countries), ["default", table.default] as const]) {
    entry.tiers.forEach((t, i) => {
      if (i > 0 && t.tier <= entry.tiers[i - 1].tier) problems.push(`${name}: tiers must be listed in increasing order`);
      if (t.maxSingle > t.maxDaily) problems.push(`${name} tier ${t.tier}: maxSingle is above maxDaily`);
    });
    if (!entry.tiers.some((t) => t.tier === table.selfRegistrationTier)) {
      problems.push(`${name}: no row for the self-registration tier ${table.selfRegistrationTier}`);
    }
    if (Number(entry.usdRate) <= 0) problems.push(`${name}: usdRate must be above zero`);
  }
  if (problems.length > 0) throw new TierConfigError(where, problems);
  return table;
}

export function loadTierTable(file = DEFAULT_TIERS_FILE): TierTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TierConfigError(file, [`cannot read it as JSON (${(error as Error).message})`]);
  }
  return parseTierTable(json, file);
}

/** The table at `JUAPESA_TIERS_FILE`, or the shipped defaults. */
export function tierTableFromEnv(env: NodeJS.ProcessEnv = process.env): TierTable {
  return loadTierTable(env.JUAPESA_TIERS_FILE?.trim() || DEFAULT_TIERS_FILE);
}

/** A country's tiers; a country without a row gets the table's `default`. */
export function countryTiers(table: TierTable, country: string): CountryTiers {
  return table.countries[country.toUpperCase()] ?? table.default;
}

/**
 * The limits of `tier` in `country`, in whole local units. A tier the country does not list gets the
 * highest listed tier below it (so a new on-chain tier never silently lifts a country's cap), or
 * the lowest one.
 */
export function tierLimits(table: TierTable, country: string, tier: number): TierLimits {
  const { tiers } = countryTiers(table, country);
  let chosen = tiers[0];
  for (const t of tiers) if (t.tier <= tier) chosen = t;
  return chosen;
}

// ─── Expressing local-currency limits in an asset ─────────────────────────────────────────────────

interface Ratio {
  num: bigint;
  den: bigint;
}

/** US dollars per whole unit of each asset. */
export type AssetUsdPrices = Record<AssetSymbol, Ratio>;

/** The protocol's seed rates; a live bridge passes the oracle's. */
export const SEED_USD_PRICES: AssetUsdPrices = {
  cNGN: { num: WAD, den: USD_NGN.seedRate },
  USDC: { num: 1n, den: 1n },
  XAUt: { num: XAU_USD.seedRate, den: WAD },
};

/** An asset that IS a local currency converts 1:1 in that country, whatever the rates say. */
const ASSET_CURRENCY: Partial<Record<AssetSymbol, string>> = { cNGN: "NGN", USDC: "USD" };

function decimalRatio(text: string): Ratio {
  const [whole, fraction = ""] = text.split(".");
  const den = 10n ** BigInt(fraction.length);
  return { num: BigInt(whole + fraction), den };
}

/** Local units per whole asset unit. */
function localPerAsset(entry: CountryTiers, asset: AssetSymbol, prices: AssetUsdPrices): Ratio {
  if (ASSET_CURRENCY[asset] === entry.currency) return { num: 1n, den: 1n };
  const rate = decimalRatio(entry.usdRate);
  const price = prices[asset];
  return { num: rate.num * price.num, den: rate.den * price.den };
}

/** An asset amount (base units) in local micro-units (6 decimals), rounded down. */
export function toLocalMicros(entry: CountryTiers, asset: AssetSymbol, baseUnits: bigint, prices = SEED_USD_PRICES): bigint {
  const r = localPerAsset(entry, asset, prices);
  return (baseUnits * r.num) / r.den;
}

/** A local amount in micro-units expressed in an asset's base units, rounded down (the stricter way). */
export function fromLocalMicros(entry: CountryTiers, asset: AssetSymbol, localMicros: bigint, prices = SEED_USD_PRICES): bigint {
  const r = localPerAsset(entry, asset, prices);
  return (localMicros * r.den) / r.num;
}

const MICROS = 1_000_000n;

/** A country's tier limits in an asset's base units. */
export function limitsInAsset(table: TierTable, country: string, tier: number, asset: AssetSymbol, prices = SEED_USD_PRICES): AssetLimits {
  const entry = countryTiers(table, country);
  const limits = tierLimits(table, country, tier);
  const convert = (whole: number) => fromLocalMicros(entry, asset, BigInt(whole) * MICROS, prices);
  return { maxSingle: convert(limits.maxSingle), maxDaily: convert(limits.maxDaily), maxBalance: convert(limits.maxBalance) };
}

/** The stricter of two views of the same limits (on-chain vault, off-chain country table). */
export function stricter(a: AssetLimits, b: AssetLimits): AssetLimits {
  const min = (x: bigint, y: bigint) => (x < y ? x : y);
  return { maxSingle: min(a.maxSingle, b.maxSingle), maxDaily: min(a.maxDaily, b.maxDaily), maxBalance: min(a.maxBalance, b.maxBalance) };
}
