/**
 * Hedera networks as JuaPesa's off-chain tools address them: chain id, JSON-RPC relay, mirror node,
 * and the conversions between Hedera entity ids (shard.realm.num) and their long-zero EVM addresses.
 * Plain data and viem only, so any off-chain part can import it without the Hedera SDK.
 */
import { getAddress, type Address } from "viem";

export const HEDERA_NETWORK_NAMES = ["testnet", "mainnet", "previewnet", "local"] as const;
export type HederaNetworkName = (typeof HEDERA_NETWORK_NAMES)[number];

export interface HederaNetwork {
  name: HederaNetworkName;
  chainId: number;
  /** Environment variable that overrides the relay URL (the same names hardhat.config.ts reads). */
  rpcUrlEnv: string;
  /** Public relay used when the variable is unset. Hashio is rate limited and meant for development. */
  defaultRpcUrl: string;
  mirrorNodeUrl: string;
}

export const HEDERA_NETWORKS: Record<HederaNetworkName, HederaNetwork> = {
  mainnet: {
    name: "mainnet",
    chainId: 295,
    rpcUrlEnv: "HEDERA_MAINNET_RPC_URL",
    defaultRpcUrl: "https://mainnet.hashio.io/api",
    mirrorNodeUrl: "https://mainnet.mirrornode.hedera.com",
  },
  testnet: {
    name: "testnet",
    chainId: 296,
    rpcUrlEnv: "HEDERA_TESTNET_RPC_URL",
    defaultRpcUrl: "https://testnet.hashio.io/api",
    mirrorNodeUrl: "https://testnet.mirrornode.hedera.com",
  },
  previewnet: {
    name: "previewnet",
    chainId: 297,
    rpcUrlEnv: "HEDERA_PREVIEWNET_RPC_URL",
    defaultRpcUrl: "https://previewnet.hashio.io/api",
    mirrorNodeUrl: "https://previewnet.mirrornode.hedera.com",
  },
  // hiero-local-node's defaults: relay on 7546, mirror REST on 5551.
  local: {
    name: "local",
    chainId: 298,
    rpcUrlEnv: "HEDERA_LOCAL_RPC_URL",
    defaultRpcUrl: "http://localhost:7546",
    mirrorNodeUrl: "http://localhost:5551",
  },
};

export class UnknownHederaNetworkError extends Error {
  constructor(readonly value: string) {
    super(`HEDERA_NETWORK=${value} is not a Hedera network; use one of ${HEDERA_NETWORK_NAMES.join(", ")}.`);
    this.name = "UnknownHederaNetworkError";
  }
}

/** The network HEDERA_NETWORK names (testnet when unset: the safe default for tooling). */
export function hederaNetwork(name: string | undefined = process.env.HEDERA_NETWORK): HederaNetwork {
  const key = (name ?? "testnet").trim().toLowerCase();
  if (!(HEDERA_NETWORK_NAMES as readonly string[]).includes(key)) throw new UnknownHederaNetworkError(name ?? "");
  return HEDERA_NETWORKS[key as HederaNetworkName];
}

/** The relay URL for a network: its environment variable, else the public default. */
export function hederaRpcUrl(network: HederaNetwork, env: NodeJS.ProcessEnv = process.env): string {
  return env[network.rpcUrlEnv] || network.defaultRpcUrl;
}

/** Circle's native USDC on Hedera mainnet (an HTS token, 6 decimals); JuaPesa never issues its own there. */
export const MAINNET_USDC_TOKEN_ID = "0.0.456858";

/** Hedera's default and JuaPesa's choice for tokens and topics: 90 days. */
export const AUTO_RENEW_PERIOD_SECONDS = 7_776_000;

const ENTITY_ID = /^(\d+)\.(\d+)\.(\d+)$/;

/** "0.0.456858" → 0x000…06f89a: the long-zero EVM address of an entity (token, account, contract). */
export function entityIdToAddress(id: string): Address {
  const match = ENTITY_ID.exec(id.trim());
  if (!match) throw new Error(`${id} is not a Hedera entity id (shard.realm.num)`);
  const [shard, realm, num] = match.slice(1).map((part) => BigInt(part)) as [bigint, bigint, bigint];
  if (shard >= 1n << 32n || realm >= 1n << 64n || num >= 1n << 64n) throw new Error(`${id} is out of range`);
  const hex = shard.toString(16).padStart(8, "0") + realm.toString(16).padStart(16, "0") + num.toString(16).padStart(16, "0");
  return getAddress(`0x${hex}`);
}

/**
 * The entity id behind a long-zero address, or undefined for an EVM-derived address (a contract
 * created through the relay, an ECDSA alias), whose id only the mirror node knows.
 */
export function addressToEntityId(address: Address): string | undefined {
  const hex = getAddress(address).slice(2);
  const shard = BigInt(`0x${hex.slice(0, 8)}`);
  const realm = BigInt(`0x${hex.slice(8, 24)}`);
  const num = BigInt(`0x${hex.slice(24)}`);
  // Long-zero addresses keep shard and realm small; anything else is a keccak-derived address.
  if (shard > 0xffffn || realm > 0xffffn || num >= 1n << 63n) return undefined;
  return `${shard}.${realm}.${num}`;
}
