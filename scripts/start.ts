/**
 * `npm start`: the local JuaPesa stack. Starts a Hardhat node on loopback, deploys the protocol with
 * the Ignition module, seeds attested reserves and pool liquidity, then starts the mobile-money, SMS
 * and KYC sandboxes, the reserve attester and the USSD bridge; prints the addresses and a short
 * status, and keeps running until Ctrl-C. The liquidity keeper holds the pool's KEEPER role with its own
 * development key and gets an inventory of every asset (a tenth of the seed liquidity) to rebalance with.
 *
 *   --port N            JSON-RPC port (default 8545, or JUAPESA_RPC_PORT)
 *   --bridge-port N     the USSD bridge (default 8787, or JUAPESA_BRIDGE_PORT)
 *   --attester-port N   the reserve attester (default 8790)
 *   --keeper-port N     the liquidity keeper (default 8791)
 *   --sandbox-port N    the first of the sandboxes' consecutive ports (default 9100)
 *   --data DIR          where the bridge's and the attester's databases live (default .data)
 *   --once              stop after printing the status and dialling *789# once (used by the tests)
 *
 * Every run is a fresh chain, so the bridge's, attester's and keeper's databases from an earlier run are
 * removed: their accounts, operations and orders would name a chain that no longer exists.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { NetworkConnection } from "hardhat/types/network";
import { formatUnits, keccak256, toHex, type Address } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import { attesterAccounts, devSecret } from "./lib/dev-keys.js";
import { startLocalServices, type LocalServices } from "./lib/local-services.js";
import { deployStack, seedStack, send, SEED_LIQUIDITY, type Stack } from "./lib/stack.js";
import { signStatement, SupplyChangeKind, type SupplyChange } from "../sdk/attestation.js";
import { ASSETS, feedId } from "../sdk/protocol.js";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    "bridge-port": { type: "string" },
    "attester-port": { type: "string", default: "8790" },
    "keeper-port": { type: "string", default: "8791" },
    "sandbox-port": { type: "string", default: "9100" },
    data: { type: "string", default: ".data" },
    once: { type: "boolean", default: false },
  },
});
const port = Number(args.port ?? process.env.JUAPESA_RPC_PORT ?? 8545);
const root = path.resolve(import.meta.dirname, "..");
const rpcUrl = `http://127.0.0.1:${port}`;

async function main() {
  const node = startNode();
  let services: LocalServices | undefined;
  const stop = async () => {
    await services?.close();
    node.kill("SIGINT");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  try {
    await waitForRpc(rpcUrl, node);
    // A fresh node is a fresh chain: Ignition's journal of an earlier run would not match it.
    rmSync(path.join(root, "ignition/deployments/chain-31337"), { recursive: true, force: true });
    process.env.JUAPESA_LOCAL_RPC_URL = rpcUrl;
    const { network } = await import("hardhat");
    const conn = await network.create("localhost");
    const attesters = attesterAccounts(3);
    // The bridge holds the vault's operator and compliance roles with its own development key.
    const operatorKey = devSecret("dev-operator-key");
    const operator = privateKeyToAccount(operatorKey).address;
    const keeperKey = devSecret("dev-keeper-key");
    const keeper = privateKeyToAccount(keeperKey).address;
    const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true, roles: { operator, compliance: operator, keeper } });
    await seedStack(conn, stack, { attesters, threshold: 2n });
    await seedKeeperInventory(conn, stack, attesters, keeper);
    await printStatus(stack, attesters.map((a) => a.address));

    const dataDir = path.resolve(root, args.data);
    for (const file of ["bridge.db", "reserve-attester.db", "keeper.db"]) {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path.join(dataDir, file + suffix), { force: true });
    }
    mkdirSync(dataDir, { recursive: true });
    const publicClient = await conn.viem.getPublicClient();
    const reporterKey = devSecret("dev-reporter-key");
    for (const account of [operator, privateKeyToAccount(reporterKey).address, keeper]) {
      await publicClient.request({ method: "hardhat_setBalance" as never, params: [account, "0x56BC75E2D63100000"] as never }); // 100 ETH for gas
    }
    services = await startLocalServices({
      root,
      rpcUrl,
      chainId: stack.addresses.chainId,
      operatorKey,
      reporterKey,
      keeperKey,
      dataDir,
      bridgePort: Number(args["bridge-port"] ?? process.env.JUAPESA_BRIDGE_PORT ?? 8787),
      attesterPort: Number(args["attester-port"]),
      keeperPort: Number(args["keeper-port"]),
      sandboxBasePort: Number(args["sandbox-port"]),
    });
    await services.printStatus();
  } catch (error) {
    await services?.close();
    node.kill("SIGINT");
    throw error;
  }
  if (args.once) await stop();
  console.log("\nJuaPesa local stack is running. Ctrl-C to stop.");
}

/** Attested mints of a tenth of the seed liquidity of every asset to the keeper: the inventory it rebalances with. */
async function seedKeeperInventory(conn: NetworkConnection, stack: Stack, attesters: PrivateKeyAccount[], keeper: Address) {
  const [admin] = await conn.viem.getWalletClients();
  const now = (await (await conn.viem.getPublicClient()).getBlock()).timestamp;
  for (const [i, asset] of ASSETS.entries()) {
    const token = stack.contracts.tokens[asset.symbol];
    const change: SupplyChange = {
      kind: SupplyChangeKind.Mint,
      asset: token.address,
      holder: keeper,
      account: `0x${"00".repeat(32)}`,
      amount: SEED_LIQUIDITY[asset.symbol] / 10n,
      ref: keccak256(toHex(`keeper inventory ${asset.symbol}`)),
      nonce: (BigInt(Date.now()) << 24n) | BigInt(i),
      deadline: now + 3_600n,
    };
    const signatures = await signStatement(attesters.slice(0, 2), stack.domain, "SupplyChange", change);
    await send(conn, admin!, { address: token.address, abi: token.abi, functionName: "mint", args: [change, signatures] }, { errorAbis: [stack.contracts.ledger.abi] });
  }
}

function startNode(): ChildProcess {
  const hardhat = path.join(root, "node_modules/.bin/hardhat");
  const child = spawn(hardhat, ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.on("exit", (code) => {
    if (code !== 0 && code !== null) {
      console.error(`hardhat node exited with code ${code} (is port ${port} already in use? try --port)`);
      process.exit(1);
    }
  });
  return child;
}

async function waitForRpc(url: string, node: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error("hardhat node stopped before answering");
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(2_000),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no JSON-RPC answer at ${url} within ${timeoutMs / 1000}s`);
}

async function printStatus(stack: Stack, attesters: string[]) {
  const { contracts, addresses } = stack;
  console.log(`\nJuaPesa on ${rpcUrl} (chain ${addresses.chainId})\n`);
  console.log("Contracts");
  for (const [name, address] of Object.entries(addresses)) if (name !== "chainId") console.log(`  ${name.padEnd(8)} ${address}`);
  const threshold = await contracts.ledger.read.threshold();
  console.log(`\nAttestation ledger: ${threshold}-of-${attesters.length} attesters (${attesters.join(", ")})`);
  console.log("\nAsset   supply                reserve (fresh)        in pool");
  const reserves = await contracts.pool.read.reserves();
  for (const [i, asset] of ASSETS.entries()) {
    const token = contracts.tokens[asset.symbol];
    const [reserve, , fresh] = await contracts.ledger.read.latestReserve([token.address]);
    const fmt = (v: bigint) => formatUnits(v, asset.decimals).padEnd(21);
    console.log(`  ${asset.symbol.padEnd(6)}${fmt(await token.read.totalSupply())} ${fmt(reserve)}${fresh ? "yes" : "NO "}  ${formatUnits(reserves[i]!, asset.decimals)}`);
  }
  for (const asset of ASSETS) {
    if (!asset.feed) continue;
    console.log(`Oracle ${asset.feed.name}: ${formatUnits(await contracts.oracle.read.rate([feedId(asset.feed.name)]), 18)}`);
  }
  console.log(`Pool value: $${Number(formatUnits(await contracts.pool.read.totalValue(), 18)).toLocaleString("en-US")}`);
}

await main();
