/**
 * The viem chain for a chain id and RPC URL, for every process that reads its configuration from the
 * environment (bridge, reserve attester, keeper): viem's own definition when it knows the chain
 * (Hardhat, Hedera mainnet and testnet), else a plain one with the id and URL.
 */
import { defineChain, type Chain } from "viem";
import { hardhat, hedera, hederaTestnet } from "viem/chains";

const KNOWN: readonly Chain[] = [hardhat, hedera, hederaTestnet];

export function chainFor(chainId: number, rpcUrl: string): Chain {
  return (
    KNOWN.find((c) => c.id === chainId) ??
    defineChain({ id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } })
  );
}
