/**
 * Convert: from asset → to asset → amount → a live quote from the pools (amount out, fee, and the
 * least accepted) → confirm → PIN → `money.convert` with `minAmountOut` = quote × (1 − slippage).
 * If the rate moves against the person by more than the slippage before the swap runs, the vault
 * refuses it and nothing is converted.
 */
import { opIdFor } from "../../money/op-id.js";
import { MoneyRefusalError } from "../../money/refusal.js";
import { ASSET_SYMBOLS, type AssetSymbol } from "../../ports.js";
import { formatMoney } from "../amounts.js";
import { DEFAULT_SLIPPAGE_BPS } from "../deps.js";
import { textConvertDone } from "../sms.js";
import type { FlowState } from "../state.js";
import { AMOUNT_NOTICES, PIN_NOTICES, assetChoice, checkPin, choice, go, readAmount, requireAccount, settle, show, stay, type ScreenSpec, type StepContext } from "./kit.js";

const BPS = 10_000n;

const targetsFrom = (from: AssetSymbol | undefined) => ASSET_SYMBOLS.filter((a) => a !== from);
const amountIn = (s: FlowState) => formatMoney(s.data.amount ?? "0", s.data.asset ?? "", s.lang);
const amountOut = (s: FlowState) => formatMoney(s.data.amountOut ?? "0", s.data.assetTo ?? "", s.lang);

export const convertScreens = {
  "convert.from": {
    view: (_s, t) => ({ kind: "CON", head: t.convert.from, options: ASSET_SYMBOLS, nav: true }),
    input: (s, input) => {
      const asset = assetChoice(input);
      return asset ? go(s, "convert.to", { asset }) : stay(s, { key: "invalidChoice" });
    },
    resumeAt: "convert.from",
  },

  "convert.to": {
    view: (s, t) => ({ kind: "CON", head: t.convert.to({ from: s.data.asset ?? "" }), options: targetsFrom(s.data.asset), nav: true }),
    input: (s, input) => {
      const assetTo = assetChoice(input, targetsFrom(s.data.asset));
      return assetTo ? go(s, "convert.amount", { assetTo }) : stay(s, { key: "invalidChoice" });
    },
    resumeAt: "convert.to",
  },

  "convert.amount": {
    view: (s, t) => ({ kind: "CON", head: t.convert.amount({ from: s.data.asset ?? "", to: s.data.assetTo ?? "" }), nav: true }),
    notices: [...AMOUNT_NOTICES, "quoteUnavailable", "quoteRefused"],
    input: async (s, input, cx) => {
      const read = readAmount(s, input);
      if ("notice" in read) return stay(s, read.notice);
      return quote(s, read.value, cx);
    },
    resumeAt: "convert.amount",
  },

  "convert.confirm": {
    view: (s, t) => ({
      kind: "CON",
      head: t.convert.confirm({
        amountIn: amountIn(s),
        amountOut: amountOut(s),
        min: formatMoney(s.data.minOut ?? "0", s.data.assetTo ?? "", s.lang),
        fee: formatMoney(s.data.fee ?? "0", s.data.asset ?? "", s.lang),
      }),
      options: [t.options.confirm],
      nav: true,
    }),
    input: (s, input) => (choice(input, 1) === 0 ? go(s, "convert.pin") : stay(s, { key: "invalidChoice" })),
    // The quote is stale by the time a person comes back: ask the amount again for a fresh one.
    resumeAt: "convert.amount",
  },

  "convert.pin": {
    secret: true,
    view: (s, t) => ({ kind: "CON", head: t.convert.pin({ amountIn: amountIn(s), to: s.data.assetTo ?? "" }), nav: true }),
    notices: PIN_NOTICES,
    input: async (s, input, cx) => {
      const pin = await checkPin(s, input, cx);
      if (!pin.ok) return pin.next;
      return convert(s, cx);
    },
    resumeAt: "convert.amount",
  },

  "convert.done": { view: (s, t) => ({ kind: "END", head: t.convert.done({ amountIn: amountIn(s), amountOut: amountOut(s) }) }) },
  "convert.pending": { view: (_s, t) => ({ kind: "END", head: t.convert.pending }) },
  "convert.refused": { view: (s, t) => ({ kind: "END", head: t.convert.refused({ reason: t.reasons[s.data.reason ?? "unknown"] }) }) },
} satisfies Record<string, ScreenSpec>;

/** The confirmation with a fresh quote, or the amount screen again saying why there is none. */
async function quote(s: FlowState, amount: bigint, cx: StepContext): Promise<FlowState> {
  const { asset: from, assetTo: to } = s.data;
  if (!from || !to) return stay(s, { key: "quoteUnavailable" });
  try {
    const q = await cx.deps.money.quote(from, to, amount);
    if (q.amountOut <= 0n) return stay(s, { key: "quoteUnavailable" });
    const slippage = BigInt(cx.deps.config.slippageBps ?? DEFAULT_SLIPPAGE_BPS);
    const minOut = (q.amountOut * (BPS - slippage)) / BPS;
    return go(s, "convert.confirm", { amount: amount.toString(), amountOut: q.amountOut.toString(), fee: q.fee.toString(), minOut: minOut.toString() });
  } catch (error) {
    if (error instanceof MoneyRefusalError && error.reason !== "unknown") return stay(s, { key: "quoteRefused", reason: error.reason });
    console.error(`ussd: quote ${from}->${to} failed: ${(error as Error).name}`);
    return stay(s, { key: "quoteUnavailable" });
  }
}

async function convert(s: FlowState, cx: StepContext): Promise<FlowState> {
  const accountId = requireAccount(s);
  const { asset: from, assetTo: to } = s.data;
  if (!from || !to) throw new Error("convert: missing assets");
  const amount = BigInt(s.data.amount ?? "0");
  const opId = opIdFor("ussd", cx.sessionId, "convert");
  const committed = { ...s, committed: true };
  await cx.commit(committed);
  const outcome = await settle(cx, opId, () =>
    cx.deps.money.convert({ opId, origin: "ussd", accountId, from, to, amountIn: amount, minAmountOut: BigInt(s.data.minOut ?? "0"), budgetMs: cx.deps.config.budgetMs }),
  );
  cx.limits.forget(accountId);
  if (outcome.status === "done") {
    const out = outcome.amountOut ?? BigInt(s.data.amountOut ?? "0");
    textConvertDone(cx.deps, opId, { phone: cx.phone, lang: s.lang }, from, amount, to, out);
    return show(committed, "convert.done", { amountOut: out.toString() });
  }
  if (outcome.status === "pending") return show(committed, "convert.pending");
  return show(committed, "convert.refused", { reason: outcome.reason });
}
