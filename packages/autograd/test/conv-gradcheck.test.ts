/**
 * Gradients of the convolutions: against PyTorch 1.13 for every case of conv.json (input,
 * weight and bias), and by finite differences in float64, first and second order (the backward
 * rule is made of convolutions, so it is differentiable again), with stride, padding, dilation,
 * groups, 'same' padding and transposed convolutions.
 */
import "@x/autograd";
import {
  type ConvOptions,
  type ConvTransposeOptions,
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  Generator,
  randn,
  type Tensor,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  buildConvTensor,
  type ConvCase,
  convCases,
  convTolerance,
  runConvCase,
} from "../../tensor/test/fixtures/conv-cases.ts";
import { gradcheck, gradgradcheck } from "../src/index";

describe("convolutions: gradients against PyTorch", () => {
  it.each(convCases.map((c): [string, ConvCase] => [c.name, c]))("%s", (_, c) => {
    const { input, weight, bias, out } = runConvCase(c, true);
    out.backward(buildConvTensor(c.gradient));
    const [gx, gw, gb] = c.grads;
    expect(tensorMismatches(input.grad as Tensor, gx, convTolerance(gx))).toEqual([]);
    expect(tensorMismatches(weight.grad as Tensor, gw, convTolerance(gw))).toEqual([]);
    if (gb !== null)
      expect(tensorMismatches(bias?.grad as Tensor, gb, convTolerance(gb))).toEqual([]);
  });

  it("records torch's node name", () => {
    const { out } = runConvCase(convCases[0] as ConvCase, true);
    expect(out.gradFn?.name).toBe("ConvolutionBackward0");
  });
});

const generator = new Generator(7);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_(true);

type Run = (x: Tensor, w: Tensor, b: Tensor) => Tensor;
const convCase = (
  name: string,
  fn: Run,
  shapes: [number[], number[], number[]],
): [string, Run, [number[], number[], number[]]] => [name, fn, shapes];

const cases = [
  convCase("conv2d stride 2 padding 1", (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1 }), [
    [2, 2, 5, 4],
    [3, 2, 3, 2],
    [3],
  ]),
  convCase(
    "conv2d groups 2 dilation 2",
    (x, w, b) => conv2d(x, w, b, { groups: 2, dilation: 2 } satisfies ConvOptions),
    [[1, 4, 5, 5], [2, 2, 2, 2], [2]],
  ),
  convCase("conv2d padding same (uneven)", (x, w, b) => conv2d(x, w, b, { padding: "same" }), [
    [1, 2, 4, 3],
    [2, 2, 2, 3],
    [2],
  ]),
  convCase("conv2d unbatched", (x, w, b) => conv2d(x, w, b, { padding: [1, 0] }), [
    [2, 3, 3],
    [2, 2, 2, 2],
    [2],
  ]),
  convCase(
    "conv1d stride 2 dilation 2",
    (x, w, b) => conv1d(x, w, b, { stride: 2, dilation: 2, padding: 1 }),
    [[2, 2, 7], [3, 2, 2], [3]],
  ),
  convCase(
    "convTranspose2d stride 2 outputPadding 1 groups 2",
    (x, w, b) =>
      convTranspose2d(x, w, b, {
        stride: 2,
        outputPadding: 1,
        groups: 2,
      } satisfies ConvTransposeOptions),
    [[1, 4, 2, 3], [4, 1, 2, 2], [2]],
  ),
  convCase(
    "convTranspose1d padding 1 dilation 2",
    (x, w, b) => convTranspose1d(x, w, b, { padding: 1, dilation: 2 }),
    [[2, 2, 4], [2, 3, 3], [3]],
  ),
];

describe("convolutions: finite differences (float64)", () => {
  it.each(cases)("%s", (_, fn, shapes) => {
    expect(
      gradcheck(
        fn,
        shapes.map((s) => leaf(...s)),
      ),
    ).toBe(true);
  });

  it.each(cases)("second derivatives: %s", (_, fn, shapes) => {
    expect(
      gradgradcheck(
        fn,
        shapes.map((s) => leaf(...s)),
      ),
    ).toBe(true);
  });
});
