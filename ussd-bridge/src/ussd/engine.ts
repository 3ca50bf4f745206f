/**
 * One USSD hop, from the gateway's validated request to the reply: which session it belongs to,
 * which of its inputs are new, the menu steps they make, the reply, and the one write that records
 * them. The session rules live here:
 *
 * - Africa's Talking sends every input so far (`1*0712345678*500`); only the inputs after the ones
 *   already processed are stepped through.
 * - The exact `text` of the last hop again is a gateway retry: the stored reply is sent again and
 *   nothing is done twice.
 * - What is stored of the inputs has every PIN (and anything typed after an END) replaced by a
 *   mark that matches any input, so the database never holds a PIN and retries still match.
 * - A known session id with another phone number, or a new session for a phone that a live session
 *   holds, gets an END screen and changes nothing.
 * - A session cut off mid-flow can be continued from the next dial (sessions.ts has the windows);
 *   the first screen then offers "Continue where you left off / Start again".
 *
 * Hops of one phone run one at a time (a retry that arrives while its original is still waiting on
 * the chain waits for it and then gets its reply). Any failure of another part ends the session
 * with a "not available" screen, never an HTTP error.
 */
import { countryOf } from "../../../sdk/phone.js";
import type { E164, User } from "../ports.js";
import type { UssdDeps } from "./deps.js";
import { LimitsCache } from "./limits-cache.js";
import { defaultLangFor } from "./i18n/index.js";
import type { StepContext } from "./menu/kit.js";
import { isEnd, isResumable, render, resumeState, SCREENS, step } from "./menu/machine.js";
import { LIVE_WINDOW_MS, RESUME_WINDOW_MS, SessionStore, StaleSessionError, type SessionRecord } from "./sessions.js";
import type { FlowState, ScreenId } from "./state.js";

export interface HopRequest {
  sessionId: string;
  phone: E164;
  network: string;
  /** The gateway's cumulative input, `*`-joined. */
  text: string;
}

export type EndStatus = "Success" | "Incomplete" | "Failed";

/** Replays after a stale write before giving up on the hop. */
const MAX_REPLAYS = 2;

/** Stands for an input that is not stored (a PIN); it matches any input in the same place. */
export const WITHHELD = "\u2022";

const splitText = (text: string): string[] => (text === "" ? [] : text.split("*"));

/** Whether `inputs` begin with what was stored of the inputs (withheld ones match anything). */
function startsWithStored(inputs: readonly string[], stored: readonly string[]): boolean {
  return stored.length <= inputs.length && stored.every((kept, i) => kept === WITHHELD || kept === inputs[i]);
}

export class UssdEngine {
  readonly store: SessionStore;
  private readonly deps: StepContext["deps"];
  private readonly limits: LimitsCache;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(deps: UssdDeps) {
    this.deps = { ...deps, now: deps.now ?? Date.now };
    this.store = new SessionStore(deps, this.deps.now);
    this.limits = new LimitsCache(deps.money, this.deps.now);
  }

  hop(req: HopRequest): Promise<string> {
    return this.serial(req.phone, () => this.hopWithReplays(req));
  }

  /** The gateway's end-of-session notice: Success ends the session, Incomplete/Failed marks it cut off. */
  async ended(sessionId: string, status: EndStatus): Promise<void> {
    const record = await this.store.get(sessionId);
    if (!record || record.status === "ended") return;
    await this.serial(record.phone, () => this.store.setStatus(sessionId, status === "Success" ? "ended" : "dropped"));
  }

  private async hopWithReplays(req: HopRequest): Promise<string> {
    for (let replay = 0; ; replay++) {
      try {
        return await this.hopOnce(req);
      } catch (error) {
        if (error instanceof StaleSessionError && replay < MAX_REPLAYS) continue;
        console.error(`ussd: hop failed: ${(error as Error).name}: ${(error as Error).message}`);
        return this.screenOnly("session.unavailable", defaultLangFor(countryOf(req.phone)), req.phone);
      }
    }
  }

  private async hopOnce(req: HopRequest): Promise<string> {
    const inputs = splitText(req.text);
    let record = await this.store.get(req.sessionId);
    let pending: string[];
    let kept: string[] = [];

    if (record) {
      if (record.phone !== req.phone) return this.screenOnly("session.mismatch", defaultLangFor(countryOf(req.phone)), req.phone);
      kept = splitText(record.lastInput);
      const repeat = inputs.length === kept.length && startsWithStored(inputs, kept);
      if (repeat && record.lastResponse !== "") return record.lastResponse;
      if (record.status === "ended") return this.screenOnly("session.ended", record.state.lang, req.phone);
      // Out of step (a late retry of an older hop, or a gateway that rewrote history): answer without acting.
      if (inputs.length <= kept.length || !startsWithStored(inputs, kept)) return this.screenOnly("session.ended", record.state.lang, req.phone);
      pending = inputs.slice(kept.length);
    } else {
      const opened = await this.open(req);
      if (typeof opened === "string") return opened;
      record = opened;
      pending = inputs;
    }

    const cx = this.context(record);
    let state = record.state;
    try {
      for (const input of pending) {
        const ended = isEnd(state, { phone: record.phone });
        kept.push(ended || SCREENS[state.screen].secret ? WITHHELD : input);
        if (!ended) state = await step(state, input, cx);
      }
    } catch (error) {
      if (error instanceof StaleSessionError) throw error;
      console.error(`ussd: step on ${state.screen} failed: ${(error as Error).name}: ${(error as Error).message}`);
      state = { ...state, screen: "session.unavailable", notice: undefined };
    }

    const { reply } = render(state, { phone: record.phone });
    const end = reply.startsWith("END ");
    while (kept.length < inputs.length) kept.push(WITHHELD); // inputs not reached because a step failed
    await this.store.save(record, { state, hops: inputs.length, lastInput: kept.join("*"), lastResponse: reply, status: end ? "ended" : "live" });
    if (end) record.secrets.clear();
    return reply;
  }

  /** The first hop of a session id: refused, or a new record (not stored yet) on its first screen. */
  private async open(req: HopRequest): Promise<SessionRecord | string> {
    const now = this.deps.now();
    const user = await this.deps.registry.findByPhone(req.phone);
    const fresh = this.initialState(req, user);
    if (user?.status === "blocked") return this.screenOnly("session.blocked", fresh.lang, req.phone);

    const others = await this.store.recentFor(req.phone, req.sessionId);
    if (others.some((o) => o.status === "live" && now - o.updatedAt < LIVE_WINDOW_MS)) return this.screenOnly("session.busy", fresh.lang, req.phone);

    const cutOff = others.find((o) => now - o.updatedAt <= RESUME_WINDOW_MS && isResumable(o.state) && resumeState(o.state, fresh) !== undefined);
    // Only the newest cut-off session can be continued; older ones are closed, so a phone never
    // has more than a couple of open rows to look through on its next dial.
    for (const superseded of others) if (superseded !== cutOff) await this.store.setStatus(superseded.sessionId, "ended");
    const state: FlowState = cutOff ? { ...fresh, screen: "session.resume", data: { resumeFrom: cutOff.sessionId } } : fresh;
    return this.store.fresh(req.sessionId, req.phone, state);
  }

  private initialState(req: HopRequest, user: User | undefined): FlowState {
    const country = user?.country ?? countryOf(req.phone) ?? this.deps.config.defaultCountry;
    return {
      screen: user ? "home" : "register.language",
      stack: [],
      page: 0,
      lang: user?.lang ?? defaultLangFor(country),
      country,
      network: req.network,
      accountId: user?.accountId,
      data: {},
    };
  }

  private context(record: SessionRecord): StepContext {
    return {
      deps: this.deps,
      sessionId: record.sessionId,
      phone: record.phone,
      secrets: record.secrets,
      limits: this.limits,
      commit: (state) => this.store.save(record, { state, hops: record.hops, lastInput: record.lastInput, lastResponse: record.lastResponse, status: "live" }),
      takeOver: async (fromSessionId) => {
        const old = await this.store.get(fromSessionId);
        if (!old || old.phone !== record.phone || old.status === "ended") return undefined;
        if (this.deps.now() - old.updatedAt > RESUME_WINDOW_MS) return undefined;
        await this.store.setStatus(fromSessionId, "ended");
        return resumeState(old.state, record.state);
      },
      forget: (sessionId) => this.store.setStatus(sessionId, "ended"),
    };
  }

  /** A screen that belongs to no session state (refusals): rendered, never stored. */
  private screenOnly(screen: ScreenId, lang: FlowState["lang"], phone: E164): string {
    const state: FlowState = { screen, stack: [], page: 0, lang, country: "", network: "", data: {} };
    return render(state, { phone }).reply;
  }

  /** Runs `task` after every earlier task for the same key. */
  private serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.queues.get(key) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }
}
