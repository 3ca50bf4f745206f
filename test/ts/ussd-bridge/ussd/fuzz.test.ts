/**
 * Fuzz: at least 10,000 random requests through the real server, over the real registry, money
 * service and contracts. Sessions walk random paths (menu digits, 0/00/98, amounts huge, negative,
 * with too many decimals, numbers in every format, right and wrong PINs, junk characters, unicode,
 * empty inputs, `*` runs), with gateway retries, out-of-step copies, end-of-session notices and
 * malformed requests mixed in, several sessions at a time. Every answer must be a well-formed
 * `CON `/`END ` screen of at most 182 GSM-7 characters, or a 4xx with a message; never a 500, and
 * never a screen the layout had to cut or a notice a screen does not declare.
 *
 * The PRNG is seeded; the seed is printed, and USSD_FUZZ_SEED=<seed> replays a run exactly (up to
 * the interleaving of concurrent sessions).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseUnits } from "viem";

import type { E164 } from "../../../../ussd-bridge/src/ports.js";
import { isGsm7 } from "../../../../ussd-bridge/src/ussd/gsm7.js";
import { MAX_REPLY } from "../../../../ussd-bridge/src/ussd/screen.js";
import { SERVICE_CODE, startBridge, type Bridge } from "./harness.js";

const REQUESTS = 10_000;
const CONCURRENCY = 8;
const SEED = Number(process.env.USSD_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: small, fast and good enough to drive a fuzzer reproducibly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}

const REGISTERED: { phone: E164; pin: string }[] = [
  { phone: "+254710100001", pin: "4826" },
  { phone: "+254710100002", pin: "5931" },
  { phone: "+254710100003", pin: "7302" },
  { phone: "+255754100004", pin: "6193" }, // Tanzania: Kiswahili by default
  { phone: "+221771000005", pin: "8047" }, // Senegal: French by default
];
const STRANGERS: E164[] = ["+254710100006", "+254710100007", "+256772100008", "+233241000009", "+234803100010"];

const JUNK = ["", " ", "*", "**", "#", "abc", "ç", "€", "👍🏾", "١٢٣", "\u200b", "'; DROP TABLE users; --", "%00", "\\n", "\t1", "１", "ñ", "9".repeat(60), "-0", "+", "..", "1,5", "½", "NaN", "Infinity", "0x10", "1e3", " 00 ", "０"];

function generator(seed: number) {
  const r = prng(seed);
  const digits = (n: number) => Array.from({ length: n }, () => String(r.int(10))).join("");
  const amount = () =>
    r.pick([
      () => String(1 + r.int(500)),
      () => `${r.int(1000)}.${digits(1 + r.int(8))}`,
      () => `${r.int(1000)},${digits(1 + r.int(3))}`,
      () => `-${1 + r.int(1000)}`,
      () => digits(10 + r.int(30)),
      () => "0",
      () => "0.000",
      () => `${r.int(10)}.${"0".repeat(6)}1`,
      () => "60000",
      () => "1e9",
    ])();
  const number = () => {
    const target = r.chance(0.6) ? r.pick(REGISTERED).phone : r.pick(STRANGERS);
    return r.pick([
      () => target,
      () => `0${target.slice(4)}`,
      () => target.slice(1),
      () => `00${target.slice(1)}`,
      () => `${target.slice(0, 4)} ${target.slice(4, 7)} ${target.slice(7)}`,
      () => digits(3 + r.int(15)),
      () => "+999123",
    ])();
  };
  const input = (pin: string | undefined) =>
    r.pick([
      () => String(1 + r.int(9)),
      () => String(1 + r.int(9)),
      () => String(1 + r.int(3)),
      () => r.pick(["0", "00", "98", "99", "10", "01"]),
      amount,
      number,
      () => (pin && r.chance(0.6) ? pin : digits(4 + r.int(3))),
      () => r.pick(JUNK),
    ])();
  return { r, input, amount, number, digits };
}

interface Tally {
  requests: number;
  screens: number;
  ends: number;
  rejected: number;
  problems: string[];
}

let bridge: Bridge;
const logged: string[] = [];
const originalError = console.error;

before(async () => {
  bridge = await startBridge({ budgetMs: 5_000 });
  for (const { phone, pin } of REGISTERED) {
    await bridge.phone(phone).register(pin, "1");
    await bridge.fund(phone, "cNGN", parseUnits("20000", 6));
    await bridge.fund(phone, "USDC", parseUnits("20", 6));
  }
  console.error = (...args: unknown[]) => {
    logged.push(args.map(String).join(" "));
  };
});
after(async () => {
  console.error = originalError;
  await bridge?.close();
});

describe("fuzz", () => {
  it(`answers ${REQUESTS} random requests with well-formed screens or a 4xx, never a 500 (seed ${SEED})`, { timeout: 600_000 }, async () => {
    console.log(`    ussd fuzz seed: ${SEED} (replay with USSD_FUZZ_SEED=${SEED})`);
    const tally: Tally = { requests: 0, screens: 0, ends: 0, rejected: 0, problems: [] };

    function judge(what: string, status: number, text: string) {
      tally.requests++;
      if (status === 200 && /^(CON|END) /.test(text)) {
        tally.screens++;
        if (text.startsWith("END ")) tally.ends++;
        if (text.length > MAX_REPLY) tally.problems.push(`${what}: ${text.length} characters: ${text}`);
        if (!isGsm7(text)) tally.problems.push(`${what}: not GSM-7: ${text}`);
        return;
      }
      if (status >= 400 && status < 500 && text.trim().length > 10 && !/^(CON|END) /.test(text)) {
        tally.rejected++;
        return;
      }
      if (what.startsWith("event") && status === 200 && text === "OK") return;
      tally.problems.push(`${what}: HTTP ${status}: ${text.slice(0, 200)}`);
    }

    async function worker(slot: number) {
      const g = generator(SEED + slot * 7919);
      for (let n = 0; tally.requests < REQUESTS; n++) {
        // Mostly the worker's own phone (so sessions get deep), sometimes anyone's (so they collide).
        const everyone = [...REGISTERED, ...STRANGERS.map((phone) => ({ phone, pin: undefined }))];
        const who = g.r.chance(0.8) ? everyone[slot % everyone.length]! : g.r.pick(everyone);
        const sessionId = `fuzz-${SEED}-${slot}-${n}`;
        const inputs: string[] = [];
        const hops = 1 + g.r.int(12);
        const post = async (text: string) => {
          const form = new URLSearchParams({ sessionId, serviceCode: SERVICE_CODE, phoneNumber: who.phone, networkCode: g.r.pick(["63902", "63903", "99999", "", "62130"]), text });
          const reply = await bridge.post("/ussd", form);
          judge(`seed ${SEED} session ${sessionId} text ${JSON.stringify(text)}`, reply.status, reply.text);
          return reply.text;
        };
        let screen = await post("");
        for (let h = 0; h < hops && tally.requests < REQUESTS; h++) {
          const roll = g.r.next();
          if (roll < 0.05) {
            await post(inputs.join("*")); // a gateway retry
          } else if (roll < 0.08) {
            await post(Array.from({ length: 1 + g.r.int(6) }, () => g.input(who.pin)).join("*")); // out of step
          } else if (roll < 0.13) {
            await malformed(g, sessionId, who.phone);
          } else {
            if (screen.startsWith("END ") && g.r.chance(0.8)) break;
            inputs.push(g.input(who.pin));
            screen = await post(inputs.join("*"));
          }
        }
        if (g.r.chance(0.7)) {
          const status = g.r.pick(["Success", "Incomplete", "Failed", "Weird"]);
          const reply = await bridge.post("/ussd/events", new URLSearchParams({ sessionId, status, phoneNumber: who.phone }));
          judge(`event ${status} for ${sessionId}`, reply.status, reply.text);
        }
        if (g.r.chance(0.1)) bridge.advance(g.r.pick([30_000, 61_000, 6 * 60_000]));
      }
    }

    async function malformed(g: ReturnType<typeof generator>, sessionId: string, phone: string) {
      const fields: Record<string, string> = { sessionId, serviceCode: SERVICE_CODE, phoneNumber: phone, networkCode: "63902", text: g.input(undefined) };
      const kind = g.r.int(8);
      if (kind === 0) delete fields[g.r.pick(["sessionId", "serviceCode", "phoneNumber", "text"])];
      if (kind === 1) fields.phoneNumber = g.r.pick(["", "abc", "+1", "0712", "++254712345678", g.digits(25)]);
      if (kind === 2) fields.serviceCode = g.r.pick(["", "*123#", "*789", "789"]);
      if (kind === 3) fields.text = Array.from({ length: 41 + g.r.int(20) }, () => "1").join("*");
      if (kind === 4) fields.text = "9".repeat(401 + g.r.int(200));
      if (kind === 5) fields.sessionId = g.r.pick(["", "has space", "x".repeat(200), "é"]);
      const body = kind === 6 ? JSON.stringify(fields) : new URLSearchParams(fields).toString() + (kind === 7 ? "&text=again" : "");
      const reply = await bridge.post("/ussd", body, kind === 6 ? "application/json" : "application/x-www-form-urlencoded");
      judge(`malformed#${kind} ${JSON.stringify(fields).slice(0, 120)}`, reply.status, reply.text);
    }

    await Promise.all(Array.from({ length: CONCURRENCY }, (_, slot) => worker(slot)));

    const bugs = logged.filter((line) => /BUG|hop failed|step on .* failed|unexpected/.test(line));
    assert.deepEqual(tally.problems.slice(0, 10), [], `seed ${SEED}: ${tally.problems.length} bad answers`);
    assert.deepEqual(bugs.slice(0, 10), [], `seed ${SEED}: errors logged`);
    assert.ok(tally.requests >= REQUESTS, `only ${tally.requests} requests`);
    assert.ok(tally.screens > REQUESTS / 2 && tally.rejected > 100 && tally.ends > 500, JSON.stringify(tally));
    console.log(`    ${tally.requests} requests: ${tally.screens} screens (${tally.ends} END), ${tally.rejected} rejected with a 4xx`);
  });
});
