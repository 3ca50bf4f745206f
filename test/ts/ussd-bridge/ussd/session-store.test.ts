/**
 * The session store on both databases it runs on: SQLite (prepared statements on the driver) and
 * PostgreSQL (drizzle, here PGlite in process). Same behaviour: a write lands once per version, a
 * copy that another process moved on is caught and re-read, the resume query sees only what it
 * should, and a restart reads back exactly what was saved.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { purgeSessions, RESUME_WINDOW_MS, SESSION_RETENTION_MS, SessionStore, StaleSessionError } from "../../../../ussd-bridge/src/ussd/sessions.js";
import { groupCommit } from "../../../../ussd-bridge/src/ussd/writes.js";
import type { FlowState } from "../../../../ussd-bridge/src/ussd/state.js";

const PHONE = "+254712000100" as const;
const state = (screen: FlowState["screen"]): FlowState => ({ screen, stack: ["home"], page: 0, lang: "sw", country: "KE", network: "63902", data: { amount: "1500000000" } });

const dir = mkdtempSync(path.join(tmpdir(), "ussd-sessions-"));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const dialect of ["sqlite", "postgres"] as const) {
  describe(`session store on ${dialect}`, () => {
    const open = (file = "bridge.db"): Promise<Database> => (dialect === "sqlite" ? openDatabase({ sqlitePath: path.join(dir, file) }) : openDatabase({ url: "pglite://memory" }));
    let clock = 1_800_000_000_000;
    const now = () => clock;

    it("saves, reads back after a restart, and refuses a write from a stale copy", async () => {
      const database = await open();
      try {
        const store = new SessionStore(database, now);
        const record = store.fresh("s-1", PHONE, state("home"));
        await store.save(record, { state: state("send.to"), hops: 1, lastInput: "1", lastResponse: "CON x", status: "live" });
        clock += 1_000;
        await store.save(record, { state: state("send.amount"), hops: 2, lastInput: "1*0712", lastResponse: "CON y", status: "live" });

        const restarted = new SessionStore(database, now);
        const back = await restarted.get("s-1");
        assert.deepEqual(
          { screen: back?.state.screen, data: back?.state.data, hops: back?.hops, lastInput: back?.lastInput, lastResponse: back?.lastResponse, status: back?.status, phone: back?.phone },
          { screen: "send.amount", data: { amount: "1500000000" }, hops: 2, lastInput: "1*0712", lastResponse: "CON y", status: "live", phone: PHONE },
        );

        // The first store's copy is now older than the row: its next write must fail, not overwrite.
        clock += 1_000;
        await restarted.save(back!, { state: state("send.asset"), hops: 3, lastInput: "1*0712*5", lastResponse: "CON z", status: "live" });
        await assert.rejects(store.save(record, { state: state("home"), hops: 3, lastInput: "1*0712*0", lastResponse: "CON w", status: "live" }), StaleSessionError);
        assert.equal((await store.get("s-1"))?.state.screen, "send.asset", "the stale copy was dropped and re-read");

        // Two first hops of one session id: the second insert loses.
        const twin = store.fresh("s-1", PHONE, state("home"));
        await assert.rejects(store.save(twin, { state: state("home"), hops: 0, lastInput: "", lastResponse: "CON", status: "live" }), StaleSessionError);
      } finally {
        await database.close();
      }
    });

    it("lists a phone's recent sessions that are not ended, newest first, and marks them", async () => {
      const database = await open();
      try {
        const store = new SessionStore(database, now);
        for (const [id, status] of [["r-1", "live"], ["r-2", "live"], ["r-3", "ended"]] as const) {
          clock += 1_000;
          await store.save(store.fresh(id, PHONE, state("send.to")), { state: state("send.to"), hops: 1, lastInput: "1", lastResponse: "CON", status });
        }
        const other = store.fresh("r-x", "+254712000999", state("home"));
        await store.save(other, { state: state("home"), hops: 0, lastInput: "", lastResponse: "CON", status: "live" });
        assert.deepEqual((await store.recentFor(PHONE, "r-1")).map((r) => r.sessionId).filter((id) => id.startsWith("r-")), ["r-2"]);

        const dropTime = (await store.get("r-2"))!.updatedAt;
        clock += 10_000;
        await store.setStatus("r-2", "dropped");
        const dropped = await store.get("r-2");
        assert.deepEqual([dropped?.status, dropped?.updatedAt], ["dropped", dropTime], "a drop keeps the last hop's time, so the window counts from it");
        await store.setStatus("r-2", "ended");
        assert.equal((await store.get("r-2"))?.status, "ended");
        assert.deepEqual((await store.recentFor(PHONE, "")).map((r) => r.sessionId).filter((id) => id.startsWith("r-")), ["r-1"]);

        clock += RESUME_WINDOW_MS + 1;
        assert.deepEqual((await store.recentFor(PHONE, "")).filter((r) => r.sessionId.startsWith("r-")), [], "older than the resume window");
      } finally {
        await database.close();
      }
    });

    it("purges rows last touched before the cut-off, whatever their status, and keeps the rest", async () => {
      const database = await open("purge.db");
      try {
        const store = new SessionStore(database, now);
        const old = store.fresh("p-old", PHONE, state("home"));
        await store.save(old, { state: state("home"), hops: 1, lastInput: "6", lastResponse: "END balance", status: "ended" });
        const oldLive = store.fresh("p-old-live", PHONE, state("home"));
        await store.save(oldLive, { state: state("send.to"), hops: 1, lastInput: "1", lastResponse: "CON x", status: "live" });
        clock += SESSION_RETENTION_MS + 1_000;
        const fresh = store.fresh("p-new", PHONE, state("home"));
        await store.save(fresh, { state: state("home"), hops: 1, lastInput: "6", lastResponse: "END y", status: "ended" });

        assert.equal(await purgeSessions(database, clock - SESSION_RETENTION_MS), 2);
        const reread = new SessionStore(database, now);
        assert.equal(await reread.get("p-old"), undefined);
        assert.equal(await reread.get("p-old-live"), undefined);
        assert.equal((await reread.get("p-new"))?.lastResponse, "END y");
        assert.equal(await purgeSessions(database, clock - SESSION_RETENTION_MS), 0, "a second purge finds nothing");
      } finally {
        await database.close();
      }
    });
  });
}

describe("group commit", () => {
  it("commits the writes of one turn of the event loop together, and one failing write fails alone", async () => {
    const database = await openDatabase({ sqlitePath: ":memory:" });
    try {
      const client = (database.db as unknown as { $client: import("better-sqlite3").Database }).$client;
      client.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
      const put = client.prepare("INSERT INTO t (k) VALUES (?)");
      const write = groupCommit(client);
      let transactions = 0;
      const original = client.transaction.bind(client);
      (client as { transaction: typeof client.transaction }).transaction = ((fn: (...args: unknown[]) => unknown) => {
        transactions++;
        return original(fn);
      }) as typeof client.transaction;

      const together = await Promise.all([write(() => put.run("a").changes), write(() => put.run("b").changes), write(() => put.run("c").changes)]);
      assert.deepEqual([together, transactions], [[1, 1, 1], 1]);

      const results = await Promise.allSettled([write(() => put.run("d").changes), write(() => put.run("a").changes), write(() => put.run("e").changes)]);
      assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
      assert.deepEqual(client.prepare("SELECT k FROM t ORDER BY k").all().map((r) => (r as { k: string }).k), ["a", "b", "c", "d", "e"]);
    } finally {
      await database.close();
    }
  });
});
