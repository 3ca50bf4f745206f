/**
 * The order state machine: what each mode starts with, the allowed moves, and the ones refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { canTransition, initialStatus, isFinal, isSendable, OrderTransitionError, parseMode, transition, type OrderEvent } from "../../../../agents/liquidity/rebalance/modes.js";
import type { OrderStatus } from "../../../../agents/liquidity/rebalance/types.js";

const walk = (from: OrderStatus, ...events: OrderEvent[]) => events.reduce(transition, from);

describe("order modes and states", () => {
  it("starts automatic orders approved, approve-mode orders pending, paused orders held", () => {
    assert.equal(initialStatus("automatic"), "approved");
    assert.equal(initialStatus("approve"), "pending-approval");
    assert.equal(initialStatus("paused"), "held");
    assert.equal(isSendable("approved"), true);
    assert.equal(isSendable("pending-approval"), false);
    assert.equal(isSendable("held"), false);
  });

  it("walks pending-approval → approved → sent → done, and the other ends", () => {
    assert.equal(walk("pending-approval", "approve", "send", "confirm"), "done");
    assert.equal(walk("pending-approval", "approve", "send", "fail"), "failed");
    assert.equal(walk("pending-approval", "reject"), "rejected");
    assert.equal(walk("pending-approval", "expire"), "expired");
    assert.equal(walk("approved", "await-relayer", "send", "confirm"), "done");
    assert.equal(walk("held", "expire"), "expired");
    for (const s of ["done", "failed", "rejected", "expired"] as const) assert.equal(isFinal(s), true);
  });

  it("never sends an order twice, never sends a held or unapproved one, never reopens a final one", () => {
    assert.throws(() => transition("sent", "send"), (e: unknown) => {
      assert.ok(e instanceof OrderTransitionError);
      assert.equal(e.message, "An order that is sent cannot send (it can: confirm, fail).");
      return true;
    });
    assert.throws(() => transition("held", "send"), /held cannot send/);
    assert.throws(() => transition("pending-approval", "send"), /pending-approval cannot send/);
    assert.throws(() => transition("rejected", "approve"), /rejected cannot approve \(it is final\)/);
    assert.throws(() => transition("sent", "expire"), /sent cannot expire/);
    assert.equal(canTransition("done", "fail"), false);
  });

  it("parses a mode from configuration and refuses anything else", () => {
    assert.equal(parseMode("approve"), "approve");
    assert.throws(() => parseMode("manual"), /unknown mode "manual": use one of automatic, approve, paused/);
  });
});
