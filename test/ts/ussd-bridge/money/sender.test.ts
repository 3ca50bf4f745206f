/**
 * The operator's send queue: concurrent sends take consecutive nonces, and two queues for one key
 * (two processes, or a key also used elsewhere) recover from the nonce the other took.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { keccak256, toHex } from "viem";

import { custodialVaultAbi } from "../../../../sdk/abis.generated.js";
import { GasEstimateError } from "../../../../sdk/gas.js";
import { createTxSender } from "../../../../ussd-bridge/src/money/sender.js";
import { revertOf } from "../../../../ussd-bridge/src/money/refusal.js";
import { chainFixture, type ChainFixture } from "./fixture.js";

let chain: ChainFixture;
before(async () => {
  chain = await chainFixture();
});

const openCall = (label: string) => ({ address: chain.deployment.vault, abi: custodialVaultAbi, functionName: "openAccount", args: [keccak256(toHex(`sender test ${label}`)), 1] as const });

describe("operator send queue", () => {
  it("gives concurrent sends consecutive nonces and every one lands", async () => {
    const sender = createTxSender(chain);
    const start = await chain.public.getTransactionCount({ address: sender.address, blockTag: "pending" });
    const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => sender.send(openCall(`burst-${i}`))));
    assert.deepEqual(sent.map((s) => s.nonce).sort((a, b) => a - b), Array.from({ length: 8 }, (_, i) => start + i));
    for (const { hash } of sent) assert.equal((await chain.public.getTransactionReceipt({ hash })).status, "success");
  });

  it("recovers when another sender used the key's next nonce", async () => {
    const first = createTxSender(chain);
    const second = createTxSender(chain);
    await first.send(openCall("alternate-0"));
    await second.send(openCall("alternate-1")); // takes the nonce `first` expects next
    const again = await first.send(openCall("alternate-2"));
    assert.equal((await chain.public.getTransactionReceipt({ hash: again.hash })).status, "success");
  });

  it("sends nothing for a call that would revert, and carries the decoded revert", async () => {
    const sender = createTxSender(chain);
    await sender.send(openCall("twice"));
    const before = await chain.public.getTransactionCount({ address: sender.address, blockTag: "pending" });
    await assert.rejects(sender.send(openCall("twice")), (error: unknown) => {
      assert.ok(error instanceof GasEstimateError);
      assert.equal(revertOf(error)?.name, "AccountExists");
      return true;
    });
    assert.equal(await chain.public.getTransactionCount({ address: sender.address, blockTag: "pending" }), before);
  });
});
