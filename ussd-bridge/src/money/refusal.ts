/**
 * What a revert means to a person: the protocol's custom errors, decoded from any contract a vault
 * call reaches (vault, router, pool, oracle, ledger, token), mapped to a `MoneyRefusal`.
 *
 * A revert is a refusal: the call did nothing and the same call would do nothing again. Anything
 * else (a timeout, a dropped connection, a relay error) is not: the operation stays open and is
 * tried again, because nobody knows yet whether it happened.
 */
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type Hex } from "viem";

import {
  attestationLedgerAbi,
  attestedTokenAbi,
  custodialVaultAbi,
  fxOracleAbi,
  liquidityPoolAbi,
  routerAbi,
} from "../../../sdk/abis.generated.js";
import type { MoneyRefusal } from "../ports.js";

/** Every ABI whose errors can bubble up through a vault call: passed to gas estimates so they name them. */
export const PROTOCOL_ERROR_ABIS: readonly Abi[] = [custodialVaultAbi, routerAbi, liquidityPoolAbi, fxOracleAbi, attestationLedgerAbi, attestedTokenAbi];

export interface Revert {
  /** The custom error's name (`InsufficientBalance`), `Error` for a string reason, `Panic`, or `unknown`. */
  name: string;
  args: readonly unknown[];
}

/** The revert inside `error` (through any `cause` chain), or undefined when it is not a revert at all. */
export function revertOf(error: unknown): Revert | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (!(e instanceof BaseError)) continue;
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
    if (reverted.data) return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
    const decoded = decodeWithAny(reverted.raw);
    if (decoded) return decoded;
    if (reverted.reason) return { name: "Error", args: [reverted.reason] };
    return { name: "unknown", args: [] };
  }
  return undefined;
}

function decodeWithAny(data: Hex | undefined): Revert | undefined {
  if (!data || data === "0x") return undefined;
  for (const abi of PROTOCOL_ERROR_ABIS) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      return { name: decoded.errorName, args: decoded.args ?? [] };
    } catch {
      // not this contract's error
    }
  }
  return undefined;
}

const REFUSALS: Record<string, MoneyRefusal> = {
  InsufficientBalance: "insufficient-balance",
  SingleLimitExceeded: "limit-single",
  DailyLimitExceeded: "limit-daily",
  BalanceLimitExceeded: "limit-balance",
  AccountIsFrozen: "account-frozen",
  AccountNotOpen: "account-not-open",
  SelfTransfer: "self-transfer",
  // Router and pool: the output fell below the minimum the person accepted, or the quote ran out.
  InsufficientOutput: "slippage",
  Expired: "slippage",
  // Oracle: the breaker tripped or the rate is too old to trade on.
  FeedHalted: "market-halted",
  RateStale: "market-halted",
  NoValidMedian: "market-halted",
  // Pool: trading limits over its windows, or not enough of the asset to pay out.
  TradingLimitExceeded: "pool-limit",
  InsufficientLiquidity: "pool-limit",
  FeeExceedsAmount: "pool-limit",
  NoRoute: "pool-limit",
  // Attested mints and burns: the statement does not fit the call, or the ledger refuses it.
  StatementMismatch: "invalid-statement",
  MalformedSignatures: "invalid-statement",
  InsufficientSignatures: "invalid-statement",
  SignersNotAscending: "invalid-statement",
  UnknownSigner: "invalid-statement",
  StatementAlreadyUsed: "invalid-statement",
  StatementExpired: "invalid-statement",
  NoFreshReserve: "invalid-statement",
  SupplyExceedsReserve: "invalid-statement",
  WrongStatementKind: "invalid-statement",
  WrongStatementAsset: "invalid-statement",
  CallerNotHolder: "invalid-statement",
  CallerNotAsset: "invalid-statement",
  ECDSAInvalidSignature: "invalid-statement",
  ECDSAInvalidSignatureLength: "invalid-statement",
  ECDSAInvalidSignatureS: "invalid-statement",
};

export function refusalOf(revert: Revert): { reason: MoneyRefusal; detail: string } {
  return { reason: REFUSALS[revert.name] ?? "unknown", detail: describeRevert(revert) };
}

/** `InsufficientBalance(0x…, 0x…, 0, 5000000)`: for the outbox row and operators, never shown on a phone. */
export function describeRevert(revert: Revert): string {
  const args = revert.args.map((a) => (typeof a === "bigint" ? a.toString() : typeof a === "string" ? a : JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v))));
  return `${revert.name}(${args.join(", ")})`;
}

/** Thrown by reads (a quote) that the protocol refuses, with the reason a menu can show. */
export class MoneyRefusalError extends Error {
  constructor(
    readonly reason: MoneyRefusal,
    readonly detail: string,
  ) {
    super(`Refused (${reason}): ${detail}`);
    this.name = "MoneyRefusalError";
  }
}
