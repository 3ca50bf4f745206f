/**
 * The keeper's configuration, from its environment and flags (it shares no process with anything).
 * Every value is checked before anything starts; one error lists every problem; secrets are never
 * repeated in a message.
 *
 *   JUAPESA_KEEPER_TOKEN              bearer token for /admin/* (at least 16 characters)
 *   JUAPESA_KEEPER_KEY / _FILE        the keeper's private key (holds the pool's KEEPER role and the
 *                                     inventory it brings); on the local chain default .keys/dev-keeper-key
 *   JUAPESA_RPC_URL                   default http://127.0.0.1:8545
 *   JUAPESA_CHAIN_ID                  default 31337; the deployment is Ignition's for this chain
 *   JUAPESA_DEPLOYMENT_FILE           or an Ignition deployed_addresses.json to read it from
 *   JUAPESA_KEEPER_HOST / _PORT       where its HTTP listens; default 127.0.0.1:8791   (--port)
 *   JUAPESA_KEEPER_DB                 its SQLite file (flow history + state); default .data/keeper.db
 *   DATABASE_URL                      PostgreSQL instead (postgres://, pglite://)
 *   JUAPESA_KEEPER_MODE               automatic | approve | paused; default approve   (--mode)
 *   JUAPESA_KEEPER_DRY_RUN            1 to plan and log without sending anything       (--dry-run)
 *   JUAPESA_KEEPER_INTERVAL_SECONDS   time between ticks; default 300                  (--interval)
 *   JUAPESA_KEEPER_LEAD_TIME_HOURS    replenishment lead time; default 4
 *   JUAPESA_KEEPER_FLOOR_QUANTILE     the floor's quantile of net outflow; default 0.9
 *   JUAPESA_KEEPER_FLOW_SOURCES       flow sources that make a pool's demand; default pool,vault
 *   JUAPESA_KEEPER_ORDER_TTL_MINUTES  an unapproved (or unrelayed) order expires; default 60
 *   JUAPESA_KEEPER_MODEL              the ONNX model; default agents/liquidity/models/nn5-mlp.onnx
 *   JUAPESA_KEEPER_MODEL_MIN_DAYS     history a series needs before the model is used; default the
 *                                     model's own input window (70 days for the NN5 model)
 *   JUAPESA_KEEPER_DRIFT_FACTOR       drift alert when rolling MASE > this × validation MASE; default 2
 *   JUAPESA_KEEPER_POOL_NAME          the deployment's pool's name in plans and metrics; default main
 *   JUAPESA_HBAR_USD                  for the gas cost model; default 0.2
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";

import { devSecret } from "../../scripts/lib/dev-keys.js";
import { NN5_MODEL_PATH } from "../liquidity/forecast/index.js";
import { FLOW_SOURCES, type FlowSource } from "../liquidity/flows/store.js";
import { MODES, type Mode } from "./planner.js";
import { problemCollector } from "../../sdk/config-problems.js";

const LOCAL_CHAIN_ID = 31337;

export interface KeeperConfig {
  token: string;
  key: Hex;
  rpcUrl: string;
  chainId: number;
  deploymentFile?: string;
  host: string;
  port: number;
  dbPath: string;
  databaseUrl?: string;
  mode: Mode;
  dryRun: boolean;
  intervalMs: number;
  leadTimeHours: number;
  floorQuantile: number;
  sources: FlowSource[];
  orderTtlMs: number;
  modelPath: string;
  modelMinDays?: number;
  driftFactor: number;
  poolName: string;
  hbarUsd: number;
}

export class KeeperConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The keeper's configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "KeeperConfigError";
  }
}

export function loadKeeperConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): KeeperConfig {
  const { problems, read } = problemCollector();
  const flags: Record<string, string | boolean | undefined> = read(
    () => parseArgs({ args: argv, options: { "dry-run": { type: "boolean" }, mode: { type: "string" }, port: { type: "string" }, interval: { type: "string" } } }).values,
    {},
  );
  const token = env.JUAPESA_KEEPER_TOKEN?.trim() ?? "";
  if (token.length < 16) problems.push("JUAPESA_KEEPER_TOKEN must be set to a secret of at least 16 characters (admins send it as a bearer token).");
  const chainId = read(() => number("JUAPESA_CHAIN_ID", env.JUAPESA_CHAIN_ID, LOCAL_CHAIN_ID, 1, 2 ** 53 - 1, true), 0);
  const key = read(() => {
    const file = env.JUAPESA_KEEPER_KEY_FILE?.trim();
    let text = env.JUAPESA_KEEPER_KEY?.trim();
    if (!text && file) {
      if (!existsSync(file)) throw new Error(`JUAPESA_KEEPER_KEY_FILE names ${file}, which does not exist.`);
      text = readFileSync(file, "utf8").trim();
    }
    if (!text) {
      if (chainId !== LOCAL_CHAIN_ID) throw new Error("JUAPESA_KEEPER_KEY must be set: the development key in .keys/ is for the local chain only.");
      return devSecret("dev-keeper-key");
    }
    const k = (text.startsWith("0x") ? text : `0x${text}`) as Hex;
    if (!/^0x[0-9a-fA-F]{64}$/.test(k)) throw new Error("JUAPESA_KEEPER_KEY must be 0x followed by 64 hex digits.");
    privateKeyToAccount(k);
    return k;
  }, "0x" as Hex);
  const modeText = (flags.mode as string | undefined) ?? env.JUAPESA_KEEPER_MODE?.trim() ?? "approve";
  if (!(MODES as readonly string[]).includes(modeText)) problems.push(`the mode must be one of ${MODES.join(", ")}, got "${modeText}".`);
  const sources = (env.JUAPESA_KEEPER_FLOW_SOURCES ?? "pool,vault").split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of sources) if (!(FLOW_SOURCES as readonly string[]).includes(s)) problems.push(`JUAPESA_KEEPER_FLOW_SOURCES: "${s}" is not one of ${FLOW_SOURCES.join(", ")}.`);
  const deploymentFile = env.JUAPESA_DEPLOYMENT_FILE?.trim() || undefined;
  if (deploymentFile && !existsSync(deploymentFile)) problems.push(`JUAPESA_DEPLOYMENT_FILE names ${deploymentFile}, which does not exist.`);
  const config: KeeperConfig = {
    token,
    key,
    rpcUrl: env.JUAPESA_RPC_URL?.trim() || "http://127.0.0.1:8545",
    chainId,
    deploymentFile,
    host: env.JUAPESA_KEEPER_HOST?.trim() || "127.0.0.1",
    port: read(() => number("--port / JUAPESA_KEEPER_PORT", (flags.port as string | undefined) ?? env.JUAPESA_KEEPER_PORT, 8791, 0, 65_535, true), 0),
    dbPath: env.JUAPESA_KEEPER_DB?.trim() || ".data/keeper.db",
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    mode: modeText as Mode,
    dryRun: flags["dry-run"] === true || env.JUAPESA_KEEPER_DRY_RUN === "1" || env.JUAPESA_KEEPER_DRY_RUN === "true",
    intervalMs: read(() => number("--interval / JUAPESA_KEEPER_INTERVAL_SECONDS", (flags.interval as string | undefined) ?? env.JUAPESA_KEEPER_INTERVAL_SECONDS, 300, 1, 86_400, true), 300) * 1000,
    leadTimeHours: read(() => number("JUAPESA_KEEPER_LEAD_TIME_HOURS", env.JUAPESA_KEEPER_LEAD_TIME_HOURS, 4, 0, 24 * 30), 4),
    floorQuantile: read(() => number("JUAPESA_KEEPER_FLOOR_QUANTILE", env.JUAPESA_KEEPER_FLOOR_QUANTILE, 0.9, 0.1, 0.9), 0.9),
    sources: sources as FlowSource[],
    orderTtlMs: read(() => number("JUAPESA_KEEPER_ORDER_TTL_MINUTES", env.JUAPESA_KEEPER_ORDER_TTL_MINUTES, 60, 1, 7 * 24 * 60, true), 60) * 60_000,
    modelPath: env.JUAPESA_KEEPER_MODEL?.trim() || NN5_MODEL_PATH,
    modelMinDays: env.JUAPESA_KEEPER_MODEL_MIN_DAYS?.trim() ? read(() => number("JUAPESA_KEEPER_MODEL_MIN_DAYS", env.JUAPESA_KEEPER_MODEL_MIN_DAYS, 70, 1, 3_650, true), 70) : undefined,
    driftFactor: read(() => number("JUAPESA_KEEPER_DRIFT_FACTOR", env.JUAPESA_KEEPER_DRIFT_FACTOR, 2, 1, 100), 2),
    poolName: env.JUAPESA_KEEPER_POOL_NAME?.trim() || "main",
    hbarUsd: read(() => number("JUAPESA_HBAR_USD", env.JUAPESA_HBAR_USD, 0.2, 0, 1_000), 0.2),
  };
  if (problems.length > 0) throw new KeeperConfigError(problems);
  return config;
}

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number, whole = false): number {
  const text = raw?.trim();
  if (!text) return fallback;
  if (whole ? !/^\d+$/.test(text) : !/^\d+(\.\d+)?$/.test(text)) throw new Error(`${name} must be a ${whole ? "whole " : ""}number, got "${text}".`);
  const value = Number(text);
  if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}
