/**
 * The limits an amount screen checks against (single and remaining daily outflow), remembered for
 * a minute per account and asset.
 *
 * Reading them costs three contract calls, more than everything else a menu hop does together,
 * and they change rarely: the tier's limits with a KYC upgrade, the remaining outflow with the
 * account's own payments. The vault enforces the real limits on every operation; this check only
 * tells the person early. So a copy that is up to a minute old is good enough, and this process
 * drops an account's copies as soon as it moves that account's money. A payment made elsewhere
 * (the partner API, another instance) within the minute can make the early check too generous; the
 * vault then refuses the operation and the person sees why on the result screen.
 */
import type { AccountId, AssetSymbol, Limits, MoneyService } from "../ports.js";

export const LIMITS_TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;

export class LimitsCache {
  private readonly copies = new Map<string, { limits: Limits; at: number }>();

  constructor(
    private readonly money: Pick<MoneyService, "limits">,
    private readonly now: () => number,
  ) {}

  async get(accountId: AccountId, asset: AssetSymbol): Promise<Limits> {
    const key = `${accountId}:${asset}`;
    const copy = this.copies.get(key);
    if (copy && this.now() - copy.at < LIMITS_TTL_MS) return copy.limits;
    const limits = await this.money.limits(accountId, asset);
    if (this.copies.size >= MAX_ENTRIES) this.copies.clear();
    this.copies.set(key, { limits, at: this.now() });
    return limits;
  }

  /** After this process moved the account's money: its remaining outflow is no longer what was read. */
  forget(accountId: AccountId): void {
    for (const key of this.copies.keys()) if (key.startsWith(accountId)) this.copies.delete(key);
  }
}
