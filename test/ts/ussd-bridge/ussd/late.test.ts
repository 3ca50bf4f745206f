/**
 * When the chain does not answer within the telco's budget: the screen says "in progress, an SMS
 * follows", and the SMS does follow once the operation settles (money.onSettled), to both sides and
 * in each one's language, exactly once; a money request paid that way is closed when it settles.
 * Here the budget is 0 ms, so every money screen answers before the receipt.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { parseUnits } from "viem";

import { startBridge, type Bridge } from "./harness.js";

const cngn = (n: string) => parseUnits(n, 6);
const PAYER = "+254745000001" as const;
const PAYEE = "+254745000002" as const;

let bridge: Bridge;
before(async () => {
  bridge = await startBridge({ budgetMs: 0 });
  await bridge.phone(PAYER).register("4826");
  await bridge.phone(PAYEE).register("5931", "3");
  await bridge.fund(PAYER, "cNGN", cngn("1000"));
});
after(async () => {
  await bridge?.close();
});

async function eventually<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("answers after the budget", () => {
  it("says the send is in progress, then texts both sides once it settles", async () => {
    const end = await bridge.phone(PAYER).run("1", "0745000002", "120", "1", "1", "4826");
    assert.equal(end, "END Sending 120.00 cNGN to +2547***002 is in progress. An SMS will confirm it.");
    const texts = await eventually(() => [...bridge.sms.to(PAYER), ...bridge.sms.to(PAYEE)], (t) => t.length >= 2, "the two notices");
    assert.match(texts.find((t) => t.to === PAYER)!.message, /^JuaPesa: you sent 120\.00 cNGN to \+2547\*\*\*002\. Ref [0-9A-F]{10}\.$/);
    assert.match(texts.find((t) => t.to === PAYEE)!.message, /^JuaPesa : \+254745000001 vous a envoyé 120,00 cNGN\. Réf\. [0-9A-F]{10}\. Composez \*789# pour l'utiliser\.$/);
    assert.equal(await bridge.balanceOf(PAYEE, "cNGN"), cngn("120"));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(bridge.sms.sent.filter((s) => s.to === PAYER || s.to === PAYEE).length, 2, "no second text");
  });

  it("closes a money request paid in progress once the payment settles", async () => {
    await bridge.phone(PAYEE).run("2", "3", "0745000001", "30", "1");
    const end = await bridge.phone(PAYER).run("2", "2", "1", "1", "4826");
    assert.match(end, /^END Sending 30\.00 cNGN to \+2547\*\*\*002 is in progress\./);
    const { moneyRequests } = bridge.database.tables;
    await eventually(
      async () => (await bridge.database.db.select().from(moneyRequests).where(eq(moneyRequests.payerId, bridge.accountOf(PAYER))))[0]?.status,
      (status) => status === "paid",
      "the request to be closed",
    );
  });

  it("says a conversion is in progress, then texts its result", async () => {
    const end = await bridge.phone(PAYER).run("3", "1", "1", "100", "1", "4826");
    assert.equal(end, "END Your conversion is in progress. An SMS will confirm it.");
    const text = await eventually(() => bridge.sms.to(PAYER).find((s) => s.message.includes("converted")), (t) => t !== undefined, "the conversion notice");
    assert.match(text!.message, /^JuaPesa: you converted 100\.00 cNGN to [\d.]+ USDC\. Ref [0-9A-F]{10}\.$/);
  });
});
