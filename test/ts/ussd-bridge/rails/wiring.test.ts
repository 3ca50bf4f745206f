/**
 * How the rails are put together: every sandbox started at once and every adapter built from the
 * environment they print (one collection per rail, end to end, with its callback); configuration
 * errors that name the variables; the rail memory on SQLite and PostgreSQL, and the refusal to resend
 * a request whose answer was lost.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import type { E164 } from "../../../../sdk/phone.js";
import { openDatabase } from "../../../../ussd-bridge/src/db/open.js";
import { kycProviderFromEnv } from "../../../../ussd-bridge/src/kyc/provider.js";
import { RAIL_IDS, type RailId } from "../../../../ussd-bridge/src/ports.js";
import { railCallbackRoutes } from "../../../../ussd-bridge/src/rails/callbacks.js";
import { fromEnv, RailConfigError, railsFromEnv } from "../../../../ussd-bridge/src/rails/config.js";
import { ProviderError } from "../../../../ussd-bridge/src/rails/http.js";
import { dbRailMemory, memoryRailMemory, sendOnce } from "../../../../ussd-bridge/src/rails/memory.js";
import { mpesaRail } from "../../../../ussd-bridge/src/rails/mpesa.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { smsGatewayFromEnv } from "../../../../ussd-bridge/src/sms/africastalking.js";
import { startSandboxes, type RunningSandboxes } from "../../../../ussd-bridge/sandboxes/index.js";
import { listen } from "../../../../ussd-bridge/sandboxes/listen.js";
import { callbackReceiver, freshReference } from "./harness.js";

const CUSTOMER: Record<RailId, { phone: E164; amount: string }> = {
  mpesa: { phone: "+254708374190", amount: "100" },
  "mtn-momo": { phone: "+256772123190", amount: "1000" },
  airtel: { phone: "+2348021234190", amount: "1000" },
  orange: { phone: "+23276123190", amount: "4190" },
  afrimoney: { phone: "+23230123190", amount: "50" },
};

describe("every sandbox at once, every adapter from the environment", () => {
  let sandboxes: RunningSandboxes;
  let receiver: Awaited<ReturnType<typeof callbackReceiver>>;

  before(async () => {
    receiver = await callbackReceiver();
    sandboxes = await startSandboxes({ callbackBaseUrl: receiver.url, simulation: { customerDelayMs: 0 }, kycDelayMs: 0 });
  });
  after(async () => {
    await sandboxes.close();
    await receiver.close();
  });

  it("each rail collects end to end with the development credentials its loopback base URL allows", async () => {
    const rails = railsFromEnv({ env: sandboxes.env, callbackBaseUrl: receiver.url });
    assert.deepEqual(Object.keys(rails).sort(), [...RAIL_IDS].sort());
    for (const id of RAIL_IDS) {
      const rail = rails[id]!;
      receiver.adapters[id] = rail;
      const request = await rail.collect({ reference: freshReference(id), ...CUSTOMER[id], description: "Cash in" });
      const [callback] = await receiver.waitFor((r) => r.rail === id && r.parsed?.providerRef === request.providerRef);
      assert.equal(callback!.parsed!.state, "succeeded", id);
      assert.equal((await rail.status("collect", request.providerRef)).state, "succeeded", id);
      assert.ok(Number((await rail.float()).available) > 0, id);
    }
  });

  it("the SMS gateway and the KYC provider come from the same environment", async () => {
    const sms = smsGatewayFromEnv({ env: sandboxes.env })!;
    const sent = await sms.send("+254708374191", "Hello");
    assert.equal(sent.ok, true);
    assert.equal(sandboxes.sms.messages("+254708374191").length, 1);
    const kyc = kycProviderFromEnv({ env: sandboxes.env, callbackBaseUrl: receiver.url })!;
    const job = await kyc.submit({ jobId: freshReference("kyc"), accountId: `0x${"cd".repeat(32)}`, country: "KE", idType: "NATIONAL_ID", idNumber: "11112222", firstName: "A", lastName: "B", requestedTier: 2 });
    assert.equal(job.state, "pending");
  });

  it("ports can be fixed: consecutive from a base port", async () => {
    const fixed = await startSandboxes({ basePort: 19_400 + (process.pid % 400) * 8 });
    try {
      const ports = Object.values(fixed.urls).map((u) => Number(new URL(u).port));
      assert.deepEqual(ports, ports.map((_, i) => ports[0]! + i));
    } finally {
      await fixed.close();
    }
  });

  it("refuses to listen anywhere but loopback", async () => {
    await assert.rejects(startSandboxes({ host: "0.0.0.0" }), /loopback only/);
  });
});

describe("rail configuration", () => {
  it("a live base URL needs every credential from the environment, and the error names the missing ones", () => {
    assert.throws(
      () => railsFromEnv({ env: { MPESA_BASE_URL: "https://api.safaricom.co.ke", MPESA_CONSUMER_KEY: "k" }, callbackBaseUrl: "https://bridge.example" }),
      (error: unknown) => {
        assert.ok(error instanceof RailConfigError);
        for (const name of ["MPESA_CONSUMER_SECRET", "MPESA_SHORTCODE", "MPESA_PASSKEY", "MPESA_B2C_SHORTCODE", "MPESA_INITIATOR_NAME", "MPESA_SECURITY_CREDENTIAL"]) assert.match(error.message, new RegExp(name));
        assert.doesNotMatch(error.message, /MPESA_CONSUMER_KEY,/);
        return true;
      },
    );
    assert.throws(() => railsFromEnv({ env: { AIRTEL_BASE_URL: "https://openapi.airtel.africa" }, callbackBaseUrl: "https://b.example" }), /AIRTEL_PIN_PUBLIC_KEY/);
    assert.throws(() => smsGatewayFromEnv({ env: { AT_BASE_URL: "https://api.africastalking.com" } }), /AT_USERNAME and AT_API_KEY/);
  });

  it("a rail with a base URL needs the bridge's callback URL; a rail without one is off", () => {
    assert.throws(() => railsFromEnv({ env: { MOMO_BASE_URL: "http://127.0.0.1:1" } }), /JUAPESA_CALLBACK_BASE_URL/);
    assert.deepEqual(railsFromEnv({ env: {} }), {});
  });

  it("a secret can come from the file named by NAME_FILE", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rails-secret-"));
    try {
      writeFileSync(path.join(dir, "passkey"), "from-a-file\n");
      assert.equal(fromEnv({ MPESA_PASSKEY_FILE: path.join(dir, "passkey") }, "MPESA_PASSKEY"), "from-a-file");
      assert.equal(fromEnv({ MPESA_PASSKEY: "direct", MPESA_PASSKEY_FILE: path.join(dir, "passkey") }, "MPESA_PASSKEY"), "direct");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of ["sqlite", "postgres (PGlite)"] as const) {
  describe(`rail memory in the bridge's database, on ${dialect}`, () => {
    it("claims a key once, stores and forgets", async () => {
      const database = await openDatabase(dialect === "sqlite" ? { sqlitePath: ":memory:" } : { url: "pglite://memory" });
      try {
        const memory = dbRailMemory(database);
        assert.equal(await memory.claim("rails:k", "first"), true);
        assert.equal(await memory.claim("rails:k", "second"), false);
        assert.equal(await memory.get("rails:k"), "first");
        await memory.set("rails:k", "updated");
        assert.equal(await memory.get("rails:k"), "updated");
        await memory.delete("rails:k");
        assert.equal(await memory.get("rails:k"), undefined);
      } finally {
        await database.close();
      }
    });
  });
}

describe("sending once", () => {
  it("a request whose answer was lost is never sent again: the statement must settle it", async () => {
    const memory = memoryRailMemory();
    // A base URL where nothing listens: the request may or may not have left, as in a crash.
    const rail = mpesaRail({
      baseUrl: "http://127.0.0.1:9",
      callbackBaseUrl: "http://127.0.0.1:9",
      ...SANDBOX_CREDENTIALS.mpesa,
      memory,
    });
    const reference = freshReference("lost");
    await assert.rejects(rail.collect({ reference, phone: "+254708374192", amount: "10", description: "x" }), /could not reach/);
    await assert.rejects(rail.collect({ reference, phone: "+254708374192", amount: "10", description: "x" }), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.match(error.message, /answer was lost.*statement/);
      return true;
    });
  });

  it("a request the provider refused may be sent again", async () => {
    const memory = memoryRailMemory();
    let calls = 0;
    const send = async () => {
      calls++;
      if (calls === 1) throw new ProviderError("Test", "request", { status: 400, said: "refused" });
      return "ok";
    };
    await assert.rejects(sendOnce(memory, "k", "Test", send), /refused/);
    assert.equal(await sendOnce(memory, "k", "Test", send), "ok");
    assert.equal(await sendOnce(memory, "k", "Test", send), "ok");
    assert.equal(calls, 2);
  });
});

describe("the callback router", () => {
  it("answers 404 for an unknown rail or direction, 400 for a body that is neither JSON nor a form, 500 when the handler fails", async () => {
    const seen: unknown[] = [];
    const server = await listen(
      railCallbackRoutes(async (_rail, _direction, body) => {
        if ((body as { fail?: boolean }).fail) throw new Error("database down");
        seen.push(body);
      }),
    );
    try {
      const post = (path: string, body: string, type = "application/json") => fetch(`${server.url}${path}`, { method: "POST", headers: { "Content-Type": type }, body });
      assert.equal((await post("/rails/paypal/collect/callback", "{}")).status, 404);
      assert.equal((await post("/rails/mpesa/refund/callback", "{}")).status, 404);
      assert.equal((await post("/rails/mpesa/collect/callback", "not json")).status, 400);
      assert.equal((await post("/rails/mpesa/collect/callback", JSON.stringify({ fail: true }))).status, 500);
      const ok = await post("/rails/mpesa/collect/callback", JSON.stringify({ a: 1 }));
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { ResultCode: 0, ResultDesc: "Accepted" });
      assert.equal((await post("/rails/orange/collect/callback?order_id=x", "status=SUCCESS&notif_token=t", "application/x-www-form-urlencoded")).status, 200);
      assert.deepEqual(seen, [{ a: 1 }, { status: "SUCCESS", notif_token: "t" }]);
      const put = await fetch(`${server.url}/rails/mtn-momo/collect/callback`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: "{}" });
      assert.equal(put.status, 200);
      assert.equal((await post("/rails/mpesa/collect/callback", JSON.stringify({ big: "x".repeat(70_000) }))).status, 413);
    } finally {
      await server.close();
    }
  });
});
