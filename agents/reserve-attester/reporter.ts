/**
 * Periodic reserve reports: read every custodian statement, sum what it holds per asset (fiat floats at
 * the custodian rate, rounded down), sign a ReserveReport with the attester keys and submit it to the
 * ledger. A report is as old as its oldest statement; one older than the ledger's maxReserveAge is not
 * reported (the ledger would refuse it, and a reserve must never look fresher than its evidence).
 */
import { keccak256, parseUnits, toHex, type Address, type Hex } from "viem";

import type { ReserveReport } from "../../sdk/attestation.js";
import type { Deployment } from "../../sdk/deployments.js";
import { ASSET_SYMBOLS, type AssetSymbol } from "../../ussd-bridge/src/ports.js";
import { assetForFiat, rateFor, type RateTable } from "../../ussd-bridge/src/cash/rates.js";
import type { CustodianSource, CustodianStatement } from "./custodian.js";
import type { LedgerGateway } from "./ledger.js";
import type { StatementSigner } from "./signer.js";

export type ReportOutcome =
  | { asset: AssetSymbol; status: "reported"; reserve: bigint; asOf: bigint; txHash: Hex; belowSupply: boolean }
  | { asset: AssetSymbol; status: "stale"; asOf: bigint; maxAge: bigint; detail: string }
  | { asset: AssetSymbol; status: "not-newer"; asOf: bigint }
  | { asset: AssetSymbol; status: "no-statement" }
  | { asset: AssetSymbol; status: "failed"; detail: string };

export interface ReserveReporter {
  /** One round: a report per asset that has statements. Never throws; each asset says what happened. */
  runOnce(): Promise<ReportOutcome[]>;
  start(everyMs: number): void;
  stop(): void;
  lastOutcomes(): readonly ReportOutcome[];
}

export function createReserveReporter(deps: {
  sources: readonly CustodianSource[];
  rates: RateTable;
  signer: StatementSigner;
  ledger: LedgerGateway;
  deployment: Pick<Deployment, "cNGN" | "USDC" | "XAUt">;
  log?: (event: string, fields: Record<string, unknown>) => void;
}): ReserveReporter {
  const log = deps.log ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReportOutcome[]> | undefined;
  let last: ReportOutcome[] = [];

  async function round(): Promise<ReportOutcome[]> {
    const statements: CustodianStatement[] = [];
    const unread: string[] = [];
    for (const source of deps.sources) {
      try {
        statements.push(...(await source.read()));
      } catch (error) {
        unread.push(source.name);
        log("reserve.source-unreadable", { source: source.name, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    let byAsset: Map<AssetSymbol, Valued[]>;
    try {
      byAsset = groupByAsset(statements, deps.rates);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      last = ASSET_SYMBOLS.map((asset) => ({ asset, status: "failed", detail }));
      return last;
    }
    const maxAge = await deps.ledger.maxReserveAge();
    const now = await deps.ledger.chainTime();
    const outcomes: ReportOutcome[] = [];
    for (const asset of ASSET_SYMBOLS) {
      const group = byAsset.get(asset);
      if (!group || group.length === 0) {
        outcomes.push({ asset, status: "no-statement" });
        continue;
      }
      // A missing statement would understate nothing the ledger can check; report only complete sums.
      if (unread.length > 0) {
        outcomes.push({ asset, status: "failed", detail: `statements unreadable from ${unread.join(", ")}; not reporting a partial reserve` });
        continue;
      }
      outcomes.push(await reportAsset(asset, group, now, maxAge));
    }
    last = outcomes;
    return outcomes;
  }

  async function reportAsset(asset: AssetSymbol, group: Valued[], now: bigint, maxAge: bigint): Promise<ReportOutcome> {
    const token: Address = deps.deployment[asset];
    // A statement read a moment ago may be dated after the latest block; the ledger refuses a report from
    // its future, so the report is dated no later than the chain's time (a slightly older date, never a newer one).
    const read = BigInt(Math.floor(Math.min(...group.map((g) => g.statement.asOf)) / 1000));
    const asOf = read > now ? now : read;
    if (now - asOf > maxAge) {
      const detail = `the oldest custodian statement is ${now - asOf} s old, beyond the ledger's maxReserveAge of ${maxAge} s`;
      log("reserve.stale", { asset, asOf: asOf.toString(), maxAge: maxAge.toString() });
      return { asset, status: "stale", asOf, maxAge, detail };
    }
    const latest = await deps.ledger.latestReserve(token);
    if (asOf <= latest.asOf) return { asset, status: "not-newer", asOf };
    const reserve = group.reduce((sum, g) => sum + g.value, 0n);
    const custodianRef = keccak256(
      toHex(JSON.stringify(group.map((g) => [g.statement.source, g.statement.statementId, g.statement.amount, g.statement.asOf]).sort())),
    );
    const report: ReserveReport = { asset: token, reserve, asOf, custodianRef, nonce: BigInt(keccak256(toHex(`${custodianRef}:${asset}:${asOf}`))) };
    try {
      const signatures = await deps.signer.signReserveReport(report);
      const txHash = await deps.ledger.submitReserveReport(report, signatures);
      const supply = await deps.ledger.totalSupply(token);
      const belowSupply = reserve < supply;
      log(belowSupply ? "reserve.below-supply" : "reserve.reported", { asset, reserve: reserve.toString(), supply: supply.toString(), asOf: asOf.toString(), txHash });
      return { asset, status: "reported", reserve, asOf, txHash, belowSupply };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log("reserve.submit-failed", { asset, detail });
      return { asset, status: "failed", detail };
    }
  }

  const runOnce = () => {
    // One round at a time: two would race on `asOf` and the second would be refused as not newer.
    running ??= round().finally(() => (running = undefined));
    return running;
  };

  return {
    runOnce,
    start(everyMs) {
      if (timer) return;
      void runOnce();
      timer = setInterval(() => void runOnce(), everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    lastOutcomes: () => last,
  };
}

interface Valued {
  statement: CustodianStatement;
  value: bigint;
}

function groupByAsset(statements: readonly CustodianStatement[], rates: RateTable): Map<AssetSymbol, Valued[]> {
  const groups = new Map<AssetSymbol, Valued[]>();
  for (const statement of statements) {
    let asset: AssetSymbol;
    let value: bigint;
    if ("asset" in statement.denomination) {
      asset = statement.denomination.asset;
      value = parseUnits(statement.amount, 6);
    } else {
      const rate = rateFor(rates, statement.denomination.currency);
      asset = rate.asset;
      value = assetForFiat(rate, statement.amount);
    }
    groups.set(asset, [...(groups.get(asset) ?? []), { statement, value }]);
  }
  return groups;
}
