/**
 * Sanctions screening against a list loaded from a CSV file.
 *
 * Format (docs/compliance.md): a header line naming the columns
 * `list_id,name,aliases,phone,country,program,source` (any order; extra columns ignored), then one
 * person per line. `aliases` are `|`-separated; `phone` is E.164 (`+` and the country code);
 * `country` is ISO 3166-1 alpha-2. A row needs a `list_id` and at least a name or a phone.
 *
 * A phone number matches exactly (on its E.164 form); a name matches when `nameSimilarity` with the
 * listed name or any alias reaches the threshold. Bad rows are reported with their line number and
 * skipped, never half-loaded; error texts name the line and list id, never a name or a full number.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { parsePhoneNumberFromString } from "libphonenumber-js/max";

import { maskPhone, type E164 } from "../../../sdk/phone.js";
import type { ScreeningHit, ScreeningResult } from "../ports.js";
import { parseCsv } from "./csv.js";
import { nameTokens, tokenSimilarity } from "./names.js";

export const SAMPLE_SANCTIONS_FILE = path.resolve(import.meta.dirname, "../../data/sanctions-sample.csv");
export const DEFAULT_NAME_THRESHOLD = 0.9;
export const SANCTIONS_COLUMNS = ["list_id", "name", "aliases", "phone", "country", "program", "source"] as const;

export interface SanctionsEntry {
  listId: string;
  name?: string;
  aliases: string[];
  phone?: E164;
  country?: string;
  program?: string;
  source?: string;
}

export interface SanctionsLineError {
  line: number;
  reason: string;
}

export interface ParsedSanctions {
  entries: SanctionsEntry[];
  errors: SanctionsLineError[];
}

const LIST_ID = /^[A-Za-z0-9._:/-]{1,64}$/;

export function parseSanctionsCsv(text: string): ParsedSanctions {
  const csv = parseCsv(text);
  const [header, ...rows] = csv.records;
  if (!header) return { entries: [], errors: [{ line: 1, reason: `the file is empty; the first line must be the header ${SANCTIONS_COLUMNS.join(",")}` }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const missing = SANCTIONS_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return { entries: [], errors: [{ line: header.line, reason: `the header lacks ${missing.join(", ")}; expected ${SANCTIONS_COLUMNS.join(",")}` }] };
  }
  const at = Object.fromEntries(SANCTIONS_COLUMNS.map((c) => [c, columns.indexOf(c)])) as Record<(typeof SANCTIONS_COLUMNS)[number], number>;

  const entries: SanctionsEntry[] = [];
  const errors: SanctionsLineError[] = [...csv.errors];
  const seen = new Map<string, number>();
  for (const { line, fields } of rows) {
    const fail = (reason: string) => errors.push({ line, reason });
    if (fields.length !== columns.length) {
      fail(`expected ${columns.length} fields as in the header, found ${fields.length} (a name with a comma must be in double quotes)`);
      continue;
    }
    const get = (c: (typeof SANCTIONS_COLUMNS)[number]) => fields[at[c]].trim();
    const listId = get("list_id");
    if (!LIST_ID.test(listId)) {
      fail(listId === "" ? "list_id is empty" : "list_id must be 1-64 letters, digits or . _ : / -");
      continue;
    }
    const first = seen.get(listId);
    if (first !== undefined) {
      fail(`list_id ${listId} was already used on line ${first}`);
      continue;
    }
    const name = get("name");
    const aliases = get("aliases").split("|").map((a) => a.trim()).filter((a) => a !== "");
    const rawPhone = get("phone");
    const country = get("country").toUpperCase();
    if (name === "" && rawPhone === "") {
      fail(`${listId}: neither a name nor a phone, so nothing could ever match`);
      continue;
    }
    if (name !== "" && nameTokens(name).length === 0) {
      fail(`${listId}: the name has no letters or digits`);
      continue;
    }
    if (aliases.some((a) => nameTokens(a).length === 0)) {
      fail(`${listId}: an alias has no letters or digits`);
      continue;
    }
    let phone: E164 | undefined;
    if (rawPhone !== "") {
      const e164 = listedPhone(rawPhone);
      if (!e164) {
        fail(`${listId}: phone ${maskPhone(rawPhone)} is not a valid E.164 number (write it as + country code and digits)`);
        continue;
      }
      phone = e164;
    }
    if (country !== "" && !/^[A-Z]{2}$/.test(country)) {
      fail(`${listId}: country must be an ISO 3166-1 alpha-2 code such as KE`);
      continue;
    }
    seen.set(listId, line);
    entries.push({
      listId,
      name: name || undefined,
      aliases,
      phone,
      country: country || undefined,
      program: get("program") || undefined,
      source: get("source") || undefined,
    });
  }
  return { entries, errors: errors.sort((a, b) => a.line - b.line) };
}

export function loadSanctionsFile(file: string): ParsedSanctions {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { entries: [], errors: [{ line: 0, reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseSanctionsCsv(text);
}

/**
 * A listed number in E.164 form. Only the country code and a possible length are required, not a
 * number the plan has assigned: lists carry old or reserved numbers, and the sample uses Ofcom's
 * drama range. The bridge's own numbers are always valid E.164, so the exact match is unaffected.
 */
function listedPhone(raw: string): E164 | undefined {
  if (!/^\+[\d\s().-]{6,24}$/.test(raw)) return undefined;
  const parsed = parsePhoneNumberFromString(raw);
  return parsed?.isPossible() ? (parsed.number as E164) : undefined;
}

interface IndexedName {
  entry: SanctionsEntry;
  name: string;
  tokens: string[];
}

/** An in-memory list, indexed for screening. */
export class SanctionsList {
  readonly threshold: number;
  private readonly byPhone = new Map<E164, SanctionsEntry[]>();
  private readonly names: IndexedName[] = [];

  constructor(
    readonly entries: readonly SanctionsEntry[],
    options: { threshold?: number } = {},
  ) {
    this.threshold = options.threshold ?? DEFAULT_NAME_THRESHOLD;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new Error(`the name-match threshold must be in (0, 1], got ${this.threshold}`);
    for (const entry of entries) {
      if (entry.phone) this.byPhone.set(entry.phone, [...(this.byPhone.get(entry.phone) ?? []), entry]);
      for (const name of [entry.name, ...entry.aliases]) {
        if (name) this.names.push({ entry, name, tokens: nameTokens(name) });
      }
    }
  }

  screen(subject: { phone?: E164; name?: string }): ScreeningResult {
    const best = new Map<string, ScreeningHit>();
    const keep = (hit: ScreeningHit) => {
      const prior = best.get(hit.listId);
      if (!prior || hit.score > prior.score) best.set(hit.listId, hit);
    };
    if (subject.phone) {
      for (const entry of this.byPhone.get(subject.phone) ?? []) keep({ listId: entry.listId, name: entry.name, score: 1 });
    }
    const tokens = subject.name ? nameTokens(subject.name) : [];
    if (tokens.length > 0) {
      for (const candidate of this.names) {
        const score = tokenSimilarity(tokens, candidate.tokens);
        if (score >= this.threshold) keep({ listId: candidate.entry.listId, name: candidate.entry.name ?? candidate.name, score });
      }
    }
    if (best.size === 0) return { hit: false };
    return { hit: true, matches: [...best.values()].sort((a, b) => b.score - a.score) };
  }
}

export interface SanctionsConfig {
  file: string;
  threshold: number;
  /** True when no list was configured and the fictitious sample is in use. */
  sample: boolean;
}

/** `JUAPESA_SANCTIONS_FILE` (default: the shipped fictitious sample) and `JUAPESA_SANCTIONS_THRESHOLD`. */
export function sanctionsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SanctionsConfig {
  const file = env.JUAPESA_SANCTIONS_FILE?.trim();
  const rawThreshold = env.JUAPESA_SANCTIONS_THRESHOLD?.trim();
  const threshold = rawThreshold ? Number(rawThreshold) : DEFAULT_NAME_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`JUAPESA_SANCTIONS_THRESHOLD must be a number in (0, 1], got "${rawThreshold}"`);
  return { file: file || SAMPLE_SANCTIONS_FILE, threshold, sample: !file };
}
