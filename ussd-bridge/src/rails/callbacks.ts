/**
 * Where rails post their results: `${callbackBaseUrl}/rails/${rail}/${direction}/callback`, one rule
 * for every adapter (they build their callback URLs with `railCallbackUrl`) and one router that receives
 * them (`railCallbackRoutes`, mounted by the bridge and by anything else that must hear a rail).
 *
 * Some rails identify a payment only through the callback URL (Orange Money's notification carries
 * no order id), so the router hands the URL's query string to the adapter in a reserved header.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";

import { RAIL_IDS, type RailId } from "../ports.js";

export type Direction = "collect" | "payout";
export const DIRECTIONS: readonly Direction[] = ["collect", "payout"];

/** The header carrying the callback URL's query string to `parseCallback`. */
export const CALLBACK_QUERY_HEADER = "x-juapesa-callback-query";

export function railCallbackUrl(callbackBaseUrl: string, rail: RailId, direction: Direction, query?: Record<string, string>): string {
  const base = `${callbackBaseUrl.replace(/\/+$/, "")}/rails/${rail}/${direction}/callback`;
  return query ? `${base}?${new URLSearchParams(query).toString()}` : base;
}

/** The callback URL's query parameters, as the router passed them. */
export function callbackQuery(headers: Record<string, string>): URLSearchParams {
  return new URLSearchParams(headers[CALLBACK_QUERY_HEADER] ?? "");
}

export type CallbackHandler = (rail: RailId, direction: Direction, body: unknown, headers: Record<string, string>) => Promise<void>;

/**
 * POST (and PUT, which MoMo may use) `/rails/:rail/:direction/callback`. Answers 200 with Daraja's
 * acknowledgement shape (the others ignore the body) once the handler has stored what it needs; 400
 * for a body that is not JSON or a form; 500 if the handler failed, so a rail that retries will.
 */
export function railCallbackRoutes(handle: CallbackHandler): Hono {
  const app = new Hono();
  const receive = async (c: import("hono").Context) => {
    const rail = c.req.param("rail") as RailId;
    const direction = c.req.param("direction") as Direction;
    if (!RAIL_IDS.includes(rail) || !DIRECTIONS.includes(direction)) return c.json({ error: "unknown rail or direction" }, 404);
    const body = await readBody(c.req.raw);
    if (body === undefined) return c.json({ error: "the callback body must be JSON or a form" }, 400);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    headers[CALLBACK_QUERY_HEADER] = new URL(c.req.url).search.replace(/^\?/, "");
    try {
      await handle(rail, direction, body, headers);
    } catch (error) {
      console.error(`rail callback ${rail}/${direction} failed: ${error instanceof Error ? error.message : String(error)}`);
      return c.json({ ResultCode: 1, ResultDesc: "Rejected: the bridge could not record it" }, 500);
    }
    return c.json({ ResultCode: 0, ResultDesc: "Accepted" });
  };
  const limit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: "callback body too large" }, 413) });
  app.post("/rails/:rail/:direction/callback", limit, receive);
  app.put("/rails/:rail/:direction/callback", limit, receive);
  return app;
}

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
