/**
 * Forecast error and drift, day by day on the chain's clock: each day's first forecast is kept, scored
 * once the day is over against the flows that actually came, exported as rolling MAE / MASE, and a run
 * of days far off the forecast opens a forecast-drift alert. The ONNX model is used once a series is
 * long enough for it, a baseline before, and the keeper says which. A cross-chain order is recorded as
 * awaiting-relayer and never sent.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseUnits } from "viem";

import { dayNumber } from "../../../../agents/liquidity/calendar.js";
import { minHistory } from "../../../../agents/liquidity/forecast/features.js";
import { loadOnnxForecaster } from "../../../../agents/liquidity/forecast/index.js";
import { trainEnsemble } from "../../../../agents/liquidity/forecast/model/ensemble-train.js";
import { exportOnnx } from "../../../../agents/liquidity/forecast/model/onnx-export.js";
import { DAY_MS } from "../../../../agents/liquidity/flows/store.js";
import { keeperAccount, keeperChain, seedHistory, startTestKeeper, todayOf, type KeeperChain } from "./fixture.js";

describe("keeper forecast scoring and drift", () => {
  let chain: KeeperChain;
  let dir: string;
  before(async () => {
    chain = await keeperChain();
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-keeper-forecast-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("scores each day's forecast against what came, exports rolling MAE and MASE, and alerts on drift", async () => {
    const logs: { event: string; fields: Record<string, unknown> }[] = [];
    const running = await startTestKeeper(chain, { file: path.join(dir, "keeper.db"), mode: "paused", log: (event, fields) => logs.push({ event, fields }) });
    try {
      // Six weeks of cash-out around ₦50M a day with some irregular variation, ₦5M cash in.
      const wobble = (d: number) => 50_000_000 + ((d * 37) % 11) * 1_000_000;
      await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), 42, wobble, () => 5_000_000);
      const first = await running.keeper.tick();
      assert.equal(first.forecasts.find((f) => f.asset === "cNGN")!.forecaster, "seasonal_naive");

      // Three days in a row, cash-out surges to ₦200M: each day's forecast is scored the next day.
      for (let day = 0; day < 3; day++) {
        const today = todayOf(await chain.chainTimeMs());
        await running.keeper.flows.record([
          { id: `telco:MTN-NG:surge-${today}`, source: "telco", at: today + 10 * 3_600_000, operator: "MTN-NG", agent: "MTN-AG-1", region: "Lagos", asset: "cNGN", direction: "out", amount: parseUnits("200000000", 6) },
          { id: `telco:MTN-NG:surge-in-${today}`, source: "telco", at: today + 11 * 3_600_000, operator: "MTN-NG", agent: "MTN-AG-1", region: "Lagos", asset: "cNGN", direction: "in", amount: parseUnits("5000000", 6) },
        ]);
        await chain.advance(DAY_MS / 1000);
        await running.keeper.tick();
      }
      const rows = await running.database.db.select().from(running.database.tables.keeperForecasts);
      const scored = rows.filter((r) => r.asset === "cNGN" && r.scoredAt !== null);
      assert.equal(scored.length, 3);
      for (const r of scored) {
        assert.equal(r.actual, 195_000_000);
        assert.ok(Math.abs(r.absError! - Math.abs(195_000_000 - r.p50)) < 1e-6);
      }
      const mae = scored.reduce((s, r) => s + r.absError!, 0) / 3;

      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name}\\{pool="main",asset="cNGN"\\} (\\S+)$`, "m").exec(metrics)?.[1]);
      assert.ok(Math.abs(value("juapesa_keeper_forecast_mae") - mae) < 1e-3 * mae, metrics);
      assert.ok(value("juapesa_keeper_forecast_mase") > 10, "a surge of ~3× the usual level is many seasonal errors off");
      assert.ok(value("juapesa_keeper_forecast_validation_mase") > 0);

      const drift = logs.filter((l) => l.event === "alert.opened" && l.fields.kind === "forecast-drift");
      assert.equal(drift.length, 1);
      assert.equal(drift[0]!.fields.asset, "cNGN");
      const open = await running.keeper.alerts.list({ open: true });
      assert.ok(open.some((a) => a.kind === "forecast-drift" && a.asset === "cNGN"));
    } finally {
      await running.close();
    }
  });

  it("uses the ONNX model (real onnxruntime-node inference) once a series has the history it needs, a baseline before, and says which", async () => {
    // A tiny model trained here on synthetic weekly demand (the committed one is trained by npm run train:forecast).
    const features = { horizon: 7, inputDays: 28, scaleDays: 14, yearLag: 364, yearContextDays: 7 };
    const weekly = [1.0, 1.1, 1.0, 1.2, 1.8, 1.5, 0.4];
    const train = Array.from({ length: 4 }, (_, s) => ({ values: Array.from({ length: 120 }, (_, t) => (20 + 5 * s) * weekly[t % 7]! + ((t * 7919 + s) % 17) / 17), startDay: dayNumber("2025-01-06"), country: "NG" }));
    const ens = await trainEnsemble(train, { features, levels: [0.1, 0.5, 0.9], hidden: 8, blocks: 1, epochs: 1, batch: 32, lr: 2e-3, seeds: [7], combine: "median" }, 120, { workers: 0 });
    const forecaster = await loadOnnxForecaster(exportOnnx(ens.members, ens.spec));
    const model = { forecaster, minHistoryDays: minHistory(ens.spec.features) };
    assert.equal(model.minHistoryDays, 28);
    try {
      for (const [days, expected, why] of [
        [21, "seasonal_naive", /^baseline: 21 days of history, the model needs 28$/],
        [35, "onnx_mlp", /^35 days of history \(the model needs 28\)$/],
      ] as const) {
        const running = await startTestKeeper(chain, { file: path.join(dir, `model-${days}.db`), mode: "paused", model });
        try {
          await seedHistory(running.keeper.flows, todayOf(await chain.chainTimeMs()), days, (d) => 40_000_000 * weekly[d % 7]!, () => 2_000_000);
          const tick = await running.keeper.tick();
          const cngn = tick.forecasts.find((f) => f.asset === "cNGN")!;
          assert.equal(cngn.forecaster, expected);
          assert.match(cngn.why, why);
          const floor = tick.floors.find((f) => f.asset === "cNGN")!;
          assert.ok(floor.floor > 0 && Number.isFinite(floor.floor));
          const metrics = await (await fetch(`${running.url}/metrics`)).text();
          assert.match(metrics, new RegExp(`^juapesa_keeper_forecaster\\{pool="main",asset="cNGN",forecaster="${expected}"\\} 1$`, "m"));
        } finally {
          await running.close();
        }
      }
    } finally {
      await forecaster.close();
    }
  });

  it("records a cross-chain order as awaiting-relayer and never sends it", async () => {
    const running = await startTestKeeper(chain, { file: path.join(dir, "cross.db"), mode: "automatic" });
    try {
      const nonce = await chain.public.getTransactionCount({ address: keeperAccount.address });
      const { row } = await running.keeper.store.insert({
        id: "rb-cross-chain-test-0001" as `0x${string}`,
        chainId: chain.deployment.chainId,
        pool: "main",
        poolAddress: chain.deployment.pool,
        kind: "cross-chain",
        assetIn: "USDC",
        amountIn: "1000000000",
        assetOut: "USDC",
        amountOut: "0",
        state: "approved",
        mode: "automatic",
        explanation: "move $1,000 USDC from Ethereum over CCTP",
        plannedBlock: await chain.public.getBlockNumber(),
        payload: { steps: [], plan: { asset: "USDC", amount: 1000 } },
      });
      assert.equal(row.state, "approved");
      await running.keeper.tick();
      assert.equal((await running.keeper.store.get(row.id))!.state, "awaiting-relayer");
      assert.equal(await chain.public.getTransactionCount({ address: keeperAccount.address }), nonce);
    } finally {
      await running.close();
    }
  });
});
