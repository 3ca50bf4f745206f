/**
 * Creates JuaPesa's HTS tokens (cNGN, XAUt, and USDC off mainnet), each issued by an HtsIssuer
 * contract that is both the token's treasury and its supply key, so only the issuer — and through
 * it only an attested statement — can mint or burn.
 *
 *   tsx scripts/hedera/create-tokens.ts --issuer cNGN=0.0.5001 --issuer XAUt=0.0.5003 [--dry-run]
 *
 *   --issuer SYMBOL=ID     the issuer contract for a token (repeat per token; only named tokens are created)
 *   --max-supply N         finite supply capped at N base units (default: infinite, see below)
 *   --kyc-key WHO          add a KYC key: "issuer" (the contract) or "operator" (HEDERA_OPERATOR_KEY's public key)
 *   --freeze-key WHO       add a freeze key, likewise
 *   --pause-key WHO        add a pause key, likewise
 *   --admin-key operator   add an admin key (none by default: the token is then immutable)
 *   --max-fee-hbar N       the most the operator pays for each creation (default 50)
 *   --dry-run              print each transaction exactly as it would be built, and stop
 *
 * Environment: HEDERA_NETWORK, HEDERA_OPERATOR_ID; for a real run also HEDERA_OPERATOR_KEY and
 * HEDERA_ISSUER_ADMIN_KEY, the issuer contract's admin key, because Hedera requires the treasury to
 * sign a TokenCreate and a contract signs through its admin key (hiero-consensus-node#3008).
 *
 * The operator pays each token's auto-renewal every 90 days (an auto-renew account must sign the
 * creation, and the operator is the one signer every run has).
 *
 * Supply type: infinite by default. The bound that matters is the attested reserve, which the
 * issuer enforces on every mint; a finite max supply without an admin key could never be raised,
 * and HTS caps supply below 2^63 anyway. `--max-supply` is there for a deliberate hard cap.
 */
import { parseArgs } from "node:util";
import {
  AccountId,
  ContractId,
  Hbar,
  TokenCreateTransaction,
  TokenSupplyType,
  TokenType,
  type Key,
  type PrivateKey,
} from "@hashgraph/sdk";

import { isAddress } from "viem";

import { AUTO_RENEW_PERIOD_SECONDS, MAINNET_USDC_TOKEN_ID, addressToEntityId, entityIdToAddress, type HederaNetwork } from "../../sdk/hedera.js";
import { ASSETS, type AssetSpec } from "../../sdk/protocol.js";
import { dryRunBanner, isEntryPoint, runCli, table } from "./lib/cli.js";
import {
  ISSUER_ADMIN_KEY,
  OPERATOR_ID,
  OPERATOR_KEY,
  hederaClient,
  networkFromEnv,
  operatorFromEnv,
  parseAccountId,
  privateKeyFromEnv,
  requireEnv,
} from "./lib/env.js";

/** HTS keeps supply in an int64. */
const HTS_MAX_SUPPLY = (1n << 63n) - 1n;

export type KeyHolder = "issuer" | "operator";

export interface TokenPlan {
  asset: AssetSpec;
  issuer: ContractId;
  maxSupply?: bigint;
  kycKey?: KeyHolder;
  freezeKey?: KeyHolder;
  pauseKey?: KeyHolder;
  adminKey?: "operator";
  autoRenewAccountId: AccountId;
  maxFee: Hbar;
}

export function tokenMemo(symbol: string): string {
  return `JuaPesa ${symbol}: minted and burned only against attested statements`;
}

/** "0.0.5001" or a long-zero address; an EVM-derived contract address must be looked up first. */
export function parseContractId(text: string, what: string): ContractId {
  const value = text.trim();
  if (/^\d+\.\d+\.\d+$/.test(value)) return ContractId.fromString(value);
  const longZero = isAddress(value, { strict: false }) ? addressToEntityId(value) : undefined;
  if (longZero) return ContractId.fromString(longZero);
  throw new Error(
    `${what} must be a contract id like 0.0.5001, got "${text}". For a contract deployed through the relay, ` +
      `read its id from the mirror node: GET <mirror>/api/v1/contracts/<address> → contract_id.`,
  );
}

/** Validates and resolves the token set for a network; refuses USDC on mainnet (Circle issues it there). */
export function planTokens(
  network: HederaNetwork,
  issuers: ReadonlyMap<string, ContractId>,
  options: Omit<TokenPlan, "asset" | "issuer">,
): TokenPlan[] {
  if (issuers.size === 0) throw new Error("Name at least one issuer: --issuer cNGN=0.0.5001 (repeat per token).");
  if (options.maxSupply !== undefined && (options.maxSupply <= 0n || options.maxSupply > HTS_MAX_SUPPLY)) {
    throw new Error(`--max-supply must be between 1 and ${HTS_MAX_SUPPLY} base units`);
  }
  return [...issuers].map(([symbol, issuer]) => {
    const asset = ASSETS.find((a) => a.symbol === symbol);
    if (!asset) throw new Error(`Unknown token ${symbol}; JuaPesa issues ${ASSETS.map((a) => a.symbol).join(", ")}.`);
    if (symbol === "USDC" && network.name === "mainnet") {
      throw new Error(`USDC on mainnet is Circle's native token ${MAINNET_USDC_TOKEN_ID} (${entityIdToAddress(MAINNET_USDC_TOKEN_ID)}); JuaPesa does not issue its own there.`);
    }
    return { asset, issuer, ...options };
  });
}

/** The TokenCreateTransaction for one token, unfrozen: the caller sets ids (tests) or a client (real run). */
export function buildTokenCreate(plan: TokenPlan, operatorKey?: PrivateKey): TokenCreateTransaction {
  const keyFor = (holder: KeyHolder | undefined, what: string): Key | undefined => {
    if (holder === undefined) return undefined;
    if (holder === "issuer") return plan.issuer;
    if (!operatorKey) throw new Error(`--${what} operator needs HEDERA_OPERATOR_KEY to know the operator's public key`);
    return operatorKey.publicKey;
  };
  const tx = new TokenCreateTransaction()
    .setTokenName(plan.asset.name)
    .setTokenSymbol(plan.asset.symbol)
    .setDecimals(plan.asset.decimals)
    .setInitialSupply(0)
    .setTokenType(TokenType.FungibleCommon)
    // A contract's account is the contract's own entity: the issuer holds the treasury balance.
    .setTreasuryAccountId(new AccountId(plan.issuer.shard, plan.issuer.realm, plan.issuer.num))
    // A plain ContractId key (not a delegatable one): only a call made by the issuer itself satisfies it.
    .setSupplyKey(plan.issuer)
    .setFreezeDefault(false)
    .setTokenMemo(tokenMemo(plan.asset.symbol))
    .setAutoRenewAccountId(plan.autoRenewAccountId)
    .setAutoRenewPeriod(AUTO_RENEW_PERIOD_SECONDS)
    .setMaxTransactionFee(plan.maxFee);
  if (plan.maxSupply !== undefined) tx.setSupplyType(TokenSupplyType.Finite).setMaxSupply(plan.maxSupply);
  else tx.setSupplyType(TokenSupplyType.Infinite);
  const kyc = keyFor(plan.kycKey, "kyc-key");
  if (kyc) tx.setKycKey(kyc);
  const freeze = keyFor(plan.freezeKey, "freeze-key");
  if (freeze) tx.setFreezeKey(freeze);
  const pause = keyFor(plan.pauseKey, "pause-key");
  if (pause) tx.setPauseKey(pause);
  const admin = keyFor(plan.adminKey, "admin-key");
  if (admin) tx.setAdminKey(admin);
  return tx;
}

function describeKey(key: Key | null, issuer: ContractId): string {
  if (key === null) return "none";
  if (key instanceof ContractId) return `ContractId ${key.toString()}${key.toString() === issuer.toString() ? " (the issuer contract)" : ""}`;
  return `public key ${key.toString()}`;
}

/** What the dry run prints: read back from the built transaction, so it is what would be sent. */
export function describeTokenCreate(tx: TokenCreateTransaction, plan: TokenPlan): string[] {
  const supply = tx.supplyType === TokenSupplyType.Finite ? `finite, max ${tx.maxSupply?.toString()} base units` : "infinite";
  return [
    `TokenCreateTransaction ${tx.tokenSymbol}`,
    ...table([
      ["name", tx.tokenName ?? ""],
      ["symbol", tx.tokenSymbol ?? ""],
      ["decimals", String(tx.decimals)],
      ["initial supply", String(tx.initialSupply)],
      ["token type", "fungible common"],
      ["supply type", supply],
      ["treasury", `${tx.treasuryAccountId?.toString()} (the issuer contract)`],
      ["supply key", describeKey(tx.supplyKey, plan.issuer)],
      ["admin key", describeKey(tx.adminKey, plan.issuer)],
      ["kyc key", describeKey(tx.kycKey, plan.issuer)],
      ["freeze key", describeKey(tx.freezeKey, plan.issuer)],
      ["pause key", describeKey(tx.pauseKey, plan.issuer)],
      ["freeze default", String(tx.freezeDefault)],
      ["memo", JSON.stringify(tx.tokenMemo)],
      ["auto-renew", `${tx.autoRenewAccountId?.toString()} every ${tx.autoRenewPeriod?.seconds.toString()} s (90 days)`],
      ["max fee", tx.maxTransactionFee?.toString() ?? ""],
      ["signers", "operator (payer, auto-renew account), HEDERA_ISSUER_ADMIN_KEY (treasury)"],
    ]),
  ];
}

interface Options {
  issuers: Map<string, ContractId>;
  plan: Omit<TokenPlan, "asset" | "issuer" | "autoRenewAccountId">;
  dryRun: boolean;
}

export function parseCreateTokensArgs(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      issuer: { type: "string", multiple: true, default: [] },
      "max-supply": { type: "string" },
      "kyc-key": { type: "string" },
      "freeze-key": { type: "string" },
      "pause-key": { type: "string" },
      "admin-key": { type: "string" },
      "max-fee-hbar": { type: "string", default: "50" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const issuers = new Map<string, ContractId>();
  for (const entry of values.issuer) {
    const [symbol, id] = entry.split("=");
    if (!symbol || !id) throw new Error(`--issuer takes SYMBOL=CONTRACT_ID, got "${entry}"`);
    if (issuers.has(symbol)) throw new Error(`--issuer names ${symbol} twice`);
    issuers.set(symbol, parseContractId(id, `--issuer ${symbol}`));
  }
  const holder = (flag: string, value: string | undefined): KeyHolder | undefined => {
    if (value === undefined) return undefined;
    if (value !== "issuer" && value !== "operator") throw new Error(`--${flag} takes "issuer" or "operator", got "${value}"`);
    return value;
  };
  if (values["admin-key"] !== undefined && values["admin-key"] !== "operator") {
    throw new Error(`--admin-key takes "operator" (the issuer contract cannot sign token updates), got "${values["admin-key"]}"`);
  }
  const maxFee = Number(values["max-fee-hbar"]);
  if (!(maxFee > 0)) throw new Error(`--max-fee-hbar must be a positive number of hbar`);
  return {
    issuers,
    dryRun: values["dry-run"],
    plan: {
      maxSupply: values["max-supply"] === undefined ? undefined : baseUnits(values["max-supply"]),
      kycKey: holder("kyc-key", values["kyc-key"]),
      freezeKey: holder("freeze-key", values["freeze-key"]),
      pauseKey: holder("pause-key", values["pause-key"]),
      adminKey: values["admin-key"] === "operator" ? "operator" : undefined,
      maxFee: new Hbar(maxFee),
    },
  };
}

function baseUnits(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`--max-supply takes a whole number of base units, got "${text}"`);
  return BigInt(text);
}

export interface CreatedToken {
  symbol: string;
  tokenId: string;
  address: string;
}

/** The script: plan, then print (dry run) or create each token and report its id and EVM address. */
export async function createTokens(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<CreatedToken[]> {
  const options = parseCreateTokensArgs(argv);
  const network = networkFromEnv(env);
  const usesOperatorKey = [options.plan.kycKey, options.plan.freezeKey, options.plan.pauseKey, options.plan.adminKey].includes("operator");
  const needs = options.dryRun ? [OPERATOR_ID, ...(usesOperatorKey ? [OPERATOR_KEY] : [])] : [OPERATOR_ID, OPERATOR_KEY, ISSUER_ADMIN_KEY];
  requireEnv(needs, env);
  const operatorId = parseAccountId(env.HEDERA_OPERATOR_ID!, OPERATOR_ID.name);
  const operatorKey = env.HEDERA_OPERATOR_KEY?.trim() ? privateKeyFromEnv(OPERATOR_KEY.name, env) : undefined;
  const plans = planTokens(network, options.issuers, { ...options.plan, autoRenewAccountId: operatorId });

  if (options.dryRun) {
    log(dryRunBanner(network));
    log(`Payer: ${operatorId.toString()} (HEDERA_OPERATOR_ID)`);
    for (const plan of plans) log([``, ...describeTokenCreate(buildTokenCreate(plan, operatorKey), plan)].join("\n"));
    return [];
  }

  const operator = operatorFromEnv(env);
  const treasuryKey = privateKeyFromEnv(ISSUER_ADMIN_KEY.name, env);
  const client = hederaClient(network, operator);
  const created: CreatedToken[] = [];
  try {
    for (const plan of plans) {
      const tx = buildTokenCreate(plan, operator.key).freezeWith(client);
      await tx.sign(treasuryKey);
      const receipt = await (await tx.execute(client)).getReceipt(client);
      const tokenId = receipt.tokenId?.toString();
      if (!tokenId) throw new Error(`TokenCreate for ${plan.asset.symbol} returned no token id (status ${receipt.status.toString()})`);
      const token = { symbol: plan.asset.symbol, tokenId, address: entityIdToAddress(tokenId) };
      log(`${token.symbol}: created ${token.tokenId} (${token.address})`);
      created.push(token);
    }
  } finally {
    client.close();
  }
  return created;
}

if (isEntryPoint(import.meta.url)) await runCli(async () => void (await createTokens(process.argv.slice(2))));
