/**
 * What the attester reads from and sends to the AttestationLedger: whether a statement was used, the
 * chain's time, the reserve rules (max age, latest report), and reserve-report submissions with the
 * estimate-plus-margin gas limit every JuaPesa sender uses (sdk/gas.ts).
 */
import type { Address, Chain, Hex, PublicClient, Transport, WalletClient, Account } from "viem";

import { attestationLedgerAbi, attestedTokenAbi } from "../../sdk/abis.generated.js";
import type { ReserveReport } from "../../sdk/attestation.js";
import { gasLimitFor } from "../../sdk/gas.js";

export interface LedgerGateway {
  address: Address;
  threshold(): Promise<number>;
  isAttester(address: Address): Promise<boolean>;
  isStatementUsed(digest: Hex): Promise<boolean>;
  chainTime(): Promise<bigint>;
  maxReserveAge(): Promise<bigint>;
  latestReserve(asset: Address): Promise<{ reserve: bigint; asOf: bigint; fresh: boolean }>;
  totalSupply(asset: Address): Promise<bigint>;
  submitReserveReport(report: ReserveReport, signatures: Hex): Promise<Hex>;
}

export function createLedgerGateway(options: {
  address: Address;
  publicClient: PublicClient;
  /** Pays for reserve-report submissions (anyone may submit a signed report). */
  walletClient?: WalletClient<Transport, Chain | undefined, Account>;
}): LedgerGateway {
  const { address, publicClient, walletClient } = options;
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    publicClient.readContract({ address, abi: attestationLedgerAbi, functionName, args } as never) as Promise<T>;
  return {
    address,
    threshold: async () => Number(await read<bigint>("threshold")),
    isAttester: (who) => read<boolean>("isAttester", [who]),
    isStatementUsed: (digest) => read<boolean>("isStatementUsed", [digest]),
    chainTime: async () => (await publicClient.getBlock({ blockTag: "latest" })).timestamp,
    maxReserveAge: () => read<bigint>("maxReserveAge"),
    latestReserve: async (asset) => {
      const [reserve, asOf, fresh] = await read<readonly [bigint, bigint, boolean]>("latestReserve", [asset]);
      return { reserve, asOf: BigInt(asOf), fresh };
    },
    totalSupply: (asset) => publicClient.readContract({ address: asset, abi: attestedTokenAbi, functionName: "totalSupply" }),
    async submitReserveReport(report, signatures) {
      if (!walletClient) throw new Error("No wallet to submit reserve reports: set JUAPESA_REPORTER_KEY.");
      const request = { address, abi: attestationLedgerAbi, functionName: "submitReserveReport", args: [report, signatures], account: walletClient.account } as const;
      const gas = await gasLimitFor(publicClient, request);
      const hash = await walletClient.writeContract({ ...request, gas, chain: walletClient.chain });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`Reserve report transaction ${hash} reverted.`);
      return hash;
    },
  };
}
