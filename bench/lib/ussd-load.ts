/**
 * The USSD load generator: `concurrency` simulated phones, each dialling flows back to back for
 * `durationMs`, every hop a form POST exactly as Africa's Talking sends it. It runs in its own process
 * (bench/ussd.ts spawns it) so the server under test has the other core to itself, and it is the same
 * generator for the bridge and for the bare Hono baseline, so their ratio compares like with like.
 *
 * Input: one JSON argument (LoadSpec). Output: one JSON line on stdout (LoadResult).
 */
import http from "node:http";

export interface FlowStep {
  /** The input typed at this hop ("" for the dial itself). */
  input: string;
  /** What the hop costs the server: a plain menu screen, or a screen that verifies a PIN. */
  kind: "menu" | "pin";
}

export interface LoadSpec {
  url: string;
  concurrency: number;
  durationMs: number;
  /** Warm-up before measuring, so JIT and caches settle. */
  warmupMs: number;
  serviceCode: string;
  /** One phone per simulated session slot (reused round robin when fewer). */
  phones: string[];
  /** Flows each phone runs in turn; each flow is one USSD session. */
  flows: FlowStep[][];
  /** A regular expression for screens the flows should never meet; they are counted as `unexpected`. */
  unexpected?: string;
}

export interface HopStats {
  count: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadResult {
  menu: HopStats;
  pin: HopStats;
  errors: number;
  /** Replies that were not a CON/END screen, and the first few of them. */
  malformed: number;
  unexpected: number;
  samples: string[];
  seconds: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function stats(latencies: number[], seconds: number): HopStats {
  const sorted = Float64Array.from(latencies).sort();
  return { count: sorted.length, perSecond: sorted.length / seconds, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const post = (body: string, suffix = "") =>
    new Promise<string>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname + suffix, method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => (response.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${response.statusCode}: ${text}`))));
        },
      );
      request.on("error", reject);
      request.end(body);
    });

  const latencies = { menu: [] as number[], pin: [] as number[] };
  let errors = 0;
  let malformed = 0;
  let unexpected = 0;
  const unexpectedScreen = spec.unexpected ? new RegExp(spec.unexpected) : undefined;
  const samples: string[] = [];
  const start = performance.now();
  const measureFrom = start + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  let sessionCounter = 0;

  async function phone(slot: number) {
    const phoneNumber = spec.phones[slot % spec.phones.length]!;
    for (let round = 0; performance.now() < stopAt; round++) {
      const flow = spec.flows[(slot + round) % spec.flows.length]!;
      const sessionId = `bench-${process.pid}-${slot}-${++sessionCounter}`;
      const inputs: string[] = [];
      let ended = false;
      for (const step of flow) {
        if (step.input !== "") inputs.push(step.input);
        const body = new URLSearchParams({ sessionId, serviceCode: spec.serviceCode, phoneNumber, networkCode: "63902", text: inputs.join("*") }).toString();
        const t0 = performance.now();
        let reply: string;
        try {
          reply = await post(body);
        } catch (error) {
          errors++;
          if (samples.length < 5) samples.push((error as Error).message.slice(0, 200));
          break;
        }
        const t1 = performance.now();
        if (!/^(CON|END) /.test(reply) || reply.length > 182) {
          malformed++;
          if (samples.length < 5) samples.push(reply.slice(0, 200));
        }
        if (unexpectedScreen?.test(reply)) {
          unexpected++;
          if (samples.length < 5) samples.push(reply.slice(0, 200));
        }
        if (t0 >= measureFrom && t1 <= stopAt) latencies[step.kind].push(t1 - t0);
        if (reply.startsWith("END ")) {
          ended = true;
          break;
        }
      }
      // A flow that stops on a CON screen is a person hanging up: the gateway then posts its
      // end-of-session notice, as it does in service (not counted as a hop).
      if (!ended) {
        const body = new URLSearchParams({ sessionId, serviceCode: spec.serviceCode, phoneNumber, networkCode: "63902", status: "Incomplete", hopsCount: String(flow.length), input: inputs.at(-1) ?? "" }).toString();
        await post(body, "/events").catch(() => errors++);
      }
    }
  }

  await Promise.all(Array.from({ length: spec.concurrency }, (_, slot) => phone(slot)));
  agent.destroy();
  const seconds = spec.durationMs / 1000;
  return { menu: stats(latencies.menu, seconds), pin: stats(latencies.pin, seconds), errors, malformed, unexpected, samples, seconds };
}

if (process.argv[2]) {
  const result = await runLoad(JSON.parse(process.argv[2]) as LoadSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
