import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import hre, { network } from "hardhat";
import {
  ContractCreateTransaction,
  FileAppendTransaction,
  FileCreateTransaction,
  FileDeleteTransaction,
  FileId,
  PrivateKey,
  PublicKey,
} from "@hashgraph/sdk";
import { decodeAbiParameters, getAddress, type Address } from "viem";

import {
  FILE_APPEND_CHUNK_BYTES,
  FILE_CREATE_BYTES,
  ISSUER_ARTIFACT,
  ISSUER_CREATE_GAS,
  buildFileAppend,
  buildFileCreate,
  buildFileDelete,
  buildIssuerCreate,
  issuedAssets,
  issuerBytecode,
  nextSteps,
  parseDeployIssuersArgs,
  type IssuerPlan,
} from "../../../scripts/hedera/deploy-issuers.js";
import { deploymentBlock, loadLedgerModuleAddress } from "../../../sdk/deployments.js";
import { withMargin } from "../../../sdk/gas.js";
import { HEDERA_NETWORKS } from "../../../sdk/hedera.js";
import { ASSETS } from "../../../sdk/protocol.js";
import { OPERATOR, everyBodySignedBy, runScript, signedBodies, signedRoundTrip } from "./helpers/offline.js";

const operatorKey = PrivateKey.generateECDSA();
const issuerAdminKey = PrivateKey.generateECDSA();
const fileId = FileId.fromString("0.0.7001");
const ledger: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const admin: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const artifactHex: string = JSON.parse(readFileSync(ISSUER_ARTIFACT, "utf8")).bytecode.slice(2);
const bytecode = issuerBytecode();
const ascii = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const dir = mkdtempSync(path.join(tmpdir(), "juapesa-issuers-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function plan(symbol = "cNGN"): IssuerPlan {
  return {
    asset: ASSETS.find((a) => a.symbol === symbol)!,
    ledger,
    admin,
    adminKey: issuerAdminKey.publicKey,
    gas: ISSUER_CREATE_GAS,
    autoRenewAccountId: OPERATOR,
  };
}

describe("deploy-issuers: the transactions", () => {
  it("uploads the artifact's initcode as hex text: FileCreate's part and FileAppend's chunks concatenate to it", async () => {
    assert.equal(ascii(bytecode), artifactHex, "the file holds the hex digits as ASCII, without 0x");

    const create = await signedRoundTrip(buildFileCreate(bytecode, operatorKey.publicKey), [operatorKey]);
    assert.ok(create.decoded instanceof FileCreateTransaction);
    assert.equal(create.decoded.contents?.length, FILE_CREATE_BYTES);
    const keys = create.decoded.keys ? [...create.decoded.keys] : [];
    assert.equal(keys.length, 1);
    assert.ok(keys[0] instanceof PublicKey && keys[0].equals(operatorKey.publicKey), "only the operator's key controls the file");
    assert.ok(everyBodySignedBy(create.bytes, operatorKey.publicKey));

    const append = await signedRoundTrip(buildFileAppend(bytecode, fileId)!, [operatorKey]);
    assert.ok(append.decoded instanceof FileAppendTransaction);
    assert.equal(append.decoded.fileId?.toString(), "0.0.7001");
    const chunks = Math.ceil((bytecode.length - FILE_CREATE_BYTES) / FILE_APPEND_CHUNK_BYTES);
    assert.ok(chunks > 1, "the initcode needs several appends");
    assert.equal(signedBodies(append.bytes).length, chunks, "one signed body per chunk");
    assert.ok(everyBodySignedBy(append.bytes, operatorKey.publicKey), "the operator signs every chunk");

    assert.equal(ascii(create.decoded.contents!) + ascii(append.decoded.contents!), artifactHex);
  });

  it("appends nothing when the FileCreate holds the whole initcode", () => {
    assert.equal(buildFileAppend(bytecode.subarray(0, FILE_CREATE_BYTES), fileId), undefined);
  });

  it("creates each issuer from the file with the admin key, the gas, and (ledger, admin) as constructor parameters", async () => {
    for (const asset of ASSETS) {
      const { bytes, decoded } = await signedRoundTrip(buildIssuerCreate(plan(asset.symbol), fileId), [operatorKey, issuerAdminKey]);
      assert.ok(decoded instanceof ContractCreateTransaction);
      assert.equal(decoded.bytecodeFileId?.toString(), "0.0.7001");
      assert.ok(decoded.adminKey instanceof PublicKey && decoded.adminKey.equals(issuerAdminKey.publicKey));
      assert.equal(decoded.gas?.toString(), ISSUER_CREATE_GAS.toString());
      const [ledgerArg, adminArg] = decodeAbiParameters([{ type: "address" }, { type: "address" }], decoded.constructorParameters!);
      assert.equal(ledgerArg, getAddress(ledger));
      assert.equal(adminArg, getAddress(admin));
      assert.equal(decoded.contractMemo, `JuaPesa ${asset.symbol} issuer`);
      assert.equal(decoded.autoRenewAccountId?.toString(), OPERATOR.toString());
      assert.equal(decoded.autoRenewPeriod?.seconds.toNumber(), 7_776_000);
      // Hedera requires the admin key's signature on a ContractCreate that sets it.
      assert.ok(everyBodySignedBy(bytes, issuerAdminKey.publicKey));
      assert.ok(everyBodySignedBy(bytes, operatorKey.publicKey));
    }
  });

  it("deletes the file afterwards", async () => {
    const { decoded } = await signedRoundTrip(buildFileDelete(fileId), [operatorKey]);
    assert.ok(decoded instanceof FileDeleteTransaction);
    assert.equal(decoded.fileId?.toString(), "0.0.7001");
  });

  it(
    "gives each constructor the measured deployment gas plus sdk/gas.ts's margin, no more",
    { skip: hre.globalOptions.coverage ? "gas is inflated under coverage" : false },
    async () => {
      const conn = await network.create();
      const { deploymentTransaction } = await conn.viem.sendDeploymentTransaction("HtsIssuer", [ledger, admin]);
      const { gasUsed } = await (await conn.viem.getPublicClient()).waitForTransactionReceipt({ hash: deploymentTransaction.hash });
      assert.ok(gasUsed <= ISSUER_CREATE_GAS, `the constructor needs ${gasUsed}`);
      assert.ok(ISSUER_CREATE_GAS <= withMargin(gasUsed) + 10_000n, `${ISSUER_CREATE_GAS} pads ${gasUsed} beyond the margin: update ISSUER_CREATE_GAS`);
    },
  );
});

describe("deploy-issuers: arguments", () => {
  const testnet = HEDERA_NETWORKS.testnet;

  it("takes --ledger and --admin as EVM addresses, and refuses anything else", () => {
    const options = parseDeployIssuersArgs(["--ledger", ledger.toLowerCase(), "--admin", admin], testnet, operatorKey, dir);
    assert.equal(options.ledger, getAddress(ledger));
    assert.equal(options.admin, getAddress(admin));
    assert.equal(options.gas, ISSUER_CREATE_GAS);
    assert.deepEqual(options.assets.map((a) => a.symbol), ["cNGN", "USDC", "XAUt"]);
    assert.throws(() => parseDeployIssuersArgs(["--ledger", "0.0.5001"], testnet, operatorKey, dir), /--ledger must be an EVM address \(0x and 40 hex digits\), got "0\.0\.5001"/);
    assert.throws(() => parseDeployIssuersArgs(["--ledger", ledger, "--admin", "0x1234"], testnet, operatorKey, dir), /--admin must be an EVM address/);
    assert.throws(() => parseDeployIssuersArgs(["--ledger", ledger, "--gas", "lots"], testnet, operatorKey, dir), /--gas takes a whole number/);
  });

  it("makes the ECDSA operator key's EVM address the admin unless told, and needs --admin for an Ed25519 operator", () => {
    const options = parseDeployIssuersArgs(["--ledger", ledger], testnet, operatorKey, dir);
    assert.equal(options.admin, getAddress(`0x${operatorKey.publicKey.toEvmAddress()}`));
    const ed25519 = PrivateKey.generateED25519();
    assert.throws(() => parseDeployIssuersArgs(["--ledger", ledger], testnet, ed25519, dir), /ED25519 key, which has no EVM address: pass --admin 0x…/);
    assert.equal(parseDeployIssuersArgs(["--ledger", ledger, "--admin", admin], testnet, ed25519, dir).admin, getAddress(admin));
  });

  it("finds the ledger JuaPesaLedger.ts deployed on the network's chain, or says how to deploy or name it", () => {
    assert.throws(() => parseDeployIssuersArgs([], testnet, operatorKey, dir), /No JuaPesa deployment for chain 296.*Or pass --ledger 0x…/s);
    const chainDir = path.join(dir, "ignition", "deployments", "chain-296");
    mkdirSync(chainDir, { recursive: true });
    writeFileSync(path.join(chainDir, "deployed_addresses.json"), JSON.stringify({ "JuaPesa#FxOracle": admin }));
    assert.throws(() => parseDeployIssuersArgs([], testnet, operatorKey, dir), /lacks JuaPesaLedger#AttestationLedger: deploy ignition\/modules\/JuaPesaLedger\.ts first\. Or pass --ledger/);
    writeFileSync(path.join(chainDir, "deployed_addresses.json"), JSON.stringify({ "JuaPesaLedger#AttestationLedger": ledger.toLowerCase() }));
    assert.equal(parseDeployIssuersArgs([], testnet, operatorKey, dir).ledger, getAddress(ledger));
    assert.equal(loadLedgerModuleAddress(296, dir), getAddress(ledger));
  });

  it("deploys only the named tokens' issuers, and never USDC's on mainnet", () => {
    assert.deepEqual(parseDeployIssuersArgs(["--ledger", ledger, "--symbol", "XAUt"], testnet, operatorKey, dir).assets.map((a) => a.symbol), ["XAUt"]);
    assert.deepEqual(issuedAssets(HEDERA_NETWORKS.mainnet).map((a) => a.symbol), ["cNGN", "XAUt"]);
    assert.throws(() => issuedAssets(HEDERA_NETWORKS.mainnet, ["USDC"]), /No issuer for USDC on mainnet; JuaPesa issues cNGN, XAUt there/);
    assert.throws(() => issuedAssets(testnet, ["DAI"]), /No issuer for DAI/);
  });

  it("ends with the commands that follow: tokens for these issuers, then setToken", () => {
    const lines = nextSteps([
      { symbol: "cNGN", contractId: "0.0.5001", address: "0x0000000000000000000000000000000000001389" },
      { symbol: "XAUt", contractId: "0.0.5003", address: "0x000000000000000000000000000000000000138B" },
    ]).join("\n");
    assert.match(lines, /npm run hedera:create-tokens -- --issuer cNGN=0\.0\.5001 --issuer XAUt=0\.0\.5003/);
    assert.match(lines, /npm run hedera:set-issuer-token -- --issuer cNGN=0\.0\.5001 --issuer XAUt=0\.0\.5003 --token cNGN=<token id> --token XAUt=<token id>/);
  });
});

describe("the ledger's deployment block on Hedera", () => {
  it("is the JuaPesaLedger module's receipt, since JuaPesaHedera.ts only records the ledger", () => {
    const chainDir = path.join(dir, "ignition", "deployments", "chain-297");
    mkdirSync(chainDir, { recursive: true });
    const journal = [
      { type: "TRANSACTION_CONFIRM", futureId: "JuaPesaLedger#AttestationLedger", receipt: { blockNumber: 4242 } },
      { type: "CONTRACT_AT_EXECUTION_STATE_INITIALIZE", futureId: "JuaPesa#AttestationLedger", contractAddress: ledger },
    ];
    writeFileSync(path.join(chainDir, "journal.jsonl"), journal.map((e) => JSON.stringify(e)).join("\n"));
    assert.equal(deploymentBlock(297, "ledger", dir), 4242n);
    assert.equal(deploymentBlock(297, "vault", dir), undefined);
  });
});

describe("deploy-issuers: the command", () => {
  const env = {
    HEDERA_NETWORK: "testnet",
    HEDERA_OPERATOR_ID: "0.0.1001",
    HEDERA_OPERATOR_KEY: operatorKey.toStringRaw(),
    HEDERA_ISSUER_ADMIN_KEY: issuerAdminKey.toStringDer(),
  };

  it("--dry-run prints every transaction of the plan, sends nothing and exits 0", async () => {
    const run = await runScript("deploy-issuers", ["--dry-run", "--ledger", ledger, "--admin", admin], env);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /DRY RUN on Hedera testnet \(chain 296\): nothing is signed or sent/);
    assert.match(out, new RegExp(`FileCreateTransaction\\n\\s+contents\\s+initcode bytes 0\\.\\.2048 of ${bytecode.length} \\(HtsIssuer, hex as ASCII\\)`));
    assert.match(out, new RegExp(`keys\\s+${operatorKey.publicKey.toString()} \\(HEDERA_OPERATOR_KEY`));
    assert.match(out, new RegExp(`FileAppendTransaction\\n.*\\n\\s+contents\\s+initcode bytes 2048\\.\\.${bytecode.length}, in \\d+ chunks of up to 4096 bytes`));
    for (const symbol of ["cNGN", "USDC", "XAUt"]) assert.match(out, new RegExp(`ContractCreateTransaction ${symbol} issuer`));
    assert.equal(out.match(/constructor\s+HtsIssuer\(ledger 0x5FbDB2315678afecb367f032d93F642f64180aa3, admin 0x70997970C51812dc3A010C7d01b50e0d17dc79C8\)/g)?.length, 3);
    assert.match(out, new RegExp(`admin key\\s+${issuerAdminKey.publicKey.toString()} \\(HEDERA_ISSUER_ADMIN_KEY\\)`));
    assert.match(out, /gas\s+1940000/);
    assert.match(out, /FileDeleteTransaction/);
    assert.doesNotMatch(out, new RegExp(operatorKey.toStringRaw()), "private keys are never printed");
    assert.doesNotMatch(out, new RegExp(issuerAdminKey.toStringRaw()));
  });

  it("without its environment names every missing variable and exits non-zero", async () => {
    const run = await runScript("deploy-issuers", ["--dry-run", "--ledger", ledger], { HEDERA_NETWORK: "testnet" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Missing environment:/);
    for (const name of ["HEDERA_OPERATOR_ID", "HEDERA_OPERATOR_KEY", "HEDERA_ISSUER_ADMIN_KEY"]) assert.match(run.stderr, new RegExp(`${name}: `));
  });

  it("refuses a bad --ledger before building anything", async () => {
    const run = await runScript("deploy-issuers", ["--dry-run", "--ledger", "0xnope"], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error: --ledger must be an EVM address \(0x and 40 hex digits\), got "0xnope"/);
    assert.equal(run.stdout, "");
  });
});
