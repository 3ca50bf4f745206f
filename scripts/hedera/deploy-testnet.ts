/**
 * Guided testnet deployment: checks that everything a deployment needs is in place, prints the plan,
 * and (without --dry-run) runs it in the order the pieces depend on each other: the ledger (Ignition,
 * through the relay), the HtsIssuers (SDK, with an admin key), the HTS tokens, setToken, the rest of
 * the protocol around the tokens (Ignition), the operator's association, and the ledger topic.
 *
 *   tsx scripts/hedera/deploy-testnet.ts --parameters ignition/parameters/hederaTestnet.json [--issuer cNGN=0.0.x ...] [--token cNGN=0.0.y ...] [--dry-run]
 *
 *   --issuer SYMBOL=ID   issuers that already exist (all three tokens' or none): skips their deployment
 *   --token SYMBOL=ID    tokens that already exist (all three or none): skips their creation
 *
 * The two flags let a run that stopped part way resume without deploying or creating anything twice;
 * the Ignition deploys and setToken resume by themselves.
 *
 * Needs: HEDERA_TESTNET_RPC_URL and HEDERA_PRIVATE_KEY (environment or `npx hardhat keystore set`),
 * for Hardhat's EVM side; HEDERA_OPERATOR_ID and HEDERA_OPERATOR_KEY for SDK transactions, an ECDSA
 * key because its EVM address is the issuers' admin and sends setToken; HEDERA_ISSUER_ADMIN_KEY (see
 * deploy-issuers.ts and create-tokens.ts). A dry run prints the check and the plan and exits non-zero
 * when something is missing; a real run refuses before doing anything.
 *
 * The JuaPesaHedera module's parameters are the given file's plus the addresses of the ledger, tokens
 * and issuers; the run writes them next to it (hederaTestnet.generated.json for hederaTestnet.json).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isAddress, type Address } from "viem";

import { issuerParameter, tokenParameter } from "../../ignition/modules/JuaPesaHedera.js";
import { loadLedgerModuleAddress } from "../../sdk/deployments.js";
import { HEDERA_NETWORKS, entityIdToAddress } from "../../sdk/hedera.js";
import { ASSETS } from "../../sdk/protocol.js";
import { associate } from "./associate.js";
import { createTokens } from "./create-tokens.js";
import { deployIssuers } from "./deploy-issuers.js";
import { createTopic } from "./hcs-topic.js";
import { isEntryPoint, runCli, table } from "./lib/cli.js";
import { privateKeyFromEnv } from "./lib/env.js";
import { setIssuerToken } from "./set-issuer-token.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NETWORK = HEDERA_NETWORKS.testnet;
/** Testnet issues every asset, USDC included. */
const SYMBOLS = ASSETS.map((a) => a.symbol);

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Names in Hardhat's keystore (their values stay encrypted; `keystore list` needs no password). */
export function keystoreKeys(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/hardhat"), ["keystore", "list"], { cwd: ROOT, env, encoding: "utf8" });
  if (result.status !== 0) return new Set();
  return new Set(result.stdout.split("\n").slice(1).map((line) => line.trim()).filter(Boolean));
}

function parametersCheck(file: string): Check {
  const name = "parameters";
  if (!existsSync(file)) return { name, ok: false, detail: `${file} does not exist; write it as README's Hedera section shows` };
  let params: { JuaPesaLedger?: { attesters?: unknown; threshold?: unknown } };
  try {
    params = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return { name, ok: false, detail: `${file} is not JSON` };
  }
  const p = params.JuaPesaLedger;
  if (!p || !Array.isArray(p.attesters) || p.attesters.length === 0 || !p.attesters.every((a) => typeof a === "string" && isAddress(a))) {
    return { name, ok: false, detail: `${file} needs JuaPesaLedger.attesters: the attesters' public addresses` };
  }
  return { name, ok: true, detail: `${file}: ${p.attesters.length} attester(s), threshold ${String(p.threshold ?? 2)}` };
}

/** What is wrong with a set variable, or undefined; values are never echoed except the account id. */
function validate(name: string, value: string, env: NodeJS.ProcessEnv): string | undefined {
  switch (name) {
    case "HEDERA_TESTNET_RPC_URL":
      return /^https?:\/\/\S+$/.test(value) ? undefined : "invalid: not an http(s) URL";
    case "HEDERA_PRIVATE_KEY":
      return /^0x[0-9a-fA-F]{64}$/.test(value) ? undefined : "invalid: not a 0x-prefixed 32-byte hex key";
    case "HEDERA_OPERATOR_ID":
      return /^\d+\.\d+\.\d+$/.test(value) ? undefined : `invalid: "${value}" is not an account id like 0.0.1234`;
    default:
      try {
        const key = privateKeyFromEnv(name, env);
        // Its EVM address becomes the issuers' admin, and sends setToken through the relay.
        if (name === "HEDERA_OPERATOR_KEY" && key.type !== "secp256k1") return `invalid: an ${key.type} key has no EVM address; the operator key must be ECDSA`;
        return undefined;
      } catch (error) {
        return `invalid: ${(error as Error).message}`;
      }
  }
}

export function checkEnvironment(parametersFile: string, env: NodeJS.ProcessEnv = process.env): Check[] {
  const checks: Check[] = [];
  if (env.HEDERA_NETWORK && env.HEDERA_NETWORK !== "testnet") {
    checks.push({ name: "HEDERA_NETWORK", ok: false, detail: `is ${env.HEDERA_NETWORK}; this script deploys to testnet only` });
  }
  const hardhatVars = ["HEDERA_TESTNET_RPC_URL", "HEDERA_PRIVATE_KEY"];
  const keystore = hardhatVars.every((v) => env[v]?.trim()) ? new Set<string>() : keystoreKeys(env);
  const purposes: Record<string, string> = {
    HEDERA_TESTNET_RPC_URL: `the JSON-RPC relay (e.g. ${NETWORK.defaultRpcUrl}); npx hardhat keystore set HEDERA_TESTNET_RPC_URL`,
    HEDERA_PRIVATE_KEY: "the ECDSA key (0x…) Hardhat deploys with; npx hardhat keystore set HEDERA_PRIVATE_KEY",
    HEDERA_OPERATOR_ID: "the account that pays for SDK transactions (0.0.x)",
    HEDERA_OPERATOR_KEY: "that account's private key (ECDSA)",
    HEDERA_ISSUER_ADMIN_KEY: "the issuer contracts' admin key, which signs their creation and token creation as treasury",
  };
  for (const name of hardhatVars) {
    const value = env[name]?.trim();
    if (!value) {
      checks.push(keystore.has(name) ? { name, ok: true, detail: "set (Hardhat keystore)" } : { name, ok: false, detail: `missing: ${purposes[name]}` });
      continue;
    }
    const problem = validate(name, value, env);
    checks.push({ name, ok: problem === undefined, detail: problem ?? "set (environment)" });
  }
  for (const name of ["HEDERA_OPERATOR_ID", "HEDERA_OPERATOR_KEY", "HEDERA_ISSUER_ADMIN_KEY"]) {
    const value = env[name]?.trim();
    if (!value) {
      checks.push({ name, ok: false, detail: `missing: ${purposes[name]}` });
      continue;
    }
    const problem = validate(name, value, env);
    checks.push({ name, ok: problem === undefined, detail: problem ?? (name === "HEDERA_OPERATOR_ID" ? value : "set (environment)") });
  }
  checks.push(parametersCheck(parametersFile));
  return checks;
}

/** The JuaPesaHedera module's parameters file for a given one: hederaTestnet.json → hederaTestnet.generated.json. */
export function generatedParametersFile(parametersFile: string): string {
  return path.join(path.dirname(parametersFile), `${path.basename(parametersFile, ".json")}.generated.json`);
}

export interface HederaContracts {
  ledger: Address;
  /** Entity ids (0.0.x) by symbol. */
  issuers: ReadonlyMap<string, string>;
  tokens: ReadonlyMap<string, string>;
}

/** The given parameters plus, under "JuaPesa", the addresses JuaPesaHedera.ts takes. */
export function hederaParameters(given: Record<string, Record<string, unknown>>, contracts: HederaContracts) {
  const addresses: Record<string, string> = { ledger: contracts.ledger };
  for (const symbol of SYMBOLS) {
    addresses[tokenParameter(symbol)] = entityIdToAddress(required(contracts.tokens, symbol, "token"));
    addresses[issuerParameter(symbol)] = entityIdToAddress(required(contracts.issuers, symbol, "issuer"));
  }
  return { ...given, JuaPesa: { ...given.JuaPesa, ...addresses } };
}

function required(ids: ReadonlyMap<string, string>, symbol: string, what: string): string {
  const id = ids.get(symbol);
  if (!id) throw new Error(`no ${what} for ${symbol}`);
  return id;
}

/** --issuer or --token entries, all three tokens' or none. */
export function existingIds(flag: string, entries: readonly string[]): Map<string, string> | undefined {
  if (entries.length === 0) return undefined;
  const ids = new Map<string, string>();
  for (const entry of entries) {
    const [symbol, id] = entry.split("=");
    if (!symbol || !id || !/^\d+\.\d+\.\d+$/.test(id)) throw new Error(`--${flag} takes SYMBOL=0.0.x, got "${entry}"`);
    if (ids.has(symbol)) throw new Error(`--${flag} names ${symbol} twice`);
    ids.set(symbol, id);
  }
  const names = [...ids.keys()].sort().join(",");
  if (names !== [...SYMBOLS].sort().join(",")) {
    throw new Error(`--${flag} names ${SYMBOLS.join(", ")} once each or not at all (the protocol holds all three tokens), got ${[...ids.keys()].join(", ")}`);
  }
  return ids;
}

const args = (flag: string, ids: ReadonlyMap<string, string> | undefined, placeholder: string) =>
  SYMBOLS.map((symbol) => `--${flag} ${symbol}=${ids?.get(symbol) ?? placeholder}`).join(" ");

export function plan(parametersFile: string, issuers?: ReadonlyMap<string, string>, tokens?: ReadonlyMap<string, string>): string[] {
  const shown = (file: string) => {
    const relative = path.relative(ROOT, path.resolve(file));
    return relative.startsWith("..") ? path.resolve(file) : relative;
  };
  const issuerArgs = args("issuer", issuers, "<issuer id>");
  const tokenArgs = args("token", tokens, "<token id>");
  return [
    "Plan",
    "  1. Deploy the AttestationLedger through the relay (addresses land in ignition/deployments/chain-296/):",
    `     npx hardhat ignition deploy ignition/modules/JuaPesaLedger.ts --network hederaTestnet --parameters ${shown(parametersFile)}`,
    "  2. Deploy one HtsIssuer per token through the SDK, with HEDERA_ISSUER_ADMIN_KEY as admin key: Hedera",
    "     requires the treasury to sign a TokenCreate, and a contract signs through its admin key",
    "     (hiero-consensus-node#3008). The operator key's EVM address gets the issuers' admin role.",
    `     ${issuers ? "Done: --issuer given." : "npm run hedera:deploy-issuers"}`,
    "  3. Create the HTS tokens, each with its issuer as treasury and supply key:",
    `     ${tokens ? "Done: --token given." : `npm run hedera:create-tokens -- ${issuerArgs}`}`,
    "  4. Point each issuer at its token (setToken through the relay, sent with the operator key):",
    `     npm run hedera:set-issuer-token -- ${issuerArgs} ${tokenArgs}`,
    "  5. Deploy the rest of the protocol around the tokens; the vault and the pool associate themselves",
    `     with each token. The parameters are ${shown(parametersFile)} plus the ledger, token and issuer addresses:`,
    `     npx hardhat ignition deploy ignition/modules/JuaPesaHedera.ts --network hederaTestnet --parameters ${shown(generatedParametersFile(parametersFile))}`,
    "  6. Associate the operator account with the tokens (other accounts run this with --account):",
    `     npm run hedera:associate -- ${SYMBOLS.map((s) => `--token ${tokens?.get(s) ?? "<token id>"}`).join(" ")}`,
    "  7. Create the ledger topic (submit key: the publisher's):",
    "     npm run hedera:topic",
    "  8. Mirror the attestation ledger to the topic (run it on a schedule; it resumes):",
    "     npm run hedera:publish -- --topic <topic id>",
  ];
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}; stopping here`);
}

const ignitionDeploy = (module: string, parametersFile: string, env: NodeJS.ProcessEnv) =>
  run(path.join(ROOT, "node_modules/.bin/hardhat"), ["ignition", "deploy", `ignition/modules/${module}.ts`, "--network", "hederaTestnet", "--parameters", parametersFile], env);

const flags = (flag: string, ids: ReadonlyMap<string, string>) => [...ids].flatMap(([symbol, id]) => [`--${flag}`, `${symbol}=${id}`]);

export async function deployTestnet(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      parameters: { type: "string", default: path.join("ignition", "parameters", "hederaTestnet.json") },
      issuer: { type: "string", multiple: true, default: [] },
      token: { type: "string", multiple: true, default: [] },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const parametersFile = path.resolve(ROOT, values.parameters);
  const givenIssuers = existingIds("issuer", values.issuer);
  const givenTokens = existingIds("token", values.token);
  if (givenTokens && !givenIssuers) throw new Error("--token needs --issuer: existing tokens have existing issuers");
  const checks = checkEnvironment(parametersFile, env);
  const missing = checks.filter((c) => !c.ok);

  log(`JuaPesa → Hedera testnet (chain ${NETWORK.chainId})${values["dry-run"] ? " — DRY RUN: nothing is signed or sent" : ""}`);
  log(["Environment", ...table(checks.map((c) => [`${c.ok ? "✓" : "✗"} ${c.name}`, c.detail] as const))].join("\n"));
  if (values["dry-run"]) log(plan(parametersFile, givenIssuers, givenTokens).join("\n"));
  if (missing.length > 0) {
    throw new Error(`Not ready to deploy: ${missing.map((c) => c.name).join(", ")} ${missing.length === 1 ? "is" : "are"} missing or wrong (see above).`);
  }
  if (values["dry-run"]) return;

  const sdkEnv = { ...env, HEDERA_NETWORK: "testnet" };
  log("\n1. Ledger");
  await ignitionDeploy("JuaPesaLedger", parametersFile, sdkEnv);
  const ledger = loadLedgerModuleAddress(NETWORK.chainId);

  let issuers = givenIssuers;
  if (!issuers) {
    log("\n2. Issuers");
    issuers = new Map((await deployIssuers(["--ledger", ledger], sdkEnv, log)).map((i) => [i.symbol, i.contractId]));
  }
  let tokens = givenTokens;
  if (!tokens) {
    log("\n3. HTS tokens");
    tokens = new Map((await createTokens(flags("issuer", issuers), sdkEnv, log)).map((t) => [t.symbol, t.tokenId]));
  }
  log("\n4. setToken");
  await setIssuerToken([...flags("issuer", issuers), ...flags("token", tokens)], sdkEnv, log);

  log("\n5. The protocol");
  const generated = generatedParametersFile(parametersFile);
  const given = JSON.parse(readFileSync(parametersFile, "utf8"));
  writeFileSync(generated, `${JSON.stringify(hederaParameters(given, { ledger, issuers, tokens }), null, 2)}\n`);
  log(`parameters: ${generated}`);
  await ignitionDeploy("JuaPesaHedera", generated, sdkEnv);

  log("\n6. Associations");
  await associate([...tokens.values()].flatMap((id) => ["--token", id]), sdkEnv, log);
  log("\n7. Ledger topic");
  const topicId = await createTopic([], sdkEnv, log);
  log(`\n8. Publish the ledger: npm run hedera:publish -- --topic ${topicId}`);
}

if (isEntryPoint(import.meta.url)) await runCli(() => deployTestnet(process.argv.slice(2)));
