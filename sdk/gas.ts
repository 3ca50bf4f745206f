/**
 * Gas limits for every transaction JuaPesa's off-chain parts send: eth_estimateGas plus a small
 * margin, never a large constant.
 *
 * Why not a generous fixed limit, as is harmless on Ethereum: Hedera has billed a large share of
 * the gas *limit* whether used or not. Until HIP-1249 the "80 % minimum charge rule" billed at
 * least 80 % of a transaction's gas limit regardless of actual usage (hedera.com/blog,
 * "HIP-1249: Enhanced smart contracts on Hedera with precise throttling", 2026-01-14). Hedera's
 * EVM documentation now says that following HIP-1249 Hedera has "eliminated minimum gas charges"
 * (docs.hedera.com/evm/development/gas-fees.md, Gas and Fees, note on HIP-1249). A tight limit is
 * right under both rules: under the old one every unused unit of the limit cost 80 % of a used one,
 * under the new one it costs nothing and still counts against the network's per-transaction cap.
 * Which rule a given network runs is a release matter: re-measure on testnet before quoting fees.
 *
 * Why a larger margin for HTS paths: calls into the token service (0x167) are priced from the
 * native transaction's USD fee converted to gas (+20 %), at an exchange rate that can move between
 * estimate and execution, and the relay's estimate is known to come in low on HTS paths — an HTS
 * transfer that creates a hollow account failed with INSUFFICIENT_GAS at a 750,000 limit and went
 * through at 800,000 (hiero-ledger/hiero-json-rpc-relay#3576); the mirror node estimated a hollow
 * account creation 16 % low (hiero-ledger/hiero-mirror-node#12907).
 */
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type DecodeErrorResultReturnType, type Hex, type Address, type Chain, type Client, type ContractFunctionArgs, type ContractFunctionName, type EstimateContractGasParameters, type EstimateGasParameters, type Transport } from "viem";
import { estimateContractGas, estimateGas } from "viem/actions";

/** 20 %: covers state drift between estimate and execution for plain EVM calls. */
export const DEFAULT_MARGIN_BPS = 2_000;
/** 50 %: for calls that reach the token service (mint, burn, associate, transfers of HTS tokens). */
export const HTS_MARGIN_BPS = 5_000;
/** A margin above 100 % would be a guess, not a margin: refuse it. */
export const MAX_MARGIN_BPS = 10_000;
/** However large the call, never reserve more than this on top of the estimate. */
export const MAX_MARGIN_GAS = 1_000_000n;
/** Hedera's per-transaction gas limit, which the relay enforces (hashgraph/hedera-json-rpc-relay v0.8.0 notes). */
export const HEDERA_MAX_GAS_PER_TRANSACTION = 15_000_000n;

export interface GasMarginOptions {
  /** Margin over the estimate in basis points (default 20 %, or 50 % with `hts`); at most 100 %. */
  marginBps?: number;
  /** The call reaches the token service: take HTS_MARGIN_BPS unless marginBps says otherwise. */
  hts?: boolean;
  /** Absolute cap on the margin (default MAX_MARGIN_GAS). */
  maxMarginGas?: bigint;
  /** Cap on the limit itself (default HEDERA_MAX_GAS_PER_TRANSACTION). */
  maxGas?: bigint;
}

export interface GasLimitOptions extends GasMarginOptions {
  /** ABIs of contracts the call reaches, so an error bubbling up from them is named too. */
  errorAbis?: readonly Abi[];
}

export class GasEstimateError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Gas estimate for ${target} failed: the call would revert with ${reason}. Nothing was sent.`, options);
    this.name = "GasEstimateError";
  }
}

export class GasLimitExceededError extends Error {
  constructor(
    readonly target: string,
    readonly estimate: bigint,
    readonly maxGas: bigint,
  ) {
    super(`Gas estimate for ${target} is ${estimate}, above the ${maxGas} a transaction may use. Split the work.`);
    this.name = "GasLimitExceededError";
  }
}

/** The estimate plus the margin, capped: what a caller passes as `gas`. */
export function withMargin(estimate: bigint, options: GasMarginOptions = {}): bigint {
  const bps = options.marginBps ?? (options.hts ? HTS_MARGIN_BPS : DEFAULT_MARGIN_BPS);
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_MARGIN_BPS) {
    throw new RangeError(`Gas margin of ${bps} bps is outside 0..${MAX_MARGIN_BPS}`);
  }
  const margin = min((estimate * BigInt(bps)) / 10_000n, options.maxMarginGas ?? MAX_MARGIN_GAS);
  return min(estimate + margin, options.maxGas ?? HEDERA_MAX_GAS_PER_TRANSACTION);
}

type GasRequest<abi extends Abi | readonly unknown[], functionName extends ContractFunctionName<abi, "nonpayable" | "payable">, args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>, chain extends Chain | undefined> =
  | EstimateContractGasParameters<abi, functionName, args, chain>
  | EstimateGasParameters<chain>;

/**
 * eth_estimateGas for `request` (a contract call with its ABI, so reverts decode to the custom error,
 * or a raw transaction) plus the margin. Throws GasEstimateError when the call would revert, and
 * GasLimitExceededError when even the estimate is above what a transaction may use.
 */
export async function gasLimitFor<
  const abi extends Abi | readonly unknown[],
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
  chain extends Chain | undefined,
>(
  client: Client<Transport, chain>,
  request: GasRequest<abi, functionName, args, chain>,
  options: GasLimitOptions = {},
): Promise<bigint> {
  const target = describe(request);
  let estimate: bigint;
  try {
    estimate =
      "abi" in request
        ? await estimateContractGas(client, request as EstimateContractGasParameters<abi, functionName, args, chain>)
        : await estimateGas(client, request);
  } catch (error) {
    throw new GasEstimateError(target, revertReason(error, options.errorAbis ?? []), { cause: error });
  }
  const maxGas = options.maxGas ?? HEDERA_MAX_GAS_PER_TRANSACTION;
  if (estimate > maxGas) throw new GasLimitExceededError(target, estimate, maxGas);
  return withMargin(estimate, options);
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

function describe(request: { to?: Address | null } | { address: Address; functionName: string }): string {
  if ("functionName" in request) return `${request.functionName} on ${request.address}`;
  return request.to ? `a call to ${request.to}` : "a contract creation";
}

function revertReason(error: unknown, errorAbis: readonly Abi[]): string {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const decoded = reverted.data ?? decodeWithAny(reverted.raw, errorAbis);
      if (decoded) {
        const args = (decoded.args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : JSON.stringify(a)));
        return `${decoded.errorName}(${args.join(", ")})`;
      }
      if (reverted.reason) return `"${reverted.reason}"`;
      if (reverted.signature) return `an unknown error ${reverted.signature} (pass errorAbis to name it)`;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

function decodeWithAny(data: Hex | undefined, abis: readonly Abi[]): DecodeErrorResultReturnType | undefined {
  if (!data || data === "0x") return undefined;
  for (const abi of abis) {
    try {
      return decodeErrorResult({ abi, data });
    } catch {
      // not this contract's error; try the next ABI
    }
  }
  return undefined;
}

/** 1 tinybar = 10^10 weibar: the relay reports values and gas prices in weibar (HIP-410). */
export const WEIBAR_PER_TINYBAR = 10_000_000_000n;

export type TinybarRounding = "exact" | "floor" | "ceil";

/**
 * Weibar → tinybar. "exact" (the default) refuses an amount that is not a whole number of tinybars,
 * because Hedera cannot move a fraction of a tinybar and silently dropping it would lose value.
 */
export function weibarToTinybar(weibar: bigint, rounding: TinybarRounding = "exact"): bigint {
  if (weibar < 0n) throw new RangeError(`negative amount: ${weibar} weibar`);
  const tinybar = weibar / WEIBAR_PER_TINYBAR;
  const remainder = weibar % WEIBAR_PER_TINYBAR;
  if (remainder === 0n) return tinybar;
  if (rounding === "exact") throw new RangeError(`${weibar} weibar is not a whole number of tinybars`);
  return rounding === "ceil" ? tinybar + 1n : tinybar;
}

export function tinybarToWeibar(tinybar: bigint): bigint {
  if (tinybar < 0n) throw new RangeError(`negative amount: ${tinybar} tinybar`);
  return tinybar * WEIBAR_PER_TINYBAR;
}
