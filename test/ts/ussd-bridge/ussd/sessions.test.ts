/**
 * The session rules, through the real server: one live session per phone, a session id bound to
 * its phone, gateway retries answered from the stored screen without acting twice (also when they
 * arrive at the same time), cut-off sessions continued within five minutes and not after, never
 * past a PIN without asking it again and never past a money action, and no PIN in the database.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { parseUnits } from "viem";

import { opIdFor, opIdHex } from "../../../../ussd-bridge/src/money/op-id.js";
import type { MoneyService } from "../../../../ussd-bridge/src/ports.js";
import { LIVE_WINDOW_MS, RESUME_WINDOW_MS } from "../../../../ussd-bridge/src/ussd/sessions.js";
import { startBridge, type Bridge } from "./harness.js";

const cngn = (n: string) => parseUnits(n, 6);
const AMINA = "+254712000001" as const;
const BAKARI = "+254712000002" as const;
const CHEGE = "+254712000003" as const; // never finishes registering

let bridge: Bridge;

before(async () => {
  bridge = await startBridge();
  await bridge.phone(AMINA).register("4826");
  await bridge.phone(BAKARI).register("5931");
  await bridge.fund(AMINA, "cNGN", cngn("10000"));
});
after(async () => {
  await bridge?.close();
});

async function sessionRow(sessionId: string) {
  const [row] = await bridge.database.db.select().from(bridge.database.tables.sessions).where(eq(bridge.database.tables.sessions.sessionId, sessionId));
  return row;
}

describe("one live session per phone", () => {
  it("refuses a second session while another one is live, and changes nothing", async () => {
    const first = bridge.phone(AMINA).dial();
    await first.start();
    await first.press("6");
    const second = bridge.phone(AMINA).dial();
    assert.equal(await second.start(), "END Another JuaPesa session is open on your phone. Finish it, or dial again in a minute.");
    assert.equal(await sessionRow(second.sessionId), undefined, "the refused session left no row");
    assert.match(await first.press("4826"), /^END Your balance:/, "the live session goes on untouched");
    assert.match(await bridge.phone(AMINA).run(), /^CON JuaPesa\n1 Send money/, "once it ended, a new one opens");
  });

  it("refuses a known session id arriving with another number, and changes nothing", async () => {
    const mine = bridge.phone(AMINA).dial();
    await mine.start();
    await mine.press("1");
    const before = await sessionRow(mine.sessionId);
    const thief = bridge.phone(BAKARI).dial(mine.sessionId);
    assert.equal(await thief.press("1"), "END This session does not match your phone number. Please dial again.");
    assert.deepEqual(await sessionRow(mine.sessionId), before);
    assert.match(await mine.press("0712000002"), /^CON Amount to send to \+2547\*\*\*002:/);
    assert.match(await bridge.phone(BAKARI).run(), /^CON JuaPesa/, "no session was opened for the other number");
    await mine.end("Success");
  });

  it("frees the phone at once when the gateway says the session ended", async () => {
    const session = bridge.phone(AMINA).dial();
    await session.start();
    await session.end("Success");
    assert.match(await bridge.phone(AMINA).run(), /^CON JuaPesa/);
  });
});

describe("gateway retries", () => {
  it("answers an exact repeat with the same screen and moves the money once", async () => {
    const before = await bridge.balanceOf(BAKARI, "cNGN");
    const session = bridge.phone(AMINA).dial();
    await session.start();
    for (const input of ["1", "0712000002", "100", "1", "1"]) await session.press(input);
    const done = await session.press("4826");
    assert.match(done, /^END Sent 100\.00 cNGN/);
    assert.equal(await session.hop(), done, "the repeat gets the very same screen");
    assert.equal(await session.hop(), done);
    assert.equal(await bridge.balanceOf(BAKARI, "cNGN"), before + cngn("100"));
    const opId = opIdHex(opIdFor("ussd", session.sessionId, "send"));
    const ops = await bridge.database.db.select().from(bridge.database.tables.operations).where(eq(bridge.database.tables.operations.opId, opId));
    assert.equal(ops.length, 1);
    assert.equal(bridge.sms.sent.filter((s) => s.id.startsWith(opId)).length, 2, "one text to each side");
  });

  it("answers two copies of the PIN hop arriving together with one screen and one transfer", async () => {
    const before = await bridge.balanceOf(BAKARI, "cNGN");
    const session = bridge.phone(AMINA).dial();
    await session.start();
    for (const input of ["1", "0712000002", "7", "1", "1"]) await session.press(input);
    session.inputs.push("4826");
    const [a, b] = await Promise.all([session.hop(), session.hop()]);
    assert.equal(a, b);
    assert.match(a, /^END Sent 7\.00 cNGN/);
    assert.equal(await bridge.balanceOf(BAKARI, "cNGN"), before + cngn("7"));
  });

  it("answers a late copy of an older hop without acting on it", async () => {
    const session = bridge.phone(AMINA).dial();
    await session.start();
    await session.press("1");
    await session.press("0712000002");
    assert.match(await session.hop("1"), /^END This session has ended/);
    assert.match(await session.press("5"), /^CON Send 5\.00 in:/, "the session goes on from where it was");
    await session.end("Success");
  });
});

describe("resuming a cut-off session", () => {
  it("continues within five minutes from the screen it was on", async () => {
    const cut = bridge.phone(AMINA).dial();
    await cut.start();
    for (const input of ["1", "0712000002", "250"]) await cut.press(input);
    await cut.end("Incomplete");
    bridge.advance(4 * 60_000);
    const next = bridge.phone(AMINA).dial();
    assert.equal(await next.start(), "CON Your last session was cut off.\n1 Continue where you left off\n2 Start again");
    assert.equal(await next.press("1"), "CON Welcome back.\nSend 250.00 in:\n1 cNGN\n2 USDC\n3 XAUt\n0 Back 00 Home");
    await next.press("1");
    await next.press("1");
    assert.match(await next.press("4826"), /^END Sent 250\.00 cNGN to \+2547\*\*\*002/);
    assert.match(await bridge.phone(AMINA).run(), /^CON JuaPesa\n/, "a continued session is not offered again");
  });

  it("asks the PIN again when the cut came at the PIN", async () => {
    const cut = bridge.phone(AMINA).dial();
    await cut.start();
    for (const input of ["1", "0712000002", "30", "1", "1"]) await cut.press(input);
    await cut.end("Failed");
    const next = bridge.phone(AMINA).dial();
    await next.start();
    assert.equal(await next.press("1"), "CON Welcome back.\nEnter your PIN to send 30.00 cNGN to +2547***002:\n0 Back 00 Home");
    assert.match(await next.press("4826"), /^END Sent 30\.00 cNGN/);
  });

  it("asks for the new PIN again when a registration was cut after it", async () => {
    const cut = bridge.phone(CHEGE).dial();
    await cut.start();
    for (const input of ["2", "6193", "6193"]) await cut.press(input);
    assert.match(cut.last, /^CON Masharti ya JuaPesa/);
    await cut.end("Incomplete");
    const next = bridge.phone(CHEGE).dial();
    assert.equal(await next.start(), "CON Your last session was cut off.\n1 Continue where you left off\n2 Start again");
    assert.equal(await next.press("1"), "CON Karibu tena.\nChagua PIN ya tarakimu 4 hadi 6. Usimwambie mtu yeyote.\n0 Rudi 00 Mwanzo");
    await next.press("6193");
    await next.press("6193");
    assert.match(await next.press("1"), /^CON Akaunti yako imefunguliwa\.\nJuaPesa\n1 Tuma pesa/);
    await next.end("Success");
  });

  it("starts afresh on 'Start again', and does not offer the old session again", async () => {
    const cut = bridge.phone(AMINA).dial();
    await cut.start();
    await cut.press("3");
    await cut.end("Incomplete");
    const next = bridge.phone(AMINA).dial();
    await next.start();
    assert.match(await next.press("2"), /^CON JuaPesa\n1 Send money/);
    await next.end("Success");
    assert.match(await bridge.phone(AMINA).run(), /^CON JuaPesa\n/);
  });

  it("does not offer a session cut more than five minutes ago", async () => {
    const cut = bridge.phone(AMINA).dial();
    await cut.start();
    await cut.press("1");
    await cut.end("Incomplete");
    bridge.advance(RESUME_WINDOW_MS + 1_000);
    assert.match(await bridge.phone(AMINA).run(), /^CON JuaPesa\n1 Send money/);
  });

  it("treats a session that went quiet without an END as live for a minute, then as cut off", async () => {
    const quiet = bridge.phone(AMINA).dial();
    await quiet.start();
    await quiet.press("1");
    bridge.advance(LIVE_WINDOW_MS - 5_000);
    assert.match(await bridge.phone(AMINA).run(), /^END Another JuaPesa session is open/);
    bridge.advance(10_000);
    const next = bridge.phone(AMINA).dial();
    assert.match(await next.start(), /^CON Your last session was cut off\./);
    assert.match(await next.press("1"), /^CON Welcome back\.\nEnter the recipient's phone number:/);
    await next.end("Success");
  });

  it("never offers a session whose money action was handed on, even if it never answered", async () => {
    // A bridge whose transfer never returns, as one that dies mid-call: the hop is left hanging.
    const hanging: MoneyService = { ...bridge.money, transfer: () => new Promise(() => {}) };
    const dying = await bridge.restart({ money: hanging });
    const restarted = await bridge.restart();
    try {
      const cut = dying.phone(AMINA).dial();
      await cut.start();
      for (const input of ["1", "0712000002", "40", "1", "1"]) await cut.press(input);
      cut.inputs.push("4826");
      void cut.hop().catch(() => {});
      for (let i = 0; i < 100 && !(await sessionRow(cut.sessionId))?.state.includes('"committed":true'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match((await sessionRow(cut.sessionId))!.state, /"committed":true/, "the state was written before the money call");

      bridge.advance(LIVE_WINDOW_MS + 1_000);
      assert.match(await restarted.phone(AMINA).run(), /^CON JuaPesa\n1 Send money/, "no offer to continue past the money action");
    } finally {
      await dying.close();
      await restarted.close();
    }
  });
});

describe("what the database keeps", () => {
  it("never holds a PIN, not even in the record of inputs", async () => {
    const rows = await bridge.database.db.select().from(bridge.database.tables.sessions);
    assert.ok(rows.length > 10);
    for (const row of rows) {
      for (const pin of ["4826", "5931", "6193"]) {
        assert.ok(!row.lastInput.split("*").includes(pin), `a PIN in the inputs of session ${row.sessionId}: ${row.lastInput}`);
        assert.ok(!new RegExp(`\\b${pin}\\b`).test(row.lastResponse), `a PIN in the reply of session ${row.sessionId}`);
        assert.ok(!row.state.includes(`"${pin}"`), `a PIN in the state of session ${row.sessionId}`);
      }
    }
    assert.ok(rows.some((r) => r.lastInput.includes("•")), "PINs are withheld, not just absent");
  });
});
