/**
 * `npm run bench:gas`: gas of each protocol operation on the in-process chain, written to
 * bench/results/gas.json (committed, like a gas snapshot) and printed with its cost in US dollars
 * at Hedera's published contract-call gas price.
 *
 * Every figure is a whole transaction's gasUsed (21,000 intrinsic included), measured in a steady
 * state: each operation runs once to warm the storage it touches the way a live system would have it
 * (existing balances, a used operation-id word), and the second run is recorded.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { network } from "hardhat";
import { keccak256, maxUint256, parseUnits, toHex, type Hex } from "viem";

import { signStatement, SupplyChangeKind } from "../sdk/attestation.js";
import { ASSETS, POOL_PARAMS } from "../sdk/protocol.js";
import { reserveReport, supplyChange, testAccount } from "../test/ts/helpers/attesters.js";
import { deployStack, seedStack } from "../scripts/lib/stack.js";

/** docs.hedera.com › Core concepts › Smart contracts › Gas and Fees: "Contract call transaction USD/gas
 * conversion rate is $0.000_000_0852" (read 2026-11-21). HIP-1249/1261 are moving fees to a
 * base-plus-extras model; re-measure on testnet before quoting a live price. */
export const HEDERA_CONTRACT_CALL_USD_PER_GAS = 0.0000000852;
const PRICE_SOURCE = "docs.hedera.com Gas and Fees, ContractCall USD/gas rate, read 2026-11-21";

const conn = await network.create();
const { viem } = conn;
const publicClient = await viem.getPublicClient();
const [admin, user] = await viem.getWalletClients();
const attesters = [0, 1, 2].map((i) => testAccount(`bench-attester-${i}`));
const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
await seedStack(conn, stack, { attesters, threshold: 2n });
const { contracts, addresses, domain } = stack;
const { cNGN, USDC, XAUt } = contracts.tokens;
const signers = attesters.slice(0, 2);

const results: Record<string, number> = {};

async function gasOf(hash: Promise<Hex>): Promise<number> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`reverted: ${receipt.transactionHash}`);
  return Number(receipt.gasUsed);
}

/** Runs `op` twice and records the second, steady-state figure. */
async function measure(name: string, op: (round: number) => Promise<Hex>) {
  await gasOf(op(0));
  results[name] = await gasOf(op(1));
}

async function now() {
  return (await publicClient.getBlock()).timestamp;
}


// Fund a trader with attested mints and approvals, as a wallet user would have.
for (const token of [cNGN, USDC, XAUt]) {
  const mint = supplyChange(SupplyChangeKind.Mint, token.address, user.account.address, token === XAUt ? parseUnits("100", 6) : parseUnits("1000000", 6), (await now()) + 3600n);
  await gasOf(token.write.mint([mint, await signStatement(signers, domain, "SupplyChange", mint)]));
  await gasOf(token.write.approve([addresses.router, maxUint256], { account: user.account }));
  await gasOf(token.write.approve([addresses.pool, maxUint256], { account: user.account }));
}

await measure("attestedMint", async () => {
  const mint = supplyChange(SupplyChangeKind.Mint, USDC.address, user.account.address, parseUnits("100", 6), (await now()) + 3600n);
  return USDC.write.mint([mint, await signStatement(signers, domain, "SupplyChange", mint)]);
});
await measure("attestedBurn", async () => {
  const burn = supplyChange(SupplyChangeKind.Burn, USDC.address, user.account.address, parseUnits("50", 6), (await now()) + 3600n);
  return USDC.write.burn([burn, await signStatement(signers, domain, "SupplyChange", burn)], { account: user.account });
});
await measure("reserveReport", async () => {
  const report = reserveReport(USDC.address, parseUnits("10000000", 6), await now());
  return contracts.ledger.write.submitReserveReport([report, await signStatement(signers, domain, "ReserveReport", report)]);
});

const deadline = async () => (await now()) + 600n;
await measure("swap", async () =>
  contracts.router.write.swap(
    [[USDC.address, cNGN.address], [addresses.pool], parseUnits("100", 6), 0n, user.account.address, await deadline()],
    { account: user.account },
  ),
);

// A second pool (USDC/XAUt) so a two-hop route exists: cNGN → USDC (main pool) → XAUt (second pool).
const second = await viem.deployContract("LiquidityPool", [
  "JuaPesa Pool USDC-XAUt",
  "JP-LP2",
  addresses.oracle,
  ASSETS.filter((a) => a.symbol !== "cNGN").map((a) => ({
    token: addresses[a.symbol],
    feedId: a.feed ? keccak256(toHex(a.feed.name)) : (`0x${"00".repeat(32)}` as Hex),
    inverted: a.feed?.inverted ?? false,
    weightBps: 5_000,
  })),
  POOL_PARAMS,
  admin.account.address,
]);
await gasOf(contracts.router.write.addPool([second.address]));
await gasOf(USDC.write.approve([second.address, maxUint256], { account: user.account }));
await gasOf(XAUt.write.approve([second.address, maxUint256], { account: user.account }));
await gasOf(second.write.deposit([USDC.address, parseUnits("100000", 6), 0n, user.account.address], { account: user.account }));
await gasOf(second.write.deposit([XAUt.address, parseUnits("25", 6), 0n, user.account.address], { account: user.account }));
await measure("swapTwoHop", async () =>
  contracts.router.write.swap(
    [[cNGN.address, USDC.address, XAUt.address], [addresses.pool, second.address], parseUnits("145000", 6), 0n, user.account.address, await deadline()],
    { account: user.account },
  ),
);

await measure("lpDeposit", async () =>
  contracts.pool.write.deposit([USDC.address, parseUnits("1000", 6), 0n, user.account.address], { account: user.account }),
);
await measure("lpWithdraw", async () => {
  const shares = (await contracts.pool.read.balanceOf([user.account.address])) / 4n;
  return contracts.pool.write.withdraw([shares, [0n, 0n, 0n], user.account.address], { account: user.account });
});

// Rebalance: a large one-sided swap leaves USDC above target and cNGN below; the keeper (admin)
// brings cNGN in and takes USDC out at the oracle rate.
await gasOf(contracts.router.write.swap([[USDC.address, cNGN.address], [addresses.pool], parseUnits("20000", 6), 0n, user.account.address, await deadline()], { account: user.account }));
for (const token of [cNGN, USDC]) {
  const mint = supplyChange(SupplyChangeKind.Mint, token.address, admin.account.address, parseUnits("100000000", 6) / (token === USDC ? 1000n : 1n), (await now()) + 3600n);
  await gasOf(token.write.mint([mint, await signStatement(signers, domain, "SupplyChange", mint)]));
  await gasOf(token.write.approve([addresses.pool, maxUint256]));
}
await measure("rebalance", async () =>
  contracts.pool.write.rebalance([cNGN.address, parseUnits("1450000", 6), USDC.address, parseUnits("990", 6)]),
);

// Vault: two open accounts funded by attested credits (cash-ins), then transfers and a convert.
const alice = keccak256(toHex("bench account alice"));
const bob = keccak256(toHex("bench account bob"));
await gasOf(contracts.vault.write.openAccount([alice, 3]));
await gasOf(contracts.vault.write.openAccount([bob, 3]));
let opId = 1n;
for (const [account, token, amount] of [[alice, cNGN, parseUnits("1000000", 6)], [bob, cNGN, parseUnits("1000", 6)], [alice, USDC, parseUnits("100", 6)]] as const) {
  const credit = supplyChange(SupplyChangeKind.Mint, token.address, addresses.vault, amount, (await now()) + 3600n, account);
  await gasOf(contracts.vault.write.credit([opId++, account, credit, await signStatement(signers, domain, "SupplyChange", credit)]));
}
await measure("vaultTransfer", async () => contracts.vault.write.transfer([opId++, alice, bob, cNGN.address, parseUnits("500", 6)]));
await measure("vaultConvert", async () =>
  contracts.vault.write.convert([opId++, alice, [cNGN.address, USDC.address], [addresses.pool], parseUnits("14500", 6), 0n, await deadline()]),
);

const order = ["swap", "swapTwoHop", "vaultTransfer", "vaultConvert", "attestedMint", "attestedBurn", "lpDeposit", "lpWithdraw", "rebalance", "reserveReport"];
const sorted = Object.fromEntries(order.map((k) => [k, results[k]!]));
const out = path.resolve(import.meta.dirname, "results/gas.json");
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(sorted, null, 2)}\n`);

const ANCHORS: Record<string, string> = {
  swap: "aim ≤ 90,000; Uniswap v3 swap, no tick moved: 104,376",
  vaultTransfer: "aim ≤ 45,000",
};
console.log(`Gas per operation (whole transaction, 21,000 intrinsic included)`);
console.log(`Priced at $${HEDERA_CONTRACT_CALL_USD_PER_GAS} per gas (${PRICE_SOURCE})\n`);
console.log(`${"operation".padEnd(15)}${"gas".padStart(10)}${"USD".padStart(12)}   reference`);
for (const [name, gas] of Object.entries(sorted)) {
  const usd = (gas * HEDERA_CONTRACT_CALL_USD_PER_GAS).toFixed(6);
  console.log(`${name.padEnd(15)}${gas.toLocaleString("en-US").padStart(10)}${("$" + usd).padStart(12)}   ${ANCHORS[name] ?? ""}`);
}
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
