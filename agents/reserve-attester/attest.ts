/**
 * One attestation: verify the request against the rail, sign, record. A receipt is attested once; an
 * identical repeat (a bridge retrying after a crash or a lost answer) gets the same signatures back,
 * and a different statement for the same receipt is refused, except to replace a statement that
 * expired without ever being used on the ledger (so at most one of the two can ever be consumed, and a
 * payment whose first statement lapsed is not stranded).
 */
import type { Hex } from "viem";

import type { SupplyChange } from "../../sdk/attestation.js";
import type { AttestationRequest } from "../../ussd-bridge/src/ports.js";
import type { StatementSigner } from "./signer.js";
import type { AttestationRecord } from "./store.js";
import { Refusal, verifyRequest, type VerifyContext } from "./verify.js";
import { sameChange } from "./wire.js";

export interface AttestDeps extends VerifyContext {
  signer: StatementSigner;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export type Attest = (req: AttestationRequest) => Promise<{ change: SupplyChange; signatures: Hex }>;

export function createAttest(deps: AttestDeps): Attest {
  const log = deps.log ?? (() => {});
  return async (req) => {
    const held = deps.store.byRef(req.change.ref);
    if (held && sameRequest(held, req)) {
      log("attest.repeat", { rail: req.rail, direction: req.direction, ref: held.ref });
      return { change: held.change, signatures: held.signatures };
    }
    const verified = await verifyRequest(req, deps);
    const signatures = await deps.signer.signSupplyChange(req.change);
    const row: AttestationRecord = {
      ...verified,
      change: req.change,
      signatures,
      digest: deps.signer.supplyChangeDigest(req.change),
      createdAt: Date.now(),
    };
    const outcome = deps.store.record(row);
    if (outcome.status !== "conflict") {
      log(outcome.status === "recorded" ? "attest.signed" : "attest.repeat", { rail: req.rail, direction: req.direction, ref: row.ref });
      return { change: outcome.record.change, signatures: outcome.record.signatures };
    }
    const { existing } = outcome;
    if (existing.ref === row.ref && (await expiredUnused(existing, deps)) && deps.store.replace(existing.digest, row)) {
      log("attest.replaced", { rail: req.rail, direction: req.direction, ref: row.ref });
      return { change: row.change, signatures };
    }
    log("attest.refused", { rail: req.rail, direction: req.direction, code: "already-attested", ref: existing.ref });
    throw new Refusal("already-attested", "Another statement was already signed for this receipt; repeat that exact statement to get its signatures.");
  };
}

async function expiredUnused(record: AttestationRecord, deps: AttestDeps): Promise<boolean> {
  if (record.change.deadline >= (await deps.chainTime())) return false;
  return !(await deps.isStatementUsed(record.digest));
}

/** The same request as the one recorded: same rail request, same purpose, same statement. */
export function sameRequest(held: AttestationRecord, req: AttestationRequest): boolean {
  return held.rail === req.rail && held.direction === req.direction && held.providerRef === req.providerRef && sameChange(held.change, req.change);
}
