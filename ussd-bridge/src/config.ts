/**
 * The bridge's configuration, read from the environment in one place.
 *
 * `loadBridgeConfig(env)` checks every variable before it returns and throws one BridgeConfigError
 * that names each missing or malformed variable, so a person starting the bridge fixes all of them
 * in one go. Secrets (the pepper, private keys) come only from the environment or a file the
 * environment names; no message ever repeats a secret's value.
 */
import { existsSync, readFileSync } from "node:fs";
import { isSupportedCountry, type CountryCode } from "libphonenumber-js/max";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";

import { pepperFromEnv } from "../../sdk/phone.js";
import type { ScryptParams } from "./accounts/pin.js";
import { problemCollector } from "../../sdk/config-problems.js";

export interface BridgeConfig {
  /** HMAC key for account ids (sdk/phone.ts) and, through a derived key, for PIN hashes. */
  pepper: Buffer;
  /** As `openDatabase` takes it: PostgreSQL when `url` is set, otherwise the SQLite file. */
  database: { url?: string; sqlitePath: string };
  chain: {
    rpcUrl: string;
    chainId: number;
    /** Holds the vault's operator role: every money operation and account opening. */
    operatorKey: Hex;
    /** Holds the vault's compliance role (tier changes); the operator key when not set separately. */
    complianceKey: Hex;
  };
  /** How long a USSD screen waits for a receipt before it says "in progress". */
  budgetMs: number;
  /** Country a number typed without a country code is read in. */
  defaultCountry: CountryCode;
  /** Countries whose numbers may register. */
  countries: readonly CountryCode[];
  /** scrypt cost for PIN hashes. */
  pinScrypt: ScryptParams;
  /** Convert's slippage guard: the least accepted is the quote less this many basis points. */
  slippageBps?: number;
}

export const DEFAULTS = {
  sqlitePath: ".data/bridge.db",
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337, // the local Hardhat chain `npm start` runs
  // Gateways give the application a few seconds per hop before they drop it: Africa's Talking
  // ends a session whose callback does not answer in time, and operators' own USSD gateways
  // are stricter still. 3 s leaves room for the network on both sides of that window.
  budgetMs: 3_000,
  defaultCountry: "KE" as CountryCode,
  // Countries where at least one of the supported rails (M-Pesa, MTN MoMo, Airtel Money, Orange
  // Money, AfriMoney) runs a wallet; narrow it to the markets a deployment is licensed for.
  countries: ["KE", "TZ", "UG", "RW", "NG", "GH", "CM", "CI", "SN", "ZM", "CD", "SL", "GM"] as CountryCode[],
  // 32 MiB and about 80 ms per hash on a 2-core machine. A 4–6 digit PIN has at most a million
  // values, so offline protection comes mostly from keying the hash with the pepper (pin.ts); the
  // cost keeps a stolen pepper-and-database pair slow to search while PIN hops stay quick.
  pinScrypt: { N: 32_768, r: 8, p: 1 } satisfies ScryptParams,
  // 1 %: a screen or two passes between the quote and the swap; more than this is a different price.
  slippageBps: 100,
} as const;

/** A guard wider than 10 % would let a person convert at a price they never saw. */
const MAX_SLIPPAGE_BPS = 1_000;

/** A budget longer than this would outlast any gateway's hop. */
const MAX_BUDGET_MS = 30_000;

export class BridgeConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The bridge's configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "BridgeConfigError";
  }
}

export function loadBridgeConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const { problems, read } = problemCollector();

  const pepper = read(() => readPepper(env), Buffer.alloc(0));
  const url = env.DATABASE_URL?.trim() || undefined;
  if (url && !/^(postgres(ql)?|pglite):\/\//.test(url)) {
    problems.push("DATABASE_URL must start with postgres://, postgresql:// or pglite:// (unset it to use SQLite).");
  }
  const sqlitePath = env.JUAPESA_BRIDGE_DB?.trim() || DEFAULTS.sqlitePath;

  const rpcUrl = read(() => httpUrl("JUAPESA_RPC_URL", env.JUAPESA_RPC_URL ?? DEFAULTS.rpcUrl), DEFAULTS.rpcUrl);
  const chainId = read(() => integer("JUAPESA_CHAIN_ID", env.JUAPESA_CHAIN_ID, DEFAULTS.chainId, 1, 2 ** 53 - 1), 0);
  const operatorKey = read(() => privateKey("JUAPESA_OPERATOR_KEY", env, true)!, "0x" as Hex);
  const complianceKey = read(() => privateKey("JUAPESA_COMPLIANCE_KEY", env, false), undefined) ?? operatorKey;

  const budgetMs = read(() => integer("USSD_BUDGET_MS", env.USSD_BUDGET_MS, DEFAULTS.budgetMs, 0, MAX_BUDGET_MS), 0);
  const defaultCountry = read(() => country("JUAPESA_DEFAULT_COUNTRY", env.JUAPESA_DEFAULT_COUNTRY ?? DEFAULTS.defaultCountry), DEFAULTS.defaultCountry);
  const countries = read(() => countryList("JUAPESA_COUNTRIES", env.JUAPESA_COUNTRIES), DEFAULTS.countries);

  const pinScrypt = {
    N: read(() => integer("JUAPESA_PIN_SCRYPT_N", env.JUAPESA_PIN_SCRYPT_N, DEFAULTS.pinScrypt.N, 2, 2 ** 20), 0),
    r: read(() => integer("JUAPESA_PIN_SCRYPT_R", env.JUAPESA_PIN_SCRYPT_R, DEFAULTS.pinScrypt.r, 1, 32), 0),
    p: read(() => integer("JUAPESA_PIN_SCRYPT_P", env.JUAPESA_PIN_SCRYPT_P, DEFAULTS.pinScrypt.p, 1, 16), 0),
  };
  const slippageBps = read(() => integer("USSD_SLIPPAGE_BPS", env.USSD_SLIPPAGE_BPS, DEFAULTS.slippageBps, 0, MAX_SLIPPAGE_BPS), 0);
  if (pinScrypt.N > 0 && (pinScrypt.N & (pinScrypt.N - 1)) !== 0) {
    problems.push(`JUAPESA_PIN_SCRYPT_N must be a power of two (e.g. 16384 or 32768), got ${pinScrypt.N}.`);
  }

  if (problems.length > 0) throw new BridgeConfigError(problems);
  return {
    pepper,
    database: { url, sqlitePath },
    chain: { rpcUrl, chainId, operatorKey, complianceKey },
    budgetMs,
    defaultCountry,
    countries,
    pinScrypt,
    slippageBps,
  };
}

function readPepper(env: NodeJS.ProcessEnv): Buffer {
  const file = env.JUAPESA_PEPPER_FILE?.trim();
  if (!env.JUAPESA_PEPPER?.trim() && file && !existsSync(file)) {
    throw new Error(`JUAPESA_PEPPER_FILE names ${file}, which does not exist.`);
  }
  try {
    return pepperFromEnv(env);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`JUAPESA_PEPPER: ${reason}`);
  }
}

/** `NAME` (0x + 64 hex digits) or `NAME_FILE` (a file holding it). */
function privateKey(name: string, env: NodeJS.ProcessEnv, required: boolean): Hex | undefined {
  const file = env[`${name}_FILE`]?.trim();
  let text = env[name]?.trim();
  if (!text && file) {
    if (!existsSync(file)) throw new Error(`${name}_FILE names ${file}, which does not exist.`);
    text = readFileSync(file, "utf8").trim();
  }
  if (!text) {
    if (!required) return undefined;
    throw new Error(`${name} is missing: set it to the vault operator's private key (0x + 64 hex digits), or ${name}_FILE to a file holding it.`);
  }
  const key = (text.startsWith("0x") ? text : `0x${text}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error(`${name} must be 0x followed by 64 hex digits.`);
  try {
    privateKeyToAccount(key);
  } catch {
    throw new Error(`${name} is not a valid secp256k1 private key.`);
  }
  return key;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const text = raw?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got "${text}".`);
  const value = Number(text);
  if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

function httpUrl(name: string, raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${text}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${name} must be an http(s) URL, got "${url.protocol}".`);
  return text;
}

function country(name: string, raw: string): CountryCode {
  const code = raw.trim().toUpperCase();
  if (!isSupportedCountry(code)) throw new Error(`${name} must be an ISO 3166-1 alpha-2 country code such as KE or NG, got "${raw}".`);
  return code;
}

function countryList(name: string, raw: string | undefined): CountryCode[] {
  if (!raw?.trim()) return [...DEFAULTS.countries];
  const codes = raw.split(",").map((c) => c.trim()).filter(Boolean);
  const bad = codes.filter((c) => !isSupportedCountry(c.toUpperCase()));
  if (bad.length > 0 || codes.length === 0) throw new Error(`${name} must be comma-separated ISO country codes (e.g. KE,TZ,NG); not understood: ${bad.join(", ") || "(empty)"}.`);
  return codes.map((c) => c.toUpperCase() as CountryCode);
}
