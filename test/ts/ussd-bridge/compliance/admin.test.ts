/**
 * Admin alert endpoints over a real HTTP server: the bearer token guard (disabled without a token,
 * 401 for a missing or wrong one), listing and filtering alerts, and resolving one with a note.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";

import { adminRoutes } from "../../../../ussd-bridge/src/admin/index.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { listen } from "./fixtures.js";

const TOKEN = "test-admin-token-0123456789abcdef";
const T0 = Date.UTC(2025, 3, 1);

describe("admin alert endpoints", () => {
  let database: Database;
  let server: { url: string; close: () => Promise<void> };
  let disabled: { url: string; close: () => Promise<void> };
  let weak: { url: string; close: () => Promise<void> };

  const bridge = (token: string | undefined) => {
    const app = new Hono();
    const extra = new Hono().get("/ping", (c) => c.json({ pong: true }));
    app.route("/admin", adminRoutes({ db: database.db, tables: database.tables, token, now: () => T0 + 5_000, routes: { "/rebalancer": extra } }));
    return app;
  };
  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set("authorization", `Bearer ${init.token ?? TOKEN}`);
    return fetch(`${server.url}${path}`, { ...init, headers });
  };

  before(async () => {
    database = await openDatabase({ sqlitePath: ":memory:" });
    const a = database.tables.alerts;
    await database.db.insert(a).values([
      { rule: "velocity", severity: "warn", accountId: "0xaa", opId: "0x01", detail: '{"ops":11}', createdAt: T0 },
      { rule: "sanctions", severity: "high", accountId: "0xbb", opId: "0x02", detail: '{"party":"counterparty"}', createdAt: T0 + 1 },
      { rule: "structuring", severity: "high", accountId: "0xaa", opId: "0x03", detail: '{"ops":3}', createdAt: T0 + 2, resolvedAt: T0 + 3, resolvedBy: "officer-1" },
    ]);
    server = await listen(bridge(TOKEN));
    disabled = await listen(bridge(undefined));
    weak = await listen(bridge("short"));
  });
  after(async () => {
    await Promise.all([server.close(), disabled.close(), weak.close()]);
    await database.close();
  });

  it("refuses with 503 and says how to enable them when no token is configured, or a weak one", async () => {
    for (const [target, pattern] of [
      [disabled, /set JUAPESA_ADMIN_TOKEN/],
      [weak, /shorter than 24 characters/],
    ] as const) {
      const response = await fetch(`${target.url}/admin/alerts`, { headers: { authorization: "Bearer short" } });
      assert.equal(response.status, 503);
      const body = await response.json();
      assert.equal(body.error.code, "admin-disabled");
      assert.match(body.error.message, pattern);
    }
  });

  it("answers 401 without a token, with a malformed header, or with a wrong token", async () => {
    const missing = await call("/admin/alerts", { token: null });
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.equal((await missing.json()).error.code, "unauthorized");
    assert.equal((await call("/admin/alerts", { token: null, headers: { authorization: `Basic ${TOKEN}` } })).status, 401);
    assert.equal((await call("/admin/alerts", { token: `${TOKEN}x` })).status, 401);
    assert.equal((await call("/admin/alerts", { token: TOKEN.slice(0, -1) })).status, 401);
    // Routes mounted by other parts sit behind the same guard.
    assert.equal((await call("/admin/rebalancer/ping", { token: "wrong" })).status, 401);
    assert.deepEqual(await (await call("/admin/rebalancer/ping")).json(), { pong: true });
  });

  it("lists open alerts newest first, filters by status and rule, and pages", async () => {
    const open = await (await call("/admin/alerts")).json();
    assert.deepEqual(
      open.alerts.map((a: { opId: string }) => a.opId),
      ["0x02", "0x01"],
    );
    assert.deepEqual(open.alerts[0].detail, { party: "counterparty" });
    const resolved = await (await call("/admin/alerts?status=resolved")).json();
    assert.deepEqual(
      resolved.alerts.map((a: { rule: string }) => a.rule),
      ["structuring"],
    );
    const velocity = await (await call("/admin/alerts?status=all&rule=velocity")).json();
    assert.deepEqual(
      velocity.alerts.map((a: { opId: string }) => a.opId),
      ["0x01"],
    );
    const page = await (await call("/admin/alerts?status=all&limit=2")).json();
    assert.equal(page.alerts.length, 2);
    const rest = await (await call(`/admin/alerts?status=all&limit=2&before=${page.next}`)).json();
    assert.deepEqual(
      rest.alerts.map((a: { opId: string }) => a.opId),
      ["0x01"],
    );
    assert.equal(rest.next, null);
  });

  it("rejects a bad query with 400 and the error shape", async () => {
    for (const query of ["status=closed", "rule=nonsense", "limit=0", "limit=abc"]) {
      const response = await call(`/admin/alerts?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal((await response.json()).error.code, "invalid-query");
    }
  });

  it("resolves an alert with a note once; a second time is a conflict", async () => {
    const [first] = (await (await call("/admin/alerts?rule=velocity")).json()).alerts;
    const post = (id: string | number, body: string) => call(`/admin/alerts/${id}/resolve`, { method: "POST", body, headers: { "content-type": "application/json" } });
    const response = await post(first.id, JSON.stringify({ note: "Payroll day; checked with the customer", by: "officer-2" }));
    assert.equal(response.status, 200);
    const { alert } = await response.json();
    assert.equal(alert.resolvedAt, T0 + 5_000);
    assert.equal(alert.resolvedBy, "officer-2");
    assert.deepEqual(alert.detail, { ops: 11, resolutionNote: "Payroll day; checked with the customer" });
    const again = await post(first.id, JSON.stringify({ note: "again" }));
    assert.equal(again.status, 409);
    assert.match((await again.json()).error.message, /already resolved by officer-2/);
    const open = await (await call("/admin/alerts")).json();
    assert.ok(!open.alerts.some((a: { id: number }) => a.id === first.id));
  });

  it("answers 4xx for a missing note, bad JSON, a bad id and an unknown alert", async () => {
    const post = (id: string | number, body: string) => call(`/admin/alerts/${id}/resolve`, { method: "POST", body, headers: { "content-type": "application/json" } });
    const cases: [string | number, string, number, string][] = [
      [2, "{}", 400, "invalid-body"],
      [2, '{"note":"   "}', 400, "invalid-body"],
      [2, "{not json", 400, "invalid-json"],
      ["abc", '{"note":"x"}', 400, "invalid-id"],
      [999, '{"note":"x"}', 404, "not-found"],
    ];
    for (const [id, body, status, code] of cases) {
      const response = await post(id, body);
      assert.equal(response.status, status, `${id} ${body}`);
      assert.equal((await response.json()).error.code, code);
    }
    const unknown = await call("/admin/nothing");
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, "not-found");
  });
});
