/**
 * The bridge's client for the reserve attester (the `Attester` port). A refusal comes back as an
 * AttestationRefusedError whose `code` says whether to wait (rail-pending, rail-unreachable,
 * unreachable) or give up (everything else).
 */
import type { Hex } from "viem";

import type { Attester } from "../../ussd-bridge/src/ports.js";
import { attestationResponseSchema, decodeChange, encodeRequest, refusalSchema, type RefusalCode } from "./wire.js";

export type ClientRefusalCode = RefusalCode | "unauthorized" | "unreachable" | "internal";

export class AttestationRefusedError extends Error {
  constructor(
    readonly code: ClientRefusalCode,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "AttestationRefusedError";
  }

  /** The same request may succeed later: the rail or the attester was not ready. */
  get retryable(): boolean {
    return this.code === "rail-pending" || this.code === "rail-unreachable" || this.code === "unreachable" || this.code === "internal";
  }
}

export function createAttesterClient(options: { url: string; token: string; timeoutMs?: number }): Attester {
  const endpoint = new URL("/attest", options.url).toString();
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async attest(req) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${options.token}` },
          body: JSON.stringify(encodeRequest(req)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AttestationRefusedError("unreachable", `The reserve attester at ${endpoint} did not answer (${reason}).`);
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (res.ok) {
        const parsed = attestationResponseSchema.safeParse(body);
        if (!parsed.success) throw new AttestationRefusedError("internal", "The reserve attester answered with something that is not an attestation.", res.status);
        return { change: decodeChange(parsed.data.change), signatures: parsed.data.signatures as Hex };
      }
      if (res.status === 401) throw new AttestationRefusedError("unauthorized", "The reserve attester refused the token: check JUAPESA_ATTESTER_TOKEN on both sides.", 401);
      const refusal = refusalSchema.safeParse(body);
      if (!refusal.success) throw new AttestationRefusedError("internal", `The reserve attester answered HTTP ${res.status}.`, res.status);
      throw new AttestationRefusedError(refusal.data.error as ClientRefusalCode, refusal.data.message, res.status);
    },
  };
}
