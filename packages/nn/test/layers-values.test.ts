/**
 * The layers against torch 1.13 (fixtures/layers.json, group "layer"): each layer built right
 * after `manualSeed(seed)` has torch's exact state dict and printing, and its forward values and
 * the gradients of its input and parameters match torch's.
 */
import { grad } from "@x/autograd";
import { type MaxPoolResult, manualSeed, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  build,
  buildLayer,
  type LayerSpec,
  layersCases,
  type TensorJson,
  torchVersion,
} from "./layers-fixture.ts";

interface LayerCase {
  layer: LayerSpec;
  seed: number;
  dtype: "float32" | "float64";
  repr: string;
  stateDict: Record<string, TensorJson>;
  inputs: TensorJson[];
  gradient: TensorJson;
  out: TensorJson;
  grads: { inputs: (TensorJson | null)[]; params: Record<string, TensorJson> };
}

/**
 * Exact where torch's kernel adds in an order we follow (max pooling, dropout, embedding);
 * otherwise the tolerances @x/tensor's own conv and pool tests use: convolutions and Bilinear
 * run on the matrix kernel, whose sums are not ordered as torch's BLAS orders them, and the
 * average pools sum their windows in another order.
 */
function toleranceOf(c: LayerCase): Tolerance {
  if (["MaxPool1d", "MaxPool2d", "Dropout", "Embedding"].includes(c.layer.type)) return "exact";
  if (c.dtype === "float64") return { rtol: 1e-12, atol: 1e-12 };
  return c.layer.type.includes("Pool") ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 1e-5, atol: 2e-5 };
}

describe(`layers vs torch ${torchVersion}`, () => {
  it.each(layersCases<LayerCase>("layer"))("%s: seeded weights and printing", (_, c) => {
    manualSeed(c.seed);
    const layer = buildLayer(c.layer).to(c.dtype);
    expect(layer.toString()).toBe(c.repr);
    const state = layer.stateDict();
    expect(Object.keys(state)).toEqual(Object.keys(c.stateDict));
    for (const [name, want] of Object.entries(c.stateDict)) {
      expect([name, tensorMismatches(state[name] as Tensor, want, "exact")]).toEqual([name, []]);
    }
  });

  it.each(layersCases<LayerCase>("layer"))("%s: forward and gradients", (_, c) => {
    manualSeed(c.seed);
    const layer = buildLayer(c.layer).to(c.dtype);
    const inputs = c.inputs.map(build);
    const result = layer.forward(...inputs) as Tensor | MaxPoolResult;
    const out = "values" in result ? result.values : result;
    const tol = toleranceOf(c);
    const problems = tensorMismatches(out, c.out, tol).map((p) => `out: ${p}`);
    const params = Object.fromEntries(layer.namedParameters());
    const wrt = [...inputs.filter((x) => x.requiresGrad), ...Object.values(params)];
    const grads = grad(out, wrt, { gradOutputs: build(c.gradient) });
    const wants = [...c.grads.inputs.filter((g) => g !== null), ...Object.values(c.grads.params)];
    const names = [
      ...c.grads.inputs.flatMap((g, i) => (g === null ? [] : [`input ${i}`])),
      ...Object.keys(params),
    ];
    wants.forEach((want, i) => {
      for (const p of tensorMismatches(grads[i] as Tensor, want as TensorJson, tol))
        problems.push(`grad ${names[i]}: ${p}`);
    });
    expect(problems).toEqual([]);
  });
});
