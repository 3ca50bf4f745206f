/**
 * The supply-change statements the cash service proposes to the attester, written down before they are
 * proposed (in `bridge_state`, under `cash:<reference>:<purpose>`). After a crash the bridge asks again
 * with the very same statement, which the attester answers with the same signatures; a fresh statement
 * (a new deadline) would be refused as a second statement for the same receipt. Only a statement whose
 * deadline has passed is replaced: it can no longer be used, and the attester re-signs only such a one.
 */
import { eq } from "drizzle-orm";
import type { Hex } from "viem";

import { SupplyChangeKind, type SupplyChange } from "../../../sdk/attestation.js";
import { decodeChange, encodeChange, supplyChangeSchema } from "../../../agents/reserve-attester/wire.js";
import type { Db, Tables } from "../db/open.js";
import type { AccountId } from "../ports.js";
import type { CashPurpose } from "./ids.js";

export interface StatementBook {
  /** The statement for this reference and purpose: the stored one while usable, else `build()` stored. */
  propose(reference: string, purpose: CashPurpose, build: () => SupplyChange, nowSeconds: number): Promise<SupplyChange>;
}

export function statementBook({ db, tables }: { db: Db; tables: Tables }): StatementBook {
  const state = tables.bridgeState;
  return {
    async propose(reference, purpose, build, nowSeconds) {
      const key = `cash:${reference}:${purpose}`;
      const rows = await db.select({ value: state.value }).from(state).where(eq(state.key, key));
      if (rows[0]) {
        const stored = decodeChange(supplyChangeSchema.parse(JSON.parse(rows[0].value)));
        if (stored.deadline > BigInt(nowSeconds)) return stored;
      }
      const change = build();
      const value = JSON.stringify(encodeChange(change));
      await db
        .insert(state)
        .values({ key, value, updatedAt: Date.now() })
        .onConflictDoUpdate({ target: state.key, set: { value, updatedAt: Date.now() } });
      return change;
    },
  };
}

/** A statement the vault takes for `account`: holder is the vault, account the phone's account id. */
export function cashStatement(fields: {
  kind: "mint" | "burn";
  token: Hex;
  vault: Hex;
  account: AccountId;
  amount: bigint;
  ref: Hex;
  opId: bigint;
  deadline: bigint;
}): SupplyChange {
  return {
    kind: fields.kind === "mint" ? SupplyChangeKind.Mint : SupplyChangeKind.Burn,
    asset: fields.token,
    holder: fields.vault,
    account: fields.account.toLowerCase() as Hex,
    amount: fields.amount,
    ref: fields.ref,
    // The vault operation id makes the statement unique and ties it to the operation that uses it.
    nonce: fields.opId,
    deadline: fields.deadline,
  };
}
