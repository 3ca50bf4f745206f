/**
 * The vault call for each kind of operation, and the event by which the vault records it.
 * One place maps an outbox request to `CustodialVault` (ICustodialVault.sol).
 */
import { parseEventLogs, type Address, type Log, type PublicClient } from "viem";

import { custodialVaultAbi } from "../../../sdk/abis.generated.js";
import type { Deployment } from "../../../sdk/deployments.js";
import type { OpKind, OpRequest } from "./outbox.js";
import type { Quoter } from "./quote.js";
import type { ContractCall } from "./sender.js";

/** The vault call that executes `request` as operation `opId`. A convert takes the best route at the time of the send. */
export async function vaultCall(vault: Address, opId: bigint, request: OpRequest, quoter: Quoter, symbolOf: (token: Address) => Parameters<Quoter["bestRoute"]>[0]): Promise<ContractCall> {
  const call = (functionName: string, args: readonly unknown[]): ContractCall => ({ address: vault, abi: custodialVaultAbi, functionName, args });
  switch (request.kind) {
    case "transfer":
      return call("transfer", [opId, request.from, request.to, request.asset, request.amount]);
    case "convert": {
      const route = await quoter.bestRoute(symbolOf(request.tokenIn), symbolOf(request.tokenOut), request.amountIn);
      return call("convert", [opId, request.account, route.tokens, route.pools, request.amountIn, request.minAmountOut, request.deadline]);
    }
    case "credit":
    case "refund":
      return call("credit", [opId, request.account, request.change, request.signatures]);
    case "debit":
      return call("debit", [opId, request.account, request.change, request.signatures]);
  }
}

const EVENT_OF = { transfer: "Transferred", convert: "Converted", credit: "Credited", refund: "Credited", debit: "Debited" } as const satisfies Record<OpKind, string>;

export interface Execution {
  txHash: `0x${string}`;
  /** What a convert paid out. */
  amountOut?: bigint;
}

/** The execution of `opId` among a receipt's logs. */
export function executionInLogs(kind: OpKind, opId: bigint, logs: Log[]): Execution | undefined {
  const events = parseEventLogs({ abi: custodialVaultAbi, logs, eventName: EVENT_OF[kind] });
  const event = events.find((e) => e.args.opId === opId);
  if (!event) return undefined;
  return { txHash: event.transactionHash, ...("amountOut" in event.args ? { amountOut: event.args.amountOut } : {}) };
}

/** The execution of `opId`, searched in the vault's events from `fromBlock`. */
export async function findExecution(client: PublicClient, deployment: Deployment, kind: OpKind, opId: bigint, fromBlock: bigint): Promise<Execution | undefined> {
  const logs = await client.getContractEvents({ address: deployment.vault, abi: custodialVaultAbi, eventName: EVENT_OF[kind], args: { opId }, fromBlock, toBlock: "latest" });
  return executionInLogs(kind, opId, logs as Log[]);
}
