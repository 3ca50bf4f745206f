/**
 * The custodian's statements of what it holds, which reserve reports rest on. Two kinds:
 * - a mobile-money float: the business wallet's balance on a rail, in the rail's currency (the rail
 *   sandboxes' float endpoint plays the custodian's statement locally), converted at the custodian rate;
 * - holdings stated directly in an asset: the bank account behind cNGN and USDC, the vault behind
 *   XAUt; read from a JSON statement file the custodian issues
 *   (`[{ "asset": "USDC", "amount": "4000000", "asOf": 1767225600000, "statementId": "BANK-2026-01-01" }]`).
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

import { ASSET_SYMBOLS, type AssetSymbol } from "../../ussd-bridge/src/ports.js";
import type { CustodianRail } from "../../ussd-bridge/src/rails/custodian.js";

export interface CustodianStatement {
  /** Which account the statement is for, e.g. "mpesa float" or "bank". No personal data. */
  source: string;
  /** Either a fiat currency (converted at the custodian rate) or an asset the holding is stated in. */
  denomination: { currency: string } | { asset: AssetSymbol };
  /** Decimal string, e.g. "1250000.00". */
  amount: string;
  /** When the custodian read the balance, ms since the epoch. */
  asOf: number;
  /** The custodian's own reference for the statement. */
  statementId: string;
}

export interface CustodianSource {
  name: string;
  read(): Promise<CustodianStatement[]>;
}

const holdingsFileSchema = z.array(
  z.object({
    asset: z.enum(ASSET_SYMBOLS as [AssetSymbol, ...AssetSymbol[]]),
    amount: z.string().regex(/^\d+(\.\d{1,6})?$/),
    asOf: z.number().int().positive(),
    statementId: z.string().min(1).max(128),
  }),
);

/** Holdings stated in assets, from a JSON file the custodian issues; read afresh on every report. */
export function holdingsFileSource(file: string, name = "custodian holdings"): CustodianSource {
  return {
    name,
    async read() {
      if (!existsSync(file)) throw new Error(`The custodian holdings statement ${file} does not exist.`);
      const parsed = holdingsFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
      if (!parsed.success) throw new Error(`The custodian holdings statement ${file} is malformed: ${parsed.error.issues[0]?.message}`);
      return parsed.data.map((h) => ({ source: name, denomination: { asset: h.asset }, amount: h.amount, asOf: h.asOf, statementId: h.statementId }));
    },
  };
}

/** A float balance read through a function (the rail's balance API or its sandbox's float endpoint). */
export function floatSource(
  name: string,
  read: () => Promise<{ currency: string; balance: string; asOf: number; statementId: string }>,
): CustodianSource {
  return {
    name,
    async read() {
      const float = await read();
      return [{ source: name, denomination: { currency: float.currency }, amount: float.balance, asOf: float.asOf, statementId: float.statementId }];
    },
  };
}

/** A rail's float as the custodian's statement (the sandboxes serve it; a live rail's portal reports it). */
export function railFloatSource(rail: CustodianRail): CustodianSource {
  return floatSource(`${rail.id} float`, async () => {
    const float = await rail.float();
    return { currency: float.currency, balance: float.available, asOf: float.asOf, statementId: `${float.account} @ ${float.asOf}` };
  });
}
