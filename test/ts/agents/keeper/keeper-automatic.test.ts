/**
 * The keeper in automatic mode against the real pool on an in-process chain, with its state in a real
 * SQLite file and its HTTP on loopback: a pool drained below the floor its history implies gets a
 * rebalance the pool accepts, from the keeper's own inventory, and ends at or above the floor; the
 * below-floor alert opens, is served and logged, and resolves once the floor is restored; /metrics
 * names every series.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { formatUnits, parseEventLogs, parseUnits } from "viem";

import { liquidityPoolAbi } from "../../../../sdk/abis.generated.js";
import { KEEPER_TOKEN, keeperAccount, keeperChain, seedHistory, startTestKeeper, todayOf, type KeeperChain } from "./fixture.js";

describe("keeper, automatic mode", () => {
  let chain: KeeperChain;
  let dir: string;
  before(async () => {
    chain = await keeperChain({ keeperInventory: { cNGN: parseUnits("200000000", 6) } });
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-keeper-auto-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("rebalances a pool below its floor with a call the pool accepts, ending at or above the floor, and raises then resolves the alert", async () => {
    // Traders take ₦145M of naira out of the pool for $100k; the pool's cNGN is now well under target.
    await chain.swap("USDC", "cNGN", parseUnits("100000", 6));
    const before = await chain.reserves();
    const logs: { event: string; fields: Record<string, unknown> }[] = [];
    const running = await startTestKeeper(chain, { file: path.join(dir, "keeper.db"), mode: "automatic", log: (event, fields) => logs.push({ event, fields }) });
    try {
      // Three weeks of history: ₦500M cashed out and ₦10M cashed in every day.
      await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), 21, () => 500_000_000, () => 10_000_000);
      const nonceBefore = await chain.public.getTransactionCount({ address: keeperAccount.address });

      const tick = await running.keeper.tick();
      const floor = tick.floors.find((f) => f.asset === "cNGN")!;
      assert.equal(tick.forecasts.find((f) => f.asset === "cNGN")!.forecaster, "seasonal_naive");
      assert.ok(Math.abs(floor.floor - 490_000_000) < 1, `floor ${floor.floor}: P90 of one day's net outflow`);
      assert.ok(floor.holding < floor.floor, "the pool started below its floor");
      assert.equal(tick.created.length, 1);
      assert.deepEqual(tick.outcomes.map((o) => o.state), ["done"]);

      // The pool accepted it: one Rebalance event, and the naira reserve is at or above the floor.
      const after = await chain.reserves();
      const floorUnits = parseUnits(String(Math.ceil(floor.floor)), 6);
      assert.ok(after.cNGN >= floorUnits, `cNGN ${formatUnits(after.cNGN, 6)} ≥ floor ${floor.floor}`);
      assert.ok(after.USDC < before.USDC, "the keeper took back dollars the pool held above target");
      const order = (await running.keeper.store.get(tick.created[0]!))!;
      assert.equal(order.state, "done");
      const receipt = await chain.public.getTransactionReceipt({ hash: order.txHash as `0x${string}` });
      const events = parseEventLogs({ abi: liquidityPoolAbi, logs: receipt.logs, eventName: "Rebalance" });
      assert.equal(events.length, 1);
      assert.equal(events[0]!.args.keeper.toLowerCase(), keeperAccount.address.toLowerCase());
      assert.equal(events[0]!.args.amountIn, after.cNGN - before.cNGN);
      assert.equal(await chain.public.getTransactionCount({ address: keeperAccount.address }), nonceBefore + 1);
      assert.match(order.explanation, /^main pool: forecast net cash-out ₦490M over the next 24 h; floor ₦490M \(P90\), holding ₦\d+(\.\d)?M; moving ₦[\d.]+M from treasury keeper \(1 rebalance call, taking back \$[\d.]+k USDC\)/);

      // The alert opened on that tick (before the order restored the floor), was logged and is served.
      assert.deepEqual(tick.alertsOpened.map((a) => [a.kind, a.asset]), [["below-floor", "cNGN"]]);
      assert.ok(logs.some((l) => l.event === "alert.opened" && l.fields.kind === "below-floor"));
      const noToken = await fetch(`${running.url}/admin/alerts`);
      assert.equal(noToken.status, 401);
      const served = (await (await fetch(`${running.url}/admin/alerts?open=1`, { headers: { authorization: `Bearer ${KEEPER_TOKEN}` } })).json()) as { alerts: { kind: string; asset: string; severity: string }[] };
      assert.deepEqual(served.alerts.map((a) => [a.kind, a.asset]), [["below-floor", "cNGN"]]);

      // Next tick: the floor holds, the alert resolves, nothing more is ordered.
      const second = await running.keeper.tick();
      assert.deepEqual(second.created, []);
      assert.ok(logs.some((l) => l.event === "alert.resolved" && l.fields.kind === "below-floor"));
      assert.deepEqual(await running.keeper.alerts.list({ open: true }), []);

      // Metrics: every named series is there, with the pool's figures.
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      for (const name of [
        "juapesa_keeper_float",
        "juapesa_keeper_floor",
        "juapesa_keeper_target",
        "juapesa_keeper_inventory",
        "juapesa_keeper_forecast_mae",
        "juapesa_keeper_forecast_mase",
        "juapesa_keeper_forecaster",
        "juapesa_keeper_orders",
        "juapesa_keeper_alerts",
        "juapesa_keeper_alerts_opened_total",
        "juapesa_keeper_ticks_total",
        "juapesa_keeper_last_tick_timestamp_seconds",
      ]) {
        assert.match(metrics, new RegExp(`^# TYPE ${name} `, "m"), `missing ${name}`);
      }
      assert.match(metrics, /^juapesa_keeper_floor\{pool="main",asset="cNGN"\} 490000000$/m);
      assert.match(metrics, /^juapesa_keeper_orders\{state="done"\} 1$/m);
      assert.match(metrics, /^juapesa_keeper_alerts_opened_total\{kind="below-floor"\} 1$/m);
      assert.match(metrics, /^juapesa_keeper_forecaster\{pool="main",asset="cNGN",forecaster="seasonal_naive"\} 1$/m);
      assert.match(metrics, /^juapesa_keeper_ticks_total\{outcome="ok"\} 2$/m);
      const health = (await (await fetch(`${running.url}/health`)).json()) as { mode: string; dryRun: boolean; lastTick: { ok: boolean } };
      assert.deepEqual([health.mode, health.dryRun, health.lastTick.ok], ["automatic", false, true]);
    } finally {
      await running.close();
    }
  });
});
