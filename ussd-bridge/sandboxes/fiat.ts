/** Decimal fiat amounts as exact integers of 1/10,000 of a unit, so a sandbox's float never drifts. */
const SCALE = 10_000n;

export function toUnits(amount: string | number): bigint {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: ${text}`);
  return BigInt(match[1]!) * SCALE + BigInt((match[2] ?? "").padEnd(4, "0") || "0");
}

export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(4, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

export function isAmount(value: unknown): boolean {
  return (typeof value === "string" || typeof value === "number") && /^\d+(\.\d{1,4})?$/.test(String(value)) && toUnits(String(value)) > 0n;
}
