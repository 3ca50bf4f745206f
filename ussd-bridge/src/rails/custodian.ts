/**
 * The custodian's side of a rail: its float (what the reserve attester reports) and its statement
 * (what reconciliation compares with the ledger). Real rails give both as reports from their portals
 * (M-Pesa's organisation portal, MoMo's partner portal, …); the sandboxes serve them at
 * `GET /sandbox/float` and `GET /sandbox/statement?from&to`, behind the rail's own access token.
 */
import { z } from "zod";

import type { RailAdapter, RailStatementLine } from "../ports.js";
import { callProvider, ProviderError, said, type Fetch } from "./http.js";
import { e164FromDigits } from "./msisdn.js";

export interface FloatBalance {
  account: string;
  currency: string;
  /** Decimal string in the rail's currency. */
  available: string;
  asOf: number;
}

export interface CustodianRail extends RailAdapter {
  /** The custodian's float on this rail (the reserve attester's statement of what is held). */
  float(): Promise<FloatBalance>;
}

const floatAnswer = z.object({ account: z.string(), currency: z.string(), available: z.string(), asOf: z.number() });

const statementAnswer = z.object({
  lines: z.array(
    z.object({
      providerRef: z.string(),
      reference: z.string().optional(),
      receipt: z.string().optional(),
      direction: z.enum(["collect", "payout"]),
      amount: z.string(),
      msisdn: z.string().optional(),
      state: z.enum(["pending", "succeeded", "failed"]),
      at: z.number(),
    }),
  ),
});

export type SandboxStatementLine = z.infer<typeof statementAnswer>["lines"][number];

export async function readSandboxFloat(fetchFn: Fetch, provider: string, baseUrl: string, headers: Record<string, string>): Promise<FloatBalance> {
  const answer = await callProvider(fetchFn, provider, "float", `${baseUrl}/sandbox/float`, { headers });
  const parsed = floatAnswer.safeParse(answer.body);
  if (answer.status !== 200 || !parsed.success) {
    throw new ProviderError(provider, "float", { status: answer.status, said: said(answer.body), hint: "The float endpoint exists only on the local sandbox; a live rail reports its float in the partner portal" });
  }
  return parsed.data;
}

/** The sandbox's statement lines; `toRef` maps a line to the providerRef the adapter uses. */
export async function readSandboxStatement(
  fetchFn: Fetch,
  provider: string,
  baseUrl: string,
  headers: Record<string, string>,
  from: number,
  to: number,
  toRef: (line: SandboxStatementLine) => string = (line) => line.providerRef,
): Promise<RailStatementLine[]> {
  const url = `${baseUrl}/sandbox/statement?${new URLSearchParams({ from: String(from), to: String(to) })}`;
  const answer = await callProvider(fetchFn, provider, "statement", url, { headers });
  const parsed = statementAnswer.safeParse(answer.body);
  if (answer.status !== 200 || !parsed.success) {
    throw new ProviderError(provider, "statement", { status: answer.status, said: said(answer.body), hint: "The statement endpoint exists only on the local sandbox; a live rail's statement is a portal report" });
  }
  return parsed.data.lines.map((line) => ({
    providerRef: toRef(line),
    receipt: line.receipt,
    direction: line.direction,
    amount: line.amount,
    state: line.state,
    at: line.at,
    // The wallet the money came from or went to: what the attester checks a cash in against when the
    // rail's status query does not name the payer (Daraja's STK query does not).
    phone: line.msisdn ? e164FromDigits(line.msisdn) : undefined,
    // Only a payout echoes our reference; a collection line's reference field holds the rail's own
    // short account reference (M-Pesa's AccountReference), which is not ours.
    reference: line.direction === "payout" ? line.reference : undefined,
  }));
}
