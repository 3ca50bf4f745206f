/**
 * What the rail tests share: a real HTTP receiver for callbacks (the bridge's own callback router,
 * feeding each adapter's parseCallback as the bridge does) and a client for a sandbox's control
 * endpoints.
 */
import { Hono } from "hono";

import type { E164 } from "../../../../sdk/phone.js";
import type { RailAdapter, RailId, RailStatus } from "../../../../ussd-bridge/src/ports.js";
import { railCallbackRoutes, type Direction } from "../../../../ussd-bridge/src/rails/callbacks.js";
import { listen } from "../../../../ussd-bridge/sandboxes/listen.js";

export interface Received {
  rail: RailId;
  direction: Direction;
  body: unknown;
  headers: Record<string, string>;
  parsed: RailStatus | undefined;
}

export async function callbackReceiver() {
  const adapters: Partial<Record<RailId, RailAdapter>> = {};
  const received: Received[] = [];
  const waiters: Array<{ match: (r: Received) => boolean; count: number; resolve: (r: Received[]) => void }> = [];
  const app = new Hono().route(
    "/",
    railCallbackRoutes(async (rail, direction, body, headers) => {
      const parsed = adapters[rail]?.parseCallback(direction, body, headers);
      received.push({ rail, direction, body, headers, parsed });
      for (const waiter of [...waiters]) {
        const matches = received.filter(waiter.match);
        if (matches.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(matches);
        }
      }
    }),
  );
  const server = await listen(app);
  return {
    url: server.url,
    adapters,
    received,
    /** Resolves once `count` callbacks match (already received ones count). */
    waitFor(match: (r: Received) => boolean, count = 1): Promise<Received[]> {
      const matches = received.filter(match);
      if (matches.length >= count) return Promise.resolve(matches);
      return new Promise((resolve) => waiters.push({ match, count, resolve }));
    },
    matching(match: (r: Received) => boolean): Received[] {
      return received.filter(match);
    },
    close: () => server.close(),
  };
}

export function sandboxControl(baseUrl: string) {
  const post = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    flush: () => post("/sandbox/flush"),
    advance: (ms: number) => post("/sandbox/clock", { advanceMs: ms }),
    topUp: (amount: string) => post("/sandbox/float/top-up", { amount }),
    async transactions(): Promise<Array<{ id: string; reference?: string; state: string; amount: string; direction: string }>> {
      const response = await fetch(`${baseUrl}/sandbox/transactions`);
      return ((await response.json()) as { transactions: [] }).transactions;
    },
    async deliveries(id?: string): Promise<Array<{ txId: string; url: string; status?: number }>> {
      const response = await fetch(`${baseUrl}/sandbox/callbacks${id ? `?id=${encodeURIComponent(id)}` : ""}`);
      return ((await response.json()) as { deliveries: [] }).deliveries;
    },
  };
}

/** A number with the given last three digits (the sandboxes' magic values), in a country's format. */
export function phoneEnding(prefix: string, suffix: string): E164 {
  return `${prefix}${suffix}` as E164;
}

let seq = 0;
/** A fresh reference per test, so tests never collide in a shared sandbox. */
export function freshReference(tag: string): string {
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${++seq}`;
}
