/**
 * The reserve attester put together: its store, its keys, its view of the ledger, the attestation
 * rules, the reserve reporter and the HTTP API; `startReserveAttester` serves it on loopback.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { Account, Chain, PrivateKeyAccount, PublicClient, Transport, WalletClient } from "viem";
import type { AddressInfo } from "node:net";

import type { Deployment } from "../../sdk/deployments.js";
import type { RailAdapter, RailId } from "../../ussd-bridge/src/ports.js";
import type { RateTable } from "../../ussd-bridge/src/cash/rates.js";
import { attesterApp } from "./app.js";
import { createAttest, type Attest } from "./attest.js";
import type { CustodianSource } from "./custodian.js";
import { createLedgerGateway, type LedgerGateway } from "./ledger.js";
import { createReserveReporter, type ReserveReporter } from "./reporter.js";
import { createStatementSigner, type StatementSigner } from "./signer.js";
import { openAttestationStore, type AttestationStore } from "./store.js";

/** Statements the attester signs stay valid this long at most: long enough to ride out a chain outage. */
export const DEFAULT_MAX_VALIDITY_SECONDS = 2 * 86_400;

export type Log = (event: string, fields: Record<string, unknown>) => void;

export interface ReserveAttesterOptions {
  accounts: readonly PrivateKeyAccount[];
  /** Signatures per statement; defaults to the ledger's threshold. */
  threshold?: number;
  token: string;
  deployment: Deployment;
  publicClient: PublicClient;
  walletClient?: WalletClient<Transport, Chain | undefined, Account>;
  rails: ReadonlyMap<RailId, RailAdapter>;
  rates: RateTable;
  pepper: Uint8Array;
  /** SQLite file of what was signed (":memory:" in throwaway setups). */
  storePath: string;
  sources?: readonly CustodianSource[];
  maxValiditySeconds?: number;
  /** How far back a rail's statement is searched for a request (default 7 days). */
  statementLookbackMs?: number;
  log?: Log;
}

export interface ReserveAttester {
  app: ReturnType<typeof attesterApp>;
  attest: Attest;
  reporter: ReserveReporter;
  signer: StatementSigner;
  store: AttestationStore;
  ledger: LedgerGateway;
  close(): void;
}

export async function createReserveAttester(options: ReserveAttesterOptions): Promise<ReserveAttester> {
  const log = options.log ?? (() => {});
  const { deployment } = options;
  const ledger = createLedgerGateway({ address: deployment.ledger, publicClient: options.publicClient, walletClient: options.walletClient });
  const threshold = options.threshold ?? (await ledger.threshold());
  const signer = createStatementSigner({ accounts: options.accounts, threshold, domain: { chainId: deployment.chainId, verifyingContract: deployment.ledger } });
  for (const address of signer.addresses) {
    if (!(await ledger.isAttester(address))) {
      throw new Error(`Key ${address} is not an attester on the ledger ${deployment.ledger}: its signatures would be refused. Check JUAPESA_ATTESTER_KEYS.`);
    }
  }
  const store = openAttestationStore(options.storePath);
  const attest = createAttest({
    rails: options.rails,
    rates: options.rates,
    pepper: options.pepper,
    deployment,
    store,
    signer,
    isStatementUsed: (digest) => ledger.isStatementUsed(digest),
    chainTime: () => ledger.chainTime(),
    nowMs: () => Date.now(),
    maxValiditySeconds: options.maxValiditySeconds ?? DEFAULT_MAX_VALIDITY_SECONDS,
    statementLookbackMs: options.statementLookbackMs ?? 7 * 86_400_000,
    log,
  });
  const reporter = createReserveReporter({ sources: options.sources ?? [], rates: options.rates, signer, ledger, deployment, log });
  const app = attesterApp({ attest, reporter, signer, token: options.token, rails: options.rails, log });
  return {
    app,
    attest,
    reporter,
    signer,
    store,
    ledger,
    close: () => {
      reporter.stop();
      store.close();
    },
  };
}

export interface RunningAttester extends ReserveAttester {
  url: string;
  stop(): Promise<void>;
}

/** Serves the attester on loopback (it is reached by the bridge on the same host, never from outside). */
export async function startReserveAttester(
  options: ReserveAttesterOptions & { port?: number; hostname?: string; reportEveryMs?: number },
): Promise<RunningAttester> {
  const attester = await createReserveAttester(options);
  const hostname = options.hostname ?? "127.0.0.1";
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: attester.app.fetch, port: options.port ?? 0, hostname }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  if (options.reportEveryMs) attester.reporter.start(options.reportEveryMs);
  return {
    ...attester,
    url: `http://${hostname}:${port}`,
    async stop() {
      attester.reporter.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      attester.close();
    },
  };
}

/** One JSON line per event on stdout; callers pass no personal data (refs and codes only). */
export function jsonLog(component: string): Log {
  return (event, fields) => console.log(JSON.stringify({ at: new Date().toISOString(), component, event, ...fields }));
}
