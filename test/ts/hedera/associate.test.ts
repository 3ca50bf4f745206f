import assert from "node:assert/strict";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { AccountId, PrivateKey, TokenAssociateTransaction, TokenId } from "@hashgraph/sdk";
import { decodeFunctionData } from "viem";

import { ASSOCIATE_ABI, associateHederaTokenCall, buildTokenAssociate, parseTokenId } from "../../../scripts/hedera/associate.js";
import { ROOT, everyBodySignedBy, runScript, signedRoundTrip } from "./helpers/offline.js";

const keeper = AccountId.fromString("0.0.7001");
const cNGN = TokenId.fromString("0.0.6001");
const XAUt = TokenId.fromString("0.0.6003");

describe("associate: the TokenAssociateTransaction", () => {
  it("names the account and every token, and carries the payer's and the account's signatures", async () => {
    const payer = PrivateKey.generateECDSA();
    const account = PrivateKey.generateED25519();
    const { bytes, decoded } = await signedRoundTrip(buildTokenAssociate(keeper, [cNGN, XAUt]), [payer, account]);
    assert.ok(decoded instanceof TokenAssociateTransaction);
    assert.equal(decoded.accountId?.toString(), "0.0.7001");
    assert.deepEqual(decoded.tokenIds?.map((t) => t.toString()), ["0.0.6001", "0.0.6003"]);
    assert.ok(payer.publicKey.verifyTransaction(decoded));
    assert.ok(account.publicKey.verifyTransaction(decoded));
    assert.ok(everyBodySignedBy(bytes, payer.publicKey));
  });

  it("refuses an association with no token", () => {
    assert.throws(() => buildTokenAssociate(keeper, []), /Name at least one token/);
  });

  it("reads tokens as 0.0.x or their long-zero address", () => {
    assert.equal(parseTokenId("0.0.456858").toString(), "0.0.456858");
    assert.equal(parseTokenId("0x000000000000000000000000000000000006f89a").toString(), "0.0.456858");
    assert.throws(() => parseTokenId("USDC"), /--token must be a token id like 0\.0\.6001/);
  });
});

describe("associate: contracts associate themselves", () => {
  it("builds associateHederaToken(token) with the token's long-zero address", () => {
    const vault = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const call = associateHederaTokenCall(vault, cNGN);
    assert.equal(call.to, vault);
    assert.equal(call.token, "0x0000000000000000000000000000000000001771");
    const { functionName, args } = decodeFunctionData({ abi: ASSOCIATE_ABI, data: call.data });
    assert.equal(functionName, "associateHederaToken");
    assert.deepEqual(args, ["0x0000000000000000000000000000000000001771"]);
  });
});

describe("associate: the command", () => {
  // The test writes a chain-298 deployment record; a real one (from a local Hedera node) is set aside and restored.
  const chainDir = path.join(ROOT, "ignition/deployments/chain-298");
  const setAside = `${chainDir}.set-aside-${process.pid}`;
  const hadReal = existsSync(chainDir);
  if (hadReal) renameSync(chainDir, setAside);
  after(() => {
    rmSync(chainDir, { recursive: true, force: true });
    if (hadReal) renameSync(setAside, chainDir);
  });

  it("--dry-run prints the association as built, for another account signed by its own key", async () => {
    const run = await runScript("associate", ["--dry-run", "--token", "0.0.6001", "--token", "0.0.6003", "--account", "0.0.7001", "--key-env", "HEDERA_KEEPER_KEY"], {
      HEDERA_NETWORK: "testnet",
      HEDERA_OPERATOR_ID: "0.0.1001",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /DRY RUN on Hedera testnet/);
    assert.match(run.stdout, /account\s+0\.0\.7001/);
    assert.match(run.stdout, /tokens\s+0\.0\.6001 \(0x0000000000000000000000000000000000001771\), 0\.0\.6003/);
    assert.match(run.stdout, /signers\s+operator \(payer\), HEDERA_KEEPER_KEY \(account\)/);
  });

  it("prints the associateHederaToken calls for the deployed vault and pool instead of sending", async () => {
    // A chain-298 deployment record, as Ignition would write it after deploying to a local Hedera node.
    mkdirSync(chainDir, { recursive: true });
    const addresses = Object.fromEntries(
      ["AttestationLedger", "FxOracle", "LiquidityPool", "Router", "CustodialVault", "cNGN", "USDC", "XAUt"].map((name, i) => [
        `JuaPesa#${name}`,
        `0x${(i + 1).toString(16).padStart(40, "a")}`,
      ]),
    );
    writeFileSync(path.join(chainDir, "deployed_addresses.json"), JSON.stringify(addresses));
    const run = await runScript("associate", ["--token", "0.0.6001", "--contract", "vault", "--contract", "pool"], { HEDERA_NETWORK: "local" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /through the token service \(0x167\)/);
    assert.match(run.stdout, /contract\s+0x[aA]{39}5 \(vault\)/);
    assert.match(run.stdout, /contract\s+0x[aA]{39}3 \(pool\)/);
    assert.match(run.stdout, /function\s+associateHederaToken\(address\)/);
    assert.match(run.stdout, /calldata\s+0x6a645e07(0){60}1771/);
  });

  it("without its environment names every missing variable and exits non-zero", async () => {
    const run = await runScript("associate", ["--token", "0.0.6001", "--account", "0.0.7001", "--key-env", "HEDERA_KEEPER_KEY"], {});
    assert.equal(run.code, 1);
    assert.match(run.stderr, /HEDERA_OPERATOR_ID: /);
    assert.match(run.stderr, /HEDERA_OPERATOR_KEY: /);
    assert.match(run.stderr, /HEDERA_KEEPER_KEY: the private key of 0\.0\.7001, which must sign its association/);
  });

  it("refuses to mix a contract with an account, and a missing deployment names the file", async () => {
    const mixed = await runScript("associate", ["--token", "0.0.6001", "--contract", "vault", "--account", "0.0.7001"], {});
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, /a contract cannot sign a TokenAssociateTransaction/);
    const missing = await runScript("associate", ["--token", "0.0.6001", "--contract", "vault"], { HEDERA_NETWORK: "previewnet" });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No JuaPesa deployment for chain 297/);
  });
});
