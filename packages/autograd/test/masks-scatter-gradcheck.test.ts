/**
 * Backward rules of the mask and scatter ops: finite differences in float64 (gradcheck, and
 * gradgradcheck where the rule is built from differentiable ops), for every rule listed in
 * MASK_SCATTER_OPS. amax/amin get inputs without ties here; their ties are checked against
 * PyTorch in masks-scatter-grads.test.ts.
 */
import { Generator, randn, type Tensor, TensorError, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { gradcheck, gradgradcheck, rules } from "../src/index";
import { MASK_SCATTER_OPS } from "./fixtures/mask-scatter-ops.ts";

const generator = new Generator(17);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_(true);
const constant = (values: number[][]) => tensor(values, { dtype: "float64" }).requiresGrad_(true);
const mask = (values: boolean[] | boolean[][]) => tensor(values);
/** A self with one zero per column, for prod's zero cases. */
const zerosInSelf = () =>
  constant([
    [0, 2, 3, 1.5],
    [2, 0, 1, 4],
    [1, 3, 0, 2],
  ]);
const repeated = [
  [0, 1, 2, 0],
  [1, 0, 0, 2],
];
const distinct = [
  [2, 0, 1, 1],
  [0, 2, 0, 2],
];

interface Case {
  name: string;
  op: (typeof MASK_SCATTER_OPS)[number];
  fn: (...inputs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
  second?: boolean;
}

const reductions = ["sum", "prod", "mean", "amax", "amin"] as const;

const cases: Case[] = [
  {
    name: "maskedFill with a broadcast mask and a 0-d value",
    op: "maskedFill",
    fn: (x, v) => x.maskedFill(mask([true, false, false, true]), v),
    inputs: () => [leaf(3, 4), leaf()],
    second: true,
  },
  {
    name: "maskedFill growing x",
    op: "maskedFill",
    fn: (x) =>
      x.maskedFill(
        mask([
          [true, false],
          [false, false],
          [false, true],
        ]),
        2,
      ),
    inputs: () => [leaf(2)],
  },
  {
    name: "maskedFill_ on a non-leaf (recorded in place)",
    op: "maskedFill",
    fn: (x, v) => x.mul(2).maskedFill_(mask([[true], [false]]), v),
    inputs: () => [leaf(2, 3), leaf()],
  },
  {
    name: "maskedSelect broadcasting x and mask",
    op: "maskedSelect",
    fn: (x) => x.maskedSelect(mask([[true, false, true, true]])),
    inputs: () => [leaf(3, 1)],
    second: true,
  },
  {
    name: "maskedSelect (second order covers maskedScatterInto)",
    op: "maskedScatterInto",
    fn: (x) =>
      x
        .maskedSelect(
          mask([
            [false, true],
            [true, true],
          ]),
        )
        .square(),
    inputs: () => [leaf(2, 2)],
    second: true,
  },
  {
    name: "scatter src",
    op: "scatter",
    fn: (x, s) => x.scatter(0, distinct, s),
    inputs: () => [leaf(3, 4), leaf(2, 4)],
    second: true,
  },
  {
    name: "scatter a number",
    op: "scatter",
    fn: (x) => x.scatter(1, [[3], [0], [1]], 2),
    inputs: () => [leaf(3, 4)],
  },
  {
    name: "scatter_ on a non-leaf",
    op: "scatter",
    fn: (x, s) => x.mul(1).scatter_(0, distinct, s),
    inputs: () => [leaf(3, 4), leaf(2, 4)],
  },
  {
    name: "scatterAdd with repeated indices",
    op: "scatterAdd",
    fn: (x, s) => x.scatterAdd(0, repeated, s),
    inputs: () => [leaf(3, 4), leaf(2, 4)],
    second: true,
  },
  {
    name: "scatterAdd_ on a non-leaf",
    op: "scatterAdd",
    fn: (x, s) =>
      x.mul(2).scatterAdd_(
        1,
        [
          [0, 0],
          [2, 1],
        ],
        s,
      ),
    inputs: () => [leaf(2, 3), leaf(2, 2)],
  },
  ...reductions.flatMap((reduce) =>
    [true, false].map(
      (includeSelf): Case => ({
        name: `scatterReduce ${reduce} includeSelf=${includeSelf}`,
        op: "scatterReduce",
        fn: (x, s) => x.scatterReduce(0, repeated, s, reduce, { includeSelf }),
        inputs: () => [leaf(3, 4), leaf(2, 4)],
        second: reduce !== "amax" && reduce !== "amin",
      }),
    ),
  ),
  {
    name: "scatterReduce prod with a zero in self and in src",
    op: "scatterReduce",
    fn: (x, s) => x.scatterReduce(0, repeated, s, "prod"),
    inputs: () => [
      zerosInSelf(),
      constant([
        [0, 2, 0.5, 3],
        [2, 0, 4, 0],
      ]),
    ],
  },
  {
    name: "scatterReduce prod with two zeros sent to one position",
    op: "scatterReduce",
    fn: (x, s) =>
      x.scatterReduce(
        0,
        [
          [1, 0, 0, 0],
          [1, 1, 1, 1],
        ],
        s,
        "prod",
      ),
    inputs: () => [
      zerosInSelf(),
      constant([
        [0, 2, 1, 3],
        [0, 1, 4, 2],
      ]),
    ],
  },
  {
    name: "scatterReduce_ amax on a non-leaf (the old values are saved)",
    op: "scatterReduce",
    fn: (x, s) => x.mul(1).scatterReduce_(0, repeated, s, "amax"),
    inputs: () => [leaf(3, 4), leaf(2, 4)],
  },
  {
    name: "scatterReduce_ prod on a non-leaf (the old values are saved)",
    op: "scatterReduce",
    fn: (x, s) => x.mul(1).scatterReduce_(0, repeated, s, "prod", { includeSelf: false }),
    inputs: () => [leaf(3, 4), leaf(2, 4)],
  },
  {
    name: "scatterReduce_ mean on a non-leaf",
    op: "scatterReduce",
    fn: (x, s) => x.mul(1).scatterReduce_(1, [[0, 0, 1]], s, "mean", { includeSelf: false }),
    inputs: () => [leaf(1, 3), leaf(1, 3)],
  },
  {
    name: "indexAdd with alpha and repeated indices",
    op: "indexAdd",
    fn: (x, s) => x.indexAdd(0, [0, 2, 0], s, { alpha: 1.5 }),
    inputs: () => [leaf(4, 3), leaf(3, 3)],
    second: true,
  },
  {
    name: "indexAdd_ along dim 1 on a non-leaf",
    op: "indexAdd",
    fn: (x, s) => x.mul(1).indexAdd_(1, [1, 1], s),
    inputs: () => [leaf(2, 3), leaf(2, 2)],
  },
  {
    name: "take with negative and repeated positions",
    op: "take",
    fn: (x) =>
      x.take([
        [0, -1],
        [5, 5],
      ]),
    inputs: () => [leaf(2, 3)],
    second: true,
  },
  {
    name: "take from a transposed tensor",
    op: "take",
    fn: (x) => x.t().take([1, 4]),
    inputs: () => [leaf(2, 3)],
  },
];

describe("gradcheck of the mask and scatter rules (float64)", () => {
  it.each(cases.map((c): [string, Case] => [c.name, c]))("%s", (_, { fn, inputs }) => {
    expect(gradcheck(fn, inputs())).toBe(true);
  });

  it.each(cases.filter((c) => c.second).map((c): [string, Case] => [c.name, c]))(
    "second derivatives: %s",
    (_, { fn, inputs }) => {
      expect(gradgradcheck(fn, inputs())).toBe(true);
    },
  );

  it("checks every mask and scatter rule, and each is in the rule table", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(MASK_SCATTER_OPS));
    for (const op of MASK_SCATTER_OPS) expect(typeof rules[op]).toBe("function");
  });
});

describe("gradients PyTorch does not define", () => {
  it("scatter with reduce has no derivative (as in PyTorch), raised at backward", () => {
    const x = leaf(3, 4);
    const y = x.scatter(0, repeated, leaf(2, 4), { reduce: "add" });
    const error = (() => {
      try {
        y.sum().backward();
      } catch (e) {
        return e as TensorError;
      }
      throw new Error("backward returned normally");
    })();
    expect(TensorError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^scatter: the derivative of scatter with reduce='add' is not implemented \(as in PyTorch\)\. Hint: use scatterAdd/,
    );
  });

  it("a src larger than index gets no gradient, with PyTorch's shape rule named", () => {
    const y = leaf(3, 4).scatterAdd(0, repeated, leaf(3, 5));
    expect(() => y.sum().backward()).toThrowError(
      /scatterAdd: the gradient of src is defined only when src has index's shape, but src is \[3, 5\] and index \[2, 4\]/,
    );
  });
});
