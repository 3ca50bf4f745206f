/** Timestamps in the forms rails use, in the rail's local time (Daraja's are East Africa Time). */

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "YYYYMMDDHHmmss" at a UTC offset in hours (Kenya: +3). */
export function compactTimestamp(ms: number, utcOffsetHours: number): string {
  const d = new Date(ms + utcOffsetHours * 3_600_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** "DD.MM.YYYY HH:mm:ss", as Daraja's B2C results write completion times. */
export function dottedTimestamp(ms: number, utcOffsetHours: number): string {
  const d = new Date(ms + utcOffsetHours * 3_600_000);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
