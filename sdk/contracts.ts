/** Typed viem contract instances for a deployment. ABIs come from sdk/abis.generated.ts (npm run build). */
import { getContract, type PublicClient, type WalletClient } from "viem";

import {
  attestationLedgerAbi,
  attestedTokenAbi,
  custodialVaultAbi,
  fxOracleAbi,
  liquidityPoolAbi,
  routerAbi,
} from "./abis.generated.js";
import type { Deployment } from "./deployments.js";

export interface ProtocolClients {
  public: PublicClient;
  wallet: WalletClient;
}

export function protocolContracts(deployment: Deployment, client: ProtocolClients) {
  return {
    ledger: getContract({ abi: attestationLedgerAbi, address: deployment.ledger, client }),
    oracle: getContract({ abi: fxOracleAbi, address: deployment.oracle, client }),
    pool: getContract({ abi: liquidityPoolAbi, address: deployment.pool, client }),
    router: getContract({ abi: routerAbi, address: deployment.router, client }),
    vault: getContract({ abi: custodialVaultAbi, address: deployment.vault, client }),
    tokens: {
      cNGN: getContract({ abi: attestedTokenAbi, address: deployment.cNGN, client }),
      USDC: getContract({ abi: attestedTokenAbi, address: deployment.USDC, client }),
      XAUt: getContract({ abi: attestedTokenAbi, address: deployment.XAUt, client }),
    },
  };
}

export type ProtocolContracts = ReturnType<typeof protocolContracts>;
