/**
 * The project's HTS emulator on the in-process chain: installed at 0x167 as Hedera's token service is,
 * plus builders for createFungibleToken's structs and a token factory that returns the ERC-20 facade.
 */
import hre from "hardhat";
import { zeroAddress, type Address } from "viem";
import type { NetworkConnection } from "hardhat/types/network";

export const HTS_ADDRESS: Address = "0x0000000000000000000000000000000000000167";

/** Hedera response codes (HederaResponseCodes.sol in hashgraph/hedera-smart-contracts). */
export const RC = {
  INVALID_SIGNATURE: 7n,
  UNKNOWN: 21n,
  SUCCESS: 22n,
  INVALID_TOKEN_ID: 167n,
  INVALID_TOKEN_DECIMALS: 168n,
  INVALID_TOKEN_INITIAL_SUPPLY: 169n,
  INVALID_TREASURY_ACCOUNT_FOR_TOKEN: 170n,
  INSUFFICIENT_TOKEN_BALANCE: 178n,
  TOKEN_HAS_NO_SUPPLY_KEY: 180n,
  INVALID_TOKEN_MINT_AMOUNT: 182n,
  INVALID_TOKEN_BURN_AMOUNT: 183n,
  TOKEN_NOT_ASSOCIATED_TO_ACCOUNT: 184n,
  TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT: 194n,
  TRANSACTION_REQUIRES_ZERO_TOKEN_BALANCES: 195n,
  ACCOUNT_IS_TREASURY: 196n,
  INVALID_TOKEN_MAX_SUPPLY: 224n,
  TOKEN_MAX_SUPPLY_REACHED: 236n,
  SPENDER_DOES_NOT_HAVE_ALLOWANCE: 292n,
  AMOUNT_EXCEEDS_ALLOWANCE: 293n,
} as const;

/** Token key type bit flags. */
export const KEY = { ADMIN: 1n, KYC: 2n, FREEZE: 4n, WIPE: 8n, SUPPLY: 16n, FEE: 32n, PAUSE: 64n } as const;

export const MAX_INT64 = 2n ** 63n - 1n;

type KeyValue = {
  inheritAccountKey: boolean;
  contractId: Address;
  ed25519: `0x${string}`;
  ECDSA_secp256k1: `0x${string}`;
  delegatableContractId: Address;
};

const noKey: KeyValue = {
  inheritAccountKey: false,
  contractId: zeroAddress,
  ed25519: "0x",
  ECDSA_secp256k1: "0x",
  delegatableContractId: zeroAddress,
};

export const contractKey = (keyType: bigint, contractId: Address) => ({ keyType, key: { ...noKey, contractId } });
export const delegatableKey = (keyType: bigint, delegatableContractId: Address) => ({
  keyType,
  key: { ...noKey, delegatableContractId },
});
export const inheritedKey = (keyType: bigint) => ({ keyType, key: { ...noKey, inheritAccountKey: true } });
/** A compressed secp256k1 public key: a key only a signature satisfies, never a contract. */
export const ecdsaKey = (keyType: bigint) => ({
  keyType,
  key: { ...noKey, ECDSA_secp256k1: `0x02${"11".repeat(32)}` as `0x${string}` },
});

export type TokenKey = ReturnType<typeof contractKey>;

export function hederaToken(
  treasury: Address,
  tokenKeys: TokenKey[],
  overrides: Partial<{ name: string; symbol: string; finite: boolean; maxSupply: bigint }> = {},
) {
  return {
    name: overrides.name ?? "Compliant Naira",
    symbol: overrides.symbol ?? "cNGN",
    treasury,
    memo: "JuaPesa test token",
    tokenSupplyType: overrides.finite ?? false,
    maxSupply: overrides.maxSupply ?? 0n,
    freezeDefault: false,
    tokenKeys,
    expiry: { second: 0n, autoRenewAccount: zeroAddress, autoRenewPeriod: 0n },
  };
}

/** Puts the emulator's runtime code at 0x167 and returns it typed. */
export async function installHts(conn: NetworkConnection) {
  const artifact = await hre.artifacts.readArtifact("HederaTokenServiceEmulator");
  await conn.networkHelpers.setCode(HTS_ADDRESS, artifact.deployedBytecode);
  return conn.viem.getContractAt("HederaTokenServiceEmulator", HTS_ADDRESS);
}

/**
 * Creates a fungible token (6 decimals unless told) and returns its facade. The creator pays nothing:
 * the emulator does not charge HBAR.
 */
export async function createToken(
  conn: NetworkConnection,
  token: ReturnType<typeof hederaToken>,
  initialSupply = 0n,
  decimals = 6,
) {
  const hts = await conn.viem.getContractAt("HederaTokenServiceEmulator", HTS_ADDRESS);
  const { result } = await hts.simulate.createFungibleToken([token, initialSupply, decimals]);
  const [code, address] = result;
  if (code !== RC.SUCCESS) throw new Error(`createFungibleToken answered ${code}`);
  await hts.write.createFungibleToken([token, initialSupply, decimals]);
  return conn.viem.getContractAt("HtsFacadeToken", address);
}
