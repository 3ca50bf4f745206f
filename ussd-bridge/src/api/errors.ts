/**
 * The one error shape of the bridge's JSON endpoints (partner API and admin):
 * `{ "error": { "code": "...", "message": "..." } }`. The code is stable for programs; the message
 * says what was wrong and what to do, and never carries a phone number, a PIN or a name.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string, headers?: Record<string, string>): Response {
  return c.json(errorBody(code, message), status, headers);
}

/** An error thrown deep in a handler that should reach the client as a 4xx, not a 500. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}
