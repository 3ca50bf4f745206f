/** Operation ids: deterministic per action, distinct across namespaces and part boundaries. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, keccak256 } from "viem";

import { opIdFor, opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";

describe("operation ids", () => {
  it("is the same for the same action, so a retried USSD step reuses its id", () => {
    assert.equal(opIdFor("ussd", "ATUid_1234", "send"), opIdFor("ussd", "ATUid_1234", "send"));
    assert.notEqual(opIdFor("ussd", "ATUid_1234", "send"), opIdFor("ussd", "ATUid_1235", "send"));
    assert.notEqual(opIdFor("ussd", "ATUid_1234", "send"), opIdFor("ussd", "ATUid_1234", "convert"));
  });

  it("keeps namespaces and part boundaries apart", () => {
    assert.notEqual(opIdFor("ussd", "k-1"), opIdFor("api", "k-1"));
    assert.notEqual(opIdFor("api", "ab", "c"), opIdFor("api", "a", "bc"));
    assert.notEqual(opIdFor("api", "a*b"), opIdFor("api", "a", "b"));
  });

  it("is uint256(keccak256(abi.encode(tag, namespace, parts)))", () => {
    const expected = BigInt(keccak256(encodeAbiParameters([{ type: "string" }, { type: "string" }, { type: "string[]" }], ["JuaPesa operation v1", "rail", ["mpesa", "ws_CO_1"]])));
    assert.equal(opIdFor("rail", "mpesa", "ws_CO_1"), expected);
  });

  it("refuses an id without parts or with an unknown namespace", () => {
    assert.throws(() => opIdFor("ussd"), TypeError);
    assert.throws(() => opIdFor("sms" as never, "x"), TypeError);
  });

  it("writes ids as 0x and 64 hex digits for the outbox", () => {
    assert.equal(opIdHex(1n), `0x${"0".repeat(63)}1`);
    assert.match(opIdHex(opIdFor("ussd", "s", "send")), /^0x[0-9a-f]{64}$/);
    assert.throws(() => opIdHex(-1n), RangeError);
    assert.throws(() => opIdHex(1n << 256n), RangeError);
  });
});
