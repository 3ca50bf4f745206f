/** The home menu of a registered number, and the screens that belong to the session rather than a flow. */
import { countOpenRequests } from "../requests.js";
import { choice, go, home, requireAccount, stay, type ScreenSpec } from "./kit.js";
import { startCash } from "./cash.js";

export const homeScreens = {
  home: {
    view: (_s, t) => ({
      kind: "CON",
      head: t.home.title,
      options: [t.home.send, t.home.receive, t.home.convert, t.home.cashIn, t.home.cashOut, t.home.balance, t.home.account],
    }),
    notices: ["accountOpened", "languageSet"],
    input: async (s, input, cx) => {
      switch (choice(input, 7)) {
        case 0:
          return go(s, "send.to");
        case 1:
          return go(s, "receive.menu", { requestCount: await countOpenRequests(cx.deps, requireAccount(s)) });
        case 2:
          return go(s, "convert.from");
        case 3:
          return startCash(s, "cashIn");
        case 4:
          return startCash(s, "cashOut");
        case 5:
          return go(s, "balance.pin");
        case 6:
          return go(s, "account.menu");
        default:
          return stay(s, { key: "invalidChoice" });
      }
    },
  },

  /** First screen of a new session when the number's last one was cut off mid-flow (engine.ts offers it). */
  "session.resume": {
    view: (_s, t) => ({ kind: "CON", head: t.session.resume, options: [t.options.resume, t.options.startAgain] }),
    input: async (s, input, cx) => {
      const i = choice(input, 2);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      const from = s.data.resumeFrom;
      if (i === 0 && from) {
        const resumed = await cx.takeOver(from);
        if (resumed) return resumed;
      } else if (from) {
        await cx.forget(from);
      }
      return home(s);
    },
  },
  "session.busy": { view: (_s, t) => ({ kind: "END", head: t.session.busy }) },
  "session.mismatch": { view: (_s, t) => ({ kind: "END", head: t.session.mismatch }) },
  "session.ended": { view: (_s, t) => ({ kind: "END", head: t.session.ended }) },
  "session.unavailable": { view: (_s, t) => ({ kind: "END", head: t.session.unavailable }) },
  "session.blocked": { view: (_s, t) => ({ kind: "END", head: t.session.blocked }) },
} satisfies Record<string, ScreenSpec>;
