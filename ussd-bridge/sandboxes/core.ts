/**
 * The simulation every rail sandbox shares: requests become transactions with a scenario chosen by a
 * magic value, a custodian float that collections fill and payouts drain, a clock that tests can move
 * forward, callbacks POSTed over real HTTP to the URL the request named, and the control endpoints
 * under `/sandbox/` (float, statement, clock, deliveries). Each rail's module only translates its own
 * request and callback shapes onto this.
 */
import type { Context, Hono } from "hono";

import { fromUnits, toUnits } from "./fiat.js";

export type Direction = "collect" | "payout";
export type TxState = "pending" | "succeeded" | "failed";

export type Scenario =
  | "success"
  | "insufficient-funds"
  | "cancelled"
  | "timeout"
  | "duplicate-callback"
  | "late-callback"
  | "wrong-pin"
  | "party-unknown";

/** Why a transaction failed, before each rail turns it into its own result code. */
export type Failure =
  | "insufficient-funds" // the customer's wallet (collect)
  | "insufficient-float" // the custodian's account (payout)
  | "cancelled"
  | "expired"
  | "wrong-pin"
  | "party-unknown"
  | "rejected-credentials"; // e.g. a B2C initiator credential the rail does not accept

/**
 * The magic values: the last three digits of the customer's number (or, where a request carries no
 * number, of the amount's whole part) pick what the simulated customer and rail do. Anything else
 * succeeds. Documented in ussd-bridge/docs/rails.md; one table, used by every rail.
 */
export const MAGIC_SUFFIXES: ReadonlyArray<{ suffix: string; scenario: Scenario; what: string }> = [
  { suffix: "001", scenario: "insufficient-funds", what: "the customer's wallet cannot cover a collection (payouts: succeed)" },
  { suffix: "002", scenario: "cancelled", what: "the customer cancels the prompt (payouts: succeed)" },
  { suffix: "003", scenario: "timeout", what: "no answer and no callback: pending until it expires, then failed" },
  { suffix: "004", scenario: "duplicate-callback", what: "succeeds and the callback is sent twice" },
  { suffix: "005", scenario: "late-callback", what: "succeeds at once, the callback comes only after lateCallbackMs on the sandbox clock" },
  { suffix: "006", scenario: "wrong-pin", what: "the customer enters a wrong PIN (payouts: succeed)" },
  { suffix: "007", scenario: "party-unknown", what: "the number has no wallet: collection and payout fail" },
];

export function scenarioFor(magic: string): Scenario {
  const digits = magic.replace(/\D/g, "");
  return MAGIC_SUFFIXES.find((m) => digits.endsWith(m.suffix))?.scenario ?? "success";
}

export interface SandboxTx {
  /** The provider's id for the request (what the adapter uses as providerRef). */
  id: string;
  direction: Direction;
  /** The merchant's own reference, as the request carried it. */
  reference?: string;
  /** Digits, as the rail received them. */
  msisdn: string;
  amount: string;
  currency: string;
  state: TxState;
  failure?: Failure;
  receipt?: string;
  scenario: Scenario;
  createdAt: number;
  settledAt?: number;
  /** Rail-specific fields (MerchantRequestID, notif_token, …). */
  data: Record<string, string>;
}

export interface CallbackTarget {
  url: string;
  body: unknown;
}

export interface Delivery {
  txId: string;
  url: string;
  status?: number;
  error?: string;
  at: number;
  body: unknown;
}

export interface StatementLine {
  providerRef: string;
  reference?: string;
  receipt?: string;
  direction: Direction;
  amount: string;
  currency: string;
  msisdn: string;
  state: TxState;
  failure?: Failure;
  at: number;
  settledAt?: number;
}

export interface SandboxOptions {
  /** The custodian account this sandbox holds (a paybill, a merchant wallet). */
  account: string;
  currency: string;
  /** The custodian's float at start, a decimal string (default 1,000,000). */
  initialFloat?: string;
  /** Sandbox-clock time the simulated customer takes to answer a prompt (default 250 ms). */
  customerDelayMs?: number;
  /** When an unanswered request expires (default 60 s, like an STK prompt). */
  expiresAfterMs?: number;
  /** How late a "late callback" comes (default 30 s). */
  lateCallbackMs?: number;
  fetch?: typeof fetch;
}

export interface OpenRequest {
  id: string;
  direction: Direction;
  reference?: string;
  msisdn: string;
  amount: string;
  /** The value whose last digits pick the scenario; the number by default. */
  magic?: string;
  /** Fails the request whatever the scenario (a check the rail makes itself). */
  failure?: Failure;
  data?: Record<string, string>;
  /** The callback(s) a settled transaction sends; none when undefined. */
  callback?: (tx: SandboxTx) => CallbackTarget | undefined;
}

export interface SandboxCore {
  readonly options: Required<Omit<SandboxOptions, "fetch">>;
  now(): number;
  /** Moves the sandbox clock forward and runs everything that became due, callbacks included. */
  advance(ms: number): Promise<void>;
  /** Waits until every due settlement and callback has run. */
  idle(): Promise<void>;
  float(): string;
  topUp(amount: string): void;
  open(request: OpenRequest, receipt: () => string): SandboxTx;
  get(id: string): SandboxTx | undefined;
  find(predicate: (tx: SandboxTx) => boolean): SandboxTx | undefined;
  all(): SandboxTx[];
  statement(from: number, to: number): StatementLine[];
  deliveries(txId?: string): Delivery[];
  /** Mounts `/sandbox/*`; `authorize` guards the float and statement (the custodian's own data). */
  mountControl(app: Hono, authorize: (c: Context) => Promise<Response | undefined>): void;
  close(): void;
}

const SCENARIO_FAILURE: Partial<Record<Scenario, Failure>> = {
  "insufficient-funds": "insufficient-funds",
  cancelled: "cancelled",
  "wrong-pin": "wrong-pin",
  "party-unknown": "party-unknown",
};

/** Scenarios that are about the paying customer; a payout goes through them. */
const COLLECT_ONLY: ReadonlySet<Scenario> = new Set(["insufficient-funds", "cancelled", "wrong-pin"]);

export function createSandboxCore(options: SandboxOptions): SandboxCore {
  const settings = {
    account: options.account,
    currency: options.currency,
    initialFloat: options.initialFloat ?? "1000000",
    customerDelayMs: options.customerDelayMs ?? 250,
    expiresAfterMs: options.expiresAfterMs ?? 60_000,
    lateCallbackMs: options.lateCallbackMs ?? 30_000,
  };
  const fetchFn = options.fetch ?? fetch;
  let offset = 0;
  const now = () => Date.now() + offset;
  let float = toUnits(settings.initialFloat);
  const txs = new Map<string, SandboxTx>();
  const order: SandboxTx[] = [];
  const deliveries: Delivery[] = [];

  // A tiny scheduler on the sandbox clock: events run in time order, one at a time.
  let seq = 0;
  const events: Array<{ at: number; seq: number; run: () => Promise<void> }> = [];
  let running: Promise<void> | undefined;
  let again = false;
  const schedule = (at: number, run: () => Promise<void>) => {
    events.push({ at, seq: seq++, run });
    if (at <= now()) setImmediate(() => void tick());
  };
  const runDue = async () => {
    for (;;) {
      const due = events.filter((e) => e.at <= now()).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) return;
      events.splice(events.indexOf(due), 1);
      try {
        await due.run();
      } catch (error) {
        console.error(`sandbox ${settings.account}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const tick = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runDue();
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const ticker = setInterval(() => void tick(), 50);
  ticker.unref();

  const deliver = async (tx: SandboxTx, target: CallbackTarget) => {
    const record: Delivery = { txId: tx.id, url: target.url, at: now(), body: target.body };
    deliveries.push(record);
    try {
      const response = await fetchFn(target.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(target.body),
        signal: AbortSignal.timeout(10_000),
      });
      record.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      // Rails do not retry a callback that could not be delivered (MoMo says so explicitly).
      record.error = error instanceof Error ? error.message : String(error);
    }
  };

  const settle = async (tx: SandboxTx, forced: Failure | undefined, callback: OpenRequest["callback"], receipt: () => string) => {
    if (tx.state !== "pending") return;
    const scenarioFailure = tx.direction === "payout" && COLLECT_ONLY.has(tx.scenario) ? undefined : SCENARIO_FAILURE[tx.scenario];
    let failure = forced ?? scenarioFailure;
    const units = toUnits(tx.amount);
    if (!failure && tx.direction === "payout" && float < units) failure = "insufficient-float";
    tx.settledAt = now();
    if (failure) {
      tx.state = "failed";
      tx.failure = failure;
    } else {
      tx.state = "succeeded";
      tx.receipt = receipt();
      float += tx.direction === "collect" ? units : -units;
    }
    const target = callback?.(tx);
    if (!target) return;
    if (tx.scenario === "late-callback") {
      schedule(now() + settings.lateCallbackMs, () => deliver(tx, target));
      return;
    }
    await deliver(tx, target);
    if (tx.scenario === "duplicate-callback") await deliver(tx, target);
  };

  const core: SandboxCore = {
    options: settings,
    now,
    async advance(ms) {
      offset += ms;
      await tick();
    },
    async idle() {
      await tick();
    },
    float: () => fromUnits(float),
    topUp(amount) {
      float += toUnits(amount);
    },
    open(request, receipt) {
      const tx: SandboxTx = {
        id: request.id,
        direction: request.direction,
        reference: request.reference,
        msisdn: request.msisdn,
        amount: fromUnits(toUnits(request.amount)),
        currency: settings.currency,
        state: "pending",
        scenario: scenarioFor(request.magic ?? request.msisdn),
        createdAt: now(),
        data: { ...request.data },
      };
      txs.set(tx.id, tx);
      order.push(tx);
      if (tx.scenario === "timeout" && !request.failure) {
        // Nobody answers: no callback, ever; the request expires on the sandbox clock.
        schedule(tx.createdAt + settings.expiresAfterMs, async () => {
          if (tx.state !== "pending") return;
          tx.state = "failed";
          tx.failure = "expired";
          tx.settledAt = now();
        });
      } else {
        schedule(tx.createdAt + settings.customerDelayMs, () => settle(tx, request.failure, request.callback, receipt));
      }
      return tx;
    },
    get: (id) => txs.get(id),
    find: (predicate) => order.find(predicate),
    all: () => [...order],
    statement(from, to) {
      return order
        .filter((tx) => tx.createdAt >= from && tx.createdAt < to)
        .map((tx) => ({
          providerRef: tx.id,
          reference: tx.reference,
          receipt: tx.receipt,
          direction: tx.direction,
          amount: tx.amount,
          currency: tx.currency,
          msisdn: tx.msisdn,
          state: tx.state,
          failure: tx.failure,
          at: tx.createdAt,
          settledAt: tx.settledAt,
        }));
    },
    deliveries: (txId) => deliveries.filter((d) => txId === undefined || d.txId === txId),
    mountControl(app, authorize) {
      app.get("/sandbox/float", async (c) => {
        const refused = await authorize(c);
        if (refused) return refused;
        return c.json({ account: settings.account, currency: settings.currency, available: fromUnits(float), asOf: now() });
      });
      app.get("/sandbox/statement", async (c) => {
        const refused = await authorize(c);
        if (refused) return refused;
        const from = Number(c.req.query("from") ?? 0);
        const to = Number(c.req.query("to") ?? now() + 1);
        if (!Number.isFinite(from) || !Number.isFinite(to)) return c.json({ error: "from and to are milliseconds since the epoch" }, 400);
        return c.json({ account: settings.account, currency: settings.currency, from, to, lines: core.statement(from, to) });
      });
      app.post("/sandbox/float/top-up", async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as { amount?: string };
        try {
          core.topUp(String(body.amount));
        } catch {
          return c.json({ error: "amount must be a decimal string" }, 400);
        }
        return c.json({ available: fromUnits(float) });
      });
      app.post("/sandbox/clock", async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as { advanceMs?: number };
        const ms = Number(body.advanceMs);
        if (!Number.isFinite(ms) || ms < 0) return c.json({ error: "advanceMs must be a non-negative number" }, 400);
        await core.advance(ms);
        return c.json({ now: now() });
      });
      app.post("/sandbox/flush", async (c) => {
        await core.idle();
        return c.json({ now: now() });
      });
      app.get("/sandbox/transactions", (c) => c.json({ transactions: core.all() }));
      app.get("/sandbox/callbacks", (c) => c.json({ deliveries: core.deliveries(c.req.query("id")) }));
      app.get("/sandbox/scenarios", (c) => c.json({ magicSuffixes: MAGIC_SUFFIXES, ...settings }));
    },
    close() {
      clearInterval(ticker);
    },
  };
  return core;
}

/** A deterministic receipt generator: a prefix and a counter in base 36, upper case, fixed length. */
export function receipts(prefix: string, length: number, start = 1): () => string {
  let n = start;
  return () => prefix + (n++).toString(36).toUpperCase().padStart(length - prefix.length, "0");
}

/** A deterministic numeric id generator (MoMo's financialTransactionId is digits). */
export function numericIds(length: number, start = 1): () => string {
  let n = start;
  return () => String(10 ** (length - 1) + n++);
}
