/**
 * Development attester keys: generated on first use into .keys/ (gitignored), never committed.
 * A real deployment's attesters hold their own keys, supplied through the environment.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Hex } from "viem";

const KEY_FILE = path.resolve(import.meta.dirname, "../../.keys/dev-attesters.json");

/** Keys from JUAPESA_ATTESTER_KEYS (comma-separated hex) if set, otherwise the local development keys. */
export function attesterAccounts(count = 3): PrivateKeyAccount[] {
  const fromEnv = process.env.JUAPESA_ATTESTER_KEYS;
  const keys = fromEnv ? (fromEnv.split(",").map((k) => k.trim()) as Hex[]) : devKeys(count);
  return keys.map((k) => privateKeyToAccount(k));
}

function devKeys(count: number): Hex[] {
  if (existsSync(KEY_FILE)) {
    const stored = JSON.parse(readFileSync(KEY_FILE, "utf8")) as Hex[];
    if (stored.length >= count) return stored.slice(0, count);
  }
  const keys = Array.from({ length: count }, () => generatePrivateKey());
  mkdirSync(path.dirname(KEY_FILE), { recursive: true, mode: 0o700 });
  writeFileSync(KEY_FILE, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

/**
 * A development secret of `bytes` random bytes as 0x-hex, generated once into .keys/<name> and reused,
 * so a restarted local stack keeps its accounts (the pepper), keys and tokens.
 */
export function devSecret(name: string, bytes = 32): Hex {
  const file = path.resolve(KEY_FILE, "..", name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim() as Hex;
  const secret = `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex")}` as Hex;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
