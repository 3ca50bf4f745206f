/**
 * Training the global model: every (series, origin) window of the training part is one example
 * (features.ts builds it); minibatches are drawn from all of them in a seeded order; the loss is the
 * mean pinball loss over the quantile levels and the 56 steps (MIMO); Adam with a cosine-decayed
 * learning rate. Same config and seed → same weights, bit for bit.
 */
import { checkFeatureConfig, featureLength, minHistory, writeFeatures, writeTargets, type FeatureConfig } from "../features.js";
import { ForecastInputError } from "../history.js";
import { adam, adamStep, backward, forward, initMlp, pinballLossAndGrad, workspace, zeroGrads, type Mlp } from "./mlp.js";
import { seededRng, shuffle } from "./rng.js";

export interface TrainConfig {
  features: FeatureConfig;
  /** Quantile levels, ascending; 0.5 must be among them. */
  levels: number[];
  hidden: number;
  blocks: number;
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
}

/** A series for training: values (gap-free), the day number of values[0], holiday country. */
export interface TrainSeries {
  values: ArrayLike<number>;
  startDay: number;
  country: string;
}

export interface Dataset {
  count: number;
  width: number;
  horizon: number;
  X: Float32Array;
  Y: Float32Array;
}

export function checkTrainConfig(c: TrainConfig): void {
  checkFeatureConfig(c.features);
  const sorted = c.levels.every((q, i) => q > 0 && q < 1 && (i === 0 || q > c.levels[i - 1]));
  if (!sorted || !c.levels.includes(0.5)) throw new ForecastInputError(`quantile levels must be ascending in (0, 1) and include 0.5, got ${c.levels}`);
  for (const k of ["hidden", "epochs", "batch"] as const) if (!Number.isInteger(c[k]) || c[k] < 1) throw new ForecastInputError(`${k} must be a positive integer, got ${c[k]}`);
  if (!Number.isInteger(c.blocks) || c.blocks < 0) throw new ForecastInputError(`blocks must be a non-negative integer, got ${c.blocks}`);
}

/**
 * Every window whose targets end at or before `end` (exclusive index): origins n from the shortest
 * usable history to end − horizon, for every series.
 */
export function buildDataset(series: TrainSeries[], c: FeatureConfig, end: number): Dataset {
  const first = minHistory(c);
  const perSeries = Math.max(0, end - c.horizon - first + 1);
  const count = perSeries * series.length;
  if (count === 0) throw new ForecastInputError(`no training windows: series must be longer than ${first + c.horizon} days before day ${end}`);
  const width = featureLength(c);
  const X = new Float32Array(count * width);
  const Y = new Float32Array(count * c.horizon);
  const base = new Float32Array(c.horizon);
  let r = 0;
  for (const s of series) {
    if (s.values.length < end) throw new ForecastInputError(`a training series has ${s.values.length} days, fewer than the ${end} asked for`);
    for (let n = first; n <= end - c.horizon; n++, r++) {
      const scale = writeFeatures(s.values, n, s.startDay, s.country, c, X, r * width, base, 0);
      writeTargets(s.values, n, scale, c, base, 0, Y, r * c.horizon);
    }
  }
  return { count, width, horizon: c.horizon, X, Y };
}

export interface TrainLog {
  epoch: number;
  loss: number;
  seconds: number;
}

/** Trains one network on the dataset. `onEpoch` may report progress. */
export function trainMlp(data: Dataset, c: TrainConfig, onEpoch?: (log: TrainLog) => void): { mlp: Mlp; losses: number[] } {
  checkTrainConfig(c);
  const rng = seededRng(c.seed);
  const output = c.levels.length * data.horizon;
  const mlp = initMlp({ input: data.width, hidden: c.hidden, blocks: c.blocks, output }, rng);
  const opt = adam(mlp, c.lr);
  const grads = zeroGrads(mlp);
  const B = Math.min(c.batch, data.count);
  const ws = workspace(mlp, B);
  const xb = new Float32Array(B * data.width);
  const yb = new Float32Array(B * data.horizon);
  const dOut = new Float32Array(B * output);
  const order = new Int32Array(data.count).map((_, i) => i);
  const stepsPerEpoch = Math.floor(data.count / B);
  const totalSteps = stepsPerEpoch * c.epochs;
  const warmup = Math.min(200, Math.floor(totalSteps / 10));
  const losses: number[] = [];
  const t0 = performance.now();
  let step = 0;
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    shuffle(order, rng);
    let sum = 0;
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      for (let i = 0; i < B; i++) {
        const r = order[s * B + i];
        xb.set(data.X.subarray(r * data.width, (r + 1) * data.width), i * data.width);
        yb.set(data.Y.subarray(r * data.horizon, (r + 1) * data.horizon), i * data.horizon);
      }
      const out = forward(mlp, xb, B, ws);
      sum += pinballLossAndGrad(out, yb, B, c.levels, data.horizon, dOut);
      backward(mlp, xb, B, ws, dOut, grads);
      // Linear warm-up, then cosine decay to zero over the whole run.
      const lr = step < warmup ? (c.lr * (step + 1)) / warmup : 0.5 * c.lr * (1 + Math.cos((Math.PI * (step - warmup)) / Math.max(1, totalSteps - warmup)));
      adamStep(mlp, opt, grads, lr);
    }
    const loss = sum / Math.max(1, stepsPerEpoch);
    losses.push(loss);
    onEpoch?.({ epoch: epoch + 1, loss, seconds: (performance.now() - t0) / 1000 });
  }
  return { mlp, losses };
}
