/**
 * Rows as the registry and the outbox write them, for tests of the rules that read them.
 */
import { randomBytes } from "node:crypto";

import { accountIdFor, countryOf, type E164 } from "../../../../sdk/phone.js";
import type { Database } from "../../../../ussd-bridge/src/db/open.js";
import { opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";
import type { AccountId, AssetSymbol } from "../../../../ussd-bridge/src/ports.js";

export const PEPPER = randomBytes(32);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function addUser(
  database: Database,
  phone: E164,
  options: { createdAt: number; tier?: number; status?: "active" | "blocked" },
): Promise<AccountId> {
  const accountId = accountIdFor(PEPPER, phone);
  await database.db.insert(database.tables.users).values({
    accountId,
    phone,
    country: countryOf(phone) ?? "ZZ",
    lang: "en",
    pinHash: "scrypt$test",
    tier: options.tier ?? 1,
    status: options.status ?? "active",
    termsAcceptedAt: options.createdAt,
    createdAt: options.createdAt,
    updatedAt: options.createdAt,
  });
  return accountId;
}

let nextOp = 1n;
export const newOpId = () => (BigInt(Date.now()) << 32n) + nextOp++;

export async function addOperation(
  database: Database,
  op: { accountId: AccountId; counterpartyId?: AccountId; kind?: "transfer" | "convert" | "debit" | "credit"; asset?: AssetSymbol; amount: bigint; at: number; status?: string },
): Promise<bigint> {
  const opId = newOpId();
  await database.db.insert(database.tables.operations).values({
    opId: opIdHex(opId),
    kind: op.kind ?? "transfer",
    origin: "ussd",
    accountId: op.accountId,
    counterpartyId: op.counterpartyId,
    asset: op.asset ?? "cNGN",
    amount: op.amount.toString(),
    payload: "{}",
    status: op.status ?? "done",
    createdAt: op.at,
    updatedAt: op.at,
  });
  return opId;
}

/** Serves a Hono app on a loopback port for the test's life. */
export async function listen(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<{ url: string; close: () => Promise<void> }> {
  const { serve } = await import("@hono/node-server");
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets from fetch would hold close() open.
            (server as import("node:http").Server).closeAllConnections?.();
          }),
      });
    });
  });
}
