/**
 * THE feature pipeline: the one place that turns a daily history into the model's input row, its
 * training targets, and its output back into the series' units. Training (model/train.ts) and ONNX
 * inference (onnx.ts) both call it, so they cannot drift apart.
 *
 * For a history of n days (the forecast starts at day n):
 *   scale   = mean of the last `scaleDays` values (1 if that is 0): everything is divided by it
 *   base[h] = mean of the same weekday over the last 4 weeks ÷ scale: a seasonal-naive anchor;
 *             the network predicts the departure from it
 * Input row (length featureLength(cfg)), in this order:
 *   recent    the last `inputDays` values ÷ scale − 1
 *   yearly    the values 364 days before each target day, preceded by `yearContextDays` more days
 *             (so the net can compare last year's level with this year's) ÷ scale − 1; zeros when the
 *             history is shorter than that
 *   1         1 if the yearly block is present, else 0
 *   7         one-hot weekday of the first target day
 *   per target day (CALENDAR_PER_DAY each): holiday; holiday tomorrow; in 2 days; holiday yesterday;
 *             2 days ago; month-end payroll; mid-month payroll; was the day 364 days earlier a holiday;
 *             days to the next holiday ÷ 14 (capped at 1); days since the last ÷ 14 (capped at 1)
 * Targets: y[n + h] ÷ scale − base[h]. Output: scale · (base[h] + network output).
 */
import { dayNumber, dayOfWeek, daysFromHoliday, daysToHoliday, isHoliday, isMidMonthPayroll, isMonthEndPayroll, isoDate } from "../calendar.js";
import { ForecastInputError } from "./history.js";

export interface FeatureConfig {
  horizon: number;
  inputDays: number;
  scaleDays: number;
  yearLag: number;
  yearContextDays: number;
}

export const DEFAULT_FEATURES: FeatureConfig = { horizon: 56, inputDays: 70, scaleDays: 28, yearLag: 364, yearContextDays: 28 };

export const CALENDAR_PER_DAY = 10;
const BASE_WEEKS = 4;

export function featureLength(c: FeatureConfig): number {
  return c.inputDays + c.yearContextDays + c.horizon + 1 + 7 + c.horizon * CALENDAR_PER_DAY;
}

/** The shortest history the pipeline accepts. */
export function minHistory(c: FeatureConfig): number {
  return Math.max(c.inputDays, c.scaleDays, 7 * BASE_WEEKS);
}

export function checkFeatureConfig(c: FeatureConfig): void {
  const ints = [c.horizon, c.inputDays, c.scaleDays, c.yearLag, c.yearContextDays];
  if (!ints.every((v) => Number.isInteger(v) && v >= 0) || c.horizon < 1 || c.scaleDays < 1 || c.inputDays < 1) {
    throw new ForecastInputError(`bad feature config ${JSON.stringify(c)}: every length must be a non-negative integer, horizon, inputDays and scaleDays at least 1`);
  }
  if (c.horizon > c.yearLag) throw new ForecastInputError(`horizon ${c.horizon} must not exceed the yearly lag ${c.yearLag}`);
}

// Calendar rows are the same for every series on the same date: cache them per country and day.
const calendarCache = new Map<string, Map<number, Float32Array>>();

function calendarRow(day: number, country: string, yearLag: number): Float32Array {
  let byDay = calendarCache.get(country);
  if (!byDay) calendarCache.set(country, (byDay = new Map()));
  let row = byDay.get(day);
  if (row) return row;
  const date = isoDate(day);
  const to = daysToHoliday(date, country);
  const from = daysFromHoliday(date, country);
  row = Float32Array.of(
    isHoliday(date, country) ? 1 : 0,
    to === 1 ? 1 : 0,
    to === 2 ? 1 : 0,
    from === 1 ? 1 : 0,
    from === 2 ? 1 : 0,
    isMonthEndPayroll(date, country) ? 1 : 0,
    isMidMonthPayroll(date, country) ? 1 : 0,
    isHoliday(isoDate(day - yearLag), country) ? 1 : 0,
    Math.min(1, to / 14),
    Math.min(1, from / 14),
  );
  byDay.set(day, row);
  return row;
}

/**
 * Writes the input row for a forecast from day n of `values` (history = values[0..n)) into
 * x[offset …], and base[h] into base[baseOffset …]. Returns the scale.
 */
export function writeFeatures(
  values: ArrayLike<number>,
  n: number,
  startDay: number,
  country: string,
  c: FeatureConfig,
  x: Float32Array,
  offset: number,
  base: Float32Array,
  baseOffset: number,
): number {
  if (n < minHistory(c)) throw new ForecastInputError(`the model needs at least ${minHistory(c)} days of history, got ${n}`);
  let sum = 0;
  for (let t = n - c.scaleDays; t < n; t++) sum += values[t];
  const scale = sum > 0 ? sum / c.scaleDays : 1;
  const inv = 1 / scale;
  let o = offset;
  for (let t = n - c.inputDays; t < n; t++) x[o++] = values[t] * inv - 1;
  const yearStart = n - c.yearLag - c.yearContextDays;
  const yearLen = c.yearContextDays + c.horizon;
  const hasYear = yearStart >= 0;
  for (let j = 0; j < yearLen; j++) x[o++] = hasYear ? values[yearStart + j] * inv - 1 : 0;
  x[o++] = hasYear ? 1 : 0;
  const firstTarget = startDay + n;
  const dow = dayOfWeek(isoDate(firstTarget));
  for (let d = 0; d < 7; d++) x[o++] = d === dow ? 1 : 0;
  for (let h = 0; h < c.horizon; h++) {
    const row = calendarRow(firstTarget + h, country, c.yearLag);
    for (let k = 0; k < CALENDAR_PER_DAY; k++) x[o++] = row[k];
  }
  for (let h = 0; h < c.horizon; h++) {
    let s = 0;
    for (let w = 1; w <= BASE_WEEKS; w++) s += values[n - 7 * w + (h % 7)];
    base[baseOffset + h] = (s / BASE_WEEKS) * inv;
  }
  return scale;
}

/** Training targets for the forecast from day n: y[n + h] ÷ scale − base[h]. */
export function writeTargets(values: ArrayLike<number>, n: number, scale: number, c: FeatureConfig, base: Float32Array, baseOffset: number, y: Float32Array, offset: number): void {
  for (let h = 0; h < c.horizon; h++) y[offset + h] = values[n + h] / scale - base[baseOffset + h];
}

/**
 * Network output (quantile-major, Q·horizon) back to the series' units: scale · (base + out).
 * Quantiles are re-sorted per step (no crossing) and floored at 0 (cash demand is not negative).
 */
export function denormalise(out: ArrayLike<number>, outOffset: number, levels: readonly number[], scale: number, base: Float32Array, baseOffset: number, horizon: number): Map<number, Float64Array> {
  const Q = levels.length;
  const paths = levels.map(() => new Float64Array(horizon));
  const col = new Float64Array(Q);
  for (let h = 0; h < horizon; h++) {
    for (let q = 0; q < Q; q++) col[q] = Math.max(0, scale * (base[baseOffset + h] + out[outOffset + q * horizon + h]));
    col.sort();
    for (let q = 0; q < Q; q++) paths[q][h] = col[q];
  }
  return new Map(levels.map((q, i) => [q, paths[i]]));
}

/** The first day of a history as a day number, checked. */
export function startDayOf(start: string): number {
  return dayNumber(start);
}
