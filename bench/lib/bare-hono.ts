/**
 * The ceiling the bridge is measured against: a bare Hono app on @hono/node-server that parses the same
 * USSD form body and answers a text screen, with no sessions, database or chain.
 */
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";

export function bareUssdApp(): Hono {
  const app = new Hono();
  app.post("/ussd", async (c) => {
    const form = await c.req.parseBody();
    const text = typeof form.text === "string" ? form.text : "";
    const depth = text === "" ? 0 : text.split("*").length;
    return c.text(depth < 3 ? `CON Welcome to JuaPesa\n1. Send\n2. Balance\n(step ${depth})` : "END Thank you");
  });
  app.post("/ussd/events", (c) => c.text("OK"));
  return app;
}

export async function startBareHono(): Promise<{ url: string; server: ServerType }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: bareUssdApp().fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}/ussd`, server }),
    );
  });
}
