/**
 * `npm start`'s script, run for real: a Hardhat node on a loopback port, the Ignition deploy over
 * JSON-RPC, the seeding, the sandboxes, the reserve attester, the USSD bridge and the keeper as their own
 * processes, and the status it prints. `--once` makes it stop after printing and dialling once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts", ...args], { cwd: root });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe("npm start", () => {
  it("starts a node, deploys, seeds, starts the bridge and its services, and prints every address and the status", { timeout: 240_000 }, async () => {
    const data = mkdtempSync(path.join(tmpdir(), "juapesa-start-"));
    const sandboxPort = 20_000 + (process.pid % 2_000) * 8; // seven consecutive ports
    const ports = ["--port", String(await freePort()), "--bridge-port", String(await freePort()), "--attester-port", String(await freePort()), "--keeper-port", String(await freePort())];
    const { code, out } = await run(["--once", ...ports, "--sandbox-port", String(sandboxPort), "--data", data], 230_000);
    rmSync(data, { recursive: true, force: true });
    assert.equal(code, 0, out);
    assert.match(out, /USSD bridge\s+http:\/\/127\.0\.0\.1:\d+\/ussd\s+\(dial \*789#: "CON Welcome to JuaPesa/);
    assert.match(out, /reserve attester http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, /keeper\s+http:\/\/127\.0\.0\.1:\d+\s+\(metrics: /);
    assert.match(out, /\[keeper\] .*"event":"started".*"mode":"approve"/);
    for (const sandbox of ["mpesa", "mtn-momo", "airtel", "orange", "afrimoney", "sms", "kyc"]) assert.match(out, new RegExp(`sandbox ${sandbox}\\s+http://127.0.0.1:\\d+`));
    for (const name of ["ledger", "oracle", "pool", "router", "vault", "cNGN", "USDC", "XAUt"]) {
      assert.match(out, new RegExp(`\\b${name}\\s+0x[0-9a-fA-F]{40}`), `missing ${name} in:\n${out}`);
    }
    assert.match(out, /2-of-3 attesters/);
    assert.match(out, /USD\/NGN: 1450/);
    assert.match(out, /Pool value: \$\d/);
  });

  it("says clearly when the port is taken", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, "127.0.0.1");
    try {
      const { code, out } = await run(["--once", "--port", String(port)], 50_000);
      assert.notEqual(code, 0);
      assert.match(out, new RegExp(`port ${port}`));
    } finally {
      blocker.close();
    }
  });
});
