/**
 * An OAuth access token kept until shortly before it expires, fetched by one request at a time (a burst
 * of cash-ins must not mint a burst of tokens, which providers rate-limit).
 */
export interface IssuedToken {
  accessToken: string;
  /** Seconds, as the provider says (several send it as a string). */
  expiresIn: number;
}

export interface TokenCache {
  get(): Promise<string>;
  /** Forget the token after the provider refused it, so the next call fetches a fresh one. */
  invalidate(): void;
}

/** Renew this long before the provider's expiry, so a token never dies mid-request. */
const MARGIN_MS = 60_000;

export function tokenCache(issue: () => Promise<IssuedToken>, now: () => number = Date.now): TokenCache {
  let current: { token: string; until: number } | undefined;
  let inFlight: Promise<string> | undefined;
  return {
    async get() {
      if (current && now() < current.until) return current.token;
      inFlight ??= issue()
        .then((issued) => {
          const lifetime = Math.max(0, issued.expiresIn * 1000 - MARGIN_MS);
          current = { token: issued.accessToken, until: now() + lifetime };
          return issued.accessToken;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
    invalidate() {
      current = undefined;
    },
  };
}

/** expires_in as a number of seconds, whatever type the provider sent (default one hour). */
export function secondsFrom(value: unknown, fallback = 3600): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
