/**
 * Bearer-token guard for the admin endpoints. The token comes from `JUAPESA_ADMIN_TOKEN`; without
 * one (or with one too short to resist guessing) the endpoints answer 503 and say how to enable
 * them, rather than running open. Tokens are compared in constant time on their SHA-256 digests,
 * so neither the content nor the length leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

import { jsonError } from "../api/errors.js";

export const MIN_ADMIN_TOKEN_LENGTH = 24;

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function adminTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.JUAPESA_ADMIN_TOKEN?.trim() || undefined;
}

export function requireAdminToken(token: string | undefined): MiddlewareHandler {
  const problem =
    token === undefined
      ? "Admin endpoints are disabled: set JUAPESA_ADMIN_TOKEN to a random secret (e.g. `openssl rand -hex 32`) and restart the bridge."
      : token.length < MIN_ADMIN_TOKEN_LENGTH
        ? `Admin endpoints are disabled: JUAPESA_ADMIN_TOKEN is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters; use a random secret (e.g. \`openssl rand -hex 32\`).`
        : undefined;
  return async (c, next) => {
    if (problem || token === undefined) return jsonError(c, 503, "admin-disabled", problem ?? "Admin endpoints are disabled.");
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const challenge = { "WWW-Authenticate": 'Bearer realm="juapesa-admin"' };
    if (!match) return jsonError(c, 401, "unauthorized", "Send the admin token as `Authorization: Bearer <token>`.", challenge);
    if (!sameSecret(match[1], token)) return jsonError(c, 401, "unauthorized", "The admin token is wrong.", challenge);
    await next();
  };
}
