/**
 * How a screen becomes the gateway's reply: `CON ` or `END `, an optional notice line (what was
 * wrong with the last input), the screen's text, its numbered options, and the "0 Back 00 Home" hint.
 *
 * A reply never exceeds 182 GSM-7 septets including the prefix. When a screen would, the layout
 * first drops the navigation hint (0 and 00 still work), then splits the options into pages ending
 * in "98 More". Options keep their numbers across pages, so "4" means the same thing on every page.
 * The screen tests render every screen in every language with its longest values and require that
 * the last resort below (cutting the text) is never needed.
 */
import { gsm7Septets, isGsm7Basic } from "./gsm7.js";

/** Longest reply, `CON `/`END ` included: the limit operators' USSD gateways hold to. */
export const MAX_REPLY = 182;

export type ReplyKind = "CON" | "END";

export interface View {
  kind: ReplyKind;
  /** The screen's text above its options (may hold line breaks). */
  head: string;
  /** Option labels; the layout numbers them 1, 2, … */
  options?: readonly string[];
  /** Whether the screen takes input and shows the back/home hint. */
  nav?: boolean;
}

export interface NavTexts {
  backHome: string;
  more: string;
}

export interface Laid {
  reply: string;
  /** How many pages the options needed (1 when they all fit). */
  pages: number;
  /** True when the last resort cut the text (a bug: the screen tests forbid it). */
  cut: boolean;
}

const septets = (text: string) => gsm7Septets(text);

/** Any character a handset could not show becomes "?", so the count below is exact. */
function gsmSafe(text: string): string {
  return isGsm7Basic(text) ? text : [...text].map((c) => (isGsm7Basic(c) ? c : "?")).join("");
}

export function layout(view: View, nav: NavTexts, notice: string | undefined, page = 0): Laid {
  const prefix = `${view.kind} `;
  const room = MAX_REPLY - prefix.length;
  const top = [notice, view.head].filter((part): part is string => part !== undefined && part !== "").map(gsmSafe);
  const options = (view.options ?? []).map((label, i) => gsmSafe(`${i + 1} ${label}`));
  const hint = view.nav ? [nav.backHome] : [];
  const fits = (lines: string[]) => septets(lines.join("\n")) <= room;

  const whole = [...top, ...options];
  if (fits([...whole, ...hint])) return finish(prefix, [...whole, ...hint], 1);
  if (options.length === 0 || fits(whole)) return finish(prefix, whole, 1);

  const pages = paginate(top, options, nav.more, hint, fits);
  const index = Math.max(0, Math.min(page, pages.length - 1));
  return finish(prefix, pages[index]!, pages.length);
}

function paginate(top: string[], options: string[], more: string, hint: string[], fits: (lines: string[]) => boolean): string[][] {
  const pages: string[][] = [];
  let rest = options;
  while (rest.length > 0) {
    let take = 0;
    let withHint = true;
    const trial = (n: number, h: boolean) => {
      const last = n === rest.length;
      return fits([...top, ...rest.slice(0, n), ...(last ? [] : [more]), ...(h ? hint : [])]);
    };
    while (take < rest.length && trial(take + 1, true)) take++;
    if (take === 0) {
      withHint = false;
      while (take < rest.length && trial(take + 1, false)) take++;
    }
    if (take === 0) take = 1; // the head alone is too long: the cut below keeps the reply within the limit
    const last = take === rest.length;
    pages.push([...top, ...rest.slice(0, take), ...(last ? [] : [more]), ...(withHint ? hint : [])]);
    rest = rest.slice(take);
  }
  return pages;
}

function finish(prefix: string, lines: string[], pages: number): Laid {
  const room = MAX_REPLY - prefix.length;
  const text = lines.join("\n");
  if (septets(text) <= room) return { reply: prefix + text, pages, cut: false };
  return { reply: prefix + text.slice(0, room), pages, cut: true };
}
