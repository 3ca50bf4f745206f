/**
 * Calendar facts that move cash demand: day of week, payroll days (last business day of the month,
 * and the 15th or the business day before it), and public holidays from `date-holidays`.
 *
 * Used by the forecast feature pipeline (features.ts) and by the rebalancer's explanations
 * ("payroll day"). Dates are calendar days written as ISO `yyyy-mm-dd`, read in UTC, so no time
 * zone can shift a day.
 *
 * Countries: ISO 3166 alpha-2 ("NG", "KE", "GB"), optionally with a region ("GB-SCT"). "GB" alone
 * means England and Wales (region ENG), whose bank holidays are the ones that shaped the NN5 ATM
 * data; date-holidays' plain "GB" lacks the Summer bank holiday.
 */
import Holidays from "date-holidays";

const DAY_MS = 86_400_000;
/** How far days-to/from-holiday look before giving up; beyond it the value is this cap. */
export const HOLIDAY_DISTANCE_CAP = 30;

export class UnknownCountryError extends Error {
  constructor(country: string) {
    super(`unknown country "${country}" for holidays: use an ISO 3166 alpha-2 code that date-holidays knows, e.g. "NG", "KE" or "GB" (optionally "GB-SCT")`);
    this.name = "UnknownCountryError";
  }
}

export class BadDateError extends Error {
  constructor(date: string) {
    super(`bad date "${date}": expected a calendar day as yyyy-mm-dd`);
    this.name = "BadDateError";
  }
}

/** Days since 1970-01-01 of an ISO date (yyyy-mm-dd, or a longer ISO string whose first 10 chars are the day). */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new BadDateError(date);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) throw new BadDateError(date);
  return Math.round(ms / DAY_MS);
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return isoDate(dayNumber(date) + days);
}

/** 0 = Monday … 6 = Sunday (ISO order, so weekends are 5 and 6). */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (3 in this numbering).
  return (((dayNumber(date) + 3) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  return dayOfWeek(date) >= 5;
}

// ---------------------------------------------------------------------------------------------
// Holidays

interface CountryHolidays {
  hd: Holidays;
  /** year → (ISO day → holiday name) */
  years: Map<number, Map<string, string>>;
}

const byCountry = new Map<string, CountryHolidays>();
let supported: Set<string> | undefined;

function countryHolidays(country: string): CountryHolidays {
  const cached = byCountry.get(country);
  if (cached) return cached;
  const [code, region] = country.toUpperCase().split("-");
  supported ??= new Set(Object.keys(new Holidays().getCountries()));
  if (!code || !/^[A-Z]{2}$/.test(code) || !supported.has(code)) throw new UnknownCountryError(country);
  const effectiveRegion = region ?? (code === "GB" ? "ENG" : undefined);
  const hd = effectiveRegion ? new Holidays(code, effectiveRegion) : new Holidays(code);
  if (effectiveRegion && !hd.getStates(code)?.[effectiveRegion]) throw new UnknownCountryError(country);
  const entry = { hd, years: new Map<number, Map<string, string>>() };
  byCountry.set(country, entry);
  return entry;
}

/** Public and bank holidays of a country in a year, ISO day → name (observances such as Mother's Day excluded). */
export function holidaysOf(country: string, year: number): Map<string, string> {
  const c = countryHolidays(country);
  let days = c.years.get(year);
  if (!days) {
    days = new Map();
    for (const h of c.hd.getHolidays(year)) {
      if (h.type !== "public" && h.type !== "bank") continue;
      const day = h.date.slice(0, 10);
      if (!days.has(day)) days.set(day, h.name);
    }
    c.years.set(year, days);
  }
  return days;
}

export function holidayName(date: string, country: string): string | undefined {
  dayNumber(date);
  return holidaysOf(country, Number(date.slice(0, 4))).get(date.slice(0, 10));
}

export function isHoliday(date: string, country: string): boolean {
  return holidayName(date, country) !== undefined;
}

export function isBusinessDay(date: string, country: string): boolean {
  return !isWeekend(date) && !isHoliday(date, country);
}

/** Days until the next holiday after `date` (1 = tomorrow), capped at HOLIDAY_DISTANCE_CAP. */
export function daysToHoliday(date: string, country: string): number {
  const d = dayNumber(date);
  for (let k = 1; k < HOLIDAY_DISTANCE_CAP; k++) if (isHoliday(isoDate(d + k), country)) return k;
  return HOLIDAY_DISTANCE_CAP;
}

/** Days since the last holiday before `date` (1 = yesterday), capped at HOLIDAY_DISTANCE_CAP. */
export function daysFromHoliday(date: string, country: string): number {
  const d = dayNumber(date);
  for (let k = 1; k < HOLIDAY_DISTANCE_CAP; k++) if (isHoliday(isoDate(d - k), country)) return k;
  return HOLIDAY_DISTANCE_CAP;
}

// ---------------------------------------------------------------------------------------------
// Payroll days

/** The last business day of the month: salaries are paid then, and cash-out jumps. */
export function isMonthEndPayroll(date: string, country: string): boolean {
  if (!isBusinessDay(date, country)) return false;
  const d = dayNumber(date);
  const month = date.slice(0, 7);
  for (let k = 1; ; k++) {
    const next = isoDate(d + k);
    if (next.slice(0, 7) !== month) return true;
    if (isBusinessDay(next, country)) return false;
  }
}

/** The 15th, or the last business day before it when the 15th is a weekend or holiday. */
export function isMidMonthPayroll(date: string, country: string): boolean {
  if (!isBusinessDay(date, country)) return false;
  const dom = Number(date.slice(8, 10));
  if (dom > 15) return false;
  if (dom === 15) return true;
  for (let k = dom + 1; k <= 15; k++) {
    if (isBusinessDay(`${date.slice(0, 8)}${String(k).padStart(2, "0")}`, country)) return false;
  }
  return true;
}

export function isPayrollDay(date: string, country: string): boolean {
  return isMonthEndPayroll(date, country) || isMidMonthPayroll(date, country);
}

/** Days from `date` to the last day of its month (0 on the last day). */
export function daysToMonthEnd(date: string): number {
  const d = dayNumber(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const last = Math.round(Date.UTC(y, m, 0) / DAY_MS);
  return last - d;
}

// ---------------------------------------------------------------------------------------------
// Easter (Western, Gregorian), for the proximity feature: in the UK it moves two bank holidays.

/** Easter Sunday of a year (anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Signed days from the nearest Easter Sunday (negative before it). */
export function daysFromEaster(date: string): number {
  const d = dayNumber(date);
  const y = Number(date.slice(0, 4));
  let best = Infinity;
  for (const yy of [y - 1, y, y + 1]) {
    const diff = d - dayNumber(easterSunday(yy));
    if (Math.abs(diff) < Math.abs(best)) best = diff;
  }
  return best;
}

export interface CalendarDay {
  date: string;
  /** 0 = Monday … 6 = Sunday. */
  dayOfWeek: number;
  dayOfMonth: number;
  isWeekend: boolean;
  holiday: string | undefined;
  isMonthEndPayroll: boolean;
  isMidMonthPayroll: boolean;
  daysToHoliday: number;
  daysFromHoliday: number;
  daysToMonthEnd: number;
}

/** Everything the calendar knows about one day, for features and explanations. */
export function calendarDay(date: string, country: string): CalendarDay {
  const day = isoDate(dayNumber(date));
  return {
    date: day,
    dayOfWeek: dayOfWeek(day),
    dayOfMonth: Number(day.slice(8, 10)),
    isWeekend: isWeekend(day),
    holiday: holidayName(day, country),
    isMonthEndPayroll: isMonthEndPayroll(day, country),
    isMidMonthPayroll: isMidMonthPayroll(day, country),
    daysToHoliday: daysToHoliday(day, country),
    daysFromHoliday: daysFromHoliday(day, country),
    daysToMonthEnd: daysToMonthEnd(day),
  };
}

/** Short words for an explanation, e.g. ["payroll day (month end)", "day before Good Friday"]. */
export function describeDay(date: string, country: string): string[] {
  const c = calendarDay(date, country);
  const words: string[] = [];
  if (c.holiday) words.push(`public holiday (${c.holiday})`);
  if (c.isMonthEndPayroll) words.push("payroll day (month end)");
  if (c.isMidMonthPayroll) words.push("payroll day (mid-month)");
  if (!c.holiday && c.daysToHoliday === 1) words.push(`day before ${holidayName(addDays(c.date, 1), country)}`);
  return words;
}
