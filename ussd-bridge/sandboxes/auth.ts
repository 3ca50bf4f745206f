/** Access tokens a sandbox issues and checks, on its own clock, and the two header forms providers use. */
import { randomBytes } from "node:crypto";
import type { Context } from "hono";

export interface TokenIssuer {
  issue(): { token: string; expiresIn: number };
  valid(token: string | undefined): boolean;
}

export function tokenIssuer(now: () => number, lifetimeSeconds: number): TokenIssuer {
  const tokens = new Map<string, number>();
  return {
    issue() {
      const token = randomBytes(24).toString("base64url");
      tokens.set(token, now() + lifetimeSeconds * 1000);
      return { token, expiresIn: lifetimeSeconds };
    },
    valid(token) {
      const until = token ? tokens.get(token) : undefined;
      return until !== undefined && now() < until;
    },
  };
}

export function bearerOf(c: Context): string | undefined {
  const header = c.req.header("authorization") ?? "";
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
}

export function basicOf(c: Context): { user: string; secret: string } | undefined {
  const header = c.req.header("authorization") ?? "";
  const encoded = /^Basic\s+(.+)$/i.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Reads a JSON body; undefined when it is not JSON (the caller answers in the provider's error shape). */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}
