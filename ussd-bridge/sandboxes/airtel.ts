/**
 * A local Airtel Money Open API with the same HTTP shapes: `POST /auth/oauth2/token` (JSON client
 * credentials), collections `POST /merchant/v1/payments/` (a USSD push) with enquiry
 * `GET /standard/v1/payments/{id}`, disbursements `POST /standard/v1/disbursements/` with an RSA-
 * encrypted PIN and enquiry `GET /standard/v1/disbursements/{id}`, every call naming X-Country and
 * X-Currency. Airtel sends callbacks to the URL registered for the application in its portal, not to
 * one named per request: here that is `callbackBaseUrl` (set at start or with
 * `PUT /sandbox/callback-base-url`), and callbacks go to `${callbackBaseUrl}/rails/airtel/<direction>/callback`.
 */
import { constants, generateKeyPairSync, privateDecrypt } from "node:crypto";
import { getCountryCallingCode, type CountryCode } from "libphonenumber-js";
import { Hono, type Context } from "hono";
import { z } from "zod";

import { SANDBOX_CREDENTIALS } from "../src/rails/sandbox-credentials.js";
import { jsonBody, bearerOf, tokenIssuer } from "./auth.js";
import { createSandboxCore, receipts, type Direction, type Failure, type SandboxTx } from "./core.js";
import { isAmount } from "./fiat.js";
import type { RailSandbox, RailSandboxOptions } from "./rail.js";

/** Airtel's response codes: DP008… for collections, DP009… for disbursements, same numbering. */
const FAILURE_CODES: Record<Failure, { n: string; message: string }> = {
  "insufficient-funds": { n: "007", message: "User wallet does not have enough money to cover the payable amount." },
  "insufficient-float": { n: "007", message: "The merchant wallet does not have enough money for this disbursement." },
  cancelled: { n: "008", message: "The transaction was refused." },
  "wrong-pin": { n: "002", message: "Incorrect pin has been entered." },
  "rejected-credentials": { n: "002", message: "Incorrect pin has been entered." },
  expired: { n: "029", message: "Transaction has been expired." },
  "party-unknown": { n: "010", message: "The party is barred or not registered on Airtel Money platform." },
};
const code = (direction: Direction, n: string) => `DP00${direction === "collect" ? "8" : "9"}00001${n}`;

const collectionBody = z.object({
  reference: z.string().min(1).max(64),
  subscriber: z.object({ country: z.string().length(2), currency: z.string().length(3), msisdn: z.union([z.string(), z.number()]).transform(String) }),
  transaction: z.object({
    amount: z.union([z.string(), z.number()]).transform(String).refine(isAmount),
    country: z.string().length(2),
    currency: z.string().length(3),
    id: z.string().min(1).max(64),
  }),
});

const disbursementBody = z.object({
  payee: z.object({ msisdn: z.union([z.string(), z.number()]).transform(String), wallet_type: z.string().optional() }),
  reference: z.string().min(1).max(64),
  pin: z.string().min(1),
  transaction: z.object({ amount: z.union([z.string(), z.number()]).transform(String).refine(isAmount), id: z.string().min(1).max(64), type: z.string().optional() }),
});

export interface AirtelSandboxOptions extends RailSandboxOptions {
  credentials?: typeof SANDBOX_CREDENTIALS.airtel;
  country?: string;
  /** Where Airtel posts callbacks (the URL registered in its portal), without the /rails/… path. */
  callbackBaseUrl?: string;
}

export function createAirtelSandbox(options: AirtelSandboxOptions = {}): RailSandbox {
  const creds = options.credentials ?? SANDBOX_CREDENTIALS.airtel;
  const country = options.country ?? "NG";
  const currency = options.currency ?? "NGN";
  const callingCode = getCountryCallingCode(country as CountryCode);
  const core = createSandboxCore({ ...options, account: `Airtel Money merchant wallet (${country})`, currency });
  const tokens = tokenIssuer(core.now, 180);
  const airtelIds = receipts("CI", 12);
  const pinKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let callbackBaseUrl = options.callbackBaseUrl;
  const app = new Hono();

  const envelope = (httpCode: string, success: boolean, responseCode: string, message: string) => ({
    code: httpCode,
    message: success ? "SUCCESS" : message,
    result_code: success ? "ESB000010" : "ESB000001",
    response_code: responseCode,
    success,
  });

  app.post("/auth/oauth2/token", async (c) => {
    const body = (await jsonBody(c)) as { client_id?: string; client_secret?: string; grant_type?: string } | undefined;
    if (body?.grant_type !== "client_credentials") return c.json({ error: "unsupported_grant_type", error_description: "grant_type must be client_credentials" }, 400);
    if (body.client_id !== creds.clientId || body.client_secret !== creds.clientSecret) {
      return c.json({ error: "invalid_client", error_description: "Invalid client authentication" }, 401);
    }
    const { token, expiresIn } = tokens.issue();
    return c.json({ access_token: token, expires_in: String(expiresIn), token_type: "bearer" });
  });

  const authorized = async (c: Context) =>
    tokens.valid(bearerOf(c)) ? undefined : c.json({ error: "invalid_token", error_description: "The access token is missing, invalid or expired" }, 401);
  for (const path of ["/merchant/*", "/standard/*"]) {
    app.use(path, async (c, next) => {
      const refused = await authorized(c);
      if (refused) return refused;
      if (c.req.header("x-country") !== country || c.req.header("x-currency") !== currency) {
        return c.json({ status: envelope("400", false, "DP00800001004", `X-Country must be ${country} and X-Currency ${currency} for this account`) }, 400);
      }
      return next();
    });
  }

  const callback = (tx: SandboxTx) =>
    callbackBaseUrl
      ? {
          url: `${callbackBaseUrl.replace(/\/+$/, "")}/rails/airtel/${tx.direction}/callback`,
          body: {
            transaction: {
              id: tx.id,
              message: tx.failure ? FAILURE_CODES[tx.failure].message : "Paid",
              status_code: tx.state === "succeeded" ? "TS" : "TF",
              ...(tx.receipt ? { airtel_money_id: tx.receipt } : {}),
            },
          },
        }
      : undefined;

  const enquiry = (tx: SandboxTx) => {
    const failure = tx.failure ? FAILURE_CODES[tx.failure] : undefined;
    const responseCode = tx.state === "succeeded" ? code(tx.direction, "001") : tx.state === "pending" ? code(tx.direction, "006") : code(tx.direction, failure!.n);
    const message = tx.state === "succeeded" ? "Transaction is successful." : tx.state === "pending" ? "Transaction in pending state. Please check after sometime." : failure!.message;
    return {
      data: {
        transaction: {
          ...(tx.receipt ? { airtel_money_id: tx.receipt } : {}),
          id: tx.id,
          message,
          status: tx.state === "succeeded" ? "TS" : tx.state === "pending" ? "TIP" : "TF",
        },
      },
      status: envelope("200", true, responseCode, message),
    };
  };

  app.post("/merchant/v1/payments/", async (c) => {
    const parsed = collectionBody.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ status: envelope("400", false, "DP00800001004", `Invalid ${parsed.error.issues[0]?.path.join(".")}`) }, 400);
    const req = parsed.data;
    if (req.subscriber.country !== country || req.transaction.currency !== currency) {
      return c.json({ status: envelope("400", false, "DP00800001004", "Country or currency does not match the account") }, 400);
    }
    if (core.get(req.transaction.id)) return c.json({ status: envelope("400", false, "DP00800001005", "Duplicate transaction id") }, 400);
    core.open({ id: req.transaction.id, direction: "collect", reference: req.reference, msisdn: `${callingCode}${req.subscriber.msisdn}`, amount: req.transaction.amount, callback }, airtelIds);
    return c.json({ data: { transaction: { id: req.transaction.id, status: "Success." } }, status: envelope("200", true, "DP00800001006", "In process") });
  });

  app.post("/standard/v1/disbursements/", async (c) => {
    const parsed = disbursementBody.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ status: envelope("400", false, "DP00900001004", `Invalid ${parsed.error.issues[0]?.path.join(".")}`) }, 400);
    const req = parsed.data;
    if (core.get(req.transaction.id)) return c.json({ status: envelope("400", false, "DP00900001005", "Duplicate transaction id") }, 400);
    const tx = core.open(
      {
        id: req.transaction.id,
        direction: "payout",
        reference: req.reference,
        msisdn: `${callingCode}${req.payee.msisdn}`,
        amount: req.transaction.amount,
        failure: decryptPin(req.pin) === creds.disbursementPin ? undefined : "rejected-credentials",
        callback,
      },
      airtelIds,
    );
    return c.json({
      data: { transaction: { reference_id: tx.id, id: tx.id, status: "TIP", message: "In process" } },
      status: envelope("200", true, code("payout", "006"), "In process"),
    });
  });

  for (const [direction, path] of [["collect", "/standard/v1/payments/:id"], ["payout", "/standard/v1/disbursements/:id"]] as const) {
    app.get(path, (c) => {
      const tx = core.get(c.req.param("id"));
      if (!tx || tx.direction !== direction) return c.json({ status: envelope("404", false, code(direction, "025"), "Transaction Not Found") }, 404);
      return c.json(enquiry(tx));
    });
  }

  /** Airtel encrypts the PIN with RSA PKCS#1 v1.5; node refuses that padding for decryption, so undo it by hand. */
  const decryptPin = (encrypted: string): string | undefined => {
    try {
      const raw = privateDecrypt({ key: pinKeys.privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(encrypted, "base64"));
      if (raw[0] !== 0 || raw[1] !== 2) return undefined;
      const end = raw.indexOf(0, 2);
      return end < 10 ? undefined : raw.subarray(end + 1).toString("utf8");
    } catch {
      return undefined;
    }
  };

  app.get("/sandbox/pin-public-key", (c) => c.json({ public_key: pinKeys.publicKey.export({ type: "spki", format: "der" }).toString("base64") }));
  app.put("/sandbox/callback-base-url", async (c) => {
    const body = (await jsonBody(c)) as { url?: string } | undefined;
    if (!body?.url || !/^https?:\/\//.test(body.url)) return c.json({ error: "url must be an http(s) URL" }, 400);
    callbackBaseUrl = body.url;
    return c.json({ callbackBaseUrl });
  });
  core.mountControl(app, authorized);
  return { rail: "airtel", app, core };
}
