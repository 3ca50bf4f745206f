/**
 * The attester's HTTP API (Hono), served on loopback in its own process:
 *   POST /attest        AttestationRequest → { change, signatures }, or { error, message } with a refusal code
 *   POST /reports/run   one reserve-report round now → the outcome per asset
 *   GET  /reports       the last round's outcomes
 *   GET  /health        signer addresses and threshold (no secrets)
 *   POST /rails/:rail/:direction/callback
 *                       answers to the attester's own rail queries that a rail delivers asynchronously
 *                       (M-Pesa's Transaction Status API posts its result to a URL): they go to the
 *                       attester's adapters, which match them to the query they sent. Nothing else a
 *                       callback says is acted on.
 * Everything but /health and the rail callbacks needs `Authorization: Bearer <JUAPESA_ATTESTER_TOKEN>`.
 */
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";

import type { RailAdapter, RailId } from "../../ussd-bridge/src/ports.js";
import { railCallbackRoutes } from "../../ussd-bridge/src/rails/callbacks.js";
import type { Attest } from "./attest.js";
import type { ReportOutcome, ReserveReporter } from "./reporter.js";
import type { StatementSigner } from "./signer.js";
import { Refusal } from "./verify.js";
import { attestationRequestSchema, decodeRequest, encodeChange, type RefusalCode } from "./wire.js";

const STATUS: Record<RefusalCode, ContentfulStatusCode> = {
  malformed: 400,
  "unsupported-rail": 422,
  "rail-unreachable": 503,
  "rail-pending": 409,
  "rail-failed": 422,
  "payout-not-failed": 422,
  unverifiable: 422,
  "amount-mismatch": 422,
  "account-mismatch": 422,
  "ref-mismatch": 422,
  "statement-mismatch": 422,
  "no-burn": 422,
  "already-attested": 409,
};

export function attesterApp(deps: {
  attest: Attest;
  reporter?: ReserveReporter;
  signer: StatementSigner;
  token: string;
  /** The attester's own adapters, whose asynchronous query answers arrive as callbacks. */
  rails?: ReadonlyMap<RailId, RailAdapter>;
  log?: (event: string, fields: Record<string, unknown>) => void;
}): Hono {
  if (deps.token.length < 16) throw new Error("The attester token must be at least 16 characters (JUAPESA_ATTESTER_TOKEN).");
  const log = deps.log ?? (() => {});
  const app = new Hono();

  app.get("/health", (c) => c.json({ status: "ok", signers: deps.signer.addresses, threshold: deps.signer.threshold }));

  const auth = bearerAuth({ token: deps.token });
  app.use("/attest", auth);
  app.use("/reports/*", auth);
  app.use("/reports", auth);

  app.post("/attest", bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const parsed = attestationRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.json({ error: "malformed", message: `The request is not an AttestationRequest: ${issue?.path.join(".") || "body"}: ${issue?.message}` }, 400);
    }
    const req = decodeRequest(parsed.data);
    try {
      const { change, signatures } = await deps.attest(req);
      return c.json({ change: encodeChange(change), signatures });
    } catch (error) {
      if (error instanceof Refusal) {
        log("attest.refused", { rail: req.rail, direction: req.direction, code: error.code });
        return c.json({ error: error.code, message: error.message }, STATUS[error.code]);
      }
      log("attest.error", { rail: req.rail, direction: req.direction, reason: error instanceof Error ? error.message : String(error) });
      return c.json({ error: "internal", message: "The attester failed while checking this request; it signed nothing. Try again." }, 500);
    }
  });

  app.post("/reports/run", async (c) => {
    if (!deps.reporter) return c.json({ error: "no-reporter", message: "This attester posts no reserve reports." }, 404);
    return c.json({ outcomes: (await deps.reporter.runOnce()).map(outcomeJson) });
  });
  app.get("/reports", (c) => c.json({ outcomes: (deps.reporter?.lastOutcomes() ?? []).map(outcomeJson) }));

  const rails = deps.rails;
  if (rails) {
    app.route(
      "/",
      railCallbackRoutes(async (rail, direction, body, headers) => {
        rails.get(rail)?.parseCallback(direction, body, headers);
      }),
    );
  }

  return app;
}

function outcomeJson(outcome: ReportOutcome) {
  return Object.fromEntries(Object.entries(outcome).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
}
