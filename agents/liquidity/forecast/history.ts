/**
 * Checks at the door of every forecaster: a history must be non-empty, finite and long enough, and
 * the horizon a positive integer. The errors say what was wrong and what to do.
 */
import type { SeriesHistory } from "./types.js";

export class ForecastInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForecastInputError";
  }
}

export function checkHorizon(horizon: number, max = Infinity): void {
  if (!Number.isInteger(horizon) || horizon < 1) throw new ForecastInputError(`horizon must be a positive integer, got ${horizon}`);
  if (horizon > max) throw new ForecastInputError(`horizon ${horizon} is longer than this forecaster's ${max} steps`);
}

/** The history's values as a Float64Array, after checking them. */
export function checkedValues(h: SeriesHistory, minLength: number, forecaster: string): Float64Array {
  const v = h.values instanceof Float64Array ? h.values : Float64Array.from(h.values);
  if (v.length === 0) throw new ForecastInputError(`${forecaster}: series "${h.id}" is empty`);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new ForecastInputError(`${forecaster}: series "${h.id}" has a non-finite value (${v[i]}) at step ${i}; fill gaps before forecasting`);
    }
  }
  if (v.length < minLength) {
    throw new ForecastInputError(`${forecaster}: series "${h.id}" has ${v.length} steps, needs at least ${minLength}`);
  }
  return v;
}

/** The seasonal period of a step: a week of days, a day of hours. */
export function seasonFor(step: SeriesHistory["step"]): number {
  if (step === "day") return 7;
  if (step === "hour") return 24;
  throw new ForecastInputError(`unknown step "${String(step)}": use "day" or "hour"`);
}
