/** English. Plain, short sentences a person reads on a 24-character-wide screen. */
import type { Catalog } from "./catalog.js";

export const en: Catalog = {
  lang: "en",
  languageName: "English",

  nav: { backHome: "0 Back 00 Home", more: "98 More" },

  options: {
    confirm: "Confirm",
    accept: "Accept",
    decline: "Decline",
    pay: "Pay",
    invite: "Invite them by SMS",
    resume: "Continue where you left off",
    startAgain: "Start again",
  },

  welcome: "Welcome to JuaPesa. Choose your language:",
  chooseLanguage: "Choose your language:",

  register: {
    pin: "Create a PIN of 4 to 6 digits. Never share it.",
    pinAgain: "Enter the PIN again:",
    terms: "JuaPesa terms: your number stays private and sending between JuaPesa accounts is free. All terms: juapesa.africa/terms",
    declined: "You need to accept the terms to open an account. Dial again any time.",
    sanctioned: "We cannot open an account for this number. Please contact JuaPesa support.",
    unsupportedCountry: "JuaPesa is not available in your country yet.",
  },

  home: {
    title: "JuaPesa",
    send: "Send money",
    receive: "Receive",
    convert: "Convert",
    cashIn: "Cash in",
    cashOut: "Cash out",
    balance: "Balance",
    account: "My account",
  },

  send: {
    to: "Enter the recipient's phone number:",
    notOnJuaPesa: (p) => `${p.to} is not on JuaPesa yet.`,
    invited: (p) => `We sent ${p.to} an invitation by SMS. You can send once they join.`,
    amount: (p) => `Amount to send to ${p.to}:`,
    asset: (p) => `Send ${p.amount} in:`,
    confirm: (p) => `Send ${p.amount} to ${p.to}\nFee: 0 (free between JuaPesa accounts)`,
    pin: (p) => `Enter your PIN to send ${p.amount} to ${p.to}:`,
    done: (p) => `Sent ${p.amount} to ${p.to}. Ref ${p.ref}. An SMS confirms it.`,
    pending: (p) => `Sending ${p.amount} to ${p.to} is in progress. An SMS will confirm it.`,
    refused: (p) => `Not sent. ${p.reason} Nothing was taken.`,
  },

  receive: {
    title: "Receive money",
    myNumber: "My number",
    requests: (p) => `Requests to me (${p.count})`,
    ask: "Request money",
    number: (p) => `Your JuaPesa number is ${p.phone}. Share it to receive money.`,
    list: "Requests to you:",
    item: (p) => `${p.amount} from ${p.from}`,
    request: (p) => `${p.from} asks you for ${p.amount}.`,
    payPin: (p) => `Enter your PIN to pay ${p.amount} to ${p.to}:`,
    declined: (p) => `You declined the request from ${p.from}.`,
    askFrom: "Request money from which phone number?",
    askAmount: (p) => `Amount to request from ${p.from}:`,
    askAsset: (p) => `Request ${p.amount} in:`,
    asked: (p) => `We asked ${p.from} for ${p.amount} by SMS. You get an SMS when they pay.`,
  },

  convert: {
    from: "Convert from:",
    to: (p) => `Convert ${p.from} to:`,
    amount: (p) => `Amount of ${p.from} to convert to ${p.to}:`,
    confirm: (p) => `Convert ${p.amountIn}\nYou get about ${p.amountOut}\nAt least ${p.min}\nFee: ${p.fee}`,
    pin: (p) => `Enter your PIN to convert ${p.amountIn} to ${p.to}:`,
    done: (p) => `Converted ${p.amountIn} to ${p.amountOut}. An SMS confirms it.`,
    pending: "Your conversion is in progress. An SMS will confirm it.",
    refused: (p) => `Not converted. ${p.reason} Nothing was taken.`,
  },

  cashIn: {
    rail: "Choose your mobile money:",
    amount: (p) => `Amount in ${p.currency} to add from ${p.rail}:`,
    confirm: (p) => `Add ${p.fiat} from ${p.rail}\nYou get about ${p.amount}`,
    confirmPlain: (p) => `Add ${p.fiat} from ${p.rail}`,
    requested: (p) => `Check your phone and approve the ${p.rail} request with your ${p.rail} PIN. An SMS will confirm.`,
    done: (p) => `${p.fiat} was added to your JuaPesa account.`,
    refused: (p) => `Nothing was added. ${p.reason}`,
  },

  cashOut: {
    amount: (p) => `Amount to cash out to ${p.rail}:`,
    asset: (p) => `Cash out ${p.amount} from:`,
    confirm: (p) => `Cash out ${p.amount} to ${p.rail} ${p.phone}\nYou get about ${p.fiat}`,
    confirmPlain: (p) => `Cash out ${p.amount} to ${p.rail} ${p.phone}`,
    pin: (p) => `Enter your PIN to cash out ${p.amount}:`,
    requested: (p) => `${p.amount} is on its way to your ${p.rail}. An SMS will confirm.`,
    refused: (p) => `Not cashed out. ${p.reason} Nothing was taken.`,
  },

  balance: {
    pin: "Enter your PIN to see your balance:",
    title: "Your balance:",
  },

  account: {
    title: "My account",
    changePin: "Change PIN",
    language: "Language",
    oldPin: "Enter your current PIN:",
    newPin: "Enter a new PIN of 4 to 6 digits:",
    newPinAgain: "Enter the new PIN again:",
    pinChanged: "Your PIN is changed. Use the new PIN from now on.",
  },

  pin: {
    locked: (p) => `Too many wrong PINs. Your account is locked for ${p.minutes} minutes.`,
  },

  session: {
    busy: "Another JuaPesa session is open on your phone. Finish it, or dial again in a minute.",
    mismatch: "This session does not match your phone number. Please dial again.",
    resume: "Your last session was cut off.",
    ended: "This session has ended. Please dial again.",
    unavailable: "JuaPesa is not available right now. Please try again in a few minutes.",
    blocked: "Your account is blocked. Please contact JuaPesa support.",
  },

  notices: {
    invalidChoice: "Invalid choice.",
    invalidPhone: "That number is not valid.",
    ownNumber: "That is your own number.",
    cannotSendTo: "You cannot send to this number.",
    notRegistered: (p) => `${p.to} is not on JuaPesa.`,
    amountFormat: "Type digits only, like 1500 or 25.50",
    amountNegative: "The amount cannot be negative.",
    amountZero: "The amount must be more than 0.",
    amountDecimals: "Use at most 6 decimals.",
    amountTooLarge: "That amount is too large.",
    fiatWhole: "Type a whole amount, no decimals.",
    overSingle: (p) => `The most per transaction is ${p.max}.`,
    overDaily: (p) => `Your limit left today is ${p.left}.`,
    pinFormat: "A PIN has 4 to 6 digits.",
    pinMismatch: "The PINs did not match. Try again.",
    pinWeak: "That PIN is too easy to guess. Choose another.",
    pinSame: "Choose a PIN different from the current one.",
    pinWrong: ({ attemptsLeft }) => (attemptsLeft === 1 ? "Wrong PIN. 1 try left." : `Wrong PIN. ${attemptsLeft} tries left.`),
    pinAgain: "Please enter your PIN again.",
    noRequests: "You have no open requests.",
    languageSet: "Language: English.",
    accountOpened: "Your account is open.",
    quoteUnavailable: "No rate available now. Try again later.",
    welcomeBack: "Welcome back.",
  },

  reasons: {
    "insufficient-balance": "Your balance is too low.",
    "limit-single": "The amount is over your limit per transaction.",
    "limit-daily": "You have reached your daily limit.",
    "limit-balance": "A balance limit would be exceeded.",
    "account-frozen": "The account is frozen. Please contact support.",
    "account-not-open": "The account is not open yet.",
    "self-transfer": "You cannot send to yourself.",
    slippage: "The rate moved too much. Please try again.",
    "market-halted": "Trading is paused. Please try later.",
    "pool-limit": "Not enough liquidity now. Try a smaller amount.",
    compliance: "This is not allowed. Please contact support.",
    "invalid-statement": "Something went wrong. Please try later.",
    unknown: "Something went wrong. Please try later.",
    "rail-failed": "The mobile money payment did not go through.",
    "unsupported-rail": "This mobile money service is not available.",
  },

  sms: {
    sent: (p) => `JuaPesa: you sent ${p.amount} to ${p.to}. Ref ${p.ref}.`,
    received: (p) => `JuaPesa: you received ${p.amount} from ${p.from}. Ref ${p.ref}. Dial ${p.code} to use it.`,
    sendFailed: (p) => `JuaPesa: your send of ${p.amount} to ${p.to} did not go through. Nothing was taken.`,
    converted: (p) => `JuaPesa: you converted ${p.amountIn} to ${p.amountOut}. Ref ${p.ref}.`,
    convertFailed: (p) => `JuaPesa: your conversion of ${p.amountIn} did not go through. Nothing was taken.`,
    invite: (p) => `${p.from} wants to send you money with JuaPesa. Dial ${p.code} to open a free account.`,
    request: (p) => `JuaPesa: ${p.from} asks you for ${p.amount}. Dial ${p.code} and choose 2 Receive to pay.`,
  },
};
