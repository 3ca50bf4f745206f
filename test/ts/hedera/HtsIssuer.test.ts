import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hre, { network } from "hardhat";
import { getAddress, keccak256, maxUint256, toFunctionSelector, toHex, zeroAddress, zeroHash, type Address, type Hex } from "viem";

import { reserveReport, sign, supplyChange, SupplyChangeKind, testAttesters } from "../helpers/attesters.js";
import { contractKey, createToken, hederaToken, HTS_ADDRESS, installHts, KEY, MAX_INT64, RC } from "./hts.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const [admin, alice, bob, operator, routerStandIn, outsider] = await viem.getWalletClients();
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const attesters = testAttesters(3);
const [a0, a1] = attesters as [(typeof attesters)[0], (typeof attesters)[0]];

const DAY = 86_400n;
const UNIT = 1_000_000n; // cNGN has 6 decimals
const RESERVE = 1_000_000n * UNIT;
const PAUSER = keccak256(toHex("juapesa.role.pauser"));
const OPERATOR = keccak256(toHex("juapesa.role.operator"));
const ADMIN = zeroHash;
const MINT = toFunctionSelector("mintToken(address,int64,bytes[])");
const BURN = toFunctionSelector("burnToken(address,int64,int64[])");
const ASSOCIATE = toFunctionSelector("associateToken(address,address)");
const gasCheck = { skip: hre.globalOptions.coverage ? "gas is inflated under coverage" : false };

const asAlice = { account: alice.account };
const asOperator = { account: operator.account };
const accountId = (label: string): Hex => keccak256(toHex(`phone:${label}`));
const A = accountId("+234800000001");
const B = accountId("+234800000002");

async function now() {
  return BigInt(await networkHelpers.time.latest());
}

/** The ledger, an issuer, and a cNGN-like HTS token with the issuer as treasury and supply key. */
async function deployIssuer() {
  await installHts(conn);
  const ledger = await viem.deployContract("AttestationLedger", [
    admin.account.address,
    attesters.map((a) => a.address),
    2n,
    DAY,
  ]);
  const domain = { chainId, verifyingContract: ledger.address };
  const issuer = await viem.deployContract("HtsIssuer", [ledger.address, admin.account.address]);
  const token = await createToken(conn, hederaToken(issuer.address, [contractKey(KEY.SUPPLY, issuer.address)]));
  await issuer.write.setToken([token.address]);
  await report(ledger, domain, issuer.address, RESERVE);
  return { ledger, domain, issuer, token };
}

type Fixture = Awaited<ReturnType<typeof deployIssuer>>;

async function report(ledger: Fixture["ledger"], domain: Fixture["domain"], asset: Address, reserve: bigint) {
  const r = reserveReport(asset, reserve, await now());
  await ledger.write.submitReserveReport([r, await sign([a0, a1], domain, "ReserveReport", r)]);
}

/** A signed supply change whose asset is the issuer (the attested asset id of an HTS token). */
async function statement(
  f: { domain: Fixture["domain"]; issuer: { address: Address } },
  kind: SupplyChangeKind,
  holder: Address,
  amount: bigint,
  account: Hex = zeroHash,
) {
  const change = supplyChange(kind, f.issuer.address, holder, amount, (await now()) + 600n, account);
  return [change, await sign([a0, a1], f.domain, "SupplyChange", change)] as const;
}

/** Alice is associated and holds 1,000 cNGN from an attested mint. */
async function deployWithHolder() {
  const f = await deployIssuer();
  await f.token.write.associate(asAlice);
  await f.issuer.write.mint([...(await statement(f, SupplyChangeKind.Mint, alice.account.address, 1_000n * UNIT))]);
  return f;
}

/** A second issuer for `keys`/`treasury` variations of the token, with a fresh reserve of its own. */
async function variantIssuer(f: Fixture, tokenFor: (issuer: Address) => ReturnType<typeof hederaToken>) {
  const issuer = await viem.deployContract("HtsIssuer", [f.ledger.address, admin.account.address]);
  const token = await createToken(conn, tokenFor(issuer.address));
  await issuer.write.setToken([token.address]);
  await report(f.ledger, f.domain, issuer.address, RESERVE);
  await token.write.associate(asAlice);
  return { issuer, token, domain: f.domain };
}

describe("HtsIssuer", () => {
  describe("deployment and token", () => {
    it("refuses a zero ledger or admin", async () => {
      const { ledger, issuer } = await networkHelpers.loadFixture(deployIssuer);
      for (const args of [
        [zeroAddress, admin.account.address],
        [ledger.address, zeroAddress],
      ] as const) {
        await viem.assertions.revertWithCustomError(viem.deployContract("HtsIssuer", args), issuer, "ZeroAddress");
      }
    });

    it("knows its ledger, gives the admin the admin and pauser roles, and has no token until one is set", async () => {
      const { ledger } = await networkHelpers.loadFixture(deployIssuer);
      const issuer = await viem.deployContract("HtsIssuer", [ledger.address, admin.account.address]);
      assert.equal(getAddress(await issuer.read.ledger()), getAddress(ledger.address));
      assert.equal(await issuer.read.hasRole([ADMIN, admin.account.address]), true);
      assert.equal(await issuer.read.hasRole([PAUSER, admin.account.address]), true);
      assert.equal(await issuer.read.token(), zeroAddress);
      assert.equal(await issuer.read.totalSupply(), 0n);
    });

    it("sets its token once, emitting TokenSet, and refuses the zero address or a second token", async () => {
      const { ledger, token } = await networkHelpers.loadFixture(deployIssuer);
      const issuer = await viem.deployContract("HtsIssuer", [ledger.address, admin.account.address]);
      await viem.assertions.revertWithCustomError(issuer.write.setToken([zeroAddress]), issuer, "ZeroAddress");
      await viem.assertions.emitWithArgs(issuer.write.setToken([token.address]), issuer, "TokenSet", [
        getAddress(token.address),
      ]);
      assert.equal(getAddress(await issuer.read.token()), getAddress(token.address));
      await viem.assertions.revertWithCustomErrorWithArgs(issuer.write.setToken([bob.account.address]), issuer, "TokenAlreadySet", [
        getAddress(token.address),
      ]);
    });

    it("lets only the admin set the token", async () => {
      const { ledger, token } = await networkHelpers.loadFixture(deployIssuer);
      const issuer = await viem.deployContract("HtsIssuer", [ledger.address, admin.account.address]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        issuer.write.setToken([token.address], { account: outsider.account }),
        issuer,
        "AccessControlUnauthorizedAccount",
        [getAddress(outsider.account.address), ADMIN],
      );
    });

    it("refuses to mint or burn before its token is set", async () => {
      const f = await networkHelpers.loadFixture(deployIssuer);
      const issuer = await viem.deployContract("HtsIssuer", [f.ledger.address, admin.account.address]);
      const mint = await statement({ domain: f.domain, issuer }, SupplyChangeKind.Mint, alice.account.address, 1n);
      await viem.assertions.revertWithCustomError(issuer.write.mint([...mint]), issuer, "TokenNotSet");
      const burn = await statement({ domain: f.domain, issuer }, SupplyChangeKind.Burn, alice.account.address, 1n);
      await viem.assertions.revertWithCustomError(issuer.write.burn([...burn], asAlice), issuer, "TokenNotSet");
    });
  });

  describe("attested mint", () => {
    it("mints through HTS into the treasury and on to the associated holder; anyone may relay", async () => {
      const f = await networkHelpers.loadFixture(deployIssuer);
      await f.token.write.associate(asAlice);
      const [change, sigs] = await statement(f, SupplyChangeKind.Mint, alice.account.address, 250n * UNIT);
      const id = await f.ledger.read.supplyChangeDigest([change]);
      await viem.assertions.emitWithArgs(f.issuer.write.mint([change, sigs], { account: bob.account }), f.issuer, "AttestedMint", [
        id,
        getAddress(alice.account.address),
        zeroHash,
        250n * UNIT,
      ]);
      assert.equal(await f.token.read.balanceOf([alice.account.address]), 250n * UNIT);
      assert.equal(await f.token.read.balanceOf([f.issuer.address]), 0n);
      assert.equal(await f.token.read.totalSupply(), 250n * UNIT);
      assert.equal(await f.issuer.read.totalSupply(), 250n * UNIT);
      assert.equal(await f.ledger.read.isStatementUsed([id]), true);
    });

    it("refuses a mint that would take supply above the fresh reserve, and loses nothing", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const over = await statement(f, SupplyChangeKind.Mint, alice.account.address, RESERVE - 1_000n * UNIT + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.mint([...over]), f.issuer, "SupplyExceedsReserve", [
        RESERVE + 1n,
        RESERVE,
      ]);
      assert.equal(await f.token.read.totalSupply(), 1_000n * UNIT);
      const exact = await statement(f, SupplyChangeKind.Mint, alice.account.address, RESERVE - 1_000n * UNIT);
      await f.issuer.write.mint([...exact]);
      assert.equal(await f.token.read.totalSupply(), RESERVE);
    });

    it("refuses to mint once the reserve report is stale", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await networkHelpers.time.increase(Number(DAY) + 1);
      const change = await statement(f, SupplyChangeKind.Mint, alice.account.address, 1n);
      await viem.assertions.revertWithCustomError(f.issuer.write.mint([...change]), f.ledger, "NoFreshReserve");
    });

    it("refuses a replayed statement", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const change = await statement(f, SupplyChangeKind.Mint, alice.account.address, 5n);
      await f.issuer.write.mint([...change]);
      await viem.assertions.revertWithCustomError(f.issuer.write.mint([...change]), f.ledger, "StatementAlreadyUsed");
      assert.equal(await f.token.read.totalSupply(), 1_000n * UNIT + 5n);
    });

    it("refuses a burn statement, and a statement naming the token's facade rather than the issuer", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const burn = await statement(f, SupplyChangeKind.Burn, alice.account.address, 1n);
      await viem.assertions.revertWithCustomError(f.issuer.write.mint([...burn]), f.issuer, "WrongStatementKind");
      const change = supplyChange(SupplyChangeKind.Mint, f.token.address, alice.account.address, 1n, (await now()) + 600n);
      const sigs = await sign([a0, a1], f.domain, "SupplyChange", change);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.mint([change, sigs]), f.issuer, "WrongStatementAsset", [
        getAddress(f.token.address),
      ]);
    });

    it("lets only the holder submit a mint into a vault sub-account", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const change = await statement(f, SupplyChangeKind.Mint, alice.account.address, 1n, A);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.issuer.write.mint([...change], { account: bob.account }),
        f.issuer,
        "CallerNotHolder",
        [getAddress(bob.account.address), getAddress(alice.account.address)],
      );
      await f.issuer.write.mint([...change], asAlice);
      assert.equal(await f.token.read.balanceOf([alice.account.address]), 1_000n * UNIT + 1n);
    });

    it("fails as the network does when the holder is not associated, consuming nothing", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const [change, sigs] = await statement(f, SupplyChangeKind.Mint, bob.account.address, 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.mint([change, sigs]), f.token, "HtsFailure", [
        RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT,
      ]);
      assert.equal(await f.ledger.read.isStatementUsed([await f.ledger.read.supplyChangeDigest([change])]), false);
      await f.token.write.associate({ account: bob.account });
      await f.issuer.write.mint([change, sigs]);
      assert.equal(await f.token.read.balanceOf([bob.account.address]), 1n);
    });

    it("reverts with TOKEN_HAS_NO_SUPPLY_KEY when the token has no supply key", async () => {
      const f = await networkHelpers.loadFixture(deployIssuer);
      const v = await variantIssuer(f, (issuer) => hederaToken(issuer, [contractKey(KEY.ADMIN, issuer)]));
      const change = await statement(v, SupplyChangeKind.Mint, alice.account.address, 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(v.issuer.write.mint([...change]), v.issuer, "HtsCallFailed", [
        MINT,
        RC.TOKEN_HAS_NO_SUPPLY_KEY,
      ]);
    });

    it("reverts with INVALID_SIGNATURE when another contract holds the supply key", async () => {
      const f = await networkHelpers.loadFixture(deployIssuer);
      const v = await variantIssuer(f, (issuer) => hederaToken(issuer, [contractKey(KEY.SUPPLY, f.ledger.address)]));
      const change = await statement(v, SupplyChangeKind.Mint, alice.account.address, 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(v.issuer.write.mint([...change]), v.issuer, "HtsCallFailed", [
        MINT,
        RC.INVALID_SIGNATURE,
      ]);
    });

    it("refuses to mint when it is not the treasury: the minted tokens did not reach it", async () => {
      const f = await networkHelpers.loadFixture(deployIssuer);
      const v = await variantIssuer(f, (issuer) => hederaToken(bob.account.address, [contractKey(KEY.SUPPLY, issuer)]));
      const change = await statement(v, SupplyChangeKind.Mint, alice.account.address, 7n);
      await viem.assertions.revertWithCustomErrorWithArgs(v.issuer.write.mint([...change]), v.issuer, "IssuerNotTreasury", [7n, 0n]);
      assert.equal(await v.token.read.totalSupply(), 0n);
    });

    it("reads a reverting or missing token service as UNKNOWN", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      for (const code of ["0x60006000fd", "0x"] as const) {
        await networkHelpers.setCode(HTS_ADDRESS, code); // REVERT(0, 0), then no code at all
        const change = await statement(f, SupplyChangeKind.Mint, alice.account.address, 1n);
        await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.mint([...change]), f.issuer, "HtsCallFailed", [
          MINT,
          RC.UNKNOWN,
        ]);
      }
    });

    it("refuses amounts beyond HTS's int64", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await networkHelpers.time.increase(1);
      await report(f.ledger, f.domain, f.issuer.address, 2n ** 64n);
      const change = await statement(f, SupplyChangeKind.Mint, alice.account.address, MAX_INT64 + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.mint([...change]), f.issuer, "AmountExceedsHtsLimit", [
        MAX_INT64 + 1n,
      ]);
    });

    it("lets the ledger see an issuer's supply, so a reserve reported below it is flagged", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await networkHelpers.time.increase(1);
      const r = reserveReport(f.issuer.address, 999n * UNIT, await now());
      await viem.assertions.emitWithArgs(
        f.ledger.write.submitReserveReport([r, await sign([a0, a1], f.domain, "ReserveReport", r)]),
        f.ledger,
        "ReserveBelowSupply",
        [getAddress(f.issuer.address), 999n * UNIT, 1_000n * UNIT],
      );
    });

    it("keeps a steady-state HTS attested mint (2-of-3) under 150,000 gas on the emulator", gasCheck, async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const hash = await f.issuer.write.mint([...(await statement(f, SupplyChangeKind.Mint, alice.account.address, 100n * UNIT))]);
      const gas = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
      console.log(`      HTS attested mint (emulator): ${gas} gas`);
      assert.ok(gas <= 150_000n, `HTS attested mint cost ${gas} gas`);
    });
  });

  describe("attested burn", () => {
    it("pulls the holder's approved tokens into the treasury and burns them through HTS", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await f.token.write.approve([f.issuer.address, 400n * UNIT], asAlice);
      const [change, sigs] = await statement(f, SupplyChangeKind.Burn, alice.account.address, 400n * UNIT);
      const id = await f.ledger.read.supplyChangeDigest([change]);
      await viem.assertions.emitWithArgs(f.issuer.write.burn([change, sigs], asAlice), f.issuer, "AttestedBurn", [
        id,
        getAddress(alice.account.address),
        zeroHash,
        400n * UNIT,
      ]);
      assert.equal(await f.token.read.balanceOf([alice.account.address]), 600n * UNIT);
      assert.equal(await f.token.read.balanceOf([f.issuer.address]), 0n);
      assert.equal(await f.token.read.totalSupply(), 600n * UNIT);
      assert.equal(await f.token.read.allowance([alice.account.address, f.issuer.address]), 0n);
    });

    it("lets only the holder submit a burn", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const change = await statement(f, SupplyChangeKind.Burn, alice.account.address, 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.issuer.write.burn([...change], { account: bob.account }),
        f.issuer,
        "CallerNotHolder",
        [getAddress(bob.account.address), getAddress(alice.account.address)],
      );
    });

    it("refuses a mint statement and a replayed burn", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await f.token.write.approve([f.issuer.address, 10n], asAlice);
      const mint = await statement(f, SupplyChangeKind.Mint, alice.account.address, 1n);
      await viem.assertions.revertWithCustomError(f.issuer.write.burn([...mint], asAlice), f.issuer, "WrongStatementKind");
      const burn = await statement(f, SupplyChangeKind.Burn, alice.account.address, 1n);
      await f.issuer.write.burn([...burn], asAlice);
      await viem.assertions.revertWithCustomError(f.issuer.write.burn([...burn], asAlice), f.ledger, "StatementAlreadyUsed");
    });

    it("fails as the network does without the holder's approval", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const change = await statement(f, SupplyChangeKind.Burn, alice.account.address, 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.burn([...change], asAlice), f.token, "HtsFailure", [
        RC.SPENDER_DOES_NOT_HAVE_ALLOWANCE,
      ]);
    });

    it("reverts with the token service's answer when burnToken fails", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await f.token.write.approve([f.issuer.address, 1n], asAlice);
      await networkHelpers.setCode(HTS_ADDRESS, "0x60006000fd");
      const change = await statement(f, SupplyChangeKind.Burn, alice.account.address, 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.burn([...change], asAlice), f.issuer, "HtsCallFailed", [
        BURN,
        RC.UNKNOWN,
      ]);
      assert.equal(await f.token.read.balanceOf([alice.account.address]), 1_000n * UNIT);
    });

    it("refuses burn amounts beyond HTS's int64", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      const change = await statement(f, SupplyChangeKind.Burn, alice.account.address, MAX_INT64 + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.issuer.write.burn([...change], asAlice), f.issuer, "AmountExceedsHtsLimit", [
        MAX_INT64 + 1n,
      ]);
    });
  });

  describe("pause", () => {
    it("stops mints and burns until unpaused", async () => {
      const f = await networkHelpers.loadFixture(deployWithHolder);
      await f.token.write.approve([f.issuer.address, 1n], asAlice);
      await f.issuer.write.pause();
      const mint = await statement(f, SupplyChangeKind.Mint, alice.account.address, 1n);
      const burn = await statement(f, SupplyChangeKind.Burn, alice.account.address, 1n);
      await viem.assertions.revertWithCustomError(f.issuer.write.mint([...mint]), f.issuer, "EnforcedPause");
      await viem.assertions.revertWithCustomError(f.issuer.write.burn([...burn], asAlice), f.issuer, "EnforcedPause");
      await f.issuer.write.unpause();
      await f.issuer.write.mint([...mint]);
      await f.issuer.write.burn([...burn], asAlice);
      assert.equal(await f.token.read.totalSupply(), 1_000n * UNIT);
    });

    it("lets only the pauser pause and unpause", async () => {
      const f = await networkHelpers.loadFixture(deployIssuer);
      for (const call of [f.issuer.write.pause, f.issuer.write.unpause]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          call({ account: outsider.account }),
          f.issuer,
          "AccessControlUnauthorizedAccount",
          [getAddress(outsider.account.address), PAUSER],
        );
      }
    });
  });
});

/**
 * A vault holding the HTS token: it books the facade's address as the asset, and takes the issuer's
 * statements for credits and debits once the issuer is registered.
 */
async function deployVault() {
  const f = await deployIssuer();
  const vault = await viem.deployContract("CustodialVault", [admin.account.address, routerStandIn.account.address]);
  await vault.write.grantRole([OPERATOR, operator.account.address]);
  await vault.write.associateHederaToken([f.token.address]);
  await vault.write.addAsset([f.token.address]);
  const limits = { maxSingle: 10_000n * UNIT, maxDailyOutflow: 20_000n * UNIT, maxBalance: 100_000n * UNIT };
  await vault.write.setTierLimits([2, f.token.address, limits]);
  await vault.write.addIssuer([f.issuer.address]);
  await vault.write.openAccount([A, 2], asOperator);
  await vault.write.openAccount([B, 2], asOperator);
  return { ...f, vault };
}

let lastOpId = 0n;
const nextOp = () => ++lastOpId;

/** A vault where account A holds 5,000 cNGN from an attested credit through the issuer. */
async function deployVaultWithCredit() {
  const f = await deployVault();
  const [change, sigs] = await statement(f, SupplyChangeKind.Mint, f.vault.address, 5_000n * UNIT, A);
  await f.vault.write.credit([nextOp(), A, change, sigs], asOperator);
  return f;
}

describe("CustodialVault with an HTS asset", () => {
  it("associates with the token (idempotently), emitting HederaTokenAssociated", async () => {
    const f = await networkHelpers.loadFixture(deployVault);
    assert.equal(await f.token.read.isAssociatedWith([f.vault.address]), true);
    await viem.assertions.emitWithArgs(f.vault.write.associateHederaToken([f.token.address]), f.vault, "HederaTokenAssociated", [
      getAddress(f.token.address),
    ]);
  });

  it("reverts with the network's code when association fails, and lets only the admin associate", async () => {
    const f = await networkHelpers.loadFixture(deployVault);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.vault.write.associateHederaToken([bob.account.address]),
      f.vault,
      "HtsCallFailed",
      [ASSOCIATE, RC.INVALID_TOKEN_ID],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.vault.write.associateHederaToken([f.token.address], { account: outsider.account }),
      f.vault,
      "AccessControlUnauthorizedAccount",
      [getAddress(outsider.account.address), ADMIN],
    );
  });

  it("approves the router for int64's maximum, the most an HTS token allows, and an ERC-20 for everything", async () => {
    const f = await networkHelpers.loadFixture(deployVault);
    assert.equal(await f.token.read.allowance([f.vault.address, routerStandIn.account.address]), MAX_INT64);
    const usd = await viem.deployContract("TestERC20", ["Test Dollar", "USD", 6]);
    await f.vault.write.addAsset([usd.address]);
    assert.equal(await usd.read.allowance([f.vault.address, routerStandIn.account.address]), maxUint256);
  });

  it("registers the issuer for its token, approves it to pull burns, and maps statements to the token", async () => {
    const f = await networkHelpers.loadFixture(deployIssuer);
    const vault = await viem.deployContract("CustodialVault", [admin.account.address, routerStandIn.account.address]);
    await vault.write.associateHederaToken([f.token.address]);
    await vault.write.addAsset([f.token.address]);
    assert.equal(getAddress(await vault.read.assetOf([f.issuer.address])), getAddress(f.issuer.address));
    await viem.assertions.emitWithArgs(vault.write.addIssuer([f.issuer.address]), vault, "IssuerAdded", [
      getAddress(f.issuer.address),
      getAddress(f.token.address),
    ]);
    assert.equal(getAddress(await vault.read.assetOf([f.issuer.address])), getAddress(f.token.address));
    assert.equal(getAddress(await vault.read.assetOf([f.token.address])), getAddress(f.token.address));
    assert.equal(await f.token.read.allowance([vault.address, f.issuer.address]), MAX_INT64);
  });

  it("refuses a zero issuer, one registered twice, one whose token is not an asset, and a caller not admin", async () => {
    const f = await networkHelpers.loadFixture(deployVault);
    await viem.assertions.revertWithCustomError(f.vault.write.addIssuer([zeroAddress]), f.vault, "ZeroAddress");
    await viem.assertions.revertWithCustomErrorWithArgs(f.vault.write.addIssuer([f.issuer.address]), f.vault, "IssuerExists", [
      getAddress(f.issuer.address),
    ]);
    const other = await viem.deployContract("HtsIssuer", [f.ledger.address, admin.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(f.vault.write.addIssuer([other.address]), f.vault, "UnsupportedAsset", [
      zeroAddress,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.vault.write.addIssuer([f.issuer.address], { account: outsider.account }),
      f.vault,
      "AccessControlUnauthorizedAccount",
      [getAddress(outsider.account.address), ADMIN],
    );
  });

  it("credits an account through the issuer: the vault holds the token and books it under the token", async () => {
    const f = await networkHelpers.loadFixture(deployVault);
    const [change, sigs] = await statement(f, SupplyChangeKind.Mint, f.vault.address, 5_000n * UNIT, A);
    const opId = nextOp();
    await viem.assertions.emitWithArgs(f.vault.write.credit([opId, A, change, sigs], asOperator), f.vault, "Credited", [
      opId,
      A,
      getAddress(f.token.address),
      5_000n * UNIT,
      change.ref,
    ]);
    assert.equal(await f.vault.read.balanceOf([A, f.token.address]), 5_000n * UNIT);
    assert.equal(await f.vault.read.balanceOf([A, f.issuer.address]), 0n);
    assert.equal(await f.vault.read.totalBalance([f.token.address]), 5_000n * UNIT);
    assert.equal(await f.token.read.balanceOf([f.vault.address]), 5_000n * UNIT);
    assert.equal(await f.token.read.totalSupply(), 5_000n * UNIT);
  });

  it("refuses a credit from an issuer it has not registered", async () => {
    const f = await networkHelpers.loadFixture(deployVault);
    const v = await variantIssuer(f, (issuer) => hederaToken(issuer, [contractKey(KEY.SUPPLY, issuer)]));
    const [change, sigs] = await statement(v, SupplyChangeKind.Mint, f.vault.address, 1n, A);
    await viem.assertions.revertWithCustomErrorWithArgs(f.vault.write.credit([nextOp(), A, change, sigs], asOperator), f.vault, "UnsupportedAsset", [
      getAddress(v.issuer.address),
    ]);
  });

  it("moves the token between accounts by bookkeeping alone", async () => {
    const f = await networkHelpers.loadFixture(deployVaultWithCredit);
    await f.vault.write.transfer([nextOp(), A, B, f.token.address, 1_000n * UNIT], asOperator);
    const hash = await f.vault.write.transfer([nextOp(), A, B, f.token.address, 1_000n * UNIT], asOperator);
    const gas = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    console.log(`      vault transfer of an HTS token: ${gas} gas`);
    assert.equal(await f.vault.read.balanceOf([A, f.token.address]), 3_000n * UNIT);
    assert.equal(await f.vault.read.balanceOf([B, f.token.address]), 2_000n * UNIT);
    assert.equal(await f.token.read.balanceOf([f.vault.address]), 5_000n * UNIT);
  });

  it("debits an account through the issuer, which pulls the tokens from the vault and burns them", async () => {
    const f = await networkHelpers.loadFixture(deployVaultWithCredit);
    const [change, sigs] = await statement(f, SupplyChangeKind.Burn, f.vault.address, 2_000n * UNIT, A);
    const opId = nextOp();
    await viem.assertions.emitWithArgs(f.vault.write.debit([opId, A, change, sigs], asOperator), f.vault, "Debited", [
      opId,
      A,
      getAddress(f.token.address),
      2_000n * UNIT,
      change.ref,
    ]);
    assert.equal(await f.vault.read.balanceOf([A, f.token.address]), 3_000n * UNIT);
    assert.equal(await f.vault.read.totalBalance([f.token.address]), 3_000n * UNIT);
    assert.equal(await f.token.read.balanceOf([f.vault.address]), 3_000n * UNIT);
    assert.equal(await f.token.read.totalSupply(), 3_000n * UNIT);
    assert.equal(await f.token.read.allowance([f.vault.address, f.issuer.address]), MAX_INT64 - 2_000n * UNIT);
  });

  it("withdraws to an associated linked address; the network refuses an unassociated one", async () => {
    const f = await networkHelpers.loadFixture(deployVaultWithCredit);
    await f.vault.write.linkAddress([A, bob.account.address], asOperator);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.vault.write.withdraw([nextOp(), A, f.token.address, 10n], asOperator),
      f.token,
      "HtsFailure",
      [RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT],
    );
    await f.token.write.associate({ account: bob.account });
    await f.vault.write.withdraw([nextOp(), A, f.token.address, 10n], asOperator);
    assert.equal(await f.token.read.balanceOf([bob.account.address]), 10n);
    assert.equal(await f.vault.read.totalBalance([f.token.address]), 5_000n * UNIT - 10n);
  });
});

describe("LiquidityPool with an HTS asset", () => {
  async function deployPool() {
    const f = await deployWithHolder();
    const oracle = await viem.deployContract("FxOracle", [admin.account.address]);
    const usd = await viem.deployContract("TestERC20", ["Test Dollar", "USD", 6]);
    const pool = await viem.deployContract("LiquidityPool", [
      "JuaPesa Pool HTS",
      "JP-HTS",
      oracle.address,
      [
        { token: f.token.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
        { token: usd.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
      { spreadBps: 10, imbalanceSlope: 10n ** 17n, maxRebalanceBps: 1_000 },
      admin.account.address,
    ]);
    await f.token.write.approve([pool.address, 1_000n * UNIT], asAlice);
    return { ...f, pool };
  }

  it("can take deposits of the token only once associated, emitting HederaTokenAssociated", async () => {
    const f = await networkHelpers.loadFixture(deployPool);
    const deposit = () => f.pool.write.deposit([f.token.address, 100n * UNIT, 0n, alice.account.address], asAlice);
    await viem.assertions.revertWithCustomErrorWithArgs(deposit(), f.token, "HtsFailure", [RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT]);
    await viem.assertions.emitWithArgs(f.pool.write.associateHederaToken([f.token.address]), f.pool, "HederaTokenAssociated", [
      getAddress(f.token.address),
    ]);
    await f.pool.write.associateHederaToken([f.token.address]); // already associated is fine
    await deposit();
    assert.equal(await f.token.read.balanceOf([f.pool.address]), 100n * UNIT);
  });

  it("reverts with the network's code when association fails, and lets only the admin associate", async () => {
    const f = await networkHelpers.loadFixture(deployPool);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.pool.write.associateHederaToken([bob.account.address]),
      f.pool,
      "HtsCallFailed",
      [ASSOCIATE, RC.INVALID_TOKEN_ID],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.pool.write.associateHederaToken([f.token.address], { account: outsider.account }),
      f.pool,
      "AccessControlUnauthorizedAccount",
      [getAddress(outsider.account.address), ADMIN],
    );
  });
});
