/**
 * Backward rules of sorting and selection. Against PyTorch 1.13 (the float cases of
 * packages/tensor/test/fixtures/sorting.json, ties and NaN included): the gradient of the
 * picked values goes back to the picked indices, and median() of all elements shares it evenly
 * among the elements equal to the median. Then finite differences in float64 (gradcheck and
 * gradgradcheck) for every rule listed in SORTING_OPS, on inputs without ties.
 */
import { Generator, randn, type Tensor, type ValuesIndices } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import { build } from "../../tensor/test/fixtures/shapes-cases.ts";
import {
  runSortingCase,
  type SortingCase,
  sortingCases,
} from "../../tensor/test/fixtures/sorting-cases.ts";
import { gradcheck, gradgradcheck } from "../src/index";
import { SORTING_OPS } from "./fixtures/sorting-ops.ts";

const valuesOf = (out: Tensor | ValuesIndices): Tensor => ("values" in out ? out.values : out);

describe("sorting: gradients against PyTorch", () => {
  const withGrads = sortingCases.filter((c) => c.grad !== undefined);
  it.each(withGrads.map((c): [string, SortingCase] => [c.name, c]))("%s", (_, c) => {
    const { leaf, out } = runSortingCase(c, true);
    valuesOf(out).backward(build(c.gradient!));
    expect(leaf.grad).not.toBeNull();
    expect(tensorMismatches(leaf.grad as Tensor, c.grad!, "exact")).toEqual([]);
  });

  it("has gradient cases for every differentiable op, with ties, NaN and float64", () => {
    const ops = new Set(withGrads.map((c) => c.op));
    expect([...ops].sort()).toEqual(["kthvalue", "median", "msort", "sort", "topk"]);
    expect(withGrads.some((c) => c.input.dtype === "float64")).toBe(true);
    expect(withGrads.some((c) => c.name.includes("ties"))).toBe(true);
    expect(withGrads.some((c) => c.name.includes("NaN"))).toBe(true);
  });

  it("records PyTorch's node names", () => {
    const x = randn([3, 4], { dtype: "float64" }).requiresGrad_(true);
    const names = [
      x.sort().values,
      x.topk(2).values,
      x.kthvalue(2).values,
      x.median(1).values,
      x.median(),
    ].map((t) => t.gradFn?.name);
    expect(names).toEqual([
      "SortBackward0",
      "TopkBackward0",
      "KthvalueBackward0",
      "MedianBackward1",
      "MedianBackward0",
    ]);
  });

  it("indices never require grad", () => {
    const x = randn([5]).requiresGrad_(true);
    expect([x.sort().indices, x.argsort(), x.topk(2).indices].map((t) => t.requiresGrad)).toEqual([
      false,
      false,
      false,
    ]);
  });
});

const generator = new Generator(29);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_(true);

interface Case {
  name: string;
  op: (typeof SORTING_OPS)[number];
  fn: (x: Tensor) => Tensor;
  shape: number[];
}

const cases: Case[] = [
  { name: "sort last dim", op: "sort", fn: (x) => x.sort().values.exp(), shape: [3, 5] },
  {
    name: "sort dim 0 descending, of a transpose",
    op: "sort",
    fn: (x) => x.t().sort(0, { descending: true }).values.mul(x.t()),
    shape: [4, 3],
  },
  { name: "sort stable 0-d", op: "sort", fn: (x) => x.sort(0, { stable: true }).values, shape: [] },
  { name: "topk", op: "topk", fn: (x) => x.topk(2).values.square(), shape: [3, 6] },
  {
    name: "topk smallest along dim 0, unsorted",
    op: "topk",
    fn: (x) => x.topk(2, { dim: 0, largest: false, sorted: false }).values.exp(),
    shape: [5, 2],
  },
  { name: "kthvalue", op: "kthvalue", fn: (x) => x.kthvalue(3).values.exp(), shape: [2, 5] },
  {
    name: "kthvalue keepdim, negative dim",
    op: "kthvalue",
    fn: (x) => x.kthvalue(2, -2, true).values.mul(x),
    shape: [3, 4],
  },
  { name: "median dim", op: "medianDim", fn: (x) => x.median(1).values.square(), shape: [3, 4] },
  {
    name: "median dim 0 keepdim",
    op: "medianDim",
    fn: (x) => x.median(0, true).values.mul(x),
    shape: [5, 2],
  },
  { name: "median of all", op: "median", fn: (x) => x.median().exp(), shape: [3, 3] },
  { name: "median of all, even count", op: "median", fn: (x) => x.median().square(), shape: [6] },
];

describe("sorting: gradcheck and gradgradcheck (float64)", () => {
  it.each(cases)("$name", ({ fn, shape }) => {
    expect(gradcheck(fn, [leaf(...shape)])).toBe(true);
  });

  it.each(cases)("second derivatives: $name", ({ fn, shape }) => {
    expect(gradgradcheck(fn, [leaf(...shape)])).toBe(true);
  });

  it("covers every rule in SORTING_OPS", () => {
    expect([...new Set(cases.map((c) => c.op))].sort()).toEqual([...SORTING_OPS].sort());
  });
});
