/**
 * Monitoring alerts for compliance officers: list them, and resolve one with a note.
 *
 *   GET  /alerts?status=open|resolved|all&rule=velocity&limit=100&before=<id>
 *   POST /alerts/:id/resolve   { "note": "called the customer; salary split", "by": "officer-7" }
 *
 * Newest first; `before` pages backwards by id. The resolution note is kept in the alert's detail.
 */
import { and, desc, eq, isNotNull, isNull, lt, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";

import type { Db, Tables } from "../db/open.js";
import { jsonError } from "../api/errors.js";

const RULES = ["velocity", "structuring", "new-account-large", "sanctions"] as const;

const listQuery = z.object({
  status: z.enum(["open", "resolved", "all"]).default("open"),
  rule: z.enum(RULES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

const resolveBody = z.object({
  note: z.string().trim().min(1, "say why the alert is resolved").max(2_000),
  by: z.string().trim().min(1).max(64).default("admin"),
});

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");

export function alertRoutes(deps: { db: Db; tables: Tables; now?: () => number }) {
  const { db, tables } = deps;
  const now = deps.now ?? Date.now;
  const a = tables.alerts;
  const app = new Hono();

  app.get("/", async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return jsonError(c, 400, "invalid-query", `Bad query: ${issues(parsed.error)}.`);
    const { status, rule, limit, before } = parsed.data;
    const where: SQL[] = [];
    if (status === "open") where.push(isNull(a.resolvedAt));
    if (status === "resolved") where.push(isNotNull(a.resolvedAt));
    if (rule) where.push(eq(a.rule, rule));
    if (before) where.push(lt(a.id, before));
    const rows = await db
      .select()
      .from(a)
      .where(and(...where))
      .orderBy(desc(a.id))
      .limit(limit);
    return c.json({
      alerts: rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown })),
      next: rows.length === limit ? rows[rows.length - 1].id : null,
    });
  });

  app.post("/:id/resolve", async (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id < 1) return jsonError(c, 400, "invalid-id", "The alert id must be a positive whole number.");
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(c, 400, "invalid-json", 'The body must be JSON such as {"note": "why it is resolved"}.');
    }
    const parsed = resolveBody.safeParse(body);
    if (!parsed.success) return jsonError(c, 400, "invalid-body", `Bad body: ${issues(parsed.error)}.`);
    const [alert] = await db.select().from(a).where(eq(a.id, id)).limit(1);
    if (!alert) return jsonError(c, 404, "not-found", `There is no alert ${id}.`);
    if (alert.resolvedAt !== null) return jsonError(c, 409, "already-resolved", `Alert ${id} was already resolved by ${alert.resolvedBy ?? "someone"}.`);
    const detail = { ...(JSON.parse(alert.detail) as Record<string, unknown>), resolutionNote: parsed.data.note };
    const resolvedAt = now();
    // The `resolvedAt IS NULL` guard makes two officers resolving at once end with one winner.
    const updated = await db
      .update(a)
      .set({ resolvedAt, resolvedBy: parsed.data.by, detail: JSON.stringify(detail) })
      .where(and(eq(a.id, id), isNull(a.resolvedAt)))
      .returning();
    if (updated.length === 0) return jsonError(c, 409, "already-resolved", `Alert ${id} was resolved meanwhile.`);
    return c.json({ alert: { ...updated[0], detail } });
  });

  return app;
}
