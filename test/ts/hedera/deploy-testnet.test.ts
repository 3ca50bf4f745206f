import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PrivateKey } from "@hashgraph/sdk";

import { testAttesters } from "../helpers/attesters.js";
import { runScript } from "./helpers/offline.js";

const dir = mkdtempSync(path.join(tmpdir(), "juapesa-deploy-"));
const parameters = path.join(dir, "params.json");
writeFileSync(parameters, JSON.stringify({ JuaPesa: { attesters: testAttesters(3).map((a) => a.address), threshold: 2 } }));
const operatorKey = PrivateKey.generateECDSA();
after(() => rmSync(dir, { recursive: true, force: true }));

const ready = {
  HEDERA_TESTNET_RPC_URL: "https://testnet.hashio.io/api",
  HEDERA_PRIVATE_KEY: `0x${"11".repeat(32)}`,
  HEDERA_OPERATOR_ID: "0.0.1001",
  HEDERA_OPERATOR_KEY: operatorKey.toStringRaw(),
};

describe("deploy-testnet", () => {
  it("--dry-run with everything in place checks it all and prints the plan", async () => {
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", parameters], ready);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /JuaPesa → Hedera testnet \(chain 296\) — DRY RUN: nothing is signed or sent/);
    for (const name of ["HEDERA_TESTNET_RPC_URL", "HEDERA_PRIVATE_KEY", "HEDERA_OPERATOR_KEY"]) {
      assert.match(run.stdout, new RegExp(`✓ ${name}\\s+set \\(environment\\)`));
    }
    assert.match(run.stdout, /✓ HEDERA_OPERATOR_ID\s+0\.0\.1001/);
    assert.match(run.stdout, /✓ parameters\s+.*params\.json: 3 attester\(s\), threshold 2/);
    assert.ok(
      run.stdout.includes(`npx hardhat ignition deploy ignition/modules/JuaPesa.ts --network hederaTestnet --parameters ${parameters}`),
      run.stdout,
    );
    assert.match(run.stdout, /npm run hedera:create-tokens -- --issuer cNGN=<id> --issuer USDC=<id> --issuer XAUt=<id>/);
    assert.match(run.stdout, /--contract vault --contract pool/);
    assert.match(run.stdout, /npm run hedera:topic/);
    assert.match(run.stdout, /npm run hedera:publish -- --topic <topic id>/);
    assert.doesNotMatch(run.stdout, new RegExp(operatorKey.toStringRaw()), "keys are never echoed");
  });

  it("refuses with every missing variable named, and exits non-zero", async () => {
    const run = await runScript("deploy-testnet", ["--parameters", parameters], { HEDERA_OPERATOR_ID: "0.0.1001" });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✗ HEDERA_TESTNET_RPC_URL\s+missing: the JSON-RPC relay .*npx hardhat keystore set HEDERA_TESTNET_RPC_URL/);
    assert.match(run.stdout, /✗ HEDERA_PRIVATE_KEY\s+missing: /);
    assert.match(run.stdout, /✗ HEDERA_OPERATOR_KEY\s+missing: /);
    assert.doesNotMatch(run.stdout, /^Plan$/m, "a real run shows no plan it will not follow");
    assert.match(run.stderr, /Not ready to deploy: HEDERA_TESTNET_RPC_URL, HEDERA_PRIVATE_KEY, HEDERA_OPERATOR_KEY are missing or wrong/);
  });

  it("finds the relay URL and the deploy key by name in Hardhat's keystore", async () => {
    const config = path.join(dir, "config");
    mkdirSync(path.join(config, "hardhat-nodejs"), { recursive: true });
    // `keystore list` reads only the names; the values would be encrypted.
    writeFileSync(path.join(config, "hardhat-nodejs", "keystore.json"), JSON.stringify({ secrets: { HEDERA_TESTNET_RPC_URL: {}, HEDERA_PRIVATE_KEY: {} } }));
    const { HEDERA_TESTNET_RPC_URL: _url, HEDERA_PRIVATE_KEY: _key, ...sdkOnly } = ready;
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", parameters], { ...sdkOnly, XDG_CONFIG_HOME: config });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ HEDERA_TESTNET_RPC_URL\s+set \(Hardhat keystore\)/);
    assert.match(run.stdout, /✓ HEDERA_PRIVATE_KEY\s+set \(Hardhat keystore\)/);
  });

  it("refuses malformed values, another network, local-only parameters, and token creation without the issuer key", async () => {
    const seeded = path.join(dir, "seeded.json");
    writeFileSync(seeded, JSON.stringify({ JuaPesa: { attesters: testAttesters(1).map((a) => a.address), seedRates: true } }));
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", seeded, "--issuer", "cNGN=0.0.5001"], {
      ...ready,
      HEDERA_NETWORK: "mainnet",
      HEDERA_PRIVATE_KEY: "0x1234",
      HEDERA_OPERATOR_ID: "1001",
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✗ HEDERA_NETWORK\s+is mainnet; this script deploys to testnet only/);
    assert.match(run.stdout, /✗ HEDERA_PRIVATE_KEY\s+invalid: not a 0x-prefixed 32-byte hex key/);
    assert.match(run.stdout, /✗ HEDERA_OPERATOR_ID\s+invalid: "1001" is not an account id/);
    assert.match(run.stdout, /✗ HEDERA_ISSUER_ADMIN_KEY\s+missing: /);
    assert.match(run.stdout, /✗ parameters\s+.*seeded\.json sets seedRates: seed rates are for local chains only/);
    assert.doesNotMatch(run.stdout, /0x1234/, "a malformed key is not echoed either");

    const none = await runScript("deploy-testnet", ["--dry-run", "--parameters", path.join(dir, "absent.json")], ready);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /✗ parameters\s+.*absent\.json does not exist/);
  });
});
