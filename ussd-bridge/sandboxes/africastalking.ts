/**
 * A local Africa's Talking SMS API with the same HTTP shape: `POST /version1/messaging` (form: username,
 * to, message, from; header apiKey) answering `SMSMessageData.Recipients[]` with status, statusCode and
 * messageId. It keeps every message so tests and the terminal phone simulator can read them:
 * `GET /sandbox/messages?to=+254…`. Magic values: a recipient ending in 403 is an invalid number
 * (statusCode 403), in 406 a blacklisted user (406); `POST /sandbox/fail-next {count}` makes the next
 * requests fail with HTTP 500, as a gateway outage would.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";

import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";

export interface SentSms {
  messageId: string;
  to: string;
  from?: string;
  message: string;
  at: number;
}

export interface SmsSandbox {
  app: Hono;
  messages(to?: string): SentSms[];
}

const REFUSED: Record<string, { statusCode: number; status: string }> = {
  "403": { statusCode: 403, status: "InvalidPhoneNumber" },
  "406": { statusCode: 406, status: "UserInBlacklist" },
};

export function createSmsSandbox(options: { credentials?: typeof SANDBOX_CREDENTIALS.africastalking } = {}): SmsSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS.africastalking;
  const sent: SentSms[] = [];
  let failNext = 0;
  const app = new Hono();

  app.post("/version1/messaging", async (c) => {
    if (failNext > 0) {
      failNext--;
      return c.text("Internal Server Error", 500);
    }
    const form = new URLSearchParams(await c.req.text());
    if (c.req.header("apikey") !== creds.apiKey || form.get("username") !== creds.username) {
      return c.text("The supplied authentication is invalid", 401);
    }
    const to = form.get("to");
    const message = form.get("message");
    if (!to || !message) return c.text(`Request is missing required form field '${!to ? "to" : "message"}'`, 400);
    const from = form.get("from") ?? undefined;
    const recipients = to.split(",").map((raw) => {
      const number = raw.trim();
      const refused = !/^\+\d{7,15}$/.test(number) ? REFUSED["403"] : REFUSED[number.slice(-3)];
      if (refused) return { ...refused, number, cost: "0", messageId: "None" };
      const messageId = `ATXid_${randomBytes(16).toString("hex")}`;
      sent.push({ messageId, to: number, from, message, at: Date.now() });
      return { statusCode: 101, number, status: "Success", cost: "KES 0.8000", messageId };
    });
    const ok = recipients.filter((r) => r.statusCode === 101).length;
    return c.json({ SMSMessageData: { Message: `Sent to ${ok}/${recipients.length} Total Cost: KES ${(ok * 0.8).toFixed(4)}`, Recipients: recipients } }, 201);
  });

  app.get("/sandbox/messages", (c) => {
    const to = c.req.query("to");
    return c.json({ messages: sent.filter((m) => !to || m.to === to) });
  });
  app.post("/sandbox/fail-next", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { count?: number };
    failNext = Math.max(0, Math.floor(Number(body.count ?? 1)));
    return c.json({ failNext });
  });

  return { app, messages: (to) => sent.filter((m) => !to || m.to === to) };
}
