/**
 * float64 gradcheck (finite differences vs autograd) of batchNorm, layerNorm and the
 * classification losses, and gradgradcheck of the smooth ones.
 */
import { gradcheck, gradgradcheck } from "@x/autograd";
import {
  batchNorm,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  layerNorm,
  nllLoss,
  type Reduction,
} from "@x/nn/functional";
import { Generator, rand, randn, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";

const generator = new Generator(15);
const input = (...shape: number[]): Tensor =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_();
const labels = (...values: number[]) => tensor(values, { dtype: "int32" });

describe("gradcheck and gradgradcheck of the normalisations (float64)", () => {
  it.each([[[5, 3]], [[4, 2, 3]], [[2, 3, 2, 2]]])("batchNorm in training mode, %j", (shape) => {
    const c = shape[1] as number;
    const [x, w, b] = [input(...shape), input(c), input(c)];
    const fn = (x: Tensor, w: Tensor, b: Tensor) =>
      batchNorm(x, null, null, { weight: w, bias: b, training: true });
    expect(gradcheck(fn, [x, w, b])).toBe(true);
    expect(gradgradcheck(fn, [x, w, b])).toBe(true);
  });

  it("batchNorm in eval mode, with the running statistics", () => {
    const mean = randn([3], { dtype: "float64", generator });
    const variance = rand([3], { dtype: "float64", generator }).add(0.5);
    const fn = (x: Tensor, w: Tensor, b: Tensor) =>
      batchNorm(x, mean, variance, { weight: w, bias: b, eps: 0.1 });
    expect(gradcheck(fn, [input(4, 3, 2), input(3), input(3)])).toBe(true);
  });

  it.each([
    [[4, 5], [5]],
    [
      [2, 3, 4],
      [3, 4],
    ],
  ])("layerNorm of %j over %j", (shape, normalized) => {
    const fn = (x: Tensor, w: Tensor, b: Tensor) =>
      layerNorm(x, normalized, { weight: w, bias: b });
    const args = [input(...shape), input(...normalized), input(...normalized)];
    expect(gradcheck(fn, args)).toBe(true);
    expect(gradgradcheck(fn, args)).toBe(true);
    expect(gradcheck((x: Tensor) => layerNorm(x, normalized), [input(...shape)])).toBe(true);
  });
});

const reductions: Reduction[] = ["mean", "sum", "none"];

describe("gradcheck and gradgradcheck of the classification losses (float64)", () => {
  it.each(reductions)("crossEntropy and nllLoss, reduction '%s'", (reduction) => {
    const weight = tensor([0.5, 2, 1], { dtype: "float64" });
    const target = labels(0, 2, 1, -100, 2);
    const variants = [
      (x: Tensor) => crossEntropy(x, target, { reduction }),
      (x: Tensor) => crossEntropy(x, target, { reduction, weight, labelSmoothing: 0.2 }),
      (x: Tensor) => nllLoss(x.logSoftmax(1), target, { reduction, weight }),
      (x: Tensor) => crossEntropy(x.reshape([5, 3, 1]), target.reshape([5, 1]), { reduction }),
    ];
    for (const fn of variants) {
      expect(gradcheck(fn, [input(5, 3)])).toBe(true);
      expect(gradgradcheck(fn, [input(5, 3)])).toBe(true);
    }
  });

  it.each(reductions)("crossEntropy with class probabilities, reduction '%s'", (reduction) => {
    const fn = (x: Tensor, p: Tensor) =>
      crossEntropy(x, p.softmax(1), { reduction, labelSmoothing: 0.1 });
    expect(gradcheck(fn, [input(4, 3), input(4, 3)])).toBe(true);
    expect(gradgradcheck(fn, [input(4, 3), input(4, 3)])).toBe(true);
  });

  it.each(reductions)("binaryCrossEntropy(WithLogits), reduction '%s'", (reduction) => {
    const probability = () =>
      rand([3, 2], { dtype: "float64", generator }).mul(0.8).add(0.1).requiresGrad_();
    const weight = tensor([1, 3], { dtype: "float64" });
    const bce = (x: Tensor, y: Tensor) => binaryCrossEntropy(x, y, { reduction, weight });
    expect(gradcheck(bce, [probability(), probability()])).toBe(true);
    const logits = (x: Tensor, y: Tensor) =>
      binaryCrossEntropyWithLogits(x, y, {
        reduction,
        weight,
        posWeight: tensor([2, 0.5], { dtype: "float64" }),
      });
    expect(gradcheck(logits, [input(3, 2), probability()])).toBe(true);
    expect(gradgradcheck(logits, [input(3, 2), probability()])).toBe(true);
  });
});
