/**
 * The USSD front door as the gateway meets it: `ussdRoutes` on a real HTTP server on loopback, over
 * the real registry and money service (bridge-money) on an in-process chain with the protocol
 * deployed and seeded, and a real SQLite database. The parts this branch does not build yet are
 * small honest stand-ins that record what they were asked: the cash service (bridge-cash), the SMS
 * sender (bridge-rails) and compliance (bridge-compliance; here a literal sanctions list and a
 * monitor that allows everything).
 *
 * `phone(number).dial()` posts hops exactly as Africa's Talking does: the same sessionId, and every
 * input so far joined by "*".
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { Hex } from "viem";

import { accountIdFor } from "../../../../sdk/phone.js";
import { createRegistry, type BridgeRegistry } from "../../../../ussd-bridge/src/accounts/registry.js";
import { openDatabase, type Database } from "../../../../ussd-bridge/src/db/open.js";
import { opIdFor } from "../../../../ussd-bridge/src/money/op-id.js";
import { createTxSender } from "../../../../ussd-bridge/src/money/sender.js";
import { createMoneyService, type BridgeMoneyService } from "../../../../ussd-bridge/src/money/service.js";
import type { AssetSymbol, CashOutcome, CashService, Compliance, E164, MoneyService, MonitoredOperation, RailId, SmsSender } from "../../../../ussd-bridge/src/ports.js";
import type { UssdConfig } from "../../../../ussd-bridge/src/ussd/deps.js";
import { ussdRoutes } from "../../../../ussd-bridge/src/ussd/routes.js";
import { chainFixture, listScreening, TEST_PEPPER, TEST_SCRYPT, type ChainFixture } from "../money/fixture.js";

export const SERVICE_CODE = "*789#";
export const SANCTIONED: E164 = "+254711000999";

export interface SentSms {
  id: string;
  to: E164;
  message: string;
}

/** Records every notice once per id, as the real sender queues it. */
export function recordingSms(): SmsSender & { sent: SentSms[]; to(phone: string): SentSms[] } {
  const sent: SentSms[] = [];
  return {
    sent,
    to: (phone) => sent.filter((s) => s.to === phone),
    async notify(id, to, message) {
      if (!sent.some((s) => s.id === id)) sent.push({ id, to, message });
    },
  };
}

export interface CashCall {
  kind: "in" | "out";
  opKey: string;
  accountId: Hex;
  phone: E164;
  rail: RailId;
  fiatAmount?: string;
  asset?: AssetSymbol;
  amount?: bigint;
}

/** Records cash requests and answers as a rail does when the request went out: the customer approves it on the phone. */
export function recordingCash(answer: (call: CashCall) => CashOutcome = (call) => ({ status: "requested", reference: call.opKey })): CashService & { calls: CashCall[] } {
  const calls: CashCall[] = [];
  return {
    calls,
    async cashIn(req) {
      const call: CashCall = { kind: "in", opKey: req.opKey, accountId: req.accountId, phone: req.phone, rail: req.rail, fiatAmount: req.fiatAmount };
      calls.push(call);
      return answer(call);
    },
    async cashOut(req) {
      const call: CashCall = { kind: "out", opKey: req.opKey, accountId: req.accountId, phone: req.phone, rail: req.rail, asset: req.asset, amount: req.amount };
      calls.push(call);
      return answer(call);
    },
    async onCallback() {},
    // 1 KES buys 0.0075 USDC (about 133 KES to the dollar), as the port defines it: whole asset units per
    // whole currency unit (the custodian's rate table, ussd-bridge/src/cash/rates.ts).
    rate: () => ({ asset: "USDC", assetPerFiat: { num: 75n, den: 10_000n } }),
  };
}

export function testCompliance(listed: readonly E164[] = [SANCTIONED]): Compliance & { reviewed: MonitoredOperation[] } {
  const reviewed: MonitoredOperation[] = [];
  return { ...listScreening(listed), reviewed, async review(op) {
    reviewed.push(op);
    return { allow: true, alerts: [] };
  } };
}

export interface BridgeOptions {
  budgetMs?: number;
  slippageBps?: number;
  sqlitePath?: string;
  cash?: CashService;
}

export interface RestartOptions {
  /** The money service the restarted bridge uses (e.g. one whose calls hang, as a dying bridge's would). */
  money?: MoneyService;
}

export interface Bridge {
  url: string;
  chain: ChainFixture;
  database: Database;
  registry: BridgeRegistry;
  money: BridgeMoneyService;
  sms: ReturnType<typeof recordingSms>;
  cash: CashService & { calls?: CashCall[] };
  compliance: ReturnType<typeof testCompliance>;
  /** Moves the bridge's clock (sessions and PIN locks) forward. */
  advance(ms: number): void;
  now(): number;
  post(path: string, body: string | URLSearchParams, contentType?: string): Promise<{ status: number; text: string }>;
  phone(number: E164, network?: string): Phone;
  /**
   * Another bridge process over the same database and parts: a new HTTP server and a new USSD
   * engine (nothing in memory carried over), as after a restart or behind a second instance.
   */
  restart(options?: RestartOptions): Promise<Bridge>;
  accountOf(number: E164): Hex;
  /** Credits an account through the vault (an attested mint, as a cash in ends). */
  fund(number: E164, asset: AssetSymbol, amount: bigint): Promise<void>;
  balanceOf(number: E164, asset: AssetSymbol): Promise<bigint>;
  close(): Promise<void>;
}

let sharedChain: Promise<ChainFixture> | undefined;

/** One chain per test file: deploying and seeding takes a few seconds. */
export function chain(): Promise<ChainFixture> {
  sharedChain ??= chainFixture();
  return sharedChain;
}

let funding = 0;

/** One send queue per operator key per process, as the bridge runs it: bridges on one chain share it. */
const senders = new WeakMap<ChainFixture, ReturnType<typeof createTxSender>>();
function senderFor(fixture: ChainFixture) {
  let sender = senders.get(fixture);
  if (!sender) senders.set(fixture, (sender = createTxSender(fixture)));
  return sender;
}

export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const fixture = await chain();
  const database = await openDatabase({ sqlitePath: options.sqlitePath ?? ":memory:" });
  let offset = 0;
  const now = () => Date.now() + offset;
  const compliance = testCompliance();
  const sender = senderFor(fixture);
  const registry = createRegistry({
    db: database.db,
    tables: database.tables,
    pepper: TEST_PEPPER,
    compliance,
    chain: { public: fixture.public, wallet: fixture.wallet, sender },
    deployment: fixture.deployment,
    pinScrypt: TEST_SCRYPT,
    budgetMs: 10_000,
    now,
  });
  const money = createMoneyService({
    db: database.db,
    tables: database.tables,
    chain: { public: fixture.public, wallet: fixture.wallet, sender },
    deployment: fixture.deployment,
    compliance,
    budgetMs: 10_000,
    log: () => {},
  });
  const sms = recordingSms();
  const cash = options.cash ?? recordingCash();
  const config: UssdConfig = { defaultCountry: "KE", budgetMs: options.budgetMs ?? 10_000, serviceCodes: [SERVICE_CODE, "*384*1234#"], slippageBps: options.slippageBps };
  const parts = { fixture, database, registry, money, sms, cash, compliance, config, now, advance: (ms: number) => void (offset += ms) };
  return serveBridge(parts, money, () => Promise.all([money.close(), database.close()]).then(() => undefined));
}

interface Parts {
  fixture: ChainFixture;
  database: Database;
  registry: BridgeRegistry;
  money: BridgeMoneyService;
  sms: ReturnType<typeof recordingSms>;
  cash: CashService & { calls?: CashCall[] };
  compliance: ReturnType<typeof testCompliance>;
  config: UssdConfig;
  now: () => number;
  advance: (ms: number) => void;
}

async function serveBridge(parts: Parts, money: MoneyService, closeParts: () => Promise<void>): Promise<Bridge> {
  const { fixture, database, registry, sms, cash, compliance, config, now } = parts;
  const app = new Hono();
  app.route("/", ussdRoutes({ db: database.db, tables: database.tables, registry, money, cash, compliance, sms, config, now }));
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function post(path: string, body: string | URLSearchParams, contentType = "application/x-www-form-urlencoded") {
    const response = await fetch(`${url}${path}`, { method: "POST", body: body.toString(), headers: { "content-type": contentType } });
    return { status: response.status, text: await response.text() };
  }

  const bridge: Bridge = {
    url,
    chain: fixture,
    database,
    registry,
    money: parts.money,
    sms,
    cash,
    compliance,
    advance: parts.advance,
    now,
    post,
    phone: (number, network = "63902") => new Phone(bridge, number, network),
    restart: (options = {}) => serveBridge(parts, options.money ?? parts.money, async () => {}),
    accountOf: (number) => accountIdFor(TEST_PEPPER, number),
    async fund(number, asset, amount) {
      const accountId = accountIdFor(TEST_PEPPER, number);
      const label = `ussd-fund-${++funding}-${randomUUID()}`;
      const { change, signatures } = await fixture.signMint(accountId, asset, amount, label);
      const outcome = await parts.money.credit({ opId: opIdFor("rail", "test-fund", label), accountId, change, signatures });
      assert.equal(outcome.status, "done", `funding failed: ${JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    },
    async balanceOf(number, asset) {
      return fixture.stack.contracts.vault.read.balanceOf([accountIdFor(TEST_PEPPER, number), fixture.deployment[asset]]);
    },
    async close() {
      (server as import("node:http").Server).closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeParts();
    },
  };
  return bridge;
}

/** A feature phone: dials, types, and sees each screen. */
export class Phone {
  constructor(
    readonly bridge: Bridge,
    readonly number: E164,
    readonly network: string,
  ) {}

  dial(sessionId = `ATUid_${randomUUID()}`): Session {
    return new Session(this, sessionId);
  }

  /**
   * Dials, types each input in turn and returns the last screen. A session left on a CON screen is
   * then closed as the gateway closes one the person left (end-of-session notice "Success"), so
   * the next dial is a fresh start rather than "another session is open".
   */
  async run(...inputs: string[]): Promise<string> {
    const session = this.dial();
    let screen = await session.start();
    for (const input of inputs) screen = await session.press(input);
    if (screen.startsWith("CON ")) await session.end("Success");
    return screen;
  }

  /** Registers this number through the menus (English, the PIN, the terms). */
  async register(pin = "4826", lang: "1" | "2" | "3" = "1"): Promise<void> {
    const screen = await this.run(lang, pin, pin, "1");
    assert.match(screen, /^CON /, screen);
    assert.ok(await this.bridge.registry.findByPhone(this.number), `${this.number} is not registered:\n${screen}`);
  }
}

export class Session {
  readonly inputs: string[] = [];
  last = "";

  constructor(
    readonly phone: Phone,
    readonly sessionId: string,
  ) {}

  get text(): string {
    return this.inputs.join("*");
  }

  async hop(text = this.text): Promise<string> {
    const form = new URLSearchParams({ sessionId: this.sessionId, serviceCode: SERVICE_CODE, phoneNumber: this.phone.number, networkCode: this.phone.network, text });
    const reply = await this.phone.bridge.post("/ussd", form);
    assert.equal(reply.status, 200, reply.text);
    this.last = reply.text;
    return reply.text;
  }

  start(): Promise<string> {
    return this.hop("");
  }

  press(input: string): Promise<string> {
    this.inputs.push(input);
    return this.hop();
  }

  /** The gateway's end-of-session notice for this session. */
  async end(status: "Success" | "Incomplete" | "Failed"): Promise<void> {
    const form = new URLSearchParams({ sessionId: this.sessionId, serviceCode: SERVICE_CODE, phoneNumber: this.phone.number, networkCode: this.phone.network, status, date: new Date().toISOString(), cost: "0", durationInMillis: "1000", hopsCount: String(this.inputs.length + 1), input: this.inputs.at(-1) ?? "", lastAppResponse: this.last, errorMessage: "" });
    const reply = await this.phone.bridge.post("/ussd/events", form);
    assert.equal(reply.status, 200, reply.text);
  }
}
