/**
 * Where rails post their results to the bridge: `POST /rails/:rail/:direction/callback` (the rails'
 * router, which answers each provider with the acknowledgement it expects). The callback is
 * acknowledged at once and handled in the background: the `rail_payments` row is the record, not the
 * callback, so if the bridge stops before it has handled one, `pollPending` on the next start asks the
 * rail and finishes the payment all the same. A rail never waits on the vault or the attester.
 */
import type { Hono } from "hono";

import type { CashService } from "../ports.js";
import { railCallbackRoutes as railRouter } from "../rails/callbacks.js";

export function railCallbackRoutes(cash: Pick<CashService, "onCallback">, log: (event: string, fields: Record<string, unknown>) => void = () => {}): Hono {
  return railRouter(async (rail, direction, body, headers) => {
    void cash.onCallback(rail, direction, body, headers).catch((error: unknown) =>
      log("callback.error", { rail, direction, reason: error instanceof Error ? error.message : String(error) }),
    );
  });
}
