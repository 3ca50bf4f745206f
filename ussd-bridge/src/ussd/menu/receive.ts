/**
 * Receive: your own number (to give to people), the money requests waiting for you (pay one with
 * your PIN, or decline it), and asking someone for money (they get an SMS and find the request
 * under their own Receive).
 */
import { countryOf } from "../../../../sdk/phone.js";
import { ASSET_SYMBOLS } from "../../ports.js";
import { opIdFor, opIdHex } from "../../money/op-id.js";
import { formatAmount, formatMoney } from "../amounts.js";
import { defaultLangFor } from "../i18n/index.js";
import { maskForScreen } from "../phone-text.js";
import { closeRequest, createRequest, linkedOpOf, linkRequestOp, listOpenRequests, requestIdFor } from "../requests.js";
import { textRequest } from "../sms.js";
import type { FlowState } from "../state.js";
import { AMOUNT_NOTICES, PHONE_NOTICES, PIN_NOTICES, assetChoice, checkPin, choice, go, readAmount, requireAccount, show, stay, type ScreenSpec, type StepContext } from "./kit.js";
import { findCounterparty, transfer } from "./send.js";

const amountOf = (s: FlowState) => BigInt(s.data.amount ?? "0");

export const receiveScreens = {
  "receive.menu": {
    view: (s, t) => ({
      kind: "CON",
      head: t.receive.title,
      options: [t.receive.myNumber, t.receive.requests({ count: String(s.data.requestCount ?? 0) }), t.receive.ask],
      nav: true,
    }),
    notices: ["noRequests"],
    input: async (s, input, cx) => {
      switch (choice(input, 3)) {
        case 0:
          return show(s, "receive.number");
        case 1: {
          const requests = await listOpenRequests(cx.deps, requireAccount(s), cx.deps.registry);
          if (requests.length === 0) return stay({ ...s, data: { ...s.data, requestCount: 0 } }, { key: "noRequests" });
          return go(s, "receive.list", { requests, requestCount: requests.length });
        }
        case 2:
          return go(s, "receive.askFrom");
        default:
          return stay(s, { key: "invalidChoice" });
      }
    },
  },

  "receive.number": { view: (_s, t, r) => ({ kind: "END", head: t.receive.number({ phone: r.phone }) }) },

  "receive.list": {
    view: (s, t) => ({
      kind: "CON",
      head: t.receive.list,
      options: (s.data.requests ?? []).map((r) => t.receive.item({ amount: formatMoney(BigInt(r.amount), r.asset, s.lang), from: r.from })),
      nav: true,
    }),
    input: (s, input) => {
      const requests = s.data.requests ?? [];
      const i = choice(input, requests.length);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      const request = requests[i]!;
      return go(s, "receive.request", { request, to: request.from, toAccount: request.fromAccount, amount: request.amount, asset: request.asset, toLang: undefined });
    },
  },

  "receive.request": {
    view: (s, t) => ({
      kind: "CON",
      head: t.receive.request({ from: s.data.request?.from ?? "", amount: formatMoney(amountOf(s), s.data.asset ?? "", s.lang) }),
      options: [t.options.pay, t.options.decline],
      nav: true,
    }),
    input: async (s, input, cx) => {
      const i = choice(input, 2);
      if (i === undefined) return stay(s, { key: "invalidChoice" });
      if (i === 0) return go(s, "receive.payPin");
      await closeRequest(cx.deps, s.data.request!.id, requireAccount(s), "declined");
      return show(s, "receive.declined");
    },
    resumeAt: "receive.request",
  },

  "receive.payPin": {
    secret: true,
    view: (s, t) => ({ kind: "CON", head: t.receive.payPin({ amount: formatMoney(amountOf(s), s.data.asset ?? "", s.lang), to: maskForScreen(s.data.to ?? "") }), nav: true }),
    notices: PIN_NOTICES,
    input: async (s, input, cx) => {
      const pin = await checkPin(s, input, cx);
      if (!pin.ok) return pin.next;
      const request = s.data.request!;
      const payer = requireAccount(s);
      const opId = await payRequestOpId(cx, request.id);
      const payee = await cx.deps.registry.findByAccount(request.fromAccount);
      await linkRequestOp(cx.deps, request.id, payer, opIdHex(opId));
      const next = await transfer({ ...s, data: { ...s.data, toLang: payee?.lang } }, cx, opId);
      if (next.screen === "send.done") await closeRequest(cx.deps, request.id, payer, "paid");
      return next;
    },
    resumeAt: "receive.payPin",
  },

  "receive.declined": { view: (s, t) => ({ kind: "END", head: t.receive.declined({ from: s.data.request?.from ?? "" }) }) },

  "receive.askFrom": {
    view: (_s, t) => ({ kind: "CON", head: t.receive.askFrom, nav: true }),
    notices: [...PHONE_NOTICES, "notRegistered"],
    input: async (s, input, cx) => {
      const found = await findCounterparty(s, input, cx);
      if ("notice" in found) return stay(s, found.notice);
      if (!found.accountId) return stay(s, { key: "notRegistered", to: found.phone });
      return go(s, "receive.askAmount", { to: found.phone, toAccount: found.accountId, toLang: found.lang });
    },
    resumeAt: "receive.askFrom",
  },

  "receive.askAmount": {
    view: (s, t) => ({ kind: "CON", head: t.receive.askAmount({ from: maskForScreen(s.data.to ?? "") }), nav: true }),
    notices: AMOUNT_NOTICES,
    input: (s, input) => {
      const read = readAmount(s, input);
      return "notice" in read ? stay(s, read.notice) : go(s, "receive.askAsset", { amount: read.value.toString() });
    },
    resumeAt: "receive.askAmount",
  },

  "receive.askAsset": {
    view: (s, t) => ({ kind: "CON", head: t.receive.askAsset({ amount: formatAmount(amountOf(s), s.lang) }), options: ASSET_SYMBOLS, nav: true }),
    input: async (s, input, cx) => {
      const asset = assetChoice(input);
      if (!asset) return stay(s, { key: "invalidChoice" });
      const id = requestIdFor(cx.sessionId);
      const to = s.data.to!;
      await createRequest(cx.deps, { id, requesterId: requireAccount(s), payerId: s.data.toAccount!, asset, amount: amountOf(s) });
      textRequest(cx.deps, id, cx.phone, { phone: to, lang: s.data.toLang ?? defaultLangFor(countryOf(to)) }, asset, amountOf(s));
      return show(s, "receive.asked", { asset });
    },
    resumeAt: "receive.askAsset",
  },

  "receive.asked": {
    view: (s, t) => ({ kind: "END", head: t.receive.asked({ from: maskForScreen(s.data.to ?? ""), amount: formatMoney(amountOf(s), s.data.asset ?? "", s.lang) }) }),
  },
} satisfies Record<string, ScreenSpec>;

/**
 * The operation that pays a request. It is derived from the request, not the session, so two
 * sessions paying the same request move the money once; only after that operation failed (say, the
 * balance was too low) does a new attempt get an id of its own.
 */
async function payRequestOpId(cx: StepContext, requestId: string): Promise<bigint> {
  const first = opIdFor("ussd", requestId, "pay-request");
  const linked = await linkedOpOf(cx.deps, requestId);
  if (!linked) return first;
  const op = await cx.deps.money.operation(BigInt(linked));
  return op?.status === "failed" ? opIdFor("ussd", requestId, "pay-request", cx.sessionId) : BigInt(linked);
}
