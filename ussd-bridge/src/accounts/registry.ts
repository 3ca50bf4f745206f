/**
 * The registry (ports.ts `Registry`) over the `users` table: who is registered, their PIN hash,
 * language and KYC tier, and the vault account each one has on-chain.
 *
 * Registration order, so a crash anywhere leaves nothing half-done that cannot be finished:
 *   screen the number → insert the user as `opening` → `vault.openAccount(accountId, 1)` → `active`.
 * The insert is the lock: the phone and the account id are unique, so of two registrations of one
 * number at once exactly one inserts and the other is told "already registered". Opening is
 * idempotent (`AccountExists` counts as opened). If the opening fails outright the row is removed
 * and the person can simply register again; if the bridge stops before it is confirmed, the row
 * stays `opening` and `resumeOpenings()` (run at start) finishes it. An `opening` user is shown as
 * active: the opening transaction goes out from the operator's send queue ahead of anything the
 * person does next, so their first operation lands after it.
 */
import { and, eq, sql, type Placeholder } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js/max";
import type { Hex, PublicClient, WalletClient } from "viem";

import { custodialVaultAbi } from "../../../sdk/abis.generated.js";
import type { Deployment } from "../../../sdk/deployments.js";
import { accountIdFor, countryOf } from "../../../sdk/phone.js";
import { DEFAULTS } from "../config.js";
import type { Db, Tables } from "../db/open.js";
import { preparedPer } from "../db/prepared.js";
import { LANGS, type AccountId, type Compliance, type E164, type Lang, type PinCheck, type RegisterResult, type Registry, type User } from "../ports.js";
import { receiptWithin } from "../money/receipts.js";
import { PROTOCOL_ERROR_ABIS, describeRevert, revertOf } from "../money/refusal.js";
import { createTxSender, type TxSender } from "../money/sender.js";
import { CLEARED, startAttempt, wrongPinResult } from "./lockout.js";
import { hashPin, needsRehash, pinKeyFrom, pinProblem, verifyPinHash, type ScryptParams } from "./pin.js";

export const MIN_TIER = 1;
export const MAX_TIER = 3; // CustodialVault.MAX_TIER

/** How long a tier change or a resumed opening waits for its receipt before giving up for now. */
const SETTLE_MS = 120_000;

export interface RegistryOptions {
  db: Db;
  tables: Tables;
  pepper: Uint8Array;
  /** Sanctions screening of a number before it may register (the compliance part implements it). */
  compliance: Pick<Compliance, "screen">;
  chain: {
    public: PublicClient;
    /** Holds the vault's operator role (account openings). */
    wallet: WalletClient;
    /** Holds the compliance role (tier changes), when it is not the operator's key. */
    complianceWallet?: WalletClient;
    /** The operator's send queue, shared with the money service (one per key per process). */
    sender?: TxSender;
  };
  deployment: Pick<Deployment, "vault">;
  pinScrypt?: ScryptParams;
  countries?: readonly CountryCode[];
  /** How long `register` waits for the opening's receipt before answering (it finishes in the background). */
  budgetMs?: number;
  now?: () => number;
}

export class RegistrationError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("The vault account could not be opened on-chain, so nothing was kept; ask the person to register again shortly.", options);
    this.name = "RegistrationError";
  }
}

export class UnknownAccountError extends Error {
  constructor(readonly accountId: AccountId) {
    super(`No registered user has account ${accountId.slice(0, 10)}…; register the number first.`);
    this.name = "UnknownAccountError";
  }
}

type UserRow = Tables["users"]["$inferSelect"];

export type BridgeRegistry = Registry & {
  /** Opens on-chain every account a stopped bridge left `opening`; returns how many it finished. */
  resumeOpenings(): Promise<number>;
};

export function createRegistry(options: RegistryOptions): BridgeRegistry {
  const { db, tables, compliance, deployment } = options;
  const { users } = tables;
  const now = options.now ?? Date.now;
  const pinKey = pinKeyFrom(options.pepper);
  const pinScrypt = options.pinScrypt ?? DEFAULTS.pinScrypt;
  const countries = options.countries ?? DEFAULTS.countries;
  const budgetMs = options.budgetMs ?? DEFAULTS.budgetMs;
  const operator = options.chain.sender ?? createTxSender({ public: options.chain.public, wallet: options.chain.wallet });
  const officer =
    options.chain.complianceWallet && options.chain.complianceWallet.account?.address !== operator.address
      ? createTxSender({ public: options.chain.public, wallet: options.chain.complianceWallet })
      : operator;

  const { rowByAccount, rowByPhone } = userLookups(db, tables);

  async function openOnChain(accountId: AccountId, waitMs: number): Promise<{ open: true } | { open: false; hash: Hex }> {
    let hash: Hex;
    try {
      ({ hash } = await operator.send({ address: deployment.vault, abi: custodialVaultAbi, functionName: "openAccount", args: [accountId, 1] }, { errorAbis: PROTOCOL_ERROR_ABIS }));
    } catch (error) {
      if (revertOf(error)?.name === "AccountExists") return { open: true };
      throw error;
    }
    return (await confirmed(accountId, hash, waitMs)) ? { open: true } : { open: false, hash };
  }

  /** True once `hash` (an opening) has a receipt and the account is open; false if no receipt came within `waitMs`. */
  async function confirmed(accountId: AccountId, hash: Hex, waitMs: number): Promise<boolean> {
    const receipt = await receiptWithin(options.chain.public, hash, waitMs);
    if (!receipt) return false;
    if (receipt.status === "success" || (await isOpen(accountId))) return true;
    throw new Error(`openAccount for ${accountId.slice(0, 10)}… reverted in ${receipt.transactionHash}`);
  }

  async function isOpen(accountId: AccountId): Promise<boolean> {
    const info = await options.chain.public.readContract({ address: deployment.vault, abi: custodialVaultAbi, functionName: "accountInfo", args: [accountId] });
    return info.tier > 0;
  }

  async function activate(accountId: AccountId): Promise<void> {
    await db.update(users).set({ status: "active", updatedAt: now() }).where(and(eq(users.accountId, accountId), eq(users.status, "opening")));
  }

  async function finishOpening(accountId: AccountId): Promise<boolean> {
    if (!(await openOnChain(accountId, SETTLE_MS)).open) return false;
    await activate(accountId);
    return true;
  }

  async function verifyPin(accountId: AccountId, pin: string): Promise<PinCheck> {
    // Compare-and-set on the attempt counters: a lost race re-reads and tries again.
    for (let round = 0; round < 8; round++) {
      const row = await rowByAccount(accountId);
      if (!row) throw new UnknownAccountError(accountId);
      const at = now();
      const start = startAttempt(row, at);
      if (start.locked) return { ok: false, reason: "locked", until: start.until };
      const counted = await db
        .update(users)
        .set({ ...start.counted, updatedAt: at })
        .where(and(eq(users.accountId, accountId), eq(users.failedPins, row.failedPins), eq(users.lockedUntil, row.lockedUntil)))
        .returning({ accountId: users.accountId });
      if (counted.length === 0) continue;
      if (!(await verifyPinHash(pin, row.pinHash, pinKey))) return wrongPinResult(start.attempt, start.counted);
      const pinHash = needsRehash(row.pinHash, pinScrypt) ? await hashPin(pin, pinKey, pinScrypt) : row.pinHash;
      await db.update(users).set({ ...CLEARED, pinHash, updatedAt: now() }).where(eq(users.accountId, accountId));
      return { ok: true };
    }
    throw new Error("Too many PIN checks at once on one account; try again.");
  }

  return {
    async findByPhone(phone) {
      const row = await rowByPhone(phone);
      return row && toUser(row);
    },

    async findByAccount(accountId) {
      const row = await rowByAccount(accountId);
      return row && toUser(row);
    },

    async register({ phone, lang, pin }): Promise<RegisterResult> {
      if (!LANGS.includes(lang)) throw new TypeError(`unsupported language "${lang}"`);
      const country = /^\+\d{7,15}$/.test(phone) ? countryOf(phone) : undefined;
      if (!country || !countries.includes(country)) return { ok: false, reason: "unsupported-country" };
      if (pinProblem(pin, phone)) return { ok: false, reason: "weak-pin" };
      if (await rowByPhone(phone)) return { ok: false, reason: "already-registered" };
      const screening = await compliance.screen({ phone });
      if (screening.hit) return { ok: false, reason: "sanctioned" };

      const accountId = accountIdFor(options.pepper, phone);
      const at = now();
      const inserted = await db
        .insert(users)
        .values({ accountId, phone, country, lang, pinHash: await hashPin(pin, pinKey, pinScrypt), tier: MIN_TIER, status: "opening", termsAcceptedAt: at, createdAt: at, updatedAt: at })
        .onConflictDoNothing()
        .returning();
      if (inserted.length === 0) return { ok: false, reason: "already-registered" };

      try {
        const opening = await openOnChain(accountId, budgetMs);
        if (opening.open) await activate(accountId);
        else {
          // Still being mined: the person is registered; the row turns active on the receipt (or at the next start).
          void confirmed(accountId, opening.hash, SETTLE_MS)
            .then(async (open) => {
              if (open) await activate(accountId);
            })
            .catch(() => undefined);
        }
      } catch (error) {
        await db.delete(users).where(and(eq(users.accountId, accountId), eq(users.status, "opening")));
        throw new RegistrationError({ cause: error });
      }
      return { ok: true, user: toUser(inserted[0]!) };
    },

    verifyPin,

    async changePin(accountId, oldPin, newPin) {
      const row = await rowByAccount(accountId);
      if (!row) throw new UnknownAccountError(accountId);
      if (pinProblem(newPin, row.phone)) return { ok: false, reason: "weak-pin" };
      const check = await verifyPin(accountId, oldPin);
      if (!check.ok) return check;
      await db.update(users).set({ pinHash: await hashPin(newPin, pinKey, pinScrypt), updatedAt: now() }).where(eq(users.accountId, accountId));
      return { ok: true };
    },

    async setLanguage(accountId, lang) {
      if (!LANGS.includes(lang)) throw new TypeError(`unsupported language "${lang}"`);
      const updated = await db.update(users).set({ lang, updatedAt: now() }).where(eq(users.accountId, accountId)).returning({ accountId: users.accountId });
      if (updated.length === 0) throw new UnknownAccountError(accountId);
    },

    async setTier(accountId, tier) {
      if (!Number.isInteger(tier) || tier < MIN_TIER || tier > MAX_TIER) throw new RangeError(`a KYC tier is ${MIN_TIER} to ${MAX_TIER}, got ${tier}`);
      const row = await rowByAccount(accountId);
      if (!row) throw new UnknownAccountError(accountId);
      if (row.status === "opening" && !(await finishOpening(accountId))) throw new Error("The account is still being opened on-chain; try the tier change again shortly.");
      // The chain first: the vault's limits follow its tier, and the row must never claim a tier the vault does not apply.
      let hash;
      try {
        ({ hash } = await officer.send({ address: deployment.vault, abi: custodialVaultAbi, functionName: "setTier", args: [accountId, tier] }, { errorAbis: PROTOCOL_ERROR_ABIS }));
      } catch (error) {
        const revert = revertOf(error);
        throw new Error(revert ? `vault.setTier refused: ${describeRevert(revert)}` : "vault.setTier could not be sent; try again", { cause: error });
      }
      const receipt = await receiptWithin(options.chain.public, hash, SETTLE_MS);
      if (!receipt) throw new Error(`vault.setTier ${hash} has no receipt yet; the tier is unchanged here until it does (try again to re-check).`);
      if (receipt.status !== "success") throw new Error(`vault.setTier reverted in ${hash}`);
      await db.update(users).set({ tier, updatedAt: now() }).where(eq(users.accountId, accountId));
    },

    async resumeOpenings() {
      const rows = await db.select({ accountId: users.accountId }).from(users).where(eq(users.status, "opening"));
      let finished = 0;
      for (const { accountId } of rows) if (await finishOpening(accountId as AccountId)) finished++;
      return finished;
    },
  };
}

function toUser(row: UserRow): User {
  return {
    accountId: row.accountId as AccountId,
    phone: row.phone as E164,
    country: row.country,
    lang: row.lang as Lang,
    tier: row.tier,
    // `opening` is the registry's own state while the vault account is confirmed; to the rest of the bridge the person is registered.
    status: row.status === "blocked" ? "blocked" : "active",
    createdAt: row.createdAt,
  };
}

// The two lookups behind every first hop of a dial and every recipient typed.
const byPhone = (db: Db, users: Tables["users"], phone: string | Placeholder) => db.select().from(users).where(eq(users.phone, phone)).limit(1);
const byAccount = (db: Db, users: Tables["users"], accountId: string | Placeholder) => db.select().from(users).where(eq(users.accountId, accountId)).limit(1);
const preparedByPhone = preparedPer((db, tables) => byPhone(db, tables.users, sql.placeholder("phone")).prepare());
const preparedByAccount = preparedPer((db, tables) => byAccount(db, tables.users, sql.placeholder("accountId")).prepare());

function userLookups(db: Db, tables: Tables) {
  return {
    async rowByPhone(phone: E164): Promise<UserRow | undefined> {
      const prepared = preparedByPhone(db, tables);
      return prepared ? prepared.get({ phone }) : (await byPhone(db, tables.users, phone))[0];
    },
    async rowByAccount(accountId: AccountId): Promise<UserRow | undefined> {
      const prepared = preparedByAccount(db, tables);
      return prepared ? prepared.get({ accountId }) : (await byAccount(db, tables.users, accountId))[0];
    },
  };
}
