/**
 * The partner REST API over a real HTTP server on loopback, with the real registry, MoneyService and
 * compliance on a real SQLite database and the in-process chain: signatures, idempotency (replay,
 * modified body, concurrency, a crash between the money and the response), rate limits, every bad
 * input as a 4xx with the error shape, conversions, and the OpenAPI document.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { Hono } from "hono";
import { parseUnits, type Hex } from "viem";

import { accountIdFor, type E164 } from "../../../../sdk/phone.js";
import { createRegistry, type BridgeRegistry } from "../../../../ussd-bridge/src/accounts/registry.js";
import { partnerApi, type PartnerApiDeps } from "../../../../ussd-bridge/src/api/index.js";
import { signedHeaders } from "../../../../ussd-bridge/src/api/signature.js";
import { createCompliance } from "../../../../ussd-bridge/src/compliance/index.js";
import { parseSanctionsCsv, SanctionsList } from "../../../../ussd-bridge/src/compliance/sanctions.js";
import { loadTierTable } from "../../../../ussd-bridge/src/compliance/tiers.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { opIdFor, opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";
import { createTxSender } from "../../../../ussd-bridge/src/money/sender.js";
import { createMoneyService, type BridgeMoneyService } from "../../../../ussd-bridge/src/money/service.js";
import { listen } from "../compliance/fixtures.js";
import { chainFixture, listScreening, TEST_PEPPER, TEST_SCRYPT, type ChainFixture } from "../money/fixture.js";

const ACME = { id: "acme", secret: Buffer.from("11".repeat(32), "hex") };
const GLOBEX = { id: "globex", secret: Buffer.from("22".repeat(32), "hex") };

const AMINA: E164 = "+254712345101";
const KOFI: E164 = "+254712345102";
const BOLA: E164 = "+2348030000103";
const LISTED: E164 = "+254712345104"; // registered, then put on the list
const STRANGER: E164 = "+254712345199"; // never registered

const cngn = (n: string) => parseUnits(n, 6);

let chain: ChainFixture;
let database: Database;
let money: BridgeMoneyService;
let registry: BridgeRegistry;
let deps: PartnerApiDeps;
let server: { url: string; close: () => Promise<void> };
let clock = Date.now();

/**
 * Kenyan tier 1 tightened below the vault's, so the country view refuses first: KES 3,000 single
 * (≈ ₦33,721), 4,000 a day (≈ ₦44,961), 3,500 balance (≈ ₦39,341).
 */
function tightTiers() {
  const table = loadTierTable();
  table.countries.KE.tiers[0] = { ...table.countries.KE.tiers[0], maxSingle: 3_000, maxDaily: 4_000, maxBalance: 3_500 };
  return table;
}

async function serve(overrides: Partial<PartnerApiDeps> = {}) {
  const app = new Hono();
  app.route("/", partnerApi({ ...deps, ...overrides }));
  return listen(app);
}

before(async () => {
  chain = await chainFixture();
  database = await openDatabase({ sqlitePath: ":memory:" });
  const sender = createTxSender(chain);
  const list = new SanctionsList(parseSanctionsCsv(`list_id,name,aliases,phone,country,program,source\nT-9,Fictus Listed,,${LISTED},KE,DEMO,test\n`).entries);
  const compliance = createCompliance({ db: database.db, tables: database.tables, sanctions: list, tiers: tightTiers(), now: () => clock });
  // The registry screened against yesterday's list: LISTED was added after registering.
  registry = createRegistry({
    db: database.db,
    tables: database.tables,
    pepper: TEST_PEPPER,
    compliance: listScreening([]),
    chain: { public: chain.public, wallet: chain.wallet, sender },
    deployment: chain.deployment,
    pinScrypt: TEST_SCRYPT,
  });
  money = createMoneyService({
    db: database.db,
    tables: database.tables,
    chain: { public: chain.public, wallet: chain.wallet, sender },
    deployment: chain.deployment,
    budgetMs: 20_000,
    compliance,
    log: () => {},
  });
  for (const phone of [AMINA, KOFI, BOLA, LISTED]) {
    const result = await registry.register({ phone, lang: "en", pin: "4826" });
    assert.equal(result.ok, true, `register ${phone}`);
  }
  const fund = async (phone: E164, asset: "cNGN" | "USDC", amount: bigint) => {
    const id = accountIdFor(TEST_PEPPER, phone);
    const { change, signatures } = await chain.signMint(id, asset, amount, `api-fund-${phone}-${asset}`);
    const outcome = await money.credit({ opId: opIdFor("rail", "api-test-fund", phone, asset), accountId: id, change, signatures });
    assert.equal(outcome.status, "done");
  };
  await fund(AMINA, "cNGN", cngn("100000"));
  await fund(BOLA, "cNGN", cngn("100000"));
  await fund(BOLA, "USDC", parseUnits("20", 6));
  deps = {
    db: database.db,
    tables: database.tables,
    money,
    registry,
    compliance,
    partners: new Map([
      [ACME.id, ACME.secret],
      [GLOBEX.id, GLOBEX.secret],
    ]),
    defaultCountry: "KE",
    budgetMs: 20_000,
    now: () => clock,
    rateLimit: { burst: 1_000, perMinute: 60_000 },
  };
  server = await serve();
});

after(async () => {
  await server?.close();
  await money?.close();
  await database?.close();
});

interface CallOptions {
  partner?: { id: string; secret: Buffer };
  key?: string | null;
  contentType?: string;
  /** Signs this instead of what is sent. */
  signBody?: string;
  signPath?: string;
  timestamp?: number;
  base?: string;
  headers?: Record<string, string>;
}

async function call(method: "GET" | "POST", path: string, body?: unknown, options: CallOptions = {}) {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const partner = options.partner ?? ACME;
  const headers: Record<string, string> = {
    ...signedHeaders(partner.id, partner.secret, method, options.signPath ?? path, options.signBody ?? text, options.timestamp ?? clock / 1_000),
    ...(method === "POST" ? { "content-type": options.contentType ?? "application/json" } : {}),
    ...(method === "POST" && options.key !== null ? { "idempotency-key": options.key ?? randomUUID() } : {}),
    ...options.headers,
  };
  const response = await fetch(`${options.base ?? server.url}${path}`, { method, headers, body: method === "POST" ? text : undefined });
  const raw = await response.text();
  let json: any;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, raw, json };
}

const balance = (phone: E164, asset: "cNGN" | "USDC" | "XAUt" = "cNGN") => money.balances(accountIdFor(TEST_PEPPER, phone)).then((b) => b[asset]);

function assertError(result: { status: number; json: any; raw: string }, status: number, code: string | RegExp, what: string) {
  assert.equal(result.status, status, `${what}: ${result.raw}`);
  assert.deepEqual(Object.keys(result.json ?? {}), ["error"], `${what}: ${result.raw}`);
  assert.deepEqual(Object.keys(result.json.error).sort(), ["code", "message"], what);
  if (typeof code === "string") assert.equal(result.json.error.code, code, `${what}: ${result.raw}`);
  else assert.match(result.json.error.code, code, what);
  assert.ok(result.json.error.message.length > 10, what);
}

describe("partner API: signatures", () => {
  const path = `/api/transfers/${opIdHex(1n)}`;

  it("accepts a correctly signed request", async () => {
    const result = await call("GET", path);
    assertError(result, 404, "not-found", "signed GET of an unknown id");
  });

  it("refuses a wrong secret, an unknown partner and missing headers", async () => {
    assertError(await call("GET", path, undefined, { partner: { id: ACME.id, secret: GLOBEX.secret } }), 401, "bad-signature", "wrong secret");
    assertError(await call("GET", path, undefined, { partner: { id: "initech", secret: ACME.secret } }), 401, "unknown-partner", "unknown partner");
    const bare = await fetch(`${server.url}${path}`);
    assertError({ status: bare.status, raw: "", json: await bare.json() }, 401, "unauthenticated", "no headers");
    assertError(await call("GET", path, undefined, { headers: { "X-JuaPesa-Signature": "zz" } }), 401, "bad-signature", "malformed signature");
  });

  it("refuses a timestamp outside ±300 s and accepts one at the edge", async () => {
    assertError(await call("GET", path, undefined, { timestamp: clock / 1_000 - 301 }), 401, "stale-timestamp", "old");
    assertError(await call("GET", path, undefined, { timestamp: clock / 1_000 + 301 }), 401, "stale-timestamp", "future");
    assert.equal((await call("GET", path, undefined, { timestamp: clock / 1_000 - 299 })).status, 404);
  });

  it("refuses a tampered body, path or query", async () => {
    const body = { from: AMINA, to: KOFI, asset: "cNGN", amount: "1" };
    assertError(await call("POST", "/api/transfers", { ...body, amount: "1000" }, { signBody: JSON.stringify(body) }), 401, "bad-signature", "tampered body");
    assertError(await call("GET", path, undefined, { signPath: `/api/transfers/${opIdHex(2n)}` }), 401, "bad-signature", "other path");
    assertError(await call("GET", `${path}?x=1`, undefined, { signPath: path }), 401, "bad-signature", "added query");
    assert.equal(await balance(KOFI), 0n);
  });
});

describe("partner API: transfers and idempotency", () => {
  const body = { from: "0712 345 101", to: "+254-712-345-102", asset: "cNGN", amount: "1250.5", reference: "INV-1" };
  let first: Awaited<ReturnType<typeof call>>;
  const key = "transfer-key-0001";

  it("moves the money once and answers 201 done with the operation id derived from partner and key", async () => {
    const before = [await balance(AMINA), await balance(KOFI)];
    first = await call("POST", "/api/transfers", body, { key });
    assert.equal(first.status, 201, first.raw);
    assert.equal(first.json.id, opIdHex(opIdFor("api", ACME.id, key)));
    assert.equal(first.json.status, "done");
    assert.match(first.json.txHash, /^0x[0-9a-f]{64}$/);
    assert.deepEqual([first.json.kind, first.json.asset, first.json.amount, first.json.reference], ["transfer", "cNGN", "1250.5", "INV-1"]);
    // Numbers come back masked.
    assert.ok(!first.raw.includes("712345101") && !first.raw.includes("712345102"));
    assert.equal(first.headers.get("idempotent-replayed"), null);
    assert.deepEqual([await balance(AMINA), await balance(KOFI)], [before[0] - cngn("1250.5"), before[1] + cngn("1250.5")]);
  });

  it("replays the stored response exactly for the same key and body, and moves nothing again", async () => {
    const before = [await balance(AMINA), await balance(KOFI)];
    for (const again of [body, { reference: "INV-1", amount: "1250.5", asset: "cNGN", to: body.to, from: body.from }]) {
      const replay = await call("POST", "/api/transfers", again, { key });
      assert.equal(replay.status, 201);
      assert.equal(replay.raw, first.raw);
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
    }
    assert.deepEqual([await balance(AMINA), await balance(KOFI)], before);
    const events = await chain.public.getContractEvents({
      address: chain.deployment.vault,
      abi: chain.stack.contracts.vault.abi,
      eventName: "Transferred",
      args: { opId: opIdFor("api", ACME.id, key) },
      fromBlock: 0n,
    });
    assert.equal(events.length, 1);
  });

  it("refuses the same key with a different body as a modified request (3106)", async () => {
    const modified = await call("POST", "/api/transfers", { ...body, amount: "1250.6" }, { key });
    assert.equal(modified.status, 422);
    assert.deepEqual(modified.json, { error: { code: "3106", message: "Modified request: this Idempotency-Key was used with a different body" } });
    // The same key on the other route is another request too.
    assert.equal((await call("POST", "/api/convert", { phone: AMINA, from: "cNGN", to: "USDC", amount: "1", maxSlippageBps: 50 }, { key })).json.error.code, "3106");
  });

  it("keeps keys per partner: another partner's same key is its own transfer", async () => {
    const other = await call("POST", "/api/transfers", { ...body, amount: "1" }, { key, partner: GLOBEX });
    assert.equal(other.status, 201, other.raw);
    assert.notEqual(other.json.id, first.json.id);
  });

  it("reads the transfer back for its partner only", async () => {
    const read = await call("GET", `/api/transfers/${first.json.id}`);
    assert.equal(read.status, 200, read.raw);
    assert.deepEqual(read.json, { ...first.json, createdAt: read.json.createdAt });
    assertError(await call("GET", `/api/transfers/${first.json.id}`, undefined, { partner: GLOBEX }), 404, "not-found", "another partner's id");
    assertError(await call("GET", `/api/transfers/${opIdHex(12345n)}`), 404, "not-found", "unknown id");
    assertError(await call("GET", "/api/transfers/12345"), 400, "invalid-id", "malformed id");
  });

  it("runs concurrent requests with one key as one transfer: the others get 409 or the replay", async () => {
    const concurrentKey = "concurrent-key-1";
    const before = await balance(KOFI);
    const results = await Promise.all(Array.from({ length: 6 }, () => call("POST", "/api/transfers", { ...body, amount: "10" }, { key: concurrentKey })));
    const fresh = results.filter((r) => r.status === 201 && r.headers.get("idempotent-replayed") === null);
    assert.equal(fresh.length, 1, results.map((r) => `${r.status} ${r.raw}`).join("\n"));
    for (const r of results) {
      if (r === fresh[0]) continue;
      if (r.status === 409) assertError(r, 409, "request-in-progress", "concurrent");
      else assert.equal(r.raw, fresh[0].raw);
    }
    assert.ok(results.some((r) => r.status === 409), "at least one request arrived while the first ran");
    assert.equal(await balance(KOFI), before + cngn("10"));
  });

  it("resumes a request whose bridge crashed after the money moved, without moving it twice", async () => {
    const crashKey = "crash-key-1";
    const crashBody = { from: AMINA, to: KOFI, asset: "cNGN", amount: "7" };
    const opId = opIdFor("api", ACME.id, crashKey);
    // The first attempt claimed the key and reached the chain, then the process died before answering.
    const k = database.tables.idempotencyKeys;
    const { requestHash } = await import("../../../../ussd-bridge/src/api/idempotency.js");
    await database.db.insert(k).values({
      partnerId: ACME.id,
      key: crashKey,
      requestHash: requestHash("POST", "/api/transfers", crashBody),
      status: "in-progress",
      opId: opIdHex(opId),
      createdAt: clock,
      updatedAt: clock,
    });
    const moved = await money.transfer({ opId, origin: "api", from: accountIdFor(TEST_PEPPER, AMINA), to: accountIdFor(TEST_PEPPER, KOFI), asset: "cNGN", amount: cngn("7") });
    assert.equal(moved.status, "done");
    const before = await balance(KOFI);

    // While the claim is fresh, a retry is told to wait.
    assertError(await call("POST", "/api/transfers", crashBody, { key: crashKey }), 409, "request-in-progress", "fresh claim");
    // Once it is stale, the retry takes it over and answers with the transfer that happened.
    clock += 25_000 + 60_000;
    const resumed = await call("POST", "/api/transfers", crashBody, { key: crashKey });
    assert.equal(resumed.status, 201, resumed.raw);
    assert.equal(resumed.json.id, opIdHex(opId));
    assert.equal(resumed.json.status, "done");
    assert.equal(await balance(KOFI), before);
    assert.equal((await call("POST", "/api/transfers", crashBody, { key: crashKey })).raw, resumed.raw);
  });
});

describe("partner API: bad input is a 4xx with the error shape", () => {
  const valid = { from: AMINA, to: KOFI, asset: "cNGN", amount: "5" };

  it("answers every malformed or refused request with a 4xx, and moves nothing", async () => {
    const before = [await balance(AMINA), await balance(KOFI)];
    const cases: [string, unknown, number, string | RegExp, Partial<CallOptions>?][] = [
      ["malformed JSON", "{ nope", 400, "invalid-json"],
      ["a JSON array", "[1,2]", 400, "invalid-request"],
      ["JSON null", "null", 400, "invalid-request"],
      ["amount as a number", { ...valid, amount: 5 }, 400, "invalid-request"],
      ["from as a number", { ...valid, from: 254712345101 }, 400, "invalid-request"],
      ["missing amount", { from: AMINA, to: KOFI, asset: "cNGN" }, 400, "invalid-request"],
      ["an unknown field", { ...valid, memo: "x" }, 400, "invalid-request"],
      ["an unknown asset", { ...valid, asset: "BTC" }, 400, "invalid-request"],
      ["a negative amount", { ...valid, amount: "-5" }, 400, "invalid-request"],
      ["a zero amount", { ...valid, amount: "0.000000" }, 400, "invalid-request"],
      ["seven decimals", { ...valid, amount: "1.0000001" }, 400, "invalid-request"],
      ["an exponent", { ...valid, amount: "1e3" }, 400, "invalid-request"],
      ["a leading zero", { ...valid, amount: "05" }, 400, "invalid-request"],
      ["a huge amount", { ...valid, amount: "1".repeat(30) }, 400, "invalid-request"],
      ["a bad phone", { ...valid, to: "12" }, 400, "invalid-request"],
      ["a non-number phone", { ...valid, to: "not a phone at all" }, 400, "invalid-phone"],
      ["an invalid number", { ...valid, to: "+254 000 000" }, 400, "invalid-phone"],
      ["the same number twice", { ...valid, to: "0712345101" }, 422, "self-transfer"],
      ["an unregistered recipient", { ...valid, to: STRANGER }, 422, "recipient-not-registered"],
      ["an unregistered sender", { ...valid, from: STRANGER }, 422, "sender-not-registered"],
      ["a sanctioned recipient", { ...valid, to: LISTED }, 403, "compliance"],
      ["a sanctioned sender", { ...valid, from: LISTED }, 403, "compliance"],
      ["more than the balance", { ...valid, from: KOFI, to: AMINA, amount: "90000" }, 422, "insufficient-balance"],
      ["over the vault's single limit", { ...valid, from: BOLA, amount: "50000.01" }, 422, "limit-single"],
      ["over the country's single limit", { ...valid, amount: "34000" }, 422, "limit-single"],
      ["over the recipient's balance limit", { from: BOLA, to: KOFI, asset: "cNGN", amount: "38500" }, 422, "limit-balance"],
      ["a reference with control characters", { ...valid, reference: "a\u0000b" }, 400, "invalid-request"],
      ["no Idempotency-Key", valid, 400, "idempotency-key-required", { key: null }],
      ["a 65-character key", valid, 400, "invalid-idempotency-key", { key: "k".repeat(65) }],
      ["a key with a space", valid, 400, "invalid-idempotency-key", { key: "two words" }],
      ["a text body", valid, 415, "unsupported-media-type", { contentType: "text/plain" }],
      ["a body over 16 KiB", { ...valid, reference: "x".repeat(17_000) }, 413, "body-too-large"],
    ];
    for (const [what, body, status, code, options] of cases) {
      assertError(await call("POST", "/api/transfers", body, options ?? {}), status, code, what);
    }
    assert.deepEqual([await balance(AMINA), await balance(KOFI)], before);
    assertError(await call("GET", "/api/nothing"), 404, "not-found", "unknown route");
    assertError(await call("POST", `/api/transfers/${opIdHex(3n)}`, valid), 404, "not-found", "POST to a read-only path");
  });

  it("says which limit and how much is left", async () => {
    const result = await call("POST", "/api/transfers", { ...valid, amount: "34000" });
    assert.match(result.json.error.message, /single-operation limit .*at most 33720\.930232 cNGN/);
    assert.ok(!result.raw.includes("712345101"), "no full number in an error");
  });

  it("releases a key refused before any money moved, so the fixed request can use it", async () => {
    const key = "fix-and-retry";
    assertError(await call("POST", "/api/transfers", { ...valid, to: STRANGER }, { key }), 422, "recipient-not-registered", "first try");
    const fixed = await call("POST", "/api/transfers", valid, { key });
    assert.equal(fixed.status, 201, fixed.raw);
    assert.equal(fixed.json.status, "done");
  });

  it("runs the monitoring rules: a new account moving most of its daily limit raises an alert and still sends", async () => {
    const large = await call("POST", "/api/transfers", { ...valid, amount: "33000" });
    assert.equal(large.status, 201, large.raw);
    const more = await call("POST", "/api/transfers", { ...valid, amount: "2000" });
    assert.equal(more.status, 201, more.raw);
    assert.equal(more.json.status, "done");
    const alerts = await database.db.select().from(database.tables.alerts);
    assert.deepEqual(
      alerts.filter((a) => a.opId === more.json.id).map((a) => a.rule),
      ["new-account-large"],
    );
    assert.equal(alerts.filter((a) => a.opId === large.json.id).length, 0);
    for (const alert of alerts) assert.ok(!/7123451\d\d|80300001/.test(alert.detail), alert.detail);
  });
});

describe("partner API: convert", () => {
  it("quotes and converts within the slippage bound, once per key", async () => {
    const key = "convert-1";
    const body = { phone: BOLA, from: "cNGN", to: "USDC", amount: "1450", maxSlippageBps: 100 };
    const before = [await balance(BOLA, "cNGN"), await balance(BOLA, "USDC")];
    const result = await call("POST", "/api/convert", body, { key });
    assert.equal(result.status, 201, result.raw);
    assert.equal(result.json.kind, "convert");
    assert.equal(result.json.status, "done");
    const out = parseUnits(result.json.amountOut, 6);
    assert.ok(out >= parseUnits(result.json.minAmountOut, 6) && out > parseUnits("0.95", 6), result.raw);
    assert.deepEqual([await balance(BOLA, "cNGN"), await balance(BOLA, "USDC")], [before[0] - cngn("1450"), before[1] + out]);
    const replay = await call("POST", "/api/convert", body, { key });
    assert.equal(replay.raw, result.raw);
    assert.equal(await balance(BOLA, "USDC"), before[1] + out);
    const read = await call("GET", `/api/transfers/${result.json.id}`);
    assert.equal(read.json.kind, "convert");
    assert.equal(read.json.amountOut, result.json.amountOut);
  });

  it("refuses a minimum above the quote, both or neither bound, and one asset twice", async () => {
    const base = { phone: BOLA, from: "cNGN", to: "USDC", amount: "100" };
    assertError(await call("POST", "/api/convert", { ...base, minAmountOut: "1000" }), 422, "slippage", "minimum above the quote");
    assertError(await call("POST", "/api/convert", { ...base, minAmountOut: "0.01", maxSlippageBps: 10 }), 400, "invalid-request", "both");
    assertError(await call("POST", "/api/convert", base), 400, "invalid-request", "neither");
    assertError(await call("POST", "/api/convert", { ...base, to: "cNGN", maxSlippageBps: 10 }), 400, "invalid-request", "same asset");
    assertError(await call("POST", "/api/convert", { ...base, maxSlippageBps: 10_001 }), 400, "invalid-request", "slippage over 100 %");
    assertError(await call("POST", "/api/convert", { ...base, phone: STRANGER, maxSlippageBps: 10 }), 422, "account-not-registered", "unregistered");
    assertError(await call("POST", "/api/convert", { ...base, phone: LISTED, maxSlippageBps: 10 }), 403, "compliance", "listed");
  });
});

describe("partner API: rate limits", () => {
  it("answers 429 with Retry-After once a partner's bucket is empty, and not for another partner", async () => {
    const limited = await serve({ rateLimit: { burst: 2, perMinute: 6 } });
    try {
      const path = `/api/transfers/${opIdHex(7n)}`;
      assert.equal((await call("GET", path, undefined, { base: limited.url })).status, 404);
      assert.equal((await call("GET", path, undefined, { base: limited.url })).status, 404);
      const third = await call("GET", path, undefined, { base: limited.url });
      assertError(third, 429, "rate-limited", "third request");
      assert.equal(third.headers.get("retry-after"), "10");
      assert.equal((await call("GET", path, undefined, { base: limited.url, partner: GLOBEX })).status, 404);
      clock += 10_000;
      assert.equal((await call("GET", path, undefined, { base: limited.url })).status, 404);
    } finally {
      await limited.close();
    }
  });
});

describe("partner API: OpenAPI document", () => {
  it("is OpenAPI 3.1, public, and lists exactly the three routes with their schemas", async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    assert.equal(response.status, 200);
    const doc = await response.json();
    assert.equal(doc.openapi, "3.1.0");
    assert.equal(typeof doc.info.title, "string");
    assert.deepEqual(
      Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [p, Object.keys(ops as object).sort()])),
      { "/api/transfers": ["post"], "/api/transfers/{id}": ["get"], "/api/convert": ["post"] },
    );
    for (const schema of ["TransferRequest", "ConvertRequest", "Operation", "Error"]) assert.ok(doc.components.schemas[schema], schema);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ["partnerId", "signature", "timestamp"]);

    // Structurally sound: every $ref resolves, every operation has responses and the security requirement.
    const refs: string[] = [];
    JSON.stringify(doc, (key, value) => (key === "$ref" ? (refs.push(value), value) : value));
    assert.ok(refs.length > 5);
    for (const ref of refs) {
      const target = ref.replace(/^#\//, "").split("/").reduce((node: any, part: string) => node?.[part], doc);
      assert.ok(target, `dangling ${ref}`);
    }
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        assert.ok(op.responses && Object.keys(op.responses).length >= 3, `${method} ${path}`);
        assert.deepEqual(op.security, [{ partnerId: [], timestamp: [], signature: [] }]);
        for (const [status, r] of Object.entries<any>(op.responses)) {
          if (Number(status) >= 400) assert.equal(r.content["application/json"].schema.$ref, "#/components/schemas/Error", `${method} ${path} ${status}`);
        }
      }
    }
    const post = doc.paths["/api/transfers"].post;
    assert.equal(post.requestBody.content["application/json"].schema.$ref, "#/components/schemas/TransferRequest");
    assert.ok(post.parameters.some((p: any) => p.in === "header" && p.name.toLowerCase() === "idempotency-key" && p.required));
    assert.equal(doc.paths["/api/transfers/{id}"].get.parameters[0].in, "path");
    // The schema that validates is the schema that is published: the amount's pattern and the assets.
    const request = doc.components.schemas.TransferRequest;
    assert.deepEqual(request.required.sort(), ["amount", "asset", "from", "to"]);
    assert.equal(request.additionalProperties, false);
    assert.equal(request.properties.amount.pattern, "^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$");
    assert.deepEqual(doc.components.schemas.Operation.properties.asset.enum ?? request.properties.asset.enum, ["cNGN", "USDC", "XAUt"]);
  });
});

describe("partner API: the client in docs/api.md", () => {
  it("runs as published: a signed transfer, its replay, and a read", async () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, "../../../../ussd-bridge/docs/api.md"), "utf8");
    const block = /<!-- partner-client:start -->\s*```ts\n([\s\S]*?)```\s*<!-- partner-client:end -->/.exec(doc);
    assert.ok(block, "the client block is in docs/api.md");
    const dir = mkdtempSync(path.join(tmpdir(), "juapesa-client-"));
    const saved = { ...process.env };
    try {
      writeFileSync(path.join(dir, "client.ts"), block[1]);
      Object.assign(process.env, { JUAPESA_BRIDGE_URL: server.url, JUAPESA_PARTNER_ID: GLOBEX.id, JUAPESA_PARTNER_SECRET: GLOBEX.secret.toString("hex") });
      clock = Date.now(); // the client signs with the real clock
      const { juapesa } = (await import(pathToFileURL(path.join(dir, "client.ts")).href)) as {
        juapesa: (method: "GET" | "POST", path: string, body?: unknown, key?: string) => Promise<{ status: number; replayed: boolean; body: any }>;
      };
      const before = await balance(KOFI);
      const body = { from: AMINA, to: KOFI, asset: "cNGN", amount: "3" };
      const sent = await juapesa("POST", "/api/transfers", body, "doc-client-1");
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.status, "done");
      const again = await juapesa("POST", "/api/transfers", body, "doc-client-1");
      assert.deepEqual([again.status, again.replayed, again.body], [201, true, sent.body]);
      const read = await juapesa("GET", `/api/transfers/${sent.body.id}`);
      assert.equal(read.body.status, "done");
      assert.equal(await balance(KOFI), before + cngn("3"));
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
