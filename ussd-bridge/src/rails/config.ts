/**
 * Rail adapters from the environment. A rail is on when its base URL is set (or given, e.g. by the
 * local sandboxes at start). Credentials come only from the environment, or from a file named by
 * `<NAME>_FILE`; the sandboxes' development credentials stand in only when the base URL is on this
 * machine. A live base URL with a missing credential is an error naming every variable to set.
 */
import { existsSync, readFileSync } from "node:fs";

import { RAIL_IDS, type RailId } from "../ports.js";
import { afriMoneyRail } from "./afrimoney.js";
import { airtelRail } from "./airtel.js";
import type { CustodianRail } from "./custodian.js";
import { isLoopback, type Fetch } from "./http.js";
import type { RailMemory } from "./memory.js";
import { mpesaRail } from "./mpesa.js";
import { momoRail } from "./mtn-momo.js";
import { orangeRail } from "./orange.js";
import { SANDBOX_CREDENTIALS } from "./sandbox-credentials.js";

export const BASE_URL_VARIABLE: Readonly<Record<RailId, string>> = {
  mpesa: "MPESA_BASE_URL",
  "mtn-momo": "MOMO_BASE_URL",
  airtel: "AIRTEL_BASE_URL",
  orange: "ORANGE_BASE_URL",
  afrimoney: "AFRIMONEY_BASE_URL",
};

export class RailConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RailConfigError";
  }
}

/** A value from `NAME`, or from the file `NAME_FILE` names (for secrets mounted as files). */
export function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name]?.trim();
  if (direct) return direct;
  const file = env[`${name}_FILE`]?.trim();
  if (file && existsSync(file)) return readFileSync(file, "utf8").trim() || undefined;
  return undefined;
}

/** Reads one rail's settings: `need` takes a variable or, on a loopback base URL only, the sandbox default. */
function reader(rail: string, env: NodeJS.ProcessEnv, baseUrl: string) {
  const local = isLoopback(baseUrl);
  const missing: string[] = [];
  return {
    need(name: string, sandboxDefault: string): string {
      const value = fromEnv(env, name);
      if (value) return value;
      if (local) return sandboxDefault;
      missing.push(name);
      return "";
    },
    optional(name: string, fallback: string): string {
      return fromEnv(env, name) ?? fallback;
    },
    done() {
      if (missing.length > 0) {
        throw new RailConfigError(
          `${rail}: set ${missing.join(", ")} (the base URL ${new URL(baseUrl).origin} is not on this machine, so the sandbox's development credentials do not apply)`,
        );
      }
    },
  };
}

export interface RailsFromEnvOptions {
  env?: NodeJS.ProcessEnv;
  /** Base URLs to use where the environment sets none (the local sandboxes' URLs, at start). */
  baseUrls?: Partial<Record<RailId, string>>;
  /** The bridge's public URL for callbacks; default JUAPESA_CALLBACK_BASE_URL. */
  callbackBaseUrl?: string;
  /** Must be shared by every process that talks to a rail (the bridge and the attester): pass dbRailMemory. */
  memory?: RailMemory;
  fetch?: Fetch;
}

/** The adapters of every rail that has a base URL. */
export function railsFromEnv(options: RailsFromEnvOptions = {}): Partial<Record<RailId, CustodianRail>> {
  const env = options.env ?? process.env;
  const callbackBaseUrl = options.callbackBaseUrl ?? fromEnv(env, "JUAPESA_CALLBACK_BASE_URL");
  const rails: Partial<Record<RailId, CustodianRail>> = {};
  for (const id of RAIL_IDS) {
    const baseUrl = fromEnv(env, BASE_URL_VARIABLE[id]) ?? options.baseUrls?.[id];
    if (!baseUrl) continue;
    if (!callbackBaseUrl) throw new RailConfigError("set JUAPESA_CALLBACK_BASE_URL: the bridge's URL that rails post their callbacks to");
    rails[id] = railFromEnv(id, env, baseUrl, callbackBaseUrl, options);
  }
  return rails;
}

function railFromEnv(id: RailId, env: NodeJS.ProcessEnv, baseUrl: string, callbackBaseUrl: string, options: RailsFromEnvOptions): CustodianRail {
  const common = { baseUrl, callbackBaseUrl, fetch: options.fetch };
  switch (id) {
    case "mpesa": {
      const r = reader("M-Pesa", env, baseUrl);
      const d = SANDBOX_CREDENTIALS.mpesa;
      const config = {
        ...common,
        consumerKey: r.need("MPESA_CONSUMER_KEY", d.consumerKey),
        consumerSecret: r.need("MPESA_CONSUMER_SECRET", d.consumerSecret),
        shortcode: r.need("MPESA_SHORTCODE", d.shortcode),
        passkey: r.need("MPESA_PASSKEY", d.passkey),
        transactionType: r.optional("MPESA_TRANSACTION_TYPE", "CustomerPayBillOnline") as "CustomerPayBillOnline" | "CustomerBuyGoodsOnline",
        till: fromEnv(env, "MPESA_TILL"),
        b2cShortcode: r.need("MPESA_B2C_SHORTCODE", d.b2cShortcode),
        initiatorName: r.need("MPESA_INITIATOR_NAME", d.initiatorName),
        securityCredential: r.need("MPESA_SECURITY_CREDENTIAL", d.securityCredential),
        memory: options.memory,
      };
      r.done();
      return mpesaRail(config);
    }
    case "mtn-momo": {
      const r = reader("MTN MoMo", env, baseUrl);
      const d = SANDBOX_CREDENTIALS["mtn-momo"];
      const product = (name: "COLLECTION" | "DISBURSEMENT", creds: { userId: string; apiKey: string; subscriptionKey: string }) => ({
        userId: r.need(`MOMO_${name}_USER_ID`, creds.userId),
        apiKey: r.need(`MOMO_${name}_API_KEY`, creds.apiKey),
        subscriptionKey: r.need(`MOMO_${name}_SUBSCRIPTION_KEY`, creds.subscriptionKey),
      });
      const config = {
        ...common,
        targetEnvironment: r.need("MOMO_TARGET_ENVIRONMENT", d.targetEnvironment),
        currency: r.optional("MOMO_CURRENCY", "UGX"),
        collection: product("COLLECTION", d.collection),
        disbursement: product("DISBURSEMENT", d.disbursement),
      };
      r.done();
      return momoRail(config);
    }
    case "airtel": {
      const r = reader("Airtel Money", env, baseUrl);
      const d = SANDBOX_CREDENTIALS.airtel;
      const config = {
        ...common,
        clientId: r.need("AIRTEL_CLIENT_ID", d.clientId),
        clientSecret: r.need("AIRTEL_CLIENT_SECRET", d.clientSecret),
        country: r.optional("AIRTEL_COUNTRY", "NG"),
        currency: r.optional("AIRTEL_CURRENCY", "NGN"),
        disbursementPin: r.need("AIRTEL_DISBURSEMENT_PIN", d.disbursementPin),
        pinPublicKey: isLoopback(baseUrl) ? fromEnv(env, "AIRTEL_PIN_PUBLIC_KEY") : r.need("AIRTEL_PIN_PUBLIC_KEY", ""),
      };
      r.done();
      return airtelRail(config);
    }
    case "orange": {
      const r = reader("Orange Money", env, baseUrl);
      const d = SANDBOX_CREDENTIALS.orange;
      const config = {
        ...common,
        clientId: r.need("ORANGE_CLIENT_ID", d.clientId),
        clientSecret: r.need("ORANGE_CLIENT_SECRET", d.clientSecret),
        merchantKey: r.need("ORANGE_MERCHANT_KEY", d.merchantKey),
        country: r.optional("ORANGE_COUNTRY", "sl"),
        currency: r.optional("ORANGE_CURRENCY", "SLE"),
        lang: r.optional("ORANGE_LANG", "en"),
        memory: options.memory,
      };
      r.done();
      return orangeRail(config);
    }
    case "afrimoney": {
      const r = reader("AfriMoney", env, baseUrl);
      const d = SANDBOX_CREDENTIALS.afrimoney;
      const config = {
        ...common,
        clientId: r.need("AFRIMONEY_CLIENT_ID", d.clientId),
        clientSecret: r.need("AFRIMONEY_CLIENT_SECRET", d.clientSecret),
        currency: r.optional("AFRIMONEY_CURRENCY", "SLE"),
      };
      r.done();
      return afriMoneyRail(config);
    }
  }
}
