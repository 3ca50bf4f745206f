/**
 * The reserve attester as its own process (`agents/reserve-attester/main.ts`), configured only through
 * its environment: it refuses a bad configuration with every problem named, and once started it
 * attests over HTTP and posts reserve reports to the chain it was pointed at.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { createAttesterClient } from "../../../agents/reserve-attester/client.js";
import { AttesterConfigError, loadAttesterConfig } from "../../../agents/reserve-attester/config.js";
import { SupplyChangeKind } from "../../../sdk/attestation.js";
import { accountIdFor } from "../../../sdk/phone.js";
import { assetForFiat, rateFor } from "../../../ussd-bridge/src/cash/rates.js";
import { collectRef } from "../../../ussd-bridge/src/cash/refs.js";
import type { Listening } from "../../../ussd-bridge/sandboxes/listen.js";
import {
  ATTESTER_TOKEN,
  cashChain,
  freshKey,
  ignitionAddresses,
  momoSandbox,
  RATES,
  rpcOver,
  settled,
  TEST_PEPPER,
  ugandan,
  type CashChain,
  type SandboxedRail,
} from "../ussd-bridge/cash/fixture.js";

/** Account 1 of Hardhat's development mnemonic (a public test key): pays for reserve reports. */
const HARDHAT_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const ATTESTER_KEYS = [0, 1, 2].map((i) => keccak256(toHex(`juapesa-test:attester-${i}`)));

describe("reserve attester configuration", () => {
  it("names every problem at once, and never a secret", () => {
    try {
      loadAttesterConfig({ JUAPESA_ATTESTER_TOKEN: "short", JUAPESA_ATTESTER_PORT: "http", JUAPESA_CHAIN_ID: "296", JUAPESA_REPORTER_KEY: "0x1234" });
      assert.fail("a bad configuration was accepted");
    } catch (error) {
      assert.ok(error instanceof AttesterConfigError);
      const text = error.problems.join("\n");
      assert.match(text, /JUAPESA_ATTESTER_TOKEN must be set/);
      assert.match(text, /JUAPESA_ATTESTER_PORT must be a whole number/);
      assert.match(text, /JUAPESA_ATTESTER_KEYS must be set: the development keys in \.keys\/ are for the local chain only/);
      assert.match(text, /JUAPESA_PEPPER/);
      assert.match(text, /JUAPESA_REPORTER_KEY must be 0x followed by 64 hex digits/);
      assert.doesNotMatch(text, /short|0x1234/);
    }
  });

  it("takes keys, token, pepper and rates from the environment", () => {
    const config = loadAttesterConfig({
      JUAPESA_ATTESTER_TOKEN: ATTESTER_TOKEN,
      JUAPESA_ATTESTER_KEYS: ATTESTER_KEYS.join(","),
      JUAPESA_PEPPER: TEST_PEPPER.toString("hex"),
      JUAPESA_CUSTODIAN_RATES: "KES=130.5",
      JUAPESA_CHAIN_ID: "296",
    });
    assert.deepEqual(config.accounts.map((a) => a.address), ATTESTER_KEYS.map((k) => privateKeyToAccount(k).address));
    assert.deepEqual(rateFor(config.rates, "KES").assetPerFiat, { num: 10n, den: 1305n });
    assert.equal(config.publicUrl, "http://127.0.0.1:8790");
  });
});

describe("reserve attester process", () => {
  let chain: CashChain;
  let momo: SandboxedRail;
  let rpc: Listening;
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let stderr = "";

  before(async () => {
    chain = await cashChain();
    momo = await momoSandbox();
    // Date the sandbox's float statements on the chain's clock, which runs ahead of the wall clock.
    const lag = Number((await chain.publicClient.getBlock()).timestamp) * 1000 - Date.now() - 2_000;
    if (lag > 0) await momo.sandbox.core.advance(lag);
    rpc = await rpcOver(chain);
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-attester-process-"));
    writeFileSync(path.join(dir, "deployed_addresses.json"), JSON.stringify(ignitionAddresses(chain)));
    const blockTime = Number((await chain.publicClient.getBlock()).timestamp) * 1000;
    writeFileSync(
      path.join(dir, "holdings.json"),
      JSON.stringify([
        { asset: "cNGN", amount: "6000000000", asOf: blockTime - 1_000, statementId: "BANK-NGN" },
        { asset: "USDC", amount: "4000000", asOf: blockTime - 1_000, statementId: "BANK-USD" },
        { asset: "XAUt", amount: "500", asOf: blockTime - 1_000, statementId: "VAULT-XAU" },
      ]),
    );
    const port = await freePort();
    child = spawn(path.resolve("node_modules/.bin/tsx"), ["agents/reserve-attester/main.ts"], {
      env: {
        PATH: process.env.PATH,
        JUAPESA_ATTESTER_TOKEN: ATTESTER_TOKEN,
        JUAPESA_ATTESTER_KEYS: ATTESTER_KEYS.join(","),
        JUAPESA_PEPPER: TEST_PEPPER.toString("hex"),
        JUAPESA_RPC_URL: rpc.url,
        JUAPESA_CHAIN_ID: String(chain.deployment.chainId),
        JUAPESA_DEPLOYMENT_FILE: path.join(dir, "deployed_addresses.json"),
        JUAPESA_ATTESTER_PORT: String(port),
        JUAPESA_ATTESTER_DB: path.join(dir, "attester.db"),
        JUAPESA_REPORTER_KEY: HARDHAT_KEY_1,
        JUAPESA_CUSTODIAN_HOLDINGS_FILE: path.join(dir, "holdings.json"),
        MOMO_BASE_URL: momo.server.url,
      },
    });
    child.stderr!.on("data", (d) => (stderr += d));
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        for (const line of out.split("\n")) {
          if (!line.startsWith("{")) continue;
          const event = JSON.parse(line) as { event: string; url?: string };
          if (event.event === "started") resolve(event.url!);
        }
      });
      child.on("exit", (code) => reject(new Error(`the attester exited with ${code}: ${stderr}`)));
    });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await momo?.close();
    await rpc?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("attests a collection its own adapter confirmed with the rail", async () => {
    const rail = momo.adapter("http://127.0.0.1:9");
    const phone = ugandan("100");
    const request = await rail.collect({ reference: freshKey("ci"), phone, amount: "5000", description: "Cash in" });
    await settled(rail, "collect", request.providerRef);
    const change = {
      kind: SupplyChangeKind.Mint,
      asset: chain.deployment.USDC,
      holder: chain.deployment.vault,
      account: accountIdFor(TEST_PEPPER, phone),
      amount: assetForFiat(rateFor(RATES, "UGX"), "5000"),
      ref: collectRef("mtn-momo", request.providerRef),
      nonce: 1n,
      deadline: (await chain.publicClient.getBlock()).timestamp + 3_600n,
    };
    const signed = await createAttesterClient({ url, token: ATTESTER_TOKEN }).attest({ rail: "mtn-momo", direction: "collect", providerRef: request.providerRef, change });
    assert.deepEqual(signed.change, change);
    assert.equal(signed.signatures.length, 2 + 2 * 65 * 2);
  });

  it("posts reserve reports from the custodian's statements", async () => {
    const answer = await fetch(`${url}/reports/run`, { method: "POST", headers: { authorization: `Bearer ${ATTESTER_TOKEN}` } });
    const { outcomes } = (await answer.json()) as { outcomes: Array<{ asset: string; status: string; detail?: string }> };
    assert.deepEqual(outcomes.map((o) => `${o.asset}:${o.status}`), ["cNGN:reported", "USDC:reported", "XAUt:reported"], JSON.stringify(outcomes));
    const [reserve, , fresh] = await chain.stack.contracts.ledger.read.latestReserve([chain.deployment.cNGN]);
    assert.equal(reserve, 6_000_000_000_000_000n);
    assert.equal(fresh, true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}
