/**
 * Flow history from the protocol's events on a real in-process chain: vault credits and debits and pool
 * swaps become hourly rows; reading again, from a restarted process with the same SQLite file, or from
 * a cursor a crash left behind, never counts a flow twice; attributions re-file vault flows.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, parseUnits, toHex } from "viem";

import { openLiquidityDatabase } from "../../../../agents/liquidity/db/open.js";
import { createChainIngestor, type ChainFlowSource } from "../../../../agents/liquidity/flows/chain.js";
import { createFlowStore, hourOf } from "../../../../agents/liquidity/flows/store.js";
import { keeperChain, type KeeperChain } from "./fixture.js";

const account = (label: string) => keccak256(toHex(`flows test account ${label}`));
const ref = (label: string) => keccak256(toHex(`juapesa:mpesa:collect:${label}`));

describe("flow history from chain events", () => {
  let chain: KeeperChain;
  let dir: string;
  let source: ChainFlowSource;
  before(async () => {
    chain = await keeperChain();
    dir = mkdtempSync(path.join(tmpdir(), "juapesa-flows-chain-"));
    const { deployment } = chain;
    source = {
      publicClient: chain.public,
      chainId: deployment.chainId,
      vault: deployment.vault,
      pools: [{ name: "main", address: deployment.pool }],
      assets: new Map((["cNGN", "USDC", "XAUt"] as const).map((s) => [deployment[s].toLowerCase(), s])),
      chunkBlocks: 7n, // small chunks, so a run crosses several cursor steps
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("files credits, debits and swaps by hour, and re-reading the same blocks after a restart counts nothing twice", async () => {
    const file = path.join(dir, "keeper.db");
    await (async () => {
      const database = await openLiquidityDatabase({ sqlitePath: file });
      const store = createFlowStore(database.db, database.tables);
      // Attribution known before the event: filed under the agent at once.
      await store.attribute(ref("amina-1"), { operator: "Safaricom-KE", agent: "till-5521", region: "Nairobi" });
      await database.close();
    })();

    // Start a minute into a fresh hour, so every flow of this test falls in the same hour.
    const now = await chain.chainTimeMs();
    await chain.advance((hourOf(now) + 3_600_000 + 60_000 - now) / 1000);
    const t0 = await chain.chainTimeMs();
    await chain.cashIn(account("amina"), "cNGN", parseUnits("50000", 6), ref("amina-1"));
    await chain.cashIn(account("kofi"), "cNGN", parseUnits("20000", 6), ref("kofi-1"));
    await chain.cashOut(account("amina"), "cNGN", parseUnits("12000", 6), ref("amina-2"));
    await chain.swap("USDC", "cNGN", parseUnits("1000", 6));

    const first = await openLiquidityDatabase({ sqlitePath: file });
    const store1 = createFlowStore(first.db, first.tables);
    const run1 = await createChainIngestor(store1, source).ingest();
    assert.equal(run1.events, 5); // 2 credits, 1 debit, 1 swap as two legs
    assert.equal(run1.inserted, 5);
    const rows = await store1.allRows();
    await first.close();

    const hour = hourOf(t0);
    const pick = (operator: string, source: string, asset: string) => rows.filter((r) => r.operator === operator && r.source === source && r.asset === asset);
    const safaricom = pick("Safaricom-KE", "vault", "cNGN");
    assert.equal(safaricom.length, 1);
    assert.deepEqual({ agent: safaricom[0]!.agent, region: safaricom[0]!.region, cashIn: safaricom[0]!.cashIn, cashOut: safaricom[0]!.cashOut }, { agent: "till-5521", region: "Nairobi", cashIn: "50000000000", cashOut: "0" });
    assert.equal(safaricom[0]!.hour, hour);
    const unattributed = pick("unattributed", "vault", "cNGN");
    assert.deepEqual(unattributed.map((r) => [r.cashIn, r.cashOut, r.events]), [["20000000000", "12000000000", 2]]);
    const poolUsdc = pick("main", "pool", "USDC");
    const poolNgn = pick("main", "pool", "cNGN");
    assert.deepEqual(poolUsdc.map((r) => [r.cashIn, r.cashOut]), [["1000000000", "0"]]);
    assert.equal(poolNgn.length, 1);
    assert.equal(poolNgn[0]!.cashIn, "0");
    assert.ok(BigInt(poolNgn[0]!.cashOut) > parseUnits("1400000", 6), "$1,000 buys over ₦1.4M at ₦1,450 less fees");

    // A restarted keeper with the same file: nothing new, nothing counted twice.
    const second = await openLiquidityDatabase({ sqlitePath: file });
    const store2 = createFlowStore(second.db, second.tables);
    const run2 = await createChainIngestor(store2, source).ingest();
    assert.equal(run2.inserted, 0);
    assert.ok(run2.fromBlock > run1.fromBlock, "it resumed after the stored cursor");
    // A crash after recording events but before the cursor moved: the cursor is behind, the events re-read.
    const ingestor = createChainIngestor(store2, source);
    await store2.setCursor(ingestor.cursorName, 0);
    const run3 = await ingestor.ingest();
    assert.equal(run3.events, 5);
    assert.equal(run3.inserted, 0);
    assert.deepEqual(await store2.allRows().then((r) => r.map(({ updatedAt: _, ...rest }) => rest)), rows.map(({ updatedAt: _, ...rest }) => rest));

    // New activity is picked up from where it stopped.
    await chain.cashOut(account("kofi"), "cNGN", parseUnits("5000", 6), ref("kofi-2"));
    const run4 = await ingestor.ingest();
    assert.deepEqual([run4.events, run4.inserted], [1, 1]);
    const kofi = (await store2.allRows()).filter((r) => r.operator === "unattributed");
    assert.deepEqual(kofi.map((r) => r.cashOut).reduce((a, b) => a + BigInt(b), 0n), parseUnits("17000", 6));

    // An attribution that arrives later re-files the flows already counted, moving (not copying) them.
    assert.deepEqual(await store2.attribute(ref("kofi-1"), { operator: "MTN-GH", agent: "agent-77", region: "Accra" }), { refiled: 1 });
    const after = await store2.allRows();
    const ghana = after.filter((r) => r.operator === "MTN-GH");
    assert.deepEqual(ghana.map((r) => [r.agent, r.cashIn, r.cashOut]), [["agent-77", "20000000000", "0"]]);
    const left = after.filter((r) => r.operator === "unattributed");
    assert.equal(left.reduce((a, r) => a + BigInt(r.cashIn), 0n), 0n);
    assert.equal(left.reduce((a, r) => a + BigInt(r.cashOut), 0n), parseUnits("17000", 6));
    assert.deepEqual(await store2.attribute(ref("kofi-1"), { operator: "MTN-GH", agent: "agent-77", region: "Accra" }), { refiled: 0 });
    await second.close();
  });
});
