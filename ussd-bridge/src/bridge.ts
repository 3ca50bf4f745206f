/**
 * The bridge put together: one database, the registry and money service on the operator's key, the
 * compliance rules, the rails, SMS, cash in/out through the reserve attester, and one Hono app that
 * serves the USSD callback, the partner API, the admin endpoints and the rails' callbacks.
 *
 * `assembleBridge` builds the parts; `serveBridge` puts the app on a port and starts the background
 * work (crash recovery at start, then periodic reconcile, rail polling and SMS retries). `main.ts`
 * does both from the environment; the local stack, the tests and the benchmark call them directly.
 */
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";

import type { Deployment } from "../../sdk/deployments.js";
import { createRegistry } from "./accounts/registry.js";
import { adminTokenFromEnv } from "./admin/auth.js";
import { adminRoutes } from "./admin/index.js";
import { partnerApi } from "./api/index.js";
import { partnersFromEnv } from "./api/partners.js";
import { rateLimitFromEnv } from "./api/rate-limit.js";
import { createCashService, railCallbackRoutes, rateTableFromEnv } from "./cash/index.js";
import { complianceFromEnv } from "./compliance/index.js";
import type { BridgeConfig } from "./config.js";
import { openDatabase, type Database } from "./db/open.js";
import type { BridgeChain } from "./money/chain.js";
import { createTxSender } from "./money/sender.js";
import { createMoneyService } from "./money/service.js";
import type { Attester, RailAdapter, RailId } from "./ports.js";
import { railsFromEnv } from "./rails/config.js";
import { dbRailMemory } from "./rails/memory.js";
import { smsGatewayFromEnv } from "./sms/africastalking.js";
import { createSmsSender } from "./sms/outbox.js";
import { ussdRoutes } from "./ussd/routes.js";
import { purgeSessions, SESSION_RETENTION_MS } from "./ussd/sessions.js";

/** Structured log lines: an event name and fields, never a phone number, PIN or name. */
export type Log = (event: string, fields: Record<string, unknown>) => void;

export const jsonLog =
  (component: string): Log =>
  (event, fields) =>
    console.log(JSON.stringify({ at: new Date().toISOString(), component, event, ...fields }));

export interface BridgeOptions {
  config: BridgeConfig;
  deployment: Deployment;
  chain: BridgeChain;
  attester: Attester;
  /** Where the rails, SMS gateway, compliance files, partners and admin token are configured. */
  env?: NodeJS.ProcessEnv;
  /** The public base URL rails post their callbacks to (default JUAPESA_CALLBACK_BASE_URL). */
  callbackBaseUrl?: string;
  /** USSD codes answered; the first is named in SMS notices. */
  serviceCodes?: string[];
  database?: Database;
  log?: Log;
}

export async function assembleBridge(options: BridgeOptions) {
  const { config, deployment, chain } = options;
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const database = options.database ?? (await openDatabase(config.database));
  const { db, tables } = database;

  const { compliance, report } = complianceFromEnv({ db, tables }, env);
  log("compliance", { sanctionsEntries: report.entries, sample: report.sample, badLines: report.errors.length });

  // One sender for the operator key: the registry's account openings and the money service's
  // operations share its nonce sequence.
  const sender = createTxSender({ public: chain.public, wallet: chain.wallet });
  const registry = createRegistry({
    db,
    tables,
    pepper: config.pepper,
    compliance,
    chain: { public: chain.public, wallet: chain.wallet, complianceWallet: chain.complianceWallet, sender },
    deployment,
    pinScrypt: config.pinScrypt,
    countries: config.countries,
    budgetMs: config.budgetMs,
  });
  const money = createMoneyService({
    db,
    tables,
    chain: { public: chain.public, wallet: chain.wallet, sender },
    deployment,
    budgetMs: config.budgetMs,
    compliance,
    reconcileEveryMs: 60_000,
    log: (message) => log("money", { message }),
  });

  const callbackBaseUrl = options.callbackBaseUrl ?? env.JUAPESA_CALLBACK_BASE_URL;
  const rails = new Map(
    Object.entries(railsFromEnv({ env, callbackBaseUrl, memory: dbRailMemory({ db, tables }) })) as [RailId, RailAdapter][],
  );
  const gateway = smsGatewayFromEnv({ env });
  // Notices are part of every money flow ("in progress, an SMS follows"), so the bridge does not start without them.
  if (!gateway) throw new Error("No SMS gateway: set AT_BASE_URL, AT_USERNAME and AT_API_KEY (ussd-bridge/docs/rails.md), or start the sandboxes.");
  const sms = createSmsSender({ db, tables, gateway });
  const cash = createCashService({
    db,
    tables,
    rails,
    attester: options.attester,
    money,
    sms,
    rates: rateTableFromEnv(env),
    deployment,
    budgetMs: config.budgetMs,
    compliance,
    langOf: async (accountId) => (await registry.findByAccount(accountId))?.lang,
    log,
  });

  const serviceCodes = options.serviceCodes ?? (env.JUAPESA_SERVICE_CODES ?? "*789#").split(",").map((c) => c.trim());
  const app = new Hono();
  app.get("/health", (c) => c.json({ ok: true, rails: [...rails.keys()], database: database.dialect }));
  app.route(
    "/",
    ussdRoutes({
      db,
      tables,
      registry,
      money,
      cash,
      compliance,
      sms,
      config: { defaultCountry: config.defaultCountry, budgetMs: config.budgetMs, serviceCodes, slippageBps: config.slippageBps },
    }),
  );
  app.route(
    "/",
    partnerApi({
      db,
      tables,
      money,
      registry,
      compliance,
      partners: partnersFromEnv(env),
      defaultCountry: config.defaultCountry,
      budgetMs: config.budgetMs,
      rateLimit: rateLimitFromEnv(env),
    }),
  );
  app.route("/admin", adminRoutes({ db, tables, token: adminTokenFromEnv(env) }));
  app.route("/", railCallbackRoutes(cash, log));

  return { app, database, registry, money, cash, sms, compliance, rails, log };
}

export type Bridge = Awaited<ReturnType<typeof assembleBridge>>;

export interface RunningBridge {
  url: string;
  server: ServerType;
  close(): Promise<void>;
}

/**
 * Recovers what a crash left unfinished (account openings, outbox operations, rail payments), then
 * serves the app and keeps the periodic work going until `close`.
 */
export async function serveBridge(
  bridge: Bridge,
  options: { host?: string; port?: number; pollEveryMs?: number; sessionRetentionMs?: number; now?: () => number } = {},
): Promise<RunningBridge> {
  const { registry, money, cash, sms, log } = bridge;
  const now = options.now ?? Date.now;
  const retention = options.sessionRetentionMs ?? SESSION_RETENTION_MS;
  const purge = async () => {
    const purged = await purgeSessions(bridge.database, now() - retention);
    if (purged > 0) log("sessions-purged", { purged });
  };
  await registry.resumeOpenings();
  log("reconciled", await money.reconcile());
  log("rails-polled", { ...(await cash.pollPending()) });
  const stopPolling = cash.pollEvery(options.pollEveryMs ?? 30_000);
  const smsRetry = setInterval(() => void sms.retryPending().catch(() => {}), 60_000);
  smsRetry.unref();
  await purge();
  const purgeTimer = setInterval(() => void purge().catch((error) => log("sessions-purge-failed", { error: String(error) })), 3_600_000);
  purgeTimer.unref();

  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: bridge.app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    async close() {
      stopPolling();
      clearInterval(smsRetry);
      clearInterval(purgeTimer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cash.idle();
      money.close();
      await bridge.database.close();
    },
  };
}
