/**
 * Associates accounts with JuaPesa's HTS tokens. An account (an operator, keeper or LP account)
 * associates itself with a TokenAssociateTransaction it signs. A contract (the vault, a pool) cannot
 * sign one: it associates itself through the token service at 0x167, so for contracts this prints
 * the `associateHederaToken(token)` call to make instead of sending anything.
 *
 *   tsx scripts/hedera/associate.ts --token 0.0.6001 --token 0.0.6003 [--account 0.0.7001 --key-env HEDERA_KEEPER_KEY] [--dry-run]
 *   tsx scripts/hedera/associate.ts --token 0.0.6001 --contract vault --contract pool
 *
 *   --token ID          token id (0.0.x) or its long-zero address; repeat per token
 *   --account ID        the account to associate (default: the operator, HEDERA_OPERATOR_ID)
 *   --key-env NAME      environment variable holding that account's private key (default HEDERA_OPERATOR_KEY)
 *   --contract C        a contract address, or vault / pool / router from the deployment of HEDERA_NETWORK's
 *                       chain id: prints the calls it must make (repeatable; no account association then)
 *   --dry-run           print the transaction exactly as it would be built, and stop
 */
import { parseArgs } from "node:util";
import { TokenAssociateTransaction, TokenId, type AccountId } from "@hashgraph/sdk";
import { encodeFunctionData, getAddress, isAddress, parseAbi, type Address, type Hex } from "viem";

import { loadDeployment } from "../../sdk/deployments.js";
import { addressToEntityId, entityIdToAddress, type HederaNetwork } from "../../sdk/hedera.js";
import { dryRunBanner, isEntryPoint, runCli, table } from "./lib/cli.js";
import { OPERATOR_ID, OPERATOR_KEY, hederaClient, networkFromEnv, operatorFromEnv, parseAccountId, privateKeyFromEnv, requireEnv, type EnvVar } from "./lib/env.js";

/** The HtsIssuer/vault/pool entry point through which a contract associates itself (via 0x167). */
export const ASSOCIATE_ABI = parseAbi(["function associateHederaToken(address token)"]);
export const ASSOCIATE_SIGNATURE = "associateHederaToken(address)";

const DEPLOYED_CONTRACTS = ["vault", "pool", "router"] as const;

export function parseTokenId(text: string): TokenId {
  const value = text.trim();
  if (/^\d+\.\d+\.\d+$/.test(value)) return TokenId.fromString(value);
  const id = isAddress(value, { strict: false }) ? addressToEntityId(value) : undefined;
  if (id) return TokenId.fromString(id);
  throw new Error(`--token must be a token id like 0.0.6001 or its long-zero address, got "${text}"`);
}

export function buildTokenAssociate(accountId: AccountId, tokenIds: readonly TokenId[]): TokenAssociateTransaction {
  if (tokenIds.length === 0) throw new Error("Name at least one token: --token 0.0.6001");
  return new TokenAssociateTransaction().setAccountId(accountId).setTokenIds([...tokenIds]);
}

export interface ContractCall {
  to: Address;
  signature: string;
  token: Address;
  data: Hex;
}

export function associateHederaTokenCall(contract: Address, token: TokenId): ContractCall {
  const tokenAddress = entityIdToAddress(token.toString());
  return {
    to: getAddress(contract),
    signature: ASSOCIATE_SIGNATURE,
    token: tokenAddress,
    data: encodeFunctionData({ abi: ASSOCIATE_ABI, functionName: "associateHederaToken", args: [tokenAddress] }),
  };
}

export function describeContractCalls(calls: readonly ContractCall[], names: ReadonlyMap<Address, string>): string[] {
  const lines = ["Contracts associate themselves through the token service (0x167); send these calls from an account the contract authorises:"];
  for (const call of calls) {
    lines.push("", ...table([
      ["contract", `${call.to}${names.has(call.to) ? ` (${names.get(call.to)})` : ""}`],
      ["function", `${call.signature}`],
      ["token", call.token],
      ["calldata", call.data],
    ]));
  }
  return lines;
}

function resolveContract(text: string, network: HederaNetwork): { address: Address; name?: string } {
  if ((DEPLOYED_CONTRACTS as readonly string[]).includes(text)) {
    const deployment = loadDeployment(network.chainId);
    return { address: deployment[text as (typeof DEPLOYED_CONTRACTS)[number]], name: text };
  }
  if (isAddress(text, { strict: false })) return { address: getAddress(text) };
  throw new Error(`--contract takes an address or one of ${DEPLOYED_CONTRACTS.join(", ")}, got "${text}"`);
}

export async function associate(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      token: { type: "string", multiple: true, default: [] },
      account: { type: "string" },
      "key-env": { type: "string" },
      contract: { type: "string", multiple: true, default: [] },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const network = networkFromEnv(env);
  const tokens = values.token.map(parseTokenId);
  if (tokens.length === 0) throw new Error("Name at least one token: --token 0.0.6001");

  if (values.contract.length > 0) {
    if (values.account) throw new Error("--contract and --account are separate runs: a contract cannot sign a TokenAssociateTransaction");
    const contracts = values.contract.map((c) => resolveContract(c, network));
    const names = new Map(contracts.filter((c) => c.name).map((c) => [c.address, c.name!] as const));
    const calls = contracts.flatMap((c) => tokens.map((t) => associateHederaTokenCall(c.address, t)));
    log(describeContractCalls(calls, names).join("\n"));
    return;
  }

  if (!values.account && values["key-env"]) throw new Error("--key-env names the key of --account; pass --account too");
  const keyEnv = values["key-env"] ?? OPERATOR_KEY.name;
  const needs: EnvVar[] = [OPERATOR_ID];
  if (!values["dry-run"]) {
    needs.push(OPERATOR_KEY);
    if (keyEnv !== OPERATOR_KEY.name) needs.push({ name: keyEnv, purpose: `the private key of ${values.account}, which must sign its association` });
  }
  requireEnv(needs, env);
  const operatorId = parseAccountId(env.HEDERA_OPERATOR_ID!, OPERATOR_ID.name);
  const accountId = values.account ? parseAccountId(values.account, "--account") : operatorId;
  const tx = buildTokenAssociate(accountId, tokens);

  if (values["dry-run"]) {
    log(dryRunBanner(network));
    log(["TokenAssociateTransaction", ...table([
      ["account", accountId.toString()],
      ["tokens", tx.tokenIds?.map((t) => `${t.toString()} (${entityIdToAddress(t.toString())})`).join(", ") ?? ""],
      ["payer", `${operatorId.toString()} (HEDERA_OPERATOR_ID)`],
      ["signers", accountId.equals(operatorId) ? "operator (payer and account)" : `operator (payer), ${keyEnv} (account)`],
    ])].join("\n"));
    return;
  }

  const client = hederaClient(network, operatorFromEnv(env));
  try {
    const frozen = tx.freezeWith(client);
    if (!accountId.equals(operatorId)) await frozen.sign(privateKeyFromEnv(keyEnv, env));
    const receipt = await (await frozen.execute(client)).getReceipt(client);
    log(`${accountId.toString()}: associated with ${tokens.map((t) => t.toString()).join(", ")} (${receipt.status.toString()})`);
  } finally {
    client.close();
  }
}

if (isEntryPoint(import.meta.url)) await runCli(() => associate(process.argv.slice(2)));
