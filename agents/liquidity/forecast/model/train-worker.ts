/** Worker thread body: trains one ensemble member and posts its weights back. */
import { parentPort, workerData } from "node:worker_threads";

import { trainMember, type MemberJob } from "./ensemble-train.js";

const job = workerData as MemberJob;
const result = trainMember(job, (l) => parentPort!.postMessage({ log: `seed ${job.config.seed} epoch ${l.epoch}: loss ${l.loss.toFixed(5)} (${l.seconds.toFixed(0)} s)` }));
parentPort!.postMessage({ result }, result.layers.flatMap((l) => [l.W.buffer as ArrayBuffer, l.b.buffer as ArrayBuffer]));
