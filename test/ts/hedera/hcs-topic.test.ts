import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PrivateKey, PublicKey, TopicCreateTransaction } from "@hashgraph/sdk";

import { LEDGER_TOPIC_MEMO, buildTopicCreate, publisherPublicKey } from "../../../scripts/hedera/hcs-topic.js";
import { OPERATOR, everyBodySignedBy, runScript, signedRoundTrip } from "./helpers/offline.js";

const publisher = PrivateKey.generateECDSA();
const operator = PrivateKey.generateECDSA();

describe("hcs-topic: the TopicCreateTransaction", () => {
  it("carries the ledger memo, the publisher's submit key and a 90-day renewal by the operator, signed by the operator", async () => {
    const { bytes, decoded } = await signedRoundTrip(buildTopicCreate({ submitKey: publisher.publicKey, autoRenewAccountId: OPERATOR }), [operator]);
    assert.ok(decoded instanceof TopicCreateTransaction);
    assert.equal(decoded.topicMemo, "JuaPesa attestation ledger");
    assert.equal(LEDGER_TOPIC_MEMO, "JuaPesa attestation ledger");
    assert.ok(decoded.submitKey instanceof PublicKey && decoded.submitKey.equals(publisher.publicKey));
    assert.equal(decoded.adminKey, null, "no admin key: nobody can rewrite or delete the ledger topic");
    assert.equal(decoded.autoRenewAccountId?.toString(), OPERATOR.toString());
    assert.equal(decoded.autoRenewPeriod.seconds.toNumber(), 7_776_000);
    assert.ok(operator.publicKey.verifyTransaction(decoded));
    assert.ok(everyBodySignedBy(bytes, operator.publicKey));
  });

  it("takes an admin key only when given one", async () => {
    const { decoded } = await signedRoundTrip(buildTopicCreate({ submitKey: publisher.publicKey, adminKey: operator.publicKey, autoRenewAccountId: OPERATOR }), [operator]);
    assert.ok((decoded as TopicCreateTransaction).adminKey instanceof PublicKey);
  });

  it("finds the publisher's key: public key, else private key, else the operator's", () => {
    const pub = publisher.publicKey.toStringDer();
    assert.ok(publisherPublicKey({ HEDERA_PUBLISHER_PUBLIC_KEY: pub, HEDERA_OPERATOR_KEY: operator.toStringRaw() }).key.equals(publisher.publicKey));
    const fromPrivate = publisherPublicKey({ HEDERA_PUBLISHER_KEY: publisher.toStringRaw(), HEDERA_OPERATOR_KEY: operator.toStringRaw() });
    assert.ok(fromPrivate.key.equals(publisher.publicKey));
    assert.equal(fromPrivate.source, "HEDERA_PUBLISHER_KEY");
    const fromOperator = publisherPublicKey({ HEDERA_OPERATOR_KEY: operator.toStringRaw() });
    assert.ok(fromOperator.key.equals(operator.publicKey));
    assert.throws(() => publisherPublicKey({}), /HEDERA_PUBLISHER_PUBLIC_KEY: the publisher's public key/);
  });

  it("reads a raw 32-byte key as raw even when its first bytes look like a DER header", () => {
    // The first 16 bytes are an Ed25519 private-key DER header; as 32 raw bytes it is an ordinary ECDSA key.
    const raw = `302e020100300506032b657004220420${"11".repeat(16)}`;
    const key = PrivateKey.fromStringECDSA(raw);
    assert.ok(publisherPublicKey({ HEDERA_PUBLISHER_KEY: raw }).key.equals(key.publicKey));
  });
});

describe("hcs-topic: the command", () => {
  it("--dry-run prints the topic as built", async () => {
    const run = await runScript("hcs-topic", ["--dry-run"], {
      HEDERA_NETWORK: "previewnet",
      HEDERA_OPERATOR_ID: "0.0.1001",
      HEDERA_PUBLISHER_PUBLIC_KEY: publisher.publicKey.toStringDer(),
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /DRY RUN on Hedera previewnet \(chain 297\)/);
    assert.match(run.stdout, /memo\s+"JuaPesa attestation ledger"/);
    assert.match(run.stdout, new RegExp(`submit key\\s+${publisher.publicKey.toStringDer()} \\(HEDERA_PUBLISHER_PUBLIC_KEY\\)`));
    assert.match(run.stdout, /admin key\s+none \(the topic is immutable\)/);
    assert.match(run.stdout, /auto-renew\s+0\.0\.1001 every 7776000 s/);
  });

  it("without its environment names what is missing and exits non-zero", async () => {
    const run = await runScript("hcs-topic", [], { HEDERA_NETWORK: "testnet" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /HEDERA_OPERATOR_ID: /);
    assert.match(run.stderr, /HEDERA_OPERATOR_KEY: /);
    const noPublisher = await runScript("hcs-topic", ["--dry-run"], { HEDERA_OPERATOR_ID: "0.0.1001" });
    assert.equal(noPublisher.code, 1);
    assert.match(noPublisher.stderr, /HEDERA_PUBLISHER_PUBLIC_KEY: the publisher's public key, the topic's submit key/);
  });
});
