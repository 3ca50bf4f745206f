/**
 * Every local sandbox at once, on loopback: the five rails, Africa's Talking SMS and the KYC provider.
 * `npm start` and the tests call `startSandboxes`; `env` points the adapters at them (see
 * `railsFromEnv`, `smsGatewayFromEnv`, `kycProviderFromEnv`).
 */
import { isLoopback } from "../src/rails/http.js";
import { RAIL_IDS, type RailId } from "../src/ports.js";
import { BASE_URL_VARIABLE } from "../src/rails/config.js";
import { createAfriMoneySandbox } from "./afrimoney.js";
import { createAirtelSandbox } from "./airtel.js";
import { createSmsSandbox, type SmsSandbox } from "./africastalking.js";
import type { SandboxOptions } from "./core.js";
import { createKycSandbox, type KycSandbox } from "./kyc.js";
import { listen, type Listening } from "./listen.js";
import { createMpesaSandbox } from "./mpesa.js";
import { createMomoSandbox } from "./mtn-momo.js";
import { createOrangeSandbox } from "./orange.js";
import type { RailSandbox } from "./rail.js";

export type SandboxName = RailId | "sms" | "kyc";
/** The order of the ports when `basePort` is given: basePort, basePort + 1, … */
export const SANDBOX_NAMES: readonly SandboxName[] = [...RAIL_IDS, "sms", "kyc"];

export interface StartSandboxesOptions {
  /** A loopback address (default 127.0.0.1): sandboxes accept development credentials, so they stay on this machine. */
  host?: string;
  /** Consecutive ports from here, in SANDBOX_NAMES order; any free ports when absent. */
  basePort?: number;
  /** The bridge's base URL, for Airtel, whose callbacks go to a URL registered once, not per request. */
  callbackBaseUrl?: string;
  /** The simulated customer and clock, for every rail (defaults in core.ts). */
  simulation?: Partial<Pick<SandboxOptions, "customerDelayMs" | "expiresAfterMs" | "lateCallbackMs" | "initialFloat">>;
  kycDelayMs?: number;
}

export interface RunningSandboxes {
  urls: Record<SandboxName, string>;
  rails: Record<RailId, RailSandbox>;
  sms: SmsSandbox;
  kyc: KycSandbox;
  /** Environment variables pointing the bridge's adapters at these sandboxes. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startSandboxes(options: StartSandboxesOptions = {}): Promise<RunningSandboxes> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(`http://${host.includes(":") ? `[${host}]` : host}`)) throw new Error(`sandboxes listen on loopback only; ${host} is not a loopback address`);
  const sim = options.simulation ?? {};
  const rails: Record<RailId, RailSandbox> = {
    mpesa: createMpesaSandbox(sim),
    "mtn-momo": createMomoSandbox(sim),
    airtel: createAirtelSandbox({ ...sim, callbackBaseUrl: options.callbackBaseUrl }),
    orange: createOrangeSandbox(sim),
    afrimoney: createAfriMoneySandbox(sim),
  };
  const sms = createSmsSandbox();
  const kyc = createKycSandbox({ delayMs: options.kycDelayMs });
  const apps = { ...Object.fromEntries(RAIL_IDS.map((id) => [id, rails[id].app])), sms: sms.app, kyc: kyc.app } as Record<SandboxName, RailSandbox["app"]>;

  const servers: Listening[] = [];
  const urls = {} as Record<SandboxName, string>;
  try {
    for (const [index, name] of SANDBOX_NAMES.entries()) {
      const server = await listen(apps[name], host, options.basePort === undefined ? 0 : options.basePort + index);
      servers.push(server);
      urls[name] = server.url;
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    for (const id of RAIL_IDS) rails[id].core.close();
    throw error;
  }

  const env: Record<string, string> = { AT_BASE_URL: urls.sms, KYC_BASE_URL: urls.kyc };
  for (const id of RAIL_IDS) env[BASE_URL_VARIABLE[id]] = urls[id];
  return {
    urls,
    rails,
    sms,
    kyc,
    env,
    async close() {
      for (const id of RAIL_IDS) rails[id].core.close();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
