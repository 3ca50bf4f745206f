import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hre, { network } from "hardhat";
import { getAddress, keccak256, maxUint256, parseUnits, toHex, zeroAddress, type Hex } from "viem";

import { ASSETS, feedId, POOL_PARAMS } from "../../sdk/protocol.js";
import { deployStack, seedStack } from "../../scripts/lib/stack.js";
import { reserveReport, sign, supplyChange, SupplyChangeKind, testAttesters } from "./helpers/attesters.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const [admin, operator, compliance, pauser, alice, bob, funder, routerStandIn] = await viem.getWalletClients();
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const attesters = testAttesters(3);
const [a0, a1] = attesters as [(typeof attesters)[0], (typeof attesters)[0]];

const OPERATOR = keccak256(toHex("juapesa.role.operator"));
const COMPLIANCE = keccak256(toHex("juapesa.role.compliance"));
const PAUSER = keccak256(toHex("juapesa.role.pauser"));
const ADMIN = `0x${"00".repeat(32)}` as Hex;
const DAY = 86_400n;
const UNIT = 1_000_000n; // both test assets have 6 decimals

/** Account ids as the bridge computes them (an HMAC of the number); here any distinct 32 bytes. */
const accountId = (label: string): Hex => keccak256(toHex(`phone:${label}`));
const A = accountId("+254700000001"); // tier 1
const B = accountId("+254700000002"); // tier 1
const C = accountId("+234800000003"); // tier 2
const UNOPENED = accountId("+233200000004");

const LIMITS = {
  1: { maxSingle: 100n * UNIT, maxDailyOutflow: 150n * UNIT, maxBalance: 300n * UNIT },
  2: { maxSingle: 1_000n * UNIT, maxDailyOutflow: 1_500n * UNIT, maxBalance: 3_000n * UNIT },
  3: { maxSingle: 10_000n * UNIT, maxDailyOutflow: 15_000n * UNIT, maxBalance: 30_000n * UNIT },
} as const;
const TIERS = [1, 2, 3] as const;
/** Coverage instrumentation adds gas to every call, so gas bounds are only checked without it. */
const gasCheck = { skip: hre.globalOptions.coverage ? "gas is inflated under coverage" : false };

let lastOpId = 0n;
/** Fresh operation ids across fixtures, so no test depends on another's ids by accident. */
const nextOp = () => ++lastOpId;

async function now() {
  return BigInt(await networkHelpers.time.latest());
}

async function deployVault() {
  const ledger = await viem.deployContract("AttestationLedger", [
    admin.account.address,
    attesters.map((a) => a.address),
    2n,
    DAY,
  ]);
  const cngn = await viem.deployContract("AttestedToken", ["Compliant Naira", "cNGN", 6, ledger.address, admin.account.address]);
  const domain = { chainId, verifyingContract: ledger.address };
  const report = reserveReport(cngn.address, 100_000n * UNIT, (await now()) - 1n);
  await ledger.write.submitReserveReport([report, await sign([a0, a1], domain, "ReserveReport", report)]);

  const usd = await viem.deployContract("TestERC20", ["Test Dollar", "USD", 6]);
  const stray = await viem.deployContract("TestERC20", ["Not Listed", "NL", 6]);
  const vault = await viem.deployContract("CustodialVault", [admin.account.address, routerStandIn.account.address]);
  await vault.write.grantRole([OPERATOR, operator.account.address]);
  await vault.write.grantRole([COMPLIANCE, compliance.account.address]);
  await vault.write.grantRole([PAUSER, pauser.account.address]);
  for (const asset of [usd.address, cngn.address]) {
    await vault.write.addAsset([asset]);
    for (const tier of TIERS) await vault.write.setTierLimits([tier, asset, LIMITS[tier]]);
  }
  const asOperator = { account: operator.account };
  await vault.write.openAccount([A, 1], asOperator);
  await vault.write.openAccount([B, 1], asOperator);
  await vault.write.openAccount([C, 2], asOperator);

  await usd.write.mint([funder.account.address, 1_000_000n * UNIT]);
  await usd.write.approve([vault.address, maxUint256], { account: funder.account });
  await vault.write.deposit([A, usd.address, 200n * UNIT], { account: funder.account });
  await vault.write.deposit([B, usd.address, 50n * UNIT], { account: funder.account });
  await vault.write.deposit([C, usd.address, 1_000n * UNIT], { account: funder.account });
  return { ledger, cngn, domain, usd, stray, vault };
}

type Fixture = Awaited<ReturnType<typeof deployVault>>;
const asOperator = { account: operator.account };
const asCompliance = { account: compliance.account };

async function mintStatement(f: Fixture, account: Hex, amount: bigint, overrides: Partial<ReturnType<typeof supplyChange>> = {}) {
  const change = {
    ...supplyChange(SupplyChangeKind.Mint, f.cngn.address, f.vault.address, amount, (await now()) + 600n, account),
    ...overrides,
  };
  return [change, await sign([a0, a1], f.domain, "SupplyChange", change)] as const;
}

async function burnStatement(f: Fixture, account: Hex, amount: bigint, overrides: Partial<ReturnType<typeof supplyChange>> = {}) {
  const change = {
    ...supplyChange(SupplyChangeKind.Burn, f.cngn.address, f.vault.address, amount, (await now()) + 600n, account),
    ...overrides,
  };
  return [change, await sign([a0, a1], f.domain, "SupplyChange", change)] as const;
}

/** A fixture where A holds 200 cNGN, credited through a real attested mint. */
async function deployWithNaira() {
  const f = await deployVault();
  const [change, sigs] = await mintStatement(f, A, 200n * UNIT);
  await f.vault.write.credit([nextOp(), A, change, sigs], asOperator);
  return f;
}

/**
 * The protocol as the Ignition module deploys it (real oracle, pool and router; the admin is also
 * operator and compliance), plus a second pool (USDC/XAUt) so two-hop paths exist. Account A
 * (tier 2) holds 400,000 cNGN from an attested cash-in.
 */
async function deployWithPools() {
  const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
  await seedStack(conn, stack, { attesters, threshold: 2n });
  const { vault, router, oracle, tokens } = stack.contracts;
  const second = await viem.deployContract("LiquidityPool", [
    "JuaPesa Pool USDC-XAUt",
    "JP-LP2",
    oracle.address,
    ASSETS.filter((a) => a.symbol !== "cNGN").map((a) => ({
      token: stack.addresses[a.symbol],
      feedId: a.feed ? feedId(a.feed.name) : ADMIN,
      inverted: a.feed?.inverted ?? false,
      weightBps: 5_000,
    })),
    POOL_PARAMS,
    admin.account.address,
  ]);
  await router.write.addPool([second.address]);
  for (const [token, amount] of [[tokens.USDC, parseUnits("100000", 6)], [tokens.XAUt, parseUnits("25", 6)]] as const) {
    const mint = supplyChange(SupplyChangeKind.Mint, token.address, admin.account.address, amount, (await now()) + 600n);
    await token.write.mint([mint, await sign([a0, a1], stack.domain, "SupplyChange", mint)]);
    await token.write.approve([second.address, amount]);
    await second.write.deposit([token.address, amount, 0n, admin.account.address]);
  }
  await vault.write.openAccount([A, 2]);
  const cashIn = supplyChange(SupplyChangeKind.Mint, tokens.cNGN.address, vault.address, parseUnits("400000", 6), (await now()) + 600n, A);
  await vault.write.credit([nextOp(), A, cashIn, await sign([a0, a1], stack.domain, "SupplyChange", cashIn)]);
  return { ...stack, second };
}

async function balances(vault: Fixture["vault"], asset: Hex, ...accounts: Hex[]) {
  return Promise.all(accounts.map((a) => vault.read.balanceOf([a, asset])));
}

describe("CustodialVault", () => {
  describe("deployment and configuration", () => {
    it("refuses a zero admin or router", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      for (const args of [
        [zeroAddress, routerStandIn.account.address],
        [admin.account.address, zeroAddress],
      ] as const) {
        await viem.assertions.revertWithCustomError(viem.deployContract("CustodialVault", args), vault, "ZeroAddress");
      }
    });

    it("gives the admin the admin role, remembers the router, and caps assets and tiers", async () => {
      const { vault, usd, cngn } = await networkHelpers.loadFixture(deployVault);
      assert.equal(await vault.read.hasRole([ADMIN, admin.account.address]), true);
      assert.equal(await vault.read.hasRole([ADMIN, operator.account.address]), false);
      assert.equal(getAddress(await vault.read.router()), getAddress(routerStandIn.account.address));
      assert.equal(await vault.read.MAX_ASSETS(), 8n);
      assert.equal(await vault.read.MAX_TIER(), 3);
      assert.deepEqual(await vault.read.assets(), [getAddress(usd.address), getAddress(cngn.address)]);
    });

    it("adds an asset, approves the router for it and emits AssetAdded", async () => {
      const { vault, stray } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.emitWithArgs(vault.write.addAsset([stray.address]), vault, "AssetAdded", [
        getAddress(stray.address),
      ]);
      assert.equal((await vault.read.assets()).length, 3);
      assert.equal(await stray.read.allowance([vault.address, routerStandIn.account.address]), maxUint256);
    });

    it("refuses to add an asset twice, the zero address, or more than MAX_ASSETS", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.addAsset([usd.address]), vault, "AssetExists", [
        getAddress(usd.address),
      ]);
      await viem.assertions.revertWithCustomError(vault.write.addAsset([zeroAddress]), vault, "ZeroAddress");
      for (let i = 0; i < 6; i++) {
        const t = await viem.deployContract("TestERC20", [`T${i}`, `T${i}`, 6]);
        await vault.write.addAsset([t.address]);
      }
      const ninth = await viem.deployContract("TestERC20", ["T9", "T9", 6]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.addAsset([ninth.address]), vault, "TooManyAssets", [8n]);
    });

    it("sets tier limits per tier and asset and emits TierLimitsChanged", async () => {
      const { vault, usd, cngn } = await networkHelpers.loadFixture(deployVault);
      const limits = { maxSingle: 1n, maxDailyOutflow: 2n, maxBalance: 3n };
      await viem.assertions.emitWithArgs(vault.write.setTierLimits([2, usd.address, limits]), vault, "TierLimitsChanged", [
        2,
        getAddress(usd.address),
        limits,
      ]);
      assert.deepEqual(await vault.read.tierLimits([2, usd.address]), limits);
      assert.deepEqual(await vault.read.tierLimits([2, cngn.address]), LIMITS[2]);
      assert.deepEqual(await vault.read.tierLimits([1, usd.address]), LIMITS[1]);
    });

    it("refuses tier limits for tier 0, a tier above MAX_TIER, or an unsupported asset", async () => {
      const { vault, usd, stray } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.setTierLimits([0, usd.address, LIMITS[1]]), vault, "InvalidTier", [0]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.setTierLimits([4, usd.address, LIMITS[1]]), vault, "InvalidTier", [4]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.setTierLimits([1, stray.address, LIMITS[1]]),
        vault,
        "UnsupportedAsset",
        [getAddress(stray.address)],
      );
    });

    it("lets only the admin add assets, set limits and sweep", async () => {
      const { vault, usd, stray } = await networkHelpers.loadFixture(deployVault);
      for (const who of [operator, compliance, pauser, bob]) {
        const opts = { account: who.account };
        for (const call of [
          vault.write.addAsset([stray.address], opts),
          vault.write.setTierLimits([1, usd.address, LIMITS[1]], opts),
          vault.write.sweepSurplus([usd.address, bob.account.address], opts),
        ]) {
          await viem.assertions.revertWithCustomErrorWithArgs(call, vault, "AccessControlUnauthorizedAccount", [
            getAddress(who.account.address),
            ADMIN,
          ]);
        }
      }
    });
  });

  describe("accounts", () => {
    it("opens an account at a tier and emits AccountOpened", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.emitWithArgs(vault.write.openAccount([UNOPENED, 3], asOperator), vault, "AccountOpened", [UNOPENED, 3]);
      assert.deepEqual(await vault.read.accountInfo([UNOPENED]), { tier: 3, frozen: false, linked: zeroAddress });
    });

    it("reports an unopened account as tier 0", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      assert.deepEqual(await vault.read.accountInfo([UNOPENED]), { tier: 0, frozen: false, linked: zeroAddress });
    });

    it("refuses to open the zero account, an invalid tier, or an account twice", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomError(vault.write.openAccount([ADMIN, 1], asOperator), vault, "ZeroAccount");
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.openAccount([UNOPENED, 0], asOperator), vault, "InvalidTier", [0]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.openAccount([UNOPENED, 4], asOperator), vault, "InvalidTier", [4]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.openAccount([A, 2], asOperator), vault, "AccountExists", [A]);
    });

    it("changes a tier and emits TierChanged with the old and new tier", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.emitWithArgs(vault.write.setTier([A, 3], asCompliance), vault, "TierChanged", [A, 1, 3]);
      assert.equal((await vault.read.accountInfo([A])).tier, 3);
    });

    it("refuses a tier change to 0 or above MAX_TIER, or on an unopened account", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.setTier([A, 0], asCompliance), vault, "InvalidTier", [0]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.setTier([A, 4], asCompliance), vault, "InvalidTier", [4]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.setTier([UNOPENED, 1], asCompliance), vault, "AccountNotOpen", [UNOPENED]);
    });

    it("freezes and unfreezes, emitting AccountFrozen and AccountUnfrozen", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.emitWithArgs(vault.write.freeze([A], asCompliance), vault, "AccountFrozen", [A]);
      assert.equal((await vault.read.accountInfo([A])).frozen, true);
      await viem.assertions.emitWithArgs(vault.write.unfreeze([A], asCompliance), vault, "AccountUnfrozen", [A]);
      assert.equal((await vault.read.accountInfo([A])).frozen, false);
    });

    it("refuses to freeze or unfreeze an unopened account", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.freeze([UNOPENED], asCompliance), vault, "AccountNotOpen", [UNOPENED]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.unfreeze([UNOPENED], asCompliance), vault, "AccountNotOpen", [UNOPENED]);
    });

    it("lets only the operator open accounts", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      for (const who of [admin, compliance, pauser, bob]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          vault.write.openAccount([UNOPENED, 1], { account: who.account }),
          vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
    });

    it("lets only compliance set tiers, freeze and unfreeze", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      for (const who of [admin, operator, pauser, bob]) {
        const opts = { account: who.account };
        for (const call of [vault.write.setTier([A, 2], opts), vault.write.freeze([A], opts), vault.write.unfreeze([A], opts)]) {
          await viem.assertions.revertWithCustomErrorWithArgs(call, vault, "AccessControlUnauthorizedAccount", [
            getAddress(who.account.address),
            COMPLIANCE,
          ]);
        }
      }
    });
  });

  describe("linkAddress", () => {
    it("lets the operator link a first address and emits AddressLinked", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.emitWithArgs(vault.write.linkAddress([A, alice.account.address], asOperator), vault, "AddressLinked", [
        A,
        getAddress(alice.account.address),
      ]);
      assert.equal(getAddress((await vault.read.accountInfo([A])).linked), getAddress(alice.account.address));
    });

    it("refuses the operator a relink, an unlink or a link while paused", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomError(vault.write.linkAddress([A, zeroAddress], asOperator), vault, "ZeroAddress");
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.linkAddress([A, bob.account.address], asOperator), vault, "AlreadyLinked", [
        A,
        getAddress(alice.account.address),
      ]);
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(vault.write.linkAddress([B, bob.account.address], asOperator), vault, "EnforcedPause");
    });

    it("lets compliance relink and unlink at any time, even while paused", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.emitWithArgs(vault.write.linkAddress([A, bob.account.address], asCompliance), vault, "AddressLinked", [
        A,
        getAddress(bob.account.address),
      ]);
      await viem.assertions.emitWithArgs(vault.write.linkAddress([A, zeroAddress], asCompliance), vault, "AddressLinked", [A, zeroAddress]);
      assert.equal((await vault.read.accountInfo([A])).linked, zeroAddress);
    });

    it("refuses to link an unopened account", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      for (const opts of [asOperator, asCompliance]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          vault.write.linkAddress([UNOPENED, alice.account.address], opts),
          vault,
          "AccountNotOpen",
          [UNOPENED],
        );
      }
    });

    it("refuses callers that are neither operator nor compliance", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      for (const who of [admin, pauser, alice]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          vault.write.linkAddress([A, alice.account.address], { account: who.account }),
          vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
    });
  });

  describe("transfer", () => {
    it("moves a balance between accounts, counts the sender's outflow and emits Transferred", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const opId = nextOp();
      await viem.assertions.emitWithArgs(vault.write.transfer([opId, A, B, usd.address, 30n * UNIT], asOperator), vault, "Transferred", [
        opId,
        A,
        B,
        getAddress(usd.address),
        30n * UNIT,
      ]);
      assert.deepEqual(await balances(vault, usd.address, A, B), [170n * UNIT, 80n * UNIT]);
      assert.equal(await vault.read.outflowInWindow([A, usd.address]), 30n * UNIT);
      assert.equal(await vault.read.outflowInWindow([B, usd.address]), 0n);
      assert.equal(await vault.read.totalBalance([usd.address]), 1_250n * UNIT);
      assert.equal(await vault.read.isOperationExecuted([opId]), true);
    });

    it("executes an operation id once: a repeat reverts OperationAlreadyExecuted and changes nothing", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const opId = nextOp();
      await vault.write.transfer([opId, A, B, usd.address, 10n * UNIT], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([opId, A, B, usd.address, 10n * UNIT], asOperator),
        vault,
        "OperationAlreadyExecuted",
        [opId],
      );
      assert.deepEqual(await balances(vault, usd.address, A, B), [190n * UNIT, 60n * UNIT]);
    });

    it("reports OperationAlreadyExecuted before any other check, so a retry after success reads as done", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const opId = nextOp();
      await vault.write.transfer([opId, A, B, usd.address, 100n * UNIT], asOperator);
      await vault.write.transfer([nextOp(), A, B, usd.address, 50n * UNIT], asOperator);
      // A's daily limit is now used up and its balance is too low, but the retry is still "already done".
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([opId, A, B, usd.address, 100n * UNIT], asOperator),
        vault,
        "OperationAlreadyExecuted",
        [opId],
      );
    });

    it("does not consume the id of a failed operation", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const opId = nextOp();
      await viem.assertions.revertWithCustomError(vault.write.transfer([opId, B, A, usd.address, 60n * UNIT], asOperator), vault, "InsufficientBalance");
      assert.equal(await vault.read.isOperationExecuted([opId]), false);
      await vault.write.transfer([opId, B, A, usd.address, 50n * UNIT], asOperator);
      assert.equal(await vault.read.isOperationExecuted([opId]), true);
    });

    it("keeps operation ids independent within a bitmap word and across words", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const ids = [1_000_000n, 1_000_001n, 1_000_255n, 1_000_256n, maxUint256];
      for (const id of ids) {
        assert.equal(await vault.read.isOperationExecuted([id]), false);
        await vault.write.transfer([id, C, A, usd.address, 1n], asOperator);
        assert.equal(await vault.read.isOperationExecuted([id]), true);
      }
      assert.equal(await vault.read.isOperationExecuted([1_000_002n]), false);
      assert.equal(await vault.read.isOperationExecuted([maxUint256 - 1n]), false);
    });

    it("refuses a self-transfer and a zero amount", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomError(vault.write.transfer([nextOp(), A, A, usd.address, 1n], asOperator), vault, "SelfTransfer");
      await viem.assertions.revertWithCustomError(vault.write.transfer([nextOp(), A, B, usd.address, 0n], asOperator), vault, "ZeroAmount");
    });

    it("refuses an unsupported asset", async () => {
      const { vault, stray } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.transfer([nextOp(), A, B, stray.address, 1n], asOperator), vault, "UnsupportedAsset", [
        getAddress(stray.address),
      ]);
    });

    it("refuses an unopened sender or receiver", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.transfer([nextOp(), UNOPENED, A, usd.address, 1n], asOperator), vault, "AccountNotOpen", [UNOPENED]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.transfer([nextOp(), A, UNOPENED, usd.address, 1n], asOperator), vault, "AccountNotOpen", [UNOPENED]);
    });

    it("refuses more than the sender holds", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([nextOp(), B, A, usd.address, 50n * UNIT + 1n], asOperator),
        vault,
        "InsufficientBalance",
        [B, getAddress(usd.address), 50n * UNIT, 50n * UNIT + 1n],
      );
    });

    it("applies the sender's tier single limit", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([nextOp(), A, B, usd.address, 100n * UNIT + 1n], asOperator),
        vault,
        "SingleLimitExceeded",
        [100n * UNIT + 1n, 100n * UNIT],
      );
      await vault.write.transfer([nextOp(), A, B, usd.address, 100n * UNIT], asOperator);
      // A tier-2 sender may send what a tier-1 sender may not.
      await vault.write.transfer([nextOp(), C, A, usd.address, 150n * UNIT], asOperator);
    });

    it("applies the sender's tier daily limit over the window", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.transfer([nextOp(), A, C, usd.address, 100n * UNIT], asOperator);
      await vault.write.transfer([nextOp(), A, C, usd.address, 50n * UNIT], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([nextOp(), A, C, usd.address, 1n], asOperator),
        vault,
        "DailyLimitExceeded",
        [150n * UNIT + 1n, 150n * UNIT],
      );
      assert.equal(await vault.read.outflowInWindow([A, usd.address]), 150n * UNIT);
    });

    it("restarts the window exactly 24 h after the first outflow of the previous one", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const start = (await now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(start);
      await vault.write.transfer([nextOp(), A, C, usd.address, 100n * UNIT], asOperator);
      await networkHelpers.time.setNextBlockTimestamp(start + DAY - 100n);
      await vault.write.transfer([nextOp(), A, C, usd.address, 50n * UNIT], asOperator);

      await networkHelpers.time.setNextBlockTimestamp(start + DAY - 1n);
      await viem.assertions.revertWithCustomError(vault.write.transfer([nextOp(), A, C, usd.address, 1n], asOperator), vault, "DailyLimitExceeded");

      await networkHelpers.time.setNextBlockTimestamp(start + DAY);
      await vault.write.transfer([nextOp(), A, C, usd.address, 40n * UNIT], asOperator);
      assert.equal(await vault.read.outflowInWindow([A, usd.address]), 40n * UNIT);

      // The new window began at start + DAY (not at start + DAY - 100), so until start + 2 DAY the
      // 40 already sent counts against the next 150.
      await vault.write.transfer([nextOp(), C, A, usd.address, 150n * UNIT], asOperator);
      await networkHelpers.time.setNextBlockTimestamp(start + 2n * DAY - 2n);
      await vault.write.transfer([nextOp(), A, C, usd.address, 100n * UNIT], asOperator);
      await networkHelpers.time.setNextBlockTimestamp(start + 2n * DAY - 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([nextOp(), A, C, usd.address, 10n * UNIT + 1n], asOperator),
        vault,
        "DailyLimitExceeded",
        [150n * UNIT + 1n, 150n * UNIT],
      );
    });

    it("reports no outflow in the window once it has ended", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.transfer([nextOp(), A, C, usd.address, 100n * UNIT], asOperator);
      await networkHelpers.time.increase(Number(DAY) - 2);
      assert.equal(await vault.read.outflowInWindow([A, usd.address]), 100n * UNIT);
      await networkHelpers.time.increase(2);
      assert.equal(await vault.read.outflowInWindow([A, usd.address]), 0n);
    });

    it("applies the receiver's tier balance limit", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.transfer([nextOp(), C, A, usd.address, 100n * UNIT], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.transfer([nextOp(), C, A, usd.address, 1n], asOperator),
        vault,
        "BalanceLimitExceeded",
        [300n * UNIT + 1n, 300n * UNIT],
      );
      await vault.write.setTier([A, 2], asCompliance);
      await vault.write.transfer([nextOp(), C, A, usd.address, 1n], asOperator);
    });

    it("uses the new tier's limits after a tier change, for both directions", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.setTier([C, 1], asCompliance);
      await viem.assertions.revertWithCustomError(vault.write.transfer([nextOp(), C, A, usd.address, 101n * UNIT], asOperator), vault, "SingleLimitExceeded");
      await vault.write.setTier([A, 3], asCompliance);
      await vault.write.transfer([nextOp(), A, B, usd.address, 200n * UNIT], asOperator);
    });

    it("blocks a frozen account from sending and from receiving, until unfrozen", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.freeze([A], asCompliance);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.transfer([nextOp(), A, B, usd.address, 1n], asOperator), vault, "AccountIsFrozen", [A]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.transfer([nextOp(), B, A, usd.address, 1n], asOperator), vault, "AccountIsFrozen", [A]);
      await vault.write.unfreeze([A], asCompliance);
      await vault.write.transfer([nextOp(), A, B, usd.address, 1n], asOperator);
      await vault.write.transfer([nextOp(), B, A, usd.address, 1n], asOperator);
    });

    it("lets only the operator transfer, and not while paused", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      for (const who of [admin, compliance, pauser, alice]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          vault.write.transfer([nextOp(), A, B, usd.address, 1n], { account: who.account }),
          vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(vault.write.transfer([nextOp(), A, B, usd.address, 1n], asOperator), vault, "EnforcedPause");
    });

    it("costs at most 56,000 gas between accounts of different tiers with a used operation word", gasCheck, async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const base = 1n << 64n;
      await vault.write.transfer([base, C, A, usd.address, 1n], asOperator); // touches the word and B's position
      const hash = await vault.write.transfer([base + 1n, A, C, usd.address, 12_345_678n], asOperator);
      const { gasUsed } = await publicClient.getTransactionReceipt({ hash });
      assert.ok(gasUsed <= 56_000n, `transfer used ${gasUsed} gas`);
    });

    it("costs at most 54,000 gas between accounts of the same tier with a used operation word", gasCheck, async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const base = 1n << 64n;
      await vault.write.transfer([base, A, B, usd.address, 1n], asOperator);
      const hash = await vault.write.transfer([base + 1n, B, A, usd.address, 12_345_678n], asOperator);
      const { gasUsed } = await publicClient.getTransactionReceipt({ hash });
      assert.ok(gasUsed <= 54_000n, `transfer used ${gasUsed} gas`);
    });
  });

  describe("deposit", () => {
    it("pulls tokens from the caller into an open account and emits Deposited", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      const before = await usd.read.balanceOf([funder.account.address]);
      await viem.assertions.emitWithArgs(
        vault.write.deposit([B, usd.address, 25n * UNIT], { account: funder.account }),
        vault,
        "Deposited",
        [B, getAddress(usd.address), 25n * UNIT, getAddress(funder.account.address)],
      );
      assert.equal(await vault.read.balanceOf([B, usd.address]), 75n * UNIT);
      assert.equal(await vault.read.totalBalance([usd.address]), 1_275n * UNIT);
      assert.equal(await usd.read.balanceOf([vault.address]), 1_275n * UNIT);
      assert.equal(await usd.read.balanceOf([funder.account.address]), before - 25n * UNIT);
    });

    it("does not count a deposit as outflow", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.deposit([B, usd.address, 25n * UNIT], { account: funder.account });
      assert.equal(await vault.read.outflowInWindow([B, usd.address]), 0n);
    });

    it("refuses a zero amount, an unsupported asset, an unopened or frozen account", async () => {
      const { vault, usd, stray } = await networkHelpers.loadFixture(deployVault);
      const asFunder = { account: funder.account };
      await viem.assertions.revertWithCustomError(vault.write.deposit([B, usd.address, 0n], asFunder), vault, "ZeroAmount");
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.deposit([B, stray.address, 1n], asFunder), vault, "UnsupportedAsset", [
        getAddress(stray.address),
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.deposit([UNOPENED, usd.address, 1n], asFunder), vault, "AccountNotOpen", [UNOPENED]);
      await vault.write.freeze([B], asCompliance);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.deposit([B, usd.address, 1n], asFunder), vault, "AccountIsFrozen", [B]);
    });

    it("applies the account's balance limit", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.deposit([B, usd.address, 250n * UNIT + 1n], { account: funder.account }),
        vault,
        "BalanceLimitExceeded",
        [300n * UNIT + 1n, 300n * UNIT],
      );
      await vault.write.deposit([B, usd.address, 250n * UNIT], { account: funder.account });
    });

    it("fails without an allowance and books nothing", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await usd.write.mint([bob.account.address, UNIT]);
      await viem.assertions.revertWithCustomError(vault.write.deposit([B, usd.address, UNIT], { account: bob.account }), usd, "ERC20InsufficientAllowance");
      assert.equal(await vault.read.balanceOf([B, usd.address]), 50n * UNIT);
    });

    it("is refused while paused", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(vault.write.deposit([B, usd.address, 1n], { account: funder.account }), vault, "EnforcedPause");
    });
  });

  describe("withdraw", () => {
    it("sends to the linked address and emits Withdrawn", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      const opId = nextOp();
      await viem.assertions.emitWithArgs(vault.write.withdraw([opId, A, usd.address, 60n * UNIT], asOperator), vault, "Withdrawn", [
        opId,
        A,
        getAddress(usd.address),
        60n * UNIT,
        getAddress(alice.account.address),
      ]);
      assert.equal(await usd.read.balanceOf([alice.account.address]), 60n * UNIT);
      assert.equal(await vault.read.balanceOf([A, usd.address]), 140n * UNIT);
      assert.equal(await vault.read.totalBalance([usd.address]), 1_190n * UNIT);
      assert.equal(await usd.read.balanceOf([vault.address]), 1_190n * UNIT);
      assert.equal(await vault.read.outflowInWindow([A, usd.address]), 60n * UNIT);
    });

    it("refuses an account without a linked address", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.withdraw([nextOp(), A, usd.address, 1n], asOperator), vault, "NoLinkedAddress", [A]);
    });

    it("applies the outflow limits, the balance and the freeze", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      await vault.write.linkAddress([B, bob.account.address], asOperator);
      await viem.assertions.revertWithCustomError(vault.write.withdraw([nextOp(), A, usd.address, 101n * UNIT], asOperator), vault, "SingleLimitExceeded");
      await viem.assertions.revertWithCustomError(vault.write.withdraw([nextOp(), B, usd.address, 51n * UNIT], asOperator), vault, "InsufficientBalance");
      await vault.write.withdraw([nextOp(), A, usd.address, 100n * UNIT], asOperator);
      await viem.assertions.revertWithCustomError(vault.write.withdraw([nextOp(), A, usd.address, 51n * UNIT], asOperator), vault, "DailyLimitExceeded");
      await vault.write.freeze([A], asCompliance);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.withdraw([nextOp(), A, usd.address, 1n], asOperator), vault, "AccountIsFrozen", [A]);
      await viem.assertions.revertWithCustomError(vault.write.withdraw([nextOp(), A, usd.address, 0n], asOperator), vault, "ZeroAmount");
    });

    it("executes an operation id once and does not consume the id of a failed withdrawal", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      const opId = nextOp();
      await viem.assertions.revertWithCustomError(vault.write.withdraw([opId, A, usd.address, 101n * UNIT], asOperator), vault, "SingleLimitExceeded");
      await vault.write.withdraw([opId, A, usd.address, 10n * UNIT], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.withdraw([opId, A, usd.address, 10n * UNIT], asOperator), vault, "OperationAlreadyExecuted", [opId]);
      assert.equal(await usd.read.balanceOf([alice.account.address]), 10n * UNIT);
    });

    it("shares one id space with the other operations", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      const opId = nextOp();
      await vault.write.transfer([opId, A, B, usd.address, 1n], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.withdraw([opId, A, usd.address, 1n], asOperator), vault, "OperationAlreadyExecuted", [opId]);
    });

    it("lets only the operator withdraw, and not while paused", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      for (const who of [admin, compliance, alice]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          vault.write.withdraw([nextOp(), A, usd.address, 1n], { account: who.account }),
          vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(vault.write.withdraw([nextOp(), A, usd.address, 1n], asOperator), vault, "EnforcedPause");
    });
  });

  describe("exit", () => {
    it("lets the linked address take its account's funds out and emits Withdrawn with id 0", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      await viem.assertions.emitWithArgs(vault.write.exit([A, usd.address, 70n * UNIT], { account: alice.account }), vault, "Withdrawn", [
        0n,
        A,
        getAddress(usd.address),
        70n * UNIT,
        getAddress(alice.account.address),
      ]);
      assert.equal(await usd.read.balanceOf([alice.account.address]), 70n * UNIT);
      assert.equal(await vault.read.balanceOf([A, usd.address]), 130n * UNIT);
      assert.equal(await vault.read.totalBalance([usd.address]), 1_180n * UNIT);
    });

    it("refuses anyone but the linked address, and any caller when none is linked", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.exit([A, usd.address, 1n], { account: alice.account }), vault, "NotLinkedAddress", [
        getAddress(alice.account.address),
      ]);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      for (const who of [bob, operator, admin]) {
        await viem.assertions.revertWithCustomErrorWithArgs(vault.write.exit([A, usd.address, 1n], { account: who.account }), vault, "NotLinkedAddress", [
          getAddress(who.account.address),
        ]);
      }
    });

    it("stops working for an address compliance has unlinked or replaced", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      await vault.write.linkAddress([A, bob.account.address], asCompliance);
      await viem.assertions.revertWithCustomError(vault.write.exit([A, usd.address, 1n], { account: alice.account }), vault, "NotLinkedAddress");
      await vault.write.exit([A, usd.address, 1n], { account: bob.account });
      await vault.write.linkAddress([A, zeroAddress], asCompliance);
      await viem.assertions.revertWithCustomError(vault.write.exit([A, usd.address, 1n], { account: bob.account }), vault, "NotLinkedAddress");
    });

    it("applies the outflow limits, the freeze and the pause", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await vault.write.linkAddress([A, alice.account.address], asOperator);
      const asAlice = { account: alice.account };
      await viem.assertions.revertWithCustomError(vault.write.exit([A, usd.address, 0n], asAlice), vault, "ZeroAmount");
      await viem.assertions.revertWithCustomError(vault.write.exit([A, usd.address, 101n * UNIT], asAlice), vault, "SingleLimitExceeded");
      await vault.write.exit([A, usd.address, 100n * UNIT], asAlice);
      await viem.assertions.revertWithCustomError(vault.write.exit([A, usd.address, 51n * UNIT], asAlice), vault, "DailyLimitExceeded");
      await vault.write.freeze([A], asCompliance);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.exit([A, usd.address, 1n], asAlice), vault, "AccountIsFrozen", [A]);
      await vault.write.unfreeze([A], asCompliance);
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(vault.write.exit([A, usd.address, 1n], asAlice), vault, "EnforcedPause");
    });
  });

  describe("sweepSurplus", () => {
    it("sends only what the vault holds beyond account balances and emits SurplusSwept", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await usd.write.transfer([vault.address, 7n * UNIT], { account: funder.account }); // a mistaken donation
      await viem.assertions.emitWithArgs(
        vault.write.sweepSurplus([usd.address, bob.account.address]),
        vault,
        "SurplusSwept",
        [getAddress(usd.address), 7n * UNIT, getAddress(bob.account.address)],
      );
      assert.equal(await usd.read.balanceOf([bob.account.address]), 7n * UNIT);
      assert.equal(await usd.read.balanceOf([vault.address]), 1_250n * UNIT);
      assert.equal(await vault.read.totalBalance([usd.address]), 1_250n * UNIT);
      assert.equal(await vault.read.balanceOf([A, usd.address]), 200n * UNIT);
    });

    it("returns 0 and moves nothing when there is no surplus", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      assert.equal(await vault.simulate.sweepSurplus([usd.address, bob.account.address]).then((r) => r.result), 0n);
      const hash = await vault.write.sweepSurplus([usd.address, bob.account.address]);
      const receipt = await publicClient.getTransactionReceipt({ hash });
      assert.equal(receipt.logs.length, 0);
      assert.equal(await usd.read.balanceOf([vault.address]), 1_250n * UNIT);
    });

    it("returns the swept amount", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await usd.write.transfer([vault.address, 3n], { account: funder.account });
      assert.equal(await vault.simulate.sweepSurplus([usd.address, bob.account.address]).then((r) => r.result), 3n);
    });

    it("sweeps all of an asset the vault does not list", async () => {
      const { vault, stray } = await networkHelpers.loadFixture(deployVault);
      await stray.write.mint([vault.address, 5n]);
      await vault.write.sweepSurplus([stray.address, bob.account.address]);
      assert.equal(await stray.read.balanceOf([bob.account.address]), 5n);
    });

    it("refuses the zero address as recipient", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployVault);
      await viem.assertions.revertWithCustomError(vault.write.sweepSurplus([usd.address, zeroAddress]), vault, "ZeroAddress");
    });
  });

  describe("pause", () => {
    it("lets only the pauser pause and unpause", async () => {
      const { vault } = await networkHelpers.loadFixture(deployVault);
      for (const who of [admin, operator, compliance]) {
        await viem.assertions.revertWithCustomErrorWithArgs(vault.write.pause({ account: who.account }), vault, "AccessControlUnauthorizedAccount", [
          getAddress(who.account.address),
          PAUSER,
        ]);
      }
      await vault.write.pause({ account: pauser.account });
      assert.equal(await vault.read.paused(), true);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.unpause({ account: admin.account }), vault, "AccessControlUnauthorizedAccount", [
        getAddress(admin.account.address),
        PAUSER,
      ]);
      await vault.write.unpause({ account: pauser.account });
      assert.equal(await vault.read.paused(), false);
    });

    it("stops operator actions but not compliance or the admin's sweep", async () => {
      const { vault, usd } = await networkHelpers.loadFixture(deployWithNaira);
      await vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(vault.write.openAccount([UNOPENED, 1], asOperator), vault, "EnforcedPause");
      await viem.assertions.revertWithCustomError(
        vault.write.convert([nextOp(), A, [usd.address, usd.address], [bob.account.address], 1n, 0n, maxUint256], asOperator),
        vault,
        "EnforcedPause",
      );
      await vault.write.freeze([A], asCompliance);
      await vault.write.setTier([B, 2], asCompliance);
      await vault.write.sweepSurplus([usd.address, bob.account.address]);
      await vault.write.unpause({ account: pauser.account });
      await vault.write.transfer([nextOp(), B, C, usd.address, 1n], asOperator);
    });
  });

  describe("credit", () => {
    it("mints an attested amount into the account, books it and emits Credited with the statement's ref", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const { vault, cngn, ledger } = f;
      const [change, sigs] = await mintStatement(f, B, 120n * UNIT);
      const opId = nextOp();
      await viem.assertions.emitWithArgs(vault.write.credit([opId, B, change, sigs], asOperator), vault, "Credited", [
        opId,
        B,
        getAddress(cngn.address),
        120n * UNIT,
        change.ref,
      ]);
      assert.equal(await vault.read.balanceOf([B, cngn.address]), 120n * UNIT);
      assert.equal(await vault.read.totalBalance([cngn.address]), 120n * UNIT);
      assert.equal(await cngn.read.balanceOf([vault.address]), 120n * UNIT);
      assert.equal(await cngn.read.totalSupply(), 120n * UNIT);
      assert.equal(await ledger.read.isStatementUsed([await ledger.read.supplyChangeDigest([change])]), true);
      assert.equal(await vault.read.outflowInWindow([B, cngn.address]), 0n);
    });

    it("refuses a burn statement, another holder, or another account", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const wrong = [
        await burnStatement(f, B, UNIT),
        await mintStatement(f, B, UNIT, { holder: bob.account.address }),
        await mintStatement(f, C, UNIT),
      ];
      for (const [change, sigs] of wrong) {
        await viem.assertions.revertWithCustomError(f.vault.write.credit([nextOp(), B, change, sigs], asOperator), f.vault, "StatementMismatch");
      }
    });

    it("refuses a statement for an asset the vault does not list", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const [change, sigs] = await mintStatement(f, B, UNIT, { asset: f.stray.address });
      await viem.assertions.revertWithCustomErrorWithArgs(f.vault.write.credit([nextOp(), B, change, sigs], asOperator), f.vault, "UnsupportedAsset", [
        getAddress(f.stray.address),
      ]);
    });

    it("refuses a zero amount, an unopened or frozen account and an amount above the balance limit, consuming nothing", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const { vault, ledger } = f;
      const [zero, zeroSigs] = await mintStatement(f, B, 0n);
      await viem.assertions.revertWithCustomError(vault.write.credit([nextOp(), B, zero, zeroSigs], asOperator), vault, "ZeroAmount");
      const [unopened, unopenedSigs] = await mintStatement(f, UNOPENED, UNIT);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.credit([nextOp(), UNOPENED, unopened, unopenedSigs], asOperator), vault, "AccountNotOpen", [UNOPENED]);
      const [big, bigSigs] = await mintStatement(f, B, 300n * UNIT + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.credit([nextOp(), B, big, bigSigs], asOperator), vault, "BalanceLimitExceeded", [
        300n * UNIT + 1n,
        300n * UNIT,
      ]);
      assert.equal(await ledger.read.isStatementUsed([await ledger.read.supplyChangeDigest([big])]), false);
      await vault.write.freeze([B], asCompliance);
      const [change, sigs] = await mintStatement(f, B, UNIT);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.credit([nextOp(), B, change, sigs], asOperator), vault, "AccountIsFrozen", [B]);
    });

    it("fails with the ledger's error on bad signatures and keeps the operation id unused", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const { vault, ledger } = f;
      const [change, sigs] = await mintStatement(f, B, UNIT);
      const opId = nextOp();
      const oneSignature = `0x${sigs.slice(2, 2 + 130)}` as Hex;
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.credit([opId, B, change, oneSignature], asOperator), ledger, "InsufficientSignatures", [1n, 2n]);
      assert.equal(await vault.read.isOperationExecuted([opId]), false);
      assert.equal(await vault.read.balanceOf([B, f.cngn.address]), 0n);
      await vault.write.credit([opId, B, change, sigs], asOperator);
      assert.equal(await vault.read.balanceOf([B, f.cngn.address]), UNIT);
    });

    it("refuses a statement already used, and a repeated operation id", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const { vault, ledger } = f;
      const [change, sigs] = await mintStatement(f, B, UNIT);
      const opId = nextOp();
      await vault.write.credit([opId, B, change, sigs], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.credit([opId, B, change, sigs], asOperator), vault, "OperationAlreadyExecuted", [opId]);
      await viem.assertions.revertWithCustomError(vault.write.credit([nextOp(), B, change, sigs], asOperator), ledger, "StatementAlreadyUsed");
      const [fresh, freshSigs] = await mintStatement(f, B, UNIT);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.credit([opId, B, fresh, freshSigs], asOperator), vault, "OperationAlreadyExecuted", [opId]);
      assert.equal(await vault.read.balanceOf([B, f.cngn.address]), UNIT);
    });

    it("lets only the operator credit, and not while paused", async () => {
      const f = await networkHelpers.loadFixture(deployVault);
      const [change, sigs] = await mintStatement(f, B, UNIT);
      for (const who of [admin, compliance, bob]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.vault.write.credit([nextOp(), B, change, sigs], { account: who.account }),
          f.vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
      await f.vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(f.vault.write.credit([nextOp(), B, change, sigs], asOperator), f.vault, "EnforcedPause");
    });
  });

  describe("debit", () => {
    it("burns an attested amount from the account, counts it as outflow and emits Debited with the ref", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const { vault, cngn } = f;
      const [change, sigs] = await burnStatement(f, A, 80n * UNIT);
      const opId = nextOp();
      await viem.assertions.emitWithArgs(vault.write.debit([opId, A, change, sigs], asOperator), vault, "Debited", [
        opId,
        A,
        getAddress(cngn.address),
        80n * UNIT,
        change.ref,
      ]);
      assert.equal(await vault.read.balanceOf([A, cngn.address]), 120n * UNIT);
      assert.equal(await vault.read.totalBalance([cngn.address]), 120n * UNIT);
      assert.equal(await cngn.read.balanceOf([vault.address]), 120n * UNIT);
      assert.equal(await cngn.read.totalSupply(), 120n * UNIT);
      assert.equal(await vault.read.outflowInWindow([A, cngn.address]), 80n * UNIT);
    });

    it("refuses a mint statement, another holder, or another account", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const wrong = [
        await mintStatement(f, A, UNIT),
        await burnStatement(f, A, UNIT, { holder: alice.account.address }),
        await burnStatement(f, B, UNIT),
      ];
      for (const [change, sigs] of wrong) {
        await viem.assertions.revertWithCustomError(f.vault.write.debit([nextOp(), A, change, sigs], asOperator), f.vault, "StatementMismatch");
      }
    });

    it("refuses a statement for an asset the vault does not list", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const [change, sigs] = await burnStatement(f, A, UNIT, { asset: f.stray.address });
      await viem.assertions.revertWithCustomErrorWithArgs(f.vault.write.debit([nextOp(), A, change, sigs], asOperator), f.vault, "UnsupportedAsset", [
        getAddress(f.stray.address),
      ]);
    });

    it("applies the balance, the outflow limits and the freeze before burning", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const { vault, ledger } = f;
      const [big, bigSigs] = await burnStatement(f, A, 100n * UNIT + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.debit([nextOp(), A, big, bigSigs], asOperator), vault, "SingleLimitExceeded", [
        100n * UNIT + 1n,
        100n * UNIT,
      ]);
      assert.equal(await ledger.read.isStatementUsed([await ledger.read.supplyChangeDigest([big])]), false);
      const [fromB, fromBSigs] = await burnStatement(f, B, UNIT);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.debit([nextOp(), B, fromB, fromBSigs], asOperator), vault, "InsufficientBalance", [
        B,
        getAddress(f.cngn.address),
        0n,
        UNIT,
      ]);
      const [first, firstSigs] = await burnStatement(f, A, 100n * UNIT);
      await vault.write.debit([nextOp(), A, first, firstSigs], asOperator);
      const [second, secondSigs] = await burnStatement(f, A, 50n * UNIT + 1n);
      await viem.assertions.revertWithCustomError(vault.write.debit([nextOp(), A, second, secondSigs], asOperator), vault, "DailyLimitExceeded");
      const [zero, zeroSigs] = await burnStatement(f, A, 0n);
      await viem.assertions.revertWithCustomError(vault.write.debit([nextOp(), A, zero, zeroSigs], asOperator), vault, "ZeroAmount");
      await vault.write.freeze([A], asCompliance);
      const [change, sigs] = await burnStatement(f, A, UNIT);
      await viem.assertions.revertWithCustomErrorWithArgs(vault.write.debit([nextOp(), A, change, sigs], asOperator), vault, "AccountIsFrozen", [A]);
    });

    it("fails with the ledger's error on an expired statement and keeps the operation id unused", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const [change, sigs] = await burnStatement(f, A, UNIT, { deadline: (await now()) - 1n });
      const opId = nextOp();
      await viem.assertions.revertWithCustomError(f.vault.write.debit([opId, A, change, sigs], asOperator), f.ledger, "StatementExpired");
      assert.equal(await f.vault.read.isOperationExecuted([opId]), false);
      assert.equal(await f.vault.read.balanceOf([A, f.cngn.address]), 200n * UNIT);
      const [fresh, freshSigs] = await burnStatement(f, A, UNIT);
      await f.vault.write.debit([opId, A, fresh, freshSigs], asOperator);
      assert.equal(await f.vault.read.balanceOf([A, f.cngn.address]), 199n * UNIT);
    });

    it("refuses a repeated operation id", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const [change, sigs] = await burnStatement(f, A, UNIT);
      const opId = nextOp();
      await f.vault.write.debit([opId, A, change, sigs], asOperator);
      const [again, againSigs] = await burnStatement(f, A, UNIT);
      await viem.assertions.revertWithCustomErrorWithArgs(f.vault.write.debit([opId, A, again, againSigs], asOperator), f.vault, "OperationAlreadyExecuted", [opId]);
      assert.equal(await f.vault.read.balanceOf([A, f.cngn.address]), 199n * UNIT);
    });

    it("lets only the operator debit, and not while paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithNaira);
      const [change, sigs] = await burnStatement(f, A, UNIT);
      for (const who of [admin, compliance, bob]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.vault.write.debit([nextOp(), A, change, sigs], { account: who.account }),
          f.vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
      await f.vault.write.pause({ account: pauser.account });
      await viem.assertions.revertWithCustomError(f.vault.write.debit([nextOp(), A, change, sigs], asOperator), f.vault, "EnforcedPause");
    });
  });

  describe("convert (checks made before the router is called)", () => {
    it("refuses a path shorter than two tokens, with the wrong number of pools, or ending where it starts", async () => {
      const { vault, usd, cngn } = await networkHelpers.loadFixture(deployWithNaira);
      const pool = bob.account.address;
      for (const [tokens, pools] of [
        [[usd.address], []],
        [[usd.address, cngn.address], []],
        [[usd.address, cngn.address], [pool, pool]],
        [[usd.address, cngn.address, usd.address], [pool]],
        [[usd.address, usd.address], [pool]],
        [[usd.address, cngn.address, usd.address], [pool, routerStandIn.account.address]],
      ] as [Hex[], Hex[]][]) {
        await viem.assertions.revertWithCustomError(vault.write.convert([nextOp(), A, tokens, pools, UNIT, 0n, maxUint256], asOperator), vault, "InvalidPath");
      }
    });

    it("refuses an unsupported input or output asset", async () => {
      const { vault, usd, stray } = await networkHelpers.loadFixture(deployWithNaira);
      const pool = [bob.account.address];
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.convert([nextOp(), A, [usd.address, stray.address], pool, UNIT, 0n, maxUint256], asOperator),
        vault,
        "UnsupportedAsset",
        [getAddress(stray.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.convert([nextOp(), A, [stray.address, usd.address], pool, UNIT, 0n, maxUint256], asOperator),
        vault,
        "UnsupportedAsset",
        [getAddress(stray.address)],
      );
    });

    it("applies the account's outflow limits, balance and freeze to the input", async () => {
      const { vault, usd, cngn } = await networkHelpers.loadFixture(deployWithNaira);
      const path = (amount: bigint, account: Hex = A) =>
        vault.write.convert([nextOp(), account, [usd.address, cngn.address], [bob.account.address], amount, 0n, maxUint256], asOperator);
      await viem.assertions.revertWithCustomError(path(0n), vault, "ZeroAmount");
      await viem.assertions.revertWithCustomError(path(101n * UNIT), vault, "SingleLimitExceeded");
      await viem.assertions.revertWithCustomError(path(51n * UNIT, B), vault, "InsufficientBalance");
      await viem.assertions.revertWithCustomErrorWithArgs(path(UNIT, UNOPENED), vault, "AccountNotOpen", [UNOPENED]);
      await vault.write.freeze([A], asCompliance);
      await viem.assertions.revertWithCustomErrorWithArgs(path(UNIT), vault, "AccountIsFrozen", [A]);
    });

    it("lets only the operator convert", async () => {
      const { vault, usd, cngn } = await networkHelpers.loadFixture(deployWithNaira);
      for (const who of [admin, compliance, alice]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          vault.write.convert([nextOp(), A, [usd.address, cngn.address], [bob.account.address], UNIT, 0n, maxUint256], { account: who.account }),
          vault,
          "AccessControlUnauthorizedAccount",
          [getAddress(who.account.address), OPERATOR],
        );
      }
    });
  });

  describe("convert through the real router and pools", () => {
    it("swaps tokens[0] for the last token at the quoted amount, books both sides and emits Converted", async () => {
      const { contracts, addresses } = await networkHelpers.loadFixture(deployWithPools);
      const { vault, router, tokens } = contracts;
      const path = [tokens.cNGN.address, tokens.USDC.address];
      const amountIn = parseUnits("50000", 6);
      const quoted = await router.read.quote([path, [addresses.pool], amountIn]);
      assert.ok(quoted > 0n);
      const opId = nextOp();
      const args = [opId, A, path, [addresses.pool], amountIn, quoted, maxUint256] as const;
      assert.equal((await vault.simulate.convert(args)).result, quoted);
      await viem.assertions.emitWithArgs(vault.write.convert(args), vault, "Converted", [
        opId,
        A,
        getAddress(tokens.cNGN.address),
        amountIn,
        getAddress(tokens.USDC.address),
        quoted,
      ]);
      assert.equal(await vault.read.balanceOf([A, tokens.cNGN.address]), parseUnits("350000", 6));
      assert.equal(await vault.read.balanceOf([A, tokens.USDC.address]), quoted);
      for (const token of [tokens.cNGN, tokens.USDC]) {
        const total = await vault.read.totalBalance([token.address]);
        assert.equal(await token.read.balanceOf([vault.address]), total);
      }
      assert.equal(await vault.read.totalBalance([tokens.USDC.address]), quoted);
      assert.equal(await vault.read.outflowInWindow([A, tokens.cNGN.address]), amountIn);
      assert.equal(await vault.read.outflowInWindow([A, tokens.USDC.address]), 0n);
      assert.equal(await vault.read.isOperationExecuted([opId]), true);
    });

    it("converts along a two-hop path through two pools", async () => {
      const { contracts, addresses, second } = await networkHelpers.loadFixture(deployWithPools);
      const { vault, router, tokens } = contracts;
      const path = [tokens.cNGN.address, tokens.USDC.address, tokens.XAUt.address];
      const pools = [addresses.pool, second.address];
      const amountIn = parseUnits("90000", 6);
      const quoted = await router.read.quote([path, pools, amountIn]);
      assert.ok(quoted > 0n);
      await vault.write.convert([nextOp(), A, path, pools, amountIn, quoted, maxUint256]);
      assert.equal(await vault.read.balanceOf([A, tokens.XAUt.address]), quoted);
      assert.equal(await vault.read.balanceOf([A, tokens.USDC.address]), 0n);
      assert.equal(await tokens.XAUt.read.balanceOf([vault.address]), quoted);
      assert.equal(await tokens.USDC.read.balanceOf([vault.address]), 0n);
    });

    it("fails with the router's error below minAmountOut and keeps the id unused", async () => {
      const { contracts, addresses } = await networkHelpers.loadFixture(deployWithPools);
      const { vault, router, tokens } = contracts;
      const path = [tokens.cNGN.address, tokens.USDC.address];
      const amountIn = parseUnits("1000", 6);
      const quoted = await router.read.quote([path, [addresses.pool], amountIn]);
      const opId = nextOp();
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.convert([opId, A, path, [addresses.pool], amountIn, quoted + 1n, maxUint256]),
        router,
        "InsufficientOutput",
        [quoted, quoted + 1n],
      );
      assert.equal(await vault.read.isOperationExecuted([opId]), false);
      assert.equal(await vault.read.balanceOf([A, tokens.cNGN.address]), parseUnits("400000", 6));
      await vault.write.convert([opId, A, path, [addresses.pool], amountIn, quoted, maxUint256]);
    });

    it("fails with the router's error after the deadline or through an unregistered pool", async () => {
      const { contracts, addresses } = await networkHelpers.loadFixture(deployWithPools);
      const { vault, router, tokens } = contracts;
      const path = [tokens.cNGN.address, tokens.USDC.address];
      const deadline = (await now()) + 5n;
      await networkHelpers.time.increaseTo(deadline + 1n);
      await viem.assertions.revertWithCustomError(vault.write.convert([nextOp(), A, path, [addresses.pool], UNIT, 0n, deadline]), router, "Expired");
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.convert([nextOp(), A, path, [bob.account.address], UNIT, 0n, maxUint256]),
        router,
        "UnknownPool",
        [getAddress(bob.account.address)],
      );
    });

    it("applies the balance limit of the account's tier to the output", async () => {
      const { contracts, addresses } = await networkHelpers.loadFixture(deployWithPools);
      const { vault, router, tokens } = contracts;
      const small = { maxSingle: 1_000n * UNIT, maxDailyOutflow: 1_000n * UNIT, maxBalance: 10n * UNIT };
      await vault.write.setTierLimits([2, tokens.USDC.address, small]);
      const path = [tokens.cNGN.address, tokens.USDC.address];
      const amountIn = parseUnits("50000", 6);
      const quoted = await router.read.quote([path, [addresses.pool], amountIn]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.convert([nextOp(), A, path, [addresses.pool], amountIn, 0n, maxUint256]),
        vault,
        "BalanceLimitExceeded",
        [quoted, 10n * UNIT],
      );
    });

    it("executes an operation id once", async () => {
      const { contracts, addresses } = await networkHelpers.loadFixture(deployWithPools);
      const { vault, tokens } = contracts;
      const path = [tokens.cNGN.address, tokens.USDC.address];
      const opId = nextOp();
      await vault.write.convert([opId, A, path, [addresses.pool], UNIT, 0n, maxUint256]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        vault.write.convert([opId, A, path, [addresses.pool], UNIT, 0n, maxUint256]),
        vault,
        "OperationAlreadyExecuted",
        [opId],
      );
      assert.equal(await vault.read.balanceOf([A, tokens.cNGN.address]), parseUnits("400000", 6) - UNIT);
    });
  });
});
