/**
 * The real parts the cash tests run on: an in-process chain with the protocol deployed and seeded as
 * `npm start` does, rail sandboxes on loopback, and the reserve attester served on loopback with its
 * own SQLite file and its own rail adapters.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { like } from "drizzle-orm";
import { Hono } from "hono";
import { network } from "hardhat";
import { createPublicClient, createWalletClient, custom, keccak256, toHex, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { deployStack, seedStack } from "../../../../scripts/lib/stack.js";
import type { Deployment } from "../../../../sdk/deployments.js";
import type { E164 } from "../../../../sdk/phone.js";
import { createAttesterClient } from "../../../../agents/reserve-attester/client.js";
import { startReserveAttester, type RunningAttester } from "../../../../agents/reserve-attester/service.js";
import { createCashService, type CashServiceRuntime } from "../../../../ussd-bridge/src/cash/service.js";
import { railCallbackRoutes } from "../../../../ussd-bridge/src/cash/routes.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { createMoneyService, type BridgeMoneyService } from "../../../../ussd-bridge/src/money/service.js";
import { africasTalkingGateway } from "../../../../ussd-bridge/src/sms/africastalking.js";
import { createSmsSender, type SmsOutbox } from "../../../../ussd-bridge/src/sms/outbox.js";
import { createSmsSandbox } from "../../../../ussd-bridge/sandboxes/africastalking.js";
import type { CustodianSource } from "../../../../agents/reserve-attester/custodian.js";
import type { Compliance, RailAdapter, RailId } from "../../../../ussd-bridge/src/ports.js";
import { rateTable, DEFAULT_FIAT_PER_USD, type RateTable } from "../../../../ussd-bridge/src/cash/rates.js";
import { mpesaRail } from "../../../../ussd-bridge/src/rails/mpesa.js";
import { momoRail } from "../../../../ussd-bridge/src/rails/mtn-momo.js";
import type { CustodianRail } from "../../../../ussd-bridge/src/rails/custodian.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { createMpesaSandbox } from "../../../../ussd-bridge/sandboxes/mpesa.js";
import { createMomoSandbox } from "../../../../ussd-bridge/sandboxes/mtn-momo.js";
import { listen, type Listening } from "../../../../ussd-bridge/sandboxes/listen.js";
import type { RailSandbox } from "../../../../ussd-bridge/sandboxes/rail.js";
import { testAttesters } from "../../helpers/attesters.js";

/** Account 0 of Hardhat's development mnemonic: the deployment's admin and vault operator (a public test key). */
export const HARDHAT_KEY_0: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const TEST_PEPPER = Buffer.from(keccak256(toHex("juapesa cash test pepper")).slice(2), "hex");
export const ATTESTER_TOKEN = "cash-test-attester-token-0123456789";
/** The rates every test uses: the defaults (UGX 3,700 and KES 129 per dollar; NGN one for one). */
export const RATES: RateTable = rateTable(DEFAULT_FIAT_PER_USD);

export type CashChain = Awaited<ReturnType<typeof cashChain>>;

export async function cashChain() {
  const conn = await network.create();
  const attesters = testAttesters(3);
  const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
  await seedStack(conn, stack, { attesters, threshold: 2n });
  const hardhatPublic = await conn.viem.getPublicClient();
  const transport = custom(conn.provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhatPublic.chain, transport, pollingInterval: 50 }) as PublicClient;
  const admin = createWalletClient({ account: privateKeyToAccount(HARDHAT_KEY_0), chain: hardhatPublic.chain, transport });
  const deployment: Deployment = { ...stack.addresses };
  return { conn, stack, attesters, publicClient, admin, deployment };
}

export interface SandboxedRail {
  rail: RailId;
  sandbox: RailSandbox;
  server: Listening;
  /** A fresh adapter for this sandbox; callbacks and (M-Pesa) status answers go to `callbackBaseUrl`. */
  adapter(callbackBaseUrl: string): CustodianRail;
  close(): Promise<void>;
}

export async function momoSandbox(options: { currency?: string; initialFloat?: string } = {}): Promise<SandboxedRail> {
  const currency = options.currency ?? "UGX";
  const sandbox = createMomoSandbox({ customerDelayMs: 0, initialFloat: options.initialFloat ?? "50000000", currency });
  const server = await listen(sandbox.app);
  const creds = SANDBOX_CREDENTIALS["mtn-momo"];
  return {
    rail: "mtn-momo",
    sandbox,
    server,
    adapter: (callbackBaseUrl) =>
      momoRail({ baseUrl: server.url, targetEnvironment: creds.targetEnvironment, currency, collection: creds.collection, disbursement: creds.disbursement, callbackBaseUrl }),
    close: async () => {
      sandbox.core.close();
      await server.close();
    },
  };
}

export async function mpesaSandbox(options: { initialFloat?: string } = {}): Promise<SandboxedRail> {
  const sandbox = createMpesaSandbox({ customerDelayMs: 0, initialFloat: options.initialFloat ?? "1000000" });
  const server = await listen(sandbox.app);
  const creds = SANDBOX_CREDENTIALS.mpesa;
  return {
    rail: "mpesa",
    sandbox,
    server,
    adapter: (callbackBaseUrl) =>
      mpesaRail({
        baseUrl: server.url,
        consumerKey: creds.consumerKey,
        consumerSecret: creds.consumerSecret,
        shortcode: creds.shortcode,
        passkey: creds.passkey,
        b2cShortcode: creds.b2cShortcode,
        initiatorName: creds.initiatorName,
        securityCredential: creds.securityCredential,
        callbackBaseUrl,
        statusWaitMs: 5_000,
      }),
    close: async () => {
      sandbox.core.close();
      await server.close();
    },
  };
}

export interface TestAttester extends RunningAttester {
  rails: Map<RailId, RailAdapter>;
  /** The custodian statements the reporter reads, live: a test may replace them. */
  sources: CustodianSource[];
  dir: string;
  stopAndClean(): Promise<void>;
}

/** The attester on loopback with its own adapters for `sandboxes` and its own SQLite file. */
export async function startTestAttester(
  chain: CashChain,
  sandboxes: readonly SandboxedRail[],
  options: { sources?: (rails: Map<RailId, CustodianRail>) => CustodianSource[]; storePath?: string; dir?: string } = {},
): Promise<TestAttester> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), "juapesa-attester-"));
  const rails = new Map<RailId, RailAdapter>();
  const custodianRails = new Map<RailId, CustodianRail>();
  const sources: CustodianSource[] = [];
  const attester = await startReserveAttester({
    accounts: chain.attesters,
    token: ATTESTER_TOKEN,
    deployment: chain.deployment,
    publicClient: chain.publicClient,
    walletClient: chain.admin,
    rails,
    rates: RATES,
    pepper: TEST_PEPPER,
    storePath: options.storePath ?? path.join(dir, "attester.db"),
    sources,
  });
  // The adapters need the attester's address for the answers some rails post back (M-Pesa's status).
  for (const s of sandboxes) {
    const adapter = s.adapter(attester.url);
    rails.set(s.rail, adapter);
    custodianRails.set(s.rail, adapter);
  }
  sources.push(...(options.sources?.(custodianRails) ?? []));
  return {
    ...attester,
    rails,
    sources,
    dir,
    async stopAndClean() {
      await attester.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the rail settles a request (the sandboxes' customer answers at once; timeouts never do). */
export async function settled(adapter: RailAdapter, direction: "collect" | "payout", providerRef: string, tries = 100) {
  for (let i = 0; i < tries; i++) {
    const status = await adapter.status(direction, providerRef);
    if (status.state !== "pending") return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the rail never settled ${direction} ${providerRef}`);
}

export const ugandan = (suffix: string) => `+256772123${suffix}` as E164;
export const kenyan = (suffix: string) => `+254708374${suffix}` as E164;

let counter = 0;
export function freshKey(tag: string): string {
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

// ─── the bridge's side: database, money service, cash service and its callback server ────────────────

/** The Africa's Talking SMS sandbox on loopback; every bridge instance sends through it. */
export async function smsSandbox() {
  const sandbox = createSmsSandbox();
  const server = await listen(sandbox.app);
  return { sandbox, url: server.url, close: () => server.close() };
}

export interface TestBridge {
  db: Database;
  money: BridgeMoneyService;
  cash: CashServiceRuntime;
  rails: Map<RailId, RailAdapter>;
  sms: SmsOutbox;
  /** The notices queued for a payment, by kind (credited, collect-failed, paid, refunded, payout-refused). */
  notices(reference: string): Promise<Array<{ kind: string; phone: string; message: string; status: string }>>;
  callbackUrl: string;
  /** Stops this instance after its background work is done; the database stays. */
  close(): Promise<void>;
  /** Stops it the way a crash does: whatever is under way is cut off. */
  crash(): Promise<void>;
}

export async function startBridge(
  chain: CashChain,
  attester: { url: string },
  sandboxes: readonly SandboxedRail[],
  options: {
    dbPath: string;
    smsUrl: string;
    budgetMs?: number;
    callbackBaseUrl?: string;
    compliance?: Pick<Compliance, "review">;
    log?: (event: string, fields: Record<string, unknown>) => void;
  },
): Promise<TestBridge> {
  const db = await openDatabase({ sqlitePath: options.dbPath });
  const money = createMoneyService({
    db: db.db,
    tables: db.tables,
    chain: { public: chain.publicClient, wallet: chain.admin },
    deployment: chain.deployment,
    budgetMs: options.budgetMs ?? 10_000,
    log: () => {},
  });
  const rails = new Map<RailId, RailAdapter>();
  const creds = SANDBOX_CREDENTIALS.africastalking;
  const sms = createSmsSender({
    db: db.db,
    tables: db.tables,
    gateway: africasTalkingGateway({ baseUrl: options.smsUrl, username: creds.username, apiKey: creds.apiKey }),
    log: () => {},
  });
  const cash = createCashService({
    db: db.db,
    tables: db.tables,
    rails,
    attester: createAttesterClient({ url: attester.url, token: ATTESTER_TOKEN }),
    money,
    sms,
    rates: RATES,
    deployment: chain.deployment,
    budgetMs: options.budgetMs ?? 10_000,
    compliance: options.compliance,
    log: options.log,
  });
  const server = await listen(new Hono().route("/", railCallbackRoutes(cash)));
  for (const s of sandboxes) rails.set(s.rail, s.adapter(options.callbackBaseUrl ?? server.url));
  return {
    db,
    money,
    cash,
    rails,
    sms,
    async notices(reference) {
      const t = db.tables.smsOutbox;
      const rows = await db.db.select().from(t).where(like(t.id, `cash:${reference}:%`));
      return rows.map((r) => ({ kind: r.id.split(":").pop()!, phone: r.phone, message: r.message, status: r.status }));
    },
    callbackUrl: server.url,
    async close() {
      await cash.idle();
      await server.close();
      await money.close();
      await db.close();
    },
    async crash() {
      await server.close();
      await db.close();
      await money.close();
    },
  };
}

/** The in-process chain over loopback JSON-RPC, for the command run as its own process. */
export async function rpcOver(chain: CashChain): Promise<Listening> {
  const app = new Hono();
  app.post("/", async (c) => {
    const body = (await c.req.json()) as { id: number; method: string; params?: unknown[] } | Array<{ id: number; method: string; params?: unknown[] }>;
    const one = async (req: { id: number; method: string; params?: unknown[] }) => {
      try {
        return { jsonrpc: "2.0", id: req.id, result: await chain.conn.provider.request({ method: req.method, params: req.params }) };
      } catch (error) {
        return { jsonrpc: "2.0", id: req.id, error: { code: -32000, message: error instanceof Error ? error.message : String(error) } };
      }
    };
    return c.json(Array.isArray(body) ? await Promise.all(body.map(one)) : await one(body));
  });
  return listen(app);
}

export function ignitionAddresses(chain: CashChain): Record<string, string> {
  const a = chain.deployment;
  return {
    "JuaPesa#AttestationLedger": a.ledger,
    "JuaPesa#FxOracle": a.oracle,
    "JuaPesa#LiquidityPool": a.pool,
    "JuaPesa#Router": a.router,
    "JuaPesa#CustodialVault": a.vault,
    "JuaPesa#cNGN": a.cNGN,
    "JuaPesa#USDC": a.USDC,
    "JuaPesa#XAUt": a.XAUt,
  };
}
