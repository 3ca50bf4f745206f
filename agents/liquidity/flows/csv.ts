/**
 * Telco transaction logs, imported as flow history. The format (one place for it; the doc repeats it):
 *
 *   timestamp,operator,agent,region,asset,direction,amount,reference
 *   2026-01-05T08:14:00Z,MTN-NG,agent-0142,Lagos,cNGN,out,25000.00,MTNNG-TX-000193
 *
 *   timestamp   ISO 8601 with a zone (Z or ±hh:mm); a time without one is ambiguous and refused
 *   operator    the mobile-money operator (MTN-NG, Airtel-NG …)     1–64 of A–Z a–z 0–9 . _ - : /
 *   agent       the agent's till or code, never a person's number   same characters
 *   region      the agent's region (state, county)                   same characters and spaces
 *   asset       cNGN, USDC or XAUt (naira flows are cNGN: 1 NGN = 1 cNGN)
 *   direction   in (cash in: money enters the operator) or out (cash out)
 *   amount      a positive decimal in whole units, at most the asset's decimals (6)
 *   reference   the telco's transaction id, 1–128 characters; unique per operator
 *
 * Fields may be double-quoted (RFC 4180). Rows are aggregated to hours by the flow store.
 *
 * Bad rows are refused with their line number and what is wrong; the good rows of the file are
 * imported. Re-importing a corrected file is safe: rows are deduplicated by operator and reference,
 * so the rows imported the first time are skipped, not counted twice. A reference seen again with
 * different content is refused as a conflict (it names the line, or says it was imported before).
 */
import { parseUnits } from "viem";

import { ASSETS } from "../../../sdk/protocol.js";
import type { FlowEvent, FlowStore } from "./store.js";

export const CSV_HEADER = ["timestamp", "operator", "agent", "region", "asset", "direction", "amount", "reference"] as const;

export interface RowError {
  line: number;
  message: string;
}

export interface ImportReport {
  /** Data rows read (the header and blank lines not counted). */
  rows: number;
  imported: number;
  /** Rows whose reference was already imported with the same content (in this file or before). */
  duplicates: number;
  rejected: RowError[];
  /** Hourly rows touched. */
  hours: number;
}

const NAME = /^[A-Za-z0-9._:/-]{1,64}$/;
const REGION = /^[A-Za-z0-9._:/ -]{1,64}$/;
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A run of 9+ digits (optionally after +) is what a phone number looks like: never import one. */
const PHONE_LIKE = /\+?\d{9,}/;
const DECIMALS = new Map(ASSETS.map((a) => [a.symbol as string, a.decimals]));

/** Date.parse accepts 2026-02-30 (as 2 March): check the calendar fields themselves. */
function realDate(iso: string): boolean {
  const [y, m, d, hh, mm, ss] = iso.split(/[-T:.Z+]/).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  return m! >= 1 && m! <= 12 && d! >= 1 && d! <= daysInMonth && hh! <= 23 && mm! <= 59 && (ss ?? 0) <= 59;
}

/** Splits CSV text into records of fields, with the 1-based line each record starts on. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0]!.trim() === "")) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

/** Checks one data row; returns the flow it describes or what is wrong with it. */
export function parseRow(fields: readonly string[]): { event: FlowEvent } | { error: string } {
  if (fields.length !== CSV_HEADER.length) return { error: `expected ${CSV_HEADER.length} fields (${CSV_HEADER.join(",")}), found ${fields.length}` };
  const [timestamp, operator, agent, region, asset, direction, amount, reference] = fields.map((f) => f.trim()) as [string, string, string, string, string, string, string, string];
  const problems: string[] = [];
  let at = NaN;
  if (!ZONED_ISO.test(timestamp)) problems.push(`timestamp "${timestamp}" is not ISO 8601 with a zone (e.g. 2026-01-05T08:14:00Z or 2026-01-05T09:14:00+01:00)`);
  else if (!realDate(timestamp) || Number.isNaN((at = Date.parse(timestamp)))) problems.push(`timestamp "${timestamp}" is not a real date and time`);
  for (const [name, value, pattern] of [["operator", operator, NAME], ["agent", agent, NAME], ["region", region, REGION]] as const) {
    if (!pattern.test(value)) problems.push(`${name} "${value}" must be 1–64 letters, digits or . _ - : /${name === "region" ? " and spaces" : ""}`);
    else if (PHONE_LIKE.test(value)) problems.push(`${name} "${value}" looks like a phone number; use the agent's till or code (no personal data)`);
  }
  const decimals = DECIMALS.get(asset);
  if (decimals === undefined) problems.push(`asset "${asset}" is not one of ${[...DECIMALS.keys()].join(", ")} (naira flows are cNGN: 1 NGN = 1 cNGN)`);
  if (direction !== "in" && direction !== "out") problems.push(`direction "${direction}" must be "in" (cash in) or "out" (cash out)`);
  let units = 0n;
  if (!/^\d+(\.\d+)?$/.test(amount)) problems.push(`amount "${amount}" must be a positive decimal like 25000.50 (no sign, separators or currency)`);
  else if (decimals !== undefined) {
    const places = amount.split(".")[1]?.length ?? 0;
    if (places > decimals) problems.push(`amount "${amount}" has ${places} decimals; ${asset} has ${decimals}`);
    else if ((units = parseUnits(amount, decimals)) === 0n) problems.push("amount must be more than zero");
  }
  if (reference.length === 0 || reference.length > 128) problems.push("reference must be 1–128 characters (the telco's transaction id)");
  else if (/[\s]/.test(reference)) problems.push(`reference "${reference}" must not contain spaces`);
  if (problems.length > 0) return { error: problems.join("; ") };
  return {
    event: { id: `telco:${operator}:${reference}`, source: "telco", at, operator, agent, region, asset, direction: direction as "in" | "out", amount: units, ref: undefined },
  };
}

const sameFlow = (a: FlowEvent, b: { at: number; agent: string; region: string; asset: string; direction: string; amount: string | bigint }) =>
  a.at === b.at && a.agent === b.agent && a.region === b.region && a.asset === b.asset && a.direction === b.direction && a.amount.toString() === b.amount.toString();

export async function importTelcoCsv(store: FlowStore, text: string): Promise<ImportReport> {
  const records = parseCsv(text.replace(/^\uFEFF/, ""));
  const rejected: RowError[] = [];
  const header = records.shift();
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(",") !== CSV_HEADER.join(",")) {
    return { rows: records.length, imported: 0, duplicates: 0, hours: 0, rejected: [{ line: header?.line ?? 1, message: `the first line must be the header ${CSV_HEADER.join(",")}` }] };
  }
  const good: { line: number; event: FlowEvent }[] = [];
  const byId = new Map<string, { line: number; event: FlowEvent }>();
  let duplicates = 0;
  for (const { line, fields } of records) {
    const parsed = parseRow(fields);
    if ("error" in parsed) {
      rejected.push({ line, message: parsed.error });
      continue;
    }
    const earlier = byId.get(parsed.event.id);
    if (earlier) {
      if (sameFlow(parsed.event, { ...earlier.event, amount: earlier.event.amount })) duplicates++;
      else rejected.push({ line, message: `reference ${fields[7]!.trim()} of ${parsed.event.operator} is already on line ${earlier.line} with different content` });
      continue;
    }
    byId.set(parsed.event.id, { line, event: parsed.event });
    good.push({ line, event: parsed.event });
  }
  const stored = await store.eventsById(good.map((g) => g.event.id));
  const fresh: FlowEvent[] = [];
  for (const { line, event } of good) {
    const before = stored.get(event.id);
    if (!before) fresh.push(event);
    else if (sameFlow(event, before)) duplicates++;
    else rejected.push({ line, message: `reference ${event.id.slice(`telco:${event.operator}:`.length)} of ${event.operator} was imported before with different content` });
  }
  const result = await store.record(fresh);
  const hours = new Set(fresh.map((e) => `${Math.floor(e.at / 3_600_000)}|${e.operator}|${e.agent}|${e.region}|${e.asset}`)).size;
  rejected.sort((a, b) => a.line - b.line);
  return { rows: records.length, imported: result.inserted, duplicates: duplicates + result.duplicates, rejected, hours };
}
