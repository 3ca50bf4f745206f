/**
 * SMS through Africa's Talking: `POST {baseUrl}/version1/messaging`, a form with username, to, message
 * and optionally from, authenticated by the `apiKey` header; the answer lists each recipient with
 * status, statusCode and messageId. Live: https://api.africastalking.com; AT's own sandbox:
 * https://api.sandbox.africastalking.com (username "sandbox"); ours: the local SMS sandbox.
 */
import { z } from "zod";

import type { E164 } from "../../../sdk/phone.js";
import { fromEnv, RailConfigError } from "../rails/config.js";
import { callProvider, isLoopback, said, trimSlash, type Fetch } from "../rails/http.js";
import { SANDBOX_CREDENTIALS } from "../rails/sandbox-credentials.js";

export type SmsSendResult =
  | { ok: true; messageId: string; status: string }
  | { ok: false; retry: boolean; status?: string; statusCode?: number; error: string };

export interface SmsGateway {
  send(to: E164, message: string): Promise<SmsSendResult>;
}

export interface AfricasTalkingConfig {
  baseUrl: string;
  username: string;
  apiKey: string;
  /** A registered sender id or short code; AT's default when absent. */
  from?: string;
  fetch?: Fetch;
}

/** Recipient status codes AT documents: 100 Processed, 101 Sent, 102 Queued are accepted. */
const ACCEPTED = new Set([100, 101, 102]);
/** Refusals that a retry cannot fix (the number itself is the problem). */
const PERMANENT = new Set([403, 404, 406, 409]);

const answer = z.object({
  SMSMessageData: z.object({
    Message: z.string().optional(),
    Recipients: z.array(z.object({ statusCode: z.number(), number: z.string(), status: z.string(), cost: z.string().optional(), messageId: z.string().optional() })),
  }),
});

export function africasTalkingGateway(config: AfricasTalkingConfig): SmsGateway {
  const fetchFn = config.fetch ?? fetch;
  const url = `${trimSlash(config.baseUrl)}/version1/messaging`;
  return {
    async send(to, message) {
      const form: Record<string, string> = { username: config.username, to, message };
      if (config.from) form.from = config.from;
      let reply;
      try {
        reply = await callProvider(fetchFn, "Africa's Talking", "send SMS", url, { headers: { apiKey: config.apiKey }, form });
      } catch (error) {
        return { ok: false, retry: true, error: error instanceof Error ? error.message : String(error) };
      }
      if (reply.status === 401) return { ok: false, retry: true, statusCode: 401, error: `Africa's Talking refused the credentials (${said(reply.body)}): check AT_USERNAME and AT_API_KEY` };
      const parsed = answer.safeParse(reply.body);
      if (reply.status >= 300 || !parsed.success) return { ok: false, retry: true, statusCode: reply.status, error: `Africa's Talking answered HTTP ${reply.status}: ${said(reply.body)}` };
      const recipient = parsed.data.SMSMessageData.Recipients[0];
      if (!recipient) return { ok: false, retry: true, error: `Africa's Talking accepted no recipient: ${parsed.data.SMSMessageData.Message ?? ""}` };
      if (ACCEPTED.has(recipient.statusCode) && recipient.messageId) return { ok: true, messageId: recipient.messageId, status: recipient.status };
      return {
        ok: false,
        retry: !PERMANENT.has(recipient.statusCode),
        status: recipient.status,
        statusCode: recipient.statusCode,
        error: `Africa's Talking did not send it: ${recipient.status} (${recipient.statusCode})`,
      };
    },
  };
}

/**
 * The gateway from AT_BASE_URL, AT_USERNAME, AT_API_KEY and AT_SENDER_ID; undefined when no base URL is
 * set. Live: AT_BASE_URL=https://api.africastalking.com.
 */
export function smsGatewayFromEnv(options: { env?: NodeJS.ProcessEnv; baseUrl?: string; fetch?: Fetch } = {}): SmsGateway | undefined {
  const env = options.env ?? process.env;
  const baseUrl = fromEnv(env, "AT_BASE_URL") ?? options.baseUrl;
  if (!baseUrl) return undefined;
  const local = isLoopback(baseUrl);
  const username = fromEnv(env, "AT_USERNAME") ?? (local ? SANDBOX_CREDENTIALS.africastalking.username : undefined);
  const apiKey = fromEnv(env, "AT_API_KEY") ?? (local ? SANDBOX_CREDENTIALS.africastalking.apiKey : undefined);
  if (!username || !apiKey) throw new RailConfigError("Africa's Talking: set AT_USERNAME and AT_API_KEY (sandbox credentials apply only to a base URL on this machine)");
  return africasTalkingGateway({ baseUrl, username, apiKey, from: fromEnv(env, "AT_SENDER_ID"), fetch: options.fetch });
}
