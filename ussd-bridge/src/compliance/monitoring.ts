/**
 * Transaction monitoring: rules run before an operation, on the account's outbox history.
 *
 * - velocity: more than `maxOps` outgoing operations within `windowMs`;
 * - structuring: at least `minOps` outgoing operations within `windowMs`, each between
 *   `nearLimitFraction` and 100 % of the account's single-operation limit (amounts kept just under
 *   a limit to dodge it);
 * - new-account-large: an account younger than `maxAgeDays` whose outgoing total since opening
 *   (this operation included) exceeds `fractionOfDailyLimit` of its tier's daily limit;
 * - sanctions: the account holder or the counterparty is on the sanctions list or blocked.
 *
 * Amounts of different assets are compared in the account's local currency through the tier table
 * (tiers.ts). Each rule that fires stores an alert (detail without any phone number or name); an
 * operation is refused only by a rule whose action is "block": sanctions by default, the others
 * alert a compliance officer and let the operation through. Reviewing the same operation again
 * (a retry) stores no second alert.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { readFileSync } from "node:fs";

import type { Db, Tables } from "../db/open.js";
import type { AccountId, MonitoredOperation, ScreeningResult } from "../ports.js";
import type { E164 } from "../../../sdk/phone.js";
import { opIdHex } from "../money/op-id.js";
import { outgoingSince, type OutgoingOp } from "./history.js";
import { countryTiers, SEED_USD_PRICES, tierLimits, toLocalMicros, type AssetUsdPrices, type CountryTiers, type TierTable } from "./tiers.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MICROS = 1_000_000n;

const action = z.enum(["alert", "block"]);
const configSchema = z.object({
  velocity: z.object({ action, maxOps: z.number().int().min(1), windowMs: z.number().int().min(1_000) }),
  structuring: z.object({
    action,
    minOps: z.number().int().min(2),
    windowMs: z.number().int().min(1_000),
    nearLimitFraction: z.number().gt(0).lt(1),
  }),
  newAccountLarge: z.object({ action, maxAgeDays: z.number().gt(0), fractionOfDailyLimit: z.number().gt(0).max(1) }),
  sanctions: z.object({ action }),
});

export type MonitoringConfig = z.infer<typeof configSchema>;
export type RuleName = "velocity" | "structuring" | "new-account-large" | "sanctions";
/** Where each rule's settings live in the configuration. */
const CONFIG_OF: Record<RuleName, keyof MonitoringConfig> = {
  velocity: "velocity",
  structuring: "structuring",
  "new-account-large": "newAccountLarge",
  sanctions: "sanctions",
};
export type Severity = "info" | "warn" | "high";

export const DEFAULT_MONITORING: MonitoringConfig = {
  velocity: { action: "alert", maxOps: 10, windowMs: HOUR },
  structuring: { action: "alert", minOps: 3, windowMs: DAY, nearLimitFraction: 0.9 },
  newAccountLarge: { action: "alert", maxAgeDays: 7, fractionOfDailyLimit: 0.8 },
  sanctions: { action: "block" },
};

export type MonitoringOverrides = { [K in keyof MonitoringConfig]?: Partial<MonitoringConfig[K]> };

/** The defaults with `overrides` on top, validated. */
export function monitoringConfig(overrides: MonitoringOverrides = {}): MonitoringConfig {
  const merged = Object.fromEntries(
    Object.entries(DEFAULT_MONITORING).map(([rule, defaults]) => [rule, { ...defaults, ...overrides[rule as keyof MonitoringConfig] }]),
  );
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new Error(`Monitoring rules are misconfigured: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** `JUAPESA_MONITORING_FILE`: a JSON file of overrides, e.g. `{"velocity":{"maxOps":5,"action":"block"}}`. */
export function monitoringConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MonitoringConfig {
  const file = env.JUAPESA_MONITORING_FILE?.trim();
  if (!file) return monitoringConfig();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`JUAPESA_MONITORING_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  return monitoringConfig(json as MonitoringOverrides);
}

interface Finding {
  rule: RuleName;
  severity: Severity;
  detail: Record<string, unknown>;
}

interface Holder {
  accountId: AccountId;
  phone: E164;
  country: string;
  tier: number;
  status: string;
  createdAt: number;
}

export interface MonitorDeps {
  db: Db;
  tables: Tables;
  tiers: TierTable;
  config: MonitoringConfig;
  screen: (subject: { phone?: E164 }) => ScreeningResult;
  prices?: AssetUsdPrices;
  now?: () => number;
}

/** Decimal text of local micro-units, for alert details a person reads ("49500.5"). */
function localText(micros: bigint): string {
  const whole = micros / MICROS;
  const fraction = (micros % MICROS).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

export function createMonitor(deps: MonitorDeps) {
  const { db, tables, tiers, config } = deps;
  const prices = deps.prices ?? SEED_USD_PRICES;
  const now = deps.now ?? Date.now;

  async function holder(accountId: AccountId): Promise<Holder | undefined> {
    const u = tables.users;
    const [row] = await db
      .select({ accountId: u.accountId, phone: u.phone, country: u.country, tier: u.tier, status: u.status, createdAt: u.createdAt })
      .from(u)
      .where(eq(u.accountId, accountId))
      .limit(1);
    return row ? { ...row, accountId: row.accountId as AccountId, phone: row.phone as E164 } : undefined;
  }

  function sanctionsFindings(party: "account" | "counterparty", who: Holder | undefined): Finding[] {
    if (!who) return [];
    const result = deps.screen({ phone: who.phone });
    if (result.hit) {
      return [{ rule: "sanctions", severity: "high", detail: { party, listIds: result.matches.map((m) => m.listId), score: result.matches[0].score } }];
    }
    if (who.status === "blocked") return [{ rule: "sanctions", severity: "high", detail: { party, reason: "the account is blocked" } }];
    return [];
  }

  function outgoingRules(op: MonitoredOperation, who: Holder, history: OutgoingOp[]): Finding[] {
    const entry: CountryTiers = countryTiers(tiers, who.country);
    const limits = tierLimits(tiers, who.country, who.tier);
    const local = (o: { asset: OutgoingOp["asset"]; amount: bigint }) => toLocalMicros(entry, o.asset, o.amount, prices);
    const current = { opId: opIdHex(op.opId), asset: op.asset, amount: op.amount, createdAt: op.at };
    const findings: Finding[] = [];
    const base = { currency: entry.currency, tier: who.tier };

    const { velocity, structuring, newAccountLarge } = config;
    const recent = history.filter((o) => o.createdAt > op.at - velocity.windowMs).length + 1;
    if (recent > velocity.maxOps) {
      findings.push({ rule: "velocity", severity: "warn", detail: { ...base, ops: recent, maxOps: velocity.maxOps, windowMs: velocity.windowMs } });
    }

    const single = BigInt(limits.maxSingle) * MICROS;
    const floor = (single * BigInt(Math.round(structuring.nearLimitFraction * 10_000))) / 10_000n;
    const nearLimit = (o: OutgoingOp | typeof current) => {
      const value = local(o);
      return value >= floor && value <= single;
    };
    if (nearLimit(current)) {
      const ops = history.filter((o) => o.createdAt > op.at - structuring.windowMs && nearLimit(o)).length + 1;
      if (ops >= structuring.minOps) {
        findings.push({
          rule: "structuring",
          severity: "high",
          detail: { ...base, ops, minOps: structuring.minOps, windowMs: structuring.windowMs, from: localText(floor), singleLimit: localText(single) },
        });
      }
    }

    const age = op.at - who.createdAt;
    if (age < newAccountLarge.maxAgeDays * DAY) {
      const total = [...history.filter((o) => o.createdAt >= who.createdAt), current].reduce((sum, o) => sum + local(o), 0n);
      const threshold = (BigInt(limits.maxDaily) * MICROS * BigInt(Math.round(newAccountLarge.fractionOfDailyLimit * 10_000))) / 10_000n;
      if (total > threshold) {
        findings.push({
          rule: "new-account-large",
          severity: "warn",
          detail: { ...base, accountAgeHours: Math.floor(age / HOUR), movedSinceOpening: localText(total), threshold: localText(threshold) },
        });
      }
    }
    return findings;
  }

  async function store(op: MonitoredOperation, finding: Finding): Promise<void> {
    const a = tables.alerts;
    const opId = opIdHex(op.opId);
    const [existing] = await db.select({ id: a.id }).from(a).where(and(eq(a.rule, finding.rule), eq(a.opId, opId))).limit(1);
    if (existing) return;
    await db.insert(a).values({
      rule: finding.rule,
      severity: finding.severity,
      accountId: op.accountId,
      opId,
      detail: JSON.stringify({ kind: op.kind, asset: op.asset, amount: op.amount.toString(), ...finding.detail }),
      createdAt: now(),
    });
  }

  async function review(op: MonitoredOperation): Promise<{ allow: boolean; alerts: string[] }> {
    const who = await holder(op.accountId);
    const counterparty = op.counterpartyId ? await holder(op.counterpartyId) : undefined;
    const findings = [...sanctionsFindings("account", who), ...sanctionsFindings("counterparty", counterparty)];
    if (who && (op.kind === "transfer" || op.kind === "cash-out")) {
      const young = op.at - who.createdAt < config.newAccountLarge.maxAgeDays * DAY;
      const windowStart = Math.min(op.at - config.velocity.windowMs, op.at - config.structuring.windowMs, young ? who.createdAt : Infinity);
      const history = (await outgoingSince(db, tables, op.accountId, windowStart)).filter((o) => o.opId !== opIdHex(op.opId));
      findings.push(...outgoingRules(op, who, history));
    }
    for (const finding of findings) await store(op, finding);
    const rules = [...new Set(findings.map((f) => f.rule))];
    return { allow: !rules.some((rule) => config[CONFIG_OF[rule]].action === "block"), alerts: rules };
  }

  return { review };
}
