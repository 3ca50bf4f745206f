/**
 * The README's first session, driven from the USSD menus end to end on real parts only: the bridge
 * as `assembleBridge` + `serveBridge` build it (SQLite file, HTTP on loopback), every sandbox as
 * `npm start` starts them (M-Pesa's callbacks travel over HTTP to the bridge), the reserve attester
 * in its own HTTP server checking each payment with the rail itself, and the vault on an in-process
 * chain. Two Kenyan phones register, one cashes in 1,000 KES, sends 2 USDC, the other cashes out,
 * and the balances, the vault, the rail's own records and the SMS sandbox all have to agree.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";

import { custodialVaultAbi } from "../../../../sdk/abis.generated.js";
import { accountIdFor, type E164 } from "../../../../sdk/phone.js";
import { assembleBridge, serveBridge, type Bridge, type RunningBridge } from "../../../../ussd-bridge/src/bridge.js";
import { DEFAULTS, type BridgeConfig } from "../../../../ussd-bridge/src/config.js";
import { createAttesterClient } from "../../../../agents/reserve-attester/client.js";
import { assetForFiat, rateFor } from "../../../../ussd-bridge/src/cash/rates.js";
import { mpesaRail } from "../../../../ussd-bridge/src/rails/mpesa.js";
import { SANDBOX_CREDENTIALS } from "../../../../ussd-bridge/src/rails/sandbox-credentials.js";
import { startSandboxes, type RunningSandboxes } from "../../../../ussd-bridge/sandboxes/index.js";
import { ATTESTER_TOKEN, cashChain, RATES, startTestAttester, TEST_PEPPER, type CashChain, type SandboxedRail, type TestAttester } from "../cash/fixture.js";
import { TEST_SCRYPT } from "../money/fixture.js";
import { hangUp } from "../../../../scripts/phone.js";

const SAFARICOM = "63902";
const PIN_A = "4826";
const PIN_B = "5917";
const A = "+254712345678" as E164;
const B = "+254712345679" as E164;

describe("USSD cash in, send and cash out end to end", () => {
  let chain: CashChain;
  let sandboxes: RunningSandboxes;
  let attester: TestAttester;
  let bridge: Bridge;
  let running: RunningBridge;
  let dir: string;
  let sessions = 0;

  /**
   * One dial: every input in turn, each hop posted exactly as Africa's Talking posts it, then the
   * gateway's end-of-session notice (as `npm run phone` sends it); returns the last screen.
   */
  async function dial(phone: E164, inputs: string[]): Promise<string> {
    const sessionId = `ATUid_e2e_${++sessions}`;
    const startedAt = Date.now();
    let screen = "";
    for (let i = 0; i <= inputs.length; i++) {
      const body = new URLSearchParams({ sessionId, serviceCode: "*789#", phoneNumber: phone, networkCode: SAFARICOM, text: inputs.slice(0, i).join("*") });
      const res = await fetch(`${running.url}/ussd`, { method: "POST", body });
      assert.equal(res.status, 200, `hop ${i} of ${inputs.join("*")}`);
      screen = await res.text();
      if (i < inputs.length) assert.ok(screen.startsWith("CON "), `hop ${i} of ${inputs.join("*")} ended early: ${screen}`);
    }
    await hangUp({ url: `${running.url}/ussd`, phone, serviceCode: "*789#", networkCode: SAFARICOM }, sessionId, inputs, screen, startedAt);
    return screen;
  }

  const vaultBalance = (phone: E164, asset: "USDC") =>
    chain.publicClient.readContract({ address: chain.deployment.vault, abi: custodialVaultAbi, functionName: "balanceOf", args: [accountIdFor(TEST_PEPPER, phone), chain.deployment[asset]] });

  async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await read();
      if (ok(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const messagesTo = (phone: E164) => sandboxes.sms.messages().filter((m) => m.to === phone).map((m) => m.message);

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-ussd-e2e-"));
    chain = await cashChain();
    // The simulated customer approves at once, so the test waits on the real callback path only.
    sandboxes = await startSandboxes({ simulation: { customerDelayMs: 0 } });
    const creds = SANDBOX_CREDENTIALS.mpesa;
    const mpesa: SandboxedRail = {
      rail: "mpesa",
      sandbox: sandboxes.rails.mpesa,
      server: { url: sandboxes.urls.mpesa } as SandboxedRail["server"],
      adapter: (callbackBaseUrl) => mpesaRail({ ...creds, baseUrl: sandboxes.urls.mpesa, callbackBaseUrl, statusWaitMs: 5_000 }),
      close: async () => {},
    };
    attester = await startTestAttester(chain, [mpesa]);
    const config: BridgeConfig = {
      pepper: TEST_PEPPER,
      database: { sqlitePath: path.join(dir, "bridge.db") },
      chain: { rpcUrl: "in-process", chainId: Number(await chain.publicClient.getChainId()), operatorKey: "0x", complianceKey: "0x" },
      budgetMs: DEFAULTS.budgetMs,
      defaultCountry: "KE",
      countries: DEFAULTS.countries,
      pinScrypt: TEST_SCRYPT,
    };
    // The callback base URL is the bridge's own address, so its port is chosen before it listens.
    const port = await freePort();
    bridge = await assembleBridge({
      config,
      deployment: chain.deployment,
      chain: { public: chain.publicClient, wallet: chain.admin },
      attester: createAttesterClient({ url: attester.url, token: ATTESTER_TOKEN }),
      env: { ...sandboxes.env },
      callbackBaseUrl: `http://127.0.0.1:${port}`,
    });
    running = await serveBridge(bridge, { port, pollEveryMs: 500 });
  });

  after(async () => {
    await running?.close();
    await attester?.stopAndClean();
    await sandboxes?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers two phones from the menus", async () => {
    assert.match(await dial(A, ["1", PIN_A, PIN_A, "1"]), /^CON Your account is open/);
    assert.match(await dial(B, ["1", PIN_B, PIN_B, "1"]), /^CON Your account is open/);
    assert.ok(await bridge.registry.findByPhone(A));
    assert.ok(await bridge.registry.findByPhone(B));
  });

  it("cashes in 1,000 KES through M-Pesa: STK push, callback, attested credit, SMS", async () => {
    const expected = assetForFiat(rateFor(RATES, "KES"), "1000");
    const screen = await dial(A, ["4", "1000", "1"]);
    assert.match(screen, /^END /);
    const credited = await until("the attested credit", () => vaultBalance(A, "USDC"), (v) => v > 0n);
    assert.equal(credited, expected, "the vault holds exactly the custodian's rate of 1,000 KES");
    await until("the credit SMS", async () => messagesTo(A), (m) => m.some((t) => /KES ?1,?000/.test(t)));
    // The rail's own record: one STK push for A's number, paid.
    const pushes = sandboxes.rails.mpesa.core.all().filter((p) => p.direction === "collect" && p.msisdn === A.slice(1));
    assert.equal(pushes.length, 1);
    assert.equal(pushes[0]!.state, "succeeded");
  });

  it("sends 2 USDC from A to B with the PIN, and both get an SMS", async () => {
    const before = await vaultBalance(A, "USDC");
    const screen = await dial(A, ["1", "0712345679", "2", "2", "1", PIN_A]);
    assert.match(screen, /^END /);
    assert.doesNotMatch(screen, /not sent/i);
    await until("B's 2 USDC", () => vaultBalance(B, "USDC"), (v) => v === 2_000_000n);
    assert.equal(await vaultBalance(A, "USDC"), before - 2_000_000n);
    await until("SMS to both", async () => [messagesTo(A), messagesTo(B)], ([a, b]) => a.length >= 2 && b.length >= 1);
  });

  it("shows each balance on the Balance screen after the PIN", async () => {
    assert.match(await dial(B, ["6", PIN_B]), /USDC 2\.00|2\.00 USDC/);
    const a = await vaultBalance(A, "USDC");
    const whole = (Number(a) / 1e6).toFixed(2);
    assert.match(await dial(A, ["6", PIN_A]), new RegExp(whole.replace(".", "\\.")));
  });

  it("cashes B's 1 USDC out to M-Pesa: attested debit, then the B2C payout lands on B's number", async () => {
    const screen = await dial(B, ["5", "1", "2", "1", PIN_B]);
    assert.match(screen, /^END /);
    assert.doesNotMatch(screen, /not cashed out/i);
    await until("B's debit", () => vaultBalance(B, "USDC"), (v) => v === 1_000_000n);
    const payout = await until(
      "the B2C payout",
      async () => sandboxes.rails.mpesa.core.all().filter((p) => p.direction === "payout" && p.msisdn === B.slice(1)),
      (p) => p.length === 1 && p[0]!.state === "succeeded",
    );
    assert.equal(payout.length, 1, "exactly one payout, however many callbacks");
  });

  it("refuses a cash-out larger than the balance after the PIN, and takes nothing", async () => {
    const screen = await dial(B, ["5", "20", "2", "1", PIN_B]);
    assert.match(screen, /^END Not cashed out\. Your balance is too low\. Nothing was taken\./);
    assert.equal(await vaultBalance(B, "USDC"), 1_000_000n);
    const payouts = sandboxes.rails.mpesa.core.all().filter((p) => p.direction === "payout" && p.msisdn === B.slice(1));
    assert.equal(payouts.length, 1, "no payout was asked of the rail");
  });

  it("refuses a wrong PIN on a send and moves nothing", async () => {
    const a = await vaultBalance(A, "USDC");
    const screen = await dial(A, ["1", "0712345679", "1", "2", "1", "9999"]);
    assert.match(screen, /PIN/i);
    assert.equal(await vaultBalance(A, "USDC"), a);
    assert.equal(await vaultBalance(B, "USDC"), 1_000_000n);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}
