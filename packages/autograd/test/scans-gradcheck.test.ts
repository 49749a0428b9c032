/**
 * Backward rules of the scans, diff and einsum. First, gradients against PyTorch 1.13 (the
 * "grads" of packages/tensor/test/fixtures/scans.json, written by scans.py): cumsum's reversed
 * cumsum and cummax/cummin's scatter are exact; cumprod (zeros included), logcumsumexp and
 * einsum chain rounded float32 ops (rtol 1e-5, as pytorch-parity.test.ts). Then finite
 * differences in float64 (gradcheck, and gradgradcheck for the smooth ops and for cumprod with
 * zeros, whose recorded backward takes torch's O(n²) form), covering every rule in SCAN_OPS.
 */
import "@x/autograd";
import { einsum, Generator, randn, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  build,
  runScanCase,
  type ScanCase,
  scanCases,
} from "../../tensor/test/fixtures/scans-cases.ts";
import { gradcheck, gradgradcheck } from "../src/index";
import { SCAN_OPS } from "./fixtures/scans-ops.ts";

const EXACT = new Set(["cumsum", "cummax", "cummin", "diff"]);

function toleranceOf(c: ScanCase): Tolerance {
  if (EXACT.has(c.op)) return "exact";
  return c.inputs[0]!.dtype === "float64"
    ? { rtol: 1e-12, atol: 1e-12 }
    : { rtol: 1e-5, atol: 1e-6 };
}

/** Runs a case on leaves that require grad, backward with its stored gradient; the leaves' grads. */
function gradsOf(c: ScanCase): (Tensor | null)[] {
  const { leaves, out } = runScanCase(c, true);
  const values = "values" in out ? out.values : out;
  values.backward(build(c.gradient!));
  return leaves.map((x) => x.grad);
}

const withGrads = scanCases.filter((c) => c.grads !== undefined);

describe("scans and einsum: gradients against PyTorch", () => {
  it.each(withGrads.map((c): [string, ScanCase] => [c.name, c]))("%s", (_, c) => {
    const grads = gradsOf(c);
    c.grads!.forEach((want, i) => {
      const got = grads[i];
      expect(got).not.toBeNull();
      expect(tensorMismatches(got as Tensor, want, toleranceOf(c))).toEqual([]);
    });
  });

  it("has gradient cases for every scan, diff and einsum, with zeros in cumprod", () => {
    const ops = new Set(withGrads.map((c) => c.op));
    expect([...SCAN_OPS, "diff", "einsum"].filter((op) => !ops.has(op))).toEqual([]);
    expect(withGrads.some((c) => c.op === "cumprod" && c.name.includes("zeros"))).toBe(true);
  });

  it("records PyTorch's node names", () => {
    const x = tensor([1, 2, 3]).requiresGrad_(true);
    const names = [
      x.cumsum(0),
      x.cumprod(0),
      x.logcumsumexp(0),
      x.cummax(0).values,
      x.cummin(0).values,
    ];
    expect(names.map((t) => t.gradFn?.name)).toEqual([
      "CumsumBackward0",
      "CumprodBackward0",
      "LogcumsumexpBackward0",
      "CummaxBackward0",
      "CumminBackward0",
    ]);
    expect(x.cummax(0).indices.requiresGrad).toBe(false);
  });
});

const generator = new Generator(23);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_(true);
const constant = (values: number[][]) => tensor(values, { dtype: "float64" }).requiresGrad_(true);
/** Distinct values (no ties), so cummax/cummin are differentiable at the point. */
const distinct = () =>
  constant([
    [0.3, -1.2, 2.5, 0.9],
    [1.7, 0.4, -0.6, 3.1],
    [-2.2, 1.1, 0.8, -0.1],
  ]);
const withZeros = () =>
  constant([
    [0.5, 0, 2, 3],
    [1.5, -2, 0, 0],
    [0, 1.25, -1, 2],
  ]);

interface Case {
  name: string;
  op: string;
  fn: (...inputs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
  second?: boolean;
}

const cases: Case[] = [
  {
    name: "cumsum dim 1",
    op: "cumsum",
    fn: (x) => x.cumsum(1),
    inputs: () => [leaf(3, 4)],
    second: true,
  },
  {
    name: "cumsum negative dim of a transpose",
    op: "cumsum",
    fn: (x) => x.t().cumsum(-1),
    inputs: () => [leaf(3, 4)],
  },
  { name: "cumsum 0-d", op: "cumsum", fn: (x) => x.cumsum(0), inputs: () => [leaf()] },
  {
    name: "cumprod without zeros",
    op: "cumprod",
    fn: (x) => x.cumprod(1),
    inputs: () => [leaf(3, 4)],
    second: true,
  },
  {
    name: "cumprod with zeros along 1",
    op: "cumprod",
    fn: (x) => x.cumprod(1),
    inputs: () => [withZeros()],
    second: true,
  },
  {
    name: "cumprod with zeros along 0",
    op: "cumprod",
    fn: (x) => x.cumprod(0),
    inputs: () => [withZeros()],
    second: true,
  },
  {
    name: "logcumsumexp",
    op: "logcumsumexp",
    fn: (x) => x.logcumsumexp(1),
    inputs: () => [leaf(3, 4)],
    second: true,
  },
  {
    name: "logcumsumexp dim 0",
    op: "logcumsumexp",
    fn: (x) => x.logcumsumexp(0),
    inputs: () => [leaf(3, 2)],
    second: true,
  },
  {
    name: "cummax",
    op: "cummax",
    fn: (x) => x.cummax(1).values,
    inputs: () => [distinct()],
    second: true,
  },
  {
    name: "cummin dim 0",
    op: "cummin",
    fn: (x) => x.cummin(0).values,
    inputs: () => [distinct()],
    second: true,
  },
  {
    name: "diff n 2",
    op: "diff",
    fn: (x) => x.diff(2, 1),
    inputs: () => [leaf(3, 5)],
    second: true,
  },
  {
    name: "einsum matmul",
    op: "einsum",
    fn: (a, b) => einsum("ij,jk->ik", a!, b!),
    inputs: () => [leaf(2, 3), leaf(3, 4)],
    second: true,
  },
  { name: "einsum trace", op: "einsum", fn: (a) => einsum("ii", a!), inputs: () => [leaf(3, 3)] },
  {
    name: "einsum diagonal",
    op: "einsum",
    fn: (a) => einsum("ii->i", a!),
    inputs: () => [leaf(3, 3)],
  },
  {
    name: "einsum bmm with ellipsis",
    op: "einsum",
    fn: (a, b) => einsum("...ij,...jk", a!, b!),
    inputs: () => [leaf(2, 2, 3), leaf(3, 2)],
    second: true,
  },
  {
    name: "einsum three operands",
    op: "einsum",
    fn: (a, b, c) => einsum("i,ij,j->", a!, b!, c!),
    inputs: () => [leaf(3), leaf(3, 4), leaf(4)],
    second: true,
  },
];

describe("scans, diff and einsum: gradcheck (float64, finite differences)", () => {
  it.each(cases)("$name", ({ fn, inputs }) => {
    expect(gradcheck(fn, inputs())).toBe(true);
  });

  it.each(cases.filter((c) => c.second))("second derivatives: $name", ({ fn, inputs }) => {
    expect(gradgradcheck(fn, inputs())).toBe(true);
  });

  it("covers every scan rule", () => {
    const covered = new Set(cases.map((c) => c.op));
    expect(SCAN_OPS.filter((op) => !covered.has(op))).toEqual([]);
  });
});
