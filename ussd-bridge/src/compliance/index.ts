/**
 * The `Compliance` port: sanctions screening and transaction monitoring, wired from their parts.
 * `complianceFromEnv` builds it the way the bridge starts it; tests build it with `createCompliance`.
 */
import type { Db, Tables } from "../db/open.js";
import type { Compliance } from "../ports.js";
import { createMonitor, monitoringConfig, monitoringConfigFromEnv, type MonitoringConfig, type MonitoringOverrides } from "./monitoring.js";
import { loadSanctionsFile, sanctionsConfigFromEnv, SanctionsList, type SanctionsLineError } from "./sanctions.js";
import { tierTableFromEnv, type AssetUsdPrices, type TierTable } from "./tiers.js";

export interface ComplianceDeps {
  db: Db;
  tables: Tables;
  sanctions: SanctionsList;
  tiers: TierTable;
  monitoring?: MonitoringConfig | MonitoringOverrides;
  prices?: AssetUsdPrices;
  now?: () => number;
}

export interface ComplianceService extends Compliance {
  readonly sanctions: SanctionsList;
  readonly tiers: TierTable;
  readonly monitoring: MonitoringConfig;
}

export function createCompliance(deps: ComplianceDeps): ComplianceService {
  const config = monitoringConfig(deps.monitoring as MonitoringOverrides | undefined);
  const monitor = createMonitor({
    db: deps.db,
    tables: deps.tables,
    tiers: deps.tiers,
    config,
    prices: deps.prices,
    now: deps.now,
    screen: (subject) => deps.sanctions.screen(subject),
  });
  return {
    sanctions: deps.sanctions,
    tiers: deps.tiers,
    monitoring: config,
    screen: async (subject) => deps.sanctions.screen(subject),
    review: (op) => monitor.review(op),
  };
}

export interface ComplianceStartReport {
  file: string;
  sample: boolean;
  entries: number;
  /** Bad lines of the list, already skipped; line numbers and list ids only. */
  errors: SanctionsLineError[];
}

/**
 * Compliance as configured by the environment: JUAPESA_SANCTIONS_FILE, JUAPESA_SANCTIONS_THRESHOLD,
 * JUAPESA_TIERS_FILE, JUAPESA_MONITORING_FILE. A list that cannot be read at all is an error (the
 * bridge must not run unscreened); bad lines are skipped and reported for the start-up log.
 */
export function complianceFromEnv(
  deps: { db: Db; tables: Tables; now?: () => number; prices?: AssetUsdPrices },
  env: NodeJS.ProcessEnv = process.env,
): { compliance: ComplianceService; report: ComplianceStartReport } {
  const listConfig = sanctionsConfigFromEnv(env);
  const parsed = loadSanctionsFile(listConfig.file);
  if (parsed.entries.length === 0 && parsed.errors.length > 0) {
    throw new Error(`The sanctions list ${listConfig.file} could not be loaded: ${parsed.errors.map((e) => `line ${e.line}: ${e.reason}`).join("; ")}`);
  }
  const compliance = createCompliance({
    ...deps,
    sanctions: new SanctionsList(parsed.entries, { threshold: listConfig.threshold }),
    tiers: tierTableFromEnv(env),
    monitoring: monitoringConfigFromEnv(env),
  });
  return { compliance, report: { file: listConfig.file, sample: listConfig.sample, entries: parsed.entries.length, errors: parsed.errors } };
}

export { checkTierLimits, type TierCheck } from "./limits.js";
export { limitsInAsset, stricter, tierLimits, countryTiers, type TierTable } from "./tiers.js";
export { SanctionsList, parseSanctionsCsv, loadSanctionsFile } from "./sanctions.js";
export { nameSimilarity } from "./names.js";
