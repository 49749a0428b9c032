/**
 * Values and gradients of `linear` and the losses against torch 1.13 (fixtures/nn.json:
 * torch.autograd.grad of the output times a random cotangent). Float32 within rtol 1e-5 / atol
 * 1e-6 (a matmul and a mean accumulate in an order torch's BLAS does not promise), float64 within
 * 1e-12; the calculateGain table exactly.
 */
import { grad } from "@x/autograd";
import { init, Linear } from "@x/nn";
import { huberLoss, l1Loss, linear, mseLoss, smoothL1Loss } from "@x/nn/functional";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { buildTensor, type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import { casesOf, nnFixture, type TensorJson } from "./fixture.ts";

const build = (json: TensorJson): Tensor =>
  buildTensor(json, (values, options) => tensor(values, options));

const toleranceOf = (dtype: string): Tolerance =>
  dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };

/** Mismatches of `out` and of the gradients of `out · gradient` with respect to `inputs`. */
function mismatches(
  out: Tensor,
  inputs: Tensor[],
  c: { out: TensorJson; gradient: TensorJson; grads: (TensorJson | null)[] },
): string[] {
  const problems = tensorMismatches(out, c.out, toleranceOf(c.out.dtype)).map((p) => `out: ${p}`);
  const grads = grad(out, inputs, { gradOutputs: build(c.gradient) });
  inputs.forEach((_, i) => {
    const want = c.grads[i] as TensorJson;
    for (const p of tensorMismatches(grads[i] as Tensor, want, toleranceOf(want.dtype)))
      problems.push(`grad ${i}: ${p}`);
  });
  return problems;
}

interface LinearCase {
  x: TensorJson;
  weight: TensorJson;
  bias: TensorJson | null;
  gradient: TensorJson;
  out: TensorJson;
  grads: (TensorJson | null)[];
}

describe(`linear vs torch ${nnFixture.torch}`, () => {
  it.each(casesOf<LinearCase>("linear"))("F.linear, %s", (_, c) => {
    const inputs = [build(c.x), build(c.weight), ...(c.bias ? [build(c.bias)] : [])];
    const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
    expect(mismatches(linear(x, w, b ?? null), inputs, c)).toEqual([]);
  });

  it.each(casesOf<LinearCase>("linear"))("the Linear layer with the same weights, %s", (_, c) => {
    const x = build(c.x);
    const [out, inFeatures] = [c.weight.shape[0] as number, c.weight.shape[1] as number];
    const layer = new Linear(inFeatures, out, { bias: c.bias !== null }).to(c.x.dtype as "float32");
    layer.loadStateDict({
      weight: build(c.weight),
      ...(c.bias ? { bias: build(c.bias) } : {}),
    });
    const params = layer.parameters();
    expect(mismatches(layer.forward(x), [x, ...params], c)).toEqual([]);
  });
});

interface LossCase {
  fn: "mseLoss" | "l1Loss" | "huberLoss" | "smoothL1Loss";
  options: Record<string, unknown>;
  input: TensorJson;
  target: TensorJson;
  gradient: TensorJson;
  out: TensorJson;
  grads: TensorJson[];
}

const LOSSES = { mseLoss, l1Loss, huberLoss, smoothL1Loss };

describe(`losses vs torch ${nnFixture.torch}`, () => {
  it.each(casesOf<LossCase>("loss"))("%s", (_, c) => {
    const input = build(c.input);
    const target = build(c.target);
    expect(mismatches(LOSSES[c.fn](input, target, c.options), [input, target], c)).toEqual([]);
  });
});

describe(`init.calculateGain vs torch ${nnFixture.torch}`, () => {
  it.each(casesOf<{ args: [init.Nonlinearity, number?]; out: number }>("gain"))("%s", (_, c) => {
    expect(init.calculateGain(...c.args)).toBe(c.out);
  });
});
