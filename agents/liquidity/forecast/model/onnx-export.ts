/**
 * Writes the ensemble as one ONNX ModelProto (opset 17) with onnx-proto. Per member k:
 *
 *   W = DequantizeLinear(int8 weights, per-column scale, axis 1)
 *   h₀ = Relu(MatMul(x, W₀) + b₀);  h_l = h_{l−1} + Relu(MatMul(h_{l−1}, W_l) + b_l);  y_k = MatMul(h_L, W_o) + b_o
 *
 * and the output "members" = Concat(Unsqueeze(y_k, 0)) of shape [K, batch, Q·horizon]. Members are
 * combined (median or mean) by the pipeline in TypeScript, the same code the TS model uses. The model
 * spec (feature config, quantile levels, combine rule) rides in metadata_props, so the file is self-describing.
 * Nothing time- or machine-dependent goes in: the same weights give the same bytes.
 */
import onnxProto from "onnx-proto";

import type { ModelSpec } from "./ensemble.js";
import type { Mlp } from "./mlp.js";
import { quantizeMlp } from "./quantize.js";

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

export const ONNX_INPUT = "x";
export const ONNX_OUTPUT = "members";
export const SPEC_KEY = "juapesa.forecast.spec";

function tensor(name: string, dataType: number, dims: number[], bytes: Uint8Array) {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });
}

const f32 = (a: Float32Array) => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const i8 = (a: Int8Array) => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

function valueInfo(name: string, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: T.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => (typeof d === "number" ? onnx.TensorShapeProto.Dimension.create({ dimValue: d }) : onnx.TensorShapeProto.Dimension.create({ dimParam: d }))),
        }),
      }),
    }),
  });
}

function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, number> = {}) {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0],
    attribute: Object.entries(attrs).map(([name, i]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i })),
  });
}

export function exportOnnx(members: Mlp[], spec: ModelSpec): Uint8Array {
  const nodes: ReturnType<typeof node>[] = [];
  const inits: ReturnType<typeof tensor>[] = [];
  const width = members[0].shape.input;
  const output = members[0].shape.output;
  inits.push(tensor("axis0", T.INT64, [1], new Uint8Array(8)));
  members.forEach((m, k) => {
    const layers = quantizeMlp(m);
    const names = layers.map((l, i) => {
      const p = `m${k}_l${i}`;
      inits.push(tensor(`${p}_q`, T.INT8, [l.K, l.N], i8(l.q)));
      inits.push(tensor(`${p}_scale`, T.FLOAT, [l.N], f32(l.scale)));
      inits.push(tensor(`${p}_zero`, T.INT8, [l.N], new Uint8Array(l.N)));
      inits.push(tensor(`${p}_b`, T.FLOAT, [l.N], f32(l.b)));
      nodes.push(node("DequantizeLinear", [`${p}_q`, `${p}_scale`, `${p}_zero`], [`${p}_W`], { axis: 1 }));
      return p;
    });
    const dense = (input: string, p: string) => {
      nodes.push(node("MatMul", [input, `${p}_W`], [`${p}_mm`]));
      nodes.push(node("Add", [`${p}_mm`, `${p}_b`], [`${p}_z`]));
      return `${p}_z`;
    };
    nodes.push(node("Relu", [dense(ONNX_INPUT, names[0])], [`m${k}_h0`]));
    let h = `m${k}_h0`;
    for (let l = 1; l <= m.shape.blocks; l++) {
      nodes.push(node("Relu", [dense(h, names[l])], [`${names[l]}_r`]));
      nodes.push(node("Add", [h, `${names[l]}_r`], [`m${k}_h${l}`]));
      h = `m${k}_h${l}`;
    }
    const y = dense(h, names[names.length - 1]);
    nodes.push(node("Unsqueeze", [y, "axis0"], [`m${k}_y`]));
  });
  nodes.push(node("Concat", members.map((_, k) => `m${k}_y`), [ONNX_OUTPUT], { axis: 0 }));
  const graph = onnx.GraphProto.create({
    name: "juapesa_cash_demand_mlp",
    node: nodes,
    initializer: inits,
    input: [valueInfo(ONNX_INPUT, ["batch", width])],
    output: [valueInfo(ONNX_OUTPUT, [members.length, "batch", output])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: "", version: 17 })],
    producerName: "juapesa-liquidity-forecast",
    graph,
    metadataProps: [onnx.StringStringEntryProto.create({ key: SPEC_KEY, value: JSON.stringify(spec) })],
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The spec stored in a model file's metadata. */
export function readSpec(bytes: Uint8Array): ModelSpec | undefined {
  const model = onnx.ModelProto.decode(bytes);
  const entry = model.metadataProps.find((p) => p.key === SPEC_KEY);
  return entry?.value ? (JSON.parse(entry.value) as ModelSpec) : undefined;
}
