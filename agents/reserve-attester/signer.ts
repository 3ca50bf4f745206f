/**
 * The attester's keys and how it signs: `threshold` of the keys it holds sign each statement, packed in
 * the ledger's order (sdk/attestation.ts). A real deployment gives each attester to a different
 * operator; the development stack holds them together so one process can reach the threshold.
 */
import { hashTypedData, type Hex, type PrivateKeyAccount } from "viem";

import {
  ledgerDomain,
  signStatement,
  statementTypes,
  type LedgerDomain,
  type ReserveReport,
  type SupplyChange,
} from "../../sdk/attestation.js";

export interface StatementSigner {
  addresses: readonly Hex[];
  threshold: number;
  domain: LedgerDomain;
  signSupplyChange(change: SupplyChange): Promise<Hex>;
  signReserveReport(report: ReserveReport): Promise<Hex>;
  /** The statement's EIP-712 digest: its id on the ledger. */
  supplyChangeDigest(change: SupplyChange): Hex;
}

export function createStatementSigner(options: { accounts: readonly PrivateKeyAccount[]; threshold: number; domain: LedgerDomain }): StatementSigner {
  const { accounts, threshold, domain } = options;
  if (!Number.isInteger(threshold) || threshold < 1) throw new Error(`The signing threshold must be a positive integer, got ${threshold}.`);
  if (accounts.length < threshold) {
    throw new Error(`The attester holds ${accounts.length} key(s) but the ledger needs ${threshold} signatures: set JUAPESA_ATTESTER_KEYS.`);
  }
  const signers = accounts.slice(0, threshold);
  return {
    addresses: signers.map((a) => a.address),
    threshold,
    domain,
    signSupplyChange: (change) => signStatement(signers, domain, "SupplyChange", change),
    signReserveReport: (report) => signStatement(signers, domain, "ReserveReport", report),
    supplyChangeDigest: (change) =>
      hashTypedData({ domain: ledgerDomain(domain), types: statementTypes, primaryType: "SupplyChange", message: change }),
  };
}
