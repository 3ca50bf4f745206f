/**
 * The country tier limits, checked before money moves. The vault checks its own on-chain limits per
 * tier and asset when the call lands; this is the off-chain view, in local currency across all
 * assets, so whichever is stricter refuses first:
 *
 * - single: this operation alone;
 * - daily: the sender's outgoing operations in the last 24 hours plus this one;
 * - balance: the recipient's balances plus this amount (a transfer only).
 */
import type { Db, Tables } from "../db/open.js";
import type { AccountId, AssetSymbol } from "../ports.js";
import { opIdHex } from "../money/op-id.js";
import { outgoingSince } from "./history.js";
import { countryTiers, fromLocalMicros, SEED_USD_PRICES, tierLimits, toLocalMicros, type AssetUsdPrices, type TierTable } from "./tiers.js";

const DAY = 86_400_000;
const MICROS = 1_000_000n;

export interface LimitHolder {
  accountId: AccountId;
  country: string;
  tier: number;
}

export type TierCheck =
  | { ok: true }
  /** `limit` is what remains allowed, in the asset's base units (0 when nothing is). */
  | { ok: false; reason: "limit-single" | "limit-daily" | "limit-balance"; limit: bigint };

export interface TierCheckDeps {
  db: Db;
  tables: Tables;
  tiers: TierTable;
  prices?: AssetUsdPrices;
}

export async function checkTierLimits(
  deps: TierCheckDeps,
  req: {
    sender: LimitHolder;
    asset: AssetSymbol;
    amount: bigint;
    at: number;
    /** The operation being checked, so a retry does not count itself. */
    opId?: bigint;
    recipient?: LimitHolder & { balances: Partial<Record<AssetSymbol, bigint>> };
  },
): Promise<TierCheck> {
  const prices = deps.prices ?? SEED_USD_PRICES;
  const { sender, asset, amount } = req;
  const entry = countryTiers(deps.tiers, sender.country);
  const limits = tierLimits(deps.tiers, sender.country, sender.tier);
  const inAsset = (micros: bigint) => (micros > 0n ? fromLocalMicros(entry, asset, micros, prices) : 0n);
  const value = toLocalMicros(entry, asset, amount, prices);

  const single = BigInt(limits.maxSingle) * MICROS;
  if (value > single) return { ok: false, reason: "limit-single", limit: inAsset(single) };

  const history = (await outgoingSince(deps.db, deps.tables, sender.accountId, req.at - DAY)).filter((o) => req.opId === undefined || o.opId !== opIdHex(req.opId));
  const spent = history.reduce((sum, o) => sum + toLocalMicros(entry, o.asset, o.amount, prices), 0n);
  const daily = BigInt(limits.maxDaily) * MICROS;
  if (spent + value > daily) return { ok: false, reason: "limit-daily", limit: inAsset(daily - spent) };

  if (req.recipient) {
    const r = req.recipient;
    const rEntry = countryTiers(deps.tiers, r.country);
    const held = Object.entries(r.balances).reduce((sum, [a, b]) => sum + toLocalMicros(rEntry, a as AssetSymbol, b ?? 0n, prices), 0n);
    const cap = BigInt(tierLimits(deps.tiers, r.country, r.tier).maxBalance) * MICROS;
    const incoming = toLocalMicros(rEntry, asset, amount, prices);
    if (held + incoming > cap) {
      return { ok: false, reason: "limit-balance", limit: cap > held ? fromLocalMicros(rEntry, asset, cap - held, prices) : 0n };
    }
  }
  return { ok: true };
}
