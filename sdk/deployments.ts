/**
 * Deployed addresses per chain id, as Hardhat Ignition wrote them
 * (ignition/deployments/chain-<id>/deployed_addresses.json).
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { getAddress, type Address } from "viem";

export const CONTRACT_NAMES = ["ledger", "oracle", "pool", "router", "vault", "cNGN", "USDC", "XAUt"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];
export type Deployment = { chainId: number } & Record<ContractName, Address>;

// Ignition ids of the JuaPesa module's futures, by the name the rest of the code uses.
const FUTURE_IDS: Record<ContractName, string> = {
  ledger: "JuaPesa#AttestationLedger",
  oracle: "JuaPesa#FxOracle",
  pool: "JuaPesa#LiquidityPool",
  router: "JuaPesa#Router",
  vault: "JuaPesa#CustodialVault",
  cNGN: "JuaPesa#cNGN",
  USDC: "JuaPesa#USDC",
  XAUt: "JuaPesa#XAUt",
};

/**
 * On Hedera the ledger is deployed alone first (ignition/modules/JuaPesaLedger.ts), because the HTS
 * tokens' issuers need it; JuaPesaHedera.ts then records it again as JuaPesa#AttestationLedger.
 */
export const LEDGER_MODULE_FUTURE_ID = "JuaPesaLedger#AttestationLedger";

const ROOT = path.resolve(import.meta.dirname, "..");

export function deploymentFile(chainId: number, root = ROOT): string {
  return path.join(root, "ignition", "deployments", `chain-${chainId}`, "deployed_addresses.json");
}

export class DeploymentNotFoundError extends Error {
  constructor(readonly chainId: number, readonly file: string) {
    super(`No JuaPesa deployment for chain ${chainId}: ${file} is missing. Deploy first (npm start, or npm run deploy).`);
    this.name = "DeploymentNotFoundError";
  }
}

function readAddresses(chainId: number, root: string): Record<string, string> {
  const file = deploymentFile(chainId, root);
  if (!existsSync(file)) throw new DeploymentNotFoundError(chainId, file);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
}

/** Reads the addresses Ignition recorded for `chainId`. */
export function loadDeployment(chainId: number, root = ROOT): Deployment {
  return fromIgnition(chainId, readAddresses(chainId, root));
}

/** The AttestationLedger that JuaPesaLedger.ts deployed on `chainId`, before anything else existed. */
export function loadLedgerModuleAddress(chainId: number, root = ROOT): Address {
  const address = readAddresses(chainId, root)[LEDGER_MODULE_FUTURE_ID];
  if (!address) {
    throw new Error(`${deploymentFile(chainId, root)} lacks ${LEDGER_MODULE_FUTURE_ID}: deploy ignition/modules/JuaPesaLedger.ts first.`);
  }
  return getAddress(address);
}

/** Maps Ignition's `{ "JuaPesa#Router": "0x…" }` to `{ router: "0x…" }`; throws on a missing contract. */
export function fromIgnition(chainId: number, raw: Record<string, string>): Deployment {
  const entries = CONTRACT_NAMES.map((name) => {
    const address = raw[FUTURE_IDS[name]];
    if (!address) throw new Error(`Deployment for chain ${chainId} lacks ${FUTURE_IDS[name]}`);
    return [name, getAddress(address)] as const;
  });
  return { chainId, ...Object.fromEntries(entries) } as Deployment;
}

/**
 * The block in which `name` was deployed, from Ignition's journal (a confirmed deployment's receipt),
 * or undefined when the journal has no such entry. Lets readers of the ledger's events start there.
 */
export function deploymentBlock(chainId: number, name: ContractName, root = ROOT): bigint | undefined {
  const file = path.join(root, "ignition", "deployments", `chain-${chainId}`, "journal.jsonl");
  if (!existsSync(file)) return undefined;
  // A contract that JuaPesaHedera.ts only records (contractAt) has no receipt under its JuaPesa# id.
  const futureIds = name === "ledger" ? [FUTURE_IDS.ledger, LEDGER_MODULE_FUTURE_ID] : [FUTURE_IDS[name]];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.includes(`"receipt"`) || !futureIds.some((id) => line.includes(`"futureId":"${id}"`))) continue;
    const entry = JSON.parse(line) as { futureId?: string; receipt?: { blockNumber?: number | string } };
    if (futureIds.includes(entry.futureId ?? "") && entry.receipt?.blockNumber !== undefined) return BigInt(entry.receipt.blockNumber);
  }
  return undefined;
}
