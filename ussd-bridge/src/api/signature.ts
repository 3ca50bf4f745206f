/**
 * Partner request signatures: HMAC-SHA256 over the timestamp, the method, the path and a hash of
 * the body, so a request cannot be forged, altered, or replayed outside a short window.
 *
 *   X-JuaPesa-Partner:   <partner id>
 *   X-JuaPesa-Timestamp: <unix seconds>            (within ±300 s of the bridge's clock)
 *   X-JuaPesa-Signature: hex(HMAC-SHA256(secret, `${timestamp}\n${METHOD}\n${pathAndQuery}\n${hex(SHA-256(body))}`))
 *
 * `secret` is the partner's secret as bytes (its hex decoded); `pathAndQuery` is the request target
 * as sent ("/api/transfers", "/api/transfers/0x…?x=1"); an empty body hashes as SHA-256 of "".
 * A replay within the window is harmless: GETs change nothing and POSTs carry an Idempotency-Key.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_WINDOW_S = 300;
export const HEADER_PARTNER = "X-JuaPesa-Partner";
export const HEADER_TIMESTAMP = "X-JuaPesa-Timestamp";
export const HEADER_SIGNATURE = "X-JuaPesa-Signature";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The exact text a partner signs. */
export function stringToSign(timestamp: string, method: string, pathAndQuery: string, body: string | Uint8Array): string {
  return `${timestamp}\n${method.toUpperCase()}\n${pathAndQuery}\n${sha256Hex(body)}`;
}

export function sign(secret: Uint8Array, timestamp: string, method: string, pathAndQuery: string, body: string | Uint8Array): string {
  return createHmac("sha256", secret).update(stringToSign(timestamp, method, pathAndQuery, body)).digest("hex");
}

/** The three headers for a request, as a partner's client computes them. */
export function signedHeaders(partner: string, secret: Uint8Array, method: string, pathAndQuery: string, body: string, nowSeconds: number): Record<string, string> {
  const timestamp = String(Math.floor(nowSeconds));
  return {
    [HEADER_PARTNER]: partner,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: sign(secret, timestamp, method, pathAndQuery, body),
  };
}

export type SignatureCheck =
  | { ok: true; partner: string }
  | { ok: false; code: "unauthenticated" | "unknown-partner" | "stale-timestamp" | "bad-signature"; message: string };

export function verifySignature(
  partners: ReadonlyMap<string, Uint8Array>,
  request: { partner?: string; timestamp?: string; signature?: string; method: string; pathAndQuery: string; body: string | Uint8Array },
  nowSeconds: number,
): SignatureCheck {
  const { partner, timestamp, signature } = request;
  if (!partner || !timestamp || !signature) {
    return { ok: false, code: "unauthenticated", message: `Sign the request: send ${HEADER_PARTNER}, ${HEADER_TIMESTAMP} and ${HEADER_SIGNATURE} (see docs/api.md).` };
  }
  const secret = partners.get(partner);
  if (!secret) return { ok: false, code: "unknown-partner", message: `${HEADER_PARTNER} names no partner this bridge knows.` };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Number(timestamp) - nowSeconds) > SIGNATURE_WINDOW_S) {
    return {
      ok: false,
      code: "stale-timestamp",
      message: `${HEADER_TIMESTAMP} must be the current time in unix seconds, within ${SIGNATURE_WINDOW_S} s of the bridge's clock (it is ${Math.floor(nowSeconds)}).`,
    };
  }
  const expected = Buffer.from(sign(secret, timestamp, request.method, request.pathAndQuery, request.body), "hex");
  const given = /^[0-9a-fA-F]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(32);
  // Compared in constant time; a malformed signature is compared too, against zeros, so it takes as long.
  if (!timingSafeEqual(expected, given) || !/^[0-9a-fA-F]{64}$/.test(signature)) {
    return {
      ok: false,
      code: "bad-signature",
      message: `${HEADER_SIGNATURE} does not match: sign "\${timestamp}\\n\${METHOD}\\n\${path}\\n\${sha256hex(body)}" with your secret (docs/api.md has an example).`,
    };
  }
  return { ok: true, partner };
}
