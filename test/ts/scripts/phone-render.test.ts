import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { SCREEN_WIDTH, renderScreen } from "../../../scripts/phone.js";

describe("phone simulator: the screen box", () => {
  it("drops the CON prefix, keeps line breaks and boxes every line at the phone's width", () => {
    const box = renderScreen("CON Welcome to JuaPesa\n1. Send money\n2. Balance").split("\n");
    assert.equal(box[1], `│ ${"Welcome to JuaPesa".padEnd(SCREEN_WIDTH)} │`);
    assert.equal(box[2], `│ ${"1. Send money".padEnd(SCREEN_WIDTH)} │`);
    assert.ok(box.at(-1)!.includes("reply below"));
    for (const line of box) assert.equal([...line].length, SCREEN_WIDTH + 4);
  });

  it("wraps long lines at word boundaries and cuts a word longer than the screen", () => {
    const box = renderScreen(`END Sent 1,000.00 cNGN to +2547•••678. Reference ${"X".repeat(30)}`, 20).split("\n");
    const body = box.slice(1, -1).map((l) => l.slice(2, -2).trimEnd());
    assert.deepEqual(body, ["Sent 1,000.00 cNGN", "to +2547•••678.", "Reference", "X".repeat(20), "X".repeat(10)]);
    assert.ok(box.at(-1)!.includes("session ended"));
  });
});
