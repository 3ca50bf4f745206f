/**
 * Trains the ensemble: one network per seed on the same windows, members in parallel on
 * worker threads (one per core by default), then int8-quantised for the model file. Each member's
 * result depends only on its config and seed, so the order workers finish in does not matter.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

import type { ModelSpec, Combine } from "./ensemble.js";
import type { Mlp } from "./mlp.js";
import { dequantized } from "./quantize.js";
import { buildDataset, checkTrainConfig, trainMlp, type TrainConfig, type TrainLog, type TrainSeries } from "./train.js";

export interface EnsembleConfig extends Omit<TrainConfig, "seed"> {
  seeds: number[];
  combine: Combine;
}

export interface MemberJob {
  series: { values: Float64Array; startDay: number; country: string }[];
  config: TrainConfig;
  end: number;
}

export interface MemberResult {
  seed: number;
  layers: { K: number; N: number; W: Float32Array; b: Float32Array }[];
  shape: Mlp["shape"];
  losses: number[];
}

export function trainMember(job: MemberJob, onEpoch?: (log: TrainLog) => void): MemberResult {
  const data = buildDataset(job.series, job.config.features, job.end);
  const { mlp, losses } = trainMlp(data, job.config, onEpoch);
  return { seed: job.config.seed, layers: mlp.layers, shape: mlp.shape, losses };
}

export interface TrainedEnsemble {
  /** Members with the dequantised int8 weights: what the ONNX file computes. */
  members: Mlp[];
  spec: ModelSpec;
  losses: number[][];
}

/**
 * Trains every member on windows whose targets end before `end`. `workers` 0 trains in this thread
 * (tests, tiny configs); otherwise up to that many worker threads.
 */
export async function trainEnsemble(
  series: TrainSeries[],
  config: EnsembleConfig,
  end: number,
  opts: { workers?: number; log?: (line: string) => void } = {},
): Promise<TrainedEnsemble> {
  const { seeds, combine, ...base } = config;
  checkTrainConfig({ ...base, seed: seeds[0] ?? 0 });
  if (seeds.length === 0) throw new Error("an ensemble needs at least one seed");
  const plain = series.map((s) => ({ values: Float64Array.from(s.values), startDay: s.startDay, country: s.country }));
  const jobs: MemberJob[] = seeds.map((seed) => ({ series: plain, config: { ...base, seed }, end }));
  const workers = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  const log = opts.log ?? (() => {});
  let results: MemberResult[];
  if (workers <= 0) {
    results = jobs.map((job) => trainMember(job, (l) => log(`seed ${job.config.seed} epoch ${l.epoch}: loss ${l.loss.toFixed(5)} (${l.seconds.toFixed(0)} s)`)));
  } else {
    results = new Array(jobs.length);
    let next = 0;
    const run = async (): Promise<void> => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await inWorker(jobs[i], log);
      }
    };
    await Promise.all(Array.from({ length: workers }, run));
  }
  const members = results.map((r) => dequantized({ shape: r.shape, layers: r.layers }));
  return { members, spec: { features: base.features, levels: base.levels, combine }, losses: results.map((r) => r.losses) };
}

function inWorker(job: MemberJob, log: (line: string) => void): Promise<MemberResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./train-worker.ts", import.meta.url), { workerData: job });
    worker.on("message", (m: { log?: string; result?: MemberResult }) => {
      if (m.log) log(m.log);
      if (m.result) resolve(m.result);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (code !== 0) reject(new Error(`training worker for seed ${job.config.seed} exited with code ${code}`));
    });
  });
}
