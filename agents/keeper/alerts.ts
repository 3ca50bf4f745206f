/**
 * Alerts: stored (keeper_alerts), served (GET /admin/alerts, the `juapesa_keeper_alerts` gauge) and
 * logged as one JSON line when they open and when they resolve. Each tick states which conditions hold;
 * an alert opens the first time its condition holds, stays one row while it keeps holding (its
 * last_seen_at moves), and resolves the first tick it no longer does.
 *
 *   below-floor         a pool's asset holds less than its safety floor (critical when under half of it)
 *   floor-above-target  the floor is above the pool's target for the asset: a keeper rebalance cannot
 *                       reach it (the pool refuses to go over target); it needs LP deposits or weights
 *   forecast-drift      the recent forecast error (rolling MASE) is well above what the forecaster
 *                       scored on the series' own history when it was chosen
 *   order-failed        an order failed on chain or was refused before sending
 */
import { and, desc, eq, isNull } from "drizzle-orm";

import type { LiquidityDb, LiquidityTables } from "../liquidity/db/open.js";

export type AlertKind = "below-floor" | "floor-above-target" | "forecast-drift" | "order-failed";
export const ALERT_KINDS: readonly AlertKind[] = ["below-floor", "floor-above-target", "forecast-drift", "order-failed"];
export type Severity = "warning" | "critical";

export interface AlertCondition {
  kind: AlertKind;
  severity: Severity;
  pool: string;
  asset: string;
  message: string;
  details: Record<string, unknown>;
}

export type AlertRow = LiquidityTables["keeperAlerts"]["$inferSelect"];
export type Log = (event: string, fields: Record<string, unknown>) => void;

export function createAlerts(db: LiquidityDb, tables: LiquidityTables, log: Log, now: () => number = Date.now) {
  const alerts = tables.keeperAlerts;
  const openOf = (kind: AlertKind, pool: string, asset: string) =>
    and(eq(alerts.kind, kind), eq(alerts.pool, pool), eq(alerts.asset, asset), isNull(alerts.resolvedAt));

  async function raise(c: AlertCondition): Promise<{ opened: boolean; row: AlertRow }> {
    const at = now();
    const set = { severity: c.severity, message: c.message, details: JSON.stringify(c.details), lastSeenAt: at };
    const [updated] = await db.update(alerts).set(set).where(openOf(c.kind, c.pool, c.asset)).returning();
    if (updated) return { opened: false, row: updated };
    const [row] = await db
      .insert(alerts)
      .values({ id: `${c.kind}:${c.pool}:${c.asset}:${at}`, kind: c.kind, pool: c.pool, asset: c.asset, openedAt: at, resolvedAt: null, ...set })
      .onConflictDoNothing()
      .returning();
    log("alert.opened", { kind: c.kind, severity: c.severity, pool: c.pool, asset: c.asset, message: c.message, ...c.details });
    return { opened: true, row: row ?? (await db.select().from(alerts).where(openOf(c.kind, c.pool, c.asset)))[0]! };
  }

  return {
    raise,

    /**
     * Brings the alerts of `kinds` in line with this tick's conditions: raises each, and resolves every
     * open alert of those kinds whose condition is no longer among them.
     */
    async reconcile(kinds: readonly AlertKind[], conditions: readonly AlertCondition[]): Promise<AlertCondition[]> {
      const opened: AlertCondition[] = [];
      for (const c of conditions) if ((await raise(c)).opened) opened.push(c);
      const holding = new Set(conditions.map((c) => `${c.kind}|${c.pool}|${c.asset}`));
      for (const kind of kinds) {
        for (const open of await db.select().from(alerts).where(and(eq(alerts.kind, kind), isNull(alerts.resolvedAt)))) {
          if (holding.has(`${open.kind}|${open.pool}|${open.asset}`)) continue;
          await db.update(alerts).set({ resolvedAt: now() }).where(and(eq(alerts.id, open.id), isNull(alerts.resolvedAt)));
          log("alert.resolved", { kind: open.kind, pool: open.pool, asset: open.asset, openedAt: new Date(open.openedAt).toISOString() });
        }
      }
      return opened;
    },

    /** Resolves one alert by hand (an order failure someone has looked at). */
    async resolve(kind: AlertKind, pool: string, asset: string): Promise<boolean> {
      const done = await db.update(alerts).set({ resolvedAt: now() }).where(openOf(kind, pool, asset)).returning();
      return done.length > 0;
    },

    list(filter: { open?: boolean; limit?: number } = {}): Promise<AlertRow[]> {
      return db
        .select()
        .from(alerts)
        .where(filter.open ? isNull(alerts.resolvedAt) : undefined)
        .orderBy(desc(alerts.openedAt))
        .limit(filter.limit ?? 200);
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
