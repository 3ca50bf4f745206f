/**
 * `npx tsx ussd-bridge/sandboxes/run.ts`: every rail sandbox, the SMS gateway and the KYC provider on
 * loopback, until Ctrl-C. Prints the environment that points the bridge at them.
 *
 *   --base-port N          consecutive ports from N (default: any free ports)
 *   --callback-base-url U  the bridge's URL, where Airtel's callbacks go (default JUAPESA_CALLBACK_BASE_URL)
 *   --customer-delay-ms N  how long the simulated customer takes to answer (default 3000, like a person)
 */
import { parseArgs } from "node:util";

import { isEntryPoint, runCli, table } from "../../scripts/hedera/lib/cli.js";
import { MAGIC_SUFFIXES } from "./core.js";
import { startSandboxes } from "./index.js";

async function main() {
  const { values } = parseArgs({
    options: { "base-port": { type: "string" }, "callback-base-url": { type: "string" }, "customer-delay-ms": { type: "string" } },
  });
  const running = await startSandboxes({
    basePort: values["base-port"] === undefined ? undefined : Number(values["base-port"]),
    callbackBaseUrl: values["callback-base-url"] ?? process.env.JUAPESA_CALLBACK_BASE_URL,
    simulation: { customerDelayMs: Number(values["customer-delay-ms"] ?? 3000) },
  });
  console.log("JuaPesa sandboxes (development credentials only, loopback only):");
  console.log(table(Object.entries(running.urls)).join("\n"));
  console.log("\nPoint the bridge at them:");
  for (const [name, value] of Object.entries(running.env)) console.log(`  export ${name}=${value}`);
  console.log("\nMagic values (last three digits of the number; of the amount for Orange web payments):");
  console.log(table(MAGIC_SUFFIXES.map((m) => [m.suffix, m.what])).join("\n"));
  const stop = () => void running.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (isEntryPoint(import.meta.url)) void runCli(main);
