/**
 * float64 gradcheck (finite differences vs autograd) of linear and the losses, and gradgradcheck
 * where the function is smooth; plus the losses' input checks.
 */
import { gradcheck, gradgradcheck } from "@x/autograd";
import { NNError } from "@x/nn";
import { huberLoss, l1Loss, linear, mseLoss, type Reduction, smoothL1Loss } from "@x/nn/functional";
import { Generator, randn, type Tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage.ts";

const generator = new Generator(14);
const input = (...shape: number[]): Tensor =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_();

describe("gradcheck (float64)", () => {
  it("linear with and without bias, 1-D to 3-D inputs", () => {
    for (const shape of [[3], [4, 3], [2, 2, 3]]) {
      const [x, w, b] = [input(...shape), input(2, 3), input(2)];
      expect(gradcheck((x, w, b) => linear(x, w, b), [x, w, b])).toBe(true);
      expect(gradgradcheck((x, w, b) => linear(x, w, b), [x, w, b])).toBe(true);
      expect(gradcheck((x, w) => linear(x, w), [x, w])).toBe(true);
    }
  });

  const reductions: Reduction[] = ["mean", "sum", "none"];
  it.each(reductions)("the losses, reduction '%s'", (reduction) => {
    // |input - target| stays away from 0 and from the thresholds, where the losses have kinks
    const target = zeros(3, 4, { dtype: "float64" }).requiresGrad_();
    const x = input(3, 4);
    const away = x.detach().abs().add(0.1).mul(x.detach().sign()).requiresGrad_();
    const losses = [
      (a: Tensor, b: Tensor) => mseLoss(a, b, { reduction }),
      (a: Tensor, b: Tensor) => l1Loss(a, b, { reduction }),
      (a: Tensor, b: Tensor) => huberLoss(a, b, { reduction, delta: 0.05 }),
      (a: Tensor, b: Tensor) => huberLoss(a, b, { reduction, delta: 10 }),
      (a: Tensor, b: Tensor) => smoothL1Loss(a, b, { reduction, beta: 0.05 }),
      (a: Tensor, b: Tensor) => smoothL1Loss(a, b, { reduction, beta: 10 }),
      (a: Tensor, b: Tensor) => smoothL1Loss(a, b, { reduction, beta: 0 }),
    ];
    for (const loss of losses) expect(gradcheck(loss, [away, target])).toBe(true);
    expect(gradgradcheck(losses[0] as (a: Tensor, b: Tensor) => Tensor, [away, target])).toBe(true);
  });
});

describe("the losses reject bad input with typed errors", () => {
  it.each([
    [
      "shapes that torch would broadcast",
      () => mseLoss(zeros(3, 1), zeros(3)),
      "SHAPE_MISMATCH",
      "[3, 1] vs [3]",
    ],
    [
      "an unknown reduction",
      () => l1Loss(zeros(2), zeros(2), { reduction: "avg" as never }),
      "INVALID_ARGUMENT",
      "'mean', 'sum', 'none'",
    ],
    [
      "delta = 0",
      () => huberLoss(zeros(2), zeros(2), { delta: 0 }),
      "INVALID_ARGUMENT",
      "delta must be > 0",
    ],
    [
      "a negative beta",
      () => smoothL1Loss(zeros(2), zeros(2), { beta: -1 }),
      "INVALID_ARGUMENT",
      "beta must be >= 0",
    ],
    [
      "a target that is no tensor",
      () => mseLoss(zeros(2), [1, 2] as never),
      "INVALID_ARGUMENT",
      "'target' must be a Tensor",
    ],
  ])("%s", (_, fn, code, text) => {
    const error = thrownBy(fn);
    expect(NNError.isInstance(error)).toBe(true);
    expect((error as NNError).code).toBe(code);
    expect((error as NNError).message).toContain(text);
  });
});
