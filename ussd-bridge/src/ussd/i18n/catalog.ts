/**
 * Everything the USSD menus and their SMS notices say, as one typed catalog. Each language file
 * (`en.ts`, `sw.ts`, `fr.ts`) is a value of this type, so a missing or misspelled key is a compile
 * error, not a blank screen. Values that vary take named, already formatted parameters (amounts
 * come with their asset symbol, numbers masked as `+2547***678`), so word order is the
 * translation's own business.
 *
 * Rules every text follows (tests check them): GSM 03.38 basic characters only (see gsm7.ts), and
 * every screen, with the longest values it can carry, fits 182 characters including `CON `/`END `.
 */
import type { Lang, MoneyRefusal } from "../../ports.js";

/** A text with named parameters. */
export type Text<K extends string> = (p: Record<K, string>) => string;

/** Why an action was refused, including the mobile-money rails' own reasons. */
export type Refusal = MoneyRefusal | "rail-failed" | "unsupported-rail";

export interface Catalog {
  lang: Lang;
  /** The language's name in itself, as listed on the language screen. */
  languageName: string;

  nav: {
    /** The hint on every input screen: 0 goes back, 00 goes home. */
    backHome: string;
    /** The last line of a menu page that continues: 98 shows the next page. */
    more: string;
  };

  /** Option labels (the menu numbers them). */
  options: {
    confirm: string;
    accept: string;
    decline: string;
    pay: string;
    invite: string;
    resume: string;
    startAgain: string;
  };

  /** The first screen of an unregistered number, and the language screen under My account. */
  welcome: string;
  chooseLanguage: string;

  register: {
    pin: string;
    pinAgain: string;
    terms: string;
    declined: string;
    sanctioned: string;
    unsupportedCountry: string;
  };

  home: {
    title: string;
    send: string;
    receive: string;
    convert: string;
    cashIn: string;
    cashOut: string;
    balance: string;
    account: string;
  };

  send: {
    to: string;
    notOnJuaPesa: Text<"to">;
    invited: Text<"to">;
    amount: Text<"to">;
    asset: Text<"amount">;
    confirm: Text<"amount" | "to">;
    pin: Text<"amount" | "to">;
    done: Text<"amount" | "to" | "ref">;
    pending: Text<"amount" | "to">;
    refused: Text<"reason">;
  };

  receive: {
    title: string;
    myNumber: string;
    requests: Text<"count">;
    ask: string;
    number: Text<"phone">;
    list: string;
    item: Text<"amount" | "from">;
    request: Text<"amount" | "from">;
    payPin: Text<"amount" | "to">;
    declined: Text<"from">;
    askFrom: string;
    askAmount: Text<"from">;
    askAsset: Text<"amount">;
    asked: Text<"amount" | "from">;
  };

  convert: {
    from: string;
    to: Text<"from">;
    amount: Text<"from" | "to">;
    confirm: Text<"amountIn" | "amountOut" | "min" | "fee">;
    pin: Text<"amountIn" | "to">;
    done: Text<"amountIn" | "amountOut">;
    pending: string;
    refused: Text<"reason">;
  };

  cashIn: {
    rail: string;
    amount: Text<"currency" | "rail">;
    confirm: Text<"fiat" | "rail" | "amount">;
    /** When the rail's asset rate is unknown the screen says only what leaves the wallet. */
    confirmPlain: Text<"fiat" | "rail">;
    requested: Text<"rail">;
    done: Text<"fiat">;
    refused: Text<"reason">;
  };

  cashOut: {
    amount: Text<"rail">;
    asset: Text<"amount">;
    confirm: Text<"amount" | "rail" | "phone" | "fiat">;
    confirmPlain: Text<"amount" | "rail" | "phone">;
    pin: Text<"amount">;
    requested: Text<"amount" | "rail">;
    refused: Text<"reason">;
  };

  balance: {
    pin: string;
    /** Title line above one line per asset. */
    title: string;
  };

  account: {
    title: string;
    changePin: string;
    language: string;
    oldPin: string;
    newPin: string;
    newPinAgain: string;
    pinChanged: string;
  };

  pin: {
    locked: Text<"minutes">;
  };

  session: {
    busy: string;
    mismatch: string;
    resume: string;
    ended: string;
    unavailable: string;
    blocked: string;
  };

  /** One line shown above a screen, saying what was wrong with the last input or what just happened. */
  notices: {
    invalidChoice: string;
    invalidPhone: string;
    ownNumber: string;
    cannotSendTo: string;
    notRegistered: Text<"to">;
    amountFormat: string;
    amountNegative: string;
    amountZero: string;
    amountDecimals: string;
    amountTooLarge: string;
    fiatWhole: string;
    overSingle: Text<"max">;
    overDaily: Text<"left">;
    pinFormat: string;
    pinMismatch: string;
    pinWeak: string;
    pinSame: string;
    pinWrong: (p: { attemptsLeft: number }) => string;
    pinAgain: string;
    noRequests: string;
    languageSet: string;
    accountOpened: string;
    quoteUnavailable: string;
    welcomeBack: string;
  };

  /** A sentence each, used inside the `refused` screens. */
  reasons: Record<Refusal, string>;

  /** SMS notices: GSM-7 and at most 160 characters (one SMS) with the longest values. */
  sms: {
    sent: Text<"amount" | "to" | "ref">;
    received: Text<"amount" | "from" | "ref" | "code">;
    sendFailed: Text<"amount" | "to">;
    converted: Text<"amountIn" | "amountOut" | "ref">;
    convertFailed: Text<"amountIn">;
    invite: Text<"from" | "code">;
    request: Text<"amount" | "from" | "code">;
  };
}
