/**
 * Branch coverage's missing half. Hardhat 3's coverage (EDR) reports lines and statements but no
 * branches yet, and in this codebase nearly every branch is a guard that reverts with a custom error.
 * This lists every custom error the protocol declares and whether a test asserts it by name
 * (viem's revertWithCustomError in TypeScript, `.selector` / `abi.encodeWithSelector` in Solidity).
 * Exits non-zero with `--strict` when one is never asserted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, ext) : full.endsWith(ext) ? [full] : [];
  });
}

const declared = new Map<string, string>(); // error name → declaring file
for (const file of files(path.join(root, "contracts"), ".sol")) {
  if (file.includes(`${path.sep}test${path.sep}`)) continue;
  for (const match of readFileSync(file, "utf8").matchAll(/^\s*error\s+(\w+)\s*\(/gm)) {
    declared.set(match[1]!, path.relative(root, file));
  }
}

const tests = [...files(path.join(root, "test/ts"), ".ts"), ...files(path.join(root, "test/solidity"), ".sol")]
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");
const assertedIn = (name: string) =>
  new RegExp(`["'\`]${name}["'\`]`).test(tests) || new RegExp(`\\b${name}\\.selector\\b`).test(tests);

const missing = [...declared].filter(([name]) => !assertedIn(name));
const covered = declared.size - missing.length;
console.log(`Revert paths: ${covered}/${declared.size} custom errors asserted by a test (${((100 * covered) / declared.size).toFixed(1)} %)`);
for (const [name, file] of missing) console.log(`  not asserted: ${name} (${file})`);
if (process.argv.includes("--strict") && missing.length > 0) process.exit(1);
