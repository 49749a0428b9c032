/**
 * BatchNorm1d/2d, LayerNorm, batchNorm and layerNorm against torch 1.13 (fixtures/
 * norm_losses.json). Batch norm's float32 outputs and running statistics are bit-exact (its
 * float64 sums, the rounding of the mean and the fused `x·α + β` are torch's); gradients come
 * from autograd of that composition, not torch's fused backward, so they agree within a float32
 * relative 1e-4 (measured: at most ~400 ulps, on values near zero). LayerNorm's moments are
 * computed in float64 rather than with torch's float32 Welford, so its outputs agree within
 * relative 1e-5 / absolute 1e-6.
 */
import { grad } from "@x/autograd";
import { BatchNorm1d, BatchNorm2d, LayerNorm } from "@x/nn";
import { batchNorm, layerNorm } from "@x/nn/functional";
import { type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import { ulpMismatches } from "../../tensor/test/fixtures/ulps.ts";
import {
  build,
  buildModule,
  camel,
  expectNNError,
  normFixture as fixture,
  normCases,
  type ReprCase,
  type TensorJson,
} from "./norm-losses-fixture.ts";

const maybe = (json: TensorJson | null | undefined): Tensor | null => (json ? build(json) : null);

/** float32 gradients: relative 1e-4 (see the header); float64 1e-10. */
const gradTolerance = (dtype: string): Tolerance =>
  dtype === "float64" ? { rtol: 1e-10, atol: 1e-12 } : { rtol: 1e-4, atol: 1e-6 };
const valueTolerance = (dtype: string): Tolerance =>
  dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };

/** Mismatches of the gradients of `out · gradient` with respect to the non-null `inputs`. */
function gradMismatches(
  out: Tensor,
  inputs: (Tensor | null)[],
  gradient: TensorJson,
  want: (TensorJson | null)[],
): string[] {
  const present = inputs.filter((t): t is Tensor => t !== null);
  const got = grad(out, present, { gradOutputs: build(gradient) });
  const wanted = want.filter((w): w is TensorJson => w !== null);
  expect(wanted.length).toBe(present.length);
  return wanted.flatMap((w, i) =>
    tensorMismatches(got[i] as Tensor, w, gradTolerance(w.dtype)).map((p) => `grad ${i}: ${p}`),
  );
}

/** Exact for float32 (0 ulp), within 1e-12 for float64. */
const exact = (t: Tensor, want: TensorJson): string[] =>
  want.dtype === "float32"
    ? ulpMismatches(t, want, 0)
    : tensorMismatches(t, want, valueTolerance(want.dtype));

interface Call {
  x: TensorJson;
  out: TensorJson;
  gradient: TensorJson;
  grads: (TensorJson | null)[];
}
interface ModuleCase {
  module: "BatchNorm1d" | "BatchNorm2d";
  args: [number];
  kwargs: Record<string, unknown>;
  dtype: "float32" | "float64";
  weight?: TensorJson;
  bias?: TensorJson;
  steps: TensorJson[];
  after: Record<string, TensorJson>;
  train: Call;
  eval: Call;
}

const MODULES = { BatchNorm1d, BatchNorm2d };

describe(`BatchNorm modules vs torch ${fixture.torch}`, () => {
  it.each(normCases<ModuleCase>("batchnorm"))("%s", (_, c) => {
    const options = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), v]));
    const bn = new MODULES[c.module](c.args[0], options).to(c.dtype);
    if (c.weight && c.bias)
      bn.loadStateDict({ ...bn.stateDict(), weight: build(c.weight), bias: build(c.bias) });
    for (const step of c.steps) bn.forward(build(step));
    const state = bn.stateDict();
    const problems = Object.entries(c.after).flatMap(([key, want]) =>
      (key === "num_batches_tracked"
        ? tensorMismatches(state[key] as Tensor, want, "exact")
        : exact(state[key] as Tensor, want)
      ).map((p) => `${key}: ${p}`),
    );
    expect(Object.keys(state)).toEqual([
      ...(c.weight ? ["weight", "bias"] : []),
      ...Object.keys(c.after),
    ]);
    for (const mode of ["train", "eval"] as const) {
      bn.train(mode === "train");
      const call = c[mode];
      const x = build(call.x);
      const out = bn.forward(x);
      problems.push(...exact(out, call.out).map((p) => `${mode} out: ${p}`));
      const params = [x, bn.weight, bn.bias];
      problems.push(
        ...gradMismatches(out, params, call.gradient, call.grads).map((p) => `${mode} ${p}`),
      );
    }
    expect(problems).toEqual([]);
  });

  it("keeps the eval output fixed and the running statistics untouched in eval mode", () => {
    const bn = new BatchNorm1d(2).eval();
    const x = tensor([
      [1, 2],
      [3, 6],
    ]);
    expect(bn.forward(x).toArray()).toEqual(bn.forward(x).toArray());
    expect(bn.runningMean?.toArray()).toEqual([0, 0]);
    expect(bn.numBatchesTracked?.item()).toBe(0);
    bn.train().forward(x);
    expect(bn.numBatchesTracked?.item()).toBe(1);
    bn.resetRunningStats();
    expect([bn.runningVar?.toArray(), bn.numBatchesTracked?.item()]).toEqual([[1, 1], 0]);
  });
});

interface FunctionalCase {
  x: TensorJson;
  runningMean: TensorJson | null;
  runningVar: TensorJson | null;
  weight: TensorJson | null;
  bias: TensorJson | null;
  options: { training: boolean; momentum: number; eps: number };
  out: TensorJson;
  gradient: TensorJson;
  grads: (TensorJson | null)[];
  runningAfter: [TensorJson, TensorJson] | null;
}

describe(`batchNorm vs torch ${fixture.torch}`, () => {
  it.each(normCases<FunctionalCase>("batchnormF"))("%s", (_, c) => {
    const [x, mean, variance] = [build(c.x), maybe(c.runningMean), maybe(c.runningVar)];
    const [weight, bias] = [maybe(c.weight), maybe(c.bias)];
    const out = batchNorm(x, mean, variance, { ...c.options, weight, bias });
    const problems = exact(out, c.out).map((p) => `out: ${p}`);
    if (c.runningAfter) {
      problems.push(...exact(mean as Tensor, c.runningAfter[0]).map((p) => `runningMean: ${p}`));
      problems.push(...exact(variance as Tensor, c.runningAfter[1]).map((p) => `runningVar: ${p}`));
    }
    problems.push(...gradMismatches(out, [x, weight, bias], c.gradient, c.grads));
    expect(problems).toEqual([]);
  });
});

interface LayerNormCase {
  x: TensorJson;
  normalizedShape: number[];
  weight: TensorJson | null;
  bias: TensorJson | null;
  eps: number;
  out: TensorJson;
  gradient: TensorJson;
  grads: (TensorJson | null)[];
}

describe(`layerNorm and LayerNorm vs torch ${fixture.torch}`, () => {
  it.each(normCases<LayerNormCase>("layernorm"))("%s", (_, c) => {
    const [x, weight, bias] = [build(c.x), maybe(c.weight), maybe(c.bias)];
    const out = layerNorm(x, c.normalizedShape, { weight, bias, eps: c.eps });
    const problems = tensorMismatches(out, c.out, valueTolerance(c.out.dtype));
    problems.push(...gradMismatches(out, [x, weight, bias], c.gradient, c.grads));
    expect(problems).toEqual([]);
  });

  it.each(normCases<LayerNormCase>("layernorm").filter(([, c]) => c.bias || !c.weight))(
    "the module with the same weights, %s",
    (_, c) => {
      const layer = new LayerNorm(c.normalizedShape, {
        eps: c.eps,
        elementwiseAffine: c.weight !== null,
      }).to(c.x.dtype as "float32");
      if (c.weight && c.bias) layer.loadStateDict({ weight: build(c.weight), bias: build(c.bias) });
      const x = build(c.x);
      const out = layer.forward(x);
      const problems = tensorMismatches(out, c.out, valueTolerance(c.out.dtype));
      problems.push(...gradMismatches(out, [x, layer.weight, layer.bias], c.gradient, c.grads));
      expect(problems).toEqual([]);
    },
  );
});

describe("module text and state-dict keys as torch's", () => {
  const classes = { BatchNorm1d, BatchNorm2d, LayerNorm };
  it.each(normCases<ReprCase>("repr").filter(([, c]) => c.module in classes))("%s", (_, c) => {
    const module = buildModule(c, classes);
    expect([module.toString(), Object.keys(module.stateDict())]).toEqual([c.repr, c.stateDict]);
  });
});

describe("normalisation rejects bad input with typed errors", () => {
  it.each([
    [
      "BatchNorm2d given a 3-D input",
      () => new BatchNorm2d(3).forward(zeros(2, 3, 4)),
      "SHAPE_MISMATCH",
      "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True) expects an input of shape [N, C, H, W] with C=3, but got [2, 3, 4]",
    ],
    [
      "BatchNorm1d given the wrong channel count",
      () => new BatchNorm1d(3).forward(zeros(2, 4)),
      "SHAPE_MISMATCH",
      "C=3, but got [2, 4]",
    ],
    [
      "one value per channel in training",
      () => new BatchNorm1d(3).forward(zeros(1, 3)),
      "INVALID_ARGUMENT",
      "expected more than 1 value per channel when training",
    ],
    [
      "a momentum above 1",
      () => new BatchNorm1d(3, { momentum: 2 }),
      "INVALID_ARGUMENT",
      "momentum must be a number between 0 and 1",
    ],
    [
      "eval without running statistics",
      () => batchNorm(zeros(2, 3), null, null),
      "INVALID_ARGUMENT",
      "runningMean and runningVar must be given",
    ],
    [
      "a weight of the wrong shape",
      () => batchNorm(zeros(2, 3), null, null, { training: true, weight: zeros(2) }),
      "SHAPE_MISMATCH",
      "weight must have shape [3], but got [2]",
    ],
    [
      "an int input",
      () => batchNorm(zeros(2, 3, { dtype: "int32" }), null, null, { training: true }),
      "INVALID_DTYPE",
      "float32 or float64, but got int32",
    ],
    [
      "LayerNorm given another trailing shape",
      () => new LayerNorm(4).forward(zeros(2, 5)),
      "SHAPE_MISMATCH",
      "LayerNorm((4,), eps=1e-05, elementwise_affine=True) expects an input of shape [*, 4], but got [2, 5]",
    ],
    [
      "layerNorm with a shape that is not the input's last dimensions",
      () => layerNorm(zeros(2, 5), [2]),
      "SHAPE_MISMATCH",
      "normalizedShape must be the last dimensions of the input",
    ],
    [
      "a negative eps",
      () => layerNorm(zeros(2, 5), [5], { eps: -1 }),
      "INVALID_ARGUMENT",
      "eps must be a finite number >= 0",
    ],
  ])("%s", (_, fn, code, text) => expectNNError(fn, code, text));
});
