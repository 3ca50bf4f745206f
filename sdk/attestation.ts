/**
 * The attestation statements, in one place: EIP-712 domain and types exactly as
 * contracts/AttestationLedger.sol hashes them, and the signature layout it reads
 * (65-byte r‖s‖v signatures concatenated, ordered by signer address, strictly ascending).
 */
import { concat, type Address, type Hex, type LocalAccount } from "viem";

export const LEDGER_DOMAIN_NAME = "JuaPesa AttestationLedger";
export const LEDGER_DOMAIN_VERSION = "1";

export const SupplyChangeKind = { Mint: 0, Burn: 1 } as const;
export type SupplyChangeKind = (typeof SupplyChangeKind)[keyof typeof SupplyChangeKind];

export type ReserveReport = {
  asset: Address;
  reserve: bigint;
  asOf: bigint;
  custodianRef: Hex;
  nonce: bigint;
}

export type SupplyChange = {
  kind: SupplyChangeKind;
  asset: Address;
  holder: Address;
  account: Hex;
  amount: bigint;
  ref: Hex;
  nonce: bigint;
  deadline: bigint;
};

export const statementTypes = {
  ReserveReport: [
    { name: "asset", type: "address" },
    { name: "reserve", type: "uint256" },
    { name: "asOf", type: "uint64" },
    { name: "custodianRef", type: "bytes32" },
    { name: "nonce", type: "uint256" },
  ],
  SupplyChange: [
    { name: "kind", type: "uint8" },
    { name: "asset", type: "address" },
    { name: "holder", type: "address" },
    { name: "account", type: "bytes32" },
    { name: "amount", type: "uint256" },
    { name: "ref", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

export interface LedgerDomain {
  chainId: number;
  verifyingContract: Address;
}

export function ledgerDomain({ chainId, verifyingContract }: LedgerDomain) {
  return { name: LEDGER_DOMAIN_NAME, version: LEDGER_DOMAIN_VERSION, chainId, verifyingContract } as const;
}

export interface SignedBy {
  signer: Address;
  signature: Hex;
}

/** Concatenates signatures in the order the ledger requires: by signer address, ascending. */
export function packSignatures(signed: readonly SignedBy[]): Hex {
  const sorted = [...signed].sort((a, b) => compareAddresses(a.signer, b.signer));
  return sorted.length === 0 ? "0x" : concat(sorted.map((s) => s.signature));
}

export function compareAddresses(a: Address, b: Address): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

interface StatementMessages {
  ReserveReport: ReserveReport;
  SupplyChange: SupplyChange;
}

/** Has every signer sign the statement and packs the signatures as the ledger reads them. */
export async function signStatement<K extends keyof StatementMessages>(
  signers: readonly LocalAccount[],
  domain: LedgerDomain,
  primaryType: K,
  message: StatementMessages[K],
): Promise<Hex> {
  const signed = await Promise.all(
    signers.map(async (account) => ({
      signer: account.address,
      // viem cannot narrow a generic primaryType to its message type; the two are tied by StatementMessages.
      signature: await account.signTypedData({
        domain: ledgerDomain(domain),
        types: statementTypes,
        primaryType,
        message,
      } as unknown as Parameters<LocalAccount["signTypedData"]>[0]),
    })),
  );
  return packSignatures(signed);
}
