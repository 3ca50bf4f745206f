/**
 * Registration, for a number with no account: language, PIN, PIN again, terms → `registry.register`
 * (which screens the number, hashes the PIN and opens the vault account at tier 1).
 */
import { LANGS } from "../../ports.js";
import { CATALOGS } from "../i18n/index.js";
import type { FlowState } from "../state.js";
import { backTo, choice, go, home, NEW_PIN_NOTICES, newPinNotice, show, stay, type ScreenSpec, type StepContext } from "./kit.js";

const NEW_PIN = "register.pin";

export const languageNames = () => LANGS.map((lang) => CATALOGS[lang].languageName);

export const registerScreens = {
  "register.language": {
    view: (_s, t) => ({ kind: "CON", head: t.welcome, options: languageNames() }),
    input: (s, input) => {
      const i = choice(input, LANGS.length);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      return go({ ...s, lang: LANGS[i]! }, "register.pin");
    },
  },

  "register.pin": {
    secret: true,
    view: (_s, t) => ({ kind: "CON", head: t.register.pin, nav: true }),
    notices: NEW_PIN_NOTICES,
    input: (s, input, cx) => {
      const problem = newPinNotice(input, cx.phone);
      if (problem) return stay(s, problem);
      cx.secrets.set(NEW_PIN, input);
      return go(s, "register.pinAgain");
    },
    resumeAt: "register.pin",
  },

  "register.pinAgain": {
    secret: true,
    view: (_s, t) => ({ kind: "CON", head: t.register.pinAgain, nav: true }),
    input: (s, input, cx) => {
      const first = cx.secrets.get(NEW_PIN);
      if (first === undefined) return backTo(s, "register.pin", { key: "pinAgain" });
      if (input !== first) {
        cx.secrets.delete(NEW_PIN);
        return backTo(s, "register.pin", { key: "pinMismatch" });
      }
      return go(s, "register.terms");
    },
    resumeAt: "register.pin",
  },

  "register.terms": {
    view: (_s, t) => ({ kind: "CON", head: t.register.terms, options: [t.options.accept, t.options.decline], nav: true }),
    input: (s, input, cx) => {
      const i = choice(input, 2);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      if (i === 1) return show(s, "register.declined");
      return register(s, cx);
    },
    resumeAt: "register.pin",
  },

  "register.declined": { view: (_s, t) => ({ kind: "END", head: t.register.declined }) },
  "register.sanctioned": { view: (_s, t) => ({ kind: "END", head: t.register.sanctioned }) },
  "register.unsupported": { view: (_s, t) => ({ kind: "END", head: t.register.unsupportedCountry }) },
} satisfies Record<string, ScreenSpec>;

async function register(s: FlowState, cx: StepContext): Promise<FlowState> {
  const pin = cx.secrets.get(NEW_PIN);
  if (pin === undefined) return backTo(s, "register.pin", { key: "pinAgain" });
  const result = await cx.deps.registry.register({ phone: cx.phone, lang: s.lang, pin });
  cx.secrets.delete(NEW_PIN);
  if (result.ok) return home({ ...s, accountId: result.user.accountId, lang: result.user.lang }, { key: "accountOpened" });
  switch (result.reason) {
    case "already-registered": {
      // Registered meanwhile (another session): carry on as that account.
      const user = await cx.deps.registry.findByPhone(cx.phone);
      return user ? home({ ...s, accountId: user.accountId, lang: user.lang }) : show(s, "session.unavailable");
    }
    case "weak-pin":
      return backTo(s, "register.pin", { key: "pinWeak" });
    case "sanctioned":
      return show(s, "register.sanctioned");
    case "unsupported-country":
      return show(s, "register.unsupported");
  }
}
