/**
 * Per-partner rate limits: a token bucket holding up to `burst` requests, refilled at `perMinute`.
 * A partner over its limit gets 429 with `Retry-After` (whole seconds until a token is back).
 * The buckets live in memory: one bridge process serves the API, and a restart only forgives.
 */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 30, perMinute: 120 };

export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimit {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error(`${name} must be a whole number from 1 to 1000000, got "${raw}".`);
    return value;
  };
  return { burst: read("JUAPESA_API_RATE_BURST", DEFAULT_RATE_LIMIT.burst), perMinute: read("JUAPESA_API_RATE_PER_MINUTE", DEFAULT_RATE_LIMIT.perMinute) };
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** Takes a token for `key`; when none is left, how many ms until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.now();
    const perMs = this.limit.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }
}
