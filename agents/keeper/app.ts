/**
 * The keeper's HTTP API (Hono), on loopback:
 *   GET  /health                      mode, dry run, the last tick (no secrets)
 *   GET  /metrics                     Prometheus text (metrics.ts lists the series)
 *   GET  /admin/orders[?state=…]      orders, newest first
 *   GET  /admin/orders/:id            one order with its steps
 *   POST /admin/orders/:id/approve    pending-approval → approved, then sent (unless paused or dry run)
 *   POST /admin/orders/:id/reject     pending-approval → rejected
 *   GET  /admin/alerts[?open=1]       alerts, newest first
 *   GET  /admin/plan                  the last plan: floors, orders, findings, explanations
 *   POST /admin/mode                  { "mode": "automatic" | "approve" | "paused" } (until the next restart)
 *   POST /admin/tick                  runs one tick now
 * /admin/* needs `Authorization: Bearer <JUAPESA_KEEPER_TOKEN>`. Errors are { error, message }:
 * 401 without the token, 404 for an unknown order, 409 for an order not in a state that allows it.
 */
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { z } from "zod";

import { OrderNotFoundError, type Keeper } from "./keeper.js";
import { decodePayload, ORDER_STATES, OrderStateError, type OrderRow, type OrderState } from "./orders.js";
import { MODES, type Mode } from "./planner.js";

export function keeperApp(keeper: Keeper, token: string): Hono {
  if (token.length < 16) throw new Error("The keeper's admin token must be at least 16 characters (JUAPESA_KEEPER_TOKEN).");
  const app = new Hono();

  app.get("/health", (c) => c.json({ status: "ok", mode: keeper.mode, dryRun: keeper.dryRun, lastTick: summaryOf(keeper.lastTick()) }));

  app.get("/metrics", async (c) => {
    await keeper.refreshCounts();
    return c.text(await keeper.metrics.registry.metrics(), 200, { "content-type": keeper.metrics.registry.contentType });
  });

  app.use("/admin/*", bearerAuth({ token, noAuthenticationHeaderMessage: { error: "unauthorized", message: "Send Authorization: Bearer <JUAPESA_KEEPER_TOKEN>." }, invalidTokenMessage: { error: "unauthorized", message: "That token is not the keeper's admin token." } }));

  app.get("/admin/orders", async (c) => {
    const state = c.req.query("state");
    if (state && !(ORDER_STATES as readonly string[]).includes(state)) return c.json({ error: "bad-state", message: `state must be one of ${ORDER_STATES.join(", ")}` }, 400);
    const rows = await keeper.store.list(state ? { states: [state as OrderState] } : {});
    return c.json({ orders: rows.map(orderJson) });
  });

  app.get("/admin/orders/:id", async (c) => {
    const row = await keeper.store.get(c.req.param("id"));
    return row ? c.json({ order: orderJson(row) }) : c.json({ error: "not-found", message: `No order ${c.req.param("id")}.` }, 404);
  });

  const decide = (what: "approve" | "reject") => async (c: import("hono").Context) => {
    const id = c.req.param("id")!;
    try {
      if (what === "reject") return c.json({ order: orderJson(await keeper.reject(id)) });
      const { row, outcome } = await keeper.approve(id);
      const note = keeper.mode === "paused" ? "approved; the keeper is paused, so it is sent when it resumes" : keeper.dryRun ? "approved; the keeper is in dry run and never sends" : undefined;
      return c.json({ order: orderJson(row), ...(outcome?.error ? { error: outcome.error } : {}), ...(note ? { note } : {}) });
    } catch (error) {
      if (error instanceof OrderNotFoundError) return c.json({ error: "not-found", message: error.message }, 404);
      if (error instanceof OrderStateError) return c.json({ error: "wrong-state", message: `${error.message} Only a pending-approval order can be ${what}d.`, state: error.state }, 409);
      return c.json({ error: "internal", message: `The ${what} was recorded as far as it got; sending failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}. The next tick retries.` }, 502);
    }
  };
  app.post("/admin/orders/:id/approve", decide("approve"));
  app.post("/admin/orders/:id/reject", decide("reject"));

  app.get("/admin/alerts", async (c) => c.json({ alerts: (await keeper.alerts.list({ open: c.req.query("open") === "1" })).map((a) => ({ ...a, details: JSON.parse(a.details) })) }));

  app.get("/admin/plan", (c) => c.json({ plan: keeper.lastPlan() ?? null }));

  const modeBody = z.object({ mode: z.enum(MODES as [Mode, ...Mode[]]) });
  app.post("/admin/mode", async (c) => {
    const parsed = modeBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "bad-mode", message: `Send { "mode": one of ${MODES.join(", ")} }.` }, 400);
    keeper.setMode(parsed.data.mode);
    return c.json({ mode: keeper.mode });
  });

  app.post("/admin/tick", async (c) => {
    try {
      return c.json({ tick: await keeper.tick() });
    } catch (error) {
      return c.json({ error: "tick-failed", message: error instanceof Error ? error.message.split("\n")[0] : String(error) }, 502);
    }
  });

  return app;
}

function orderJson(row: OrderRow) {
  const payload = decodePayload(row.payload);
  return {
    ...row,
    payload: undefined,
    steps: payload.steps.map(({ raw: _raw, ...step }) => step), // the signed bytes stay in the database
    plan: payload.plan,
  };
}

function summaryOf(tick: ReturnType<Keeper["lastTick"]>) {
  if (!tick) return null;
  return { at: tick.at, ok: tick.ok, error: tick.error, block: tick.summary?.block, forecasts: tick.summary?.forecasts, created: tick.summary?.created };
}
