/**
 * Backward rules of the activations: gradients against PyTorch 1.13 (the "grads" of
 * packages/tensor/test/fixtures/activations.json, including the kinks), finite differences in
 * float64 (gradcheck, and gradgradcheck for the smooth ones), torch's node names, and the
 * in-place forms. Gradient tolerances as in math-grads.test.ts: float32 rtol 1e-5 / atol 1e-6,
 * float64 rtol 1e-12 / atol 1e-12; values at the kinks are exact choices, so they match exactly.
 */
import {
  celu,
  elu_,
  Generator,
  gelu,
  hardtanh_,
  leakyRelu_,
  randn,
  relu6,
  type Tensor,
  TensorError,
  tensor,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { activationFixture } from "../../tensor/test/fixtures/activations-table.ts";
import { buildTensor, type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import { type MathCase, mathArgs, runMath } from "../../tensor/test/fixtures/math-table.ts";
import { grad, gradcheck, gradgradcheck, rules } from "../src/index";
import { ACTIVATION_OPS } from "./fixtures/activations-ops.ts";

const toleranceOf = (dtype: string): Tolerance =>
  dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };

function gradientMismatches(c: MathCase): string[] {
  const args = mathArgs(c);
  const x = args[0] as Tensor;
  const out = runMath(c.op, args);
  const gradient = buildTensor(c.gradient!, (values, options) => tensor(values, options));
  const [got] = grad(out, [x], { gradOutputs: gradient });
  const want = c.grads?.[0];
  if (want === null || want === undefined) return ["the fixture has no gradient"];
  return tensorMismatches(got as Tensor, want, toleranceOf(want.dtype));
}

const withGrads = activationFixture.cases.filter((c) => c.grads !== undefined);

describe(`gradients of the activations vs PyTorch ${activationFixture.torch}`, () => {
  it("the fixture has gradients at the kinks for every activation", () => {
    const kinks = withGrads.filter((c) => c.group === "kinks").map((c) => c.op);
    expect(new Set(kinks).size).toBe(14);
  });
  it.each(withGrads.map((c): [string, MathCase] => [c.name, c]))("%s", (_, c) => {
    expect(gradientMismatches(c)).toEqual([]);
  });
});

const generator = new Generator(31);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).mul(2).requiresGrad_(true);
/** Values away from every kink (0, ±3, 6, the hardtanh bounds), where finite differences hold. */
const offKinks = () =>
  tensor([-4.2, -2.1, -0.7, 0.4, 0.9, 2.2, 3.7, 6.5], { dtype: "float64", requiresGrad: true });

interface Case {
  op: (typeof ACTIVATION_OPS)[number];
  name: string;
  fn: (x: Tensor) => Tensor;
  inputs: () => Tensor[];
  /** Smooth, so its rule is gradgradchecked too. */
  second: boolean;
}

const cases: Case[] = [
  { op: "gelu", name: "gelu", fn: (x) => x.gelu(), inputs: () => [leaf(3, 4)], second: true },
  {
    op: "gelu",
    name: "gelu tanh, non-contiguous",
    fn: (x) => x.gelu({ approximate: "tanh" }),
    inputs: () => [leaf(4, 3).t()],
    second: true,
  },
  { op: "silu", name: "silu", fn: (x) => x.silu(), inputs: () => [leaf(2, 5)], second: true },
  { op: "mish", name: "mish", fn: (x) => x.mish(), inputs: () => [leaf(7)], second: true },
  {
    op: "softplus",
    name: "softplus beta 2, threshold 3 (both sides)",
    fn: (x) => x.softplus({ beta: 2, threshold: 3 }),
    inputs: () => [offKinks()],
    second: true,
  },
  {
    op: "softsign",
    name: "softsign",
    fn: (x) => x.softsign(),
    inputs: () => [offKinks()],
    second: true,
  },
  {
    op: "logsigmoid",
    name: "logsigmoid",
    fn: (x) => x.logsigmoid(),
    inputs: () => [leaf(6)],
    second: true,
  },
  {
    op: "logsigmoid",
    name: "logsigmoid 0-d",
    fn: (x) => x.logsigmoid(),
    inputs: () => [leaf()],
    second: true,
  },
  {
    op: "leakyRelu",
    name: "leakyRelu 0.2",
    fn: (x) => x.leakyRelu(0.2),
    inputs: () => [offKinks()],
    second: true,
  },
  { op: "elu", name: "elu 0.5", fn: (x) => x.elu(0.5), inputs: () => [offKinks()], second: true },
  {
    op: "elu",
    name: "celu 0.7",
    fn: (x) => celu(x, 0.7),
    inputs: () => [offKinks()],
    second: true,
  },
  { op: "selu", name: "selu", fn: (x) => x.selu(), inputs: () => [offKinks()], second: true },
  {
    op: "hardswish",
    name: "hardswish",
    fn: (x) => x.hardswish(),
    inputs: () => [offKinks()],
    second: true,
  },
  {
    op: "hardsigmoid",
    name: "hardsigmoid",
    fn: (x) => x.hardsigmoid(),
    inputs: () => [offKinks()],
    second: true,
  },
  {
    op: "hardtanh",
    name: "hardtanh(-2, 3)",
    fn: (x) => x.hardtanh(-2, 3),
    inputs: () => [offKinks()],
    second: true,
  },
  { op: "hardtanh", name: "relu6", fn: (x) => relu6(x), inputs: () => [offKinks()], second: true },
];

describe("gradcheck of the activations (float64, finite differences)", () => {
  it.each(cases)("$name", ({ fn, inputs }) => {
    expect(gradcheck(fn, inputs())).toBe(true);
  });
  it.each(cases.filter((c) => c.second))("second derivatives: $name", ({ fn, inputs }) => {
    expect(gradgradcheck(fn, inputs())).toBe(true);
  });
  it("covers every activation rule of the table", () => {
    for (const op of ACTIVATION_OPS) expect(rules[op]).toBeTypeOf("function");
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(ACTIVATION_OPS));
  });
});

describe("how the activations are recorded", () => {
  const x = () => tensor([1.5, -2.5], { requiresGrad: true });
  it("names the nodes as PyTorch does", () => {
    const names = [
      x().gelu(),
      x().gelu({ approximate: "tanh" }),
      x().silu(),
      x().mish(),
      x().softplus(),
      x().softsign(),
      x().logsigmoid(),
      x().leakyRelu(),
      x().elu(),
      x().celu(),
      x().selu(),
      x().relu6(),
      x().hardswish(),
      x().hardsigmoid(),
      x().hardtanh(),
      x().mul(1).leakyRelu_(),
      x().mul(1).elu_(),
      x().mul(1).hardtanh_(),
    ].map((t) => t.gradFn?.name);
    expect(names).toEqual([
      "GeluBackward0",
      "GeluBackward0",
      "SiluBackward0",
      "MishBackward0",
      "SoftplusBackward0",
      "DivBackward0",
      "LogSigmoidBackward0",
      "LeakyReluBackward0",
      "EluBackward0",
      "CeluBackward0",
      "EluBackward0",
      "HardtanhBackward0",
      "HardswishBackward0",
      "HardsigmoidBackward0",
      "HardtanhBackward0",
      "LeakyReluBackward1",
      "EluBackward1",
      "HardtanhBackward0",
    ]);
  });

  it("in-place forms write into the tensor and differentiate through the old values", () => {
    const base = tensor([-2, -0.5, 0.5, 2], { dtype: "float64", requiresGrad: true });
    const y = base.mul(1);
    expect(elu_(y, 0.5)).toBe(y);
    y.sum().backward();
    const e = Math.exp;
    expect(base.grad?.toArray()).toEqual([0.5 * e(-2), 0.5 * e(-0.5), 1, 1]);
    const z = tensor([-2, 0, 2]);
    expect(leakyRelu_(z, 0.5).toArray()).toEqual([-1, 0, 2]);
    expect(hardtanh_(z, -0.5, 1).toArray()).toEqual([-0.5, 0, 1]);
  });

  it("refuses the backward of leakyRelu_/elu_ with a negative slope, as PyTorch does", () => {
    for (const run of [(t: Tensor) => t.leakyRelu_(-0.5), (t: Tensor) => t.elu_(-1)]) {
      const base = tensor([-1, 1], { requiresGrad: true });
      const y = run(base.mul(1));
      let thrown: unknown;
      try {
        y.sum().backward();
      } catch (error) {
        thrown = error;
      }
      expect(TensorError.isInstance(thrown)).toBe(true);
      expect((thrown as TensorError).code).toBe("INVALID_ARGUMENT");
      expect((thrown as TensorError).message).toMatch(
        /^(leakyRelu_|elu_): the backward of an in-place .* with a negative (negativeSlope|alpha) \(-[0-9.]+\) is not supported, as in PyTorch\. Hint: call the out-of-place/,
      );
    }
  });

  it("the gelu rule is differentiable again (second derivative of the erf form at 0 is √(2/π))", () => {
    const x0 = tensor([0], { dtype: "float64", requiresGrad: true });
    const [first] = grad(gelu(x0), [x0], { createGraph: true });
    const [second] = grad(first as Tensor, [x0]);
    expect((second as Tensor).item()).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
  });
});
