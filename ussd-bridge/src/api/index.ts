/**
 * The partner REST API, mounted by the bridge at the root: `app.route("/", partnerApi(deps))`.
 *
 *   POST /api/transfers        move an asset between two registered numbers
 *   GET  /api/transfers/{id}   an operation this partner started (transfer or convert)
 *   POST /api/convert          quote and convert within one account
 *   GET  /openapi.json         OpenAPI 3.1, generated from the schemas that validate the requests
 *
 * Every /api request passes, in order: a body-size limit, the HMAC signature (signature.ts), the
 * partner's rate limit, and for POSTs a JSON content type and the Idempotency-Key (idempotency.ts);
 * then the route's own validation. Every failure answers `{error: {code, message}}` with a 4xx;
 * a 5xx only means the bridge or the chain is unavailable, and says to retry with the same key.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { CountryCode } from "libphonenumber-js/max";

import { loadTierTable, type AssetUsdPrices, type TierTable } from "../compliance/tiers.js";
import type { Db, Tables } from "../db/open.js";
import { opIdFor, opIdHex } from "../money/op-id.js";
import type { Compliance, MoneyService, Registry } from "../ports.js";
import { ApiError, errorBody, jsonError } from "./errors.js";
import { IDEMPOTENCY_KEY, idempotencyStore, requestHash } from "./idempotency.js";
import { partnerConvert, partnerTransfer, recordFields, type OperationDeps } from "./operations.js";
import { DEFAULT_RATE_LIMIT, TokenBuckets, type RateLimit } from "./rate-limit.js";
import { ConvertRequest, ErrorResponse, IdempotencyHeaders, Operation, OperationId, TransferRequest, type OperationView } from "./schemas.js";
import { HEADER_PARTNER, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifySignature } from "./signature.js";

export interface PartnerApiDeps {
  db: Db;
  tables: Tables;
  money: MoneyService;
  registry: Registry;
  /** The tier table comes from `compliance.tiers` when it has one (ComplianceService does). */
  compliance: Compliance & { tiers?: TierTable };
  /** Partner id → HMAC secret (partnersFromEnv). */
  partners: ReadonlyMap<string, Uint8Array>;
  defaultCountry: CountryCode;
  /** How long a request waits for the chain's receipt before answering `pending`. */
  budgetMs: number;
  now?: () => number;
  rateLimit?: RateLimit;
  /** An in-progress key untouched this long was abandoned by a crash and may be reclaimed. */
  staleAfterMs?: number;
  prices?: AssetUsdPrices;
}

type ApiEnv = { Variables: { partner: string; opId: bigint; reachedMoney: boolean } };

export const MAX_BODY_BYTES = 16 * 1024;
const MODIFIED = { code: "3106", message: "Modified request: this Idempotency-Key was used with a different body" };

const errorResponses = {
  400: "Malformed or invalid request",
  401: "Missing, stale or wrong signature",
  403: "Refused by compliance screening",
  409: "A request with this Idempotency-Key is still running",
  413: "Body larger than 16 KiB",
  415: "Body is not JSON",
  422: "Well-formed but refused: unregistered number, limit, balance, modified request (3106)",
  429: "Rate limit; see Retry-After",
  503: "Temporarily unavailable; retry with the same Idempotency-Key",
} as const;

function errorContent<C extends keyof typeof errorResponses>(codes: readonly C[]) {
  return Object.fromEntries(codes.map((code) => [code, { description: errorResponses[code], content: { "application/json": { schema: ErrorResponse } } }])) as unknown as {
    [K in C]: { description: string; content: { "application/json": { schema: typeof ErrorResponse } } };
  };
}

const security = [{ partnerId: [], timestamp: [], signature: [] }];

const createTransferRoute = createRoute({
  method: "post",
  path: "/api/transfers",
  summary: "Send an asset from one registered number to another",
  security,
  request: { headers: IdempotencyHeaders, body: { required: true, content: { "application/json": { schema: TransferRequest } } } },
  responses: {
    201: { description: "The transfer (done, pending or refused by the vault)", content: { "application/json": { schema: Operation } } },
    ...errorContent([400, 401, 403, 409, 413, 415, 422, 429, 503]),
  },
});

const getTransferRoute = createRoute({
  method: "get",
  path: "/api/transfers/{id}",
  summary: "Read an operation this partner started",
  security,
  request: { params: z.object({ id: OperationId }) },
  responses: {
    200: { description: "The operation, with its current status", content: { "application/json": { schema: Operation } } },
    ...errorContent([400, 401, 429]),
    404: { description: "No such operation for this partner", content: { "application/json": { schema: ErrorResponse } } },
  },
});

const convertRoute = createRoute({
  method: "post",
  path: "/api/convert",
  summary: "Quote and convert between two assets in one account",
  security,
  request: { headers: IdempotencyHeaders, body: { required: true, content: { "application/json": { schema: ConvertRequest } } } },
  responses: {
    201: { description: "The conversion (done, pending or refused by the vault)", content: { "application/json": { schema: Operation } } },
    ...errorContent([400, 401, 403, 409, 413, 415, 422, 429, 503]),
  },
});

const issuesText = (error: z.ZodError) => error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`).join("; ");

export function partnerApi(deps: PartnerApiDeps) {
  const now = deps.now ?? Date.now;
  const tiers = deps.compliance.tiers ?? loadTierTable();
  const keys = idempotencyStore(deps.db, deps.tables, { now, staleAfterMs: deps.staleAfterMs ?? deps.budgetMs + 60_000 });
  const buckets = new TokenBuckets(deps.rateLimit ?? DEFAULT_RATE_LIMIT, now);
  const operationDeps: OperationDeps = { ...deps, tiers, now };

  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const code = result.target === "header" ? "invalid-idempotency-key" : result.target === "param" ? "invalid-id" : "invalid-request";
      return c.json(errorBody(code, `Invalid request: ${issuesText(result.error)}.`), 400);
    },
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return jsonError(c, error.status, error.code, error.message, error.headers);
    if (error instanceof HTTPException) {
      const malformed = /JSON/i.test(error.message);
      return jsonError(c, error.status as 400, malformed ? "invalid-json" : "invalid-request", malformed ? "The body is not valid JSON." : error.message);
    }
    // No request detail in the log: bodies carry phone numbers.
    console.error(`partner-api: ${c.req.method} ${c.req.path} failed: ${error.name}: ${error.message.split("\n")[0].slice(0, 200)}`);
    return jsonError(c, 503, "unavailable", "The bridge could not complete the request right now; retry with the same Idempotency-Key.");
  });

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => jsonError(c, 413, "body-too-large", `The body is larger than ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  app.use("/api/*", authenticate(deps.partners, now));
  app.use("/api/*", async (c, next) => {
    const taken = buckets.take(c.get("partner"));
    if (!taken.ok) {
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1_000));
      return jsonError(c, 429, "rate-limited", `Too many requests; retry in ${seconds} s.`, { "Retry-After": String(seconds) });
    }
    await next();
  });
  app.use("/api/*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    if (!/^application\/(.+\+)?json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) {
      return jsonError(c, 415, "unsupported-media-type", "Send the body as JSON with `Content-Type: application/json`.");
    }
    const key = c.req.header("idempotency-key");
    if (key === undefined) return jsonError(c, 400, "idempotency-key-required", "POST requests need an Idempotency-Key header (1-64 visible ASCII characters, e.g. a UUID).");
    if (!IDEMPOTENCY_KEY.test(key)) return jsonError(c, 400, "invalid-idempotency-key", "The Idempotency-Key must be 1-64 visible ASCII characters, e.g. a UUID.");

    const partner = c.get("partner");
    const text = await c.req.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Hashed as text; validation answers 400 and releases the key.
    }
    const ref = { partnerId: partner, key };
    const opId = opIdFor("api", partner, key);
    const claim = await keys.claim(ref, requestHash("POST", c.req.path, body), opIdHex(opId));
    if (claim.kind === "modified") return c.json(errorBody(MODIFIED.code, MODIFIED.message), 422);
    if (claim.kind === "in-progress") {
      return jsonError(c, 409, "request-in-progress", "A request with this Idempotency-Key is still running; retry shortly with the same key and body.", { "Retry-After": "1" });
    }
    if (claim.kind === "replay") {
      return c.body(claim.body, claim.status as 201, { "Content-Type": "application/json", "Idempotent-Replayed": "true" });
    }

    c.set("opId", opId);
    c.set("reachedMoney", false);
    await next();
    if (!c.get("reachedMoney")) await keys.release(ref);
    else if (c.res.status >= 500) await keys.abandon(ref);
    else await keys.complete(ref, c.res.status, await c.res.clone().text());
  });

  const reached = (c: { set: (key: "reachedMoney", value: boolean) => void }) => () => c.set("reachedMoney", true);

  app.openapi(createTransferRoute, async (c) => {
    const body = c.req.valid("json");
    const view = await partnerTransfer(operationDeps, { opId: c.get("opId"), ...body }, reached(c));
    return c.json(view, 201);
  });

  app.openapi(convertRoute, async (c) => {
    const body = c.req.valid("json");
    const view = await partnerConvert(operationDeps, { opId: c.get("opId"), ...body }, reached(c));
    return c.json(view, 201);
  });

  app.openapi(getTransferRoute, async (c) => {
    const { id } = c.req.valid("param");
    const notFound = () => c.json(errorBody("not-found", `No operation ${id} was started by this partner.`), 404);
    const key = await keys.byOperation(c.get("partner"), id);
    if (!key) return notFound();
    const record = await deps.money.operation(BigInt(id));
    if (!record) return notFound();
    const stored = key.body ? (JSON.parse(key.body) as Partial<OperationView>) : {};
    const view: OperationView = {
      id,
      kind: record.kind === "convert" ? "convert" : "transfer",
      asset: record.asset,
      amount: stored.amount ?? "0",
      createdAt: new Date(record.createdAt).toISOString(),
      ...stored,
      ...recordFields(record),
    };
    return c.json(view, 200);
  });

  // Anything else under /api answers in the same error shape (a mounted app's notFound() is not used).
  app.all("/api/*", (c) => jsonError(c, 404, "not-found", `No partner API endpoint ${c.req.method} ${c.req.path}; see /openapi.json.`));

  app.openAPIRegistry.registerComponent("securitySchemes", "partnerId", { type: "apiKey", in: "header", name: HEADER_PARTNER, description: "Your partner id." });
  app.openAPIRegistry.registerComponent("securitySchemes", "timestamp", {
    type: "apiKey",
    in: "header",
    name: HEADER_TIMESTAMP,
    description: "Unix seconds, within 300 s of the bridge's clock.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "signature", {
    type: "apiKey",
    in: "header",
    name: HEADER_SIGNATURE,
    description: "hex(HMAC-SHA256(secret, `${timestamp}\\n${METHOD}\\n${pathAndQuery}\\n${hex(SHA-256(body))}`)); see docs/api.md.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "JuaPesa partner API",
      version: "1.0.0",
      description: "Transfers and conversions between JuaPesa accounts, for partners. Requests are HMAC-signed; POSTs take an Idempotency-Key.",
    },
  });
  return app;
}

function authenticate(partners: ReadonlyMap<string, Uint8Array>, now: () => number): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const check = verifySignature(
      partners,
      {
        partner: c.req.header(HEADER_PARTNER),
        timestamp: c.req.header(HEADER_TIMESTAMP),
        signature: c.req.header(HEADER_SIGNATURE),
        method: c.req.method,
        pathAndQuery: url.pathname + url.search,
        body: new Uint8Array(await c.req.arrayBuffer()),
      },
      now() / 1_000,
    );
    if (!check.ok) return jsonError(c, 401, check.code, check.message);
    c.set("partner", check.partner);
    await next();
  };
}
