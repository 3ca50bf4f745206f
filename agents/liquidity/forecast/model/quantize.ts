/**
 * Int8 weights, one scale per output column (symmetric, zero point 0): four times smaller than
 * float32 so an ensemble fits the 2 MB budget for a committed file. The TypeScript model is switched
 * to the dequantised weights too (`dequantized`), so it and the ONNX graph compute the same function
 * and every score is the score of the shipped model.
 */
import type { Linear, Mlp } from "./mlp.js";

export interface QuantizedLinear {
  K: number;
  N: number;
  q: Int8Array;
  scale: Float32Array;
  b: Float32Array;
}

export function quantizeLinear(l: Linear): QuantizedLinear {
  const scale = new Float32Array(l.N);
  for (let k = 0; k < l.K; k++) for (let j = 0; j < l.N; j++) scale[j] = Math.max(scale[j], Math.abs(l.W[k * l.N + j]));
  for (let j = 0; j < l.N; j++) scale[j] = scale[j] > 0 ? Math.fround(scale[j] / 127) : 1;
  const q = new Int8Array(l.K * l.N);
  for (let k = 0; k < l.K; k++) for (let j = 0; j < l.N; j++) q[k * l.N + j] = Math.max(-127, Math.min(127, Math.round(l.W[k * l.N + j] / scale[j])));
  return { K: l.K, N: l.N, q, scale, b: Float32Array.from(l.b) };
}

/** The float weights an int8 layer stands for: q · scale, rounded to float32 as DequantizeLinear does. */
export function dequantizeLinear(ql: QuantizedLinear): Linear {
  const W = new Float32Array(ql.K * ql.N);
  for (let k = 0; k < ql.K; k++) for (let j = 0; j < ql.N; j++) W[k * ql.N + j] = ql.q[k * ql.N + j] * ql.scale[j];
  return { K: ql.K, N: ql.N, W, b: Float32Array.from(ql.b) };
}

export function quantizeMlp(m: Mlp): QuantizedLinear[] {
  return m.layers.map(quantizeLinear);
}

export function dequantized(m: Mlp): Mlp {
  return { shape: m.shape, layers: quantizeMlp(m).map(dequantizeLinear) };
}
