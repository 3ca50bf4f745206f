/**
 * The bridge as its own process: `tsx ussd-bridge/src/main.ts`. Everything comes from the environment
 * (ussd-bridge/docs/*.md list it): the bridge's config (config.ts), the rails, SMS and KYC gateways,
 * compliance files, partners and the admin token, plus
 *
 *   JUAPESA_ATTESTER_URL / JUAPESA_ATTESTER_TOKEN   the reserve attester the bridge asks to sign
 *   JUAPESA_BRIDGE_HOST / JUAPESA_BRIDGE_PORT       where it listens (default 127.0.0.1:8787)
 *   JUAPESA_DEPLOYMENT_FILE                         an Ignition deployed_addresses.json (default: Ignition's for the chain)
 */
import { readFileSync } from "node:fs";

import { createAttesterClient } from "../../agents/reserve-attester/client.js";
import { fromIgnition, loadDeployment } from "../../sdk/deployments.js";
import { assembleBridge, jsonLog, serveBridge } from "./bridge.js";
import { loadBridgeConfig } from "./config.js";
import { connectChain } from "./money/chain.js";

const log = jsonLog("ussd-bridge");

async function main() {
  const config = loadBridgeConfig();
  const attesterUrl = process.env.JUAPESA_ATTESTER_URL?.trim() || "http://127.0.0.1:8790";
  const attesterToken = process.env.JUAPESA_ATTESTER_TOKEN?.trim();
  if (!attesterToken) throw new Error("JUAPESA_ATTESTER_TOKEN is not set: the bridge must present the reserve attester's token.");
  const deploymentFile = process.env.JUAPESA_DEPLOYMENT_FILE?.trim();
  const deployment = deploymentFile
    ? fromIgnition(config.chain.chainId, JSON.parse(readFileSync(deploymentFile, "utf8")) as Record<string, string>)
    : loadDeployment(config.chain.chainId);
  const bridge = await assembleBridge({
    config,
    deployment,
    chain: connectChain(config.chain),
    attester: createAttesterClient({ url: attesterUrl, token: attesterToken }),
    log,
  });
  const running = await serveBridge(bridge, {
    host: process.env.JUAPESA_BRIDGE_HOST?.trim() || "127.0.0.1",
    port: Number(process.env.JUAPESA_BRIDGE_PORT ?? 8787),
  });
  log("started", { url: running.url, database: bridge.database.where, rails: [...bridge.rails.keys()] });
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`ussd-bridge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
