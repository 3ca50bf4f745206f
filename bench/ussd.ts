/**
 * `npm run bench:ussd`: the USSD bridge under load, against a bare Hono app measured in the same run.
 *
 * The bridge runs on loopback with everything real: an in-process chain with the deployed, seeded
 * contracts, a SQLite file, scrypt PINs, the SMS sandbox. 64 phones, each registered and funded,
 * dial *789# over and over from a load generator in its own process (bench/lib/ussd-load.ts): one
 * flow checks the balance, the other sends money to another phone. A hop is one request and its
 * screen; hops that verify a PIN (scrypt, then a chain read or a transfer) are counted apart from menu
 * hops. The same generator then drives a bare Hono app that parses the same form and answers text.
 *
 * Writes bench/results/ussd.json. Aim: ratio (bridge menu hops/s ÷ bare Hono hops/s) ≥ 0.5 and menu
 * hop p99 ≤ 50 ms.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseUnits } from "viem";

import { accountIdFor, type E164 } from "../sdk/phone.js";
import { chainFixture } from "../test/ts/ussd-bridge/money/fixture.js";
import { assembleBridge, serveBridge } from "../ussd-bridge/src/bridge.js";
import { DEFAULTS, type BridgeConfig } from "../ussd-bridge/src/config.js";
import { opIdFor } from "../ussd-bridge/src/money/op-id.js";
import type { Attester } from "../ussd-bridge/src/ports.js";
import { startSandboxes } from "../ussd-bridge/sandboxes/index.js";
import { startBareHono } from "./lib/bare-hono.js";
import type { FlowStep, LoadResult, LoadSpec } from "./lib/ussd-load.js";

const CONCURRENCY = 64;
const DURATION_MS = Number(process.env.BENCH_USSD_MS ?? 20_000);
const WARMUP_MS = 3_000;
const ROUNDS = Number(process.env.BENCH_USSD_ROUNDS ?? 3);
const ROUND_MS = Number(process.env.BENCH_USSD_ROUND_MS ?? 10_000);
const PIN = "4826";
const RECIPIENT_LOCAL = "0712349999";
const ROOT = path.resolve(import.meta.dirname, "..");

const phones = Array.from({ length: CONCURRENCY }, (_, i) => `+2547123400${String(i).padStart(2, "0")}` as E164);
const recipient = "+254712349999" as E164;

// Inputs exactly as a person types them on the bridge's menus (ussd-bridge/docs/ussd.md).
const balanceFlow: FlowStep[] = [
  { input: "", kind: "menu" }, // dial: home menu
  { input: "6", kind: "menu" }, // Balance: asks the PIN
  { input: PIN, kind: "pin" }, // PIN checked, balances read from the vault
];
const sendFlow: FlowStep[] = [
  { input: "", kind: "menu" },
  { input: "1", kind: "menu" }, // Send money: recipient
  { input: RECIPIENT_LOCAL, kind: "menu" }, // amount
  { input: "0.01", kind: "menu" }, // asset
  { input: "2", kind: "menu" }, // USDC: confirmation with fee and masked recipient
  { input: "1", kind: "menu" }, // confirm: asks the PIN
  { input: PIN, kind: "pin" }, // PIN checked, vault.transfer through the outbox
];

function runGenerator(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["bench/lib/ussd-load.ts", JSON.stringify(spec)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited with ${code}`))));
  });
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "juapesa-bench-ussd-"));
  const chain = await chainFixture();
  const sandboxes = await startSandboxes();
  const pepper = Buffer.alloc(32, 7);
  const config: BridgeConfig = {
    pepper,
    database: { sqlitePath: path.join(dir, "bridge.db") },
    chain: { rpcUrl: "in-process", chainId: chain.deployment.chainId, operatorKey: "0x", complianceKey: "0x" },
    budgetMs: DEFAULTS.budgetMs,
    defaultCountry: "KE",
    countries: DEFAULTS.countries,
    pinScrypt: DEFAULTS.pinScrypt, // production cost: PIN hops pay what they would in service
  };
  // The flows never cash in or out, so the attester is never asked; say so loudly if it is.
  const attester: Attester = { attest: () => Promise.reject(new Error("the benchmark does not cash in or out")) };
  const bridge = await assembleBridge({ config, deployment: chain.deployment, chain: { public: chain.public, wallet: chain.wallet }, attester, env: { ...process.env, ...sandboxes.env }, callbackBaseUrl: "http://127.0.0.1:9" });
  const running = await serveBridge(bridge, { pollEveryMs: 3_600_000 });

  console.log(`registering and funding ${phones.length + 1} phones …`);
  for (const phone of [...phones, recipient]) {
    const registered = await bridge.registry.register({ phone, lang: "en", pin: PIN });
    if (!registered.ok) throw new Error(`registration refused: ${registered.reason}`);
  }
  for (const phone of phones) {
    const account = accountIdFor(pepper, phone);
    const { change, signatures } = await chain.signMint(account, "USDC", parseUnits("100", 6), `bench ${phone}`);
    const outcome = await bridge.money.credit({ opId: opIdFor("rail", "bench-fund", phone), accountId: account, change, signatures });
    if (outcome.status !== "done") throw new Error(`funding failed: ${JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`);
  }

  const base = { concurrency: CONCURRENCY, durationMs: DURATION_MS, warmupMs: WARMUP_MS, serviceCode: "*789#", unexpected: "Another JuaPesa session|Continue where you left off|Invalid|locked" };
  console.log(`bridge: ${CONCURRENCY} sessions for ${DURATION_MS / 1000} s …`);
  const bridgeRun = await runGenerator({ ...base, url: `${running.url}/ussd`, phones, flows: [balanceFlow, sendFlow] });
  // Menu hops only: the Send menus up to the PIN screen, then home and Receive → My number (END), so
  // no PIN, no chain call and every session ends as a person's would.
  // Menu walks against the bare app, alternated in rounds: on a shared machine the load shifts from
  // one minute to the next, so each round's ratio compares two runs seconds apart, and the median
  // round is reported.
  const menuWalk: FlowStep[] = [...sendFlow.slice(0, 6), { input: "00", kind: "menu" }, { input: "2", kind: "menu" }, { input: "1", kind: "menu" }];
  const bare = await startBareHono();
  const rounds: Array<{ menu: LoadResult; bare: LoadResult; ratio: number }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}: bridge menu walks, then bare Hono …`);
    // Menu hops only: the Send menus up to the PIN screen, then home and Receive → My number (END), so
    // no PIN, no chain call and every session ends as a person's would.
    const menu = await runGenerator({ ...base, durationMs: ROUND_MS, url: `${running.url}/ussd`, phones, flows: [menuWalk] });
    const bareRound = await runGenerator({ ...base, durationMs: ROUND_MS, url: bare.url, phones, flows: [balanceFlow.map((s) => ({ ...s, kind: "menu" as const }))] });
    rounds.push({ menu, bare: bareRound, ratio: menu.menu.perSecond / bareRound.menu.perSecond });
  }
  await running.close();
  bare.server.close();
  await sandboxes.close();
  const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!;
  const menuRun = median.menu;
  const bareRun = median.bare;

  const result = {
    hops_per_s: round(menuRun.menu.perSecond, 1),
    p50_ms: round(menuRun.menu.p50Ms),
    p99_ms: round(menuRun.menu.p99Ms),
    bare_hono_hops_per_s: round(bareRun.menu.perSecond, 1),
    bare_hono_p99_ms: round(bareRun.menu.p99Ms),
    ratio: round(median.ratio, 3),
    rounds: rounds.map((r) => ({ hops_per_s: round(r.menu.menu.perSecond, 1), bare_hono_hops_per_s: round(r.bare.menu.perSecond, 1), ratio: round(r.ratio, 3), p99_ms: round(r.menu.menu.p99Ms) })),
    pin_hops_per_s: round(bridgeRun.pin.perSecond, 1),
    pin_p50_ms: round(bridgeRun.pin.p50Ms),
    pin_p99_ms: round(bridgeRun.pin.p99Ms),
    mixed: {
      note: "balance checks and sends interleaved: menu hops share the machine with scrypt and chain calls",
      menu_hops_per_s: round(bridgeRun.menu.perSecond, 1),
      menu_p50_ms: round(bridgeRun.menu.p50Ms),
      menu_p99_ms: round(bridgeRun.menu.p99Ms),
      pin_hops: bridgeRun.pin.count,
    },
    errors: bridgeRun.errors + rounds.reduce((n, r) => n + r.menu.errors + r.bare.errors, 0),
    malformed: bridgeRun.malformed + rounds.reduce((n, r) => n + r.menu.malformed + r.bare.malformed, 0),
    // Screens a flow should never meet (a refused second session, a resume offer): non-zero means the
    // flows did not walk the menus they meant to.
    unexpected: bridgeRun.unexpected + rounds.reduce((n, r) => n + r.menu.unexpected, 0),
    samples: [...bridgeRun.samples, ...menuRun.samples, ...bareRun.samples].slice(0, 5),
    setup: {
      concurrency: CONCURRENCY,
      duration_s: DURATION_MS / 1000,
      rounds: ROUNDS,
      round_s: ROUND_MS / 1000,
      warmup_s: WARMUP_MS / 1000,
      pin_scrypt: config.pinScrypt,
      machine: "2 cores; server and load generator each one process",
      aim: { ratio: ">= 0.5", p99_ms: "<= 50 (menu hops)" },
    },
  };
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/ussd.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

await main();
