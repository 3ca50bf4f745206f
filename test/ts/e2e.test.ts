/**
 * The whole protocol as the Ignition module deploys it, seeded as `npm start` seeds it, driven
 * through DESIGN.md's flows: cash in, send, convert, cash out, and the audit checks that follow.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, parseUnits, toHex, type Hex } from "viem";

import { signStatement, SupplyChangeKind, type SupplyChange } from "../../sdk/attestation.js";
import { ASSETS } from "../../sdk/protocol.js";
import { deployStack, seedStack, SEED_LIQUIDITY } from "../../scripts/lib/stack.js";
import { testAccount } from "./helpers/attesters.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const publicClient = await viem.getPublicClient();
const attesters = [0, 1, 2].map((i) => testAccount(`e2e-attester-${i}`));
const signers = attesters.slice(0, 2);

async function deployed() {
  const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
  await seedStack(conn, stack, { attesters, threshold: 2n });
  return stack;
}

const amina = keccak256(toHex("e2e account amina")); // stands in for HMAC(pepper, +2547…)
const kofi = keccak256(toHex("e2e account kofi"));
let nonce = 0n;

async function now() {
  return BigInt(await networkHelpers.time.latest());
}

function statement(kind: SupplyChangeKind, asset: Hex, holder: Hex, account: Hex, amount: bigint, deadline: bigint): SupplyChange {
  return {
    kind,
    asset: asset as `0x${string}`,
    holder: holder as `0x${string}`,
    account,
    amount,
    ref: keccak256(toHex(`mpesa-receipt-${++nonce}`)),
    nonce,
    deadline,
  };
}

describe("JuaPesa end to end", () => {
  it("deploys and seeds: attested reserves cover supply, the pool holds the seed liquidity", async () => {
    const { contracts } = await networkHelpers.loadFixture(deployed);
    const reserves = await contracts.pool.read.reserves();
    for (const [i, asset] of ASSETS.entries()) {
      const token = contracts.tokens[asset.symbol];
      const [reserve, , fresh] = await contracts.ledger.read.latestReserve([token.address]);
      assert.equal(fresh, true);
      assert.ok((await token.read.totalSupply()) <= reserve);
      assert.equal(reserves[i], SEED_LIQUIDITY[asset.symbol]);
    }
    const value = await contracts.pool.read.totalValue();
    assert.ok(value > parseUnits("990000", 18) && value < parseUnits("1010000", 18), `pool value ${value}`);
  });

  it("cash in, send, convert and cash out keep every account and every total consistent", async () => {
    const { contracts, addresses, domain } = await networkHelpers.loadFixture(deployed);
    const { vault } = contracts;
    const { cNGN, USDC } = contracts.tokens;
    await vault.write.openAccount([amina, 1]);
    await vault.write.openAccount([kofi, 1]);

    // Cash in ₦20,000 to Amina: the attester signs the telco receipt, the operator credits.
    const cashIn = statement(SupplyChangeKind.Mint, cNGN.address, addresses.vault, amina, parseUnits("20000", 6), (await now()) + 600n);
    await vault.write.credit([1n, amina, cashIn, await signStatement(signers, domain, "SupplyChange", cashIn)]);
    // Send ₦5,000 to Kofi.
    await vault.write.transfer([2n, amina, kofi, cNGN.address, parseUnits("5000", 6)]);
    // A retried send with the same operation id does nothing more.
    await viem.assertions.revertWithCustomErrorWithArgs(
      vault.write.transfer([2n, amina, kofi, cNGN.address, parseUnits("5000", 6)]),
      vault,
      "OperationAlreadyExecuted",
      [2n],
    );
    // Kofi converts ₦1,450 to USDC at the quoted rate.
    const quoted = await contracts.router.read.quote([[cNGN.address, USDC.address], [addresses.pool], parseUnits("1450", 6)]);
    await vault.write.convert([3n, kofi, [cNGN.address, USDC.address], [addresses.pool], parseUnits("1450", 6), quoted, (await now()) + 600n]);
    assert.equal(await vault.read.balanceOf([kofi, USDC.address]), quoted);
    assert.ok(quoted > parseUnits("0.99", 6) && quoted < parseUnits("1", 6), `₦1,450 bought ${quoted} USDC`);
    // Amina cashes out ₦10,000: an attested burn from her account.
    const cashOut = statement(SupplyChangeKind.Burn, cNGN.address, addresses.vault, amina, parseUnits("10000", 6), (await now()) + 600n);
    await vault.write.debit([4n, amina, cashOut, await signStatement(signers, domain, "SupplyChange", cashOut)]);

    assert.equal(await vault.read.balanceOf([amina, cNGN.address]), parseUnits("5000", 6));
    assert.equal(await vault.read.balanceOf([kofi, cNGN.address]), parseUnits("3550", 6));
    // Invariant 2: the accounts' balances sum to what the vault holds, per asset.
    for (const token of [cNGN, USDC]) {
      const sum = (await vault.read.balanceOf([amina, token.address])) + (await vault.read.balanceOf([kofi, token.address]));
      assert.equal(await vault.read.totalBalance([token.address]), sum);
      assert.equal(await token.read.balanceOf([addresses.vault]), sum);
    }
    // Invariant 3, re-verified from events alone: one attestation per mint and burn.
    const attested = await publicClient.getContractEvents({
      address: addresses.ledger,
      abi: contracts.ledger.abi,
      eventName: "SupplyChangeAttested",
      fromBlock: 0n,
    });
    const mints = await publicClient.getContractEvents({ address: cNGN.address, abi: cNGN.abi, eventName: "AttestedMint", fromBlock: 0n });
    const burns = await publicClient.getContractEvents({ address: cNGN.address, abi: cNGN.abi, eventName: "AttestedBurn", fromBlock: 0n });
    const cngnAttested = attested.filter((e) => e.args.asset?.toLowerCase() === cNGN.address.toLowerCase());
    assert.equal(cngnAttested.length, mints.length + burns.length);
    assert.equal(new Set(attested.map((e) => e.args.id)).size, attested.length);
  });

  it("a cash-out above the tier's daily limit is refused and moves nothing", async () => {
    const { contracts, addresses, domain } = await networkHelpers.loadFixture(deployed);
    const { vault } = contracts;
    const { cNGN } = contracts.tokens;
    await vault.write.openAccount([amina, 1]);
    const cashIn = statement(SupplyChangeKind.Mint, cNGN.address, addresses.vault, amina, parseUnits("200000", 6), (await now()) + 600n);
    await vault.write.credit([10n, amina, cashIn, await signStatement(signers, domain, "SupplyChange", cashIn)]);
    const tooMuch = statement(SupplyChangeKind.Burn, cNGN.address, addresses.vault, amina, parseUnits("60000", 6), (await now()) + 600n);
    await viem.assertions.revertWithCustomError(
      vault.write.debit([11n, amina, tooMuch, await signStatement(signers, domain, "SupplyChange", tooMuch)]),
      vault,
      "SingleLimitExceeded",
    );
    assert.equal(await vault.read.balanceOf([amina, cNGN.address]), parseUnits("200000", 6));
    assert.equal(await vault.read.isOperationExecuted([11n]), false);
  });
});
