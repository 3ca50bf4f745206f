/**
 * viem clients for the bridge, from its configuration: one public client for reads and receipts,
 * the operator's wallet, and the compliance officer's wallet when that role has its own key.
 */
import { createPublicClient, createWalletClient, http, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { chainFor } from "../../../sdk/chain.js";
import type { BridgeConfig } from "../config.js";
import { DEFAULT_POLL_MS } from "./receipts.js";

export interface BridgeChain {
  public: PublicClient;
  wallet: WalletClient;
  /** Only when JUAPESA_COMPLIANCE_KEY differs from the operator key. */
  complianceWallet?: WalletClient;
}

export function connectChain(config: BridgeConfig["chain"]): BridgeChain {
  const chain = chainFor(config.chainId, config.rpcUrl);
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
