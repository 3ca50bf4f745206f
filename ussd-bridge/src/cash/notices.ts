/**
 * The SMS notices of cash movements, in the person's language. Each fits one SMS (160 GSM characters
 * for the longest amounts in English and Kiswahili; French may take two) and names no phone number.
 */
import { formatUnits } from "viem";

import type { AssetSymbol, Lang, RailId } from "../ports.js";

export const RAIL_NAMES: Record<RailId, string> = {
  mpesa: "M-Pesa",
  "mtn-momo": "MTN MoMo",
  airtel: "Airtel Money",
  orange: "Orange Money",
  afrimoney: "AfriMoney",
};

export type NoticeKind = "credited" | "collect-failed" | "paid" | "refunded" | "payout-refused";

export interface NoticeFacts {
  rail: RailId;
  currency: string;
  fiatAmount: string;
  asset: AssetSymbol;
  assetAmount: bigint;
  reference: string;
}

type Texts = Record<NoticeKind, (f: Filled) => string>;
interface Filled {
  fiat: string;
  rail: string;
  asset: string;
  ref: string;
}

const TEXTS: Record<Lang, Texts> = {
  en: {
    credited: (f) => `JuaPesa: ${f.fiat} received from ${f.rail}. ${f.asset} added to your account. Ref ${f.ref}.`,
    "collect-failed": (f) => `JuaPesa: your cash in of ${f.fiat} from ${f.rail} did not go through. Nothing was taken. Ref ${f.ref}.`,
    paid: (f) => `JuaPesa: ${f.fiat} sent to your ${f.rail} wallet. ${f.asset} taken from your account. Ref ${f.ref}.`,
    refunded: (f) => `JuaPesa: your cash out of ${f.fiat} to ${f.rail} failed. ${f.asset} returned to your account. Ref ${f.ref}.`,
    "payout-refused": (f) => `JuaPesa: your cash out of ${f.fiat} to ${f.rail} did not go through. Nothing was taken. Ref ${f.ref}.`,
  },
  sw: {
    credited: (f) => `JuaPesa: Umepokea ${f.fiat} kutoka ${f.rail}. ${f.asset} zimeongezwa kwenye akaunti yako. Kumb. ${f.ref}.`,
    "collect-failed": (f) => `JuaPesa: Kuweka ${f.fiat} kutoka ${f.rail} hakukufanikiwa. Hakuna kilichokatwa. Kumb. ${f.ref}.`,
    paid: (f) => `JuaPesa: ${f.fiat} zimetumwa kwenye ${f.rail} yako. ${f.asset} zimetolewa kwenye akaunti yako. Kumb. ${f.ref}.`,
    refunded: (f) => `JuaPesa: Kutoa ${f.fiat} kwenda ${f.rail} hakukufanikiwa. ${f.asset} zimerudishwa kwenye akaunti yako. Kumb. ${f.ref}.`,
    "payout-refused": (f) => `JuaPesa: Kutoa ${f.fiat} kwenda ${f.rail} hakukufanikiwa. Hakuna kilichokatwa. Kumb. ${f.ref}.`,
  },
  fr: {
    credited: (f) => `JuaPesa : ${f.fiat} reçus via ${f.rail}. ${f.asset} crédités sur votre compte. Réf. ${f.ref}.`,
    "collect-failed": (f) => `JuaPesa : votre dépôt de ${f.fiat} via ${f.rail} n'a pas abouti. Rien n'a été prélevé. Réf. ${f.ref}.`,
    paid: (f) => `JuaPesa : ${f.fiat} envoyés sur votre compte ${f.rail}. ${f.asset} débités de votre compte. Réf. ${f.ref}.`,
    refunded: (f) => `JuaPesa : votre retrait de ${f.fiat} vers ${f.rail} a échoué. ${f.asset} recrédités sur votre compte. Réf. ${f.ref}.`,
    "payout-refused": (f) => `JuaPesa : votre retrait de ${f.fiat} vers ${f.rail} n'a pas abouti. Rien n'a été débité. Réf. ${f.ref}.`,
  },
};

export function noticeText(kind: NoticeKind, lang: Lang, facts: NoticeFacts): string {
  return TEXTS[lang][kind]({
    fiat: `${facts.currency} ${facts.fiatAmount}`,
    rail: RAIL_NAMES[facts.rail],
    asset: `${formatUnits(facts.assetAmount, 6)} ${facts.asset}`,
    ref: shortRef(facts.reference),
  });
}

/** What a person quotes to support: the reference's last eight characters, upper-cased. */
export function shortRef(reference: string): string {
  return reference.slice(-8).toUpperCase();
}

/** The SMS id: one notice per movement and kind, however often the event is seen. */
export function noticeId(kind: NoticeKind, reference: string): string {
  return `cash:${reference}:${kind}`;
}
