/**
 * The menu state machine: every screen in one table, how a screen is drawn from the state and a
 * catalog, and how one input moves the state. Inputs every input screen understands are handled
 * here, before the screen sees them: "00" home, "0" back (or the previous page of a long menu),
 * "98" the next page of a long menu.
 */
import type { Lang } from "../../ports.js";
import { formatMoney } from "../amounts.js";
import { catalogFor, type Catalog } from "../i18n/index.js";
import { maskForScreen } from "../phone-text.js";
import { layout, type Laid } from "../screen.js";
import type { FlowState, Notice, ScreenId } from "../state.js";
import { accountScreens } from "./account.js";
import { cashScreens } from "./cash.js";
import { convertScreens } from "./convert.js";
import { homeScreens } from "./home.js";
import { back, home, stay, type NoticeKey, type RenderContext, type ScreenSpec, type StepContext } from "./kit.js";
import { receiveScreens } from "./receive.js";
import { registerScreens } from "./register.js";
import { sendScreens } from "./send.js";

export const SCREENS: Record<ScreenId, ScreenSpec> = {
  ...registerScreens,
  ...homeScreens,
  ...sendScreens,
  ...receiveScreens,
  ...convertScreens,
  ...cashScreens,
  ...accountScreens,
};

export const SCREEN_IDS = Object.keys(SCREENS) as ScreenId[];

const RESUME_TARGETS = new Set(SCREEN_IDS.map((id) => SCREENS[id].resumeAt).filter((id) => id !== undefined));

/** Every notice that can appear above `screen` (see ScreenSpec.notices). */
export function noticesFor(screen: ScreenId): NoticeKey[] {
  const spec = SCREENS[screen];
  if (!spec.input) return [];
  return [...new Set<NoticeKey>(["invalidChoice", ...(spec.notices ?? []), ...(RESUME_TARGETS.has(screen) ? (["welcomeBack"] as const) : [])])];
}

export function noticeText(t: Catalog, notice: Notice, lang: Lang): string {
  switch (notice.key) {
    case "notRegistered":
      return t.notices.notRegistered({ to: maskForScreen(notice.to) });
    case "overSingle":
      return t.notices.overSingle({ max: formatMoney(notice.amount, notice.asset, lang) });
    case "overDaily":
      return t.notices.overDaily({ left: formatMoney(notice.amount, notice.asset, lang) });
    case "pinWrong":
      return t.notices.pinWrong({ attemptsLeft: notice.attemptsLeft });
    case "quoteRefused":
      return t.reasons[notice.reason];
    default:
      return t.notices[notice.key];
  }
}

/** The reply for a state: `CON …` or `END …`, within 182 characters. */
export function render(s: FlowState, r: RenderContext): Laid {
  const t = catalogFor(s.lang);
  const view = SCREENS[s.screen].view(s, t, r);
  return layout(view, t.nav, s.notice ? noticeText(t, s.notice, s.lang) : undefined, s.page);
}

export function isEnd(s: FlowState, r: RenderContext): boolean {
  return SCREENS[s.screen].view(s, catalogFor(s.lang), r).kind === "END";
}

/** Moves the state by one input. An END screen takes no more input. */
export async function step(s: FlowState, raw: string, cx: StepContext): Promise<FlowState> {
  const spec = SCREENS[s.screen];
  if (!spec.input) return s;
  const input = raw.trim();
  const cleared: FlowState = { ...s, notice: undefined };
  if (s.screen !== "session.resume") {
    if (input === "00") return home(cleared);
    if (input === "0") return s.page > 0 ? { ...cleared, page: s.page - 1 } : back(cleared);
    if (input === "98" && render(cleared, { phone: cx.phone }).pages > s.page + 1) return { ...cleared, page: s.page + 1 };
  }
  // An input longer than any answer a screen takes (a phone number with spaces is about 20) is noise.
  if (input.length > 40) return stay(cleared, { key: "invalidChoice" });
  const next = await spec.input(cleared, input, cx);
  if (next.notice && !noticesFor(next.screen).includes(next.notice.key)) {
    // A screen is sized for the notices it declares; say so loudly (tests fail on it) and drop this one.
    console.error(`ussd: BUG: screen ${next.screen} does not declare the notice ${next.notice.key}`);
    return { ...next, notice: undefined };
  }
  return next;
}

/**
 * The state a cut-off session continues from in a new one: the same flow and fields, back at the
 * screen its `resumeAt` names (a PIN screen is always asked again, a quote is always fetched again),
 * with who is dialling taken from the new session. Undefined when the old one should not be resumed.
 */
export function resumeState(old: FlowState, fresh: FlowState): FlowState | undefined {
  if (old.committed || old.accountId !== fresh.accountId) return undefined;
  const at = SCREENS[old.screen].resumeAt;
  if (!at) return undefined;
  const i = old.stack.lastIndexOf(at);
  const stack = old.screen === at ? old.stack : i >= 0 ? old.stack.slice(0, i) : old.stack;
  // A registered person's language is the registry's; a registration in progress keeps the one it chose.
  const lang = fresh.accountId ? fresh.lang : old.lang;
  return { ...old, screen: at, stack, page: 0, notice: { key: "welcomeBack" }, lang, country: fresh.country, network: fresh.network };
}

export function isResumable(s: FlowState): boolean {
  return !s.committed && SCREENS[s.screen].resumeAt !== undefined;
}
