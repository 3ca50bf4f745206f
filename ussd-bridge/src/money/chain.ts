/**
 * viem clients for the bridge, from its configuration: one public client for reads and receipts,
 * the operator's wallet, and the compliance officer's wallet when that role has its own key.
 */
import { createPublicClient, createWalletClient, defineChain, http, type Chain, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat, hedera, hederaTestnet } from "viem/chains";

import type { BridgeConfig } from "../config.js";
import { DEFAULT_POLL_MS } from "./receipts.js";

const KNOWN: readonly Chain[] = [hardhat, hedera, hederaTestnet];

export interface BridgeChain {
  public: PublicClient;
  wallet: WalletClient;
  /** Only when JUAPESA_COMPLIANCE_KEY differs from the operator key. */
  complianceWallet?: WalletClient;
}

export function connectChain(config: BridgeConfig["chain"]): BridgeChain {
  const chain =
    KNOWN.find((c) => c.id === config.chainId) ??
    defineChain({ id: config.chainId, name: `chain ${config.chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [config.rpcUrl] } } });
  // Few, quick retries: a revert some nodes report as an internal error would otherwise be retried
  // with backoff for about a second, most of a USSD budget, before the person hears why.
  const transport = http(config.rpcUrl, { retryCount: 1, retryDelay: 100, timeout: 10_000 });
  const operator = privateKeyToAccount(config.operatorKey);
  return {
    public: createPublicClient({ chain, transport, pollingInterval: DEFAULT_POLL_MS }) as PublicClient,
    wallet: createWalletClient({ account: operator, chain, transport }),
    complianceWallet: config.complianceKey.toLowerCase() === config.operatorKey.toLowerCase() ? undefined : createWalletClient({ account: privateKeyToAccount(config.complianceKey), chain, transport }),
  };
}
