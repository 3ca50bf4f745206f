import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256, toHex, zeroHash } from "viem";

import { reserveReport, sign, supplyChange, SupplyChangeKind, testAttesters } from "./helpers/attesters.js";

const { viem, networkHelpers } = await network.create();
const [admin, alice, bob, vault] = await viem.getWalletClients();
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const attesters = testAttesters(3);
const [a0, a1] = attesters as [(typeof attesters)[0], (typeof attesters)[0]];
const DAY = 86_400n;
const PAUSER = keccak256(toHex("juapesa.role.pauser"));
const ACCOUNT = keccak256(toHex("vault-account-under-test"));

async function now() {
  return BigInt(await networkHelpers.time.latest());
}

async function deployToken() {
  const ledger = await viem.deployContract("AttestationLedger", [
    admin.account.address,
    attesters.map((a) => a.address),
    2n,
    DAY,
  ]);
  const token = await viem.deployContract("AttestedToken", ["Compliant Naira", "cNGN", 6, ledger.address, admin.account.address]);
  const domain = { chainId, verifyingContract: ledger.address };
  const report = reserveReport(token.address, 1_000_000n, (await now()) - 1n);
  await ledger.write.submitReserveReport([report, await sign([a0, a1], domain, "ReserveReport", report)]);
  return { ledger, token, domain };
}

describe("AttestedToken", () => {
  it("has the asset's name, symbol, decimals and ledger", async () => {
    const { ledger, token } = await networkHelpers.loadFixture(deployToken);
    assert.equal(await token.read.name(), "Compliant Naira");
    assert.equal(await token.read.symbol(), "cNGN");
    assert.equal(await token.read.decimals(), 6);
    assert.equal(getAddress(await token.read.ledger()), getAddress(ledger.address));
  });

  it("mints an attested amount to a plain address; anyone may relay the statement", async () => {
    const { token, domain } = await networkHelpers.loadFixture(deployToken);
    const change = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 250_000n, (await now()) + 600n);
    const sigs = await sign([a0, a1], domain, "SupplyChange", change);
    await token.write.mint([change, sigs], { account: bob.account });
    assert.equal(await token.read.balanceOf([alice.account.address]), 250_000n);
    assert.equal(await token.read.totalSupply(), 250_000n);
  });

  it("emits AttestedMint with the statement id", async () => {
    const { ledger, token, domain } = await networkHelpers.loadFixture(deployToken);
    const change = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 1n, (await now()) + 600n);
    const sigs = await sign([a0, a1], domain, "SupplyChange", change);
    const id = await ledger.read.supplyChangeDigest([change]);
    await viem.assertions.emitWithArgs(token.write.mint([change, sigs]), token, "AttestedMint", [
      id,
      getAddress(alice.account.address),
      zeroHash,
      1n,
    ]);
  });

  it("refuses a mint that would take supply above the fresh reserve, and loses nothing", async () => {
    const { token, domain } = await networkHelpers.loadFixture(deployToken);
    const first = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 900_000n, (await now()) + 600n);
    await token.write.mint([first, await sign([a0, a1], domain, "SupplyChange", first)]);
    const second = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 100_001n, (await now()) + 600n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.mint([second, await sign([a0, a1], domain, "SupplyChange", second)]),
      token,
      "SupplyExceedsReserve",
      [1_000_001n, 1_000_000n],
    );
    assert.equal(await token.read.totalSupply(), 900_000n);
    const exact = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 100_000n, (await now()) + 600n);
    await token.write.mint([exact, await sign([a0, a1], domain, "SupplyChange", exact)]);
    assert.equal(await token.read.totalSupply(), 1_000_000n);
  });

  it("refuses to mint once the reserve report is stale", async () => {
    const { ledger, token, domain } = await networkHelpers.loadFixture(deployToken);
    await networkHelpers.time.increase(Number(DAY) + 1);
    const change = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 1n, (await now()) + 600n);
    await viem.assertions.revertWithCustomError(
      token.write.mint([change, await sign([a0, a1], domain, "SupplyChange", change)]),
      ledger,
      "NoFreshReserve",
    );
  });

  it("refuses a replayed mint statement", async () => {
    const { ledger, token, domain } = await networkHelpers.loadFixture(deployToken);
    const change = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 5n, (await now()) + 600n);
    const sigs = await sign([a0, a1], domain, "SupplyChange", change);
    await token.write.mint([change, sigs]);
    await viem.assertions.revertWithCustomError(token.write.mint([change, sigs]), ledger, "StatementAlreadyUsed");
    assert.equal(await token.read.totalSupply(), 5n);
  });

  it("refuses a burn statement to mint, a mint statement to burn, and another asset's statement", async () => {
    const { token, domain } = await networkHelpers.loadFixture(deployToken);
    const burn = supplyChange(SupplyChangeKind.Burn, token.address, alice.account.address, 1n, (await now()) + 600n);
    const sigs = await sign([a0, a1], domain, "SupplyChange", burn);
    await viem.assertions.revertWithCustomError(token.write.mint([burn, sigs]), token, "WrongStatementKind");
    const mint = { ...burn, kind: SupplyChangeKind.Mint };
    await viem.assertions.revertWithCustomError(
      token.write.burn([mint, sigs], { account: alice.account }),
      token,
      "WrongStatementKind",
    );
    const other = { ...mint, asset: bob.account.address };
    await viem.assertions.revertWithCustomErrorWithArgs(token.write.mint([other, sigs]), token, "WrongStatementAsset", [
      getAddress(bob.account.address),
    ]);
  });

  it("only the holder may submit a mint into a vault sub-account", async () => {
    const { token, domain } = await networkHelpers.loadFixture(deployToken);
    const change = supplyChange(SupplyChangeKind.Mint, token.address, vault.account.address, 7n, (await now()) + 600n, ACCOUNT);
    const sigs = await sign([a0, a1], domain, "SupplyChange", change);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.mint([change, sigs], { account: bob.account }),
      token,
      "CallerNotHolder",
      [getAddress(bob.account.address), getAddress(vault.account.address)],
    );
    await token.write.mint([change, sigs], { account: vault.account });
    assert.equal(await token.read.balanceOf([vault.account.address]), 7n);
  });

  it("burns an attested amount from the holder, only when the holder submits it", async () => {
    const { ledger, token, domain } = await networkHelpers.loadFixture(deployToken);
    const mint = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 100n, (await now()) + 600n);
    await token.write.mint([mint, await sign([a0, a1], domain, "SupplyChange", mint)]);
    const burn = supplyChange(SupplyChangeKind.Burn, token.address, alice.account.address, 40n, (await now()) + 600n);
    const sigs = await sign([a0, a1], domain, "SupplyChange", burn);
    await viem.assertions.revertWithCustomError(token.write.burn([burn, sigs], { account: bob.account }), token, "CallerNotHolder");
    const id = await ledger.read.supplyChangeDigest([burn]);
    await viem.assertions.emitWithArgs(token.write.burn([burn, sigs], { account: alice.account }), token, "AttestedBurn", [
      id,
      getAddress(alice.account.address),
      zeroHash,
      40n,
    ]);
    assert.equal(await token.read.balanceOf([alice.account.address]), 60n);
    assert.equal(await token.read.totalSupply(), 60n);
    await viem.assertions.revertWithCustomError(token.write.burn([burn, sigs], { account: alice.account }), ledger, "StatementAlreadyUsed");
  });

  it("refuses to burn more than the holder has", async () => {
    const { token, domain } = await networkHelpers.loadFixture(deployToken);
    const burn = supplyChange(SupplyChangeKind.Burn, token.address, alice.account.address, 1n, (await now()) + 600n);
    await viem.assertions.revertWithCustomError(
      token.write.burn([burn, await sign([a0, a1], domain, "SupplyChange", burn)], { account: alice.account }),
      token,
      "ERC20InsufficientBalance",
    );
  });

  it("pauses transfers, mints and burns; only the pauser may pause or unpause", async () => {
    const { token, domain } = await networkHelpers.loadFixture(deployToken);
    const mint = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 10n, (await now()) + 600n);
    await token.write.mint([mint, await sign([a0, a1], domain, "SupplyChange", mint)]);
    await viem.assertions.revertWithCustomError(token.write.pause({ account: bob.account }), token, "AccessControlUnauthorizedAccount");
    await token.write.pause();
    await viem.assertions.revertWithCustomError(
      token.write.transfer([bob.account.address, 1n], { account: alice.account }),
      token,
      "EnforcedPause",
    );
    const mint2 = supplyChange(SupplyChangeKind.Mint, token.address, alice.account.address, 1n, (await now()) + 600n);
    await viem.assertions.revertWithCustomError(
      token.write.mint([mint2, await sign([a0, a1], domain, "SupplyChange", mint2)]),
      token,
      "EnforcedPause",
    );
    await viem.assertions.revertWithCustomError(token.write.unpause({ account: bob.account }), token, "AccessControlUnauthorizedAccount");
    await token.write.unpause();
    await token.write.transfer([bob.account.address, 1n], { account: alice.account });
    assert.equal(await token.read.balanceOf([bob.account.address]), 1n);
    await token.write.grantRole([PAUSER, bob.account.address]);
    await token.write.pause({ account: bob.account });
    assert.equal(await token.read.paused(), true);
  });

  it("supports EIP-2612 permit", async () => {
    const { token } = await networkHelpers.loadFixture(deployToken);
    const deadline = (await now()) + 3600n;
    const signature = await alice.signTypedData({
      domain: { name: "Compliant Naira", version: "1", chainId, verifyingContract: token.address },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: { owner: alice.account.address, spender: bob.account.address, value: 42n, nonce: 0n, deadline },
    });
    const r = `0x${signature.slice(2, 66)}` as const;
    const s = `0x${signature.slice(66, 130)}` as const;
    const v = Number.parseInt(signature.slice(130, 132), 16);
    await token.write.permit([alice.account.address, bob.account.address, 42n, deadline, v, r, s]);
    assert.equal(await token.read.allowance([alice.account.address, bob.account.address]), 42n);
  });
});
