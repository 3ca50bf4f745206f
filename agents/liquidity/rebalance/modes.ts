/**
 * What happens to an order after the plan, by mode, and the one state machine every holder of orders
 * (the keeper, its admin endpoint, its persisted state) follows:
 *
 *   automatic:  approved ──send──► sent ──confirm──► done
 *                   │                 └──fail─────► failed
 *                   └──await-relayer──► awaiting-relayer ──send──► sent     (cross-chain, until the CCTP relayer exists)
 *   approve:    pending-approval ──approve──► approved …   ──reject──► rejected
 *   paused:     held (planned and explained, never sent)
 *   any state before `sent` ──expire──► expired (a plan is only good until the next one replaces it)
 *
 * A sent order is never sent again: `sent` has no `send` edge, so a keeper that restarts and replays
 * its events cannot pay twice. Terminal states have no edges at all.
 */
import type { Mode, OrderStatus } from "./types.js";

export type OrderEvent = "approve" | "reject" | "expire" | "send" | "await-relayer" | "confirm" | "fail";

const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>>> = {
  held: { expire: "expired" },
  "pending-approval": { approve: "approved", reject: "rejected", expire: "expired" },
  approved: { send: "sent", "await-relayer": "awaiting-relayer", expire: "expired" },
  "awaiting-relayer": { send: "sent", expire: "expired" },
  sent: { confirm: "done", fail: "failed" },
  done: {},
  failed: {},
  rejected: {},
  expired: {},
};

export const MODES: readonly Mode[] = ["automatic", "approve", "paused"];

export class OrderTransitionError extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly event: OrderEvent,
  ) {
    const allowed = Object.keys(TRANSITIONS[from]);
    super(
      `An order that is ${from} cannot ${event}` +
        (allowed.length ? ` (it can: ${allowed.join(", ")})` : " (it is final)") +
        ".",
    );
    this.name = "OrderTransitionError";
  }
}

export function parseMode(value: string): Mode {
  if ((MODES as readonly string[]).includes(value)) return value as Mode;
  throw new RangeError(`unknown mode "${value}": use one of ${MODES.join(", ")}`);
}

/** The status an order starts in under `mode`. */
export function initialStatus(mode: Mode): OrderStatus {
  switch (mode) {
    case "automatic":
      return "approved";
    case "approve":
      return "pending-approval";
    case "paused":
      return "held";
  }
}

/** The status after `event`; throws OrderTransitionError for a move the machine does not allow. */
export function transition(from: OrderStatus, event: OrderEvent): OrderStatus {
  const to = TRANSITIONS[from][event];
  if (!to) throw new OrderTransitionError(from, event);
  return to;
}

export function canTransition(from: OrderStatus, event: OrderEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** Only an approved order may be sent by the keeper (an awaiting-relayer order is the relayer's to send). */
export const isSendable = (status: OrderStatus) => status === "approved";

export const isFinal = (status: OrderStatus) => Object.keys(TRANSITIONS[status]).length === 0;
