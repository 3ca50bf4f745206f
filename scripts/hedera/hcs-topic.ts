/**
 * Creates the HCS topic the attestation ledger is mirrored to ("JuaPesa attestation ledger"), with
 * the publisher's key as submit key, so only publish-ledger.ts can write to it and anyone can read it.
 *
 *   tsx scripts/hedera/hcs-topic.ts [--admin-key operator] [--dry-run]
 *
 *   --admin-key operator  let the operator update or delete the topic (default: no admin key, immutable)
 *   --dry-run             print the transaction exactly as it would be built, and stop
 *
 * The operator pays the topic's auto-renewal every 90 days (an auto-renew account must sign the
 * creation, and the operator is the one signer every run has).
 *
 * Environment: HEDERA_NETWORK, HEDERA_OPERATOR_ID, HEDERA_OPERATOR_KEY (not for a dry run), and the
 * publisher's key: HEDERA_PUBLISHER_PUBLIC_KEY, else the public half of HEDERA_PUBLISHER_KEY, else the
 * operator's key (when the operator publishes).
 */
import { parseArgs } from "node:util";
import { TopicCreateTransaction, type AccountId, type PublicKey } from "@hashgraph/sdk";

import { AUTO_RENEW_PERIOD_SECONDS } from "../../sdk/hedera.js";
import { dryRunBanner, isEntryPoint, runCli, table } from "./lib/cli.js";
import {
  MissingEnvironmentError,
  OPERATOR_ID,
  OPERATOR_KEY,
  hederaClient,
  networkFromEnv,
  operatorFromEnv,
  parseAccountId,
  privateKeyFromEnv,
  publicKeyFromString,
  requireEnv,
} from "./lib/env.js";

export const LEDGER_TOPIC_MEMO = "JuaPesa attestation ledger";

export interface TopicPlan {
  submitKey: PublicKey;
  adminKey?: PublicKey;
  autoRenewAccountId: AccountId;
}

export function buildTopicCreate(plan: TopicPlan): TopicCreateTransaction {
  const tx = new TopicCreateTransaction()
    .setTopicMemo(LEDGER_TOPIC_MEMO)
    .setSubmitKey(plan.submitKey)
    .setAutoRenewAccountId(plan.autoRenewAccountId)
    .setAutoRenewPeriod(AUTO_RENEW_PERIOD_SECONDS);
  if (plan.adminKey) tx.setAdminKey(plan.adminKey);
  return tx;
}

/** The publisher's public key, from the first of the variables that is set. */
export function publisherPublicKey(env: NodeJS.ProcessEnv = process.env): { key: PublicKey; source: string } {
  if (env.HEDERA_PUBLISHER_PUBLIC_KEY?.trim()) {
    return { key: publicKeyFromString(env.HEDERA_PUBLISHER_PUBLIC_KEY, "HEDERA_PUBLISHER_PUBLIC_KEY"), source: "HEDERA_PUBLISHER_PUBLIC_KEY" };
  }
  for (const name of ["HEDERA_PUBLISHER_KEY", OPERATOR_KEY.name]) {
    if (env[name]?.trim()) return { key: privateKeyFromEnv(name, env).publicKey, source: name };
  }
  throw new MissingEnvironmentError(
    [{ name: "HEDERA_PUBLISHER_PUBLIC_KEY", purpose: "the publisher's public key, the topic's submit key" }],
    "(or HEDERA_PUBLISHER_KEY, or HEDERA_OPERATOR_KEY when the operator publishes)",
  );
}

export function describeTopicCreate(tx: TopicCreateTransaction, submitKeySource: string): string[] {
  return [
    "TopicCreateTransaction",
    ...table([
      ["memo", JSON.stringify(tx.topicMemo)],
      ["submit key", `${tx.submitKey?.toString()} (${submitKeySource})`],
      ["admin key", tx.adminKey ? tx.adminKey.toString() : "none (the topic is immutable)"],
      ["auto-renew", `${tx.autoRenewAccountId?.toString()} every ${tx.autoRenewPeriod.seconds.toString()} s (90 days)`],
    ]),
  ];
}

export async function createTopic(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<string | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "admin-key": { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values["admin-key"] !== undefined && values["admin-key"] !== "operator") {
    throw new Error(`--admin-key takes "operator", got "${values["admin-key"]}"`);
  }
  const network = networkFromEnv(env);
  requireEnv(values["dry-run"] && values["admin-key"] === undefined ? [OPERATOR_ID] : [OPERATOR_ID, OPERATOR_KEY], env);
  const operatorId = parseAccountId(env.HEDERA_OPERATOR_ID!, OPERATOR_ID.name);
  const submit = publisherPublicKey(env);
  const tx = buildTopicCreate({
    submitKey: submit.key,
    adminKey: values["admin-key"] === "operator" ? privateKeyFromEnv(OPERATOR_KEY.name, env).publicKey : undefined,
    autoRenewAccountId: operatorId,
  });

  if (values["dry-run"]) {
    log([dryRunBanner(network), `Payer: ${operatorId.toString()} (HEDERA_OPERATOR_ID)`, ...describeTopicCreate(tx, submit.source)].join("\n"));
    return undefined;
  }

  const client = hederaClient(network, operatorFromEnv(env));
  try {
    const receipt = await (await tx.execute(client)).getReceipt(client);
    const topicId = receipt.topicId?.toString();
    if (!topicId) throw new Error(`TopicCreate returned no topic id (status ${receipt.status.toString()})`);
    log(`Topic ${topicId} created: "${LEDGER_TOPIC_MEMO}", submit key from ${submit.source}. Publish with HEDERA_TOPIC_ID=${topicId}.`);
    return topicId;
  } finally {
    client.close();
  }
}

if (isEntryPoint(import.meta.url)) await runCli(async () => void (await createTopic(process.argv.slice(2))));
