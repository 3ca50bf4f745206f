/**
 * What the attester has signed, in a SQLite file of its own (it shares nothing with the bridge's
 * database, whose process it does not trust). One row per statement `ref`: a receipt is attested once.
 * An identical repeat gets the stored signatures back; a different statement for the same ref, or a
 * second statement resting on the same rail request, is refused. Writes are synchronous SQLite
 * transactions, so two requests racing for the same ref cannot both be recorded.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Hex } from "viem";

import type { SupplyChange } from "../../sdk/attestation.js";
import type { RailId } from "../../ussd-bridge/src/ports.js";
import { decodeChange, encodeChange, sameChange } from "./wire.js";

export type Direction = "collect" | "payout" | "refund";

export interface AttestationRecord {
  ref: Hex;
  rail: RailId;
  direction: Direction;
  providerRef: string;
  change: SupplyChange;
  signatures: Hex;
  /** The statement's EIP-712 digest (its id on the ledger). */
  digest: Hex;
  /** For a burn: the ref its refund must carry, so a refund can be matched to the burn it reverses. */
  refundRef?: Hex;
  /** For a burn: the payout's fiat amount is not known yet; for a collect or refund: the rail's amount. */
  fiatAmount?: string;
  createdAt: number;
}

export type RecordOutcome =
  | { status: "recorded"; record: AttestationRecord }
  | { status: "repeat"; record: AttestationRecord } // identical statement already signed
  | { status: "conflict"; existing: AttestationRecord }; // another statement holds the ref or the rail request

export interface AttestationStore {
  byRef(ref: Hex): AttestationRecord | undefined;
  byProviderRef(rail: RailId, direction: Direction, providerRef: string): AttestationRecord | undefined;
  burnForRefund(refundRef: Hex): AttestationRecord | undefined;
  /** Records a signed statement unless the ref or the rail request already has one. */
  record(row: AttestationRecord): RecordOutcome;
  /** Replaces the statement held for `row.ref` (only after the old one expired unused on the ledger). */
  replace(oldDigest: Hex, row: AttestationRecord): boolean;
  count(): number;
  close(): void;
}

export function openAttestationStore(file: string): AttestationStore {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL"); // a signature handed out must never be forgotten
  db.exec(`
    CREATE TABLE IF NOT EXISTS attestations (
      ref TEXT PRIMARY KEY,
      rail TEXT NOT NULL,
      direction TEXT NOT NULL,
      provider_ref TEXT NOT NULL,
      change TEXT NOT NULL,
      signatures TEXT NOT NULL,
      digest TEXT NOT NULL,
      refund_ref TEXT,
      fiat_amount TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS attestations_rail_request ON attestations (rail, direction, provider_ref);
    CREATE INDEX IF NOT EXISTS attestations_refund_ref ON attestations (refund_ref);
  `);

  type Row = {
    ref: string;
    rail: string;
    direction: string;
    provider_ref: string;
    change: string;
    signatures: string;
    digest: string;
    refund_ref: string | null;
    fiat_amount: string | null;
    created_at: number;
  };
  const fromRow = (row: Row | undefined): AttestationRecord | undefined =>
    row && {
      ref: row.ref as Hex,
      rail: row.rail as RailId,
      direction: row.direction as Direction,
      providerRef: row.provider_ref,
      change: decodeChange(JSON.parse(row.change)),
      signatures: row.signatures as Hex,
      digest: row.digest as Hex,
      refundRef: (row.refund_ref ?? undefined) as Hex | undefined,
      fiatAmount: row.fiat_amount ?? undefined,
      createdAt: row.created_at,
    };
  const toParams = (r: AttestationRecord) => ({
    ref: r.ref.toLowerCase(),
    rail: r.rail,
    direction: r.direction,
    provider_ref: r.providerRef,
    change: JSON.stringify(encodeChange(r.change)),
    signatures: r.signatures,
    digest: r.digest,
    refund_ref: r.refundRef?.toLowerCase() ?? null,
    fiat_amount: r.fiatAmount ?? null,
    created_at: r.createdAt,
  });

  const selectByRef = db.prepare<[string], Row>("SELECT * FROM attestations WHERE ref = ?");
  const selectByProvider = db.prepare<[string, string, string], Row>(
    "SELECT * FROM attestations WHERE rail = ? AND direction = ? AND provider_ref = ?",
  );
  const selectByRefund = db.prepare<[string], Row>("SELECT * FROM attestations WHERE refund_ref = ? AND direction = 'payout'");
  const insert = db.prepare(
    `INSERT INTO attestations (ref, rail, direction, provider_ref, change, signatures, digest, refund_ref, fiat_amount, created_at)
     VALUES (@ref, @rail, @direction, @provider_ref, @change, @signatures, @digest, @refund_ref, @fiat_amount, @created_at)`,
  );
  const update = db.prepare(
    `UPDATE attestations SET change = @change, signatures = @signatures, digest = @digest, fiat_amount = @fiat_amount,
       created_at = @created_at WHERE ref = @ref AND digest = @old_digest`,
  );

  const byRef = (ref: Hex) => fromRow(selectByRef.get(ref.toLowerCase()));
  const byProviderRef = (rail: RailId, direction: Direction, providerRef: string) =>
    fromRow(selectByProvider.get(rail, direction, providerRef));

  const record = db.transaction((row: AttestationRecord): RecordOutcome => {
    const existing = byRef(row.ref) ?? byProviderRef(row.rail, row.direction, row.providerRef);
    if (existing) {
      const identical =
        existing.ref === row.ref.toLowerCase() &&
        existing.rail === row.rail &&
        existing.direction === row.direction &&
        existing.providerRef === row.providerRef &&
        sameChange(existing.change, row.change);
      return identical ? { status: "repeat", record: existing } : { status: "conflict", existing };
    }
    insert.run(toParams(row));
    return { status: "recorded", record: byRef(row.ref)! };
  });

  return {
    byRef,
    byProviderRef,
    burnForRefund: (refundRef) => fromRow(selectByRefund.get(refundRef.toLowerCase())),
    record: (row) => record.immediate(row),
    replace: (oldDigest, row) => update.run({ ...toParams(row), old_digest: oldDigest }).changes === 1,
    count: () => (db.prepare("SELECT count(*) AS n FROM attestations").get() as { n: number }).n,
    close: () => db.close(),
  };
}
