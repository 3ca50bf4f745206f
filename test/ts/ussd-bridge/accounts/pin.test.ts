/**
 * PIN policy and hashing with real scrypt: which PINs a person may choose, the self-describing
 * hash, and that a hash is bound to its salt and to the pepper-derived key.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { CLEARED, LOCK_MS, startAttempt, wrongPinResult } from "../../../../ussd-bridge/src/accounts/lockout.js";
import { hashPin, needsRehash, pinKeyFrom, pinProblem, verifyPinHash } from "../../../../ussd-bridge/src/accounts/pin.js";
import { TEST_PEPPER, TEST_SCRYPT } from "../money/fixture.js";

const key = pinKeyFrom(TEST_PEPPER);

describe("PIN policy", () => {
  it("accepts 4 to 6 digits that are not trivial", () => {
    for (const pin of ["4826", "73915", "902741", "1357", "8024"]) assert.equal(pinProblem(pin), undefined, pin);
  });

  it("refuses the wrong length and anything but digits", () => {
    assert.equal(pinProblem("482"), "too-short");
    assert.equal(pinProblem("4826193"), "too-long");
    for (const pin of ["48a6", "48 26", "", "４８２６", "-482"]) assert.equal(pinProblem(pin), "not-digits", JSON.stringify(pin));
  });

  it("refuses one digit repeated, straight runs either way, repeated pairs and triples, keypad lines and common PINs", () => {
    for (const pin of ["0000", "1111", "99999", "1234", "2345", "123456", "4321", "654321", "7890", "0987", "1212", "2323", "123123", "2580", "1122", "6969", "2000"]) {
      assert.equal(pinProblem(pin), "trivial", pin);
    }
  });

  it("refuses the last digits of the person's own number", () => {
    assert.equal(pinProblem("5678", "+254712305678"), "trivial");
    assert.equal(pinProblem("305678", "+254712305678"), "trivial");
    assert.equal(pinProblem("4826", "+254712305678"), undefined);
  });
});

describe("PIN hashing", () => {
  it("writes scrypt$N$r$p$salt$hash and verifies the right PIN only", async () => {
    const encoded = await hashPin("4826", key, TEST_SCRYPT);
    assert.match(encoded, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.equal(await verifyPinHash("4826", encoded, key), true);
    assert.equal(await verifyPinHash("4827", encoded, key), false);
    assert.equal(await verifyPinHash("48260", encoded, key), false);
  });

  it("salts every hash, so the same PIN never hashes the same twice", async () => {
    const a = await hashPin("4826", key, TEST_SCRYPT);
    const b = await hashPin("4826", key, TEST_SCRYPT);
    assert.notEqual(a, b);
    assert.notEqual(a.split("$")[4], b.split("$")[4]);
  });

  it("binds the hash to the pepper: another pepper's key never verifies it", async () => {
    const encoded = await hashPin("4826", key, TEST_SCRYPT);
    const otherKey = pinKeyFrom(Buffer.alloc(32, 7));
    assert.equal(await verifyPinHash("4826", encoded, otherKey), false);
  });

  it("reads its parameters from the hash, and says when they are older than the configured ones", async () => {
    const encoded = await hashPin("4826", key, { N: 2048, r: 8, p: 1 });
    assert.equal(await verifyPinHash("4826", encoded, key), true);
    assert.equal(needsRehash(encoded, { N: 2048, r: 8, p: 1 }), false);
    assert.equal(needsRehash(encoded, TEST_SCRYPT), true);
  });

  it("refuses a malformed stored hash with a message that holds no PIN", async () => {
    await assert.rejects(verifyPinHash("4826", "plain:4826", key), (error: Error) => {
      assert.doesNotMatch(error.message, /4826/);
      return true;
    });
  });
});

describe("PIN lockout rules", () => {
  it("counts an attempt before it is checked and locks on the third", () => {
    const t = 1_000_000;
    const first = startAttempt(CLEARED, t);
    assert.deepEqual(first, { locked: false, attempt: 1, counted: { failedPins: 1, lockedUntil: 0 } });
    const third = startAttempt({ failedPins: 2, lockedUntil: 0 }, t);
    assert.deepEqual(third, { locked: false, attempt: 3, counted: { failedPins: 3, lockedUntil: t + LOCK_MS } });
    assert.deepEqual(startAttempt({ failedPins: 3, lockedUntil: t + LOCK_MS }, t + 1), { locked: true, until: t + LOCK_MS });
  });

  it("starts afresh once a lock has run out", () => {
    const t = 1_000_000;
    assert.deepEqual(startAttempt({ failedPins: 3, lockedUntil: t }, t), { locked: false, attempt: 1, counted: { failedPins: 1, lockedUntil: 0 } });
  });

  it("never reports fewer than zero tries left, even from a corrupted count", () => {
    assert.deepEqual(wrongPinResult(1, { failedPins: 1, lockedUntil: 0 }), { ok: false, reason: "wrong", attemptsLeft: 2 });
    assert.deepEqual(wrongPinResult(3, { failedPins: 3, lockedUntil: 5 }), { ok: false, reason: "locked", until: 5 });
    const fromNegative = startAttempt({ failedPins: -4, lockedUntil: 0 }, 0);
    assert.equal(fromNegative.locked, false);
    assert.ok(!fromNegative.locked && fromNegative.attempt === 1);
  });
});
