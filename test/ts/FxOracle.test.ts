import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import {
  encodeFunctionData,
  keccak256,
  maxUint128,
  parseUnits,
  toBytes,
  zeroAddress,
  zeroHash,
  type Address,
  type Hex,
} from "viem";

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const wallets = await viem.getWalletClients();
type Wallet = (typeof wallets)[number];
function wallet(i: number): Wallet {
  const w = wallets[i];
  if (!w) throw new Error(`the test network needs at least ${i + 1} accounts`);
  return w;
}
const [admin, guardian, r1, r2, r3, r4, outsider] = [0, 1, 2, 3, 4, 5, 6].map(wallet) as [
  Wallet,
  Wallet,
  Wallet,
  Wallet,
  Wallet,
  Wallet,
  Wallet,
];

const wad = (x: string): bigint => parseUnits(x, 18);
const WAD = wad("1");
const GUARDIAN = keccak256(toBytes("juapesa.role.guardian"));
const ADMIN_ROLE = zeroHash;
const NAME = "NGN/USD";
const FEED = keccak256(toBytes(NAME));
const OTHER_NAME = "KES/USD";
const OTHER = keccak256(toBytes(OTHER_NAME));
const UNKNOWN = keccak256(toBytes("XYZ/USD"));
const EXPIRY = 3600;
const COOLDOWN = 600;
const CONFIG = {
  minReports: 2,
  reportExpiry: EXPIRY,
  breakerThreshold: wad("0.1"),
  emaAlpha: wad("0.2"),
  cooldown: COOLDOWN,
} as const;

/** Oracle with NGN/USD (reporters r1, r2, r3; min 2 reports) and KES/USD (reporter r1; min 1). */
async function deployOracle() {
  const oracle = await viem.deployContract("FxOracle", [admin.account.address]);
  await oracle.write.grantRole([GUARDIAN, guardian.account.address]);
  await oracle.write.addFeed([NAME, CONFIG]);
  for (const r of [r1, r2, r3]) await oracle.write.addReporter([FEED, r.account.address]);
  await oracle.write.addFeed([OTHER_NAME, { ...CONFIG, minReports: 1 }]);
  await oracle.write.addReporter([OTHER, r1.account.address]);
  return { oracle };
}

async function fixture() {
  return networkHelpers.loadFixture(deployOracle);
}

type Oracle = Awaited<ReturnType<typeof deployOracle>>["oracle"];

/** Sends a report and returns the timestamp of the block that included it. */
async function report(oracle: Oracle, reporter: Wallet, value: bigint, feed: Hex = FEED): Promise<bigint> {
  const hash = await oracle.write.report([feed, value], { account: reporter.account });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return block.timestamp;
}

async function at(timestamp: bigint): Promise<void> {
  await networkHelpers.time.setNextBlockTimestamp(timestamp);
}

/** Two reporters agree on `value`; returns the timestamp of the second (median-producing) report. */
async function seedMedian(oracle: Oracle, value: bigint): Promise<bigint> {
  await report(oracle, r1, value);
  return report(oracle, r2, value);
}

function emaAfter(ema: bigint, median: bigint): bigint {
  return (median * CONFIG.emaAlpha + ema * (WAD - CONFIG.emaAlpha)) / WAD;
}

describe("FxOracle", () => {
  describe("deployment", () => {
    it("gives the constructor's admin the admin role and caps reporters at 16", async () => {
      const { oracle } = await fixture();
      assert.equal(await oracle.read.hasRole([ADMIN_ROLE, admin.account.address]), true);
      assert.equal(await oracle.read.hasRole([ADMIN_ROLE, outsider.account.address]), false);
      assert.equal(await oracle.read.MAX_REPORTERS(), 16n);
    });
  });

  describe("addFeed", () => {
    it("registers a feed under keccak256(name) with its name and config, and emits FeedAdded", async () => {
      const { oracle } = await fixture();
      const name = "GHS/USD";
      const id = keccak256(toBytes(name));
      const config = { ...CONFIG, minReports: 3, cooldown: 0 };
      const { result } = await oracle.simulate.addFeed([name, config]);
      assert.equal(result, id);

      await viem.assertions.emitWithArgs(oracle.write.addFeed([name, config]), oracle, "FeedAdded", [id, name, config]);
      assert.equal(await oracle.read.feedName([id]), name);
      assert.deepEqual(await oracle.read.feedConfig([id]), config);
      assert.deepEqual(await oracle.read.reporters([id]), []);
      const state = await oracle.read.feedState([id]);
      assert.equal(state.roundId, 0n);
      assert.equal(state.median, 0n);
    });

    it("accepts the edge values of a config (min 1 or 16 reports, alpha exactly 1)", async () => {
      const { oracle } = await fixture();
      await oracle.write.addFeed(["A", { ...CONFIG, minReports: 1, emaAlpha: WAD, breakerThreshold: 1n }]);
      await oracle.write.addFeed(["B", { ...CONFIG, minReports: 16, reportExpiry: 1, emaAlpha: 1n }]);
      assert.equal((await oracle.read.feedConfig([keccak256(toBytes("A"))])).emaAlpha, WAD);
      assert.equal((await oracle.read.feedConfig([keccak256(toBytes("B"))])).minReports, 16);
    });

    it("refuses a name that is already a feed", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.write.addFeed([NAME, CONFIG]), oracle, "FeedExists", [
        FEED,
      ]);
    });

    const invalid: Array<[string, Record<string, number | bigint>]> = [
      ["minReports 0", { minReports: 0 }],
      ["minReports above MAX_REPORTERS", { minReports: 17 }],
      ["reportExpiry 0", { reportExpiry: 0 }],
      ["breakerThreshold 0", { breakerThreshold: 0n }],
      ["emaAlpha 0", { emaAlpha: 0n }],
      ["emaAlpha above 1e18", { emaAlpha: WAD + 1n }],
    ];
    for (const [what, change] of invalid) {
      it(`refuses a config with ${what}`, async () => {
        const { oracle } = await fixture();
        await viem.assertions.revertWithCustomError(
          oracle.write.addFeed(["GHS/USD", { ...CONFIG, ...change }]),
          oracle,
          "InvalidFeedConfig",
        );
      });
    }

    it("is admin-only", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.addFeed(["GHS/USD", CONFIG], { account: outsider.account }),
        oracle,
        "AccessControlUnauthorizedAccount",
        [outsider.account.address, ADMIN_ROLE],
      );
    });
  });

  describe("setFeedConfig", () => {
    it("replaces the config and emits FeedConfigChanged", async () => {
      const { oracle } = await fixture();
      const config = { ...CONFIG, minReports: 1, reportExpiry: 60 };
      await viem.assertions.emitWithArgs(oracle.write.setFeedConfig([FEED, config]), oracle, "FeedConfigChanged", [
        FEED,
        config,
      ]);
      assert.deepEqual(await oracle.read.feedConfig([FEED]), config);
    });

    it("applies the new minReports and expiry at the next report", async () => {
      const { oracle } = await fixture();
      await oracle.write.setFeedConfig([FEED, { ...CONFIG, minReports: 1, reportExpiry: 60 }]);
      const t = await report(oracle, r1, wad("1"));
      const state = await oracle.read.feedState([FEED]);
      assert.equal(state.median, wad("1"));
      assert.equal(state.validUntil, Number(t) + 60);
    });

    it("refuses an unknown feed and an invalid config", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.setFeedConfig([UNKNOWN, CONFIG]),
        oracle,
        "UnknownFeed",
        [UNKNOWN],
      );
      await viem.assertions.revertWithCustomError(
        oracle.write.setFeedConfig([FEED, { ...CONFIG, reportExpiry: 0 }]),
        oracle,
        "InvalidFeedConfig",
      );
    });

    it("is admin-only", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.setFeedConfig([FEED, CONFIG], { account: guardian.account }),
        oracle,
        "AccessControlUnauthorizedAccount",
        [guardian.account.address, ADMIN_ROLE],
      );
    });
  });

  describe("addReporter", () => {
    it("adds a reporter, lists it and emits ReporterAdded", async () => {
      const { oracle } = await fixture();
      await viem.assertions.emitWithArgs(
        oracle.write.addReporter([FEED, r4.account.address]),
        oracle,
        "ReporterAdded",
        [FEED, r4.account.address],
      );
      const listed = (await oracle.read.reporters([FEED])).map((a) => a.toLowerCase());
      assert.deepEqual(
        listed,
        [r1, r2, r3, r4].map((w) => w.account.address.toLowerCase()),
      );
      await report(oracle, r4, wad("1")); // may report now
    });

    it("refuses a reporter twice", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.addReporter([FEED, r1.account.address]),
        oracle,
        "AlreadyReporter",
        [FEED, r1.account.address],
      );
    });

    it("refuses a 17th reporter", async () => {
      const { oracle } = await fixture();
      for (let i = 4; i <= 16; i++) {
        await oracle.write.addReporter([FEED, `0x${i.toString(16).padStart(40, "0")}` as Address]);
      }
      assert.equal((await oracle.read.reporters([FEED])).length, 16);
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.addReporter([FEED, r4.account.address]),
        oracle,
        "TooManyReporters",
        [16n],
      );
    });

    it("refuses an unknown feed", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.addReporter([UNKNOWN, r4.account.address]),
        oracle,
        "UnknownFeed",
        [UNKNOWN],
      );
    });

    it("is admin-only", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.addReporter([FEED, r4.account.address], { account: r1.account }),
        oracle,
        "AccessControlUnauthorizedAccount",
        [r1.account.address, ADMIN_ROLE],
      );
    });
  });

  describe("removeReporter", () => {
    it("removes a reporter, forgets its report and emits ReporterRemoved", async () => {
      const { oracle } = await fixture();
      await report(oracle, r3, wad("1"));
      await viem.assertions.emitWithArgs(
        oracle.write.removeReporter([FEED, r3.account.address]),
        oracle,
        "ReporterRemoved",
        [FEED, r3.account.address],
      );
      const listed = (await oracle.read.reporters([FEED])).map((a) => a.toLowerCase());
      assert.deepEqual(listed.sort(), [r1, r2].map((w) => w.account.address.toLowerCase()).sort());
      assert.deepEqual(await oracle.read.reportOf([FEED, r3.account.address]), [0n, 0]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.report([FEED, wad("1")], { account: r3.account }),
        oracle,
        "NotReporter",
        [FEED, r3.account.address],
      );
    });

    it("drops the removed reporter's report from the next median", async () => {
      const { oracle } = await fixture();
      await report(oracle, r3, wad("1.09"));
      await report(oracle, r1, wad("1.00"));
      assert.equal((await oracle.read.feedState([FEED])).median, wad("1.045"));
      await oracle.write.removeReporter([FEED, r3.account.address]);
      // With r3 gone only r1 and r2 count.
      await report(oracle, r2, wad("1.02"));
      assert.equal((await oracle.read.feedState([FEED])).median, wad("1.01"));
    });

    it("refuses an address that is not a reporter, and an unknown feed", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.removeReporter([FEED, r4.account.address]),
        oracle,
        "NotReporter",
        [FEED, r4.account.address],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.removeReporter([UNKNOWN, r1.account.address]),
        oracle,
        "UnknownFeed",
        [UNKNOWN],
      );
    });

    it("is admin-only", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.removeReporter([FEED, r1.account.address], { account: outsider.account }),
        oracle,
        "AccessControlUnauthorizedAccount",
        [outsider.account.address, ADMIN_ROLE],
      );
    });
  });

  describe("report", () => {
    it("stores the reporter's value and time and emits RateReported", async () => {
      const { oracle } = await fixture();
      const hash = oracle.write.report([FEED, wad("1.5")], { account: r1.account });
      await viem.assertions.emitWithArgs(hash, oracle, "RateReported", [FEED, r1.account.address, wad("1.5")]);
      const t = await networkHelpers.time.latest();
      assert.deepEqual(await oracle.read.reportOf([FEED, r1.account.address]), [wad("1.5"), t]);
    });

    it("computes no median below minReports", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"));
      const state = await oracle.read.feedState([FEED]);
      assert.equal(state.median, 0n);
      assert.equal(state.roundId, 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([FEED]), oracle, "NoValidMedian", [FEED]);
    });

    it("emits MedianUpdated with the round, median, ema and validUntil once minReports is met", async () => {
      const { oracle } = await fixture();
      const t1 = await report(oracle, r1, wad("1.00"));
      await at(t1 + 10n);
      await viem.assertions.emitWithArgs(
        oracle.write.report([FEED, wad("1.04")], { account: r2.account }),
        oracle,
        "MedianUpdated",
        [FEED, 1n, wad("1.02"), wad("1.02"), Number(t1) + EXPIRY],
      );
      const state = await oracle.read.feedState([FEED]);
      assert.equal(state.median, wad("1.02"));
      assert.equal(state.ema, wad("1.02"), "the first median seeds the ema");
      assert.equal(state.validUntil, Number(t1) + EXPIRY, "validUntil follows the oldest included report");
      assert.equal(state.updatedAt, Number(t1) + 10);
      assert.equal(state.roundId, 1n);
      assert.equal(state.halted, false);
    });

    it("takes the middle value of an odd number of reports, whatever their order", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1.20"));
      await report(oracle, r2, wad("1.00"));
      await report(oracle, r3, wad("1.10"));
      assert.equal(await oracle.read.rate([FEED]), wad("1.10"));
      assert.equal((await oracle.read.feedState([FEED])).roundId, 2n);
    });

    it("takes the mean of the two middle values of an even number of reports", async () => {
      const { oracle } = await fixture();
      await oracle.write.addReporter([FEED, r4.account.address]);
      await report(oracle, r1, wad("1.30"));
      await report(oracle, r2, wad("1.00"));
      await report(oracle, r3, wad("1.02"));
      await report(oracle, r4, wad("1.05"));
      // (The jumps on the way trip the breaker; the median is recorded regardless.)
      assert.equal((await oracle.read.feedState([FEED])).median, wad("1.035"));
    });

    it("rounds the mean of two middle values down", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, 3n);
      await report(oracle, r2, 4n);
      assert.equal((await oracle.read.feedState([FEED])).median, 3n);
    });

    it("replaces a reporter's earlier value", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1.00"));
      await report(oracle, r2, wad("1.02"));
      await report(oracle, r1, wad("1.04"));
      assert.equal(await oracle.read.rate([FEED]), wad("1.03"));
      assert.equal((await oracle.read.feedState([FEED])).roundId, 2n);
    });

    it("refuses a caller that is not a reporter of the feed", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.report([FEED, wad("1")], { account: outsider.account }),
        oracle,
        "NotReporter",
        [FEED, outsider.account.address],
      );
      // r2 reports NGN/USD but not KES/USD.
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.report([OTHER, wad("1")], { account: r2.account }),
        oracle,
        "NotReporter",
        [OTHER, r2.account.address],
      );
    });

    it("refuses an unknown feed, a zero rate and a rate that does not fit 128 bits", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.report([UNKNOWN, wad("1")], { account: r1.account }),
        oracle,
        "UnknownFeed",
        [UNKNOWN],
      );
      await viem.assertions.revertWithCustomError(
        oracle.write.report([FEED, 0n], { account: r1.account }),
        oracle,
        "ZeroRate",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.report([FEED, maxUint128 + 1n], { account: r1.account }),
        oracle,
        "SafeCastOverflowedUintDowncast",
        [128, maxUint128 + 1n],
      );
      await report(oracle, r1, maxUint128); // the largest value fits
    });
  });

  describe("expiry", () => {
    it("drops expired reports from the median", async () => {
      const { oracle } = await fixture();
      const t0 = await report(oracle, r1, wad("2.00"));
      await at(t0 + BigInt(EXPIRY) + 1n);
      const t2 = await report(oracle, r2, wad("1.00"));
      // r1 expired and r2 alone is below minReports: nothing yet.
      assert.equal((await oracle.read.feedState([FEED])).roundId, 0n);
      await report(oracle, r3, wad("1.10"));
      const state = await oracle.read.feedState([FEED]);
      assert.equal(state.median, wad("1.05"), "median of r2 and r3 only");
      assert.equal(state.validUntil, Number(t2) + EXPIRY);
    });

    it("still counts a report exactly reportExpiry seconds old", async () => {
      const { oracle } = await fixture();
      const t0 = await report(oracle, r1, wad("1.00"));
      await at(t0 + BigInt(EXPIRY));
      await report(oracle, r2, wad("1.02"));
      const state = await oracle.read.feedState([FEED]);
      assert.equal(state.median, wad("1.01"));
      assert.equal(state.validUntil, Number(t0) + EXPIRY);
    });

    it("keeps the previous median when too few reports are fresh, and lets it go stale", async () => {
      const { oracle } = await fixture();
      const t1 = await seedMedian(oracle, wad("1"));
      const before = await oracle.read.feedState([FEED]);
      await at(t1 + BigInt(EXPIRY) + 1n); // both seeding reports have expired
      await report(oracle, r3, wad("1.05"));
      const after = await oracle.read.feedState([FEED]);
      assert.deepEqual(after, before, "median, validUntil and round untouched");
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([FEED]), oracle, "RateStale", [
        FEED,
        before.validUntil,
      ]);
    });

    it("serves the rate up to validUntil inclusive and reverts RateStale after", async () => {
      const { oracle } = await fixture();
      await seedMedian(oracle, wad("1"));
      const { validUntil } = await oracle.read.feedState([FEED]);
      await networkHelpers.time.increaseTo(validUntil);
      assert.equal(await oracle.read.rate([FEED]), wad("1"));
      assert.equal(await oracle.read.isTradable([FEED]), true);
      await networkHelpers.time.increase(1);
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([FEED]), oracle, "RateStale", [
        FEED,
        validUntil,
      ]);
      assert.equal(await oracle.read.isTradable([FEED]), false);
    });
  });

  describe("breaker", () => {
    // KES/USD has one reporter (r1) and minReports 1, so every report is a median of its own.
    const other = (oracle: Oracle, value: bigint) => oracle.write.report([OTHER, value], { account: r1.account });

    it("seeds the moving average with the first median", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1.3"), OTHER);
      const state = await oracle.read.feedState([OTHER]);
      assert.equal(state.ema, wad("1.3"));
      assert.equal(state.halted, false);
    });

    it("folds a median at the edge of the band into the moving average without tripping", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      await report(oracle, r1, wad("1.1"), OTHER); // exactly 10 %: in band
      const state = await oracle.read.feedState([OTHER]);
      assert.equal(state.halted, false);
      assert.equal(state.trippedAt, 0);
      assert.equal(state.ema, emaAfter(wad("1"), wad("1.1")));
      assert.equal(state.ema, wad("1.02"));
      assert.equal(await oracle.read.rate([OTHER]), wad("1.1"));
    });

    it("trips on a jump above the band: halts, keeps the ema, emits BreakerTripped", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      await viem.assertions.emitWithArgs(other(oracle, wad("1.100000000000000001")), oracle, "BreakerTripped", [
        OTHER,
        wad("1.100000000000000001"),
        wad("1"),
      ]);
      const t = await networkHelpers.time.latest();
      const state = await oracle.read.feedState([OTHER]);
      assert.equal(state.halted, true);
      assert.equal(state.trippedAt, t);
      assert.equal(state.median, wad("1.100000000000000001"), "the tripping median is recorded");
      assert.equal(state.ema, wad("1"), "the outlier stays out of the ema");
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([OTHER]), oracle, "FeedHalted", [OTHER]);
      assert.equal(await oracle.read.isTradable([OTHER]), false);
    });

    it("trips on a fall below the band", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      await viem.assertions.emitWithArgs(other(oracle, wad("0.85")), oracle, "BreakerTripped", [
        OTHER,
        wad("0.85"),
        wad("1"),
      ]);
      assert.equal((await oracle.read.feedState([OTHER])).halted, true);
    });

    it("stays halted when the median returns to band before the cooldown", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      const trippedAt = await report(oracle, r1, wad("1.5"), OTHER);
      await at(trippedAt + BigInt(COOLDOWN) - 1n);
      await report(oracle, r1, wad("1"), OTHER);
      assert.equal((await oracle.read.feedState([OTHER])).halted, true);
      assert.equal(await oracle.read.isTradable([OTHER]), false);
    });

    it("resets itself when an in-band median arrives after the cooldown, emitting BreakerReset by address(0)", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      const trippedAt = await report(oracle, r1, wad("1.5"), OTHER);
      await at(trippedAt + BigInt(COOLDOWN));
      await viem.assertions.emitWithArgs(other(oracle, wad("1.05")), oracle, "BreakerReset", [
        OTHER,
        zeroAddress,
        wad("1.05"),
      ]);
      const state = await oracle.read.feedState([OTHER]);
      assert.equal(state.halted, false);
      assert.equal(state.ema, emaAfter(wad("1"), wad("1.05")));
      assert.equal(await oracle.read.rate([OTHER]), wad("1.05"));
    });

    it("stays halted after the cooldown while the median is out of band, restarting the cooldown", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      const trippedAt = await report(oracle, r1, wad("1.5"), OTHER);
      await at(trippedAt + BigInt(COOLDOWN) + 100n);
      await viem.assertions.emitWithArgs(other(oracle, wad("1.6")), oracle, "BreakerTripped", [
        OTHER,
        wad("1.6"),
        wad("1"),
      ]);
      const state = await oracle.read.feedState([OTHER]);
      assert.equal(state.halted, true);
      assert.equal(state.ema, wad("1"));
      assert.equal(BigInt(state.trippedAt), trippedAt + BigInt(COOLDOWN) + 100n, "cooldown restarted");
    });

    it("lets the guardian reset it to the current median, emitting BreakerReset by the guardian", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      await report(oracle, r1, wad("1.5"), OTHER);
      await viem.assertions.emitWithArgs(
        oracle.write.resetBreaker([OTHER], { account: guardian.account }),
        oracle,
        "BreakerReset",
        [OTHER, guardian.account.address, wad("1.5")],
      );
      const state = await oracle.read.feedState([OTHER]);
      assert.equal(state.halted, false);
      assert.equal(state.ema, wad("1.5"), "a devaluation becomes the new reference");
      assert.equal(await oracle.read.rate([OTHER]), wad("1.5"));
      await report(oracle, r1, wad("1.6"), OTHER); // in band of the new reference, well out of the old
      assert.equal((await oracle.read.feedState([OTHER])).halted, false);
    });

    it("refuses a guardian reset when not tripped, on an unknown feed, and from a non-guardian", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.resetBreaker([OTHER], { account: guardian.account }),
        oracle,
        "BreakerNotTripped",
        [OTHER],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.write.resetBreaker([UNKNOWN], { account: guardian.account }),
        oracle,
        "UnknownFeed",
        [UNKNOWN],
      );
      await report(oracle, r1, wad("2"), OTHER);
      for (const caller of [admin, r1, outsider]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          oracle.write.resetBreaker([OTHER], { account: caller.account }),
          oracle,
          "AccessControlUnauthorizedAccount",
          [caller.account.address, GUARDIAN],
        );
      }
    });
  });

  describe("rate, rates and isTradable", () => {
    it("rate reverts UnknownFeed, then NoValidMedian, then FeedHalted before RateStale", async () => {
      const { oracle } = await fixture();
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([UNKNOWN]), oracle, "UnknownFeed", [
        UNKNOWN,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([zeroHash]), oracle, "UnknownFeed", [
        zeroHash,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([FEED]), oracle, "NoValidMedian", [FEED]);
      await seedMedian(oracle, wad("1"));
      await report(oracle, r1, wad("2"));
      await report(oracle, r2, wad("2"));
      await networkHelpers.time.increase(EXPIRY * 2);
      // Halted and stale: halted wins.
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rate([FEED]), oracle, "FeedHalted", [FEED]);
    });

    it("isTradable mirrors rate", async () => {
      const { oracle } = await fixture();
      assert.equal(await oracle.read.isTradable([UNKNOWN]), false);
      assert.equal(await oracle.read.isTradable([FEED]), false);
      await seedMedian(oracle, wad("1"));
      assert.equal(await oracle.read.isTradable([FEED]), true);
      await report(oracle, r1, wad("2"));
      await report(oracle, r2, wad("2"));
      assert.equal(await oracle.read.isTradable([FEED]), false);
    });

    it("rates reads two feeds, with bytes32(0) as exactly 1e18", async () => {
      const { oracle } = await fixture();
      await seedMedian(oracle, wad("0.00065"));
      await report(oracle, r1, wad("0.0077"), OTHER);
      assert.deepEqual(await oracle.read.rates([FEED, OTHER]), [wad("0.00065"), wad("0.0077")]);
      assert.deepEqual(await oracle.read.rates([FEED, zeroHash]), [wad("0.00065"), WAD]);
      assert.deepEqual(await oracle.read.rates([zeroHash, OTHER]), [WAD, wad("0.0077")]);
      assert.deepEqual(await oracle.read.rates([zeroHash, zeroHash]), [WAD, WAD]);
    });

    it("rates reverts like rate for either feed", async () => {
      const { oracle } = await fixture();
      await report(oracle, r1, wad("1"), OTHER);
      await viem.assertions.revertWithCustomErrorWithArgs(oracle.read.rates([OTHER, FEED]), oracle, "NoValidMedian", [
        FEED,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        oracle.read.rates([UNKNOWN, zeroHash]),
        oracle,
        "UnknownFeed",
        [UNKNOWN],
      );
      await networkHelpers.time.increase(EXPIRY + 1);
      await viem.assertions.revertWithCustomError(oracle.read.rates([zeroHash, OTHER]), oracle, "RateStale");
    });

    it("rate reads a single storage slot per feed", async () => {
      const { oracle } = await fixture();
      await seedMedian(oracle, wad("1"));
      const data = encodeFunctionData({ abi: oracle.abi, functionName: "rate", args: [FEED] });
      const trace = (await publicClient.request({
        method: "debug_traceCall" as never,
        params: [{ to: oracle.address, data }, "latest"] as never,
      })) as { failed: boolean; structLogs: Array<{ op: string; stack?: string[] }> };
      assert.equal(trace.failed, false);
      const slots = new Set(trace.structLogs.filter((log) => log.op === "SLOAD").map((log) => log.stack?.at(-1)));
      assert.equal(slots.size, 1, "rate is on every swap's path: one storage slot per feed");
      assert.ok(!slots.has(undefined), "the tracer reported the slot");
    });

    it("views of an unknown feed are empty", async () => {
      const { oracle } = await fixture();
      assert.equal(await oracle.read.feedName([UNKNOWN]), "");
      assert.equal((await oracle.read.feedConfig([UNKNOWN])).reportExpiry, 0);
      assert.deepEqual(await oracle.read.reporters([UNKNOWN]), []);
      assert.deepEqual(await oracle.read.reportOf([UNKNOWN, r1.account.address]), [0n, 0]);
    });
  });
});

describe("FxFeedAggregator", () => {
  async function deployAggregator() {
    const { oracle } = await deployOracle();
    const aggregator = await viem.deployContract("FxFeedAggregator", [oracle.address, FEED]);
    return { oracle, aggregator };
  }

  it("refuses a feed the oracle does not know", async () => {
    const { oracle } = await fixture();
    await assert.rejects(viem.deployContract("FxFeedAggregator", [oracle.address, UNKNOWN]), /UnknownFeed/);
  });

  it("describes the feed Chainlink-style: 18 decimals, version 1, the feed name", async () => {
    const { oracle, aggregator } = await networkHelpers.loadFixture(deployAggregator);
    assert.equal(await aggregator.read.decimals(), 18);
    assert.equal(await aggregator.read.version(), 1n);
    assert.equal(await aggregator.read.description(), NAME);
    assert.equal((await aggregator.read.oracle()).toLowerCase(), oracle.address.toLowerCase());
    assert.equal(await aggregator.read.feedId(), FEED);
  });

  it("reverts NoValidMedian before the first median", async () => {
    const { aggregator } = await networkHelpers.loadFixture(deployAggregator);
    await viem.assertions.revertWithCustomErrorWithArgs(
      aggregator.read.latestRoundData(),
      aggregator,
      "NoValidMedian",
      [FEED],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      aggregator.read.getRoundData([0n]),
      aggregator,
      "NoValidMedian",
      [FEED],
    );
  });

  it("answers the latest round: (round, median, updatedAt, updatedAt, round)", async () => {
    const { oracle, aggregator } = await networkHelpers.loadFixture(deployAggregator);
    await report(oracle, r1, wad("1.00"));
    const t = await report(oracle, r2, wad("1.02"));
    assert.deepEqual(await aggregator.read.latestRoundData(), [1n, wad("1.01"), t, t, 1n]);
    const t2 = await report(oracle, r3, wad("1.04"));
    assert.deepEqual(await aggregator.read.latestRoundData(), [2n, wad("1.02"), t2, t2, 2n]);
    assert.deepEqual(await aggregator.read.getRoundData([2n]), [2n, wad("1.02"), t2, t2, 2n]);
  });

  it("returns a stale answer as-is, for the consumer to judge by updatedAt", async () => {
    const { oracle, aggregator } = await networkHelpers.loadFixture(deployAggregator);
    const t = await seedMedian(oracle, wad("1"));
    await networkHelpers.time.increase(EXPIRY * 3);
    assert.deepEqual(await aggregator.read.latestRoundData(), [1n, wad("1"), t, t, 1n]);
  });

  it("reverts FeedHalted while the breaker is tripped", async () => {
    const { oracle, aggregator } = await networkHelpers.loadFixture(deployAggregator);
    await seedMedian(oracle, wad("1"));
    await report(oracle, r1, wad("2"));
    await report(oracle, r2, wad("2"));
    await viem.assertions.revertWithCustomErrorWithArgs(aggregator.read.latestRoundData(), aggregator, "FeedHalted", [
      FEED,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(aggregator.read.getRoundData([3n]), aggregator, "FeedHalted", [
      FEED,
    ]);
  });

  it("refuses any round but the latest, since no history is stored", async () => {
    const { oracle, aggregator } = await networkHelpers.loadFixture(deployAggregator);
    await seedMedian(oracle, wad("1"));
    await report(oracle, r3, wad("1"));
    for (const asked of [1n, 3n, 0n]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        aggregator.read.getRoundData([asked]),
        aggregator,
        "RoundNotStored",
        [asked, 2n],
      );
    }
  });
});
