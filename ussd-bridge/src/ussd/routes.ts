/**
 * The USSD front door as a Hono sub-app: `POST /ussd` (one hop: a `CON `/`END ` screen as
 * text/plain) and `POST /ussd/events` (the gateway's end-of-session notice). Mount it on the
 * bridge's app; wire the gateway's callback URLs to these two paths.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

import { opIdHex } from "../money/op-id.js";
import type { UssdDeps } from "./deps.js";
import { UssdEngine } from "./engine.js";
import { isForm, MAX_BODY_BYTES, NOT_A_FORM, readEndNotice, readHop, TOO_LARGE, type Rejection } from "./gateway.js";
import { en } from "./i18n/en.js";
import { closeRequestPaidBy } from "./requests.js";
import { textLateSettlement } from "./sms.js";

export type { UssdConfig, UssdDeps } from "./deps.js";

const reject = (c: Context, r: Rejection) => c.text(r.message, r.status);

/**
 * Builds the sub-app. It also listens for USSD money operations that settle after their screen
 * said "in progress", to text their outcome and close a money request they paid.
 */
export function ussdRoutes(deps: UssdDeps): Hono & { engine: UssdEngine } {
  const engine = new UssdEngine(deps);
  const app = new Hono();
  const streamed = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => reject(c, TOO_LARGE) });
  // Gateways send a Content-Length; checking it directly spares every hop the stream wrapping that
  // hono's bodyLimit sets up (it materialises the request body as a web stream). Chunked bodies,
  // which have no length up front, still go through bodyLimit.
  const limit: MiddlewareHandler = async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    return Number(length) > MAX_BODY_BYTES ? reject(c, TOO_LARGE) : next();
  };

  deps.money.onSettled((op) => {
    if (op.origin !== "ussd") return;
    void (async () => {
      if (op.kind === "transfer" && op.status === "done") await closeRequestPaidBy(deps, opIdHex(op.opId));
      await textLateSettlement(deps, op);
    })().catch((error: unknown) => console.error(`ussd: late settlement notice failed: ${(error as Error).name}`));
  });

  app.post("/ussd", limit, async (c) => {
    if (!isForm(c.req.header("content-type"))) return reject(c, NOT_A_FORM);
    const read = readHop(await c.req.text(), deps.config);
    if (!read.ok) return reject(c, read);
    return c.text(await engine.hop(read.hop));
  });

  app.post("/ussd/events", limit, async (c) => {
    if (!isForm(c.req.header("content-type"))) return reject(c, NOT_A_FORM);
    const read = readEndNotice(await c.req.text());
    if (!read.ok) return reject(c, read);
    try {
      await engine.ended(read.sessionId, read.status);
    } catch (error) {
      // The notice only speeds up resuming; a session not marked here counts as cut off after the live window.
      console.error(`ussd: end-of-session notice not recorded: ${(error as Error).name}`);
    }
    return c.text("OK");
  });

  // The engine answers every failure of another part with an END screen; this catches the rest, so
  // a gateway never sees a 500 (it would show the person a network error).
  app.onError((error, c) => {
    console.error(`ussd: unexpected ${error.name} on ${c.req.path}`);
    return c.req.path.endsWith("/events") ? c.text("OK") : c.text(`END ${en.session.unavailable}`);
  });

  return Object.assign(app, { engine });
}
