/**
 * Deploys one HtsIssuer contract per HTS token through the Hedera SDK, with a cryptographic admin key.
 * Hedera requires a token's treasury to sign its TokenCreate, and a contract signs through its admin
 * key (hiero-consensus-node#3008); a deployment through the JSON-RPC relay cannot set one.
 *
 *   tsx scripts/hedera/deploy-issuers.ts [--symbol cNGN ...] [--ledger 0x…] [--admin 0x…] [--gas N] [--dry-run]
 *
 *   --symbol S     deploy the issuer of S only (repeat per token; default every token JuaPesa issues on
 *                  the network: cNGN, USDC, XAUt, and no USDC on mainnet)
 *   --ledger 0x…   the AttestationLedger (default: JuaPesaLedger#AttestationLedger, recorded by Ignition
 *                  for HEDERA_NETWORK's chain id when ignition/modules/JuaPesaLedger.ts was deployed)
 *   --admin 0x…    the EVM address that gets the issuers' admin and pauser roles, and so sends setToken
 *                  (default: the EVM address of HEDERA_OPERATOR_KEY, which must then be ECDSA)
 *   --gas N        gas for each constructor (default ISSUER_CREATE_GAS, below)
 *   --dry-run      print each transaction exactly as it would be built, and stop
 *
 * The initcode (7.5 KB, 15 KB as hex) is larger than a 6 KB transaction, so it goes up the way
 * ContractCreateFlow sends it, made explicit so a dry run can show every step: a FileCreateTransaction
 * with the first 2,048 bytes (the operator's key as the file's key), a FileAppendTransaction with the
 * rest in 4,096-byte chunks, then a ContractCreateTransaction per token from that one file (the issuers
 * share their initcode; only the constructor parameters differ), then a FileDeleteTransaction, since
 * each contract keeps its own copy of the bytecode.
 *
 * Environment: HEDERA_NETWORK, HEDERA_OPERATOR_ID, HEDERA_OPERATOR_KEY (pays, owns the file, and is the
 * default admin), HEDERA_ISSUER_ADMIN_KEY (its public key becomes each contract's admin key, and it
 * signs the ContractCreate, as Hedera requires of an admin key). Dry runs read the keys' public halves.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  AccountId,
  ContractCreateTransaction,
  ContractFunctionParameters,
  FileAppendTransaction,
  FileCreateTransaction,
  FileDeleteTransaction,
  FileId,
  type PrivateKey,
  type PublicKey,
} from "@hashgraph/sdk";
import { getAddress, isAddress, type Address } from "viem";

import { loadLedgerModuleAddress } from "../../sdk/deployments.js";
import { AUTO_RENEW_PERIOD_SECONDS, entityIdToAddress, type HederaNetwork } from "../../sdk/hedera.js";
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

const ROOT = path.resolve(import.meta.dirname, "../..");
export const ISSUER_ARTIFACT = path.join(ROOT, "artifacts/contracts/hedera/HtsIssuer.sol/HtsIssuer.json");

/** ContractCreateFlow's first chunk: it leaves the FileCreate room for keys and signatures in 6 KB. */
export const FILE_CREATE_BYTES = 2_048;
/** FileAppendTransaction's own chunk size. */
export const FILE_APPEND_CHUNK_BYTES = 4_096;

/**
 * Gas for an HtsIssuer constructor. A deployment of HtsIssuer on the in-process chain uses 1,611,291
 * gas (test/ts/hedera/deploy-issuers.test.ts measures it again); that figure includes the intrinsic
 * and calldata gas of an Ethereum creation, which a ContractCreate from a file does not spend, so it is
 * an upper bound. Plus sdk/gas.ts's default 20 % margin, rounded up to 10,000: 1,940,000. A constant
 * rather than an estimate because the relay cannot estimate a creation whose initcode lives in a file,
 * and a dry run must show the gas without a network. Pass --gas when the network asks for more.
 */
export const ISSUER_CREATE_GAS = 1_940_000n;

/** The initcode as Hedera stores it in a file: the hex digits as ASCII text, without 0x. */
export function issuerBytecode(artifactFile = ISSUER_ARTIFACT): Uint8Array {
  if (!existsSync(artifactFile)) throw new Error(`${artifactFile} is missing: run npm run build first`);
  const artifact = JSON.parse(readFileSync(artifactFile, "utf8")) as { bytecode: string; linkReferences: Record<string, unknown> };
  if (Object.keys(artifact.linkReferences).length > 0) throw new Error(`${artifactFile} needs linked libraries; this script links none`);
  if (!/^0x([0-9a-fA-F]{2})+$/.test(artifact.bytecode)) throw new Error(`${artifactFile} has no bytecode`);
  return new TextEncoder().encode(artifact.bytecode.slice(2));
}

export interface IssuerPlan {
  asset: AssetSpec;
  ledger: Address;
  admin: Address;
  adminKey: PublicKey;
  gas: bigint;
  autoRenewAccountId: AccountId;
}

/** The first part of the initcode, in a new file only the operator's key can change or delete. */
export function buildFileCreate(bytecode: Uint8Array, fileKey: PublicKey): FileCreateTransaction {
  return new FileCreateTransaction()
    .setKeys([fileKey])
    .setContents(bytecode.subarray(0, FILE_CREATE_BYTES))
    .setFileMemo("JuaPesa HtsIssuer initcode");
}

/** The rest of the initcode, or undefined when the FileCreate held it all. */
export function buildFileAppend(bytecode: Uint8Array, fileId: FileId): FileAppendTransaction | undefined {
  const rest = bytecode.subarray(FILE_CREATE_BYTES);
  if (rest.length === 0) return undefined;
  const chunks = Math.ceil(rest.length / FILE_APPEND_CHUNK_BYTES);
  return new FileAppendTransaction().setFileId(fileId).setContents(rest).setChunkSize(FILE_APPEND_CHUNK_BYTES).setMaxChunks(chunks);
}

export function constructorParameters(plan: Pick<IssuerPlan, "ledger" | "admin">): ContractFunctionParameters {
  return new ContractFunctionParameters().addAddress(plan.ledger).addAddress(plan.admin);
}

export function buildIssuerCreate(plan: IssuerPlan, fileId: FileId): ContractCreateTransaction {
  return new ContractCreateTransaction()
    .setBytecodeFileId(fileId)
    .setConstructorParameters(constructorParameters(plan))
    .setAdminKey(plan.adminKey)
    .setGas(Number(plan.gas))
    .setContractMemo(`JuaPesa ${plan.asset.symbol} issuer`)
    .setAutoRenewAccountId(plan.autoRenewAccountId)
    .setAutoRenewPeriod(AUTO_RENEW_PERIOD_SECONDS);
}

export function buildFileDelete(fileId: FileId): FileDeleteTransaction {
  return new FileDeleteTransaction().setFileId(fileId);
}

/** The tokens JuaPesa issues on a network: all but USDC on mainnet, where Circle issues it. */
export function issuedAssets(network: HederaNetwork, symbols: readonly string[] = []): AssetSpec[] {
  const onNetwork = ASSETS.filter((a) => !(a.symbol === "USDC" && network.name === "mainnet"));
  if (symbols.length === 0) return onNetwork;
  return symbols.map((symbol) => {
    const asset = onNetwork.find((a) => a.symbol === symbol);
    if (!asset) throw new Error(`No issuer for ${symbol} on ${network.name}; JuaPesa issues ${onNetwork.map((a) => a.symbol).join(", ")} there.`);
    return asset;
  });
}

function parseAddress(text: string, flag: string): Address {
  if (!isAddress(text, { strict: false })) throw new Error(`${flag} must be an EVM address (0x and 40 hex digits), got "${text}"`);
  return getAddress(text);
}

/** The admin by default: the operator key's EVM address, which only an ECDSA key has. */
function defaultAdmin(operatorKey: PrivateKey): Address {
  if (operatorKey.type !== "secp256k1") {
    throw new Error(`HEDERA_OPERATOR_KEY is an ${operatorKey.type} key, which has no EVM address: pass --admin 0x… (the account that will send setToken)`);
  }
  return getAddress(`0x${operatorKey.publicKey.toEvmAddress()}`);
}

export interface DeployIssuersOptions {
  assets: AssetSpec[];
  ledger: Address;
  admin: Address;
  gas: bigint;
  dryRun: boolean;
}

export function parseDeployIssuersArgs(argv: string[], network: HederaNetwork, operatorKey: PrivateKey, root = ROOT): DeployIssuersOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      symbol: { type: "string", multiple: true, default: [] },
      ledger: { type: "string" },
      admin: { type: "string" },
      gas: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.gas !== undefined && !/^[1-9]\d*$/.test(values.gas)) throw new Error(`--gas takes a whole number of gas, got "${values.gas}"`);
  return {
    assets: issuedAssets(network, values.symbol),
    ledger: values.ledger !== undefined ? parseAddress(values.ledger, "--ledger") : ledgerFromDeployment(network, root),
    admin: values.admin !== undefined ? parseAddress(values.admin, "--admin") : defaultAdmin(operatorKey),
    gas: values.gas !== undefined ? BigInt(values.gas) : ISSUER_CREATE_GAS,
    dryRun: values["dry-run"],
  };
}

function ledgerFromDeployment(network: HederaNetwork, root: string): Address {
  try {
    return loadLedgerModuleAddress(network.chainId, root);
  } catch (error) {
    throw new Error(`${(error as Error).message} Or pass --ledger 0x….`);
  }
}

const FROM_RECEIPT = "the id the FileCreate's receipt returns";

/** What the dry run prints: read back from the built transactions, so it is what would be sent. */
export function describePlan(bytecode: Uint8Array, fileKey: PublicKey, plans: readonly IssuerPlan[]): string[] {
  const placeholder = FileId.fromString("0.0.0");
  const create = buildFileCreate(bytecode, fileKey);
  const append = buildFileAppend(bytecode, placeholder);
  const lines = [
    "FileCreateTransaction",
    ...table([
      ["contents", `initcode bytes 0..${create.contents?.length} of ${bytecode.length} (HtsIssuer, hex as ASCII)`],
      ["keys", `${fileKey.toString()} (HEDERA_OPERATOR_KEY: only the operator can append to or delete the file)`],
      ["memo", JSON.stringify(create.fileMemo)],
    ]),
  ];
  if (append) {
    lines.push("", "FileAppendTransaction", ...table([
      ["file", FROM_RECEIPT],
      ["contents", `initcode bytes ${FILE_CREATE_BYTES}..${bytecode.length}, in ${append.getRequiredChunks()} chunks of up to ${append.chunkSize} bytes`],
    ]));
  }
  for (const plan of plans) {
    const tx = buildIssuerCreate(plan, placeholder);
    lines.push("", `ContractCreateTransaction ${plan.asset.symbol} issuer`, ...table([
      ["bytecode file", FROM_RECEIPT],
      ["constructor", `HtsIssuer(ledger ${plan.ledger}, admin ${plan.admin})`],
      ["admin key", `${tx.adminKey?.toString()} (HEDERA_ISSUER_ADMIN_KEY)`],
      ["gas", tx.gas?.toString() ?? ""],
      ["memo", JSON.stringify(tx.contractMemo)],
      ["auto-renew", `${tx.autoRenewAccountId?.toString()} every ${tx.autoRenewPeriod?.seconds.toString()} s (90 days)`],
      ["signers", "operator (payer, auto-renew account), HEDERA_ISSUER_ADMIN_KEY (admin key)"],
    ]));
  }
  lines.push("", "FileDeleteTransaction", ...table([["file", `${FROM_RECEIPT} (each contract keeps its own copy of the bytecode)`]]));
  return lines;
}

export interface DeployedIssuer {
  symbol: AssetSpec["symbol"];
  contractId: string;
  address: Address;
}

/** What to run once the issuers exist. */
export function nextSteps(issuers: readonly DeployedIssuer[]): string[] {
  const issuerArgs = issuers.map((i) => `--issuer ${i.symbol}=${i.contractId}`).join(" ");
  const tokenArgs = issuers.map((i) => `--token ${i.symbol}=<token id>`).join(" ");
  return [
    "Next:",
    `  HEDERA_ISSUER_ADMIN_KEY=… npm run hedera:create-tokens -- ${issuerArgs}`,
    `  npm run hedera:set-issuer-token -- ${issuerArgs} ${tokenArgs}`,
  ];
}

/** The script: plan, then print (dry run) or upload the initcode once and create each issuer from it. */
export async function deployIssuers(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<DeployedIssuer[]> {
  const network = networkFromEnv(env);
  requireEnv([OPERATOR_ID, OPERATOR_KEY, ISSUER_ADMIN_KEY], env);
  const operatorId = parseAccountId(env.HEDERA_OPERATOR_ID!, OPERATOR_ID.name);
  const operatorKey = privateKeyFromEnv(OPERATOR_KEY.name, env);
  const adminKey = privateKeyFromEnv(ISSUER_ADMIN_KEY.name, env);
  const options = parseDeployIssuersArgs(argv, network, operatorKey);
  const bytecode = issuerBytecode();
  const plans: IssuerPlan[] = options.assets.map((asset) => ({
    asset,
    ledger: options.ledger,
    admin: options.admin,
    adminKey: adminKey.publicKey,
    gas: options.gas,
    autoRenewAccountId: operatorId,
  }));

  if (options.dryRun) {
    log([dryRunBanner(network), `Payer: ${operatorId.toString()} (HEDERA_OPERATOR_ID)`, "", ...describePlan(bytecode, operatorKey.publicKey, plans)].join("\n"));
    return [];
  }

  const client = hederaClient(network, operatorFromEnv(env));
  const deployed: DeployedIssuer[] = [];
  try {
    const fileReceipt = await (await buildFileCreate(bytecode, operatorKey.publicKey).execute(client)).getReceipt(client);
    const fileId = fileReceipt.fileId;
    if (!fileId) throw new Error(`FileCreate returned no file id (status ${fileReceipt.status.toString()})`);
    log(`initcode: file ${fileId.toString()}`);
    try {
      await buildFileAppend(bytecode, fileId)?.executeAll(client);
      for (const plan of plans) {
        const tx = buildIssuerCreate(plan, fileId).freezeWith(client);
        await tx.sign(adminKey);
        const receipt = await (await tx.execute(client)).getReceipt(client);
        const contractId = receipt.contractId?.toString();
        if (!contractId) throw new Error(`ContractCreate for the ${plan.asset.symbol} issuer returned no contract id (status ${receipt.status.toString()})`);
        // A contract created by a ContractCreate (not through the relay) has its id's long-zero EVM address
        // (docs.hedera.com, Smart Contract Addresses).
        const issuer = { symbol: plan.asset.symbol, contractId, address: entityIdToAddress(contractId) };
        log(`${issuer.symbol}: HtsIssuer ${issuer.contractId} (${issuer.address})`);
        deployed.push(issuer);
      }
    } finally {
      await (await buildFileDelete(fileId).execute(client)).getReceipt(client);
    }
  } finally {
    client.close();
  }
  return deployed;
}

if (isEntryPoint(import.meta.url)) {
  await runCli(async () => {
    const deployed = await deployIssuers(process.argv.slice(2));
    if (deployed.length > 0) console.log(nextSteps(deployed).join("\n"));
  });
}
