/**
 * Reconciliation: a rail's statement, the bridge's `rail_payments` rows and the vault's Credited/Debited
 * events, compared three ways. Each is matched to the others by what the cash flows bind them with: a
 * statement line to a row by the rail's request id, a row or line to a vault event by the statement ref
 * (refs.ts), which is the hash of the rail receipt (cash in) or of our payout reference (cash out and its
 * refund). Every mismatch becomes a Difference a person can act on.
 */
import { formatUnits, type Address, type Hex, type PublicClient } from "viem";

import { custodialVaultAbi } from "../../../sdk/abis.generated.js";
import type { Db, Tables } from "../db/open.js";
import type { RailAdapter, RailId, RailStatementLine } from "../ports.js";
import type { RailPaymentRow } from "./payments.js";
import { assetForFiat, assetToBurnForFiat, canonicalFiat, rateFor, type CustodianRate, type RateTable } from "./rates.js";
import { collectRef, payoutRef, refundRef } from "./refs.js";

export interface VaultMovement {
  kind: "credit" | "debit";
  opId: bigint;
  account: Hex;
  asset: Address;
  amount: bigint;
  ref: Hex;
  blockNumber: bigint;
  txHash: Hex;
  /** Block time, ms. */
  at: number;
}

export type DifferenceKind =
  | "paid-not-credited" // the rail collected money; the vault credited nothing for it
  | "credited-without-receipt" // a vault credit that no successful collection (or failed payout) explains
  | "amount-mismatch" // rail, bridge and vault disagree on how much
  | "payout-failed-not-refunded" // an account was debited, the payout failed or never went out, no refund
  | "paid-out-not-debited" // the rail paid someone; no vault debit covers it
  | "refunded-but-paid" // a refund was credited for a payout the rail says was paid
  | "duplicate" // the same receipt or reference twice on the statement or on chain
  | "bridge-disagrees-with-rail" // the row's state contradicts the rail's statement
  | "missing-from-statement"; // the bridge says the rail moved money; the statement does not show it

export interface Difference {
  kind: DifferenceKind;
  rail: RailId;
  detail: string;
  /** Our reference (rail_payments.id), when the difference concerns a row. */
  reference?: string;
  providerRef?: string;
  ref?: Hex;
  txHash?: Hex;
}

export interface RailComparison {
  rail: RailId;
  /** The rail's currency, for the report. */
  currency: string;
  rate: CustodianRate;
  from: number;
  to: number;
  lines: readonly RailStatementLine[];
  /** Every row of every rail: refs of other rails' rows explain their vault events. */
  rows: readonly RailPaymentRow[];
  movements: readonly VaultMovement[];
}

export function compareRail(input: RailComparison): Difference[] {
  const { rail, rate, from, to } = input;
  const fiat = (amount: string) => `${input.currency} ${amount}`;
  const units = (amount: bigint) => `${formatUnits(amount, 6)} ${rate.asset}`;
  const differences: Difference[] = [];
  const add = (d: Omit<Difference, "rail">) => differences.push({ rail, ...d });
  const inWindow = (at: number) => at >= from && at <= to;
  const rows = input.rows.filter((r) => r.rail === rail);
  const rowByProvider = new Map(rows.filter((r) => r.providerRef).map((r) => [`${r.direction}:${r.providerRef}`, r]));
  const credits = groupBy(input.movements.filter((m) => m.kind === "credit"), (m) => m.ref.toLowerCase());
  const debits = groupBy(input.movements.filter((m) => m.kind === "debit"), (m) => m.ref.toLowerCase());
  const explained = new Set<string>();
  for (const row of input.rows) {
    const r = row.rail as RailId;
    if (row.direction === "collect") explained.add(collectRef(r, row.providerRef ?? row.id));
    else explained.add(payoutRef(r, row.id)).add(refundRef(r, row.id));
  }

  // The statement against itself.
  for (const [key, same] of groupBy(input.lines, (l) => `${l.direction}:${l.providerRef}`)) {
    if (same.length > 1) add({ kind: "duplicate", providerRef: same[0]!.providerRef, detail: `the statement lists ${key} ${same.length} times` });
  }
  for (const [receipt, same] of groupBy(input.lines.filter((l) => l.receipt && l.state === "succeeded"), (l) => l.receipt!)) {
    if (same.length > 1) add({ kind: "duplicate", providerRef: same[0]!.providerRef, detail: `receipt ${receipt} appears on ${same.length} successful lines` });
  }
  // The chain against itself.
  for (const [ref, same] of [...credits, ...debits]) {
    if (same.length > 1) add({ kind: "duplicate", ref: ref as Hex, txHash: same[1]!.txHash, detail: `${same.length} vault ${same[0]!.kind}s carry the same ref` });
  }

  const seenRows = new Set<string>();
  for (const line of input.lines) {
    const row = rowByProvider.get(`${line.direction}:${line.providerRef}`);
    if (row) seenRows.add(row.id);
    const base = { reference: row?.id, providerRef: line.providerRef };
    if (line.direction === "collect") {
      const ref = collectRef(rail, line.providerRef);
      explained.add(ref);
      const credited = credits.get(ref) ?? [];
      if (line.state === "succeeded") {
        if (credited.length === 0) {
          add({ ...base, kind: "paid-not-credited", ref, detail: `${fiat(line.amount)} collected${row ? "" : " for a request the bridge has no row of"}, no vault credit` });
        } else if (credited[0]!.amount !== assetForFiat(rate, line.amount)) {
          add({ ...base, kind: "amount-mismatch", ref, txHash: credited[0]!.txHash, detail: `${fiat(line.amount)} collected is ${units(assetForFiat(rate, line.amount))}, but ${units(credited[0]!.amount)} was credited` });
        }
        if (row && !sameFiat(row.fiatAmount, line.amount)) add({ ...base, kind: "amount-mismatch", detail: `the bridge recorded ${fiat(row.fiatAmount)}, the rail ${fiat(line.amount)}` });
        if (row?.status === "failed") add({ ...base, kind: "bridge-disagrees-with-rail", detail: "the bridge marked it failed; the rail says it was paid" });
      } else if (line.state === "failed") {
        if (credited.length > 0) add({ ...base, kind: "credited-without-receipt", ref, txHash: credited[0]!.txHash, detail: "credited although the rail says the collection failed" });
        if (row?.status === "succeeded") add({ ...base, kind: "bridge-disagrees-with-rail", detail: "the bridge marked it paid; the rail says it failed" });
      }
      continue;
    }
    if (!row) {
      if (line.state === "succeeded") add({ ...base, kind: "paid-out-not-debited", detail: `${fiat(line.amount)} paid out for a request the bridge has no row of` });
      continue;
    }
    const burnRef = payoutRef(rail, row.id);
    const backRef = refundRef(rail, row.id);
    const debited = debits.get(burnRef) ?? [];
    const refunded = credits.get(backRef) ?? [];
    if (line.state === "succeeded") {
      if (debited.length === 0) add({ ...base, kind: "paid-out-not-debited", ref: burnRef, detail: `${fiat(line.amount)} paid out, no vault debit` });
      else if (debited[0]!.amount !== assetToBurnForFiat(rate, line.amount)) {
        add({ ...base, kind: "amount-mismatch", ref: burnRef, txHash: debited[0]!.txHash, detail: `${fiat(line.amount)} paid out needs ${units(assetToBurnForFiat(rate, line.amount))} debited, ${units(debited[0]!.amount)} was` });
      }
      if (refunded.length > 0) add({ ...base, kind: "refunded-but-paid", ref: backRef, txHash: refunded[0]!.txHash, detail: "a refund was credited for a payout the rail paid" });
      if (row.status === "failed" || row.status === "refunded") add({ ...base, kind: "bridge-disagrees-with-rail", detail: `the bridge marked it ${row.status}; the rail says it was paid` });
    } else if (line.state === "failed") {
      if (debited.length > 0 && refunded.length === 0) add({ ...base, kind: "payout-failed-not-refunded", ref: burnRef, txHash: debited[0]!.txHash, detail: `debited ${units(debited[0]!.amount)}, the payout failed, no refund` });
      if (debited.length > 0 && refunded.length > 0 && refunded[0]!.amount !== debited[0]!.amount) {
        add({ ...base, kind: "amount-mismatch", ref: backRef, detail: `refunded ${units(refunded[0]!.amount)}, debited ${units(debited[0]!.amount)}` });
      }
      if (row.status === "succeeded") add({ ...base, kind: "bridge-disagrees-with-rail", detail: "the bridge marked it paid; the rail says it failed" });
    }
  }

  // Rows in the window the statement does not explain.
  for (const row of rows) {
    if (seenRows.has(row.id) || !inWindow(row.createdAt)) continue;
    const base = { reference: row.id, providerRef: row.providerRef ?? undefined };
    if (row.direction === "collect") {
      if (row.status === "succeeded") add({ ...base, kind: "missing-from-statement", detail: "the bridge recorded a paid collection the statement does not show" });
      continue;
    }
    const debited = debits.get(payoutRef(rail, row.id)) ?? [];
    const refunded = credits.get(refundRef(rail, row.id)) ?? [];
    if (debited.length > 0 && refunded.length === 0 && row.status !== "pending") {
      add({ ...base, kind: "payout-failed-not-refunded", txHash: debited[0]!.txHash, detail: `debited ${units(debited[0]!.amount)}, the statement shows no payout, no refund` });
    } else if (row.status === "succeeded") {
      add({ ...base, kind: "missing-from-statement", detail: "the bridge recorded a payout the statement does not show" });
    }
  }

  // Vault credits in the window that no row and no line explains.
  for (const movement of input.movements) {
    if (movement.kind !== "credit" || explained.has(movement.ref.toLowerCase()) || !inWindow(movement.at)) continue;
    add({ kind: "credited-without-receipt", ref: movement.ref, txHash: movement.txHash, detail: `${formatUnits(movement.amount, 6)} (${movement.asset}) credited with a ref no rail receipt or bridge payment explains` });
  }
  return differences;
}

/** Every Credited and Debited event of the vault from `fromBlock` on, with block times. */
export async function readVaultMovements(client: PublicClient, vault: Address, fromBlock = 0n): Promise<VaultMovement[]> {
  const [credited, debited] = await Promise.all([
    client.getContractEvents({ address: vault, abi: custodialVaultAbi, eventName: "Credited", fromBlock, toBlock: "latest" }),
    client.getContractEvents({ address: vault, abi: custodialVaultAbi, eventName: "Debited", fromBlock, toBlock: "latest" }),
  ]);
  const times = new Map<bigint, number>();
  const timeOf = async (blockNumber: bigint) => {
    if (!times.has(blockNumber)) times.set(blockNumber, Number((await client.getBlock({ blockNumber })).timestamp) * 1000);
    return times.get(blockNumber)!;
  };
  const movements: VaultMovement[] = [];
  for (const [kind, events] of [["credit", credited], ["debit", debited]] as const) {
    for (const e of events) {
      movements.push({
        kind,
        opId: e.args.opId!,
        account: e.args.account!,
        asset: e.args.asset!,
        amount: e.args.amount!,
        ref: e.args.ref!,
        blockNumber: e.blockNumber,
        txHash: e.transactionHash,
        at: await timeOf(e.blockNumber),
      });
    }
  }
  return movements.sort((a, b) => (a.blockNumber < b.blockNumber ? -1 : a.blockNumber > b.blockNumber ? 1 : 0));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function sameFiat(a: string, b: string): boolean {
  try {
    return canonicalFiat(a) === canonicalFiat(b);
  } catch {
    return a === b;
  }
}

// ─── one rail, read from its three sources ───────────────────────────────────────────────────────────

export interface ReconcileSources {
  rail: RailAdapter;
  rates: RateTable;
  db: Db;
  tables: Tables;
  publicClient: PublicClient;
  vault: Address;
  /** First block to read vault events from (the vault's deployment block; 0 on a local chain). */
  fromBlock?: bigint;
  from: number;
  to: number;
}

export interface Reconciliation {
  rail: RailId;
  from: number;
  to: number;
  counts: { lines: number; payments: number; credits: number; debits: number };
  differences: Difference[];
}

export async function reconcileRail(sources: ReconcileSources): Promise<Reconciliation> {
  const { rail, from, to } = sources;
  const [lines, rows, movements] = await Promise.all([
    rail.statement(from, to),
    sources.db.select().from(sources.tables.railPayments),
    readVaultMovements(sources.publicClient, sources.vault, sources.fromBlock),
  ]);
  const differences = compareRail({ rail: rail.id, currency: rail.currency, rate: rateFor(sources.rates, rail.currency), from, to, lines, rows, movements });
  const inWindow = (at: number) => at >= from && at <= to;
  return {
    rail: rail.id,
    from,
    to,
    counts: {
      lines: lines.length,
      payments: rows.filter((r) => r.rail === rail.id && inWindow(r.createdAt)).length,
      credits: movements.filter((m) => m.kind === "credit" && inWindow(m.at)).length,
      debits: movements.filter((m) => m.kind === "debit" && inWindow(m.at)).length,
    },
    differences,
  };
}

/** The report a person reads: one line per difference, with what to look up. */
export function formatReconciliation(result: Reconciliation): string {
  const when = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  const out = [
    `Reconciliation of ${result.rail}, ${when(result.from)} to ${when(result.to)}`,
    `  rail statement: ${result.counts.lines} lines · bridge: ${result.counts.payments} payments · vault: ${result.counts.credits} credits, ${result.counts.debits} debits`,
  ];
  if (result.differences.length === 0) {
    out.push("  No differences.");
    return out.join("\n");
  }
  out.push(`  ${result.differences.length} difference${result.differences.length === 1 ? "" : "s"}:`);
  for (const d of result.differences) {
    const ids = [d.reference && `ref ${d.reference}`, d.providerRef && `rail ${d.providerRef}`, d.txHash && `tx ${d.txHash}`].filter(Boolean).join(", ");
    out.push(`  - ${d.kind}: ${d.detail}${ids ? ` (${ids})` : ""}`);
  }
  return out.join("\n");
}

/** The JSON form (`--json`): the same facts, machine-readable. */
export function reconciliationJson(result: Reconciliation): string {
  return JSON.stringify(result, null, 2);
}
