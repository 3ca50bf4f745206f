/**
 * The reserve attester's configuration, from its own environment (it shares no process with the bridge).
 * Every variable is checked before anything starts; one error lists every problem. Secrets (keys, the
 * token, the pepper) are never repeated in a message.
 *
 *   JUAPESA_ATTESTER_TOKEN           bearer token the bridge must present (at least 16 characters)
 *   JUAPESA_ATTESTER_KEYS            comma-separated 0x private keys; default the development keys in .keys/
 *   JUAPESA_PEPPER / _FILE           the account-id pepper (the attester checks a payer's account with it)
 *   JUAPESA_RPC_URL                  default http://127.0.0.1:8545
 *   JUAPESA_CHAIN_ID                 default 31337; the deployment is Ignition's for this chain
 *   JUAPESA_DEPLOYMENT_FILE          or an Ignition deployed_addresses.json to read it from
 *   JUAPESA_ATTESTER_HOST / _PORT    where it listens; default 127.0.0.1:8790
 *   JUAPESA_ATTESTER_PUBLIC_URL      where rails post answers to its own queries (M-Pesa's Transaction
 *                                    Status); default http://host:port
 *   JUAPESA_ATTESTER_DB              its SQLite file of what it signed; default .data/reserve-attester.db
 *   JUAPESA_REPORTER_KEY / _FILE     pays for reserve-report transactions; without it no report is posted
 *   JUAPESA_RESERVE_REPORT_MINUTES   how often reserves are reported; default 60
 *   JUAPESA_CUSTODIAN_HOLDINGS_FILE  the custodian's statement of holdings per asset (bank, gold vault)
 *   JUAPESA_CUSTODIAN_RATES(_FILE)   the custodian's rates (ussd-bridge/src/cash/rates.ts)
 *   MPESA_BASE_URL, MOMO_BASE_URL, … each rail it can check, as the bridge reads them (rails/config.ts)
 */
import { existsSync, readFileSync } from "node:fs";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Hex } from "viem";

import { attesterAccounts } from "../../scripts/lib/dev-keys.js";
import { pepperFromEnv } from "../../sdk/phone.js";
import { rateTableFromEnv, type RateTable } from "../../ussd-bridge/src/cash/rates.js";
import { problemCollector } from "../../sdk/config-problems.js";

/** The local Hardhat chain `npm start` runs, the only one development keys may sign for. */
const LOCAL_CHAIN_ID = 31337;

export interface AttesterConfig {
  token: string;
  accounts: PrivateKeyAccount[];
  pepper: Buffer;
  rpcUrl: string;
  chainId: number;
  host: string;
  port: number;
  publicUrl: string;
  storePath: string;
  deploymentFile?: string;
  reporterKey?: Hex;
  reportEveryMs: number;
  holdingsFile?: string;
  rates: RateTable;
}

export class AttesterConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The reserve attester's configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AttesterConfigError";
  }
}

export function loadAttesterConfig(env: NodeJS.ProcessEnv = process.env): AttesterConfig {
  const { problems, read } = problemCollector();
  const token = env.JUAPESA_ATTESTER_TOKEN?.trim() ?? "";
  if (token.length < 16) problems.push("JUAPESA_ATTESTER_TOKEN must be set to a shared secret of at least 16 characters (the bridge sends the same).");
  const chainId = read(() => whole("JUAPESA_CHAIN_ID", env.JUAPESA_CHAIN_ID, LOCAL_CHAIN_ID, 1, 2 ** 53 - 1), 0);
  const accounts = read(() => {
    const keys = env.JUAPESA_ATTESTER_KEYS?.split(",").map((k) => k.trim()).filter(Boolean);
    if (keys && keys.length > 0) {
      if (keys.some((k) => !/^0x[0-9a-fA-F]{64}$/.test(k))) throw new Error("JUAPESA_ATTESTER_KEYS must be comma-separated 0x keys of 64 hex digits.");
      return keys.map((k) => privateKeyToAccount(k as Hex));
    }
    if (chainId !== LOCAL_CHAIN_ID) throw new Error("JUAPESA_ATTESTER_KEYS must be set: the development keys in .keys/ are for the local chain only.");
    return attesterAccounts(3);
  }, []);
  const pepper = read(() => pepperFromEnv(env), Buffer.alloc(0));
  const rpcUrl = env.JUAPESA_RPC_URL?.trim() || "http://127.0.0.1:8545";
  const host = env.JUAPESA_ATTESTER_HOST?.trim() || "127.0.0.1";
  const port = read(() => whole("JUAPESA_ATTESTER_PORT", env.JUAPESA_ATTESTER_PORT, 8790, 0, 65_535), 0);
  const publicUrl = env.JUAPESA_ATTESTER_PUBLIC_URL?.trim() || `http://${host}:${port}`;
  const reporterKey = read(() => optionalKey("JUAPESA_REPORTER_KEY", env), undefined);
  const minutes = read(() => whole("JUAPESA_RESERVE_REPORT_MINUTES", env.JUAPESA_RESERVE_REPORT_MINUTES, 60, 1, 24 * 60), 60);
  const holdingsFile = env.JUAPESA_CUSTODIAN_HOLDINGS_FILE?.trim() || undefined;
  if (holdingsFile && !existsSync(holdingsFile)) problems.push(`JUAPESA_CUSTODIAN_HOLDINGS_FILE names ${holdingsFile}, which does not exist.`);
  const rates = read(() => rateTableFromEnv(env), new Map());
  const deploymentFile = env.JUAPESA_DEPLOYMENT_FILE?.trim() || undefined;
  if (deploymentFile && !existsSync(deploymentFile)) problems.push(`JUAPESA_DEPLOYMENT_FILE names ${deploymentFile}, which does not exist.`);
  if (problems.length > 0) throw new AttesterConfigError(problems);
  return {
    token,
    accounts,
    pepper,
    rpcUrl,
    chainId,
    host,
    port,
    publicUrl,
    storePath: env.JUAPESA_ATTESTER_DB?.trim() || ".data/reserve-attester.db",
    deploymentFile,
    reporterKey,
    reportEveryMs: minutes * 60_000,
    holdingsFile,
    rates,
  };
}

function whole(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const text = raw?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got "${text}".`);
  const value = Number(text);
  if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

function optionalKey(name: string, env: NodeJS.ProcessEnv): Hex | undefined {
  const file = env[`${name}_FILE`]?.trim();
  let text = env[name]?.trim();
  if (!text && file) {
    if (!existsSync(file)) throw new Error(`${name}_FILE names ${file}, which does not exist.`);
    text = readFileSync(file, "utf8").trim();
  }
  if (!text) return undefined;
  const key = (text.startsWith("0x") ? text : `0x${text}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error(`${name} must be 0x followed by 64 hex digits.`);
  privateKeyToAccount(key);
  return key;
}
