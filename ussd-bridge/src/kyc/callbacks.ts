/** `POST /kyc/callback`: where the KYC provider posts results; the handler gets the verified result only. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";

import type { KycProvider, KycResult } from "./provider.js";

export function kycCallbackRoutes(provider: KycProvider, handle: (result: KycResult) => Promise<void>): Hono {
  const app = new Hono();
  app.post("/kyc/callback", bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: "body too large" }, 413) }), async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const result = provider.parseCallback(body, headers);
    if (!result) return c.json({ error: "not a signed KYC result" }, 400);
    await handle(result);
    return c.json({ ok: true });
  });
  return app;
}
