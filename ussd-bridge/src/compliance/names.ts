/**
 * Name comparison for sanctions screening.
 *
 * Names reach us typed on keypads, transliterated by different clerks, with or without accents, in
 * either order ("Okafor Ifeoma" / "Ifeoma Okafor") and with middle names dropped. So a name is first
 * normalised to plain lowercase tokens, then compared two ways and the better score kept:
 *
 * - token set: each token of the shorter name is paired with its best Jaro-Winkler match among
 *   the other name's tokens, and the scores are averaged. Jaro-Winkler is built for short personal
 *   names in record linkage: it weighs matching characters and transpositions and rewards a common
 *   prefix, where spelling variants usually agree, so "Mohamed"/"Mohammed" or "Okafor"/"Okafour"
 *   score high where edit distance would punish short names too hard. Pairing tokens makes word
 *   order irrelevant, and averaging over the shorter name lets a listed "Ifeoma Adaeze Okafor"
 *   match "Ifeoma Okafor" (middle names are often dropped). It only applies when both names have
 *   at least two tokens, so a lone common first name cannot match everyone who carries it;
 * - whole name: Jaro-Winkler on the tokens joined without spaces, in the order written, which
 *   catches names split differently ("Abdul Rahman" / "Abdulrahman").
 *
 * Scores are in [0, 1]; the screening threshold (default 0.9) is set in sanctions.ts.
 */

const SPECIAL_LETTERS: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i" };
/** Titles carry no identity; removing them keeps "Dr Ifeoma Okafor" equal to "Ifeoma Okafor". */
const TITLES = new Set(["mr", "mrs", "ms", "miss", "dr", "prof"]);

/** Lowercase ASCII-folded tokens: accents stripped, apostrophes dropped, other punctuation splits. */
export function nameTokens(name: string): string[] {
  const folded = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/['’‘`ʼ]/g, "") // O'Brien = OBrien
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return folded === "" ? [] : folded.split(" ").filter((t) => !TITLES.has(t));
}

/** Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

function tokenSetScore(x: string[], y: string[]): number {
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  const used = new Array<boolean>(long.length).fill(false);
  let total = 0;
  // Longest tokens first: they carry the most identity, so they choose their partner first.
  for (const token of [...short].sort((p, q) => q.length - p.length)) {
    let best = 0;
    let bestIndex = -1;
    long.forEach((candidate, i) => {
      if (used[i]) return;
      const s = jaroWinkler(token, candidate);
      if (s > best) [best, bestIndex] = [s, i];
    });
    if (bestIndex >= 0) used[bestIndex] = true;
    total += best;
  }
  return total / short.length;
}

/** Similarity of two token lists from `nameTokens`, in [0, 1]. */
export function tokenSimilarity(x: string[], y: string[]): number {
  if (x.length === 0 || y.length === 0) return 0;
  const whole = jaroWinkler(x.join(""), y.join(""));
  if (x.length < 2 || y.length < 2) return whole;
  return Math.max(whole, tokenSetScore(x, y));
}

/** Similarity of two names as people write them, in [0, 1]. */
export function nameSimilarity(a: string, b: string): number {
  return tokenSimilarity(nameTokens(a), nameTokens(b));
}
