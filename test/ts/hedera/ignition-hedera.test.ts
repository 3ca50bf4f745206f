/**
 * The Hedera deployment path on the in-process chain with the HTS emulator at 0x167, in the order the
 * README prescribes: the ledger module, one HtsIssuer per token, the HTS tokens (issuer as treasury and
 * supply key), setToken, then the JuaPesaHedera module; then the protocol is used with the HTS tokens.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256, toHex, zeroHash, type Address, type Hex } from "viem";

import JuaPesaModule from "../../../ignition/modules/JuaPesa.js";
import JuaPesaHederaModule, { issuerParameter, tokenParameter } from "../../../ignition/modules/JuaPesaHedera.js";
import JuaPesaLedgerModule from "../../../ignition/modules/JuaPesaLedger.js";
import { SEED_LIQUIDITY } from "../../../scripts/lib/stack.js";
import { fromIgnition } from "../../../sdk/deployments.js";
import { ASSETS, feedId, type AssetSpec } from "../../../sdk/protocol.js";
import { reserveReport, sign, supplyChange, SupplyChangeKind, testAttesters } from "../helpers/attesters.js";
import { contractKey, createToken, hederaToken, installHts, KEY, MAX_INT64 } from "./hts.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const { ignition } = conn as typeof conn & { ignition: any };
const [admin, lp, trader] = await viem.getWalletClients();
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const attesters = testAttesters(3);
const signers = attesters.slice(0, 2);

type Symbol = AssetSpec["symbol"];
const UNIT = 1_000_000n; // every asset has 6 decimals
const A: Hex = keccak256(toHex("ignition-hedera account A"));
const B: Hex = keccak256(toHex("ignition-hedera account B"));

async function now() {
  return BigInt(await networkHelpers.time.latest());
}

/** Steps 1 to 4 of the Hedera path: ledger, issuers, tokens, setToken. */
async function hederaPrerequisites() {
  await installHts(conn);
  const { ledger } = await ignition.deploy(JuaPesaLedgerModule, {
    parameters: { JuaPesaLedger: { attesters: attesters.map((a) => a.address), threshold: 2n } },
  });
  const issuers = {} as Record<Symbol, Awaited<ReturnType<typeof deployIssuer>>["issuer"]>;
  const tokens = {} as Record<Symbol, Awaited<ReturnType<typeof deployIssuer>>["token"]>;
  async function deployIssuer(asset: AssetSpec) {
    const issuer = await viem.deployContract("HtsIssuer", [ledger.address, admin.account.address]);
    const token = await createToken(
      conn,
      hederaToken(issuer.address, [contractKey(KEY.SUPPLY, issuer.address)], { name: asset.name, symbol: asset.symbol }),
    );
    await issuer.write.setToken([token.address]);
    return { issuer, token };
  }
  for (const asset of ASSETS) ({ issuer: issuers[asset.symbol], token: tokens[asset.symbol] } = await deployIssuer(asset));
  return { ledger: await viem.getContractAt("AttestationLedger", ledger.address), issuers, tokens };
}

function moduleParameters(p: Awaited<ReturnType<typeof hederaPrerequisites>>) {
  return Object.fromEntries([
    ["ledger", p.ledger.address],
    ...ASSETS.flatMap(({ symbol }) => [
      [tokenParameter(symbol), p.tokens[symbol].address],
      [issuerParameter(symbol), p.issuers[symbol].address],
    ]),
  ]);
}

/** The whole Hedera path, then the first rates from the reporter (the admin by default). */
async function deployHedera() {
  const p = await hederaPrerequisites();
  const deployed = await ignition.deploy(JuaPesaHederaModule, { parameters: { JuaPesa: moduleParameters(p) } });
  const oracle = await viem.getContractAt("FxOracle", deployed.oracle.address);
  for (const { feed } of ASSETS) if (feed) await oracle.write.report([feedId(feed.name), feed.seedRate]);
  return {
    ...p,
    domain: { chainId, verifyingContract: p.ledger.address },
    deployed,
    vault: await viem.getContractAt("CustodialVault", deployed.vault.address),
    pool: await viem.getContractAt("LiquidityPool", deployed.pool.address),
    router: await viem.getContractAt("Router", deployed.router.address),
  };
}

type Fixture = Awaited<ReturnType<typeof deployHedera>>;

/** A fresh reserve report naming the issuer: the attested asset id of an HTS token. */
async function reportReserve(f: Fixture, symbol: Symbol, reserve: bigint) {
  const report = reserveReport(f.issuers[symbol].address, reserve, await now());
  await f.ledger.write.submitReserveReport([report, await sign(signers, f.domain, "ReserveReport", report)]);
}

async function mintStatement(f: Fixture, symbol: Symbol, holder: Address, amount: bigint, account: Hex = zeroHash) {
  const change = supplyChange(SupplyChangeKind.Mint, f.issuers[symbol].address, holder, amount, (await now()) + 600n, account);
  return [change, await sign(signers, f.domain, "SupplyChange", change)] as const;
}

describe("JuaPesaHedera: the Ignition module around HTS tokens", () => {
  it("keeps the ids sdk/deployments.ts reads, as JuaPesa.ts does", () => {
    for (const module of [JuaPesaModule, JuaPesaHederaModule]) {
      assert.equal(module.id, "JuaPesa");
      const ids = [...module.futures].filter((f) => f.type.startsWith("NAMED_ARTIFACT_CONTRACT") || f.type === "CONTRACT_AT");
      const raw = Object.fromEntries(ids.map((f, i) => [f.id, `0x${(i + 1).toString(16).padStart(40, "0")}`]));
      assert.doesNotThrow(() => fromIgnition(chainId, raw), `${module.id}: ${Object.keys(raw).join(", ")}`);
    }
    assert.equal([...JuaPesaLedgerModule.futures][0]!.id, "JuaPesaLedger#AttestationLedger");
  });

  it("records the existing ledger, tokens and issuers under their ids and wires the pool to the facades", async () => {
    const f = await networkHelpers.loadFixture(deployHedera);
    assert.equal(getAddress(f.deployed.ledger.address), getAddress(f.ledger.address));
    for (const { symbol } of ASSETS) {
      assert.equal(getAddress(f.deployed[symbol].address), getAddress(f.tokens[symbol].address));
      assert.equal(getAddress(f.deployed[`${symbol}Issuer`].address), getAddress(f.issuers[symbol].address));
    }
    const poolAssets = await f.pool.read.assets();
    assert.deepEqual(
      poolAssets.map((a) => getAddress(a.token)),
      ASSETS.map((a) => getAddress(f.tokens[a.symbol].address)),
    );
    assert.equal(await f.router.read.isPool([f.pool.address]), true);
    assert.equal(getAddress(await f.vault.read.router()), getAddress(f.router.address));
  });

  it("associates the vault and the pool with every token, which nothing else does", async () => {
    const f = await networkHelpers.loadFixture(deployHedera);
    for (const { symbol } of ASSETS) {
      const token = f.tokens[symbol];
      assert.equal(await token.read.isAssociatedWith([f.vault.address]), true, `vault ↔ ${symbol}`);
      assert.equal(await token.read.isAssociatedWith([f.pool.address]), true, `pool ↔ ${symbol}`);
      assert.equal(await token.read.isAssociatedWith([f.router.address]), false, "the router never holds a token");
    }
  });

  it("adds the facades as vault assets, registers each issuer for its facade, and sets tier limits", async () => {
    const f = await networkHelpers.loadFixture(deployHedera);
    // Ignition runs the three addAsset calls in one batch, in an order of its own.
    const sorted = (addresses: readonly Address[]) => addresses.map((a) => getAddress(a)).sort();
    assert.deepEqual(sorted(await f.vault.read.assets()), sorted(ASSETS.map((a) => f.tokens[a.symbol].address)));
    for (const { symbol } of ASSETS) {
      const token = f.tokens[symbol];
      assert.equal(getAddress(await f.vault.read.assetOf([f.issuers[symbol].address])), getAddress(token.address));
      // The vault approved after associating: HTS allowances are int64, so "everything" is int64's maximum.
      assert.equal(await token.read.allowance([f.vault.address, f.router.address]), MAX_INT64);
      assert.equal(await token.read.allowance([f.vault.address, f.issuers[symbol].address]), MAX_INT64);
      assert.ok((await f.vault.read.tierLimits([2, token.address])).maxSingle > 0n, `${symbol} tier 2 limits`);
    }
  });

  it("credits an account by an attested mint naming the issuer, and moves it between accounts", async () => {
    const f = await networkHelpers.loadFixture(deployHedera);
    const cNGN = f.tokens.cNGN;
    await reportReserve(f, "cNGN", 1_000_000n * UNIT);
    await f.vault.write.openAccount([A, 2]);
    await f.vault.write.openAccount([B, 2]);

    await f.vault.write.credit([1n, A, ...(await mintStatement(f, "cNGN", f.vault.address, 20_000n * UNIT, A))]);
    assert.equal(await f.vault.read.balanceOf([A, cNGN.address]), 20_000n * UNIT);
    assert.equal(await cNGN.read.balanceOf([f.vault.address]), 20_000n * UNIT);
    assert.equal(await cNGN.read.totalSupply(), 20_000n * UNIT);

    await f.vault.write.transfer([2n, A, B, cNGN.address, 5_000n * UNIT]);
    assert.equal(await f.vault.read.balanceOf([A, cNGN.address]), 15_000n * UNIT);
    assert.equal(await f.vault.read.balanceOf([B, cNGN.address]), 5_000n * UNIT);
    assert.equal(await f.vault.read.totalBalance([cNGN.address]), 20_000n * UNIT);
  });

  it("takes liquidity in the HTS tokens and swaps them through the router", async () => {
    const f = await networkHelpers.loadFixture(deployHedera);
    for (const { symbol } of ASSETS) {
      const token = f.tokens[symbol];
      const amount = SEED_LIQUIDITY[symbol];
      await reportReserve(f, symbol, amount * 2n);
      await token.write.associate({ account: lp.account });
      await f.issuers[symbol].write.mint([...(await mintStatement(f, symbol, lp.account.address, amount))]);
      await token.write.approve([f.pool.address, amount], { account: lp.account });
      await f.pool.write.deposit([token.address, amount, 0n, lp.account.address], { account: lp.account });
      assert.equal(await token.read.balanceOf([f.pool.address]), amount);
    }
    assert.ok((await f.pool.read.balanceOf([lp.account.address])) > 0n, "the LP holds pool shares");

    const { USDC, cNGN } = f.tokens;
    const amountIn = 100n * UNIT;
    for (const token of [USDC, cNGN]) await token.write.associate({ account: trader.account });
    await f.issuers.USDC.write.mint([...(await mintStatement(f, "USDC", trader.account.address, amountIn))]);
    await USDC.write.approve([f.router.address, amountIn], { account: trader.account });
    const path = [USDC.address, cNGN.address];
    const quoted = await f.router.read.quote([path, [f.pool.address], amountIn]);
    await f.router.write.swap([path, [f.pool.address], amountIn, quoted, trader.account.address, (await now()) + 600n], {
      account: trader.account,
    });
    assert.equal(await cNGN.read.balanceOf([trader.account.address]), quoted);
    assert.equal(await USDC.read.balanceOf([trader.account.address]), 0n);
    assert.ok(quoted > 140_000n * UNIT && quoted < 145_000n * UNIT, `$100 buys about ₦145,000 at ₦1,450, less fees: ${quoted}`);
  });

  it("refuses to start without a token or issuer address, naming the missing parameter", async () => {
    const p = await networkHelpers.loadFixture(hederaPrerequisites);
    const { [issuerParameter("XAUt")]: _dropped, ...incomplete } = moduleParameters(p);
    await assert.rejects(
      ignition.deploy(JuaPesaHederaModule, { parameters: { JuaPesa: incomplete } }),
      /JuaPesa#XAUtIssuer: .*Module parameter 'XAUtIssuer' requires a value but was given none/,
    );
  });
});
