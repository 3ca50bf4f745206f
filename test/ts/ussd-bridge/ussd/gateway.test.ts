/**
 * The gateway contract at the door, through the real HTTP server: what a hop and an end-of-session
 * notice must look like, and the clear 4xx plain-text answer for everything else, never a 500 and
 * never a session opened by a bad request.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { SERVICE_CODE, startBridge, type Bridge } from "./harness.js";

let bridge: Bridge;
before(async () => {
  bridge = await startBridge();
});
after(async () => {
  await bridge?.close();
});

const hop = (fields: Record<string, string>) => new URLSearchParams(fields);
const valid = { sessionId: "ATUid_gateway", serviceCode: SERVICE_CODE, phoneNumber: "+254712555000", networkCode: "63902", text: "" };
const without = (name: keyof typeof valid) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== name));

async function sessionCount() {
  return (await bridge.database.db.select().from(bridge.database.tables.sessions)).length;
}

describe("POST /ussd", () => {
  it("answers a valid first hop with a text/plain CON screen", async () => {
    const response = await fetch(`${bridge.url}/ussd`, { method: "POST", body: hop({ ...valid, sessionId: "ATUid_ok" }) });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(await response.text(), /^CON Welcome to JuaPesa/);
  });

  it("accepts the other configured service code, and numbers the gateway sends without the plus", async () => {
    const reply = await bridge.post("/ussd", hop({ ...valid, sessionId: "ATUid_ok2", serviceCode: "*384*1234#", phoneNumber: "254712555001" }));
    assert.deepEqual([reply.status, reply.text.slice(0, 4)], [200, "CON "]);
  });

  it("refuses each malformed request with a 4xx and a message saying what to fix", async () => {
    const before = await sessionCount();
    const cases: [string, string | URLSearchParams, string | undefined, number, RegExp][] = [
      ["JSON body", JSON.stringify(valid), "application/json", 415, /application\/x-www-form-urlencoded/],
      ["no content type", hop(valid).toString(), "text/plain", 415, /x-www-form-urlencoded/],
      ["missing sessionId", hop(without("sessionId")), undefined, 400, /"sessionId" is missing/],
      ["missing serviceCode", hop(without("serviceCode")), undefined, 400, /"serviceCode" is missing/],
      ["missing phoneNumber", hop(without("phoneNumber")), undefined, 400, /"phoneNumber" is missing/],
      ["missing text", hop(without("text")), undefined, 400, /"text" is missing/],
      ["repeated field", `${hop(valid)}&text=1`, undefined, 400, /"text" appears more than once/],
      ["session id with spaces", hop({ ...valid, sessionId: "a b" }), undefined, 400, /sessionId/],
      ["session id too long", hop({ ...valid, sessionId: "x".repeat(129) }), undefined, 400, /sessionId/],
      ["unknown service code", hop({ ...valid, serviceCode: "*123#" }), undefined, 404, /does not answer that service code; it answers \*789#/],
      ["phone not a number", hop({ ...valid, phoneNumber: "hello" }), undefined, 400, /"phoneNumber" is not a valid phone number/],
      ["phone too short", hop({ ...valid, phoneNumber: "+2547" }), undefined, 400, /international format/],
      ["network code not digits", hop({ ...valid, networkCode: "SAF" }), undefined, 400, /"networkCode"/],
      ["text over 400 characters", hop({ ...valid, text: "1".repeat(401) }), undefined, 413, /longer than 400/],
      ["over 40 inputs", hop({ ...valid, text: Array(41).fill("1").join("*") }), undefined, 413, /more than 40 inputs/],
      ["body over 4 KiB", hop({ ...valid, padding: "x".repeat(5000) }), undefined, 413, /larger than 4096 bytes/],
    ];
    for (const [name, body, contentType, status, message] of cases) {
      const reply = await bridge.post("/ussd", body, contentType);
      assert.equal(reply.status, status, `${name}: ${reply.text}`);
      assert.match(reply.text, message, name);
      assert.ok(!reply.text.includes("+254712555000"), `${name}: the message repeats the phone number`);
    }
    assert.equal(await sessionCount(), before, "no bad request opened a session");
  });

  it("answers a GET with 404, not a crash", async () => {
    const response = await fetch(`${bridge.url}/ussd`);
    assert.equal(response.status, 404);
  });
});

describe("POST /ussd/events", () => {
  it("takes the gateway's notice, known session or not", async () => {
    const notice = { sessionId: "ATUid_unknown", serviceCode: SERVICE_CODE, phoneNumber: "+254712555000", networkCode: "63902", status: "Incomplete", cost: "KES 0.00", durationInMillis: "5000", hopsCount: "3", input: "1", lastAppResponse: "CON …", errorMessage: "", date: "2026-11-21 10:00:00" };
    const reply = await bridge.post("/ussd/events", hop(notice));
    assert.deepEqual(reply, { status: 200, text: "OK" });
  });

  it("refuses a notice without a session id or with an unknown status", async () => {
    assert.deepEqual(await bridge.post("/ussd/events", hop({ status: "Success" })), { status: 400, text: 'The form field "sessionId" is missing.' });
    const bad = await bridge.post("/ussd/events", hop({ sessionId: "ATUid_x", status: "Done" }));
    assert.deepEqual(bad, { status: 400, text: '"status" must be one of Success, Incomplete, Failed.' });
    assert.equal((await bridge.post("/ussd/events", JSON.stringify({ sessionId: "x", status: "Success" }), "application/json")).status, 415);
  });
});
