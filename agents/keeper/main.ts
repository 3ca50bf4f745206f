/**
 * The keeper as its own process: `npm run keeper [-- --dry-run --mode approve --port 8791 --interval 300]`
 * (config.ts lists the environment). It ticks every interval: ingests flows, forecasts, plans and,
 * by its mode, records and sends rebalances; its HTTP (health, metrics, admin) listens on loopback.
 */
import { existsSync, readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { chainFor } from "../../sdk/chain.js";
import { deploymentBlock, fromIgnition, loadDeployment } from "../../sdk/deployments.js";
import { openLiquidityDatabase } from "../liquidity/db/open.js";
import { minHistory } from "../liquidity/forecast/features.js";
import { loadOnnxForecaster } from "../liquidity/forecast/index.js";
import { jsonLog } from "../reserve-attester/service.js";
import { loadKeeperConfig } from "./config.js";
import type { ModelForecaster } from "./forecasting.js";
import { createKeeperMetrics } from "./metrics.js";
import { startKeeper } from "./service.js";

const log = jsonLog("keeper");

/** The committed ONNX model, when its file is there and loads; otherwise why not (baselines stand in). */
async function loadModel(file: string, minDaysOverride: number | undefined): Promise<{ model?: ModelForecaster; problem?: string }> {
  if (!existsSync(file)) return { problem: `${file} does not exist (npm run train:forecast writes it)` };
  try {
    const forecaster = await loadOnnxForecaster(file);
    // The model's own input window (features.ts minHistory), unless the operator asks for more.
    return { model: { forecaster, minHistoryDays: minDaysOverride ?? minHistory(forecaster.spec.features) } };
  } catch (error) {
    return { problem: `${file} did not load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function main() {
  const config = loadKeeperConfig();
  const chain = chainFor(config.chainId, config.rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(config.rpcUrl) }) as PublicClient;
  const wallet = createWalletClient({ account: privateKeyToAccount(config.key), chain, transport: http(config.rpcUrl) });
  const deployment = config.deploymentFile
    ? fromIgnition(config.chainId, JSON.parse(readFileSync(config.deploymentFile, "utf8")) as Record<string, string>)
    : loadDeployment(config.chainId);
  const database = await openLiquidityDatabase({ url: config.databaseUrl, sqlitePath: config.dbPath });
  const { model, problem } = await loadModel(config.modelPath, config.modelMinDays);

  const running = await startKeeper({
    database,
    publicClient,
    wallet,
    chainId: config.chainId,
    vault: deployment.vault,
    router: deployment.router,
    pools: [{ name: config.poolName, address: deployment.pool }],
    assets: new Map((["cNGN", "USDC", "XAUt"] as const).map((s) => [deployment[s].toLowerCase(), s])),
    mode: config.mode,
    dryRun: config.dryRun,
    leadTimeHours: config.leadTimeHours,
    floorQuantile: config.floorQuantile,
    sources: config.sources,
    orderTtlMs: config.orderTtlMs,
    model,
    modelProblem: problem,
    driftFactor: config.driftFactor,
    hbarUsd: config.hbarUsd,
    startBlock: deploymentBlock(config.chainId, "vault"),
    metrics: createKeeperMetrics(),
    token: config.token,
    hostname: config.host,
    port: config.port,
    intervalMs: config.intervalMs,
    log,
  });
  log("started", {
    url: running.url,
    keeper: wallet.account.address,
    mode: config.mode,
    dryRun: config.dryRun,
    everySeconds: config.intervalMs / 1000,
    database: database.where,
    forecaster: model ? `${model.forecaster.name} from ${model.minHistoryDays} days of history, baselines before` : `baselines (${problem})`,
  });
  const stop = () => void running.stop().then(() => database.close()).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
