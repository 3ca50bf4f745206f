/**
 * The partner API's building blocks on their own: the signature scheme (against the worked example in
 * docs/api.md), partner secrets from the environment, token buckets, request hashing, and the
 * idempotency store on both SQLite and PostgreSQL (PGlite).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { canonicalJson, idempotencyStore, requestHash } from "../../../../ussd-bridge/src/api/idempotency.js";
import { parsePartners, partnersFromEnv } from "../../../../ussd-bridge/src/api/partners.js";
import { rateLimitFromEnv, TokenBuckets } from "../../../../ussd-bridge/src/api/rate-limit.js";
import { sha256Hex, sign, signedHeaders, stringToSign, verifySignature } from "../../../../ussd-bridge/src/api/signature.js";
import { openDatabase } from "../../../../ussd-bridge/src/db/open.js";

describe("signature scheme", () => {
  const doc = readFileSync(path.resolve(import.meta.dirname, "../../../../ussd-bridge/docs/api.md"), "utf8");
  const field = (name: string) => new RegExp(`^${name}:\\s+(.+)$`, "m").exec(doc)?.[1].trim();

  it("reproduces the worked example of docs/api.md", () => {
    const secret = Buffer.from(/secret `([0-9a-f]{64})`/.exec(doc)![1], "hex");
    const body = field("body")!;
    const timestamp = /X-JuaPesa-Timestamp: (\d+)/.exec(doc)![1];
    assert.equal(sha256Hex(body), field("SHA-256\\(body\\)"));
    assert.equal(stringToSign(timestamp, "POST", "/api/transfers", body), field("stringToSign")!.replaceAll("\\n", "\n"));
    assert.equal(sign(secret, timestamp, "POST", "/api/transfers", body), field("signature"));
    assert.ok(doc.includes(sha256Hex("")), "the empty-body hash is documented");
  });

  const secret = Buffer.alloc(32, 7);
  const partners = new Map([["acme", secret]]);
  const request = (headers: Record<string, string>, overrides: Partial<{ method: string; pathAndQuery: string; body: string }> = {}) => ({
    partner: headers["X-JuaPesa-Partner"],
    timestamp: headers["X-JuaPesa-Timestamp"],
    signature: headers["X-JuaPesa-Signature"],
    method: "POST",
    pathAndQuery: "/api/transfers",
    body: '{"a":1}',
    ...overrides,
  });
  const now = 1_767_225_600;
  const good = signedHeaders("acme", secret, "POST", "/api/transfers", '{"a":1}', now);

  it("accepts a signature made as documented, with the method in any case", () => {
    assert.deepEqual(verifySignature(partners, request(good), now), { ok: true, partner: "acme" });
    assert.deepEqual(verifySignature(partners, request(good, { method: "post" }), now + 300), { ok: true, partner: "acme" });
    const upper = { ...good, "X-JuaPesa-Signature": good["X-JuaPesa-Signature"].toUpperCase() };
    assert.equal(verifySignature(partners, request(upper), now).ok, true);
  });

  it("names what is wrong: missing header, unknown partner, stale time, wrong signature", () => {
    const code = (r: ReturnType<typeof verifySignature>) => (r.ok ? "ok" : r.code);
    assert.equal(code(verifySignature(partners, request({ ...good, "X-JuaPesa-Signature": "" }), now)), "unauthenticated");
    assert.equal(code(verifySignature(partners, request({ ...good, "X-JuaPesa-Partner": "other" }), now)), "unknown-partner");
    assert.equal(code(verifySignature(partners, request(good), now + 301)), "stale-timestamp");
    assert.equal(code(verifySignature(partners, request({ ...good, "X-JuaPesa-Timestamp": "1767225600.5" }), now)), "stale-timestamp");
    assert.equal(code(verifySignature(partners, request(good, { body: '{"a":2}' }), now)), "bad-signature");
    assert.equal(code(verifySignature(partners, request(good, { method: "GET" }), now)), "bad-signature");
    assert.equal(code(verifySignature(partners, request(good, { pathAndQuery: "/api/convert" }), now)), "bad-signature");
    assert.equal(code(verifySignature(partners, request({ ...good, "X-JuaPesa-Signature": good["X-JuaPesa-Signature"].slice(0, 62) }), now)), "bad-signature");
    assert.equal(code(verifySignature(partners, request({ ...good, "X-JuaPesa-Signature": "g".repeat(64) }), now)), "bad-signature");
  });
});

describe("partner secrets", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "juapesa-partners-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const hex = "ab".repeat(32);

  it("reads JUAPESA_PARTNERS or JUAPESA_PARTNERS_FILE", () => {
    assert.deepEqual([...partnersFromEnv({ JUAPESA_PARTNERS: JSON.stringify({ acme: hex, "bank-2": `0x${hex}` }) }).keys()], ["acme", "bank-2"]);
    const file = path.join(dir, "partners.json");
    writeFileSync(file, JSON.stringify({ acme: hex }));
    assert.deepEqual(partnersFromEnv({ JUAPESA_PARTNERS_FILE: file }).get("acme"), Buffer.from(hex, "hex"));
    assert.equal(partnersFromEnv({}).size, 0);
  });

  it("refuses bad configuration without ever repeating a secret", () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ JUAPESA_PARTNERS: "{", JUAPESA_PARTNERS_FILE: "x" }, /not both/],
      [{ JUAPESA_PARTNERS: "{nope" }, /not valid JSON/],
      [{ JUAPESA_PARTNERS: "[]" }, /JSON object/],
      [{ JUAPESA_PARTNERS: JSON.stringify({ acme: "abcd" }) }, /at least 32 bytes/],
      [{ JUAPESA_PARTNERS: JSON.stringify({ "Bad Id": hex }) }, /partner id "Bad Id"/],
      [{ JUAPESA_PARTNERS_FILE: path.join(dir, "missing.json") }, /does not exist/],
    ];
    for (const [env, pattern] of cases) {
      assert.throws(
        () => partnersFromEnv(env),
        (error: Error) => pattern.test(error.message) && !error.message.includes(hex) && !error.message.includes("abcd"),
      );
    }
    assert.throws(() => parsePartners({ acme: 5 }, "test"), /at least 32 bytes/);
  });
});

describe("token buckets", () => {
  it("allows a burst, then one request per refill interval, per key", () => {
    let t = 0;
    const buckets = new TokenBuckets({ burst: 3, perMinute: 60 }, () => t);
    for (let i = 0; i < 3; i++) assert.deepEqual(buckets.take("a"), { ok: true });
    assert.deepEqual(buckets.take("a"), { ok: false, retryAfterMs: 1_000 });
    assert.deepEqual(buckets.take("b"), { ok: true });
    t += 500;
    assert.deepEqual(buckets.take("a"), { ok: false, retryAfterMs: 500 });
    t += 500;
    assert.deepEqual(buckets.take("a"), { ok: true });
    t += 60_000;
    for (let i = 0; i < 3; i++) assert.deepEqual(buckets.take("a"), { ok: true }); // refilled to the burst, not beyond
    assert.equal(buckets.take("a").ok, false);
  });

  it("reads its configuration from the environment", () => {
    assert.deepEqual(rateLimitFromEnv({ JUAPESA_API_RATE_BURST: "5", JUAPESA_API_RATE_PER_MINUTE: "10" }), { burst: 5, perMinute: 10 });
    assert.deepEqual(rateLimitFromEnv({}), { burst: 30, perMinute: 120 });
    assert.throws(() => rateLimitFromEnv({ JUAPESA_API_RATE_BURST: "0" }), /JUAPESA_API_RATE_BURST/);
  });
});

describe("request hashing", () => {
  it("ignores key order and whitespace, not values or array order", () => {
    assert.equal(canonicalJson({ b: [1, { d: 2, c: 3 }], a: "x" }), '{"a":"x","b":[1,{"c":3,"d":2}]}');
    const h = (body: unknown, p = "/api/transfers") => requestHash("POST", p, body);
    assert.equal(h(JSON.parse('{ "a": 1, "b": "2" }')), h({ b: "2", a: 1 }));
    assert.notEqual(h({ a: 1 }), h({ a: "1" }));
    assert.notEqual(h([1, 2]), h([2, 1]));
    assert.notEqual(h({ a: 1 }), h({ a: 1 }, "/api/convert"));
  });
});

for (const dialect of ["sqlite", "postgres"] as const) {
  describe(`idempotency store (${dialect})`, () => {
    it("claims, replays, refuses another body, waits, reclaims an abandoned key and releases", async () => {
      const database = await openDatabase(dialect === "sqlite" ? { sqlitePath: ":memory:" } : { url: "pglite://memory" });
      try {
        let t = 1_000_000;
        const store = idempotencyStore(database.db, database.tables, { now: () => t, staleAfterMs: 60_000 });
        const ref = { partnerId: "acme", key: "k1" };
        assert.deepEqual(await store.claim(ref, "hash-a", "0x01"), { kind: "claimed" });
        assert.deepEqual(await store.claim(ref, "hash-a", "0x01"), { kind: "in-progress" });
        assert.deepEqual(await store.claim(ref, "hash-b", "0x01"), { kind: "modified" });
        assert.deepEqual(await store.byOperation("acme", "0x01"), { status: "in-progress", body: null });
        assert.equal(await store.byOperation("globex", "0x01"), undefined);
        await store.complete(ref, 201, '{"id":"0x01"}');
        assert.deepEqual(await store.claim(ref, "hash-a", "0x01"), { kind: "replay", status: 201, body: '{"id":"0x01"}' });
        assert.deepEqual(await store.claim(ref, "hash-b", "0x01"), { kind: "modified" });
        await store.release(ref); // a finished key is never released
        assert.equal((await store.claim(ref, "hash-a", "0x01")).kind, "replay");

        const crashed = { partnerId: "acme", key: "k2" };
        assert.equal((await store.claim(crashed, "h", "0x02")).kind, "claimed");
        t += 59_000;
        assert.equal((await store.claim(crashed, "h", "0x02")).kind, "in-progress");
        t += 2_000;
        const [first, second] = await Promise.all([store.claim(crashed, "h", "0x02"), store.claim(crashed, "h", "0x02")]);
        assert.deepEqual([first.kind, second.kind].sort(), ["claimed", "in-progress"], "one retry takes an abandoned key over");

        const failed = { partnerId: "acme", key: "k3" };
        assert.equal((await store.claim(failed, "h", "0x03")).kind, "claimed");
        await store.abandon(failed);
        assert.equal((await store.claim(failed, "other", "0x03")).kind, "modified");
        assert.equal((await store.claim(failed, "h", "0x03")).kind, "claimed");
        await store.release(failed);
        assert.equal((await store.claim(failed, "other", "0x03")).kind, "claimed");
      } finally {
        await database.close();
      }
    });
  });
}
