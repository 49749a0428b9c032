/**
 * pad, interpolate, normalize, embedding, bilinear and dropout against torch 1.13
 * (fixtures/layers.json, groups "functional" and "dropout"): values and the gradients of the
 * float inputs of `sum(out · gradient)`.
 */
import { grad } from "@x/autograd";
import { bilinear, dropout, embedding, interpolate, normalize, pad } from "@x/nn/functional";
import { manualSeed, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { decodeData, type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  build,
  camelOptions,
  layersCases,
  type TensorJson,
  torchVersion,
} from "./layers-fixture.ts";

interface FunctionalCase {
  fn: string;
  args: unknown[];
  options: Record<string, unknown>;
  inputs: TensorJson[];
  gradient: TensorJson;
  out: TensorJson;
  grads: (TensorJson | null)[];
}

/** A fixture number that may be encoded as a string ("inf"). */
const number = (value: unknown) =>
  typeof value === "string"
    ? (decodeData({ dtype: "float64", shape: [1], data: [value] })[0] as number)
    : value;

const CALLS: Record<
  string,
  (inputs: Tensor[], args: unknown[], options: Record<string, unknown>) => Tensor
> = {
  pad: ([x], [amounts], o) => pad(x as Tensor, amounts as number[], o),
  interpolate: ([x], _, o) => interpolate(x as Tensor, o),
  normalize: ([x], _, o) => normalize(x as Tensor, { ...o, p: number(o.p) as number | undefined }),
  embedding: ([indices, weight], _, o) => embedding(indices as Tensor, weight as Tensor, o),
  bilinear: ([a, b, w, bias]) => bilinear(a as Tensor, b as Tensor, w as Tensor, bias ?? null),
};

/**
 * Exact (same bits as torch) for the copies — pad, nearest interpolation, embedding — and their
 * gradients, summed in torch's order; bilinear interpolation and normalize compute their weights
 * and norms with a few float32 roundings in another order, and bilinear runs on the matrix kernel.
 */
function toleranceOf(c: FunctionalCase): Tolerance {
  const copies =
    c.fn === "pad" ||
    c.fn === "embedding" ||
    (c.fn === "interpolate" && c.options.mode !== "bilinear");
  if (copies) return "exact";
  return c.out.dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };
}

describe(`nn.functional vs torch ${torchVersion}`, () => {
  it.each(layersCases<FunctionalCase>("functional"))("%s", (_, c) => {
    const inputs = c.inputs.map(build);
    const call = CALLS[c.fn];
    expect(call).toBeDefined();
    const out = call!(inputs, c.args, camelOptions(c.options));
    const tol = toleranceOf(c);
    const problems = tensorMismatches(out, c.out, tol).map((p) => `out: ${p}`);
    const floats = inputs.filter((x) => x.requiresGrad);
    const grads = grad(out, floats, { gradOutputs: build(c.gradient) });
    c.grads
      .filter((g) => g !== null)
      .forEach((want, i) => {
        for (const p of tensorMismatches(grads[i] as Tensor, want, tol))
          problems.push(`grad ${i}: ${p}`);
      });
    expect(problems).toEqual([]);
  });
});

interface DropoutCase {
  seed: number;
  p: number;
  training: boolean;
  x: TensorJson;
  gradient: TensorJson;
  out: TensorJson;
  grad: TensorJson;
}

describe("dropout after manualSeed zeroes and scales as torch's F.dropout", () => {
  it.each(layersCases<DropoutCase>("dropout"))("%s", (_, c) => {
    const x = build(c.x);
    manualSeed(c.seed);
    const out = dropout(x, c.p, c.training);
    const [g] = grad(out, [x], { gradOutputs: build(c.gradient) });
    expect(tensorMismatches(out, c.out, "exact")).toEqual([]);
    expect(tensorMismatches(g as Tensor, c.grad, "exact")).toEqual([]);
  });
});
