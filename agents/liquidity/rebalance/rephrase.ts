/**
 * Optional rephrasing of an explanation by an OpenAI-compatible chat model (for example a served
 * Mistral 7B). The model only rewords: the plan is already made, and its text is accepted only if
 * every number of the template appears in it unchanged and it adds no number of its own. Anything
 * else — no endpoint configured, an HTTP error, a malformed reply, a changed figure, a timeout —
 * leaves the template as it was.
 */

export interface RephraseOptions {
  /** e.g. "http://127.0.0.1:8000" or "http://127.0.0.1:8000/v1". */
  baseUrl: string;
  apiKey?: string;
  model?: string;
  /** Default 3 s: an explanation is not worth delaying an order for. */
  timeoutMs?: number;
}

export interface Rephrased {
  text: string;
  rephrased: boolean;
  /** Why the template stood, when it did. */
  reason?: string;
}

const SYSTEM_PROMPT =
  "You rewrite short treasury notes for a mobile-money operations team. Rewrite the note in plain, " +
  "friendly English in one or two sentences. Keep every number, currency symbol and unit exactly as " +
  "written. Do not add, drop or compute any figure. Reply with the rewritten note only.";

/** Numbers as written ("48.3", "1,200", "90"): what must survive the rewrite unchanged. */
export function numbersIn(text: string): string[] {
  return text.match(/\d+(?:[.,]\d+)*/g) ?? [];
}

/** Accepts the model's text only if it carries exactly the template's numbers (as a multiset). */
export function keepsNumbers(template: string, candidate: string): boolean {
  const count = (list: string[]) => list.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const want = count(numbersIn(template));
  const got = count(numbersIn(candidate));
  if (want.size !== got.size) return false;
  for (const [n, k] of want) if (got.get(n) !== k) return false;
  return true;
}

function endpoint(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return trimmed.endsWith("/v1") ? `${trimmed}/chat/completions` : `${trimmed}/v1/chat/completions`;
}

export async function rephrase(template: string, options: RephraseOptions): Promise<Rephrased> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 3_000);
  try {
    const response = await fetch(endpoint(options.baseUrl), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: options.model ?? "default",
        temperature: 0,
        messages: [
          { role: "system", content: SYSTEM_PROMPT },
          { role: "user", content: template },
        ],
      }),
      signal: controller.signal,
    });
    if (!response.ok) return { text: template, rephrased: false, reason: `endpoint answered HTTP ${response.status}` };
    const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== "string" || content.trim() === "") return { text: template, rephrased: false, reason: "reply had no message content" };
    const text = content.trim();
    if (!keepsNumbers(template, text)) return { text: template, rephrased: false, reason: "the rewrite changed, dropped or added a number" };
    return { text, rephrased: true };
  } catch (error) {
    const reason = controller.signal.aborted ? "timed out" : `request failed: ${error instanceof Error ? error.message : String(error)}`;
    return { text: template, rephrased: false, reason };
  } finally {
    clearTimeout(timer);
  }
}

/** Rephrases when OPENAI_BASE_URL is set (with OPENAI_API_KEY, OPENAI_MODEL); otherwise returns the template. */
export async function rephraseFromEnv(template: string, env: NodeJS.ProcessEnv = process.env, timeoutMs?: number): Promise<Rephrased> {
  const baseUrl = env.OPENAI_BASE_URL;
  if (!baseUrl) return { text: template, rephrased: false, reason: "OPENAI_BASE_URL not set" };
  return rephrase(template, { baseUrl, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL, timeoutMs });
}
