/**
 * Rephrasing through an OpenAI-compatible chat-completions endpoint, against real HTTP servers on
 * loopback: a faithful one, one that changes a figure, one that hangs, one that fails.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";

import { keepsNumbers, rephrase, rephraseFromEnv } from "../../../../agents/liquidity/rebalance/rephrase.js";

const TEMPLATE =
  "MTN-NG pool: forecast net cash-out ₦48M over the next 4 h, payroll day; floor ₦60M (P90), holding ₦31M; moving ₦29M from pool Y, cost $0.0313.";

interface Seen {
  path?: string;
  auth?: string;
  body?: { model?: string; messages?: { role: string; content: string }[] };
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ url: string; seen: Seen; server: Server }> {
  const seen: Seen = {};
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      seen.path = req.url;
      seen.auth = req.headers.authorization;
      seen.body = JSON.parse(raw);
      handler(req, res, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

function chat(content: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "chatcmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] }));
  };
}

describe("explanation rephrasing", () => {
  it("accepts a rewrite that keeps every number, and sends the chat-completions shape", async () => {
    const rewrite =
      "Payroll day at the MTN-NG pool: about ₦48M is expected to go out in the next 4 h. The floor is ₦60M (P90) but it holds ₦31M, so ₦29M comes over from pool Y for $0.0313.";
    const { url, seen } = await serve(chat(rewrite));
    const result = await rephrase(TEMPLATE, { baseUrl: `${url}/v1`, apiKey: "test-key", model: "mistral-7b-instruct" });
    assert.deepEqual(result, { text: rewrite, rephrased: true });
    assert.equal(seen.path, "/v1/chat/completions");
    assert.equal(seen.auth, "Bearer test-key");
    assert.equal(seen.body?.model, "mistral-7b-instruct");
    assert.equal(seen.body?.messages?.at(-1)?.content, TEMPLATE);
  });

  it("keeps the template when the model changes a number", async () => {
    const { url } = await serve(chat("MTN-NG pool: forecast net cash-out ₦48M over the next 4 h on payroll day; floor ₦60M (P90), holding ₦31M; moving ₦30M from pool Y, cost $0.0313."));
    const result = await rephrase(TEMPLATE, { baseUrl: url });
    assert.equal(result.text, TEMPLATE);
    assert.equal(result.rephrased, false);
    assert.match(result.reason!, /changed, dropped or added a number/);
  });

  it("keeps the template when the model adds a figure of its own", () => {
    assert.equal(keepsNumbers("holding ₦31M", "holding ₦31M, about 2 days of cash"), false);
    assert.equal(keepsNumbers("₦31M and ₦31M", "₦31M"), false); // each occurrence counts
    assert.equal(keepsNumbers("₦31M, 4 h", "4 h: ₦31M"), true);
  });

  it("keeps the template when the endpoint hangs past the timeout", async () => {
    const { url } = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const result = await rephrase(TEMPLATE, { baseUrl: url, timeoutMs: 200 });
    assert.deepEqual(result, { text: TEMPLATE, rephrased: false, reason: "timed out" });
    assert.ok(Date.now() - started < 5_000);
  });

  it("keeps the template when the endpoint fails or answers nonsense", async () => {
    const failing = await serve((_req, res) => {
      res.writeHead(500);
      res.end("boom");
    });
    assert.equal((await rephrase(TEMPLATE, { baseUrl: failing.url })).reason, "endpoint answered HTTP 500");
    const empty = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [] }));
    });
    assert.equal((await rephrase(TEMPLATE, { baseUrl: empty.url })).reason, "reply had no message content");
  });

  it("reads OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL, and does nothing without them", async () => {
    assert.deepEqual(await rephraseFromEnv(TEMPLATE, {}), { text: TEMPLATE, rephrased: false, reason: "OPENAI_BASE_URL not set" });
    const { url, seen } = await serve(chat(TEMPLATE.replace("MTN-NG pool:", "At the MTN-NG pool,")));
    const result = await rephraseFromEnv(TEMPLATE, { OPENAI_BASE_URL: url, OPENAI_API_KEY: "k", OPENAI_MODEL: "m" });
    assert.equal(result.rephrased, true);
    assert.equal(seen.auth, "Bearer k");
    assert.equal(seen.body?.model, "m");
  });
});
