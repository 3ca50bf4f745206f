/**
 * The catalogs by language, and the language a number hears before its owner picks one.
 * Adding a language: add its code to `Lang`/`LANGS` in ports.ts, write `xx.ts` as a `Catalog`
 * (the compiler lists every missing key), add it here; the screen tests then render every screen
 * in it and fail on anything over 182 characters or outside GSM-7.
 */
import type { Lang } from "../../ports.js";
import type { Catalog } from "./catalog.js";
import { en } from "./en.js";
import { fr } from "./fr.js";
import { sw } from "./sw.js";

export type { Catalog, Refusal, Text } from "./catalog.js";

export const CATALOGS: Record<Lang, Catalog> = { en, sw, fr };

export function catalogFor(lang: Lang): Catalog {
  return CATALOGS[lang] ?? en;
}

/** Countries where French is the language of mobile-money menus; Tanzania's menus are in Kiswahili. */
const FRENCH = new Set(["SN", "CI", "CM", "ML", "BF", "NE", "TG", "BJ", "GN", "CD", "CG", "GA", "TD", "CF", "MG", "BI", "DJ", "KM"]);

/** The language shown to a number before it has chosen one: the usual menu language of its country. */
export function defaultLangFor(country: string | undefined): Lang {
  if (country === "TZ") return "sw";
  if (country && FRENCH.has(country)) return "fr";
  return "en";
}

export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "sw" || value === "fr";
}
