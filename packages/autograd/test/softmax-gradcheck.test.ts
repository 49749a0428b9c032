/**
 * Backward rules of the softmax family: finite differences in float64 (gradcheck and
 * gradgradcheck: every rule is built from differentiable ops), torch's node names, and gradient
 * values against PyTorch 1.13 (the cases of packages/tensor/test/fixtures/softmax.json that
 * record gradients). Tolerances: float64 rtol 1e-12, float32 rtol 1e-5 (other summation orders).
 */
import { Generator, randn, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { outMismatches, type Tolerance } from "../../tensor/test/fixtures/codec.ts";
import {
  runSoftmaxCase,
  type SoftmaxCase,
  softmaxFixture,
} from "../../tensor/test/fixtures/softmax-table.ts";
import { gradcheck, gradgradcheck, rules } from "../src/index";
import { SOFTMAX_OPS } from "./fixtures/softmax-ops.ts";

const generator = new Generator(23);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).mul(2).requiresGrad_(true);

interface Case {
  name: string;
  op: (typeof SOFTMAX_OPS)[number];
  fn: (x: Tensor) => Tensor;
  inputs: () => Tensor[];
}

const cases: Case[] = [
  {
    name: "softmax along the last dim",
    op: "softmax",
    fn: (x) => x.softmax(-1),
    inputs: () => [leaf(3, 9)],
  },
  {
    name: "softmax along dim 0 of [4, 3, 2]",
    op: "softmax",
    fn: (x) => x.softmax(0),
    inputs: () => [leaf(4, 3, 2)],
  },
  {
    name: "softmax of a transposed view",
    op: "softmax",
    fn: (x) => x.t().softmax(1),
    inputs: () => [leaf(4, 3)],
  },
  {
    name: "softmax of a 0-d tensor",
    op: "softmax",
    fn: (x) => x.softmax(0),
    inputs: () => [leaf()],
  },
  {
    name: "softmin (softmax of −x)",
    op: "softmax",
    fn: (x) => x.softmin(1),
    inputs: () => [leaf(2, 5)],
  },
  {
    name: "logSoftmax along the last dim",
    op: "logSoftmax",
    fn: (x) => x.logSoftmax(1),
    inputs: () => [leaf(3, 10)],
  },
  {
    name: "logSoftmax along dim 1 of [2, 4, 3]",
    op: "logSoftmax",
    fn: (x) => x.logSoftmax(1),
    inputs: () => [leaf(2, 4, 3)],
  },
  {
    name: "logsumexp over one dim",
    op: "logsumexp",
    fn: (x) => x.logsumexp(1),
    inputs: () => [leaf(3, 6)],
  },
  {
    name: "logsumexp over dims [0, 2], keepdim",
    op: "logsumexp",
    fn: (x) => x.logsumexp([0, 2], true),
    inputs: () => [leaf(2, 3, 4)],
  },
  {
    name: "logsumexp of a transposed view",
    op: "logsumexp",
    fn: (x) => x.t().logsumexp(0),
    inputs: () => [leaf(3, 4)],
  },
];

describe("gradcheck of the softmax rules (float64)", () => {
  it.each(cases.map((c): [string, Case] => [c.name, c]))("%s", (_, { fn, inputs }) => {
    expect(gradcheck(fn, inputs())).toBe(true);
  });

  it.each(cases.map((c): [string, Case] => [c.name, c]))(
    "second derivatives: %s",
    (_, { fn, inputs }) => {
      expect(gradgradcheck(fn, inputs())).toBe(true);
    },
  );

  it("checks every softmax rule, and each is in the rule table", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(SOFTMAX_OPS));
    for (const op of SOFTMAX_OPS) expect(typeof rules[op]).toBe("function");
  });
});

describe("graph nodes named as torch names them", () => {
  it("SoftmaxBackward0, LogSoftmaxBackward0, LogsumexpBackward0 (softmin is a softmax)", () => {
    const x = tensor([[1, 2, 3]], { requiresGrad: true });
    expect(x.softmax(1).gradFn?.name).toBe("SoftmaxBackward0");
    expect(x.logSoftmax(1).gradFn?.name).toBe("LogSoftmaxBackward0");
    expect(x.logsumexp(1).gradFn?.name).toBe("LogsumexpBackward0");
    expect(x.softmin(1).gradFn?.name).toBe("SoftmaxBackward0");
    expect(x.softmax(1, { dtype: "float64" }).dtype).toBe("float64");
  });
});

const withGrads = softmaxFixture.cases.filter((c) => c.gradient !== undefined);

function tolerance(c: SoftmaxCase): Tolerance {
  return c.gradient?.dtype === "float64"
    ? { rtol: 1e-12, atol: 1e-12 }
    : { rtol: 1e-5, atol: 1e-6 };
}

describe(`gradients against PyTorch ${softmaxFixture.torch}`, () => {
  it("covers every op, 0-d, empty, non-contiguous and negative dims", () => {
    const names = withGrads.map((c) => c.name).join("\n");
    for (const word of ["0-d", "empty", "non-contiguous", "dim -3", "float64", "keepdim"])
      expect(names).toContain(word);
    expect(new Set(withGrads.map((c) => c.op.replace(/^t\./, "")))).toEqual(
      new Set(["softmax", "logSoftmax", "softmin", "logsumexp"]),
    );
  });

  it.each(withGrads.map((c): [string, SoftmaxCase] => [c.name, c]))("%s", (_, c) => {
    const { input, output } = runSoftmaxCase(c);
    const gradient = c.gradient as NonNullable<SoftmaxCase["gradient"]>;
    output.backward(
      tensor(gradient.data as number[], { dtype: gradient.dtype }).reshape(gradient.shape),
    );
    expect(
      outMismatches(
        input.grad,
        (c.grads ?? [])[0] as NonNullable<SoftmaxCase["gradient"]>,
        tolerance(c),
      ),
    ).toEqual([]);
  });
});
