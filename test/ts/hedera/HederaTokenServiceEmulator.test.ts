import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";

import {
  contractKey,
  createToken,
  delegatableKey,
  ecdsaKey,
  hederaToken,
  inheritedKey,
  installHts,
  KEY,
  MAX_INT64,
  RC,
} from "./hts.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const [admin, alice, bob, keyHolder] = await viem.getWalletClients();
const asAlice = { account: alice.account };
const asBob = { account: bob.account };
// Simulations take the sender's address.
const fromAlice = { account: alice.account.address };
const fromBob = { account: bob.account.address };
const fromKeyHolder = { account: keyHolder.account.address };

/** A token whose treasury is `admin` and whose supply key is `keyHolder` (an address the emulator checks). */
async function deployHts() {
  const hts = await installHts(conn);
  const token = await createToken(
    conn,
    hederaToken(admin.account.address, [contractKey(KEY.SUPPLY, keyHolder.account.address)]),
    1_000n,
  );
  return { hts, token };
}

describe("HederaTokenServiceEmulator", () => {
  describe("createFungibleToken", () => {
    it("deploys a facade with the token's name, symbol, decimals and treasury, holding the initial supply", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const spec = hederaToken(alice.account.address, [], { name: "Test Dollar", symbol: "USD" });
      const { result } = await hts.simulate.createFungibleToken([spec, 500n, 2]);
      assert.equal(result[0], RC.SUCCESS);
      const token = await createToken(conn, spec, 500n, 2);
      assert.equal(getAddress(token.address), getAddress(result[1]));
      assert.equal(await token.read.name(), "Test Dollar");
      assert.equal(await token.read.symbol(), "USD");
      assert.equal(await token.read.decimals(), 2);
      assert.equal(getAddress(await token.read.treasury()), getAddress(alice.account.address));
      assert.equal(await token.read.totalSupply(), 500n);
      assert.equal(await token.read.balanceOf([alice.account.address]), 500n);
      assert.equal(await token.read.isAssociatedWith([alice.account.address]), true);
      assert.equal(await token.read.isAssociatedWith([bob.account.address]), false);
    });

    it("answers INVALID_TREASURY_ACCOUNT_FOR_TOKEN for a zero treasury", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const { result } = await hts.simulate.createFungibleToken([hederaToken(zeroAddress, []), 0n, 6]);
      assert.deepEqual(result, [RC.INVALID_TREASURY_ACCOUNT_FOR_TOKEN, zeroAddress]);
    });

    it("answers INVALID_TOKEN_DECIMALS below 0 or above 18", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      for (const decimals of [-1, 19]) {
        const { result } = await hts.simulate.createFungibleToken([hederaToken(admin.account.address, []), 0n, decimals]);
        assert.equal(result[0], RC.INVALID_TOKEN_DECIMALS);
      }
      const { result } = await hts.simulate.createFungibleToken([hederaToken(admin.account.address, []), 0n, 18]);
      assert.equal(result[0], RC.SUCCESS);
    });

    it("answers INVALID_TOKEN_INITIAL_SUPPLY for a negative supply or one above a finite maximum", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const infinite = hederaToken(admin.account.address, []);
      assert.equal((await hts.simulate.createFungibleToken([infinite, -1n, 6])).result[0], RC.INVALID_TOKEN_INITIAL_SUPPLY);
      const finite = hederaToken(admin.account.address, [], { finite: true, maxSupply: 100n });
      assert.equal((await hts.simulate.createFungibleToken([finite, 101n, 6])).result[0], RC.INVALID_TOKEN_INITIAL_SUPPLY);
      assert.equal((await hts.simulate.createFungibleToken([finite, 100n, 6])).result[0], RC.SUCCESS);
    });

    it("answers INVALID_TOKEN_MAX_SUPPLY for a finite token without a positive maximum", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const finite = hederaToken(admin.account.address, [], { finite: true, maxSupply: 0n });
      assert.equal((await hts.simulate.createFungibleToken([finite, 0n, 6])).result[0], RC.INVALID_TOKEN_MAX_SUPPLY);
    });
  });

  describe("mintToken", () => {
    it("mints to the treasury for the supply key holder and returns the new supply", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      const { result } = await hts.simulate.mintToken([token.address, 250n, []], fromKeyHolder);
      assert.deepEqual(result, [RC.SUCCESS, 1_250n, []]);
      await viem.assertions.emitWithArgs(
        hts.write.mintToken([token.address, 250n, []], { account: keyHolder.account }),
        token,
        "Transfer",
        [zeroAddress, getAddress(admin.account.address), 250n],
      );
      assert.equal(await token.read.balanceOf([admin.account.address]), 1_250n);
      assert.equal(await token.read.totalSupply(), 1_250n);
    });

    it("answers INVALID_TOKEN_ID for an address that is not a token, and changes nothing", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const { result } = await hts.simulate.mintToken([alice.account.address, 1n, []], fromKeyHolder);
      assert.equal(result[0], RC.INVALID_TOKEN_ID);
    });

    it("answers TOKEN_HAS_NO_SUPPLY_KEY for a token created without one", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const keyless = await createToken(conn, hederaToken(admin.account.address, [contractKey(KEY.ADMIN, admin.account.address)]));
      assert.equal((await hts.simulate.mintToken([keyless.address, 1n, []])).result[0], RC.TOKEN_HAS_NO_SUPPLY_KEY);
      assert.equal((await hts.simulate.burnToken([keyless.address, 1n, []])).result[0], RC.TOKEN_HAS_NO_SUPPLY_KEY);
    });

    it("answers INVALID_SIGNATURE to a caller other than the supply key, and for a key no contract holds", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      const { result } = await hts.simulate.mintToken([token.address, 1n, []], fromAlice);
      assert.equal(result[0], RC.INVALID_SIGNATURE);
      const signed = await createToken(conn, hederaToken(admin.account.address, [ecdsaKey(KEY.SUPPLY)]));
      assert.equal((await hts.simulate.mintToken([signed.address, 1n, []])).result[0], RC.INVALID_SIGNATURE);
      assert.equal(await token.read.totalSupply(), 1_000n);
    });

    it("accepts a delegatable contract id key and an inherited key (the creator's)", async () => {
      const { hts } = await networkHelpers.loadFixture(deployHts);
      const delegatable = await createToken(
        conn,
        hederaToken(admin.account.address, [delegatableKey(KEY.SUPPLY | KEY.ADMIN, alice.account.address)]),
      );
      assert.equal((await hts.simulate.mintToken([delegatable.address, 1n, []], fromAlice)).result[0], RC.SUCCESS);
      const inherited = await createToken(conn, hederaToken(admin.account.address, [inheritedKey(KEY.SUPPLY)]));
      assert.equal((await hts.simulate.mintToken([inherited.address, 1n, []])).result[0], RC.SUCCESS);
      assert.equal((await hts.simulate.mintToken([inherited.address, 1n, []], fromAlice)).result[0], RC.INVALID_SIGNATURE);
    });

    it("answers INVALID_TOKEN_MINT_AMOUNT for zero or a negative amount", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      for (const amount of [0n, -5n]) {
        const { result } = await hts.simulate.mintToken([token.address, amount, []], fromKeyHolder);
        assert.equal(result[0], RC.INVALID_TOKEN_MINT_AMOUNT);
      }
    });

    it("answers TOKEN_MAX_SUPPLY_REACHED past a finite maximum (and past int64 for an infinite token)", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      const finite = await createToken(
        conn,
        hederaToken(admin.account.address, [contractKey(KEY.SUPPLY, keyHolder.account.address)], { finite: true, maxSupply: 10n }),
        4n,
      );
      assert.equal((await hts.simulate.mintToken([finite.address, 7n, []], fromKeyHolder)).result[0], RC.TOKEN_MAX_SUPPLY_REACHED);
      assert.equal((await hts.simulate.mintToken([finite.address, 6n, []], fromKeyHolder)).result[0], RC.SUCCESS);
      const room = MAX_INT64 - 1_000n;
      assert.equal((await hts.simulate.mintToken([token.address, room + 1n, []], fromKeyHolder)).result[0], RC.TOKEN_MAX_SUPPLY_REACHED);
      assert.deepEqual((await hts.simulate.mintToken([token.address, room, []], fromKeyHolder)).result, [RC.SUCCESS, MAX_INT64, []]);
    });
  });

  describe("burnToken", () => {
    it("burns from the treasury for the supply key holder and returns the new supply", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      const asKey = { account: keyHolder.account };
      assert.deepEqual((await hts.simulate.burnToken([token.address, 400n, []], fromKeyHolder)).result, [RC.SUCCESS, 600n]);
      await hts.write.burnToken([token.address, 400n, []], asKey);
      assert.equal(await token.read.balanceOf([admin.account.address]), 600n);
      assert.equal(await token.read.totalSupply(), 600n);
    });

    it("answers INVALID_TOKEN_ID, INVALID_SIGNATURE and INVALID_TOKEN_BURN_AMOUNT like mintToken", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      const asKey = { account: keyHolder.account };
      assert.equal((await hts.simulate.burnToken([bob.account.address, 1n, []], fromKeyHolder)).result[0], RC.INVALID_TOKEN_ID);
      assert.equal((await hts.simulate.burnToken([token.address, 1n, []], fromAlice)).result[0], RC.INVALID_SIGNATURE);
      assert.equal((await hts.simulate.burnToken([token.address, 0n, []], fromKeyHolder)).result[0], RC.INVALID_TOKEN_BURN_AMOUNT);
      assert.equal((await hts.simulate.burnToken([token.address, -1n, []], fromKeyHolder)).result[0], RC.INVALID_TOKEN_BURN_AMOUNT);
    });

    it("answers INSUFFICIENT_TOKEN_BALANCE beyond the treasury's balance, even when supply would cover it", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      await token.write.associate(asAlice);
      await token.write.transfer([alice.account.address, 300n]);
      const asKey = { account: keyHolder.account };
      assert.equal((await hts.simulate.burnToken([token.address, 701n, []], fromKeyHolder)).result[0], RC.INSUFFICIENT_TOKEN_BALANCE);
      assert.equal((await hts.simulate.burnToken([token.address, 700n, []], fromKeyHolder)).result[0], RC.SUCCESS);
    });
  });

  describe("associateToken", () => {
    it("associates the caller, then answers TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      const args = [alice.account.address, token.address] as const;
      assert.equal((await hts.simulate.associateToken(args, fromAlice)).result, RC.SUCCESS);
      await hts.write.associateToken(args, asAlice);
      assert.equal(await token.read.isAssociatedWith([alice.account.address]), true);
      assert.equal((await hts.simulate.associateToken(args, fromAlice)).result, RC.TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT);
    });

    it("answers INVALID_SIGNATURE when the caller is not the account, and INVALID_TOKEN_ID for a non-token", async () => {
      const { hts, token } = await networkHelpers.loadFixture(deployHts);
      assert.equal(
        (await hts.simulate.associateToken([alice.account.address, token.address], fromBob)).result,
        RC.INVALID_SIGNATURE,
      );
      assert.equal(
        (await hts.simulate.associateToken([alice.account.address, bob.account.address], fromAlice)).result,
        RC.INVALID_TOKEN_ID,
      );
    });
  });
});

describe("HtsFacadeToken", () => {
  it("refuses a transfer to or from an unassociated account with TOKEN_NOT_ASSOCIATED_TO_ACCOUNT", async () => {
    const { token } = await networkHelpers.loadFixture(deployHts);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.transfer([alice.account.address, 1n]),
      token,
      "HtsFailure",
      [RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.transfer([admin.account.address, 0n], asBob),
      token,
      "HtsFailure",
      [RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT],
    );
    await token.write.associate(asAlice);
    await token.write.transfer([alice.account.address, 1n]);
    assert.equal(await token.read.balanceOf([alice.account.address]), 1n);
  });

  it("refuses a transfer beyond the balance with INSUFFICIENT_TOKEN_BALANCE", async () => {
    const { token } = await networkHelpers.loadFixture(deployHts);
    await token.write.associate(asAlice);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.transfer([alice.account.address, 1_001n]),
      token,
      "HtsFailure",
      [RC.INSUFFICIENT_TOKEN_BALANCE],
    );
  });

  it("spends allowances, refusing with SPENDER_DOES_NOT_HAVE_ALLOWANCE or AMOUNT_EXCEEDS_ALLOWANCE", async () => {
    const { token } = await networkHelpers.loadFixture(deployHts);
    await token.write.associate(asAlice);
    const pull = (amount: bigint) => token.write.transferFrom([admin.account.address, alice.account.address, amount], asBob);
    await viem.assertions.revertWithCustomErrorWithArgs(pull(1n), token, "HtsFailure", [RC.SPENDER_DOES_NOT_HAVE_ALLOWANCE]);
    await token.write.approve([bob.account.address, 10n]);
    await viem.assertions.revertWithCustomErrorWithArgs(pull(11n), token, "HtsFailure", [RC.AMOUNT_EXCEEDS_ALLOWANCE]);
    await pull(4n);
    assert.equal(await token.read.allowance([admin.account.address, bob.account.address]), 6n);
    assert.equal(await token.read.balanceOf([alice.account.address]), 4n);
  });

  it("refuses ERC-20 amounts beyond int64, as the network does", async () => {
    const { token } = await networkHelpers.loadFixture(deployHts);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.approve([bob.account.address, MAX_INT64 + 1n]),
      token,
      "AmountNotInt64",
      [MAX_INT64 + 1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.transfer([admin.account.address, MAX_INT64 + 1n]),
      token,
      "AmountNotInt64",
      [MAX_INT64 + 1n],
    );
    await token.write.approve([bob.account.address, MAX_INT64]);
    assert.equal(await token.read.allowance([admin.account.address, bob.account.address]), MAX_INT64);
  });

  it("refuses an approval by an unassociated owner", async () => {
    const { token } = await networkHelpers.loadFixture(deployHts);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.approve([bob.account.address, 1n], asAlice),
      token,
      "HtsFailure",
      [RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT],
    );
  });

  it("lets only the token service mint, burn and associate through it", async () => {
    const { token } = await networkHelpers.loadFixture(deployHts);
    const caller: [`0x${string}`] = [getAddress(admin.account.address)];
    await viem.assertions.revertWithCustomErrorWithArgs(token.write.mintToTreasury([1n]), token, "CallerNotHts", caller);
    await viem.assertions.revertWithCustomErrorWithArgs(token.write.burnFromTreasury([1n]), token, "CallerNotHts", caller);
    await viem.assertions.revertWithCustomErrorWithArgs(
      token.write.associateAccount([alice.account.address]),
      token,
      "CallerNotHts",
      caller,
    );
  });

  describe("HIP-719", () => {
    it("associates msg.sender, answering SUCCESS then TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT", async () => {
      const { token } = await networkHelpers.loadFixture(deployHts);
      assert.equal(await token.read.isAssociated(asAlice), false);
      assert.equal((await token.simulate.associate(fromAlice)).result, RC.SUCCESS);
      await token.write.associate(asAlice);
      assert.equal(await token.read.isAssociated(asAlice), true);
      assert.equal((await token.simulate.associate(fromAlice)).result, RC.TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT);
    });

    it("dissociates an empty account, which can then no longer receive the token", async () => {
      const { token } = await networkHelpers.loadFixture(deployHts);
      await token.write.associate(asAlice);
      assert.equal((await token.simulate.dissociate(fromAlice)).result, RC.SUCCESS);
      await token.write.dissociate(asAlice);
      assert.equal(await token.read.isAssociated(asAlice), false);
      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.transfer([alice.account.address, 1n]),
        token,
        "HtsFailure",
        [RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT],
      );
    });

    it("refuses to dissociate an unassociated account, the treasury, or an account holding the token", async () => {
      const { token } = await networkHelpers.loadFixture(deployHts);
      assert.equal((await token.simulate.dissociate(fromAlice)).result, RC.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT);
      assert.equal((await token.simulate.dissociate()).result, RC.ACCOUNT_IS_TREASURY);
      await token.write.associate(asAlice);
      await token.write.transfer([alice.account.address, 1n]);
      assert.equal((await token.simulate.dissociate(fromAlice)).result, RC.TRANSACTION_REQUIRES_ZERO_TOKEN_BALANCES);
    });
  });
});
