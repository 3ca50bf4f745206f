/**
 * What a USSD session remembers between hops: the screen it is on, the screens behind it (for
 * "0 Back"), the page of a long menu, a notice to show once, and the fields collected so far.
 * It is plain JSON (the `sessions.state` column); amounts are base-unit strings.
 *
 * PINs are never part of it: a PIN typed on one hop and needed on a later one (registration,
 * Change PIN) is held only in the process's memory next to the session (`secrets`), so the
 * database never sees one. When that memory is gone (a restart, another instance, a resumed
 * session) the flow asks for the PIN again.
 */
import type { AccountId, AssetSymbol, E164, Lang, RailId } from "../ports.js";
import type { Refusal } from "./i18n/index.js";

export type ScreenId =
  // registration (a number that has no account yet)
  | "register.language"
  | "register.pin"
  | "register.pinAgain"
  | "register.terms"
  | "register.declined"
  | "register.sanctioned"
  | "register.unsupported"
  // home
  | "home"
  // send
  | "send.to"
  | "send.invite"
  | "send.invited"
  | "send.amount"
  | "send.asset"
  | "send.confirm"
  | "send.pin"
  | "send.done"
  | "send.pending"
  | "send.refused"
  // receive
  | "receive.menu"
  | "receive.number"
  | "receive.list"
  | "receive.request"
  | "receive.payPin"
  | "receive.declined"
  | "receive.askFrom"
  | "receive.askAmount"
  | "receive.askAsset"
  | "receive.asked"
  // convert
  | "convert.from"
  | "convert.to"
  | "convert.amount"
  | "convert.confirm"
  | "convert.pin"
  | "convert.done"
  | "convert.pending"
  | "convert.refused"
  // cash in
  | "cashIn.rail"
  | "cashIn.amount"
  | "cashIn.confirm"
  | "cashIn.requested"
  | "cashIn.done"
  | "cashIn.refused"
  // cash out
  | "cashOut.rail"
  | "cashOut.amount"
  | "cashOut.asset"
  | "cashOut.confirm"
  | "cashOut.pin"
  | "cashOut.requested"
  | "cashOut.refused"
  // balance
  | "balance.pin"
  | "balance.show"
  // my account
  | "account.menu"
  | "account.oldPin"
  | "account.newPin"
  | "account.newPinAgain"
  | "account.pinChanged"
  | "account.language"
  // PINs and sessions
  | "pin.locked"
  | "session.resume"
  | "session.busy"
  | "session.mismatch"
  | "session.ended"
  | "session.unavailable"
  | "session.blocked";

/** A money request shown under Receive. */
export interface RequestItem {
  id: string;
  /** The person asking (shown in full: the payer must know who asks). */
  from: E164;
  fromAccount: AccountId;
  amount: string;
  asset: AssetSymbol;
}

export interface FlowData {
  /** The other person: recipient, requester or payer, as E.164. */
  to?: E164;
  toAccount?: AccountId;
  toLang?: Lang;
  amount?: string;
  asset?: AssetSymbol;
  /** Convert: the asset converted into. */
  assetTo?: AssetSymbol;
  /** Convert: the quote's amount out, its fee (in `asset`) and the least accepted. Cash in: the asset amount bought. */
  amountOut?: string;
  fee?: string;
  minOut?: string;
  rail?: RailId;
  /** Wallets offered when the person must choose. */
  rails?: RailId[];
  /** Whole units of the rail's currency. */
  fiat?: string;
  currency?: string;
  requestCount?: number;
  requests?: RequestItem[];
  request?: RequestItem;
  balances?: Partial<Record<AssetSymbol, string>>;
  reason?: Refusal;
  /** Short reference of a done operation, from its operation id. */
  ref?: string;
  lockedMinutes?: number;
  /** The cut-off session this one may continue. */
  resumeFrom?: string;
}

/** The line above a screen after an input: what was wrong, or what just happened. */
export type Notice =
  | {
      key:
        | "invalidChoice"
        | "invalidPhone"
        | "ownNumber"
        | "cannotSendTo"
        | "amountFormat"
        | "amountNegative"
        | "amountZero"
        | "amountDecimals"
        | "amountTooLarge"
        | "fiatWhole"
        | "pinFormat"
        | "pinMismatch"
        | "pinWeak"
        | "pinSame"
        | "pinAgain"
        | "noRequests"
        | "languageSet"
        | "accountOpened"
        | "quoteUnavailable"
        | "welcomeBack";
    }
  | { key: "notRegistered"; to: E164 }
  | { key: "overSingle" | "overDaily"; amount: string; asset: AssetSymbol }
  | { key: "pinWrong"; attemptsLeft: number }
  /** Why the pools will not quote (no liquidity for the amount, trading paused). */
  | { key: "quoteRefused"; reason: Refusal };

export interface FlowState {
  screen: ScreenId;
  /** Screens behind this one, the nearest last ("0" pops it). */
  stack: ScreenId[];
  /** Page of a menu too long for one screen ("98" turns it). */
  page: number;
  notice?: Notice;
  lang: Lang;
  /** ISO country of the phone number. */
  country: string;
  /** The gateway's network code (MCC+MNC). */
  network: string;
  /** Set once the number has an account. */
  accountId?: AccountId;
  data: FlowData;
  /** A money action was handed on: the session can never be resumed. */
  committed?: boolean;
}

/** The deepest "0 Back" history kept; older screens fall off. */
export const MAX_STACK = 12;
