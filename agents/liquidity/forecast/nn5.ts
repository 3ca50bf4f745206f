/**
 * The NN5 data (111 series of daily ATM withdrawals, 791 days) with the Monash protocol: train on
 * days 1–735, forecast days 736–791 (horizon 56), scored against the gap-filled file
 * `nn5_daily_monash_imputed.csv`. The directory comes from env NN5_DIR, else `../shared/data/nn5`
 * beside the repository (where CI puts it too).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import type { SeriesHistory } from "./types.js";

export const NN5_FILE = "nn5_daily_monash_imputed.csv";
export const NN5_TRAIN_DAYS = 735;
export const NN5_HORIZON = 56;
/** NN5 is UK data: England and Wales bank holidays. */
export const NN5_COUNTRY = "GB";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

export class Nn5MissingError extends Error {
  constructor(file: string) {
    super(`NN5 data not found at ${file}. Put nn5_daily_monash_imputed.csv in ../shared/data/nn5 beside the repository, or set NN5_DIR to its directory.`);
    this.name = "Nn5MissingError";
  }
}

export class Nn5FormatError extends Error {
  constructor(file: string, detail: string) {
    super(`${file} is not the NN5 CSV expected (date, then one column per series): ${detail}`);
    this.name = "Nn5FormatError";
  }
}

export function nn5Dir(): string {
  return process.env.NN5_DIR ? path.resolve(process.env.NN5_DIR) : path.resolve(REPO_ROOT, "../shared/data/nn5");
}

export function nn5Available(dir = nn5Dir()): boolean {
  return existsSync(path.join(dir, NN5_FILE));
}

export interface Nn5 {
  /** Series names from the header, "NN5-001" … "NN5-111". */
  names: string[];
  /** ISO dates of every row (791). */
  dates: string[];
  /** The whole gap-filled series, one per name. */
  series: Float64Array[];
  trainDays: number;
  horizon: number;
  /** Days 1–trainDays of series i. */
  train(i: number): Float64Array;
  /** The forecast window (days trainDays+1 … trainDays+horizon) of series i. */
  test(i: number): Float64Array;
  /** Every series' training part as forecaster input (step "day", country "GB"). */
  trainHistories(trainDays?: number): SeriesHistory[];
}

/** Reads the gap-filled NN5 CSV. `file` overrides the default location (tests use small synthetic files). */
export function loadNn5(file = path.join(nn5Dir(), NN5_FILE), trainDays = NN5_TRAIN_DAYS, horizon = NN5_HORIZON): Nn5 {
  if (!existsSync(file)) throw new Nn5MissingError(file);
  const lines = readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]?.split(",") ?? [];
  if (header[0] !== "date" || header.length < 2) throw new Nn5FormatError(file, `header starts "${lines[0]?.slice(0, 40)}"`);
  const names = header.slice(1);
  const rows = lines.slice(1);
  if (rows.length < trainDays + horizon) throw new Nn5FormatError(file, `${rows.length} rows, needs ${trainDays + horizon}`);
  const dates: string[] = [];
  const series = names.map(() => new Float64Array(rows.length));
  rows.forEach((line, t) => {
    const cells = line.split(",");
    if (cells.length !== header.length) throw new Nn5FormatError(file, `row ${t + 2} has ${cells.length} cells, header ${header.length}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(cells[0])) throw new Nn5FormatError(file, `row ${t + 2} date "${cells[0]}"`);
    dates.push(cells[0]);
    for (let j = 0; j < names.length; j++) {
      const v = Number(cells[j + 1]);
      if (cells[j + 1] === "" || !Number.isFinite(v)) throw new Nn5FormatError(file, `row ${t + 2}, ${names[j]}: "${cells[j + 1]}" (the gap-filled file has no gaps)`);
      series[j][t] = v;
    }
  });
  return {
    names,
    dates,
    series,
    trainDays,
    horizon,
    train: (i) => series[i].subarray(0, trainDays),
    test: (i) => series[i].subarray(trainDays, trainDays + horizon),
    trainHistories: (days = trainDays) =>
      names.map((id, i) => ({ id, values: series[i].subarray(0, days), start: dates[0], step: "day" as const, country: NN5_COUNTRY })),
  };
}
