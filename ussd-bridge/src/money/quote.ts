/**
 * Quotes and convert routes, from the Router's `bestQuote` (single- or two-hop, best output).
 *
 * When no route quotes, the Router only says `NoRoute`: it swallows each pool's reason. A person
 * deserves to know whether the market is halted or the pool is at its limit, so the pools are then
 * asked directly and the first reason they give is the refusal.
 */
import type { Address, Hex, PublicClient } from "viem";

import { liquidityPoolAbi, routerAbi } from "../../../sdk/abis.generated.js";
import type { Deployment } from "../../../sdk/deployments.js";
import type { AssetSymbol, Quote } from "../ports.js";
import { MoneyRefusalError, refusalOf, revertOf, type Revert } from "./refusal.js";

export interface Route {
  amountOut: bigint;
  tokens: Address[];
  pools: Address[];
}

export function createQuoter(client: PublicClient, deployment: Deployment) {
  async function bestRoute(from: AssetSymbol, to: AssetSymbol, amountIn: bigint): Promise<Route> {
    if (amountIn <= 0n) throw new MoneyRefusalError("unknown", "the amount to convert must be more than zero");
    const tokenIn = deployment[from];
    const tokenOut = deployment[to];
    try {
      const [amountOut, tokens, pools] = await client.readContract({ address: deployment.router, abi: routerAbi, functionName: "bestQuote", args: [tokenIn, tokenOut, amountIn] });
      return { amountOut, tokens: [...tokens], pools: [...pools] };
    } catch (error) {
      const revert = revertOf(error);
      if (!revert) throw error;
      const why = revert.name === "NoRoute" ? ((await poolReason(tokenIn, tokenOut, amountIn)) ?? revert) : revert;
      const { reason, detail } = refusalOf(why);
      throw new MoneyRefusalError(reason, detail);
    }
  }

  /** The first pool's own refusal of this swap, when the Router found no route. */
  async function poolReason(tokenIn: Address, tokenOut: Address, amountIn: bigint): Promise<Revert | undefined> {
    const pools = await client.readContract({ address: deployment.router, abi: routerAbi, functionName: "pools" });
    for (const pool of pools) {
      try {
        await client.readContract({ address: pool, abi: liquidityPoolAbi, functionName: "quote", args: [tokenIn, tokenOut, amountIn] });
      } catch (error) {
        const revert = revertOf(error);
        if (revert && revert.name !== "UnknownAsset") return revert;
      }
    }
    return undefined;
  }

  return {
    bestRoute,

    /**
     * The best route's output and its fee in `from` units. Each hop's pool reports the fee it keeps in
     * its output asset; the share of value each hop keeps, multiplied along the route, gives the fee
     * as a share of `amountIn`.
     */
    async quote(from: AssetSymbol, to: AssetSymbol, amountIn: bigint): Promise<Quote> {
      const route = await bestRoute(from, to, amountIn);
      let amount = amountIn;
      let kept = 1n;
      let gross = 1n;
      for (const [i, pool] of route.pools.entries()) {
        const [out, fee] = await client.readContract({ address: pool, abi: liquidityPoolAbi, functionName: "quote", args: [route.tokens[i]!, route.tokens[i + 1]!, amount] });
        kept *= out;
        gross *= out + fee;
        amount = out;
      }
      const fee = gross === 0n ? 0n : amountIn - (amountIn * kept) / gross;
      return { from, to, amountIn, amountOut: route.amountOut, fee, pools: route.pools as Hex[], tokens: route.tokens as Hex[] };
    },
  };
}

export type Quoter = ReturnType<typeof createQuoter>;
