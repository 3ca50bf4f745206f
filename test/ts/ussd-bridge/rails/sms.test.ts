/**
 * SMS notices: the outbox on a real database (SQLite, and PostgreSQL through PGlite) sending through
 * the Africa's Talking adapter to the local SMS sandbox over loopback HTTP.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";

import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { africasTalkingGateway } from "../../../../ussd-bridge/src/sms/africastalking.js";
import { createSmsSender } from "../../../../ussd-bridge/src/sms/outbox.js";
import { createSmsSandbox } from "../../../../ussd-bridge/sandboxes/africastalking.js";
import { listen, type Listening } from "../../../../ussd-bridge/sandboxes/listen.js";

const creds = SANDBOX_CREDENTIALS.africastalking;

for (const dialect of ["sqlite", "postgres (PGlite)"] as const) {
  describe(`SMS outbox through Africa's Talking, on ${dialect}`, () => {
    let database: Database;
    let sandbox: ReturnType<typeof createSmsSandbox>;
    let server: Listening;
    const logs: string[] = [];
    const gateway = (overrides: Partial<Parameters<typeof africasTalkingGateway>[0]> = {}) =>
      africasTalkingGateway({ baseUrl: server.url, username: creds.username, apiKey: creds.apiKey, from: "JuaPesa", ...overrides });
    const sender = (g = gateway()) => createSmsSender({ db: database.db, tables: database.tables, gateway: g, log: (line) => logs.push(line) });
    const row = async (id: string) => (await database.db.select().from(database.tables.smsOutbox).where(eq(database.tables.smsOutbox.id, id)))[0];

    before(async () => {
      database = await openDatabase(dialect === "sqlite" ? { sqlitePath: ":memory:" } : { url: "pglite://memory" });
      sandbox = createSmsSandbox();
      server = await listen(sandbox.app);
    });
    after(async () => {
      await server.close();
      await database.close();
    });

    it("sends a notice and records the gateway's message id", async () => {
      await sender().notify("evt-1", "+254712000101", "You received 500 cNGN.");
      const [message] = sandbox.messages("+254712000101");
      assert.equal(message!.message, "You received 500 cNGN.");
      assert.equal(message!.from, "JuaPesa");
      const stored = await row("evt-1");
      assert.equal(stored!.status, "sent");
      assert.equal(stored!.providerMessageId, message!.messageId);
      assert.equal(stored!.attempts, 1);
    });

    it("texts once per id, even when notify is called twice, or twice at once", async () => {
      const sms = sender();
      await sms.notify("evt-2", "+254712000102", "Once.");
      await sms.notify("evt-2", "+254712000102", "Once.");
      await Promise.all([sms.notify("evt-3", "+254712000103", "Once too."), sms.notify("evt-3", "+254712000103", "Once too.")]);
      assert.equal(sandbox.messages("+254712000102").length, 1);
      assert.equal(sandbox.messages("+254712000103").length, 1);
    });

    it("a gateway failure does not reach the caller; the notice is retried and sent once", async () => {
      await fetch(`${server.url}/sandbox/fail-next`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ count: 1 }) });
      const sms = sender();
      await sms.notify("evt-4", "+254712000104", "After the outage.");
      assert.equal((await row("evt-4"))!.status, "failed");
      assert.equal(sandbox.messages("+254712000104").length, 0);
      const retried = await sms.retryPending();
      assert.ok(retried.sent >= 1);
      assert.equal((await row("evt-4"))!.status, "sent");
      assert.equal((await row("evt-4"))!.attempts, 2);
      await sms.retryPending();
      assert.equal(sandbox.messages("+254712000104").length, 1);
    });

    it("an unreachable gateway or refused credentials leave the notice failed and retryable, never thrown", async () => {
      await sender(gateway({ baseUrl: "http://127.0.0.1:9" })).notify("evt-5", "+254712000105", "Unreachable.");
      await sender(gateway({ apiKey: "wrong" })).notify("evt-6", "+254712000106", "Refused.");
      assert.equal((await row("evt-5"))!.status, "failed");
      assert.equal((await row("evt-6"))!.status, "failed");
      assert.ok(logs.some((l) => l.includes("evt-6") && l.includes("AT_API_KEY")));
      await sender().retryPending();
      assert.equal((await row("evt-5"))!.status, "sent");
      assert.equal((await row("evt-6"))!.status, "sent");
    });

    it("a number the gateway refuses for good is not retried", async () => {
      const sms = sender();
      await sms.notify("evt-7", "+254712000403", "Invalid number.");
      const stored = await row("evt-7");
      assert.equal(stored!.status, "failed");
      assert.equal(stored!.attempts, 5);
      await sms.retryPending();
      assert.equal((await row("evt-7"))!.attempts, 5);
    });

    it("logs never carry the number or the text", () => {
      assert.ok(logs.length > 0);
      for (const line of logs) {
        assert.doesNotMatch(line, /2547\d{8}/);
        assert.doesNotMatch(line, /Refused\.|Unreachable\.|Invalid number\./);
      }
    });
  });
}
