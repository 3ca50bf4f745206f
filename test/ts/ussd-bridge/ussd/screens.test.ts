/**
 * Every screen in every language, with the longest values it can carry and every notice that can
 * sit above it, fits 182 characters including `CON `/`END ` and uses only GSM-7 characters; long
 * menus page with "98"; "0" and "00" work on every input screen; SMS notices fit one SMS. Plus the
 * GSM-7 checker, the amount reader and formats, and the wallet defaults these screens rely on.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ASSET_SYMBOLS, LANGS, RAIL_IDS, type AssetSymbol, type E164, type Lang, type RailId } from "../../../../ussd-bridge/src/ports.js";
import { formatAmount, formatFiat, LARGEST_AMOUNT, parseAmount, parseFiat } from "../../../../ussd-bridge/src/ussd/amounts.js";
import { gsm7Septets, isGsm7, nonGsm7 } from "../../../../ussd-bridge/src/ussd/gsm7.js";
import { CATALOGS, type Catalog, type Refusal } from "../../../../ussd-bridge/src/ussd/i18n/index.js";
import type { StepContext } from "../../../../ussd-bridge/src/ussd/menu/kit.js";
import { noticesFor, render, SCREEN_IDS, SCREENS, step } from "../../../../ussd-bridge/src/ussd/menu/machine.js";
import { defaultRail, railsFor } from "../../../../ussd-bridge/src/ussd/rails.js";
import { MAX_REPLY } from "../../../../ussd-bridge/src/ussd/screen.js";
import type { FlowData, FlowState, Notice, RequestItem, ScreenId } from "../../../../ussd-bridge/src/ussd/state.js";

const LONGEST_PHONE = "+999999999999999" as E164; // E.164 allows 15 digits
const ACCOUNT = `0x${"ab".repeat(32)}` as const;
const REFUSALS = Object.keys(CATALOGS.en.reasons) as Refusal[];

const SIMPLE_NOTICES = [
  "invalidChoice",
  "invalidPhone",
  "ownNumber",
  "cannotSendTo",
  "amountFormat",
  "amountNegative",
  "amountZero",
  "amountDecimals",
  "amountTooLarge",
  "fiatWhole",
  "pinFormat",
  "pinMismatch",
  "pinWeak",
  "pinSame",
  "pinAgain",
  "noRequests",
  "languageSet",
  "accountOpened",
  "quoteUnavailable",
  "welcomeBack",
] as const;

function allNotices(asset: AssetSymbol): Notice[] {
  return [
    ...SIMPLE_NOTICES.map((key) => ({ key }) as Notice),
    { key: "notRegistered", to: LONGEST_PHONE },
    { key: "overSingle", amount: LARGEST_AMOUNT.toString(), asset },
    { key: "overDaily", amount: LARGEST_AMOUNT.toString(), asset },
    { key: "pinWrong", attemptsLeft: 1 },
    { key: "pinWrong", attemptsLeft: 2 },
    ...REFUSALS.map((reason) => ({ key: "quoteRefused", reason }) as Notice),
  ];
}

/** No notice, and every notice the screen can show, with the longest values. */
function noticesOn(screen: ScreenId, asset: AssetSymbol): (Notice | undefined)[] {
  const allowed = new Set(noticesFor(screen));
  return [undefined, ...allNotices(asset).filter((n) => allowed.has(n.key))];
}

function worstData(asset: AssetSymbol, rail: RailId, reason: Refusal, withRates: boolean): FlowData {
  const big = LARGEST_AMOUNT.toString();
  const request: RequestItem = { id: "rq_x", from: LONGEST_PHONE, fromAccount: ACCOUNT, amount: big, asset };
  return {
    to: LONGEST_PHONE,
    toAccount: ACCOUNT,
    amount: big,
    asset,
    assetTo: ASSET_SYMBOLS.find((a) => a !== asset),
    amountOut: withRates ? big : undefined,
    fee: big,
    minOut: big,
    rail,
    rails: [...RAIL_IDS],
    fiat: withRates ? "999999999999" : undefined,
    currency: "XOF",
    requestCount: 999,
    requests: Array.from({ length: 9 }, (_, i) => ({ ...request, id: `rq_${i}` })),
    request,
    balances: { cNGN: big, USDC: big, XAUt: (10n ** 40n).toString() },
    reason,
    ref: "ABCDEF0123",
    lockedMinutes: 999,
  };
}

function state(screen: ScreenId, lang: Lang, data: FlowData, notice?: Notice, page = 0): FlowState {
  return { screen, stack: ["home"], page, notice, lang, country: "KE", network: "63902", accountId: ACCOUNT, data };
}

function check(reply: string, where: string) {
  assert.match(reply, /^(CON|END) /, where);
  assert.ok(isGsm7(reply), `${where}: not GSM-7 (${nonGsm7(reply).join(" ")}): ${reply}`);
  assert.ok(reply.length <= MAX_REPLY && gsm7Septets(reply) <= MAX_REPLY, `${where}: ${reply.length} characters:\n${reply}`);
}

describe("every screen in every language", () => {
  it("declares its notices, and every input screen can say 'Invalid choice'", () => {
    for (const screen of SCREEN_IDS) if (SCREENS[screen].input) assert.ok(noticesFor(screen).includes("invalidChoice"), screen);
    assert.ok(noticesFor("send.pin").includes("pinWrong"));
    assert.ok(noticesFor("send.amount").includes("overSingle"));
    assert.ok(noticesFor("send.pin").includes("welcomeBack"), "a resumed session lands on the PIN screen");
  });

  it("fits 182 GSM-7 characters with the longest values and any notice it can show, without cutting", () => {
    let rendered = 0;
    for (const lang of LANGS) {
      for (const screen of SCREEN_IDS) {
        const reasons = screen.endsWith(".refused") ? REFUSALS : (["unknown"] as Refusal[]);
        for (const asset of ASSET_SYMBOLS) {
          for (const rail of RAIL_IDS) {
            for (const reason of reasons) {
              for (const withRates of [true, false]) {
                const notices = noticesOn(screen, asset);
                for (const notice of notices) {
                  const first = render(state(screen, lang, worstData(asset, rail, reason, withRates), notice), { phone: LONGEST_PHONE });
                  for (let page = 0; page < first.pages; page++) {
                    const laid = page === 0 ? first : render(state(screen, lang, worstData(asset, rail, reason, withRates), notice, page), { phone: LONGEST_PHONE });
                    const where = `${lang} ${screen} ${asset} ${rail} ${reason} notice=${notice?.key ?? "-"} page=${page}`;
                    check(laid.reply, where);
                    assert.equal(laid.cut, false, `${where}: the layout had to cut:\n${laid.reply}`);
                    rendered++;
                  }
                }
              }
            }
          }
        }
      }
    }
    assert.ok(rendered > 10_000, `rendered ${rendered}`);
  });

  it("shows the option numbers and the back/home hint where they fit", () => {
    const reply = render(state("send.confirm", "en", worstData("cNGN", "mpesa", "unknown", true)), { phone: LONGEST_PHONE }).reply;
    assert.match(reply, /\n1 Confirm\n0 Back 00 Home$/);
    assert.match(reply, /Fee: 0 \(free between JuaPesa accounts\)/);
    assert.match(reply, /\+9999\*\*\*999/, "the recipient is masked");
  });

  it("pages a long list with 98, keeping each option's number", () => {
    const data = worstData("cNGN", "mpesa", "unknown", true);
    const s = state("receive.list", "fr", data);
    const first = render(s, { phone: LONGEST_PHONE });
    assert.ok(first.pages > 1, "nine long requests need more than one page");
    assert.match(first.reply, /\n98 Suite/);
    const numbers = new Set<string>();
    for (let page = 0; page < first.pages; page++) {
      const reply = render({ ...s, page }, { phone: LONGEST_PHONE }).reply;
      for (const m of reply.matchAll(/^([1-9]) /gm)) numbers.add(m[1]!);
    }
    assert.deepEqual([...numbers].sort(), ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });
});

describe("navigation on every input screen", () => {
  const cx = { phone: LONGEST_PHONE } as unknown as StepContext; // "0", "00" and "98" never reach a screen's own code
  const inputScreens = SCREEN_IDS.filter((id) => SCREENS[id].input && id !== "session.resume");

  it("'0' goes back to the screen before, '00' goes home", async () => {
    assert.ok(inputScreens.length >= 30);
    for (const screen of inputScreens) {
      const s: FlowState = { ...state(screen, "en", worstData("USDC", "mpesa", "unknown", true)), stack: ["home", "send.to"] };
      const backed = await step(s, "0", cx);
      assert.equal(backed.screen, "send.to", `${screen}: 0`);
      assert.deepEqual(backed.stack, ["home"]);
      const home = await step(s, "00", cx);
      assert.equal(home.screen, "home", `${screen}: 00`);
      assert.deepEqual([home.stack, home.data], [[], {}]);
      const unregistered = await step({ ...s, accountId: undefined }, "00", cx);
      assert.equal(unregistered.screen, "register.language", `${screen}: 00 without an account`);
    }
  });

  it("'0' on a later page of a menu goes to the page before", async () => {
    const s: FlowState = { ...state("receive.list", "fr", worstData("cNGN", "mpesa", "unknown", true)), page: 1 };
    assert.equal((await step(s, "0", cx)).page, 0);
    const next = await step({ ...s, page: 0 }, "98", cx);
    assert.deepEqual([next.screen, next.page], ["receive.list", 1]);
  });

  it("'0' on the home screen is an invalid choice, not a crash", async () => {
    const s: FlowState = { ...state("home", "sw", {}), stack: [] };
    const next = await step(s, "0", cx);
    assert.deepEqual([next.screen, next.notice], ["home", { key: "invalidChoice" }]);
    assert.match(render(next, { phone: LONGEST_PHONE }).reply, /^CON Chaguo si sahihi\.\nJuaPesa\n1 Tuma pesa/);
  });
});

describe("catalogs", () => {
  const keysOf = (value: unknown, prefix = ""): string[] =>
    value && typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => (typeof v === "object" ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`])) : [];

  it("have the same keys in every language (the type makes a missing one a compile error)", () => {
    const en = keysOf(CATALOGS.en).sort();
    for (const lang of LANGS) assert.deepEqual(keysOf(CATALOGS[lang]).sort(), en, lang);
  });

  it("use GSM-7 only, and each SMS fits one message with the longest values", () => {
    const money = formatAmount(LARGEST_AMOUNT, "fr") + " cNGN";
    for (const lang of LANGS) {
      const t: Catalog = CATALOGS[lang];
      const sms = [
        t.sms.sent({ amount: money, to: "+9999***999", ref: "ABCDEF0123" }),
        t.sms.received({ amount: money, from: LONGEST_PHONE, ref: "ABCDEF0123", code: "*384*12345#" }),
        t.sms.sendFailed({ amount: money, to: "+9999***999" }),
        t.sms.converted({ amountIn: money, amountOut: money, ref: "ABCDEF0123" }),
        t.sms.convertFailed({ amountIn: money }),
        t.sms.invite({ from: LONGEST_PHONE, code: "*384*12345#" }),
        t.sms.request({ amount: money, from: LONGEST_PHONE, code: "*384*12345#" }),
      ];
      for (const text of sms) {
        assert.ok(isGsm7(text), `${lang}: ${nonGsm7(text).join(" ")} in ${text}`);
        assert.ok(gsm7Septets(text) <= 160, `${lang}: ${text.length} characters: ${text}`);
      }
      for (const reason of Object.values(t.reasons)) assert.ok(isGsm7(reason), `${lang}: ${reason}`);
    }
  });

  it("reads like the menus people know", () => {
    assert.equal(CATALOGS.sw.home.send, "Tuma pesa");
    assert.equal(CATALOGS.sw.home.balance, "Salio");
    assert.equal(CATALOGS.sw.options.confirm, "Thibitisha");
    assert.match(CATALOGS.sw.send.pin({ amount: "1", to: "x" }), /^Weka PIN/);
    assert.equal(CATALOGS.fr.home.balance, "Solde");
    assert.equal(CATALOGS.fr.options.confirm, "Confirmer");
    assert.match(CATALOGS.fr.balance.pin, /Code secret/);
    assert.match(CATALOGS.fr.home.send, /Transfert/);
  });
});

describe("GSM-7 checker", () => {
  it("accepts the basic table and the extension table, and counts extension characters twice", () => {
    assert.ok(isGsm7("CON Envoyé à +254 712: 1 000,50 cNGN? Réf. @£$¥èéùìòÇØøÅåÆæßÉÄÖÑÜ§¿¡äöñüà"));
    assert.ok(isGsm7("[~]|{}€^\\"));
    assert.equal(gsm7Septets("a€"), 3);
  });

  it("refuses what handsets cannot show in 7-bit: ç, ê, ô, curly quotes, bullets, emoji", () => {
    for (const text of ["Français", "être", "Dépôt", "it’s", "“quoted”", "+254 7•• 678", "ok 👍", "Ç is fine but ç is not"]) {
      assert.equal(isGsm7(text), false, text);
    }
    assert.ok(Number.isNaN(gsm7Septets("ç")));
  });
});

describe("amounts", () => {
  it("reads digits with one decimal point, refusing everything else with the reason", () => {
    assert.deepEqual(parseAmount("1500", "en"), { ok: true, value: 1_500_000_000n });
    assert.deepEqual(parseAmount("25.5", "sw"), { ok: true, value: 25_500_000n });
    assert.deepEqual(parseAmount("25,50", "fr"), { ok: true, value: 25_500_000n });
    assert.deepEqual(parseAmount("0.000001", "en"), { ok: true, value: 1n });
    assert.deepEqual(parseAmount(" 007 ", "en"), { ok: true, value: 7_000_000n });
    for (const [input, problem] of [
      ["1,000", "format"], // ambiguous in English: refused, never guessed
      ["abc", "format"],
      ["1e5", "format"],
      ["", "format"],
      [".5", "format"],
      ["1.2.3", "format"],
      ["-5", "negative"],
      ["0", "zero"],
      ["0.000", "zero"],
      ["-0", "zero"],
      ["1.0000001", "decimals"],
      ["1000000000", "too-large"],
      ["99999999999999999999999999", "too-large"],
    ] as const) {
      assert.deepEqual(parseAmount(input, "en"), { ok: false, problem }, input);
    }
  });

  it("takes whole fiat amounts only", () => {
    assert.deepEqual(parseFiat("500", "en"), { ok: true, value: "500" });
    assert.deepEqual(parseFiat("500.00", "en"), { ok: true, value: "500" });
    assert.deepEqual(parseFiat("500.5", "en"), { ok: false, problem: "whole" });
  });

  it("shows amounts grouped per language with 2 to 6 decimals, and caps absurd ones", () => {
    assert.equal(formatAmount(1_500_000_000n, "en"), "1,500.00");
    assert.equal(formatAmount(1_500_000_000n, "fr"), "1 500,00");
    assert.equal(formatAmount(1_500_500_000n, "sw"), "1,500.50");
    assert.equal(formatAmount(125n, "en"), "0.000125");
    assert.equal(formatAmount(LARGEST_AMOUNT, "en"), "999,999,999.999999");
    assert.equal(formatAmount(10n ** 16n, "en"), "10,000,000,000");
    assert.equal(formatAmount(10n ** 40n, "en"), ">999,999,999,999");
    assert.equal(formatFiat("1500000", "fr"), "1 500 000");
  });
});

describe("wallets", () => {
  it("picks the wallet from the network, and asks when the country has several", () => {
    assert.equal(defaultRail("KE", "63902"), "mpesa");
    assert.equal(defaultRail("KE", "63903"), "airtel");
    assert.equal(defaultRail("UG", "64110"), "mtn-momo");
    assert.equal(defaultRail("SN", "60801"), "orange");
    assert.equal(defaultRail("SL", "61905"), "afrimoney");
    assert.equal(defaultRail("KE", "99999"), undefined, "the sandbox network says nothing about the wallet");
    assert.equal(defaultRail("SN", ""), "orange", "a country with one wallet needs no question");
    assert.deepEqual(railsFor("ZZ"), RAIL_IDS, "an unknown country is offered every wallet");
  });
});
