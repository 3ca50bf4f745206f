/**
 * The registry on a real SQLite database and a real in-process chain: registration opens the vault
 * account, screening and policy refuse what they must, duplicates lose cleanly, and the PIN lockout
 * holds under a fake clock and under a burst of guesses.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { createPublicClient, custom, type PublicClient } from "viem";

import { accountIdFor } from "../../../../sdk/phone.js";
import { LOCK_MS } from "../../../../ussd-bridge/src/accounts/lockout.js";
import { createRegistry, type RegistryOptions } from "../../../../ussd-bridge/src/accounts/registry.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { createTxSender } from "../../../../ussd-bridge/src/money/sender.js";
import { chainFixture, listScreening, TEST_PEPPER, TEST_SCRYPT, type ChainFixture } from "../money/fixture.js";

const SANCTIONED = "+254711000999" as const;

let chain: ChainFixture;
before(async () => {
  chain = await chainFixture();
});

async function setup(overrides: Partial<RegistryOptions> = {}) {
  const database = await openDatabase({ sqlitePath: ":memory:" });
  let clock = 1_700_000_000_000;
  const registry = createRegistry({
    db: database.db,
    tables: database.tables,
    pepper: TEST_PEPPER,
    compliance: listScreening([SANCTIONED]),
    chain: { public: chain.public, wallet: chain.wallet, sender: createTxSender(chain) },
    deployment: chain.deployment,
    pinScrypt: TEST_SCRYPT,
    now: () => clock,
    ...overrides,
  });
  return { registry, database, advance: (ms: number) => void (clock += ms), now: () => clock };
}

async function vaultTier(accountId: `0x${string}`) {
  const info = await chain.stack.contracts.vault.read.accountInfo([accountId]);
  return info.tier;
}

describe("registry: registration", () => {
  let database: Database | undefined;
  after(async () => database?.close());

  it("stores the user with a salted scrypt hash and opens the vault account at tier 1", async () => {
    const s = await setup();
    database = s.database;
    const result = await s.registry.register({ phone: "+254712345001", lang: "sw", pin: "4826" });
    assert.equal(result.ok, true);
    assert.ok(result.ok);
    const { user } = result;
    assert.equal(user.accountId, accountIdFor(TEST_PEPPER, "+254712345001"));
    assert.deepEqual([user.country, user.lang, user.tier, user.status], ["KE", "sw", 1, "active"]);
    assert.equal(await vaultTier(user.accountId), 1);

    const [row] = await s.database.db.select().from(s.database.tables.users).where(eq(s.database.tables.users.accountId, user.accountId));
    assert.equal(row!.status, "active");
    assert.match(row!.pinHash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await s.registry.findByPhone("+254712345001"), user);
    assert.deepEqual(await s.registry.findByAccount(user.accountId), user);
    assert.deepEqual(await s.registry.verifyPin(user.accountId, "4826"), { ok: true });
  });

  it("gives the same PIN a different hash for each person (per-user salt)", async () => {
    const s = await setup();
    await s.registry.register({ phone: "+254712345002", lang: "en", pin: "4826" });
    await s.registry.register({ phone: "+254712345003", lang: "en", pin: "4826" });
    const rows = await s.database.db.select().from(s.database.tables.users);
    assert.equal(rows.length, 2);
    assert.notEqual(rows[0]!.pinHash, rows[1]!.pinHash);
    await s.database.close();
  });

  it("refuses a second registration of the same number, and of two at once exactly one wins", async () => {
    const s = await setup();
    const first = await s.registry.register({ phone: "+254712345004", lang: "en", pin: "4826" });
    assert.equal(first.ok, true);
    assert.deepEqual(await s.registry.register({ phone: "+254712345004", lang: "fr", pin: "9173" }), { ok: false, reason: "already-registered" });

    const racing = await Promise.all([
      s.registry.register({ phone: "+254712345005", lang: "en", pin: "4826" }),
      s.registry.register({ phone: "+254712345005", lang: "sw", pin: "9173" }),
    ]);
    assert.equal(racing.filter((r) => r.ok).length, 1);
    assert.deepEqual(racing.find((r) => !r.ok), { ok: false, reason: "already-registered" });
    const rows = await s.database.db.select().from(s.database.tables.users).where(eq(s.database.tables.users.phone, "+254712345005"));
    assert.equal(rows.length, 1);
    assert.equal(await vaultTier(accountIdFor(TEST_PEPPER, "+254712345005")), 1);
    await s.database.close();
  });

  it("refuses a sanctioned number without storing it or opening an account", async () => {
    const s = await setup();
    assert.deepEqual(await s.registry.register({ phone: SANCTIONED, lang: "en", pin: "4826" }), { ok: false, reason: "sanctioned" });
    assert.equal(await s.registry.findByPhone(SANCTIONED), undefined);
    assert.equal(await vaultTier(accountIdFor(TEST_PEPPER, SANCTIONED)), 0);
    await s.database.close();
  });

  it("refuses numbers from countries the bridge does not serve", async () => {
    const s = await setup();
    assert.deepEqual(await s.registry.register({ phone: "+12025550123", lang: "en", pin: "4826" }), { ok: false, reason: "unsupported-country" });
    assert.deepEqual(await s.registry.register({ phone: "+4915112345678", lang: "en", pin: "4826" }), { ok: false, reason: "unsupported-country" });
    const onlyNigeria = await setup({ countries: ["NG"] });
    assert.deepEqual(await onlyNigeria.registry.register({ phone: "+254712345006", lang: "en", pin: "4826" }), { ok: false, reason: "unsupported-country" });
    assert.equal((await onlyNigeria.registry.register({ phone: "+2348031234567", lang: "en", pin: "4826" })).ok, true);
    await s.database.close();
    await onlyNigeria.database.close();
  });

  it("refuses weak PINs: trivial, wrong length, not digits, or the number's own last digits", async () => {
    const s = await setup();
    for (const pin of ["1234", "0000", "1111", "4321", "7890", "1212", "123456", "2580", "123", "1234567", "12a4", "", "5001"]) {
      assert.deepEqual(await s.registry.register({ phone: "+254712345001", lang: "en", pin }), { ok: false, reason: "weak-pin" }, `PIN ${pin.length} digits`);
    }
    assert.equal(await s.registry.findByPhone("+254712345001"), undefined);
    await s.database.close();
  });

  it("treats an account already open on-chain as opened (registration is idempotent on the vault)", async () => {
    const s = await setup();
    const accountId = accountIdFor(TEST_PEPPER, "+254712345007");
    await chain.stack.contracts.vault.write.openAccount([accountId, 1]);
    const result = await s.registry.register({ phone: "+254712345007", lang: "en", pin: "4826" });
    assert.equal(result.ok, true);
    const [row] = await s.database.db.select().from(s.database.tables.users).where(eq(s.database.tables.users.accountId, accountId));
    assert.equal(row!.status, "active");
    await s.database.close();
  });

  it("finishes an opening a stopped bridge left behind (resumeOpenings)", async () => {
    const s = await setup();
    const phone = "+254712345008";
    const accountId = accountIdFor(TEST_PEPPER, phone);
    // What a crash between the insert and the opening leaves: the row, no vault account.
    await s.database.db.insert(s.database.tables.users).values({ accountId, phone, country: "KE", lang: "en", pinHash: "scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: "opening", termsAcceptedAt: 1, createdAt: 1, updatedAt: 1 });
    assert.equal(await vaultTier(accountId), 0);
    assert.equal(await s.registry.resumeOpenings(), 1);
    assert.equal(await vaultTier(accountId), 1);
    assert.equal(await s.registry.resumeOpenings(), 0);
    await s.database.close();
  });

  it("answers within its budget while the opening is mined, and finishes it without a second transaction", async () => {
    // A node slow to produce receipts: none until the test lets them through.
    let holdReceipts = true;
    const transport = custom(
      {
        async request({ method, params }: { method: string; params?: unknown }) {
          if (method === "eth_getTransactionReceipt" && holdReceipts) return null;
          return chain.conn.provider.request({ method, params: params as never });
        },
      },
      { retryCount: 0 },
    );
    const slowPublic = createPublicClient({ chain: chain.public.chain, transport }) as PublicClient;
    const s = await setup({ chain: { public: slowPublic, wallet: chain.wallet }, budgetMs: 50 });
    const phone = "+254712345010";
    const result = await s.registry.register({ phone, lang: "en", pin: "4826" });
    assert.ok(result.ok);
    assert.equal(result.user.status, "active");
    const row = async () => (await s.database.db.select().from(s.database.tables.users).where(eq(s.database.tables.users.phone, phone)))[0]!;
    assert.equal((await row()).status, "opening");
    holdReceipts = false;
    for (let i = 0; i < 100 && (await row()).status !== "active"; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await row()).status, "active");
    const opened = await chain.public.getContractEvents({ address: chain.deployment.vault, abi: chain.stack.contracts.vault.abi, eventName: "AccountOpened", args: { account: result.user.accountId }, fromBlock: 0n });
    assert.equal(opened.length, 1);
    await s.database.close();
  });

  it("removes the row and says so when the vault refuses to open the account", async () => {
    // A wallet without the operator role: the vault refuses openAccount, nothing is kept.
    const stranger = (await chain.conn.viem.getWalletClients())[5]!;
    const s = await setup({ chain: { public: chain.public, wallet: stranger } });
    await assert.rejects(s.registry.register({ phone: "+254712345009", lang: "en", pin: "4826" }), (error: Error) => {
      assert.equal(error.name, "RegistrationError");
      assert.doesNotMatch(error.message, /4826|254712345009/);
      return true;
    });
    assert.equal(await s.registry.findByPhone("+254712345009"), undefined);
    await s.database.close();
  });
});

describe("registry: PINs", () => {
  it("locks after three wrong PINs for 30 minutes; a right PIN then resets the count", async () => {
    const s = await setup();
    const result = await s.registry.register({ phone: "+254712345101", lang: "en", pin: "4826" });
    assert.ok(result.ok);
    const id = result.user.accountId;

    assert.deepEqual(await s.registry.verifyPin(id, "1111"), { ok: false, reason: "wrong", attemptsLeft: 2 });
    assert.deepEqual(await s.registry.verifyPin(id, "2222"), { ok: false, reason: "wrong", attemptsLeft: 1 });
    const lockedAt = s.now();
    assert.deepEqual(await s.registry.verifyPin(id, "3333"), { ok: false, reason: "locked", until: lockedAt + LOCK_MS });
    // While locked even the right PIN is not checked.
    s.advance(LOCK_MS - 1);
    assert.deepEqual(await s.registry.verifyPin(id, "4826"), { ok: false, reason: "locked", until: lockedAt + LOCK_MS });
    s.advance(1);
    assert.deepEqual(await s.registry.verifyPin(id, "4826"), { ok: true });
    assert.deepEqual(await s.registry.verifyPin(id, "1111"), { ok: false, reason: "wrong", attemptsLeft: 2 });
    assert.deepEqual(await s.registry.verifyPin(id, "4826"), { ok: true });
    assert.deepEqual(await s.registry.verifyPin(id, "1111"), { ok: false, reason: "wrong", attemptsLeft: 2 });
    await s.database.close();
  });

  it("a right PIN on the third try unlocks at once", async () => {
    const s = await setup();
    const result = await s.registry.register({ phone: "+254712345102", lang: "en", pin: "4826" });
    assert.ok(result.ok);
    await s.registry.verifyPin(result.user.accountId, "1111");
    await s.registry.verifyPin(result.user.accountId, "2222");
    assert.deepEqual(await s.registry.verifyPin(result.user.accountId, "4826"), { ok: true });
    assert.deepEqual(await s.registry.verifyPin(result.user.accountId, "4826"), { ok: true });
    await s.database.close();
  });

  it("a burst of guesses gets at most three checked, and the tries left never go below zero", async () => {
    const s = await setup();
    const result = await s.registry.register({ phone: "+254712345103", lang: "en", pin: "4826" });
    assert.ok(result.ok);
    const guesses = ["1111", "2222", "3333", "5555", "6666", "7777", "8888", "9999", "1357", "4826"];
    const answers = await Promise.all(guesses.map((pin) => s.registry.verifyPin(result.user.accountId, pin)));
    for (const answer of answers) if (!answer.ok && answer.reason === "wrong") assert.ok(answer.attemptsLeft >= 0);
    const checked = answers.filter((a) => a.ok || a.reason === "wrong").length;
    assert.ok(checked <= 2, `${checked} guesses were checked and answered as not locked`);
    assert.ok(answers.some((a) => !a.ok && a.reason === "locked"));
    const [row] = await s.database.db.select().from(s.database.tables.users).where(eq(s.database.tables.users.accountId, result.user.accountId));
    assert.ok(row!.failedPins >= 0 && row!.failedPins <= 3);
    await s.database.close();
  });

  it("changes a PIN only with the right old PIN and to a strong new one", async () => {
    const s = await setup();
    const result = await s.registry.register({ phone: "+254712345104", lang: "en", pin: "4826" });
    assert.ok(result.ok);
    const id = result.user.accountId;
    assert.deepEqual(await s.registry.changePin(id, "4826", "0000"), { ok: false, reason: "weak-pin" });
    assert.deepEqual(await s.registry.changePin(id, "9999", "73915"), { ok: false, reason: "wrong", attemptsLeft: 2 });
    assert.deepEqual(await s.registry.changePin(id, "4826", "73915"), { ok: true });
    assert.deepEqual(await s.registry.verifyPin(id, "4826"), { ok: false, reason: "wrong", attemptsLeft: 2 });
    assert.deepEqual(await s.registry.verifyPin(id, "73915"), { ok: true });
    await s.database.close();
  });

  it("rehashes a PIN made with older scrypt parameters after the next right PIN", async () => {
    const s = await setup();
    const result = await s.registry.register({ phone: "+254712345105", lang: "en", pin: "4826" });
    assert.ok(result.ok);
    const upgraded = createRegistry({
      db: s.database.db,
      tables: s.database.tables,
      pepper: TEST_PEPPER,
      compliance: listScreening([]),
      chain: { public: chain.public, wallet: chain.wallet },
      deployment: chain.deployment,
      pinScrypt: { N: 2048, r: 8, p: 1 },
    });
    assert.deepEqual(await upgraded.verifyPin(result.user.accountId, "4826"), { ok: true });
    const [row] = await s.database.db.select().from(s.database.tables.users).where(eq(s.database.tables.users.accountId, result.user.accountId));
    assert.match(row!.pinHash, /^scrypt\$2048\$8\$1\$/);
    assert.deepEqual(await upgraded.verifyPin(result.user.accountId, "4826"), { ok: true });
    await s.database.close();
  });
});

describe("registry: language and tier", () => {
  it("changes the language and the KYC tier (on-chain first, then the row)", async () => {
    const s = await setup();
    const result = await s.registry.register({ phone: "+254712345201", lang: "en", pin: "4826" });
    assert.ok(result.ok);
    const id = result.user.accountId;
    await s.registry.setLanguage(id, "fr");
    await s.registry.setTier(id, 2);
    const user = await s.registry.findByAccount(id);
    assert.deepEqual([user!.lang, user!.tier], ["fr", 2]);
    assert.equal(await vaultTier(id), 2);
    await assert.rejects(s.registry.setTier(id, 4), RangeError);
    await assert.rejects(s.registry.setLanguage("0x" + "00".repeat(32) as `0x${string}`, "en"), { name: "UnknownAccountError" });
    await s.database.close();
  });
});
