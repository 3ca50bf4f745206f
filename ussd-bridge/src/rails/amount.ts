/** Fiat amounts on rails are decimal strings; these checks run before anything is sent. */

const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;

/** The canonical form of a positive decimal amount ("500.50" → "500.5", "0500" refused). */
export function canonicalAmount(amount: string): string {
  if (!DECIMAL.test(amount)) throw new Error("a rail amount must be a positive decimal string with at most 4 decimals, e.g. \"500\" or \"12.50\"");
  const [whole, fraction = ""] = amount.split(".");
  const trimmed = fraction.replace(/0+$/, "");
  const canonical = trimmed ? `${whole}.${trimmed}` : whole!;
  if (/^0(\.0*)?$/.test(canonical)) throw new Error("a rail amount must be more than zero");
  return canonical;
}

/** Whole units only (M-Pesa takes whole shillings, MoMo UGX has no minor unit). */
export function wholeAmount(amount: string, what: string): number {
  const canonical = canonicalAmount(amount);
  if (canonical.includes(".")) throw new Error(`${what} takes whole amounts only; got ${canonical}`);
  return Number(canonical);
}

/** Compares two decimal amounts written differently ("500" and "500.00" are equal). */
export function sameAmount(a: string, b: string): boolean {
  try {
    return canonicalAmount(a) === canonicalAmount(b);
  } catch {
    return false;
  }
}
