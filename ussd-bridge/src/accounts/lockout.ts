/**
 * The wrong-PIN lockout, as pure rules over a user's `failedPins` and `lockedUntil`.
 *
 * An attempt is counted *before* its PIN is checked, and the third attempt locks the account before
 * its check finishes (a right PIN then lifts the lock). So a burst of guesses sent at once gets at
 * most three of them checked: every other one finds the count already used up and is refused.
 * When a lock has run out the count starts again from zero: three more tries, then 30 more minutes.
 */
import type { PinCheck } from "../ports.js";

export const MAX_WRONG_PINS = 3;
export const LOCK_MS = 30 * 60_000;

export interface PinAttemptState {
  failedPins: number;
  lockedUntil: number;
}

export type AttemptStart =
  | { locked: true; until: number }
  /** `counted` is what to store before checking the PIN; `attempt` is this attempt's number (1..3). */
  | { locked: false; attempt: number; counted: PinAttemptState };

export function startAttempt(state: PinAttemptState, now: number): AttemptStart {
  if (state.lockedUntil > now) return { locked: true, until: state.lockedUntil };
  const previous = state.failedPins >= MAX_WRONG_PINS ? 0 : Math.max(0, state.failedPins); // an expired lock starts afresh
  const attempt = previous + 1;
  return { locked: false, attempt, counted: { failedPins: attempt, lockedUntil: attempt >= MAX_WRONG_PINS ? now + LOCK_MS : 0 } };
}

/** What a wrong PIN on attempt `attempt` means for the person: tries left, or locked until when. */
export function wrongPinResult(attempt: number, counted: PinAttemptState): PinCheck {
  if (attempt >= MAX_WRONG_PINS) return { ok: false, reason: "locked", until: counted.lockedUntil };
  return { ok: false, reason: "wrong", attemptsLeft: Math.max(0, MAX_WRONG_PINS - attempt) };
}

export const CLEARED: PinAttemptState = { failedPins: 0, lockedUntil: 0 };
