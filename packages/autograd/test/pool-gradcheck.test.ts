/**
 * Gradients of the pooling functions: against PyTorch 1.13 for every case of pool.json, and by
 * finite differences in float64, first and second order (max pooling's gradient is a scatter-add
 * and the average pools' an adjoint pool, both differentiable again).
 */
import "@x/autograd";
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  avgPool1d,
  avgPool2d,
  Generator,
  maxPool1d,
  maxPool2d,
  randn,
  type Tensor,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import { buildConvTensor } from "../../tensor/test/fixtures/conv-cases.ts";
import { type PoolCase, poolCases, runPoolCase } from "../../tensor/test/fixtures/pool-cases.ts";
import { gradcheck, gradgradcheck } from "../src/index";

describe("pooling: gradients against PyTorch", () => {
  it.each(poolCases.map((c): [string, PoolCase] => [c.name, c]))("%s", (_, c) => {
    const { input, out } = runPoolCase(c, true);
    out.backward(buildConvTensor(c.gradient));
    const tolerance = c.op.startsWith("max") ? "exact" : { rtol: 1e-6, atol: 1e-7 };
    expect(tensorMismatches(input.grad as Tensor, c.grad, tolerance)).toEqual([]);
  });

  it("records torch's node names", () => {
    const x = randn([1, 1, 4, 4]).requiresGrad_(true);
    expect([
      maxPool2d(x, 2).gradFn?.name,
      avgPool2d(x, 2).gradFn?.name,
      adaptiveAvgPool2d(x, 1).gradFn?.name,
    ]).toEqual([
      "MaxPool2DWithIndicesBackward0",
      "AvgPool2DBackward0",
      "AdaptiveAvgPool2DBackward0",
    ]);
  });
});

const generator = new Generator(11);
/** Distinct values, so that no window has a tie a finite difference could flip. */
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_(true);

const cases: [string, (x: Tensor) => Tensor, number[]][] = [
  [
    "maxPool2d 3 stride 2 padding 1",
    (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }),
    [1, 2, 5, 5],
  ],
  [
    "maxPool1d dilation 2 ceilMode",
    (x) => maxPool1d(x, 2, { dilation: 2, ceilMode: true }),
    [2, 7],
  ],
  [
    "avgPool2d padding not counted, ceilMode",
    (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    [1, 1, 6, 5],
  ],
  ["avgPool1d stride 2", (x) => avgPool1d(x, 3, { stride: 2, padding: 1 }), [2, 2, 7]],
  ["adaptiveAvgPool2d [3, 2]", (x) => adaptiveAvgPool2d(x, [3, 2]), [1, 2, 5, 5]],
  ["adaptiveAvgPool1d 3", (x) => adaptiveAvgPool1d(x, 3), [2, 7]],
];

describe("pooling: finite differences (float64)", () => {
  it.each(cases)("%s", (_, fn, shape) => {
    expect(gradcheck(fn, [leaf(...shape)])).toBe(true);
  });

  it.each(cases)("second derivatives: %s", (_, fn, shape) => {
    expect(gradgradcheck((x) => fn(x).pow(2), [leaf(...shape)])).toBe(true);
  });
});
