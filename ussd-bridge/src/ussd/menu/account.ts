/**
 * Balance and My account (Change PIN, Language).
 *
 * Balance asks the PIN first: balances are personal, and a phone is often lent or shared; M-Pesa asks
 * too. Change PIN checks the current PIN on its own screen (a wrong one counts towards the lock like
 * any other), then takes the new one twice.
 */
import { ASSET_SYMBOLS, LANGS } from "../../ports.js";
import { formatAmount } from "../amounts.js";
import type { FlowState } from "../state.js";
import { NEW_PIN_NOTICES, PIN_NOTICES, backTo, checkPin, choice, go, home, lockedScreen, newPinNotice, requireAccount, show, stay, type ScreenSpec, type StepContext } from "./kit.js";
import { languageNames } from "./register.js";

const OLD_PIN = "account.oldPin";
const NEW_PIN = "account.newPin";

export const accountScreens = {
  "balance.pin": {
    secret: true,
    view: (_s, t) => ({ kind: "CON", head: t.balance.pin, nav: true }),
    notices: PIN_NOTICES,
    input: async (s, input, cx) => {
      const pin = await checkPin(s, input, cx);
      if (!pin.ok) return pin.next;
      const balances = await cx.deps.money.balances(requireAccount(s));
      return show(s, "balance.show", { balances: Object.fromEntries(ASSET_SYMBOLS.map((a) => [a, (balances[a] ?? 0n).toString()])) });
    },
    resumeAt: "balance.pin",
  },

  "balance.show": {
    view: (s, t) => ({
      kind: "END",
      head: [t.balance.title, ...ASSET_SYMBOLS.map((a) => `${a} ${formatAmount(BigInt(s.data.balances?.[a] ?? "0"), s.lang)}`)].join("\n"),
    }),
  },

  "account.menu": {
    view: (_s, t) => ({ kind: "CON", head: t.account.title, options: [t.account.changePin, t.account.language], nav: true }),
    input: (s, input) => {
      const i = choice(input, 2);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      return go(s, i === 0 ? "account.oldPin" : "account.language");
    },
  },

  "account.oldPin": {
    secret: true,
    view: (_s, t) => ({ kind: "CON", head: t.account.oldPin, nav: true }),
    notices: [...PIN_NOTICES, "pinAgain"],
    input: async (s, input, cx) => {
      const pin = await checkPin(s, input, cx);
      if (!pin.ok) return pin.next;
      cx.secrets.set(OLD_PIN, input);
      return go(s, "account.newPin");
    },
    resumeAt: "account.oldPin",
  },

  "account.newPin": {
    secret: true,
    view: (_s, t) => ({ kind: "CON", head: t.account.newPin, nav: true }),
    notices: [...NEW_PIN_NOTICES, "pinSame"],
    input: (s, input, cx) => {
      const old = cx.secrets.get(OLD_PIN);
      if (old === undefined) return backTo(s, "account.oldPin", { key: "pinAgain" });
      const problem = newPinNotice(input, cx.phone);
      if (problem) return stay(s, problem);
      if (input === old) return stay(s, { key: "pinSame" });
      cx.secrets.set(NEW_PIN, input);
      return go(s, "account.newPinAgain");
    },
    resumeAt: "account.oldPin",
  },

  "account.newPinAgain": {
    secret: true,
    view: (_s, t) => ({ kind: "CON", head: t.account.newPinAgain, nav: true }),
    input: (s, input, cx) => changePin(s, input, cx),
    resumeAt: "account.oldPin",
  },

  "account.pinChanged": { view: (_s, t) => ({ kind: "END", head: t.account.pinChanged }) },

  "account.language": {
    view: (_s, t) => ({ kind: "CON", head: t.chooseLanguage, options: languageNames(), nav: true }),
    input: async (s, input, cx) => {
      const i = choice(input, LANGS.length);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      const lang = LANGS[i]!;
      await cx.deps.registry.setLanguage(requireAccount(s), lang);
      return home({ ...s, lang }, { key: "languageSet" });
    },
  },

  "pin.locked": { view: (s, t) => ({ kind: "END", head: t.pin.locked({ minutes: String(s.data.lockedMinutes ?? 30) }) }) },
} satisfies Record<string, ScreenSpec>;

async function changePin(s: FlowState, again: string, cx: StepContext): Promise<FlowState> {
  const old = cx.secrets.get(OLD_PIN);
  const fresh = cx.secrets.get(NEW_PIN);
  if (old === undefined || fresh === undefined) return backTo(s, "account.oldPin", { key: "pinAgain" });
  if (again !== fresh) {
    cx.secrets.delete(NEW_PIN);
    return backTo(s, "account.newPin", { key: "pinMismatch" });
  }
  const result = await cx.deps.registry.changePin(requireAccount(s), old, fresh);
  cx.secrets.delete(NEW_PIN);
  if (result.ok) {
    cx.secrets.delete(OLD_PIN);
    return show(s, "account.pinChanged");
  }
  if (result.reason === "weak-pin") return backTo(s, "account.newPin", { key: "pinWeak" });
  cx.secrets.delete(OLD_PIN);
  if (result.reason === "wrong") return backTo(s, "account.oldPin", { key: "pinWrong", attemptsLeft: result.attemptsLeft });
  return lockedScreen(s, result.until, cx.deps.now());
}
