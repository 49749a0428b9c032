/**
 * crossEntropy, nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits and their modules
 * against torch 1.13 (fixtures/norm_losses.json), every reduction with and without class
 * weights, ignoreIndex, label smoothing, probability targets and posWeight. float32 values
 * within relative 1e-5 / absolute 1e-6: the `none` reductions are bit-exact but for a few 1-ulp
 * logs, the sums accumulate left to right where torch's kernels use cascades (measured: at most
 * 2 ulps on the reduced values); gradients come from autograd and the losses' own backward
 * formulas, within the same tolerance.
 */
import { grad } from "@x/autograd";
import { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss } from "@x/nn";
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  nllLoss,
} from "@x/nn/functional";
import { type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  build,
  buildModule,
  expectNNError,
  normCases,
  type ReprCase,
  type TensorJson,
} from "./norm-losses-fixture.ts";

const tolerance = (dtype: string): Tolerance =>
  dtype === "float64" ? { rtol: 1e-12, atol: 1e-15 } : { rtol: 1e-5, atol: 1e-6 };

interface LossCase {
  fn: keyof typeof LOSSES;
  options: Record<string, unknown>;
  input: TensorJson;
  target: TensorJson;
  weight: TensorJson | null;
  posWeight: TensorJson | null;
  out: TensorJson;
  gradient: TensorJson;
  grads: (TensorJson | null)[];
}

const LOSSES = { crossEntropy, nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits };
const MODULES = {
  crossEntropy: CrossEntropyLoss,
  nllLoss: NLLLoss,
  binaryCrossEntropy: BCELoss,
  binaryCrossEntropyWithLogits: BCEWithLogitsLoss,
};

/** Mismatches of the loss's value and of the gradients of `out · gradient`. */
function mismatches(loss: (input: Tensor, target: Tensor) => Tensor, c: LossCase): string[] {
  const [input, target] = [build(c.input), build(c.target)];
  const out = loss(input, target);
  const problems = tensorMismatches(out, c.out, tolerance(c.out.dtype)).map((p) => `out: ${p}`);
  const inputs = c.grads[1] ? [input, target] : [input];
  const grads = grad(out, inputs, { gradOutputs: build(c.gradient) });
  inputs.forEach((_, i) => {
    const want = c.grads[i] as TensorJson;
    for (const p of tensorMismatches(grads[i] as Tensor, want, tolerance(want.dtype)))
      problems.push(`grad ${i}: ${p}`);
  });
  return problems;
}

const optionsOf = (c: LossCase) => ({
  ...c.options,
  ...(c.weight ? { weight: build(c.weight) } : {}),
  ...(c.posWeight ? { posWeight: build(c.posWeight) } : {}),
});

describe("classification losses vs torch", () => {
  it.each(normCases<LossCase>("loss"))("%s", (_, c) => {
    const options = optionsOf(c);
    expect(mismatches((i, t) => LOSSES[c.fn](i, t, options), c)).toEqual([]);
  });

  it.each(normCases<LossCase>("loss"))("the loss module, %s", (_, c) => {
    const module = new MODULES[c.fn](optionsOf(c));
    expect(mismatches((i, t) => module.forward(i, t), c)).toEqual([]);
  });
});

describe("loss modules print and save as torch's", () => {
  const classes = { CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss };
  it.each(normCases<ReprCase>("repr").filter(([, c]) => c.module in classes))("%s", (_, c) => {
    const module = buildModule(c, classes);
    expect([module.toString(), Object.keys(module.stateDict())]).toEqual([c.repr, c.stateDict]);
  });

  it("moves its weight with to()", () => {
    const loss = new CrossEntropyLoss({ weight: tensor([1, 2]) }).to("float64");
    expect(loss.stateDict().weight?.dtype).toBe("float64");
    const value = loss.forward(
      tensor([[0.5, 1]], { dtype: "float64" }),
      tensor([1], { dtype: "int32" }),
    );
    expect(value.dtype).toBe("float64");
  });
});

const labels = (...values: number[]) => tensor(values, { dtype: "int32" });

describe("the classification losses reject bad input with typed errors", () => {
  it.each([
    [
      "a class target out of range",
      () => crossEntropy(zeros(2, 3), labels(0, 3)),
      "INDEX_OUT_OF_RANGE",
      "target 3 is out of bounds for 3 classes",
    ],
    [
      "a negative class target",
      () => nllLoss(zeros(2, 3), labels(-1, 0)),
      "INDEX_OUT_OF_RANGE",
      "target -1 is out of bounds for 3 classes (valid class indices are 0 to 2, or ignoreIndex -100)",
    ],
    [
      "float targets where class indices are expected",
      () => crossEntropy(zeros(2, 3), tensor([0, 2])),
      "INVALID_DTYPE",
      "a float target must be class probabilities of the input's shape [2, 3], but got [2]",
    ],
    [
      "float targets for nllLoss",
      () => nllLoss(zeros(2, 3), zeros(2, 3)),
      "INVALID_DTYPE",
      "class indices must be an integer tensor of shape [2]",
    ],
    [
      "a class target of the wrong shape",
      () => crossEntropy(zeros(2, 3, 4), labels(0, 1)),
      "SHAPE_MISMATCH",
      "target must have shape [2, 4]",
    ],
    [
      "a weight with the wrong class count",
      () => crossEntropy(zeros(2, 3), labels(0, 1), { weight: tensor([1, 2]) }),
      "SHAPE_MISMATCH",
      "weight must have shape [3]",
    ],
    [
      "int targets for BCE",
      () => binaryCrossEntropy(zeros(3), labels(0, 1, 1)),
      "INVALID_DTYPE",
      "target must be a float tensor",
    ],
    [
      "int targets for BCE with logits",
      () => binaryCrossEntropyWithLogits(zeros(3), labels(0, 1, 1)),
      "INVALID_DTYPE",
      "but got int32",
    ],
    [
      "BCE shapes that differ",
      () => binaryCrossEntropy(zeros(3, 1), zeros(3)),
      "SHAPE_MISMATCH",
      "target must have the input's shape [3, 1], but got [3]",
    ],
    [
      "BCE of values outside [0, 1]",
      () => binaryCrossEntropy(tensor([0.5, 1.5]), zeros(2)),
      "INVALID_ARGUMENT",
      "all elements of input should be between 0 and 1, but got 1.5",
    ],
    [
      "a label smoothing above 1",
      () => crossEntropy(zeros(2, 3), labels(0, 1), { labelSmoothing: 1.5 }),
      "INVALID_ARGUMENT",
      "labelSmoothing must be between 0 and 1",
    ],
    [
      "an unknown reduction",
      () => nllLoss(zeros(2, 3), labels(0, 1), { reduction: "avg" as never }),
      "INVALID_ARGUMENT",
      "'mean', 'sum', 'none'",
    ],
    [
      "an int input",
      () => crossEntropy(zeros(2, 3, { dtype: "int32" }), labels(0, 1)),
      "INVALID_DTYPE",
      "input must be float32 or float64",
    ],
  ])("%s", (_, fn, code, text) => expectNNError(fn, code, text));
});
