/**
 * Cash in and cash out through the person's mobile-money wallet.
 *
 * The wallet is picked from the network and country (rails.ts) and asked only when ambiguous.
 * Cash in debits the wallet, so the wallet's own PIN approves it on the phone (an STK push or a
 * request-to-pay); no JuaPesa PIN is asked. Cash out takes money out of the JuaPesa account, so it
 * asks the JuaPesa PIN. Both hand the work to the cash service, keyed by the session, which follows
 * the rail, the reserve attester and the vault from there and texts the result.
 */
import { assetForFiat, fiatForAsset } from "../../cash/rates.js";
import { ASSET_SYMBOLS, type CashService, type RailId } from "../../ports.js";
import { formatAmount, formatFiat, formatMoney, parseFiat } from "../amounts.js";
import { currencyOf, defaultRail, RAIL_NAMES, railsFor } from "../rails.js";
import type { FlowData, FlowState } from "../state.js";
import { AMOUNT_NOTICES, LIMIT_NOTICES, PIN_NOTICES, assetChoice, back, checkPin, choice, go, railOf, readAmount, requireAccount, show, stay, type ScreenSpec, type StepContext } from "./kit.js";
import { overLimit } from "./send.js";

const railName = (s: FlowState) => RAIL_NAMES[railOf(s)];
const offered = (s: FlowState): readonly RailId[] => s.data.rails ?? railsFor(s.country);
const fiatOf = (s: FlowState) => `${formatFiat(s.data.fiat ?? "0", s.lang)} ${s.data.currency ?? currencyOf(s.country)}`;
const assetMoney = (s: FlowState) => formatMoney(s.data.amount ?? "0", s.data.asset ?? "", s.lang);

/** Where Cash in or Cash out starts: straight at the amount when the wallet is clear, else at the wallet list. */
export function startCash(s: FlowState, direction: "cashIn" | "cashOut"): FlowState {
  const rail = defaultRail(s.country, s.network);
  const currency = currencyOf(s.country);
  if (rail) return go(s, `${direction}.amount`, { rail, currency });
  return go(s, `${direction}.rail`, { rails: [...railsFor(s.country)], currency });
}

function pickRail(next: "cashIn.amount" | "cashOut.amount") {
  return (s: FlowState, input: string) => {
    const rails = offered(s);
    const i = choice(input, rails.length);
    return i === undefined ? stay(s, { key: "invalidChoice" }) : go(s, next, { rail: rails[i] });
  };
}

/** The asset amount a fiat amount buys at the custodian's rate, or undefined when the rate is unknown. */
function assetFor(cash: CashService, rail: RailId, fiat: string): Pick<FlowData, "asset" | "amountOut"> {
  try {
    const rate = cash.rate(rail);
    if (rate.assetPerFiat.den <= 0n) return {};
    return { asset: rate.asset, amountOut: assetForFiat(rate, fiat).toString() };
  } catch {
    return {};
  }
}

/** The fiat a cash-out of `amount` pays, when the rail pays out in that asset's rate; else undefined. */
function fiatFor(cash: CashService, rail: RailId, asset: string, amount: bigint): string | undefined {
  try {
    const rate = cash.rate(rail);
    if (rate.asset !== asset || rate.assetPerFiat.num <= 0n) return undefined;
    return fiatForAsset(rate, amount);
  } catch {
    return undefined;
  }
}

export const cashScreens = {
  "cashIn.rail": {
    view: (s, t) => ({ kind: "CON", head: t.cashIn.rail, options: offered(s).map((r) => RAIL_NAMES[r]), nav: true }),
    input: pickRail("cashIn.amount"),
    resumeAt: "cashIn.rail",
  },

  "cashIn.amount": {
    view: (s, t) => ({ kind: "CON", head: t.cashIn.amount({ currency: s.data.currency ?? currencyOf(s.country), rail: railName(s) }), nav: true }),
    notices: [...AMOUNT_NOTICES, "fiatWhole"],
    input: (s, input, cx) => {
      const fiat = parseFiat(input, s.lang);
      if (!fiat.ok) {
        const key = fiat.problem === "whole" ? "fiatWhole" : ({ format: "amountFormat", negative: "amountNegative", zero: "amountZero", decimals: "fiatWhole", "too-large": "amountTooLarge" } as const)[fiat.problem];
        return stay(s, { key });
      }
      return go(s, "cashIn.confirm", { fiat: fiat.value, amount: undefined, ...assetFor(cx.deps.cash, railOf(s), fiat.value) });
    },
    resumeAt: "cashIn.amount",
  },

  "cashIn.confirm": {
    view: (s, t) => ({
      kind: "CON",
      head:
        s.data.asset && s.data.amountOut
          ? t.cashIn.confirm({ fiat: fiatOf(s), rail: railName(s), amount: formatMoney(s.data.amountOut, s.data.asset, s.lang) })
          : t.cashIn.confirmPlain({ fiat: fiatOf(s), rail: railName(s) }),
      options: [t.options.confirm],
      nav: true,
    }),
    input: async (s, input, cx) => {
      if (choice(input, 1) !== 0) return stay(s, { key: "invalidChoice" });
      return cashIn(s, cx);
    },
    resumeAt: "cashIn.confirm",
  },

  "cashIn.requested": { view: (s, t) => ({ kind: "END", head: t.cashIn.requested({ rail: railName(s) }) }) },
  "cashIn.done": { view: (s, t) => ({ kind: "END", head: t.cashIn.done({ fiat: fiatOf(s) }) }) },
  "cashIn.refused": { view: (s, t) => ({ kind: "END", head: t.cashIn.refused({ reason: t.reasons[s.data.reason ?? "unknown"] }) }) },

  "cashOut.rail": {
    view: (s, t) => ({ kind: "CON", head: t.cashIn.rail, options: offered(s).map((r) => RAIL_NAMES[r]), nav: true }),
    input: pickRail("cashOut.amount"),
    resumeAt: "cashOut.rail",
  },

  "cashOut.amount": {
    view: (s, t) => ({ kind: "CON", head: t.cashOut.amount({ rail: railName(s) }), nav: true }),
    notices: [...AMOUNT_NOTICES, ...LIMIT_NOTICES],
    input: (s, input) => {
      const parsed = readAmount(s, input);
      return "notice" in parsed ? stay(s, parsed.notice) : go(s, "cashOut.asset", { amount: parsed.value.toString() });
    },
    resumeAt: "cashOut.amount",
  },

  "cashOut.asset": {
    view: (s, t) => ({ kind: "CON", head: t.cashOut.asset({ amount: formatAmount(BigInt(s.data.amount ?? "0"), s.lang) }), options: ASSET_SYMBOLS, nav: true }),
    input: async (s, input, cx) => {
      const asset = assetChoice(input);
      if (!asset) return stay(s, { key: "invalidChoice" });
      const amount = BigInt(s.data.amount ?? "0");
      const over = await overLimit(s, asset, amount, cx);
      if (over) return back(s, over);
      return go(s, "cashOut.confirm", { asset, fiat: fiatFor(cx.deps.cash, railOf(s), asset, amount) });
    },
    resumeAt: "cashOut.asset",
  },

  "cashOut.confirm": {
    view: (s, t, r) => ({
      kind: "CON",
      head: s.data.fiat
        ? t.cashOut.confirm({ amount: assetMoney(s), rail: railName(s), phone: r.phone, fiat: fiatOf(s) })
        : t.cashOut.confirmPlain({ amount: assetMoney(s), rail: railName(s), phone: r.phone }),
      options: [t.options.confirm],
      nav: true,
    }),
    input: (s, input) => (choice(input, 1) === 0 ? go(s, "cashOut.pin") : stay(s, { key: "invalidChoice" })),
    resumeAt: "cashOut.confirm",
  },

  "cashOut.pin": {
    secret: true,
    view: (s, t) => ({ kind: "CON", head: t.cashOut.pin({ amount: assetMoney(s) }), nav: true }),
    notices: PIN_NOTICES,
    input: async (s, input, cx) => {
      const pin = await checkPin(s, input, cx);
      if (!pin.ok) return pin.next;
      return cashOut(s, cx);
    },
    resumeAt: "cashOut.pin",
  },

  "cashOut.requested": { view: (s, t) => ({ kind: "END", head: t.cashOut.requested({ amount: assetMoney(s), rail: railName(s) }) }) },
  "cashOut.refused": { view: (s, t) => ({ kind: "END", head: t.cashOut.refused({ reason: t.reasons[s.data.reason ?? "unknown"] }) }) },
} satisfies Record<string, ScreenSpec>;

async function cashIn(s: FlowState, cx: StepContext): Promise<FlowState> {
  const committed = { ...s, committed: true };
  await cx.commit(committed);
  try {
    const outcome = await cx.deps.cash.cashIn({
      opKey: `ussd:${cx.sessionId}:cash-in`,
      accountId: requireAccount(s),
      phone: cx.phone,
      rail: railOf(s),
      fiatAmount: s.data.fiat ?? "0",
      budgetMs: cx.deps.config.budgetMs,
    });
    if (outcome.status === "requested") return show(committed, "cashIn.requested");
    if (outcome.status === "done") return show(committed, "cashIn.done");
    return show(committed, "cashIn.refused", { reason: outcome.reason });
  } catch (error) {
    // Whether the cash service recorded the request before failing is unknown here; it keys its
    // work by opKey and texts the outcome of anything it did record, so the screen claims nothing.
    console.error(`ussd: cash-in failed: ${(error as Error).name}`);
    return show(committed, "session.unavailable");
  }
}

async function cashOut(s: FlowState, cx: StepContext): Promise<FlowState> {
  const asset = s.data.asset;
  if (!asset) throw new Error("cash-out: missing asset");
  const committed = { ...s, committed: true };
  await cx.commit(committed);
  try {
    const outcome = await cx.deps.cash.cashOut({
      opKey: `ussd:${cx.sessionId}:cash-out`,
      accountId: requireAccount(s),
      phone: cx.phone,
      rail: railOf(s),
      asset,
      amount: BigInt(s.data.amount ?? "0"),
      budgetMs: cx.deps.config.budgetMs,
    });
    cx.limits.forget(requireAccount(s));
    if (outcome.status === "refused") return show(committed, "cashOut.refused", { reason: outcome.reason });
    return show(committed, "cashOut.requested");
  } catch (error) {
    console.error(`ussd: cash-out failed: ${(error as Error).name}`);
    return show(committed, "session.unavailable");
  }
}
