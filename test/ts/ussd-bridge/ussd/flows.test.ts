/**
 * Whole menu flows through the real HTTP server, the real registry and money service, the real
 * contracts on an in-process chain and a real SQLite database: registering, sending, balances,
 * converting, money requests, PIN changes and locks, languages, and cash in/out handed to the cash
 * service. Every refusal a person can meet on the way is checked as hard as the happy path.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { parseUnits } from "viem";

import { startBridge, SANCTIONED, type Bridge } from "./harness.js";

const cngn = (n: string) => parseUnits(n, 6);
const ALICE = "+254712345678" as const; // registers in English
const BARAKA = "+254722111222" as const; // registers in Kiswahili
const CLAIRE = "+254733444555" as const; // registers in French
const NOBODY = "+254700999888" as const; // never registers

let bridge: Bridge;

before(async () => {
  bridge = await startBridge();
});
after(async () => {
  await bridge?.close();
});

describe("registration", () => {
  it("greets a new number in its country's language and opens an account after the PIN twice and the terms", async () => {
    const session = bridge.phone(ALICE).dial();
    assert.equal(await session.start(), "CON Welcome to JuaPesa. Choose your language:\n1 English\n2 Kiswahili\n3 Francais");
    assert.match(await session.press("1"), /^CON Create a PIN of 4 to 6 digits/);
    assert.match(await session.press("12"), /^CON A PIN has 4 to 6 digits\.\nCreate a PIN/);
    assert.match(await session.press("1234"), /^CON That PIN is too easy to guess/);
    assert.match(await session.press("4826"), /^CON Enter the PIN again:/);
    assert.match(await session.press("4827"), /^CON The PINs did not match\. Try again\.\nCreate a PIN/);
    assert.match(await session.press("4826"), /^CON Enter the PIN again:/);
    assert.match(await session.press("4826"), /^CON JuaPesa terms:/);
    const home = await session.press("1");
    assert.equal(home, "CON Your account is open.\nJuaPesa\n1 Send money\n2 Receive\n3 Convert\n4 Cash in\n5 Cash out\n6 Balance\n7 My account");
    const user = await bridge.registry.findByPhone(ALICE);
    assert.deepEqual([user?.lang, user?.country, user?.tier, user?.accountId], ["en", "KE", 1, bridge.accountOf(ALICE)]);
    await session.end("Success");
  });

  it("registers in Kiswahili and in French, each then served in its language", async () => {
    await bridge.phone(BARAKA).register("5931", "2");
    await bridge.phone(CLAIRE).register("7302", "3");
    assert.match(await bridge.phone(BARAKA).run(), /^CON JuaPesa\n1 Tuma pesa\n2 Pokea pesa/);
    assert.match(await bridge.phone(CLAIRE).run(), /^CON JuaPesa\n1 Transfert d'argent\n2 Recevoir/);
  });

  it("ends with a clear screen when the terms are declined, keeping nothing", async () => {
    assert.match(await bridge.phone(NOBODY).run("1", "6193", "6193", "2"), /^END You need to accept the terms/);
    assert.equal(await bridge.registry.findByPhone(NOBODY), undefined);
  });

  it("refuses a number on the sanctions list without saying why", async () => {
    assert.equal(await bridge.phone(SANCTIONED).run("1", "6193", "6193", "1"), "END We cannot open an account for this number. Please contact JuaPesa support.");
  });
});

describe("send", () => {
  before(async () => {
    await bridge.fund(ALICE, "cNGN", cngn("5000"));
  });

  it("sends to a number typed the local way, confirms with the fee and the masked number, and texts both sides", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    assert.equal(await session.press("1"), "CON Enter the recipient's phone number:\n0 Back 00 Home");
    assert.equal(await session.press("0722 111 222"), "CON Amount to send to +2547***222:\n0 Back 00 Home");
    assert.equal(await session.press("1500"), "CON Send 1,500.00 in:\n1 cNGN\n2 USDC\n3 XAUt\n0 Back 00 Home");
    assert.equal(await session.press("1"), "CON Send 1,500.00 cNGN to +2547***222\nFee: 0 (free between JuaPesa accounts)\n1 Confirm\n0 Back 00 Home");
    assert.equal(await session.press("1"), "CON Enter your PIN to send 1,500.00 cNGN to +2547***222:\n0 Back 00 Home");
    const done = await session.press("4826");
    assert.match(done, /^END Sent 1,500\.00 cNGN to \+2547\*\*\*222\. Ref [0-9A-F]{10}\. An SMS confirms it\.$/);
    assert.equal(await bridge.balanceOf(ALICE, "cNGN"), cngn("3500"));
    assert.equal(await bridge.balanceOf(BARAKA, "cNGN"), cngn("1500"));
    const ref = done.match(/Ref ([0-9A-F]{10})/)![1]!;
    assert.deepEqual(bridge.sms.to(ALICE).map((s) => s.message), [`JuaPesa: you sent 1,500.00 cNGN to +2547***222. Ref ${ref}.`]);
    assert.deepEqual(bridge.sms.to(BARAKA).map((s) => s.message), [`JuaPesa: umepokea 1,500.00 cNGN kutoka ${ALICE}. Kumb. ${ref}. Piga *789# kuzitumia.`]);
  });

  it("reads international and 00-prefixed numbers too", async () => {
    for (const typed of ["+254 722 111 222", "254722111222", "00254722111222"]) {
      assert.match(await bridge.phone(ALICE).run("1", typed), /^CON Amount to send to \+2547\*\*\*222:/, typed);
    }
  });

  it("refuses invalid, own and sanctioned numbers on the same screen", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    await session.press("1");
    assert.match(await session.press("12345"), /^CON That number is not valid\.\nEnter the recipient's/);
    assert.match(await session.press("0712345678"), /^CON That is your own number\.\n/);
    assert.match(await session.press(SANCTIONED), /^CON You cannot send to this number\.\n/);
    assert.match(await session.press("hello"), /^CON That number is not valid\./);
    await session.end("Success");
  });

  it("offers an SMS invitation to a number that is not on JuaPesa", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    await session.press("1");
    assert.equal(await session.press("0700 999 888"), "CON +2547***888 is not on JuaPesa yet.\n1 Invite them by SMS\n0 Back 00 Home");
    assert.equal(await session.press("1"), "END We sent +2547***888 an invitation by SMS. You can send once they join.");
    const [invite] = bridge.sms.to(NOBODY);
    assert.equal(invite?.message, `${ALICE} wants to send you money with JuaPesa. Dial *789# to open a free account.`);
  });

  it("refuses bad amounts with the reason, and amounts over the single limit with the limit", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    await session.press("1");
    await session.press("0722111222");
    assert.match(await session.press("abc"), /^CON Type digits only, like 1500 or 25\.50\nAmount to send/);
    assert.match(await session.press("1,500"), /^CON Type digits only/);
    assert.match(await session.press("-5"), /^CON The amount cannot be negative\./);
    assert.match(await session.press("0.0000001"), /^CON Use at most 6 decimals\./);
    assert.match(await session.press("0.000"), /^CON The amount must be more than 0\./);
    assert.match(await session.press("99999999999999999999"), /^CON That amount is too large\./);
    assert.match(await session.press("60000"), /^CON Send 60,000\.00 in:/);
    assert.match(await session.press("1"), /^CON The most per transaction is 50,000\.00 cNGN\.\nAmount to send to \+2547\*\*\*222:/);
    assert.match(await session.press("9"), /^CON Send 9\.00 in:/);
    assert.match(await session.press("4"), /^CON Invalid choice\.\nSend 9\.00 in:/);
    await session.end("Success");
  });

  it("checks the daily limit against what was sent today, right after a send", async () => {
    const DAUDI = "+254733000111" as const;
    await bridge.phone(DAUDI).register("8047");
    await bridge.phone("+254733000222").register("3918");
    await bridge.fund(DAUDI, "cNGN", cngn("60000"));
    assert.match(await bridge.phone(DAUDI).run("1", "0733000222", "45000", "1", "1", "8047"), /^END Sent 45,000\.00 cNGN/);
    const screen = await bridge.phone(DAUDI).run("1", "0733000222", "10000", "1");
    assert.match(screen, /^CON Your limit left today is 5,000\.00 cNGN\.\nAmount to send to/);
  });

  it("says a refused transfer took nothing (balance too low)", async () => {
    const before = await bridge.balanceOf(ALICE, "cNGN");
    const end = await bridge.phone(ALICE).run("1", "0722111222", "40000", "1", "1", "4826");
    assert.equal(end, "END Not sent. Your balance is too low. Nothing was taken.");
    assert.equal(await bridge.balanceOf(ALICE, "cNGN"), before);
  });

  it("goes back with 0 and home with 00 in the middle of a send", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    await session.press("1");
    await session.press("0722111222");
    await session.press("25");
    assert.match(await session.press("0"), /^CON Amount to send to \+2547\*\*\*222:/);
    assert.match(await session.press("0"), /^CON Enter the recipient's phone number:/);
    assert.match(await session.press("00"), /^CON JuaPesa\n1 Send money/);
    await session.end("Success");
  });
});

describe("balance, PINs and language", () => {
  it("asks the PIN, then shows every balance", async () => {
    const session = bridge.phone(BARAKA).dial();
    await session.start();
    assert.equal(await session.press("6"), "CON Weka PIN kuona salio lako:\n0 Rudi 00 Mwanzo");
    assert.equal(await session.press("5931"), "END Salio lako:\ncNGN 1,500.00\nUSDC 0.00\nXAUt 0.00");
  });

  it("locks the account after three wrong PINs, and the lock outlives the session", async () => {
    const session = bridge.phone(CLAIRE).dial();
    await session.start();
    await session.press("6");
    assert.equal(await session.press("1111"), "CON Code secret erroné. Il reste 2 essais.\nCode secret pour voir votre solde :\n0 Retour 00 Accueil");
    assert.match(await session.press("2222"), /^CON Code secret erroné\. Il reste 1 essai\./);
    assert.equal(await session.press("3333"), "END Trop de codes erronés. Votre compte est bloqué pendant 30 minutes.");
    // The right PIN does not open a locked account; after the lock it does.
    assert.match(await bridge.phone(CLAIRE).run("6", "7302"), /^END Trop de codes erronés\. Votre compte est bloqué pendant (29|30) minutes\./);
    bridge.advance(31 * 60_000);
    assert.match(await bridge.phone(CLAIRE).run("6", "7302"), /^END Votre solde :\ncNGN 0,00/);
  });

  it("does not count a PIN of the wrong shape as a wrong PIN", async () => {
    const session = bridge.phone(BARAKA).dial();
    await session.start();
    await session.press("6");
    assert.match(await session.press("12"), /^CON PIN ina tarakimu 4 hadi 6\./);
    assert.match(await session.press("5931"), /^END Salio lako:/);
  });

  it("changes the PIN after the current one, then only the new one works", async () => {
    const session = bridge.phone(BARAKA).dial();
    await session.start();
    assert.match(await session.press("7"), /^CON Akaunti yangu\n1 Badilisha PIN\n2 Lugha/);
    assert.match(await session.press("1"), /^CON Weka PIN yako ya sasa:/);
    assert.match(await session.press("0000"), /^CON PIN si sahihi\. Umebakiza majaribio 2\./);
    assert.match(await session.press("5931"), /^CON Weka PIN mpya ya tarakimu 4 hadi 6:/);
    assert.match(await session.press("5931"), /^CON Chagua PIN tofauti na ya sasa\./);
    assert.match(await session.press("7777"), /^CON PIN hiyo ni rahisi kukisia\./);
    assert.match(await session.press("640281"), /^CON Weka PIN mpya tena:/);
    assert.match(await session.press("640282"), /^CON PIN hazilingani\. Jaribu tena\.\nWeka PIN mpya/);
    await session.press("640281");
    assert.equal(await session.press("640281"), "END PIN yako imebadilishwa. Tumia PIN mpya kuanzia sasa.");
    assert.match(await bridge.phone(BARAKA).run("6", "5931"), /^CON PIN si sahihi\./);
    assert.match(await bridge.phone(BARAKA).run("6", "640281"), /^END Salio lako:/);
  });

  it("switches the language and keeps it", async () => {
    assert.equal(await bridge.phone(ALICE).run("7", "2", "3"), "CON Langue : Francais.\nJuaPesa\n1 Transfert d'argent\n2 Recevoir\n3 Convertir\n4 Recharger\n5 Retrait\n6 Solde\n7 Mon compte");
    assert.equal((await bridge.registry.findByPhone(ALICE))?.lang, "fr");
    assert.match(await bridge.phone(ALICE).run(), /^CON JuaPesa\n1 Transfert d'argent/);
    await bridge.phone(ALICE).run("7", "2", "1");
    assert.equal((await bridge.registry.findByPhone(ALICE))?.lang, "en");
  });
});

describe("convert", () => {
  it("quotes live with the fee and the least accepted, then converts within it", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    assert.match(await session.press("3"), /^CON Convert from:\n1 cNGN\n2 USDC\n3 XAUt/);
    assert.equal(await session.press("1"), "CON Convert cNGN to:\n1 USDC\n2 XAUt\n0 Back 00 Home");
    assert.match(await session.press("1"), /^CON Amount of cNGN to convert to USDC:/);
    const confirm = await session.press("1000");
    const m = confirm.match(/^CON Convert 1,000\.00 cNGN\nYou get about ([\d.,]+) USDC\nAt least ([\d.,]+) USDC\nFee: ([\d.,]+) cNGN\n1 Confirm/);
    assert.ok(m, confirm);
    const [about, least] = [cngn(m[1]!.replaceAll(",", "")), cngn(m[2]!.replaceAll(",", ""))];
    assert.ok(least < about && least >= (about * 98n) / 100n, `1 % slippage: ${m[1]} / ${m[2]}`);
    const quote = await bridge.money.quote("cNGN", "USDC", cngn("1000"));
    assert.equal(about, quote.amountOut);
    assert.match(await session.press("1"), /^CON Enter your PIN to convert 1,000\.00 cNGN to USDC:/);
    const before = await bridge.balanceOf(ALICE, "cNGN");
    const done = await session.press("4826");
    assert.match(done, /^END Converted 1,000\.00 cNGN to [\d.,]+ USDC\. An SMS confirms it\.$/);
    assert.equal(await bridge.balanceOf(ALICE, "cNGN"), before - cngn("1000"));
    const usdc = await bridge.balanceOf(ALICE, "USDC");
    assert.ok(usdc >= least, `got ${usdc}`);
    assert.ok(bridge.sms.to(ALICE).some((s) => s.message.startsWith("JuaPesa: you converted 1,000.00 cNGN to ")));
  });

  it("says why the pools will not quote an amount, on the amount screen", async () => {
    const screen = await bridge.phone(ALICE).run("3", "2", "2", "500000");
    assert.match(screen, /^CON (Not enough liquidity now\. Try a smaller amount\.|Trading is paused\. Please try later\.)\nAmount of USDC to convert to XAUt:/);
  });

  it("refuses a conversion over the balance without moving anything", async () => {
    const before = await bridge.balanceOf(ALICE, "USDC");
    const end = await bridge.phone(ALICE).run("3", "2", "1", "30", "1", "4826");
    assert.equal(end, "END Not converted. Your balance is too low. Nothing was taken.");
    assert.equal(await bridge.balanceOf(ALICE, "USDC"), before);
  });
});

describe("money requests", () => {
  it("asks a number for money by SMS; the payer finds it under Receive and pays it with the PIN", async () => {
    const asked = await bridge.phone(BARAKA).run("2", "3", "0712345678", "200", "1");
    assert.equal(asked, "END Tumemwomba +2547***678 200.00 cNGN kwa SMS. Utapokea SMS akilipa.");
    assert.ok(bridge.sms.to(ALICE).some((s) => s.message === `JuaPesa: ${BARAKA} asks you for 200.00 cNGN. Dial *789# and choose 2 Receive to pay.`));

    const session = bridge.phone(ALICE).dial();
    await session.start();
    assert.equal(await session.press("2"), "CON Receive money\n1 My number\n2 Requests to me (1)\n3 Request money\n0 Back 00 Home");
    assert.equal(await session.press("2"), `CON Requests to you:\n1 200.00 cNGN from ${BARAKA}\n0 Back 00 Home`);
    assert.equal(await session.press("1"), `CON ${BARAKA} asks you for 200.00 cNGN.\n1 Pay\n2 Decline\n0 Back 00 Home`);
    assert.match(await session.press("1"), /^CON Enter your PIN to pay 200\.00 cNGN to \+2547\*\*\*222:/);
    const before = await bridge.balanceOf(BARAKA, "cNGN");
    assert.match(await session.press("4826"), /^END Sent 200\.00 cNGN to \+2547\*\*\*222\./);
    assert.equal(await bridge.balanceOf(BARAKA, "cNGN"), before + cngn("200"));
    const [row] = await bridge.database.db.select().from(bridge.database.tables.moneyRequests).where(eq(bridge.database.tables.moneyRequests.payerId, bridge.accountOf(ALICE)));
    assert.equal(row?.status, "paid");
    assert.match(await bridge.phone(ALICE).run("2"), /2 Requests to me \(0\)/);
  });

  it("declines a request, and refuses to ask an unregistered number", async () => {
    await bridge.phone(BARAKA).run("2", "3", "0712345678", "75", "2");
    assert.match(await bridge.phone(ALICE).run("2", "2", "1", "2"), new RegExp(`^END You declined the request from \\${BARAKA}\\.$`));
    assert.match(await bridge.phone(ALICE).run("2", "2"), /^CON You have no open requests\.\nReceive money/);
    assert.match(await bridge.phone(ALICE).run("2", "3", "0700999888"), /^CON \+2547\*\*\*888 is not on JuaPesa\.\nRequest money from which phone number\?/);
  });

  it("shows your own number", async () => {
    assert.equal(await bridge.phone(ALICE).run("2", "1"), `END Your JuaPesa number is ${ALICE}. Share it to receive money.`);
  });
});

describe("cash in and cash out", () => {
  it("cashes in from the wallet of the person's network and says to approve it on the phone", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    assert.equal(await session.press("4"), "CON Amount in KES to add from M-Pesa:\n0 Back 00 Home");
    assert.match(await session.press("500.5"), /^CON Type a whole amount, no decimals\./);
    assert.equal(await session.press("500"), "CON Add 500 KES from M-Pesa\nYou get about 3.75 USDC\n1 Confirm\n0 Back 00 Home");
    assert.equal(await session.press("1"), "END Check your phone and approve the M-Pesa request with your M-Pesa PIN. An SMS will confirm.");
    const call = bridge.cash.calls!.at(-1)!;
    assert.deepEqual(
      { kind: call.kind, rail: call.rail, fiat: call.fiatAmount, phone: call.phone, account: call.accountId, key: call.opKey },
      { kind: "in", rail: "mpesa", fiat: "500", phone: ALICE, account: bridge.accountOf(ALICE), key: `ussd:${session.sessionId}:cash-in` },
    );
  });

  it("lets the person choose the wallet when the network does not tell", async () => {
    const screen = await bridge.phone(ALICE, "99999").run("4");
    assert.equal(screen, "CON Choose your mobile money:\n1 M-Pesa\n2 Airtel Money\n0 Back 00 Home");
    assert.match(await bridge.phone(ALICE, "99999").run("4", "2"), /^CON Amount in KES to add from Airtel Money:/);
  });

  it("cashes out after the limit check and the PIN", async () => {
    const session = bridge.phone(ALICE).dial();
    await session.start();
    assert.match(await session.press("5"), /^CON Amount to cash out to M-Pesa:/);
    await session.press("3");
    assert.equal(await session.press("2"), `CON Cash out 3.00 USDC to M-Pesa ${ALICE}\nYou get about 400 KES\n1 Confirm\n0 Back 00 Home`);
    assert.match(await session.press("1"), /^CON Enter your PIN to cash out 3\.00 USDC:/);
    assert.equal(await session.press("4826"), "END 3.00 USDC is on its way to your M-Pesa. An SMS will confirm.");
    const call = bridge.cash.calls!.at(-1)!;
    assert.deepEqual([call.kind, call.asset, call.amount, call.rail], ["out", "USDC", 3_000_000n, "mpesa"]);
  });
});
