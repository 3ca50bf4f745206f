/**
 * What the Hedera scripts take from the environment, and only from there: the network, the operator
 * account that pays, and every key. Nothing secret is ever read from the repository or a flag.
 */
import { AccountId, Client, PrivateKey, PublicKey } from "@hashgraph/sdk";

import { hederaNetwork, type HederaNetwork } from "../../../sdk/hedera.js";

export interface EnvVar {
  name: string;
  /** What it is for, as the error shows it. */
  purpose: string;
}

export const OPERATOR_ID: EnvVar = { name: "HEDERA_OPERATOR_ID", purpose: "the account that pays for and signs SDK transactions (0.0.x)" };
export const OPERATOR_KEY: EnvVar = {
  name: "HEDERA_OPERATOR_KEY",
  purpose: "that account's private key (hex or DER; HEDERA_OPERATOR_KEY_TYPE=ecdsa|ed25519, default ecdsa)",
};

export const ISSUER_ADMIN_KEY: EnvVar = {
  name: "HEDERA_ISSUER_ADMIN_KEY",
  purpose: "the issuer contract's admin key, which signs for it as the token's treasury",
};

export class MissingEnvironmentError extends Error {
  constructor(
    readonly missing: readonly EnvVar[],
    hint?: string,
  ) {
    const lines = missing.map((v) => `  ${v.name}: ${v.purpose}`);
    super(`Missing environment:\n${lines.join("\n")}${hint ? `\n${hint}` : ""}`);
    this.name = "MissingEnvironmentError";
  }
}

/** Throws one error naming every variable that is unset, so a person fixes them all at once. */
export function requireEnv(vars: readonly EnvVar[], env: NodeJS.ProcessEnv = process.env, hint?: string): void {
  const missing = vars.filter((v) => !env[v.name]?.trim());
  if (missing.length > 0) throw new MissingEnvironmentError(missing, hint);
}

export function networkFromEnv(env: NodeJS.ProcessEnv = process.env): HederaNetwork {
  return hederaNetwork(env.HEDERA_NETWORK);
}

export function parseAccountId(text: string, what: string): AccountId {
  if (!/^\d+\.\d+\.\d+$/.test(text.trim())) throw new Error(`${what} must be an account id like 0.0.1234, got "${text}"`);
  return AccountId.fromString(text.trim());
}

/** A private key from its environment variable: DER as is, raw hex as ECDSA unless told ED25519. */
export function privateKeyFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): PrivateKey {
  const text = env[name]?.trim();
  if (!text) throw new MissingEnvironmentError([{ name, purpose: "a private key" }]);
  const type = (env[`${name}_TYPE`] ?? env.HEDERA_OPERATOR_KEY_TYPE ?? "ecdsa").toLowerCase();
  try {
    // A raw key is exactly 32 bytes; DER is always longer. Asking isDerKey about a raw key can answer
    // yes when its first bytes happen to read as a DER header (about 1 in 256 random keys).
    const raw = /^(0x)?[0-9a-fA-F]{64}$/.test(text);
    if (!raw && PrivateKey.isDerKey(text)) return PrivateKey.fromStringDer(text);
    if (type === "ed25519") return PrivateKey.fromStringED25519(text);
    if (type === "ecdsa") return PrivateKey.fromStringECDSA(text);
  } catch (error) {
    throw new Error(`${name} is not a valid ${type} private key: ${(error as Error).message}`);
  }
  throw new Error(`${name}_TYPE must be ecdsa or ed25519, got "${type}"`);
}

/**
 * The EVM signing key (0x…) behind a Hedera key variable, for transactions sent through the relay.
 * Only an ECDSA (secp256k1) key has an EVM address; an Ed25519 key is refused.
 */
export function evmPrivateKeyFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): `0x${string}` {
  const key = privateKeyFromEnv(name, env);
  if (key.type !== "secp256k1") throw new Error(`${name} is an ${key.type} key; sending through the relay needs an ECDSA (secp256k1) key`);
  return `0x${key.toStringRaw()}`;
}

export function publicKeyFromString(text: string, what: string): PublicKey {
  try {
    return PublicKey.fromString(text.trim());
  } catch (error) {
    throw new Error(`${what} is not a valid public key: ${(error as Error).message}`);
  }
}

export interface Operator {
  accountId: AccountId;
  key: PrivateKey;
}

export function operatorFromEnv(env: NodeJS.ProcessEnv = process.env): Operator {
  requireEnv([OPERATOR_ID, OPERATOR_KEY], env);
  return { accountId: parseAccountId(env.HEDERA_OPERATOR_ID!, OPERATOR_ID.name), key: privateKeyFromEnv(OPERATOR_KEY.name, env) };
}

/** An SDK client for the network, paying with the operator. Only real (non-dry) runs build one. */
export function hederaClient(network: HederaNetwork, operator: Operator): Client {
  const client = network.name === "local" ? Client.forLocalNode() : Client.forName(network.name);
  return client.setOperator(operator.accountId, operator.key);
}
