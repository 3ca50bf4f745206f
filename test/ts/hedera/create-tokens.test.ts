import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContractId, Hbar, PrivateKey, PublicKey, TokenCreateTransaction, TokenSupplyType, TokenType } from "@hashgraph/sdk";

import { HEDERA_NETWORKS } from "../../../sdk/hedera.js";
import { ASSETS } from "../../../sdk/protocol.js";
import { buildTokenCreate, parseContractId, planTokens, tokenMemo, type TokenPlan } from "../../../scripts/hedera/create-tokens.js";
import { OPERATOR, everyBodySignedBy, runScript, signedRoundTrip } from "./helpers/offline.js";

const issuer = ContractId.fromString("0.0.5001");
const operatorKey = PrivateKey.generateECDSA();
const treasuryAdminKey = PrivateKey.generateECDSA();
const defaults = { autoRenewAccountId: OPERATOR, maxFee: new Hbar(50) };

function plan(symbol: string, extra: Partial<TokenPlan> = {}): TokenPlan {
  const [only] = planTokens(HEDERA_NETWORKS.testnet, new Map([[symbol, issuer]]), { ...defaults, ...extra });
  return only!;
}

async function decoded(p: TokenPlan): Promise<{ tx: TokenCreateTransaction; bytes: Uint8Array }> {
  const { bytes, decoded } = await signedRoundTrip(buildTokenCreate(p, operatorKey), [operatorKey, treasuryAdminKey]);
  assert.ok(decoded instanceof TokenCreateTransaction);
  return { tx: decoded, bytes };
}

describe("create-tokens: the TokenCreateTransaction", () => {
  for (const asset of ASSETS) {
    it(`${asset.symbol}: survives freeze, signing and serialisation with every field intact`, async () => {
      const { tx } = await decoded(plan(asset.symbol));
      assert.equal(tx.tokenName, asset.name);
      assert.equal(tx.tokenSymbol, asset.symbol);
      assert.equal(tx.decimals?.toNumber(), 6);
      assert.equal(tx.initialSupply?.toNumber(), 0);
      assert.equal(tx.tokenType, TokenType.FungibleCommon);
      assert.equal(tx.treasuryAccountId?.toString(), "0.0.5001");
      assert.ok(tx.supplyKey instanceof ContractId, "the supply key is a ContractId key");
      assert.equal(tx.supplyKey.toString(), issuer.toString());
      assert.equal(tx.supplyType, TokenSupplyType.Infinite);
      assert.equal(tx.tokenMemo, tokenMemo(asset.symbol));
      assert.equal(tx.autoRenewAccountId?.toString(), OPERATOR.toString());
      assert.equal(tx.autoRenewPeriod?.seconds.toNumber(), 7_776_000);
      assert.equal(tx.freezeDefault, false);
      assert.equal(tx.maxTransactionFee?.toString(), new Hbar(50).toString());
    });
  }

  it("has no admin, KYC, freeze or pause key unless asked", async () => {
    const { tx } = await decoded(plan("cNGN"));
    assert.equal(tx.adminKey, null);
    assert.equal(tx.kycKey, null);
    assert.equal(tx.freezeKey, null);
    assert.equal(tx.pauseKey, null);
  });

  it("puts optional keys on the issuer contract or the operator, as flagged", async () => {
    const { tx } = await decoded(plan("cNGN", { kycKey: "issuer", freezeKey: "operator", pauseKey: "issuer", adminKey: "operator" }));
    assert.ok(tx.kycKey instanceof ContractId && tx.kycKey.toString() === "0.0.5001");
    assert.ok(tx.pauseKey instanceof ContractId && tx.pauseKey.toString() === "0.0.5001");
    assert.ok(tx.freezeKey instanceof PublicKey && tx.freezeKey.equals(operatorKey.publicKey));
    assert.ok(tx.adminKey instanceof PublicKey && tx.adminKey.equals(operatorKey.publicKey));
  });

  it("caps supply only when --max-supply asks for a finite token", async () => {
    const { tx } = await decoded(plan("XAUt", { maxSupply: 1_000_000_000n }));
    assert.equal(tx.supplyType, TokenSupplyType.Finite);
    assert.equal(tx.maxSupply?.toString(), "1000000000");
    assert.throws(() => plan("XAUt", { maxSupply: 1n << 63n }), /--max-supply must be between 1 and/);
    assert.throws(() => plan("XAUt", { maxSupply: 0n }), /--max-supply/);
  });

  it("carries the payer's and the treasury's signatures, which verify against their public keys", async () => {
    const { bytes, tx } = await decoded(plan("cNGN"));
    assert.ok(operatorKey.publicKey.verifyTransaction(tx));
    assert.ok(treasuryAdminKey.publicKey.verifyTransaction(tx));
    assert.ok(everyBodySignedBy(bytes, operatorKey.publicKey));
    assert.ok(everyBodySignedBy(bytes, treasuryAdminKey.publicKey));
    assert.equal(everyBodySignedBy(bytes, PrivateKey.generateECDSA().publicKey), false, "a stranger's key verifies nothing");
  });

  it("needs the operator's key for an operator-held token key", () => {
    assert.throws(() => buildTokenCreate(plan("cNGN", { kycKey: "operator" })), /--kyc-key operator needs HEDERA_OPERATOR_KEY/);
  });
});

describe("create-tokens: planning", () => {
  it("refuses to issue USDC on mainnet, where Circle's 0.0.456858 is USDC", () => {
    assert.throws(
      () => planTokens(HEDERA_NETWORKS.mainnet, new Map([["USDC", issuer]]), defaults),
      /USDC on mainnet is Circle's native token 0\.0\.456858 \(0x000000000000000000000000000000000006f89a\)/,
    );
    assert.equal(planTokens(HEDERA_NETWORKS.mainnet, new Map([["cNGN", issuer]]), defaults).length, 1);
    for (const network of ["testnet", "previewnet", "local"] as const) {
      assert.equal(planTokens(HEDERA_NETWORKS[network], new Map([["USDC", issuer]]), defaults)[0]!.asset.symbol, "USDC");
    }
  });

  it("refuses unknown symbols and an empty issuer list", () => {
    assert.throws(() => planTokens(HEDERA_NETWORKS.testnet, new Map([["DAI", issuer]]), defaults), /Unknown token DAI/);
    assert.throws(() => planTokens(HEDERA_NETWORKS.testnet, new Map(), defaults), /Name at least one issuer/);
  });

  it("reads issuer ids as 0.0.x or long-zero addresses, and explains how to find an EVM-derived one", () => {
    assert.equal(parseContractId("0.0.5001", "x").toString(), "0.0.5001");
    assert.equal(parseContractId("0x0000000000000000000000000000000000001389", "x").toString(), "0.0.5001");
    assert.throws(() => parseContractId("0x5FbDB2315678afecb367f032d93F642f64180aa3", "--issuer cNGN"), /mirror node: GET <mirror>\/api\/v1\/contracts\/<address>/);
  });
});

describe("create-tokens: the command", () => {
  it("--dry-run prints each transaction as built and sends nothing", async () => {
    const run = await runScript("create-tokens", ["--dry-run", "--issuer", "cNGN=0.0.5001", "--issuer", "XAUt=0.0.5003", "--pause-key", "issuer"], {
      HEDERA_NETWORK: "testnet",
      HEDERA_OPERATOR_ID: "0.0.1001",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /DRY RUN on Hedera testnet \(chain 296\): nothing is signed or sent/);
    assert.match(run.stdout, /TokenCreateTransaction cNGN\n\s+name\s+Compliant Naira/);
    assert.match(run.stdout, /TokenCreateTransaction XAUt/);
    assert.doesNotMatch(run.stdout, /TokenCreateTransaction USDC/, "only named tokens are created");
    assert.match(run.stdout, /treasury\s+0\.0\.5001 \(the issuer contract\)/);
    assert.match(run.stdout, /supply key\s+ContractId 0\.0\.5003 \(the issuer contract\)/);
    assert.match(run.stdout, /decimals\s+6/);
    assert.match(run.stdout, /supply type\s+infinite/);
    assert.match(run.stdout, /admin key\s+none/);
    assert.match(run.stdout, /pause key\s+ContractId 0\.0\.5001/);
    assert.match(run.stdout, /auto-renew\s+0\.0\.1001 every 7776000 s/);
    assert.match(run.stdout, /memo\s+"JuaPesa cNGN: minted and burned only against attested statements"/);
  });

  it("without its environment names every missing variable and exits non-zero", async () => {
    const run = await runScript("create-tokens", ["--issuer", "cNGN=0.0.5001"], { HEDERA_NETWORK: "testnet" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Missing environment:/);
    assert.match(run.stderr, /HEDERA_OPERATOR_ID: the account that pays/);
    assert.match(run.stderr, /HEDERA_OPERATOR_KEY: /);
    assert.match(run.stderr, /HEDERA_ISSUER_ADMIN_KEY: the issuer contract's admin key/);
  });

  it("refuses mainnet USDC and unknown networks before touching anything", async () => {
    const usdc = await runScript("create-tokens", ["--dry-run", "--issuer", "USDC=0.0.5001"], { HEDERA_NETWORK: "mainnet", HEDERA_OPERATOR_ID: "0.0.1001" });
    assert.equal(usdc.code, 1);
    assert.match(usdc.stderr, /Circle's native token 0\.0\.456858/);
    const unknown = await runScript("create-tokens", ["--dry-run", "--issuer", "cNGN=0.0.5001"], { HEDERA_NETWORK: "devnet", HEDERA_OPERATOR_ID: "0.0.1001" });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /HEDERA_NETWORK=devnet is not a Hedera network; use one of testnet, mainnet, previewnet, local/);
  });
});
