/**
 * The network: a plain deep MLP with residual blocks (N-BEATS-like trunk, one MIMO head).
 *
 *   h₀ = ReLU(x·W₀ + b₀)                      input layer, d → H
 *   h_l = h_{l−1} + ReLU(h_{l−1}·W_l + b_l)   residual blocks, H → H
 *   y = h_L·W_o + b_o                          head, H → Q·horizon (quantile-major)
 *
 * Weights are row-major [in, out] Float32Arrays, the layout ONNX MatMul takes as is. Forward and
 * backward are written out by hand; Adam updates them in place.
 */
import { matmulBias, matmulTransAAccumulate, matmulTransB } from "./matmul.js";
import type { Rng } from "./rng.js";

export interface MlpShape {
  input: number;
  hidden: number;
  blocks: number;
  output: number;
}

export interface Linear {
  K: number;
  N: number;
  W: Float32Array;
  b: Float32Array;
}

export interface Mlp {
  shape: MlpShape;
  /** [input layer, …blocks, head] */
  layers: Linear[];
}

function linear(K: number, N: number, std: number, rng: Rng): Linear {
  const W = new Float32Array(K * N);
  for (let i = 0; i < W.length; i++) W[i] = rng.normal() * std;
  return { K, N, W, b: new Float32Array(N) };
}

/** He initialisation for the ReLU layers; a small head so training starts near the baseline. */
export function initMlp(shape: MlpShape, rng: Rng): Mlp {
  const layers = [linear(shape.input, shape.hidden, Math.sqrt(2 / shape.input), rng)];
  for (let l = 0; l < shape.blocks; l++) layers.push(linear(shape.hidden, shape.hidden, Math.sqrt(2 / shape.hidden) * 0.5, rng));
  layers.push(linear(shape.hidden, shape.output, Math.sqrt(1 / shape.hidden) * 0.1, rng));
  return { shape, layers };
}

export function parameterCount(shape: MlpShape): number {
  return shape.input * shape.hidden + shape.hidden + shape.blocks * (shape.hidden * shape.hidden + shape.hidden) + shape.hidden * shape.output + shape.output;
}

/** Buffers for one batch size, reused across steps. */
export interface Workspace {
  batch: number;
  /** Pre-activations z_l and hidden states h_l per trunk layer. */
  z: Float32Array[];
  h: Float32Array[];
  out: Float32Array;
  dh: Float32Array;
  dz: Float32Array;
  tmp: Float32Array;
}

export function workspace(mlp: Mlp, batch: number): Workspace {
  const { hidden, blocks, output } = mlp.shape;
  const trunk = blocks + 1;
  return {
    batch,
    z: Array.from({ length: trunk }, () => new Float32Array(batch * hidden)),
    h: Array.from({ length: trunk }, () => new Float32Array(batch * hidden)),
    out: new Float32Array(batch * output),
    dh: new Float32Array(batch * hidden),
    dz: new Float32Array(batch * hidden),
    tmp: new Float32Array(batch * hidden),
  };
}

/** Forward pass of B rows of X; returns ws.out (B × output), valid until the next call. */
export function forward(mlp: Mlp, X: Float32Array, B: number, ws: Workspace): Float32Array {
  const { layers } = mlp;
  const H = mlp.shape.hidden;
  const n = B * H;
  matmulBias(X, layers[0].W, layers[0].b, ws.z[0], B, layers[0].K, H);
  for (let i = 0; i < n; i++) ws.h[0][i] = ws.z[0][i] > 0 ? ws.z[0][i] : 0;
  for (let l = 1; l <= mlp.shape.blocks; l++) {
    matmulBias(ws.h[l - 1], layers[l].W, layers[l].b, ws.z[l], B, H, H);
    const z = ws.z[l], hPrev = ws.h[l - 1], h = ws.h[l];
    for (let i = 0; i < n; i++) h[i] = hPrev[i] + (z[i] > 0 ? z[i] : 0);
  }
  const head = layers[layers.length - 1];
  matmulBias(ws.h[mlp.shape.blocks], head.W, head.b, ws.out, B, H, head.N);
  return ws.out;
}

/** Gradients, same layout as the layers. */
export interface Grads {
  dW: Float32Array[];
  db: Float32Array[];
}

export function zeroGrads(mlp: Mlp): Grads {
  return { dW: mlp.layers.map((l) => new Float32Array(l.W.length)), db: mlp.layers.map((l) => new Float32Array(l.b.length)) };
}

/** Back-propagates dOut (B × output) through the last forward pass; accumulates into g. */
export function backward(mlp: Mlp, X: Float32Array, B: number, ws: Workspace, dOut: Float32Array, g: Grads): void {
  const { layers } = mlp;
  const H = mlp.shape.hidden;
  const L = mlp.shape.blocks;
  const n = B * H;
  const head = layers.length - 1;
  matmulTransAAccumulate(ws.h[L], dOut, g.dW[head], g.db[head], B, H, layers[head].N);
  matmulTransB(dOut, layers[head].W, ws.dh, B, H, layers[head].N);
  for (let l = L; l >= 1; l--) {
    const z = ws.z[l];
    for (let i = 0; i < n; i++) ws.dz[i] = z[i] > 0 ? ws.dh[i] : 0;
    matmulTransAAccumulate(ws.h[l - 1], ws.dz, g.dW[l], g.db[l], B, H, H);
    matmulTransB(ws.dz, layers[l].W, ws.tmp, B, H, H);
    for (let i = 0; i < n; i++) ws.dh[i] += ws.tmp[i];
  }
  const z0 = ws.z[0];
  for (let i = 0; i < n; i++) ws.dz[i] = z0[i] > 0 ? ws.dh[i] : 0;
  matmulTransAAccumulate(X, ws.dz, g.dW[0], g.db[0], B, layers[0].K, H);
}

export interface Adam {
  lr: number;
  step: number;
  mW: Float32Array[];
  vW: Float32Array[];
  mb: Float32Array[];
  vb: Float32Array[];
}

export function adam(mlp: Mlp, lr: number): Adam {
  const z = () => mlp.layers.map((l) => new Float32Array(l.W.length));
  const zb = () => mlp.layers.map((l) => new Float32Array(l.b.length));
  return { lr, step: 0, mW: z(), vW: z(), mb: zb(), vb: zb() };
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

function adamUpdate(p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, lr: number, c1: number, c2: number): void {
  for (let i = 0; i < p.length; i++) {
    const gi = grad[i];
    const mi = (m[i] = BETA1 * m[i] + (1 - BETA1) * gi);
    const vi = (v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi);
    p[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + EPS);
    grad[i] = 0;
  }
}

/** One Adam step at learning rate `lr`; zeroes the gradients for the next batch. */
export function adamStep(mlp: Mlp, opt: Adam, g: Grads, lr: number): void {
  opt.step++;
  const c1 = 1 - BETA1 ** opt.step;
  const c2 = 1 - BETA2 ** opt.step;
  mlp.layers.forEach((layer, i) => {
    adamUpdate(layer.W, g.dW[i], opt.mW[i], opt.vW[i], lr, c1, c2);
    adamUpdate(layer.b, g.db[i], opt.mb[i], opt.vb[i], lr, c1, c2);
  });
}

/**
 * Mean pinball loss over a batch, and its gradient into dOut. Outputs are quantile-major:
 * out[i, q·horizon + h] is level levels[q] at step h; targets are [i, h].
 */
export function pinballLossAndGrad(out: Float32Array, target: Float32Array, B: number, levels: readonly number[], horizon: number, dOut: Float32Array): number {
  const Q = levels.length;
  const O = Q * horizon;
  const norm = 1 / (B * O);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    for (let q = 0; q < Q; q++) {
      const tau = levels[q];
      for (let h = 0; h < horizon; h++) {
        const k = i * O + q * horizon + h;
        const e = target[i * horizon + h] - out[k];
        if (e >= 0) {
          loss += tau * e;
          dOut[k] = -tau * norm;
        } else {
          loss -= (1 - tau) * e;
          dOut[k] = (1 - tau) * norm;
        }
      }
    }
  }
  return loss * norm;
}
