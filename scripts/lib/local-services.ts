/**
 * The off-chain half of the local stack: the rail, SMS and KYC sandboxes (in this process), the
 * reserve attester, the USSD bridge and the liquidity keeper (each its own process, as in production,
 * so the attester never shares memory with the bridge it checks). Secrets are development ones from .keys/ (gitignored).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { formatUnits, type Hex } from "viem";

import { ASSETS } from "../../sdk/protocol.js";
import { SEED_LIQUIDITY } from "./stack.js";
import { startSandboxes, type RunningSandboxes } from "../../ussd-bridge/sandboxes/index.js";
import { devSecret } from "./dev-keys.js";

export interface LocalServicesOptions {
  root: string;
  rpcUrl: string;
  chainId: number;
  operatorKey: Hex;
  /** Pays for the attester's reserve reports (funded by the caller). */
  reporterKey: Hex;
  /** Holds the pool's KEEPER role and its inventory (funded by the caller). */
  keeperKey: Hex;
  dataDir: string;
  bridgePort: number;
  attesterPort: number;
  keeperPort: number;
  sandboxBasePort: number;
}

export interface LocalServices {
  bridgeUrl: string;
  attesterUrl: string;
  keeperUrl: string;
  sandboxes: RunningSandboxes;
  printStatus(): Promise<void>;
  close(): Promise<void>;
}

/** A development partner for the partner API, with its secret in .keys/ (see ussd-bridge/docs/api.md). */
export const DEV_PARTNER = "local-dev";

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const bridgeUrl = `http://127.0.0.1:${options.bridgePort}`;
  const attesterUrl = `http://127.0.0.1:${options.attesterPort}`;
  const keeperUrl = `http://127.0.0.1:${options.keeperPort}`;
  const sandboxes = await startSandboxes({ basePort: options.sandboxBasePort, callbackBaseUrl: bridgeUrl });
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : undefined)));
    await sandboxes.close();
  };

  const shared = {
    ...process.env,
    ...sandboxes.env,
    JUAPESA_PEPPER: devSecret("dev-pepper"),
    JUAPESA_RPC_URL: options.rpcUrl,
    JUAPESA_CHAIN_ID: String(options.chainId),
    JUAPESA_ATTESTER_TOKEN: devSecret("dev-attester-token"),
    JUAPESA_BRIDGE_DB: path.join(options.dataDir, "bridge.db"),
    JUAPESA_CALLBACK_BASE_URL: bridgeUrl,
  };
  try {
    // The custodian's statement of what backs the seeded supply (bank and vault holdings, in assets);
    // the attester adds the rails' floats from the sandboxes and reports the sum on the ledger.
    const holdingsFile = path.join(options.dataDir, "custodian-holdings.json");
    const holdings = ASSETS.map((a) => ({
      asset: a.symbol,
      amount: formatUnits(SEED_LIQUIDITY[a.symbol] * 10n, a.decimals),
      asOf: Date.now(),
      statementId: `local-custodian-${a.symbol}-${new Date().toISOString().slice(0, 10)}`,
    }));
    writeFileSync(holdingsFile, `${JSON.stringify(holdings, null, 2)}\n`);
    children.push(
      spawnService(options.root, "reserve-attester", "agents/reserve-attester/main.ts", {
        JUAPESA_REPORTER_KEY: options.reporterKey,
        // Often enough to watch locally. The first report can be refused as "not newer": seeding
        // reported reserves at chain time, which a burst of blocks puts a few seconds ahead of the clock.
        JUAPESA_RESERVE_REPORT_MINUTES: "5",
        JUAPESA_CUSTODIAN_HOLDINGS_FILE: holdingsFile,
        ...shared,
        // No JUAPESA_ATTESTER_KEYS: on the local chain the attester takes the development keys from .keys/.
        JUAPESA_ATTESTER_PORT: String(options.attesterPort),
        JUAPESA_ATTESTER_DB: path.join(options.dataDir, "reserve-attester.db"),
      }),
    );
    await waitForHealth(`${attesterUrl}/health`, children[0]!);
    children.push(
      spawnService(options.root, "ussd-bridge", "ussd-bridge/src/main.ts", {
        ...shared,
        JUAPESA_OPERATOR_KEY: options.operatorKey,
        JUAPESA_ATTESTER_URL: attesterUrl,
        JUAPESA_BRIDGE_PORT: String(options.bridgePort),
        JUAPESA_ADMIN_TOKEN: devSecret("dev-admin-token", 24).slice(2),
        JUAPESA_PARTNERS: JSON.stringify({ [DEV_PARTNER]: devSecret("dev-partner-secret").slice(2) }),
      }),
    );
    await waitForHealth(`${bridgeUrl}/health`, children[1]!);
    children.push(
      spawnService(options.root, "keeper", "agents/keeper/main.ts", {
        ...shared,
        JUAPESA_KEEPER_KEY: options.keeperKey,
        JUAPESA_KEEPER_TOKEN: devSecret("dev-keeper-token", 24).slice(2),
        JUAPESA_KEEPER_PORT: String(options.keeperPort),
        JUAPESA_KEEPER_DB: path.join(options.dataDir, "keeper.db"),
        // Orders wait for an admin locally too: approve them at /admin/orders/:id/approve.
        JUAPESA_KEEPER_MODE: "approve",
        JUAPESA_KEEPER_INTERVAL_SECONDS: "60",
      }),
    );
    await waitForHealth(`${keeperUrl}/health`, children[2]!);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    bridgeUrl,
    attesterUrl,
    keeperUrl,
    sandboxes,
    async printStatus() {
      const dial = await fetch(`${bridgeUrl}/ussd`, {
        method: "POST",
        body: new URLSearchParams({ sessionId: `start-${Date.now()}`, serviceCode: "*789#", phoneNumber: "+254700000001", networkCode: "63902", text: "" }),
      });
      const firstScreen = (await dial.text()).split("\n")[0];
      console.log("\nServices");
      console.log(`  USSD bridge      ${bridgeUrl}/ussd   (dial *789#: "${firstScreen}")`);
      console.log(`  partner API      ${bridgeUrl}/api    (OpenAPI: ${bridgeUrl}/openapi.json; partner "${DEV_PARTNER}", secret in .keys/dev-partner-secret)`);
      console.log(`  admin            ${bridgeUrl}/admin  (bearer token in .keys/dev-admin-token)`);
      console.log(`  reserve attester ${attesterUrl}`);
      console.log(`  keeper           ${keeperUrl}   (metrics: ${keeperUrl}/metrics; admin bearer token in .keys/dev-keeper-token)`);
      for (const [name, url] of Object.entries(sandboxes.urls)) console.log(`  sandbox ${name.padEnd(10)}${url}`);
      console.log("\nTry it: npm run phone -- +254712345678   (a second phone in another terminal: +254712345679)");
    },
    close,
  };
}

function spawnService(root: string, name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), [script], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  // Their JSON log lines go to this terminal, prefixed; they carry no phone numbers or secrets.
  const prefix = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).map((line) => `[${name}] ${line}`).join("\n");
  child.stdout!.on("data", (chunk: Buffer) => process.env.JUAPESA_QUIET ? undefined : console.log(prefix(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => console.error(prefix(chunk)));
  return child;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url.replace("/health", "")} stopped before answering (exit ${child.exitCode}); see its log above`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000}s`);
}
