/** What the USSD front door is given at start: the database and the other parts, through their ports. */
import type { Db, Tables } from "../db/open.js";
import type { CashService, Compliance, MoneyService, Registry, SmsSender } from "../ports.js";

export interface UssdConfig {
  /** ISO country a number typed without a country code is read in (the gateway's own numbers are E.164). */
  defaultCountry: string;
  /** How long a money screen waits for the chain before it answers "in progress, SMS follows". */
  budgetMs: number;
  /** USSD codes this bridge answers, as the gateway sends them (e.g. "*789#"); the first is the one SMS notices mention. */
  serviceCodes: string[];
  /** Convert's guard: the least accepted is the quote less this many basis points (default 100 = 1 %). */
  slippageBps?: number;
}

export interface UssdDeps {
  db: Db;
  tables: Tables;
  registry: Registry;
  money: MoneyService;
  cash: CashService;
  compliance: Compliance;
  sms: SmsSender;
  config: UssdConfig;
  /** Milliseconds since the epoch; tests move it to expire sessions. */
  now?: () => number;
}

export const DEFAULT_SLIPPAGE_BPS = 100;
