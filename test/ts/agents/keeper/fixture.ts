/**
 * The protocol deployed and seeded on an in-process chain as `npm start` does, with a keeper account
 * that holds the pool's KEEPER role and an inventory of every asset, and helpers that make the flows
 * the keeper reads: attested cash in and cash out through the vault, and swaps through the router.
 */
import { network } from "hardhat";
import { createPublicClient, createWalletClient, custom, keccak256, maxUint256, parseUnits, toHex, type Address, type Hex, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { KeeperWallet } from "../../../../agents/keeper/executor.js";
import type { ModelForecaster } from "../../../../agents/keeper/forecasting.js";
import { createKeeperMetrics } from "../../../../agents/keeper/metrics.js";
import type { Mode } from "../../../../agents/keeper/planner.js";
import { startKeeper, type RunningKeeper } from "../../../../agents/keeper/service.js";
import { openLiquidityDatabase, type LiquidityDatabase } from "../../../../agents/liquidity/db/open.js";
import { DAY_MS, type FlowEvent, type FlowSource, type FlowStore } from "../../../../agents/liquidity/flows/store.js";
import { deployStack, seedStack, send, type Stack } from "../../../../scripts/lib/stack.js";
import { signStatement, SupplyChangeKind, type SupplyChange } from "../../../../sdk/attestation.js";
import type { Deployment } from "../../../../sdk/deployments.js";
import { ASSETS, feedId } from "../../../../sdk/protocol.js";
import { testAccount } from "../../helpers/attesters.js";

export type Asset = "cNGN" | "USDC" | "XAUt";

const attesters = [0, 1, 2].map((i) => testAccount(`keeper-attester-${i}`));
/** The keeper's key: a public test key, guarding nothing outside a test chain. */
export const KEEPER_KEY: Hex = keccak256(toHex("juapesa-test:keeper"));
export const keeperAccount = privateKeyToAccount(KEEPER_KEY);
let statementNonce = 1n << 44n;
let opSeq = 1n << 60n;

export interface KeeperChain {
  conn: Awaited<ReturnType<typeof network.create>>;
  stack: Stack;
  deployment: Deployment;
  public: PublicClient;
  /** The keeper's wallet: signs locally, sends raw transactions, as the keeper process does. */
  keeperWallet: WalletClient;
  transport: ReturnType<typeof custom>;
  mintTo(holder: Address, asset: Asset, amount: bigint, label: string): Promise<void>;
  /** Opens a vault account (once) and credits it, attested: a cash in. Returns the block. */
  cashIn(account: Hex, asset: Asset, amount: bigint, ref: Hex): Promise<bigint>;
  cashOut(account: Hex, asset: Asset, amount: bigint, ref: Hex): Promise<bigint>;
  /** A trader swaps through the router; returns the block. */
  swap(tokenIn: Asset, tokenOut: Asset, amountIn: bigint): Promise<bigint>;
  reserves(): Promise<Record<Asset, bigint>>;
  targets(): Promise<Record<Asset, bigint>>;
  /** Moves chain time forward and mines a block. */
  advance(seconds: number): Promise<void>;
  chainTimeMs(): Promise<number>;
}

export async function keeperChain(options: { keeperInventory?: Partial<Record<Asset, bigint>> } = {}): Promise<KeeperChain> {
  const conn = await network.create();
  const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true, roles: { keeper: keeperAccount.address } });
  await seedStack(conn, stack, { attesters, threshold: 2n });
  const wallets = await conn.viem.getWalletClients();
  const admin = wallets[0]!;
  const trader = wallets[1]!;
  const hardhatPublic = await conn.viem.getPublicClient();
  const transport = custom(conn.provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhatPublic.chain, transport, pollingInterval: 50 }) as PublicClient;
  const keeperWallet = createWalletClient({ account: keeperAccount, chain: hardhatPublic.chain, transport });
  const deployment: Deployment = { ...stack.addresses };
  await conn.provider.request({ method: "hardhat_setBalance", params: [keeperAccount.address, "0x56BC75E2D63100000"] });
  const { contracts } = stack;
  const opened = new Set<string>();

  async function change(kind: SupplyChangeKind, holder: Address, account: Hex, asset: Asset, amount: bigint, ref: Hex) {
    const block = await publicClient.getBlock();
    const c: SupplyChange = { kind, asset: deployment[asset], holder, account, amount, ref, nonce: ++statementNonce, deadline: block.timestamp + 3_600n };
    return { change: c, signatures: await signStatement(attesters.slice(0, 2), stack.domain, "SupplyChange", c) };
  }
  async function mintTo(holder: Address, asset: Asset, amount: bigint, label: string) {
    const token = contracts.tokens[asset];
    const { change: c, signatures } = await change(SupplyChangeKind.Mint, holder, `0x${"00".repeat(32)}`, asset, amount, keccak256(toHex(`keeper test mint ${label}`)));
    await send(conn, admin, { address: token.address, abi: token.abi, functionName: "mint", args: [c, signatures] });
  }
  async function open(account: Hex) {
    if (opened.has(account)) return;
    await send(conn, admin, { address: contracts.vault.address, abi: contracts.vault.abi, functionName: "openAccount", args: [account, 3] });
    opened.add(account);
  }
  async function reservesOf(read: () => Promise<readonly bigint[]>): Promise<Record<Asset, bigint>> {
    const r = await read();
    return { cNGN: r[0]!, USDC: r[1]!, XAUt: r[2]! };
  }

  for (const [asset, amount] of Object.entries(options.keeperInventory ?? {}) as [Asset, bigint][]) {
    if (amount > 0n) await mintTo(keeperAccount.address, asset, amount, `inventory ${asset}`);
  }

  return {
    conn,
    stack,
    deployment,
    public: publicClient,
    keeperWallet,
    transport,
    mintTo,
    async cashIn(account, asset, amount, ref) {
      await open(account);
      const { change: c, signatures } = await change(SupplyChangeKind.Mint, deployment.vault, account, asset, amount, ref);
      return (await send(conn, admin, { address: contracts.vault.address, abi: contracts.vault.abi, functionName: "credit", args: [++opSeq, account, c, signatures] })).blockNumber;
    },
    async cashOut(account, asset, amount, ref) {
      await open(account);
      const { change: c, signatures } = await change(SupplyChangeKind.Burn, deployment.vault, account, asset, amount, ref);
      return (await send(conn, admin, { address: contracts.vault.address, abi: contracts.vault.abi, functionName: "debit", args: [++opSeq, account, c, signatures] })).blockNumber;
    },
    async swap(tokenIn, tokenOut, amountIn) {
      await mintTo(trader.account.address, tokenIn, amountIn, `trader ${tokenIn} ${++opSeq}`);
      const token = contracts.tokens[tokenIn];
      await send(conn, trader, { address: token.address, abi: token.abi, functionName: "approve", args: [deployment.router, maxUint256] });
      const deadline = (await publicClient.getBlock()).timestamp + 600n;
      const receipt = await send(conn, trader, {
        address: deployment.router,
        abi: contracts.router.abi,
        functionName: "swap",
        args: [[deployment[tokenIn], deployment[tokenOut]], [deployment.pool], amountIn, 0n, trader.account.address, deadline],
      });
      return receipt.blockNumber;
    },
    reserves: () => reservesOf(() => contracts.pool.read.reserves()),
    async targets() {
      // The pool checks rebalances against targets at current prices; syncTargets() is what it uses.
      await send(conn, admin, { address: contracts.pool.address, abi: contracts.pool.abi, functionName: "syncTargets", args: [] });
      return reservesOf(() => contracts.pool.read.targets());
    },
    async advance(seconds) {
      await conn.provider.request({ method: "evm_increaseTime", params: [seconds] });
      await conn.provider.request({ method: "evm_mine", params: [] });
      // Oracle reports expire after an hour; the reporter (the deployer here) keeps them fresh, as a live one would.
      for (const asset of ASSETS) {
        if (asset.feed) await send(conn, admin, { address: contracts.oracle.address, abi: contracts.oracle.abi, functionName: "report", args: [feedId(asset.feed.name), asset.feed.seedRate] });
      }
    },
    async chainTimeMs() {
      return Number((await publicClient.getBlock()).timestamp) * 1000;
    },
  };
}

// ─── a keeper on that chain, with a real SQLite file and real HTTP on loopback ─────────────────────────

export const KEEPER_TOKEN = "keeper-test-token-0123456789";

export interface TestKeeperOptions {
  file: string;
  mode: Mode;
  dryRun?: boolean;
  /** Clients for the keeper (e.g. ones whose connection dies); default the chain's. */
  clients?: { public: PublicClient; wallet: WalletClient };
  sources?: FlowSource[];
  model?: ModelForecaster;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export async function startTestKeeper(chain: KeeperChain, options: TestKeeperOptions): Promise<RunningKeeper & { database: LiquidityDatabase; close(): Promise<void> }> {
  const database = await openLiquidityDatabase({ sqlitePath: options.file });
  const { deployment } = chain;
  const running = await startKeeper({
    database,
    publicClient: options.clients?.public ?? chain.public,
    wallet: (options.clients?.wallet ?? chain.keeperWallet) as KeeperWallet,
    chainId: deployment.chainId,
    vault: deployment.vault,
    router: deployment.router,
    pools: [{ name: "main", address: deployment.pool }],
    assets: new Map((["cNGN", "USDC", "XAUt"] as const).map((s) => [deployment[s].toLowerCase(), s])),
    mode: options.mode,
    dryRun: options.dryRun,
    sources: options.sources ?? ["pool", "vault", "telco"],
    model: options.model,
    metrics: createKeeperMetrics(),
    token: KEEPER_TOKEN,
    log: options.log,
  });
  return {
    ...running,
    database,
    async close() {
      await running.stop();
      await database.close();
    },
  };
}

/**
 * Telco history for the `days` complete days before the chain's today: `outPerDay` cashed out and
 * `inPerDay` cashed in of cNGN each day (whole naira), spread over two hours.
 */
export async function seedHistory(store: FlowStore, todayMs: number, days: number, outPerDay: (d: number) => number, inPerDay: (d: number) => number): Promise<void> {
  const events: FlowEvent[] = [];
  for (let d = 1; d <= days; d++) {
    const day = todayMs - d * DAY_MS;
    const party = { operator: "MTN-NG", agent: "MTN-AG-1", region: "Lagos" };
    events.push({ id: `telco:MTN-NG:hist-out-${day}`, source: "telco", at: day + 9 * 3_600_000, ...party, asset: "cNGN", direction: "out", amount: parseUnits(String(outPerDay(d)), 6) });
    events.push({ id: `telco:MTN-NG:hist-in-${day}`, source: "telco", at: day + 15 * 3_600_000, ...party, asset: "cNGN", direction: "in", amount: parseUnits(String(inPerDay(d)), 6) });
  }
  await store.record(events);
}

export const todayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
