import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";

import {
  DEFAULT_MARGIN_BPS,
  GasEstimateError,
  HEDERA_MAX_GAS_PER_TRANSACTION,
  HTS_MARGIN_BPS,
  MAX_MARGIN_GAS,
  WEIBAR_PER_TINYBAR,
  gasLimitFor,
  tinybarToWeibar,
  weibarToTinybar,
  withMargin,
} from "../../../sdk/gas.js";
import { signStatement, SupplyChangeKind, type SupplyChange } from "../../../sdk/attestation.js";
import { deployStack, seedStack } from "../../../scripts/lib/stack.js";
import { testAttesters } from "../helpers/attesters.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const publicClient = await viem.getPublicClient();
const [admin, lp] = await viem.getWalletClients();
const attesters = testAttesters(3);
const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
const seedFrom = (await publicClient.getBlockNumber()) + 1n;
await seedStack(conn, stack, { attesters, threshold: 2n });
const seedTo = await publicClient.getBlockNumber();
const token = stack.contracts.tokens.cNGN;

let nonce = 1n << 48n;
async function mintRequest(signerCount = 2, amount = 1_000_000n) {
  const change: SupplyChange = {
    kind: SupplyChangeKind.Mint,
    asset: token.address,
    holder: lp!.account.address,
    account: `0x${"00".repeat(32)}`,
    amount,
    ref: keccak256(toHex(`gas test ${++nonce}`)),
    nonce,
    deadline: BigInt(await networkHelpers.time.latest()) + 3_600n,
  };
  const signatures = await signStatement(attesters.slice(0, signerCount), stack.domain, "SupplyChange", change);
  return { address: token.address, abi: token.abi, functionName: "mint", args: [change, signatures], account: admin!.account } as const;
}

describe("withMargin", () => {
  it("adds 20 % by default and 50 % for token-service calls", () => {
    assert.equal(DEFAULT_MARGIN_BPS, 2_000);
    assert.equal(HTS_MARGIN_BPS, 5_000);
    assert.equal(withMargin(100_000n), 120_000n);
    assert.equal(withMargin(100_000n, { hts: true }), 150_000n);
    assert.equal(withMargin(100_000n, { hts: true, marginBps: 1_000 }), 110_000n, "an explicit margin wins");
    assert.equal(withMargin(100_000n, { marginBps: 0 }), 100_000n);
  });

  it("caps the margin and the limit instead of padding large calls", () => {
    assert.equal(withMargin(8_000_000n), 8_000_000n + MAX_MARGIN_GAS, "20 % of 8M would be 1.6M");
    assert.equal(withMargin(14_000_000n), HEDERA_MAX_GAS_PER_TRANSACTION);
    assert.equal(withMargin(100_000n, { maxMarginGas: 5_000n }), 105_000n);
  });

  it("refuses a margin above 100 %, negative or fractional", () => {
    for (const marginBps of [10_001, -1, 1.5]) {
      assert.throws(() => withMargin(100_000n, { marginBps }), /outside 0\.\.10000/);
    }
  });
});

describe("gasLimitFor on the in-process chain", () => {
  it("is the estimate plus 20 %, and the transaction sent with it succeeds within it", async () => {
    const request = await mintRequest();
    const estimate = await publicClient.estimateContractGas(request);
    const limit = await gasLimitFor(publicClient, request);
    assert.equal(limit, estimate + (estimate * 2_000n) / 10_000n);
    const hash = await token.write.mint(request.args, { gas: limit, account: admin!.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    assert.ok(receipt.gasUsed <= limit, `used ${receipt.gasUsed} of ${limit}`);
    assert.ok(receipt.gasUsed <= estimate, `the estimate alone (${estimate}) covered ${receipt.gasUsed}`);
  });

  it("gives token-service paths the larger margin", async () => {
    const request = await mintRequest();
    const estimate = await publicClient.estimateContractGas(request);
    assert.equal(await gasLimitFor(publicClient, request, { hts: true }), estimate + estimate / 2n);
  });

  it("estimates raw transactions too", async () => {
    const request = { account: admin!.account, to: lp!.account.address, value: 1n } as const;
    const estimate = await publicClient.estimateGas(request);
    assert.ok(estimate >= 21_000n && estimate < 21_100n);
    assert.equal(await gasLimitFor(publicClient, request), (estimate * 12n) / 10n);
  });

  it("names the custom error of a call that would revert, and sends nothing", async () => {
    const before = await publicClient.getTransactionCount({ address: admin!.account.address });
    const tooMuch = await mintRequest(2, 10n ** 30n); // far above the attested reserve
    await assert.rejects(gasLimitFor(publicClient, tooMuch), (error: unknown) => {
      assert.ok(error instanceof GasEstimateError);
      assert.match(error.reason, /^SupplyExceedsReserve\(\d+, \d+\)$/);
      assert.match(error.message, new RegExp(`^Gas estimate for mint on ${token.address} failed: the call would revert with SupplyExceedsReserve\\(\\d+, \\d+\\)\\. Nothing was sent\\.$`));
      return true;
    });
    assert.equal(await publicClient.getTransactionCount({ address: admin!.account.address }), before);
  });

  it("names an error raised by a contract the call reaches, given that contract's ABI", async () => {
    const request = await mintRequest(1); // one signature where the ledger requires two: the ledger reverts
    await assert.rejects(gasLimitFor(publicClient, request), /would revert with an unknown error 0x[0-9a-f]{8} \(pass errorAbis to name it\)/);
    await assert.rejects(
      gasLimitFor(publicClient, request, { errorAbis: [stack.contracts.ledger.abi] }),
      (error: unknown) => error instanceof GasEstimateError && error.reason === "InsufficientSignatures(1, 2)",
    );
  });

  it("refuses a call whose estimate is above what a transaction may use", async () => {
    await assert.rejects(gasLimitFor(publicClient, await mintRequest(), { maxGas: 50_000n }), /is \d+, above the 50000 a transaction may use/);
  });

  it("sets every seeding transaction's limit from the estimate: margin applied, no padded constant", async () => {
    let checked = 0;
    for (let n = seedFrom; n <= seedTo; n++) {
      const block = await publicClient.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        const { gasUsed } = await publicClient.getTransactionReceipt({ hash: tx.hash });
        // The estimate is at least what the transaction used, so the limit is at least 1.2× that;
        // refunds aside, it is not much more.
        assert.ok(tx.gas >= (gasUsed * 12n) / 10n, `${tx.gas} for ${gasUsed} used: no margin`);
        assert.ok(tx.gas <= (gasUsed * 15n) / 10n, `${tx.gas} for ${gasUsed} used: padded`);
        checked++;
      }
    }
    assert.equal(checked, 12, "a reserve report, a mint, an approval and a deposit per asset");
  });
});

describe("weibar and tinybar", () => {
  it("converts at 10^10 weibar per tinybar", () => {
    assert.equal(WEIBAR_PER_TINYBAR, 10n ** 10n);
    assert.equal(tinybarToWeibar(1n), 10_000_000_000n);
    assert.equal(weibarToTinybar(10n ** 18n), 10n ** 8n, "one HBAR");
    assert.equal(weibarToTinybar(tinybarToWeibar(123_456_789n)), 123_456_789n);
  });

  it("refuses to drop a fraction of a tinybar unless told how to round", () => {
    assert.throws(() => weibarToTinybar(15_000_000_000n), /15000000000 weibar is not a whole number of tinybars/);
    assert.equal(weibarToTinybar(15_000_000_000n, "floor"), 1n);
    assert.equal(weibarToTinybar(15_000_000_000n, "ceil"), 2n);
    assert.equal(weibarToTinybar(20_000_000_000n, "ceil"), 2n);
  });

  it("refuses negative amounts", () => {
    assert.throws(() => weibarToTinybar(-1n), /negative/);
    assert.throws(() => tinybarToWeibar(-1n), /negative/);
  });
});
