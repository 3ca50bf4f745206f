/**
 * The pieces every menu is made of: what a screen is (a view and, for input screens, what an input
 * does), how a step moves between screens, and the checks several flows share (amounts, PINs,
 * options).
 */
import type { AccountId, AssetSymbol, E164, OpOutcome, RailId } from "../../ports.js";
import { ASSET_SYMBOLS } from "../../ports.js";
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, pinProblem } from "../../accounts/pin.js";
import { parseAmount } from "../amounts.js";
import type { UssdDeps } from "../deps.js";
import type { Catalog } from "../i18n/index.js";
import type { LimitsCache } from "../limits-cache.js";
import type { View } from "../screen.js";
import { MAX_STACK, type FlowData, type FlowState, type Notice, type ScreenId } from "../state.js";

/** What a step may use besides the state: the other parts, and this session's identity and memory. */
export interface StepContext {
  deps: Required<Pick<UssdDeps, "now">> & UssdDeps;
  sessionId: string;
  phone: E164;
  /** PINs between hops, in memory only (see state.ts). */
  secrets: Map<string, string>;
  /** Single and daily limits, read through a short-lived copy (limits-cache.ts). */
  limits: LimitsCache;
  /** Writes the state before a money call, so a cut-off session is never resumed past it. */
  commit(state: FlowState): Promise<void>;
  /** The state of a cut-off session this one may continue, marking that one as taken; undefined when it cannot be continued. */
  takeOver(fromSessionId: string): Promise<FlowState | undefined>;
  /** Marks a cut-off session as not to be offered again. */
  forget(sessionId: string): Promise<void>;
}

export interface RenderContext {
  /** The number dialling, E.164. */
  phone: E164;
}

export interface ScreenSpec {
  view(s: FlowState, t: Catalog, r: RenderContext): View;
  /** Absent on END screens. Receives the input trimmed; "0", "00" and "98" are handled before it. */
  input?(s: FlowState, input: string, cx: StepContext): FlowState | Promise<FlowState>;
  /**
   * The notices this screen can show above itself, besides "Invalid choice" (any input screen) and
   * "Welcome back" (any screen a resumed session lands on). The screen tests render each of them
   * with the longest values, so a screen is only ever sized for what can really appear on it.
   */
  notices?: readonly NoticeKey[];
  /** Where a session cut off on this screen continues; absent = not worth resuming here. */
  resumeAt?: ScreenId;
  /** What is typed here is a PIN: it is never stored, not even in the session's record of inputs. */
  secret?: true;
}

export type NoticeKey = Notice["key"];

/** Notice groups, by the kind of input a screen reads. */
export const AMOUNT_NOTICES = ["amountFormat", "amountNegative", "amountZero", "amountDecimals", "amountTooLarge"] as const satisfies readonly NoticeKey[];
export const LIMIT_NOTICES = ["overSingle", "overDaily"] as const satisfies readonly NoticeKey[];
export const PHONE_NOTICES = ["invalidPhone", "ownNumber", "cannotSendTo"] as const satisfies readonly NoticeKey[];
export const PIN_NOTICES = ["pinFormat", "pinWrong"] as const satisfies readonly NoticeKey[];
export const NEW_PIN_NOTICES = ["pinFormat", "pinWeak", "pinMismatch", "pinAgain"] as const satisfies readonly NoticeKey[];

// ─── Moving between screens ───────────────────────────────────────────────────────────────────────

/** Forward to `screen`, remembering this one for "0 Back". */
export function go(s: FlowState, screen: ScreenId, data: FlowData = {}): FlowState {
  const stack = [...s.stack, s.screen].slice(-MAX_STACK);
  return { ...s, screen, stack, page: 0, notice: undefined, data: { ...s.data, ...data } };
}

/** To `screen` without remembering this one (results, and jumps that must not be undone). */
export function show(s: FlowState, screen: ScreenId, data: FlowData = {}, notice?: Notice): FlowState {
  return { ...s, screen, page: 0, notice, data: { ...s.data, ...data } };
}

/** The same screen again, with a line saying what was wrong. */
export function stay(s: FlowState, notice: Notice): FlowState {
  return { ...s, notice };
}

/** Back one screen ("0"), optionally saying why. */
export function back(s: FlowState, notice?: Notice): FlowState {
  const screen = s.stack.at(-1);
  if (!screen) return stay(s, notice ?? { key: "invalidChoice" });
  return { ...s, screen, stack: s.stack.slice(0, -1), page: 0, notice };
}

/** Back to an earlier `screen` of this flow (or to it afresh when it is not behind us). */
export function backTo(s: FlowState, screen: ScreenId, notice?: Notice): FlowState {
  const at = s.stack.lastIndexOf(screen);
  const stack = at >= 0 ? s.stack.slice(0, at) : s.stack;
  return { ...s, screen, stack, page: 0, notice };
}

/** The first screen: home for an account, the language screen for a number that has none. */
export function home(s: FlowState, notice?: Notice): FlowState {
  return { ...s, screen: s.accountId ? "home" : "register.language", stack: [], page: 0, notice, data: {}, committed: undefined };
}

// ─── Reading inputs ───────────────────────────────────────────────────────────────────────────────

/** The 0-based option picked by typing its number, or undefined. */
export function choice(input: string, count: number): number | undefined {
  if (!/^\d{1,2}$/.test(input)) return undefined;
  const n = Number(input);
  return n >= 1 && n <= count ? n - 1 : undefined;
}

export function assetChoice(input: string, offered: readonly AssetSymbol[] = ASSET_SYMBOLS): AssetSymbol | undefined {
  const i = choice(input, offered.length);
  return i === undefined ? undefined : offered[i];
}

/** An amount typed on an amount screen: the value, or the notice that says what is wrong with it. */
export function readAmount(s: FlowState, input: string): { value: bigint } | { notice: Notice } {
  const parsed = parseAmount(input, s.lang);
  if (parsed.ok) return { value: parsed.value };
  const key = ({ format: "amountFormat", negative: "amountNegative", zero: "amountZero", decimals: "amountDecimals", "too-large": "amountTooLarge" } as const)[parsed.problem];
  return { notice: { key } };
}

/** A PIN has 4 to 6 digits (the registry's policy); anything else is refused before it costs an attempt. */
export const PIN_FORMAT = new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);

/** Why a new PIN is not acceptable, as a notice (the registry's own policy, asked before the PIN is repeated). */
export function newPinNotice(pin: string, phone: E164): Notice | undefined {
  const problem = pinProblem(pin, phone);
  if (!problem) return undefined;
  return problem === "trivial" ? { key: "pinWeak" } : { key: "pinFormat" };
}

export function requireAccount(s: FlowState): AccountId {
  if (!s.accountId) throw new Error("this screen needs an account");
  return s.accountId;
}

/**
 * Checks the PIN typed on a PIN screen. `ok` lets the step go on; otherwise `next` is the screen to
 * show (the same one with "Wrong PIN, n tries left", or the locked screen).
 */
export async function checkPin(s: FlowState, pin: string, cx: StepContext): Promise<{ ok: true } | { ok: false; next: FlowState }> {
  if (!PIN_FORMAT.test(pin)) return { ok: false, next: stay(s, { key: "pinFormat" }) };
  const result = await cx.deps.registry.verifyPin(requireAccount(s), pin);
  if (result.ok) return { ok: true };
  if (result.reason === "wrong") return { ok: false, next: stay(s, { key: "pinWrong", attemptsLeft: result.attemptsLeft }) };
  return { ok: false, next: lockedScreen(s, result.until, cx.deps.now()) };
}

export function lockedScreen(s: FlowState, until: number, now: number): FlowState {
  return show(s, "pin.locked", { lockedMinutes: Math.max(1, Math.ceil((until - now) / 60_000)) });
}

/** A short reference a person can read out: the first 10 hex digits of the operation id. */
export function refOf(opId: bigint): string {
  return opId.toString(16).padStart(64, "0").slice(0, 10).toUpperCase();
}

/**
 * The result screen of a money call. A call that throws is asked about once more: if the outbox
 * holds the operation it will complete (the person is told an SMS follows), otherwise nothing
 * happened and the person is told so.
 */
export async function settle(
  cx: StepContext,
  opId: bigint,
  call: () => Promise<OpOutcome>,
): Promise<OpOutcome> {
  try {
    return await call();
  } catch (error) {
    console.error(`ussd: money call failed for op ${refOf(opId)}: ${(error as Error).name}`);
    const known = await cx.deps.money.operation(opId).catch(() => undefined);
    if (known && known.status !== "failed") return { status: "pending", opId };
    return { status: "refused", opId, reason: "unknown" };
  }
}

export function railOf(s: FlowState): RailId {
  if (!s.data.rail) throw new Error("this screen needs a rail");
  return s.data.rail;
}
