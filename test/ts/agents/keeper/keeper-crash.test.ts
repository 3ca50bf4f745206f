/**
 * A keeper that dies between recording a signed rebalance and learning its outcome: the restarted
 * keeper (same SQLite file) settles the order from the chain and never sends a second transaction,
 * whether the node executed the first one (its answer was lost) or never received it (it is
 * re-broadcast byte for byte: same nonce, same hash).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, custom, parseEventLogs, parseUnits, type PublicClient } from "viem";

import { decodePayload } from "../../../../agents/keeper/orders.js";
import { liquidityPoolAbi } from "../../../../sdk/abis.generated.js";
import { keeperAccount, keeperChain, seedHistory, startTestKeeper, todayOf, type KeeperChain } from "./fixture.js";

/** Clients whose connection dies at eth_sendRawTransaction: "before" it reaches the node, or "after" (the answer is lost). */
function dyingClients(chain: KeeperChain, when: "before" | "after") {
  let dead = false;
  const transport = custom(
    {
      async request({ method, params }: { method: string; params?: unknown }) {
        if (dead) throw new Error("connection lost (simulated crash)");
        if (method === "eth_sendRawTransaction" && when === "before") {
          dead = true;
          throw new Error("connection lost (simulated crash)");
        }
        const result = await chain.conn.provider.request({ method, params: params as never });
        if (method === "eth_sendRawTransaction") {
          dead = true;
          throw new Error("connection lost (simulated crash)");
        }
        return result;
      },
    },
    { retryCount: 0 },
  );
  return {
    public: createPublicClient({ chain: chain.public.chain, transport, pollingInterval: 50 }) as PublicClient,
    wallet: createWalletClient({ account: keeperAccount, chain: chain.public.chain, transport }),
  };
}

describe("keeper crash between recording and receipt", () => {
  let chain: KeeperChain;
  let dir: string;
  before(async () => {
    chain = await keeperChain({ keeperInventory: { cNGN: parseUnits("600000000", 6) } });
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-keeper-crash-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const when of ["after", "before"] as const) {
    it(`the node ${when === "after" ? "executed it but the answer was lost" : "never received it"}: the restart settles it with exactly one transaction`, async () => {
      await chain.swap("USDC", "cNGN", parseUnits("100000", 6));
      const file = path.join(dir, `keeper-${when}.db`);
      // Allowances are set by a healthy start first, so the only send the dying keeper makes is the rebalance.
      const healthy = await startTestKeeper(chain, { file, mode: "approve" });
      await seedHistory(healthy.keeper.flows, todayOf(await chain.chainTimeMs()), 21, () => 500_000_000, () => 10_000_000);
      await healthy.close();

      const dying = await startTestKeeper(chain, { file, mode: "automatic", clients: dyingClients(chain, when) });
      const nonceBefore = await chain.public.getTransactionCount({ address: keeperAccount.address });
      const blockBefore = await chain.public.getBlockNumber();
      await assert.rejects(dying.keeper.tick(), /connection lost/);
      const [left] = await dying.keeper.store.list({ states: ["sent"] });
      assert.ok(left, "the order was recorded as sent before the broadcast");
      const step = decodePayload(left.payload).steps[0]!;
      assert.ok(step.hash && step.raw && step.nonce === nonceBefore);
      await dying.close();
      assert.equal(await chain.public.getTransactionCount({ address: keeperAccount.address }), when === "after" ? nonceBefore + 1 : nonceBefore);

      const restarted = await startTestKeeper(chain, { file, mode: "automatic" });
      try {
        const order = (await restarted.keeper.store.get(left.id))!;
        assert.equal(order.state, "done", "settled at start-up, before any new plan");
        assert.equal(order.txHash, step.hash, "the very transaction recorded before the crash");
        assert.equal(await chain.public.getTransactionCount({ address: keeperAccount.address }), nonceBefore + 1, "one transaction in all");
        const logs = await chain.public.getLogs({ address: chain.deployment.pool, fromBlock: blockBefore + 1n });
        assert.equal(parseEventLogs({ abi: liquidityPoolAbi, logs, eventName: "Rebalance" }).length, 1);
        // And the next tick finds the floor restored: nothing new.
        assert.deepEqual((await restarted.keeper.tick()).created, []);
      } finally {
        await restarted.close();
      }
    });
  }
});
