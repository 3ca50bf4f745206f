/** What every Hedera script shares as a command-line tool: run only when invoked, errors a person can act on. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** True when the module at `metaUrl` is the script node was asked to run (not imported by a test). */
export function isEntryPoint(metaUrl: string): boolean {
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(metaUrl));
  } catch {
    return false;
  }
}

/** Runs a script's main; any error becomes one message on stderr and exit code 1, without a stack trace. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

export function dryRunBanner(network: { name: string; chainId: number }): string {
  return `DRY RUN on Hedera ${network.name} (chain ${network.chainId}): nothing is signed or sent.`;
}

/** Aligned "label  value" lines. */
export function table(rows: ReadonlyArray<readonly [string, string]>, indent = "  "): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`);
}
