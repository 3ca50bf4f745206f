/**
 * The admin surface, mounted by the bridge at `/admin`: `app.route("/admin", adminRoutes(deps))`.
 * Everything under it sits behind the bearer token (auth.ts). Other parts add their own routers
 * through `routes` (e.g. the rebalancer's approvals at `/admin/rebalancer`), so they share the guard
 * and the error shape without this file knowing them.
 */
import { Hono } from "hono";

import type { Db, Tables } from "../db/open.js";
import { jsonError } from "../api/errors.js";
import { alertRoutes } from "./alerts.js";
import { requireAdminToken } from "./auth.js";

export interface AdminDeps {
  db: Db;
  tables: Tables;
  /** From `adminTokenFromEnv()`; undefined disables the endpoints (503). */
  token: string | undefined;
  now?: () => number;
  /** More admin routers, by path under /admin (e.g. `{ "/rebalancer": rebalancerRoutes(...) }`). */
  routes?: Record<string, Hono>;
}

export function adminRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  app.use("*", requireAdminToken(deps.token));
  app.route("/alerts", alertRoutes(deps));
  for (const [path, router] of Object.entries(deps.routes ?? {})) app.route(path, router);
  // A catch-all route rather than notFound(): a mounted sub-app's notFound is not used by its parent.
  app.all("*", (c) => jsonError(c, 404, "not-found", `No admin endpoint ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    console.error(`admin: ${c.req.method} ${c.req.path} failed: ${error.name}: ${error.message}`);
    return jsonError(c, 500, "internal", "The admin endpoint failed; the bridge log has the reason.");
  });
  return app;
}

export { adminTokenFromEnv } from "./auth.js";
