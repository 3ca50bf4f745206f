/**
 * The keeper put together and served: allowances for the pools (the keeper brings tokens in with
 * transferFrom), start-up reconciliation of what a previous process left in flight, the HTTP API on
 * loopback, and the loop (a tick, then the next one `intervalMs` after it ends, so ticks never overlap).
 */
import { serve, type ServerType } from "@hono/node-server";
import { erc20Abi, type Address } from "viem";
import type { AddressInfo } from "node:net";

import { gasLimitFor } from "../../sdk/gas.js";
import { keeperApp } from "./app.js";
import { createKeeper, type Keeper, type KeeperOptions } from "./keeper.js";

/** HTS keeps allowances as int64; an "unlimited" approval larger than that is refused there (see CustodialVault). */
const MAX_ALLOWANCE = (1n << 63n) - 1n;

export interface RunningKeeper {
  keeper: Keeper;
  url: string;
  stop(): Promise<void>;
}

export async function startKeeper(options: KeeperOptions & { token: string; hostname?: string; port?: number; intervalMs?: number }): Promise<RunningKeeper> {
  const keeper = createKeeper(options);
  const log = options.log ?? (() => {});
  if (!options.dryRun) await ensureAllowances(options, log);
  await keeper.reconcile();
  const app = keeperApp(keeper, options.token);
  const hostname = options.hostname ?? "127.0.0.1";
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = async () => {
    if (stopped) return;
    await keeper.tick().catch(() => undefined); // logged and counted by tick()
    if (!stopped) timer = setTimeout(() => void loop(), options.intervalMs);
  };
  if (options.intervalMs) void loop();

  return {
    keeper,
    url: `http://${hostname}:${port}`,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await keeper.idle(); // a tick under way finishes (its order rows stay consistent)
    },
  };
}

async function ensureAllowances(options: KeeperOptions, log: (event: string, fields: Record<string, unknown>) => void): Promise<void> {
  const { publicClient, wallet } = options;
  const spenders: Address[] = [...options.pools.map((p) => p.address), ...(options.router ? [options.router] : [])];
  for (const token of options.assets.keys()) {
    for (const spender of spenders) {
      const allowance = await publicClient.readContract({ address: token as Address, abi: erc20Abi, functionName: "allowance", args: [wallet.account.address, spender] });
      if (allowance >= MAX_ALLOWANCE / 2n) continue;
      const request = { address: token as Address, abi: erc20Abi, functionName: "approve", args: [spender, MAX_ALLOWANCE], account: wallet.account } as const;
      const gas = await gasLimitFor(publicClient, request);
      const hash = await wallet.writeContract({ ...request, gas, chain: wallet.chain });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`approving ${spender} to take ${options.assets.get(token)} reverted (${hash})`);
      log("allowance", { asset: options.assets.get(token), spender });
    }
  }
}
