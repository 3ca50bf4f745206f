/**
 * Modes and the admin endpoints, over real HTTP: in approve mode an order waits for an admin (401
 * without the token, 404 for an unknown order, 409 when approved twice or rejected after approval) and
 * is sent on approval; a rejected order is never sent; paused and dry-run plan and alert but never
 * send a transaction, and dry-run writes no order.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseUnits } from "viem";

import { KEEPER_TOKEN, keeperAccount, keeperChain, seedHistory, startTestKeeper, todayOf, type KeeperChain } from "./fixture.js";

const auth = { authorization: `Bearer ${KEEPER_TOKEN}` };
const post = (url: string, headers: Record<string, string> = auth, body?: unknown) =>
  fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("keeper modes and admin endpoints", () => {
  let chain: KeeperChain;
  let dir: string;
  let seq = 0;
  const file = () => path.join(dir, `keeper-${++seq}.db`);
  const nonce = () => chain.public.getTransactionCount({ address: keeperAccount.address });
  before(async () => {
    chain = await keeperChain({ keeperInventory: { cNGN: parseUnits("400000000", 6) } });
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-keeper-modes-"));
    await chain.swap("USDC", "cNGN", parseUnits("100000", 6));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("dry run: in automatic mode too, plans and logs the order but writes and sends nothing", async () => {
    const logs: string[] = [];
    const before = await nonce();
    const running = await startTestKeeper(chain, { file: file(), mode: "automatic", dryRun: true, log: (event, f) => logs.push(`${event} ${f.why ?? ""}`) });
    try {
      await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), 21, () => 500_000_000, () => 10_000_000);
      const tick = await running.keeper.tick();
      assert.deepEqual(tick.created, []);
      assert.equal(running.keeper.lastPlan()!.orders.length, 1);
      assert.ok(logs.includes("order.planned dry run"));
      assert.deepEqual(await running.keeper.store.list(), []);
      assert.equal(await nonce(), before, "not even an allowance was sent");
      assert.equal(await chain.stack.contracts.tokens.cNGN.read.allowance([keeperAccount.address, chain.deployment.pool]), 0n);
      const plan = (await (await fetch(`${running.url}/admin/plan`, { headers: auth })).json()) as { plan: { orders: unknown[] } };
      assert.equal(plan.plan.orders.length, 1);
    } finally {
      await running.close();
    }
  });

  it("paused: plans, alerts, records nothing and sends nothing", async () => {
    const running = await startTestKeeper(chain, { file: file(), mode: "paused" });
    try {
      await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), 21, () => 500_000_000, () => 10_000_000);
      const before = [await nonce(), (await chain.reserves()).cNGN];
      const tick = await running.keeper.tick();
      assert.ok(tick.floors.find((f) => f.asset === "cNGN")!.gap > 0);
      assert.deepEqual(tick.created, []);
      assert.ok(tick.findings.some((f) => f.kind === "paused"));
      assert.deepEqual(tick.alertsOpened.map((a) => a.kind), ["below-floor"]);
      assert.deepEqual(await running.keeper.store.list(), []);
      assert.deepEqual([await nonce(), (await chain.reserves()).cNGN], before);
    } finally {
      await running.close();
    }
  });

  it("approve: the order waits for an admin; approving sends it once; the endpoints refuse what they should", async () => {
    const running = await startTestKeeper(chain, { file: file(), mode: "approve" });
    try {
      await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), 21, () => 500_000_000, () => 10_000_000);
      const before = await nonce();
      const reserveBefore = (await chain.reserves()).cNGN;
      const tick = await running.keeper.tick();
      assert.equal(tick.created.length, 1);
      const id = tick.created[0]!;
      assert.equal((await running.keeper.store.get(id))!.state, "pending-approval");
      // A second tick plans around the waiting order (it is in transit): no duplicate.
      assert.deepEqual((await running.keeper.tick()).created, []);
      assert.equal(await nonce(), before, "nothing is sent before approval");

      const list = (await (await fetch(`${running.url}/admin/orders?state=pending-approval`, { headers: auth })).json()) as { orders: { id: string; explanation: string; steps: { label: string; raw?: string }[] }[] };
      assert.deepEqual(list.orders.map((o) => o.id), [id]);
      assert.match(list.orders[0]!.steps[0]!.label, /^rebalance: bring \d+(\.\d+)? cNGN, take [\d.]+ USDC$/);

      assert.equal((await post(`${running.url}/admin/orders/${id}/approve`, {})).status, 401);
      assert.equal((await post(`${running.url}/admin/orders/${id}/approve`, { authorization: "Bearer not-the-token-at-all" })).status, 401);
      const unknown = await post(`${running.url}/admin/orders/rb-00000000000000000000/approve`);
      assert.equal(unknown.status, 404);
      assert.deepEqual(((await unknown.json()) as { error: string }).error, "not-found");

      const approved = await post(`${running.url}/admin/orders/${id}/approve`);
      assert.equal(approved.status, 200);
      const body = (await approved.json()) as { order: { state: string; decidedBy: string; txHash: string; steps: { raw?: string; hash: string }[] } };
      assert.equal(body.order.state, "done");
      assert.equal(body.order.decidedBy, "admin");
      assert.equal(body.order.steps[0]!.raw, undefined, "signed bytes are not served");
      assert.equal(await nonce(), before + 1);
      assert.ok((await chain.reserves()).cNGN > reserveBefore);

      const twice = await post(`${running.url}/admin/orders/${id}/approve`);
      assert.equal(twice.status, 409);
      assert.match(((await twice.json()) as { message: string }).message, /is done; it cannot be approved/);
      assert.equal((await post(`${running.url}/admin/orders/${id}/reject`)).status, 409);
      assert.equal(await nonce(), before + 1, "approving twice sent nothing more");
    } finally {
      await running.close();
    }
  });

  it("approve: a rejected order is never sent, and the mode can be switched over HTTP", async () => {
    // Drain again so there is a gap to plan for.
    await chain.swap("USDC", "cNGN", parseUnits("60000", 6));
    const running = await startTestKeeper(chain, { file: file(), mode: "approve" });
    try {
      await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), 21, () => 500_000_000, () => 10_000_000);
      const before = await nonce();
      const { created } = await running.keeper.tick();
      assert.equal(created.length, 1);
      const rejected = await post(`${running.url}/admin/orders/${created[0]}/reject`);
      assert.equal(rejected.status, 200);
      assert.equal(((await rejected.json()) as { order: { state: string } }).order.state, "rejected");
      assert.equal((await post(`${running.url}/admin/orders/${created[0]}/approve`)).status, 409);
      assert.equal(await nonce(), before);

      assert.equal((await post(`${running.url}/admin/mode`, auth, { mode: "sideways" })).status, 400);
      assert.deepEqual(await (await post(`${running.url}/admin/mode`, auth, { mode: "paused" })).json(), { mode: "paused" });
      assert.deepEqual((await running.keeper.tick()).created, []);
      assert.equal(await nonce(), before);
    } finally {
      await running.close();
    }
  });
});
