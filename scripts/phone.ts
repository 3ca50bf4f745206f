/**
 * `npm run phone -- +2547XXXXXXXX`: a feature phone in the terminal. It dials the USSD code against a
 * running bridge exactly as Africa's Talking would (a form POST with sessionId, serviceCode,
 * phoneNumber, networkCode and the `*`-joined inputs so far), shows each screen in a phone-sized box
 * and reads keypad input. Several can run at once, one per terminal.
 *
 *   --url URL        the bridge's USSD callback (default JUAPESA_BRIDGE_URL or http://127.0.0.1:8787/ussd)
 *   --code CODE      the service code dialled (default *789#)
 *   --network CODE   the network code the gateway reports (default 63902, Safaricom)
 *   --redial         dial again after a session ends instead of exiting
 *
 * Keys: type the answer and Enter. An empty line hangs up (as pressing Cancel does), "q" quits.
 * Input can also be piped, one answer per line, which is how the tests drive it.
 */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

import { isEntryPoint, runCli } from "./hedera/lib/cli.js";

export const SCREEN_WIDTH = 24;

/** Wraps a USSD reply into a phone-sized box, keeping the gateway's line breaks. */
export function renderScreen(reply: string, width = SCREEN_WIDTH): string {
  const body = reply.replace(/^(CON|END) /, "");
  const lines: string[] = [];
  for (const paragraph of body.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      for (let rest = word; rest.length > 0; ) {
        const room = line ? width - line.length - 1 : width;
        if (rest.length <= room) {
          line = line ? `${line} ${rest}` : rest;
          rest = "";
        } else if (!line && rest.length > width) {
          lines.push(rest.slice(0, width)); // a word longer than the screen is cut, as phones do
          rest = rest.slice(width);
        } else {
          lines.push(line);
          line = "";
        }
      }
    }
    lines.push(line);
  }
  const status = reply.startsWith("END ") ? "session ended" : "reply below";
  const top = `┌${"─".repeat(width + 2)}┐`;
  const bottom = `└${`─ ${status} `.padEnd(width + 2, "─")}┘`;
  return [top, ...lines.map((l) => `│ ${l.padEnd(width)} │`), bottom].join("\n");
}

export interface Dial {
  url: string;
  phone: string;
  serviceCode: string;
  networkCode: string;
}

/** One hop: the form the gateway posts, and the reply text (or the HTTP error it got). */
export async function hop(dial: Dial, sessionId: string, inputs: readonly string[]): Promise<string> {
  const form = new URLSearchParams({
    sessionId,
    serviceCode: dial.serviceCode,
    phoneNumber: dial.phone,
    networkCode: dial.networkCode,
    text: inputs.join("*"),
  });
  const response = await fetch(dial.url, { method: "POST", body: form, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  // A gateway ends the session on any non-2xx answer; show why.
  return response.ok ? text : `END [gateway: HTTP ${response.status}] ${text}`;
}

/**
 * Africa's Talking's end-of-session notification, which the gateway posts when a session closes
 * (to the callback URL's `/events` sibling here): without it the bridge would hold the session
 * as live until it times out, and refuse the next dial from the same phone meanwhile.
 */
export async function hangUp(dial: Dial, sessionId: string, inputs: readonly string[], lastReply: string, startedAt: number): Promise<void> {
  const form = new URLSearchParams({
    sessionId,
    serviceCode: dial.serviceCode,
    phoneNumber: dial.phone,
    networkCode: dial.networkCode,
    status: lastReply.startsWith("END ") ? "Success" : "Incomplete",
    date: new Date().toISOString().replace("T", " ").slice(0, 19),
    durationInMillis: String(Date.now() - startedAt),
    hopsCount: String(inputs.length + 1),
    input: inputs.at(-1) ?? "",
    lastAppResponse: lastReply,
    errorMessage: "",
    cost: "0",
  });
  await fetch(`${dial.url}/events`, { method: "POST", body: form, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string", default: process.env.JUAPESA_BRIDGE_URL ?? "http://127.0.0.1:8787/ussd" },
      code: { type: "string", default: "*789#" },
      network: { type: "string", default: "63902" },
      redial: { type: "boolean", default: false },
    },
  });
  const phone = positionals[0];
  if (!phone) throw new Error("usage: npm run phone -- +2547XXXXXXXX [--url URL] [--code *789#] [--network 63902]");
  const dial: Dial = { url: values.url, phone, serviceCode: values.code, networkCode: values.network };
  const lines = createInterface({ input: process.stdin, terminal: process.stdin.isTTY });
  const iterator = lines[Symbol.asyncIterator]();
  const ask = async (): Promise<string | undefined> => {
    if (process.stdin.isTTY) process.stdout.write("> ");
    const next = await iterator.next();
    return next.done ? undefined : next.value.trim();
  };

  try {
    do {
      const sessionId = `sim-${randomUUID()}`;
      const inputs: string[] = [];
      const startedAt = Date.now();
      let reply = "";
      console.log(`\nDialling ${dial.serviceCode} as ${phone} …`);
      try {
        for (;;) {
          try {
            reply = await hop(dial, sessionId, inputs);
          } catch (error) {
            throw new Error(`cannot reach the bridge at ${dial.url} (${(error as Error).message}); is npm start running?`);
          }
          console.log(renderScreen(reply));
          if (!reply.startsWith("CON ")) break;
          const input = await ask();
          if (input === undefined || input === "q") return;
          if (input === "") {
            console.log("(hung up)");
            break;
          }
          inputs.push(input);
        }
      } finally {
        if (reply) await hangUp(dial, sessionId, inputs, reply, startedAt);
      }
    } while (values.redial && (await ask()) !== undefined);
  } finally {
    lines.close();
  }
}

if (isEntryPoint(import.meta.url)) await runCli(() => main(process.argv.slice(2)));
