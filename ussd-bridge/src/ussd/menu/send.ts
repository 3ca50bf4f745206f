/**
 * Send money: recipient number → amount → asset (checked against the single and daily limits) →
 * confirmation (amount, fee, recipient masked) → PIN → `money.transfer`.
 *
 * Transfers between vault accounts cost nothing, and the confirmation says so. The operation id is
 * the session's "send" step, so a gateway retry of the PIN hop, or a crash and restart between the
 * outbox write and the receipt, never moves the money twice.
 */
import type { CountryCode } from "libphonenumber-js";

import { countryOf, normalisePhone } from "../../../../sdk/phone.js";
import { opIdFor } from "../../money/op-id.js";
import { ASSET_SYMBOLS, type AccountId, type AssetSymbol, type E164, type OpOutcome } from "../../ports.js";
import { formatAmount, formatMoney } from "../amounts.js";
import { defaultLangFor } from "../i18n/index.js";
import { maskForScreen } from "../phone-text.js";
import { textInvite, textTransferDone } from "../sms.js";
import type { FlowState, Notice } from "../state.js";
import {
  AMOUNT_NOTICES,
  LIMIT_NOTICES,
  PHONE_NOTICES,
  PIN_NOTICES,
  assetChoice,
  back,
  checkPin,
  choice,
  go,
  readAmount,
  refOf,
  requireAccount,
  settle,
  show,
  stay,
  type ScreenSpec,
  type StepContext,
} from "./kit.js";

const masked = (s: FlowState) => maskForScreen(s.data.to ?? "");
const amountOf = (s: FlowState) => BigInt(s.data.amount ?? "0");
const moneyOf = (s: FlowState) => formatMoney(amountOf(s), s.data.asset ?? "", s.lang);

export const sendScreens = {
  "send.to": {
    view: (_s, t) => ({ kind: "CON", head: t.send.to, nav: true }),
    notices: PHONE_NOTICES,
    input: async (s, input, cx) => {
      const found = await findCounterparty(s, input, cx);
      if ("notice" in found) return stay(s, found.notice);
      if (!found.accountId) return go(s, "send.invite", { to: found.phone });
      return go(s, "send.amount", { to: found.phone, toAccount: found.accountId, toLang: found.lang });
    },
    resumeAt: "send.to",
  },

  "send.invite": {
    view: (s, t) => ({ kind: "CON", head: t.send.notOnJuaPesa({ to: masked(s) }), options: [t.options.invite], nav: true }),
    input: (s, input, cx) => {
      if (choice(input, 1) === undefined) return stay(s, { key: "invalidChoice" });
      const to = s.data.to!;
      textInvite(cx.deps, `invite:${cx.sessionId}`, cx.phone, to, defaultLangFor(countryOf(to)));
      return show(s, "send.invited");
    },
  },

  "send.invited": { view: (s, t) => ({ kind: "END", head: t.send.invited({ to: masked(s) }) }) },

  "send.amount": {
    view: (s, t) => ({ kind: "CON", head: t.send.amount({ to: masked(s) }), nav: true }),
    notices: [...AMOUNT_NOTICES, ...LIMIT_NOTICES],
    input: (s, input) => {
      const read = readAmount(s, input);
      return "notice" in read ? stay(s, read.notice) : go(s, "send.asset", { amount: read.value.toString() });
    },
    resumeAt: "send.amount",
  },

  "send.asset": {
    view: (s, t) => ({ kind: "CON", head: t.send.asset({ amount: formatAmount(amountOf(s), s.lang) }), options: ASSET_SYMBOLS, nav: true }),
    input: async (s, input, cx) => {
      const asset = assetChoice(input);
      if (!asset) return stay(s, { key: "invalidChoice" });
      const over = await overLimit(s, asset, amountOf(s), cx);
      return over ? back(s, over) : go(s, "send.confirm", { asset });
    },
    resumeAt: "send.asset",
  },

  "send.confirm": {
    view: (s, t) => ({ kind: "CON", head: t.send.confirm({ amount: moneyOf(s), to: masked(s) }), options: [t.options.confirm], nav: true }),
    input: (s, input) => (choice(input, 1) === 0 ? go(s, "send.pin") : stay(s, { key: "invalidChoice" })),
    resumeAt: "send.confirm",
  },

  "send.pin": {
    secret: true,
    view: (s, t) => ({ kind: "CON", head: t.send.pin({ amount: moneyOf(s), to: masked(s) }), nav: true }),
    notices: PIN_NOTICES,
    input: async (s, input, cx) => {
      const pin = await checkPin(s, input, cx);
      if (!pin.ok) return pin.next;
      const opId = opIdFor("ussd", cx.sessionId, "send");
      return transfer(s, cx, opId);
    },
    resumeAt: "send.pin",
  },

  "send.done": { view: (s, t) => ({ kind: "END", head: t.send.done({ amount: moneyOf(s), to: masked(s), ref: s.data.ref ?? "" }) }) },
  "send.pending": { view: (s, t) => ({ kind: "END", head: t.send.pending({ amount: moneyOf(s), to: masked(s) }) }) },
  "send.refused": { view: (s, t) => ({ kind: "END", head: t.send.refused({ reason: t.reasons[s.data.reason ?? "unknown"] }) }) },
} satisfies Record<string, ScreenSpec>;

/**
 * Moves the money once the PIN is right: the state is written first (the session can no longer be
 * resumed), then the transfer, then the texts. Shared by Send and by paying a request.
 */
export async function transfer(s: FlowState, cx: StepContext, opId: bigint): Promise<FlowState> {
  const from = requireAccount(s);
  const { toAccount, to, asset, toLang } = s.data;
  if (!toAccount || !to || !asset) throw new Error("send: missing recipient or asset");
  const amount = amountOf(s);
  await cx.commit({ ...s, committed: true });
  const outcome: OpOutcome = await settle(cx, opId, () =>
    cx.deps.money.transfer({ opId, origin: "ussd", from, to: toAccount, asset, amount, budgetMs: cx.deps.config.budgetMs }),
  );
  cx.limits.forget(from);
  const committed = { ...s, committed: true };
  if (outcome.status === "done") {
    textTransferDone(cx.deps, opId, { phone: cx.phone, lang: s.lang }, { phone: to, lang: toLang ?? defaultLangFor(countryOf(to)) }, asset, amount);
    return show(committed, "send.done", { ref: refOf(opId) });
  }
  if (outcome.status === "pending") return show(committed, "send.pending");
  return show(committed, "send.refused", { reason: outcome.reason });
}

export interface Counterparty {
  phone: E164;
  accountId?: AccountId;
  lang?: FlowState["lang"];
}

/**
 * The other person of a send or a request, from a number typed in any common format (read in the
 * dialler's country when it has no country code). Refuses invalid numbers, the person's own, blocked
 * accounts and numbers on a sanctions list (without saying which).
 */
export async function findCounterparty(s: FlowState, input: string, cx: StepContext): Promise<Counterparty | { notice: Notice }> {
  const phone = normalisePhone(input, s.country as CountryCode);
  if (!phone) return { notice: { key: "invalidPhone" } };
  if (phone === cx.phone) return { notice: { key: "ownNumber" } };
  const [user, screening] = await Promise.all([cx.deps.registry.findByPhone(phone), cx.deps.compliance.screen({ phone })]);
  if (screening.hit || user?.status === "blocked") return { notice: { key: "cannotSendTo" } };
  return user ? { phone, accountId: user.accountId, lang: user.lang } : { phone };
}

/** Whether `amount` of `asset` is over the person's single or remaining daily limit, as a notice. */
export async function overLimit(s: FlowState, asset: AssetSymbol, amount: bigint, cx: StepContext): Promise<Notice | undefined> {
  const limits = await cx.limits.get(requireAccount(s), asset);
  if (amount > limits.maxSingle) return { key: "overSingle", amount: limits.maxSingle.toString(), asset };
  if (amount > limits.remainingToday) return { key: "overDaily", amount: limits.remainingToday.toString(), asset };
  return undefined;
}
