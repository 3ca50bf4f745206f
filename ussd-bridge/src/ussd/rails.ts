/**
 * Which mobile-money wallet a person most likely has, from their country and the network their
 * gateway reports, so Cash in and Cash out can skip the question when the answer is clear.
 *
 * Network codes are MCC+MNC as Africa's Talking sends them in `networkCode` (63902 = Safaricom
 * Kenya). A network whose operator runs one of the supported wallets picks that wallet; an unknown
 * network (including the gateway's sandbox, 99999) falls back to the wallets of the country, and the
 * person chooses when there are several.
 */
import type { RailId } from "../ports.js";

/** The wallet's own name, as people know it (the same in every language). */
export const RAIL_NAMES: Record<RailId, string> = {
  mpesa: "M-Pesa",
  "mtn-momo": "MTN MoMo",
  airtel: "Airtel Money",
  orange: "Orange Money",
  afrimoney: "AfriMoney",
};

/** Networks whose operator runs a supported wallet. */
const NETWORK_RAILS: Record<string, RailId> = {
  "63902": "mpesa", // Safaricom, Kenya
  "63903": "airtel", // Airtel, Kenya
  "64110": "mtn-momo", // MTN, Uganda
  "64101": "airtel", // Airtel, Uganda
  "64005": "airtel", // Airtel, Tanzania
  "63510": "mtn-momo", // MTN, Rwanda
  "63513": "airtel", // Airtel, Rwanda
  "62130": "mtn-momo", // MTN, Nigeria
  "62120": "airtel", // Airtel, Nigeria
  "62001": "mtn-momo", // MTN, Ghana
  "62006": "airtel", // AirtelTigo, Ghana
  "64502": "mtn-momo", // MTN, Zambia
  "64501": "airtel", // Airtel, Zambia
  "62401": "mtn-momo", // MTN, Cameroon
  "62402": "orange", // Orange, Cameroon
  "61205": "mtn-momo", // MTN, Côte d'Ivoire
  "61203": "orange", // Orange, Côte d'Ivoire
  "60801": "orange", // Orange (Sonatel), Senegal
  "61002": "orange", // Orange, Mali
  "61302": "orange", // Orange, Burkina Faso
  "63002": "airtel", // Airtel, DR Congo
  "63089": "orange", // Orange, DR Congo
  "61901": "orange", // Orange, Sierra Leone
  "61905": "afrimoney", // Africell, Sierra Leone
  "60702": "afrimoney", // Africell, Gambia
};

/** The supported wallets in each country, the most used first. */
const COUNTRY_RAILS: Record<string, readonly RailId[]> = {
  KE: ["mpesa", "airtel"],
  TZ: ["airtel"],
  UG: ["mtn-momo", "airtel"],
  RW: ["mtn-momo", "airtel"],
  NG: ["mtn-momo", "airtel"],
  GH: ["mtn-momo", "airtel"],
  ZM: ["mtn-momo", "airtel"],
  CM: ["mtn-momo", "orange"],
  CI: ["orange", "mtn-momo"],
  SN: ["orange"],
  ML: ["orange"],
  BF: ["orange"],
  CD: ["airtel", "orange"],
  SL: ["afrimoney", "orange"],
  GM: ["afrimoney"],
};

const ALL_RAILS: readonly RailId[] = ["mpesa", "mtn-momo", "airtel", "orange", "afrimoney"];

/** The wallets to offer in `country` (every supported one when the country has none listed). */
export function railsFor(country: string): readonly RailId[] {
  return COUNTRY_RAILS[country] ?? ALL_RAILS;
}

/** The wallet to use without asking, or undefined when the person has to choose. */
export function defaultRail(country: string, networkCode: string): RailId | undefined {
  const byNetwork = NETWORK_RAILS[networkCode];
  const offered = railsFor(country);
  if (byNetwork && offered.includes(byNetwork)) return byNetwork;
  return offered.length === 1 ? offered[0] : undefined;
}

/** ISO 4217 currency of a country's wallets, for showing fiat amounts. */
const COUNTRY_CURRENCY: Record<string, string> = {
  KE: "KES", TZ: "TZS", UG: "UGX", RW: "RWF", NG: "NGN", GH: "GHS", ZM: "ZMW", CM: "XAF", CI: "XOF",
  SN: "XOF", ML: "XOF", BF: "XOF", CD: "CDF", SL: "SLE", GM: "GMD",
};

export function currencyOf(country: string): string {
  return COUNTRY_CURRENCY[country] ?? "USD";
}
