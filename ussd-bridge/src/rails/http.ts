/**
 * HTTP towards a provider, in one place: JSON or form bodies, the answer parsed whatever its type,
 * and errors a person can act on (which provider, which call, what it said, what to check). A request
 * body is never put into an error, because it carries phone numbers.
 */
export type Fetch = typeof fetch;

export interface ProviderAnswer {
  status: number;
  /** Parsed JSON when the body is JSON, the text otherwise ("" when empty). */
  body: unknown;
}

/** A provider refused or failed a call; `hint` says what to check. */
export class ProviderError extends Error {
  readonly provider: string;
  readonly call: string;
  readonly status?: number;
  readonly code?: string;
  constructor(provider: string, call: string, detail: { status?: number; code?: string; said?: string; hint?: string }) {
    const parts = [`${provider} ${call} failed`];
    if (detail.status !== undefined) parts.push(`(HTTP ${detail.status}${detail.code ? `, ${detail.code}` : ""})`);
    else if (detail.code) parts.push(`(${detail.code})`);
    let message = parts.join(" ");
    if (detail.said) message += `: ${detail.said}`;
    if (detail.hint) message += `. ${detail.hint}`;
    super(message);
    this.name = "ProviderError";
    this.provider = provider;
    this.call = call;
    this.status = detail.status;
    this.code = detail.code;
  }
}

/** The provider refused our credentials: nothing will work until the configuration is fixed. */
export class ProviderAuthError extends ProviderError {
  constructor(provider: string, call: string, detail: { status?: number; code?: string; said?: string; hint?: string }) {
    super(provider, call, detail);
    this.name = "ProviderAuthError";
  }
}

export interface CallOptions {
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Aborts a call that hangs; providers answer in seconds or not at all. */
  timeoutMs?: number;
}

/** Calls a provider; network failures become a ProviderError naming the provider and the call. */
export async function callProvider(fetchFn: Fetch, provider: string, call: string, url: string, options: CallOptions = {}): Promise<ProviderAnswer> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProviderError(provider, call, { said: `could not reach ${new URL(url).origin} (${reason})`, hint: "Check the base URL and that the service is up" });
  }
  const text = await response.text();
  let parsed: unknown = text;
  if (text && (response.headers.get("content-type") ?? "").includes("json")) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, body: parsed };
}

export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
}

/** A short, phone-free rendering of what a provider answered, for an error message. */
export function said(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 200);
  try {
    return JSON.stringify(body).slice(0, 300);
  } catch {
    return "unreadable answer";
  }
}

/** True for a base URL on this machine: only then may a sandbox's development credentials be used. */
export function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]" || host === "::1";
  } catch {
    return false;
  }
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
