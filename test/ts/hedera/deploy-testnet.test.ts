import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PrivateKey } from "@hashgraph/sdk";

import { existingIds, generatedParametersFile, hederaParameters } from "../../../scripts/hedera/deploy-testnet.js";
import { testAttesters } from "../helpers/attesters.js";
import { runScript } from "./helpers/offline.js";

const dir = mkdtempSync(path.join(tmpdir(), "juapesa-deploy-"));
const parameters = path.join(dir, "params.json");
writeFileSync(parameters, JSON.stringify({ JuaPesaLedger: { attesters: testAttesters(3).map((a) => a.address), threshold: 2 } }));
const operatorKey = PrivateKey.generateECDSA();
const issuerAdminKey = PrivateKey.generateECDSA();
after(() => rmSync(dir, { recursive: true, force: true }));

const ready = {
  HEDERA_TESTNET_RPC_URL: "https://testnet.hashio.io/api",
  HEDERA_PRIVATE_KEY: `0x${"11".repeat(32)}`,
  HEDERA_OPERATOR_ID: "0.0.1001",
  HEDERA_OPERATOR_KEY: operatorKey.toStringRaw(),
  HEDERA_ISSUER_ADMIN_KEY: issuerAdminKey.toStringRaw(),
};

describe("deploy-testnet", () => {
  it("--dry-run with everything in place checks it all and prints the plan, in dependency order", async () => {
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", parameters], ready);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /JuaPesa → Hedera testnet \(chain 296\) — DRY RUN: nothing is signed or sent/);
    for (const name of ["HEDERA_TESTNET_RPC_URL", "HEDERA_PRIVATE_KEY", "HEDERA_OPERATOR_KEY", "HEDERA_ISSUER_ADMIN_KEY"]) {
      assert.match(run.stdout, new RegExp(`✓ ${name}\\s+set \\(environment\\)`));
    }
    assert.match(run.stdout, /✓ HEDERA_OPERATOR_ID\s+0\.0\.1001/);
    assert.match(run.stdout, /✓ parameters\s+.*params\.json: 3 attester\(s\), threshold 2/);
    const steps = [
      `npx hardhat ignition deploy ignition/modules/JuaPesaLedger.ts --network hederaTestnet --parameters ${parameters}`,
      "npm run hedera:deploy-issuers",
      "npm run hedera:create-tokens -- --issuer cNGN=<issuer id> --issuer USDC=<issuer id> --issuer XAUt=<issuer id>",
      "npm run hedera:set-issuer-token -- --issuer cNGN=<issuer id> --issuer USDC=<issuer id> --issuer XAUt=<issuer id> --token cNGN=<token id> --token USDC=<token id> --token XAUt=<token id>",
      `npx hardhat ignition deploy ignition/modules/JuaPesaHedera.ts --network hederaTestnet --parameters ${path.join(dir, "params.generated.json")}`,
      "npm run hedera:associate -- --token <token id> --token <token id> --token <token id>",
      "npm run hedera:topic",
      "npm run hedera:publish -- --topic <topic id>",
    ];
    const positions = steps.map((step) => run.stdout.indexOf(step));
    assert.ok(positions.every((p) => p >= 0), `${steps.filter((_, i) => positions[i]! < 0).join("\n")}\nmissing from\n${run.stdout}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, "ledger → issuers → tokens → setToken → protocol → associations → topic");
    assert.doesNotMatch(run.stdout, /ignition\/modules\/JuaPesa\.ts/, "the ERC-20 module is not the Hedera path");
    assert.doesNotMatch(run.stdout, new RegExp(operatorKey.toStringRaw()), "keys are never echoed");
  });

  it("--dry-run with existing issuers and tokens skips their steps and fills in their ids", async () => {
    const issuers = ["cNGN=0.0.5001", "USDC=0.0.5002", "XAUt=0.0.5003"].flatMap((i) => ["--issuer", i]);
    const tokens = ["cNGN=0.0.6001", "USDC=0.0.6002", "XAUt=0.0.6003"].flatMap((t) => ["--token", t]);
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", parameters, ...issuers, ...tokens], ready);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Done: --issuer given\./);
    assert.match(run.stdout, /Done: --token given\./);
    assert.doesNotMatch(run.stdout, /npm run hedera:deploy-issuers|npm run hedera:create-tokens/);
    assert.match(run.stdout, /npm run hedera:set-issuer-token -- --issuer cNGN=0\.0\.5001 --issuer USDC=0\.0\.5002 --issuer XAUt=0\.0\.5003 --token cNGN=0\.0\.6001 --token USDC=0\.0\.6002 --token XAUt=0\.0\.6003/);
    assert.match(run.stdout, /npm run hedera:associate -- --token 0\.0\.6001 --token 0\.0\.6002 --token 0\.0\.6003/);
  });

  it("refuses with every missing variable named, and exits non-zero", async () => {
    const run = await runScript("deploy-testnet", ["--parameters", parameters], { HEDERA_OPERATOR_ID: "0.0.1001" });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✗ HEDERA_TESTNET_RPC_URL\s+missing: the JSON-RPC relay .*npx hardhat keystore set HEDERA_TESTNET_RPC_URL/);
    assert.match(run.stdout, /✗ HEDERA_PRIVATE_KEY\s+missing: /);
    assert.match(run.stdout, /✗ HEDERA_OPERATOR_KEY\s+missing: /);
    assert.match(run.stdout, /✗ HEDERA_ISSUER_ADMIN_KEY\s+missing: /);
    assert.doesNotMatch(run.stdout, /^Plan$/m, "a real run shows no plan it will not follow");
    assert.match(
      run.stderr,
      /Not ready to deploy: HEDERA_TESTNET_RPC_URL, HEDERA_PRIVATE_KEY, HEDERA_OPERATOR_KEY, HEDERA_ISSUER_ADMIN_KEY are missing or wrong/,
    );
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

  it("refuses malformed values, another network, an Ed25519 operator key, and parameters without the ledger's attesters", async () => {
    const legacy = path.join(dir, "legacy.json");
    writeFileSync(legacy, JSON.stringify({ JuaPesa: { attesters: testAttesters(1).map((a) => a.address) } }));
    const { HEDERA_ISSUER_ADMIN_KEY: _admin, ...withoutIssuerKey } = ready;
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", legacy], {
      ...withoutIssuerKey,
      HEDERA_NETWORK: "mainnet",
      HEDERA_PRIVATE_KEY: "0x1234",
      HEDERA_OPERATOR_ID: "1001",
      HEDERA_OPERATOR_KEY: PrivateKey.generateED25519().toStringDer(),
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✗ HEDERA_NETWORK\s+is mainnet; this script deploys to testnet only/);
    assert.match(run.stdout, /✗ HEDERA_PRIVATE_KEY\s+invalid: not a 0x-prefixed 32-byte hex key/);
    assert.match(run.stdout, /✗ HEDERA_OPERATOR_ID\s+invalid: "1001" is not an account id/);
    assert.match(run.stdout, /✗ HEDERA_OPERATOR_KEY\s+invalid: an ED25519 key has no EVM address; the operator key must be ECDSA/);
    assert.match(run.stdout, /✗ HEDERA_ISSUER_ADMIN_KEY\s+missing: /);
    assert.match(run.stdout, /✗ parameters\s+.*legacy\.json needs JuaPesaLedger\.attesters: the attesters' public addresses/);
    assert.doesNotMatch(run.stdout, /0x1234/, "a malformed key is not echoed either");

    const none = await runScript("deploy-testnet", ["--dry-run", "--parameters", path.join(dir, "absent.json")], ready);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /✗ parameters\s+.*absent\.json does not exist/);
  });

  it("takes existing issuers and tokens for all three tokens or none", async () => {
    assert.equal(existingIds("issuer", []), undefined);
    assert.throws(() => existingIds("issuer", ["cNGN=0.0.5001"]), /--issuer names cNGN, USDC, XAUt once each or not at all/);
    assert.throws(() => existingIds("token", ["cNGN=0x1771"]), /--token takes SYMBOL=0\.0\.x, got "cNGN=0x1771"/);
    assert.throws(() => existingIds("token", ["cNGN=0.0.1", "cNGN=0.0.2"]), /--token names cNGN twice/);
    const run = await runScript("deploy-testnet", ["--dry-run", "--parameters", parameters, "--token", "cNGN=0.0.6001", "--token", "USDC=0.0.6002", "--token", "XAUt=0.0.6003"], ready);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--token needs --issuer/);
  });
});

describe("deploy-testnet: the JuaPesaHedera parameters it writes", () => {
  it("are the given file's plus the ledger, token and issuer addresses under JuaPesa", () => {
    assert.equal(generatedParametersFile("/x/ignition/parameters/hederaTestnet.json"), "/x/ignition/parameters/hederaTestnet.generated.json");
    const given = { JuaPesaLedger: { attesters: ["0xa"] }, JuaPesa: { operator: "0xb", keeper: "0xc" } };
    const ids = (base: number) => new Map(["cNGN", "USDC", "XAUt"].map((symbol, i) => [symbol, `0.0.${base + i}`]));
    const written = hederaParameters(given, { ledger: "0x5FbDB2315678afecb367f032d93F642f64180aa3", issuers: ids(5001), tokens: ids(6001) });
    assert.deepEqual(written, {
      JuaPesaLedger: { attesters: ["0xa"] },
      JuaPesa: {
        operator: "0xb",
        keeper: "0xc",
        ledger: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        cNGNToken: "0x0000000000000000000000000000000000001771",
        cNGNIssuer: "0x0000000000000000000000000000000000001389",
        USDCToken: "0x0000000000000000000000000000000000001772",
        USDCIssuer: "0x000000000000000000000000000000000000138A",
        XAUtToken: "0x0000000000000000000000000000000000001773",
        XAUtIssuer: "0x000000000000000000000000000000000000138B",
      },
    });
  });
});
