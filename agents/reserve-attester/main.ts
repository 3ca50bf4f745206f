/**
 * The reserve attester as its own process: `tsx agents/reserve-attester/main.ts` (config.ts lists the
 * environment). It listens on loopback for the bridge's attestation requests, answers them only after
 * asking the rails itself, and reports reserves on the ledger every JUAPESA_RESERVE_REPORT_MINUTES.
 */
import { readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { chainFor } from "../../sdk/chain.js";
import { fromIgnition, loadDeployment } from "../../sdk/deployments.js";
import type { RailAdapter, RailId } from "../../ussd-bridge/src/ports.js";
import { openDatabase } from "../../ussd-bridge/src/db/open.js";
import { railsFromEnv } from "../../ussd-bridge/src/rails/config.js";
import { dbRailMemory, type RailMemory } from "../../ussd-bridge/src/rails/memory.js";
import { loadAttesterConfig } from "./config.js";
import { holdingsFileSource, railFloatSource, type CustodianSource } from "./custodian.js";
import { jsonLog, startReserveAttester } from "./service.js";

const log = jsonLog("reserve-attester");

async function main() {
  const config = loadAttesterConfig();
  const chain = chainFor(config.chainId, config.rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(config.rpcUrl) }) as PublicClient;
  const walletClient = config.reporterKey ? createWalletClient({ account: privateKeyToAccount(config.reporterKey), chain, transport: http(config.rpcUrl) }) : undefined;
  const deployment = config.deploymentFile
    ? fromIgnition(config.chainId, JSON.parse(readFileSync(config.deploymentFile, "utf8")) as Record<string, string>)
    : loadDeployment(config.chainId);

  // Some rails' status queries need what the bridge's adapter remembered when it sent the request
  // (Orange Money's pay_token): that memory is the bridge's database. What the rail then answers is
  // still the rail's word; the memory only says where to ask.
  const memory = await bridgeRailMemory();
  const custodianRails = railsFromEnv({ callbackBaseUrl: config.publicUrl, memory });
  const rails = new Map<RailId, RailAdapter>(Object.entries(custodianRails) as [RailId, RailAdapter][]);
  const sources: CustodianSource[] = Object.values(custodianRails).map(railFloatSource);
  if (config.holdingsFile) sources.push(holdingsFileSource(config.holdingsFile));

  const attester = await startReserveAttester({
    accounts: config.accounts,
    token: config.token,
    deployment,
    publicClient,
    walletClient,
    rails,
    rates: config.rates,
    pepper: config.pepper,
    storePath: config.storePath,
    sources,
    hostname: config.host,
    port: config.port,
    reportEveryMs: walletClient ? config.reportEveryMs : undefined,
    log,
  });
  log("started", {
    url: attester.url,
    signers: attester.signer.addresses,
    threshold: attester.signer.threshold,
    rails: [...rails.keys()],
    reserveReports: walletClient ? `every ${config.reportEveryMs / 60_000} min` : "off (set JUAPESA_REPORTER_KEY)",
  });
  const stop = () => void attester.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function bridgeRailMemory(): Promise<RailMemory | undefined> {
  const url = process.env.DATABASE_URL?.trim();
  const sqlitePath = process.env.JUAPESA_BRIDGE_DB?.trim();
  if (!url && !sqlitePath) return undefined;
  const db = await openDatabase({ url, sqlitePath });
  return dbRailMemory(db);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
