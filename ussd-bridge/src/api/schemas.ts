/**
 * The partner API's request and response schemas: the same zod objects validate requests at the
 * door and describe them in `/openapi.json`.
 */
import { z } from "@hono/zod-openapi";
import { formatUnits, parseUnits } from "viem";

import { ASSET_SYMBOLS, type AssetSymbol, type MoneyRefusal } from "../ports.js";
import { IDEMPOTENCY_KEY } from "./idempotency.js";

export const DECIMALS = 6;
const AMOUNT_PATTERN = "^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$";

/** A positive decimal string with at most 6 decimals, each failure named precisely. */
export const Amount = z
  .string()
  .superRefine((text, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    if (/^\s*-/.test(text)) return fail("must be positive");
    const [, decimals] = text.split(".");
    if (decimals !== undefined && /^\d+$/.test(decimals) && decimals.length > DECIMALS) return fail(`has more than ${DECIMALS} decimals`);
    if (!new RegExp(AMOUNT_PATTERN).test(text)) return fail('must be a decimal string such as "1500" or "12.5" (digits, one optional point, no sign, no exponent)');
    if (parseUnits(text, DECIMALS) === 0n) return fail("must be above zero");
  })
  .openapi({ type: "string", pattern: AMOUNT_PATTERN, example: "1500.25", description: "A positive amount in whole units of the asset, at most 6 decimals." });

export const toBaseUnits = (amount: string): bigint => parseUnits(amount, DECIMALS);
export const fromBaseUnits = (units: bigint): string => formatUnits(units, DECIMALS);

export const Asset = z.enum(ASSET_SYMBOLS as [AssetSymbol, ...AssetSymbol[]]).openapi({ example: "cNGN" });

export const Phone = z
  .string()
  .min(3)
  .max(32)
  .openapi({
    example: "+254712345678",
    description: "A mobile number in any common format (+254712345678, 254712345678, 0712 345 678); local forms are read in the bridge's default country.",
  });

const Reference = z
  .string()
  .max(140)
  .regex(/^[\x20-\x7E]*$/, "must be printable ASCII")
  .openapi({ example: "INV-2025-0042", description: "Your own reference, returned as given. Do not put personal data in it." });

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .regex(IDEMPOTENCY_KEY, "must be 1-64 visible ASCII characters, e.g. a UUID")
    .openapi({ param: { name: "idempotency-key", in: "header", description: "Idempotency-Key (header names are case-insensitive)." }, example: "5f0c7a9e-8f5b-4f7e-9a55-0b1c2d3e4f50" }),
});

export const TransferRequest = z
  .strictObject({
    from: Phone.openapi({ description: "The sender's number (a registered JuaPesa account)." }),
    to: Phone.openapi({ description: "The recipient's number (a registered JuaPesa account)." }),
    asset: Asset,
    amount: Amount,
    reference: Reference.optional(),
  })
  .openapi("TransferRequest");

export const ConvertRequest = z
  .strictObject({
    phone: Phone.openapi({ description: "The account holder's number." }),
    from: Asset,
    to: Asset,
    amount: Amount.openapi({ description: "Amount of `from` to convert." }),
    minAmountOut: Amount.optional().openapi({ description: "The least `to` you accept; give this or maxSlippageBps." }),
    maxSlippageBps: z
      .number()
      .int()
      .min(0)
      .max(5_000)
      .optional()
      .openapi({ description: "The most the result may fall below the quote, in basis points; give this or minAmountOut.", example: 50 }),
  })
  .superRefine((body, ctx) => {
    if (body.from === body.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must differ from `from`" });
    if ((body.minAmountOut === undefined) === (body.maxSlippageBps === undefined)) {
      ctx.addIssue({ code: "custom", path: ["minAmountOut"], message: "give exactly one of minAmountOut and maxSlippageBps" });
    }
  })
  .openapi("ConvertRequest");

export const OperationId = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/, "must be 0x and 64 lowercase hex digits, as returned by POST")
  .openapi({ param: { name: "id", in: "path" }, example: `0x${"ab".repeat(32)}` });

/** Every `MoneyRefusal` of ports.ts, as the API reports it. */
export const REFUSALS = [
  "insufficient-balance",
  "limit-single",
  "limit-daily",
  "limit-balance",
  "account-frozen",
  "account-not-open",
  "self-transfer",
  "slippage",
  "market-halted",
  "pool-limit",
  "compliance",
  "invalid-statement",
  "unknown",
] as const satisfies readonly MoneyRefusal[];
// Fails to compile when ports.ts gains a refusal this list lacks.
void (true satisfies Exclude<MoneyRefusal, (typeof REFUSALS)[number]> extends never ? true : never);

const Refusal = z.enum(REFUSALS).openapi("Refusal");

export const Operation = z
  .object({
    id: z.string().openapi({ description: "The operation id (0x-hex); GET /api/transfers/{id} reads it." }),
    kind: z.enum(["transfer", "convert"]),
    status: z.enum(["done", "pending", "refused"]).openapi({
      description: "done: executed on-chain; pending: sent, the receipt has not come yet (poll GET); refused: nothing moved and nothing will.",
    }),
    asset: Asset,
    amount: z.string(),
    from: z.string().optional().openapi({ description: "Transfer: the sender, masked." }),
    to: z.string().optional().openapi({ description: "Transfer: the recipient, masked." }),
    phone: z.string().optional().openapi({ description: "Convert: the account holder, masked." }),
    assetOut: Asset.optional(),
    amountOut: z.string().optional().openapi({ description: "Convert: what was received once done." }),
    minAmountOut: z.string().optional(),
    quotedAmountOut: z.string().optional(),
    fee: z.string().optional().openapi({ description: "Convert: the pools' fee, in `asset`." }),
    reference: z.string().optional(),
    txHash: z.string().optional(),
    reason: Refusal.optional(),
    createdAt: z.string().openapi({ description: "ISO 8601." }),
  })
  .openapi("Operation");

export type OperationView = z.infer<typeof Operation>;

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "3106" }),
      message: z.string().openapi({ example: "Modified request: this Idempotency-Key was used with a different body" }),
    }),
  })
  .openapi("Error");
