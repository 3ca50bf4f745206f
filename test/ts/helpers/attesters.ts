/**
 * Deterministic test attesters and helpers to sign and submit statements against a deployed ledger.
 * Keys are derived from labels so failures reproduce; they guard nothing outside a test chain.
 */
import { keccak256, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import {
  signStatement,
  SupplyChangeKind,
  type LedgerDomain,
  type ReserveReport,
  type SupplyChange,
} from "../../../sdk/attestation.js";

export function testAccount(label: string): PrivateKeyAccount {
  return privateKeyToAccount(keccak256(toHex(`juapesa-test:${label}`)));
}

/** Three attesters sorted by address, so tests can pick "the first two" and know the order. */
export function testAttesters(count = 3): PrivateKeyAccount[] {
  return Array.from({ length: count }, (_, i) => testAccount(`attester-${i}`)).sort((a, b) =>
    BigInt(a.address) < BigInt(b.address) ? -1 : 1,
  );
}

export const ref = (label: string): Hex => keccak256(toHex(label));

let nonceCounter = 0n;
export const nextNonce = () => ++nonceCounter;

export function reserveReport(asset: Address, reserve: bigint, asOf: bigint): ReserveReport {
  return { asset, reserve, asOf, custodianRef: ref(`custodian-statement-${asOf}`), nonce: nextNonce() };
}

export function supplyChange(
  kind: SupplyChangeKind,
  asset: Address,
  holder: Address,
  amount: bigint,
  deadline: bigint,
  account: Hex = `0x${"00".repeat(32)}`,
): SupplyChange {
  return { kind, asset, holder, account, amount, ref: ref(`receipt-${nextNonce()}`), nonce: nextNonce(), deadline };
}

export const sign = signStatement;
export type { LedgerDomain };
export { SupplyChangeKind };
