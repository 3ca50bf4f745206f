import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashTypedData, keccak256, toHex } from "viem";

import { ledgerDomain, signStatement, statementTypes, SupplyChangeKind, type SupplyChange } from "../../../sdk/attestation.js";
import {
  HCS_CHUNK_SIZE,
  HCS_MAX_CHUNKS,
  HcsMessageError,
  decodeHcsMessage,
  encodeHcsMessage,
  encodeHcsMessageJson,
  hcsChunkCount,
  recoverSigners,
  statementDigest,
  type ReserveReportedMessage,
  type SupplyChangeAttestedMessage,
} from "../../../sdk/hcs-message.js";
import { testAttesters } from "../helpers/attesters.js";

const ledger = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const asset = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const holder = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const domain = { chainId: 296, verifyingContract: ledger } as const;
const attesters = testAttesters(3);

async function reserveMessage(): Promise<ReserveReportedMessage> {
  const statement = { asset, reserve: 5_800_000_000_000_000n, asOf: 1_767_225_600n, custodianRef: keccak256(toHex("custodian")), nonce: 7n } as const;
  return {
    type: "ReserveReported",
    chainId: 296,
    ledger,
    id: hashTypedData({ domain: ledgerDomain(domain), types: statementTypes, primaryType: "ReserveReport", message: statement }),
    blockNumber: 12_345_678n,
    txHash: keccak256(toHex("tx")),
    logIndex: 3,
    statement,
    signatures: await signStatement(attesters.slice(0, 2), domain, "ReserveReport", statement),
  };
}

async function supplyMessage(statement: SupplyChange, signerCount = 2): Promise<SupplyChangeAttestedMessage> {
  const signers = testAttesters(signerCount);
  return {
    type: "SupplyChangeAttested",
    chainId: 296,
    ledger,
    id: hashTypedData({ domain: ledgerDomain(domain), types: statementTypes, primaryType: "SupplyChange", message: statement }),
    blockNumber: 12_345_679n,
    txHash: keccak256(toHex("tx2")),
    logIndex: 0,
    statement,
    signatures: await signStatement(signers, domain, "SupplyChange", statement),
  };
}

const mint: SupplyChange = {
  kind: SupplyChangeKind.Mint,
  asset,
  holder,
  account: keccak256(toHex("account amina")),
  amount: 123_456_789n,
  ref: keccak256(toHex("mpesa receipt")),
  nonce: 8n,
  deadline: 1_767_229_200n,
};

describe("HCS message format", () => {
  it("is pinned: version, key order, decimal strings, checksummed addresses, lowercase hex", async () => {
    const message = await reserveMessage();
    const json = encodeHcsMessageJson(message);
    assert.equal(
      json,
      `{"v":1,"type":"ReserveReported","chainId":296,"ledger":"${ledger}","id":"${message.id}","blockNumber":"12345678",` +
        `"txHash":"${message.txHash}","logIndex":3,"statement":{"asset":"${asset}","reserve":"5800000000000000","asOf":"1767225600",` +
        `"custodianRef":"${message.statement.custodianRef}","nonce":"7"},"signatures":"${message.signatures}"}`,
    );
    assert.deepEqual(encodeHcsMessage(message), new TextEncoder().encode(json));
  });

  it("round-trips reserve reports and supply changes, bigints beyond 2^53 included", async () => {
    const reserve = await reserveMessage();
    assert.deepEqual(decodeHcsMessage(encodeHcsMessage(reserve)), reserve);
    const huge = await supplyMessage({ ...mint, kind: SupplyChangeKind.Burn, amount: 2n ** 255n + 1n, nonce: 2n ** 200n, deadline: 2n ** 64n - 1n });
    const decoded = decodeHcsMessage(encodeHcsMessage(huge));
    assert.deepEqual(decoded, huge);
    assert.equal(decoded.type === "SupplyChangeAttested" && decoded.statement.amount, 2n ** 255n + 1n);
  });

  it("lets a reader re-verify a statement: the digest is the id and the signatures recover to the attesters", async () => {
    const message = await supplyMessage(mint, 3);
    const decoded = decodeHcsMessage(encodeHcsMessage(message));
    assert.equal(statementDigest(decoded), decoded.id);
    assert.deepEqual(await recoverSigners(decoded), attesters.map((a) => a.address));
    const tampered = decodeHcsMessage(encodeHcsMessageJson(message).replace('"amount":"123456789"', '"amount":"123456790"'));
    assert.notEqual(statementDigest(tampered), tampered.id, "a changed field no longer matches the id");
  });

  it("rejects anything but a canonical v1 message", async () => {
    const json = encodeHcsMessageJson(await reserveMessage());
    const cases: Array<[string, string | Uint8Array, RegExp]> = [
      ["another version", json.replace('"v":1', '"v":2'), /version 2, expected 1/],
      ["an unknown type", json.replace('"ReserveReported"', '"ReserveBurned"'), /unknown type "ReserveBurned"/],
      ["pretty-printed JSON", JSON.stringify(JSON.parse(json), null, 2), /not in canonical form/],
      ["reordered keys", json.replace('{"v":1,"type":"ReserveReported"', '{"type":"ReserveReported","v":1'), /not in canonical form/],
      ["uppercase hex", json.replace(/"id":"0x([0-9a-f]+)"/, (_, h: string) => `"id":"0x${h.toUpperCase()}"`), /not in canonical form/],
      ["a number for a uint256", json.replace('"reserve":"5800000000000000"', '"reserve":5800000000000000'), /statement.reserve is not a decimal string/],
      ["a leading zero", json.replace('"nonce":"7"', '"nonce":"07"'), /statement.nonce is not a decimal string/],
      ["a short id", json.replace(/"id":"0x[0-9a-f]+"/, '"id":"0x1234"'), /id is not 32 bytes/],
      ["a bad address", json.replace(`"asset":"${asset}"`, '"asset":"0x12"'), /statement.asset is not an address/],
      ["not JSON", "JuaPesa", /not JSON/],
      ["not UTF-8", new Uint8Array([0xff, 0xfe]), /not UTF-8/],
    ];
    for (const [what, input, error] of cases) {
      assert.throws(() => decodeHcsMessage(input), (e: unknown) => e instanceof HcsMessageError && error.test(e.message), what);
    }
    const supply = encodeHcsMessageJson(await supplyMessage(mint));
    assert.throws(() => decodeHcsMessage(supply.replace('"kind":0', '"kind":2')), /statement.kind 2 is neither 0 \(mint\) nor 1 \(burn\)/);
  });

  it("fits a 2-of-3 reserve report in one HCS chunk", async () => {
    assert.equal(hcsChunkCount(encodeHcsMessage(await reserveMessage())), 1);
  });

  it("needs exactly HCS_MAX_CHUNKS for the largest possible message (32 signatures, every integer at its maximum)", async () => {
    const max = 2n ** 256n - 1n;
    const message = await supplyMessage({ ...mint, amount: max, nonce: max, deadline: 2n ** 64n - 1n }, 32);
    const bytes = encodeHcsMessage({ ...message, blockNumber: 2n ** 64n - 1n, logIndex: Number.MAX_SAFE_INTEGER, chainId: 2 ** 32 });
    assert.ok(bytes.length > (HCS_MAX_CHUNKS - 1) * HCS_CHUNK_SIZE, `${bytes.length} bytes: the bound is loose`);
    assert.equal(hcsChunkCount(bytes), HCS_MAX_CHUNKS, `${bytes.length} bytes`);
  });
});

