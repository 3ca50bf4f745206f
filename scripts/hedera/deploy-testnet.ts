/**
 * Guided testnet deployment: checks that everything a deployment needs is in place, prints the plan,
 * and (without --dry-run) runs it: the Ignition deploy through the relay, the ledger topic, the HTS
 * tokens when their issuers are named, and the operator's association; then prints what is left.
 *
 *   tsx scripts/hedera/deploy-testnet.ts --parameters ignition/parameters/hederaTestnet.json [--issuer cNGN=0.0.x ...] [--dry-run]
 *
 * Needs: HEDERA_TESTNET_RPC_URL and HEDERA_PRIVATE_KEY (environment or `npx hardhat keystore set`),
 * for Hardhat's EVM side; HEDERA_OPERATOR_ID and HEDERA_OPERATOR_KEY for SDK transactions; with
 * --issuer also HEDERA_ISSUER_ADMIN_KEY (see create-tokens.ts). A dry run prints the check and the
 * plan and exits non-zero when something is missing; a real run refuses before doing anything.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isAddress } from "viem";

import { HEDERA_NETWORKS } from "../../sdk/hedera.js";
import { associate } from "./associate.js";
import { createTokens } from "./create-tokens.js";
import { createTopic } from "./hcs-topic.js";
import { isEntryPoint, runCli, table } from "./lib/cli.js";
import { privateKeyFromEnv } from "./lib/env.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NETWORK = HEDERA_NETWORKS.testnet;

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
  let params: { JuaPesa?: { attesters?: unknown; threshold?: unknown; seedRates?: unknown } };
  try {
    params = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return { name, ok: false, detail: `${file} is not JSON` };
  }
  const p = params.JuaPesa;
  if (!p || !Array.isArray(p.attesters) || p.attesters.length === 0 || !p.attesters.every((a) => typeof a === "string" && isAddress(a))) {
    return { name, ok: false, detail: `${file} needs JuaPesa.attesters: the attesters' public addresses` };
  }
  if (p.seedRates === true) return { name, ok: false, detail: `${file} sets seedRates: seed rates are for local chains only` };
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
        privateKeyFromEnv(name, env);
        return undefined;
      } catch (error) {
        return `invalid: ${(error as Error).message}`;
      }
  }
}

export function checkEnvironment(parametersFile: string, needsIssuerKey: boolean, env: NodeJS.ProcessEnv = process.env): Check[] {
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
    HEDERA_OPERATOR_KEY: "that account's private key",
    HEDERA_ISSUER_ADMIN_KEY: "the issuer contracts' admin key, which signs token creation as treasury",
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
  for (const name of ["HEDERA_OPERATOR_ID", "HEDERA_OPERATOR_KEY", ...(needsIssuerKey ? ["HEDERA_ISSUER_ADMIN_KEY"] : [])]) {
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

export function plan(parametersFile: string, issuers: readonly string[]): string[] {
  const relative = path.relative(ROOT, path.resolve(parametersFile));
  const rel = relative.startsWith("..") ? path.resolve(parametersFile) : relative;
  const issuerArgs = issuers.length > 0 ? issuers.map((i) => `--issuer ${i}`).join(" ") : "--issuer cNGN=<id> --issuer USDC=<id> --issuer XAUt=<id>";
  return [
    "Plan",
    "  1. Deploy the protocol through the relay (addresses land in ignition/deployments/chain-296/):",
    `     npx hardhat ignition deploy ignition/modules/JuaPesa.ts --network hederaTestnet --parameters ${rel}`,
    "  2. Deploy one HtsIssuer per token with a cryptographic admin key (an SDK ContractCreate: the relay",
    "     cannot set one), because Hedera requires the treasury to sign a TokenCreate and a contract signs",
    `     through its admin key (hiero-consensus-node#3008). ${issuers.length > 0 ? "Done: issuers given." : "Not automated here; then pass --issuer SYMBOL=0.0.x."}`,
    "  3. Create the HTS tokens, each with its issuer as treasury and supply key:",
    `     npm run hedera:create-tokens -- ${issuerArgs}`,
    "  4. Associate the operator account, and have the vault and the pool associate themselves:",
    "     npm run hedera:associate -- --token <token id> …",
    "     npm run hedera:associate -- --token <token id> … --contract vault --contract pool   (prints the calls)",
    "  5. Create the ledger topic (submit key: the publisher's):",
    "     npm run hedera:topic",
    "  6. Mirror the attestation ledger to the topic (run it on a schedule; it resumes):",
    "     npm run hedera:publish -- --topic <topic id>",
  ];
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}; stopping here`);
}

export async function deployTestnet(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      parameters: { type: "string", default: path.join("ignition", "parameters", "hederaTestnet.json") },
      issuer: { type: "string", multiple: true, default: [] },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const parametersFile = path.resolve(ROOT, values.parameters);
  const checks = checkEnvironment(parametersFile, values.issuer.length > 0, env);
  const missing = checks.filter((c) => !c.ok);

  log(`JuaPesa → Hedera testnet (chain ${NETWORK.chainId})${values["dry-run"] ? " — DRY RUN: nothing is signed or sent" : ""}`);
  log(["Environment", ...table(checks.map((c) => [`${c.ok ? "✓" : "✗"} ${c.name}`, c.detail] as const))].join("\n"));
  if (values["dry-run"]) log(plan(parametersFile, values.issuer).join("\n"));
  if (missing.length > 0) {
    throw new Error(`Not ready to deploy: ${missing.map((c) => c.name).join(", ")} ${missing.length === 1 ? "is" : "are"} missing or wrong (see above).`);
  }
  if (values["dry-run"]) return;

  const sdkEnv = { ...env, HEDERA_NETWORK: "testnet" };
  log("\n1. Ignition deploy");
  await run(path.join(ROOT, "node_modules/.bin/hardhat"), ["ignition", "deploy", "ignition/modules/JuaPesa.ts", "--network", "hederaTestnet", "--parameters", parametersFile], sdkEnv);
  log("\n5. Ledger topic");
  const topicId = await createTopic([], sdkEnv, log);
  if (values.issuer.length === 0) {
    log("\nStopped before token creation: deploy the HtsIssuer contracts (step 2), then rerun with --issuer SYMBOL=0.0.x.");
  } else {
    log("\n3. HTS tokens");
    const tokens = await createTokens(values.issuer.flatMap((i) => ["--issuer", i]), sdkEnv, log);
    const tokenArgs = tokens.flatMap((t) => ["--token", t.tokenId]);
    log("\n4. Associations");
    await associate(tokenArgs, sdkEnv, log);
    await associate([...tokenArgs, "--contract", "vault", "--contract", "pool"], sdkEnv, log);
  }
  log(`\n6. Publish the ledger: npm run hedera:publish -- --topic ${topicId}`);
}

if (isEntryPoint(import.meta.url)) await runCli(() => deployTestnet(process.argv.slice(2)));
