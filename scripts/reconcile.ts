/**
 * `npm run reconcile -- --rail mpesa [--from 2026-01-01] [--to 2026-01-02T12:00Z] [--json]`
 *
 * Compares one rail's statement with the bridge's `rail_payments` and the vault's Credited/Debited
 * events, and lists every difference (ussd-bridge/src/cash/reconcile.ts says which). Exit code 0 when
 * there is none, 1 when there are differences, 2 when it could not run (the message says why).
 *
 *   --rail         mpesa | mtn-momo | airtel | orange | afrimoney
 *   --from, --to   ISO dates or times, or ms since the epoch (default: the last 24 hours)
 *   --json         machine-readable output
 *   --from-block   first block to read vault events from (default: the vault's deployment block, or 0)
 *   --deployment   an Ignition deployed_addresses.json (default: the one for JUAPESA_CHAIN_ID)
 *
 * Environment: the rail's base URL and credentials as the bridge reads them (MPESA_BASE_URL, …);
 * DATABASE_URL or JUAPESA_BRIDGE_DB (default .data/bridge.db); JUAPESA_RPC_URL (default
 * http://127.0.0.1:8545); JUAPESA_CHAIN_ID (default 31337); JUAPESA_CUSTODIAN_RATES(_FILE).
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createPublicClient, http, type PublicClient } from "viem";

import { deploymentBlock, fromIgnition, loadDeployment, type Deployment } from "../sdk/deployments.js";
import { formatReconciliation, reconcileRail, reconciliationJson } from "../ussd-bridge/src/cash/reconcile.js";
import { rateTableFromEnv } from "../ussd-bridge/src/cash/rates.js";
import { openDatabase } from "../ussd-bridge/src/db/open.js";
import { RAIL_IDS, type RailId } from "../ussd-bridge/src/ports.js";
import { BASE_URL_VARIABLE, railsFromEnv } from "../ussd-bridge/src/rails/config.js";

const DAY_MS = 86_400_000;

class UsageError extends Error {}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rail: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      json: { type: "boolean", default: false },
      "from-block": { type: "string" },
      deployment: { type: "string" },
    },
    strict: true,
  });
  const rail = values.rail as RailId | undefined;
  if (!rail || !RAIL_IDS.includes(rail)) throw new UsageError(`--rail must be one of ${RAIL_IDS.join(", ")}`);
  const to = values.to ? time("--to", values.to) : Date.now();
  const from = values.from ? time("--from", values.from) : to - DAY_MS;
  if (from >= to) throw new UsageError("--from must be before --to");

  const adapter = railsFromEnv({ env, callbackBaseUrl: env.JUAPESA_CALLBACK_BASE_URL ?? "http://127.0.0.1/unused-by-reconcile" })[rail];
  if (!adapter) throw new UsageError(`${rail} is not configured: set ${BASE_URL_VARIABLE[rail]} (and its credentials) as for the bridge`);
  const chainId = Number(env.JUAPESA_CHAIN_ID ?? 31337);
  const deployment = values.deployment ? deploymentFromFile(chainId, values.deployment) : loadDeployment(chainId);
  const fromBlock = values["from-block"] !== undefined ? BigInt(values["from-block"]) : (deploymentBlock(chainId, "vault") ?? 0n);
  const publicClient = createPublicClient({ transport: http(env.JUAPESA_RPC_URL ?? "http://127.0.0.1:8545") }) as PublicClient;
  const url = env.DATABASE_URL?.trim();
  const sqlitePath = env.JUAPESA_BRIDGE_DB?.trim() || ".data/bridge.db";
  if (!url && !existsSync(sqlitePath)) throw new UsageError(`no bridge database at ${sqlitePath}: set JUAPESA_BRIDGE_DB or DATABASE_URL`);
  const db = await openDatabase({ url, sqlitePath });
  try {
    const result = await reconcileRail({ rail: adapter, rates: rateTableFromEnv(env), db: db.db, tables: db.tables, publicClient, vault: deployment.vault, fromBlock, from, to });
    console.log(values.json ? reconciliationJson(result) : formatReconciliation(result));
    return result.differences.length === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}

function time(flag: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} "${text}" is neither an ISO date or time nor milliseconds since the epoch`);
  return ms;
}

function deploymentFromFile(chainId: number, file: string): Deployment {
  if (!existsSync(file)) throw new UsageError(`--deployment ${file} does not exist`);
  return fromIgnition(chainId, JSON.parse(readFileSync(file, "utf8")) as Record<string, string>);
}

try {
  process.exitCode = await main(process.argv.slice(2), process.env);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`reconcile: ${message}`);
  process.exitCode = 2;
}
