import {
  cat,
  diagonalBackward,
  Generator,
  gather,
  indexSelect,
  matmul,
  meshgrid,
  randn,
  reluBackward,
  selectBackward,
  stack,
  type Tensor,
  tensor,
  unfoldBackward,
  where,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { gradcheck, gradgradcheck, rules } from "../src/index";
import { ACTIVATION_OPS } from "./fixtures/activations-ops.ts";
import { CONV_OPS } from "./fixtures/conv-ops.ts";
import { MASK_SCATTER_OPS } from "./fixtures/mask-scatter-ops.ts";
import { SCAN_OPS } from "./fixtures/scans-ops.ts";
import { SOFTMAX_OPS } from "./fixtures/softmax-ops.ts";
import { SORTING_OPS } from "./fixtures/sorting-ops.ts";

const generator = new Generator(1234);
/** A float64 leaf with random values (optionally shifted away from kinks/poles). */
function leaf(shape: number[], shift = 0): Tensor {
  return randn(shape, { dtype: "float64", generator }).add(shift).requiresGrad_(true);
}
/** A float64 leaf holding `data` (for ops with a bounded domain or jumps to stay away from). */
function values(data: number[]): Tensor {
  return tensor(data, { dtype: "float64", requiresGrad: true });
}
/** A non-contiguous float64 leaf view: the transpose of a random matrix. */
function transposedLeaf(rows: number, cols: number): Tensor {
  const base = leaf([cols, rows]);
  return base.t();
}

type Case = {
  name: string;
  op: string;
  fn: (...x: Tensor[]) => Tensor;
  inputs: () => Tensor[];
  second?: boolean;
  eps?: number;
};

const cases: Case[] = [
  {
    name: "add broadcast [2,3] + [3]",
    op: "add",
    fn: (a, b) => a.add(b),
    inputs: () => [leaf([2, 3]), leaf([3])],
    second: true,
  },
  {
    name: "add 0-d + [2,1]",
    op: "add",
    fn: (a, b) => a.add(b),
    inputs: () => [leaf([]), leaf([2, 1])],
  },
  {
    name: "sub [3,1] - [1,4]",
    op: "sub",
    fn: (a, b) => a.sub(b),
    inputs: () => [leaf([3, 1]), leaf([1, 4])],
    second: true,
  },
  {
    name: "mul non-contiguous",
    op: "mul",
    fn: (a, b) => a.mul(b),
    inputs: () => [transposedLeaf(2, 3), leaf([2, 3])],
    second: true,
  },
  {
    name: "div broadcast",
    op: "div",
    fn: (a, b) => a.div(b),
    inputs: () => [leaf([2, 3]), leaf([3], 3)],
    second: true,
  },
  {
    name: "pow tensor exponent",
    op: "pow",
    fn: (a, b) => a.pow(b),
    inputs: () => [leaf([4]).abs().add(0.5).detach().requiresGrad_(true), leaf([4])],
    second: true,
  },
  {
    name: "pow constant exponent 3",
    op: "pow",
    fn: (a) => a.pow(3),
    inputs: () => [leaf([2, 2])],
    second: true,
  },
  {
    name: "maximum",
    op: "maximum",
    fn: (a, b) => a.maximum(b),
    inputs: () => [leaf([5]), leaf([5])],
  },
  {
    name: "minimum broadcast",
    op: "minimum",
    fn: (a, b) => a.minimum(b),
    inputs: () => [leaf([2, 3]), leaf([3])],
  },
  { name: "neg", op: "neg", fn: (a) => a.neg(), inputs: () => [leaf([3])] },
  { name: "abs", op: "abs", fn: (a) => a.abs(), inputs: () => [leaf([4], 0.1)] },
  { name: "exp", op: "exp", fn: (a) => a.exp(), inputs: () => [leaf([2, 2])], second: true },
  {
    name: "log",
    op: "log",
    fn: (a) => a.log(),
    inputs: () => [leaf([3]).abs().add(0.5).detach().requiresGrad_(true)],
    second: true,
  },
  {
    name: "sqrt",
    op: "sqrt",
    fn: (a) => a.sqrt(),
    inputs: () => [leaf([3]).abs().add(0.5).detach().requiresGrad_(true)],
    second: true,
  },
  { name: "sin", op: "sin", fn: (a) => a.sin(), inputs: () => [leaf([3])], second: true },
  { name: "cos", op: "cos", fn: (a) => a.cos(), inputs: () => [leaf([3])], second: true },
  { name: "tanh", op: "tanh", fn: (a) => a.tanh(), inputs: () => [leaf([3])], second: true },
  {
    name: "sigmoid",
    op: "sigmoid",
    fn: (a) => a.sigmoid(),
    inputs: () => [leaf([3])],
    second: true,
  },
  {
    name: "relu",
    op: "relu",
    fn: (a) => a.relu(),
    inputs: () => [tensor([-1.5, -0.2, 0.3, 2], { dtype: "float64", requiresGrad: true })],
    second: true,
  },
  {
    name: "reluBackward (relu's gradient, for second derivatives)",
    op: "reluBackward",
    fn: (g, r) => reluBackward(g, r.detach()),
    inputs: () => [leaf([4]), tensor([-1, 0.5, 2, -3], { dtype: "float64", requiresGrad: true })],
  },
  {
    name: "selectBackward (select's gradient, for second derivatives)",
    op: "selectBackward",
    fn: (g) => selectBackward(g, [3, 2], 0, 1).exp(),
    inputs: () => [leaf([2])],
    second: true,
  },
  {
    name: "add with alpha (fused)",
    op: "addScaled",
    fn: (a, b) => a.add(b, { alpha: -0.5 }),
    inputs: () => [leaf([2, 3]), leaf([3])],
    second: true,
  },
  {
    name: "addcmul (fused)",
    op: "addcmul",
    fn: (x, a, b) => x.addcmul(a, b, { value: 2 }),
    inputs: () => [leaf([3]), leaf([2, 3]), leaf([3])],
    second: true,
  },
  {
    name: "addcdiv",
    op: "addcdiv",
    fn: (x, a, b) => x.addcdiv(a, b, { value: -0.5 }),
    inputs: () => [leaf([3]), leaf([2, 3]), leaf([3], 3)],
    second: true,
  },
  // sign and the roundings are recorded with a zero gradient (PyTorch's), which finite
  // differences confirm away from their jumps (random values are never within eps of one)
  { name: "sign", op: "sign", fn: (x) => x.sign().add(x), inputs: () => [leaf([4])] },
  { name: "floor", op: "floor", fn: (x) => x.mul(3).floor().add(x), inputs: () => [leaf([4])] },
  { name: "ceil", op: "ceil", fn: (x) => x.mul(3).ceil().mul(x), inputs: () => [leaf([4])] },
  { name: "trunc", op: "trunc", fn: (x) => x.mul(3).trunc().sub(x), inputs: () => [leaf([4])] },
  {
    name: "round (decimals 1)",
    op: "round",
    fn: (x) => x.round({ decimals: 1 }).add(x.mul(x)),
    inputs: () => [leaf([4])],
  },
  {
    name: "clamp both sides",
    op: "clamp",
    fn: (a) => a.clamp(-0.5, 0.5),
    inputs: () => [tensor([-1, -0.3, 0.2, 0.9], { dtype: "float64", requiresGrad: true })],
  },
  {
    name: "where",
    op: "where",
    fn: (a, b) => where(a.gt(0), a, b),
    inputs: () => [leaf([4], 0.01), leaf([4])],
    second: true,
  },
  { name: "sum all", op: "sum", fn: (a) => a.sum(), inputs: () => [leaf([2, 3])], second: true },
  { name: "sum dim keepdim", op: "sum", fn: (a) => a.sum(1, true), inputs: () => [leaf([2, 3])] },
  {
    name: "mean dims [0, 2]",
    op: "mean",
    fn: (a) => a.mean([0, 2]),
    inputs: () => [leaf([2, 3, 2])],
    second: true,
  },
  {
    name: "prod dim",
    op: "prod",
    fn: (a) => a.prod(1),
    inputs: () => [leaf([2, 3])],
    second: true,
  },
  {
    name: "prod with a zero",
    op: "prod",
    fn: (a) => a.prod(),
    inputs: () => [tensor([2, 0, 3], { dtype: "float64", requiresGrad: true })],
  },
  {
    name: "var unbiased",
    op: "var",
    fn: (a) => a.var(1),
    inputs: () => [leaf([2, 4])],
    second: true,
  },
  {
    name: "std correction 0",
    op: "var",
    fn: (a) => a.std(null, { correction: 0 }),
    inputs: () => [leaf([5])],
  },
  { name: "amax (max without dim)", op: "amax", fn: (a) => a.max(), inputs: () => [leaf([2, 3])] },
  { name: "amin (min without dim)", op: "amin", fn: (a) => a.min(), inputs: () => [leaf([2, 3])] },
  { name: "max along dim", op: "maxDim", fn: (a) => a.max(1).values, inputs: () => [leaf([2, 3])] },
  {
    name: "min along dim keepdim",
    op: "minDim",
    fn: (a) => a.min(0, true).values,
    inputs: () => [leaf([2, 3])],
  },
  {
    name: "view/reshape",
    op: "view",
    fn: (a) => a.reshape([3, 2]).mul(a.reshape([3, 2])),
    inputs: () => [leaf([2, 3])],
  },
  {
    name: "transpose",
    op: "transpose",
    fn: (a) => a.transpose(0, 1).mul(tensor([[1], [2], [3]], { dtype: "float64" })),
    inputs: () => [leaf([2, 3])],
  },
  {
    name: "permute",
    op: "permute",
    fn: (a) => a.permute(2, 0, 1).exp(),
    inputs: () => [leaf([2, 3, 2])],
  },
  { name: "expand", op: "expand", fn: (a) => a.expand(3, 2).exp(), inputs: () => [leaf([1, 2])] },
  {
    name: "narrow",
    op: "narrow",
    fn: (a) => a.narrow(1, 1, 2).exp(),
    inputs: () => [leaf([2, 4])],
  },
  { name: "select", op: "select", fn: (a) => a.select(0, 1).exp(), inputs: () => [leaf([3, 2])] },
  {
    name: "unbind",
    op: "select",
    fn: (a) => {
      const [w, b] = a.unbind();
      return w!.mul(b!).mul(a);
    },
    inputs: () => [leaf([2])],
    second: true,
  },
  {
    name: "unsqueeze",
    op: "unsqueeze",
    fn: (a) => a.unsqueeze(1).exp(),
    inputs: () => [leaf([3])],
  },
  { name: "squeeze", op: "squeeze", fn: (a) => a.squeeze().exp(), inputs: () => [leaf([3, 1])] },
  { name: "clone", op: "clone", fn: (a) => a.clone().mul(a), inputs: () => [leaf([3])] },
  {
    name: "contiguous of a view",
    op: "clone",
    fn: (a) => a.t().contiguous().exp(),
    inputs: () => [leaf([2, 3])],
  },
  {
    name: "to float32 and back",
    op: "to",
    fn: (a) => a.float().double().mul(a),
    inputs: () => [tensor([0.5, 0.25], { dtype: "float64", requiresGrad: true })],
    eps: 2 ** -10,
  },
  {
    name: "matmul 2-d",
    op: "matmul",
    fn: (a, b) => a.matmul(b),
    inputs: () => [leaf([2, 3]), leaf([3, 4])],
    second: true,
  },
  {
    name: "matmul 1-d · 1-d",
    op: "matmul",
    fn: (a, b) => a.matmul(b),
    inputs: () => [leaf([3]), leaf([3])],
  },
  {
    name: "matmul 1-d × 2-d",
    op: "matmul",
    fn: (a, b) => a.matmul(b),
    inputs: () => [leaf([3]), leaf([3, 2])],
  },
  {
    name: "matmul 2-d × 1-d",
    op: "matmul",
    fn: (a, b) => a.matmul(b),
    inputs: () => [leaf([2, 3]), leaf([3])],
  },
  {
    name: "matmul batched broadcast",
    op: "matmul",
    fn: (a, b) => matmul(a, b),
    inputs: () => [leaf([2, 1, 2, 3]), leaf([3, 3, 2])],
  },
  {
    name: "indexSelect with repeats",
    op: "indexSelect",
    fn: (a) => indexSelect(a, 0, [2, 0, 2]),
    inputs: () => [leaf([3, 2])],
    second: true,
  },
  {
    name: "gather",
    op: "gather",
    fn: (a) =>
      gather(
        a,
        1,
        tensor(
          [
            [0, 0],
            [1, 0],
          ],
          { dtype: "int32" },
        ),
      ),
    inputs: () => [leaf([2, 2])],
    second: true,
  },
  {
    name: "cat",
    op: "cat",
    fn: (a, b) => cat([a, b], 1).exp(),
    inputs: () => [leaf([2, 1]), leaf([2, 2])],
  },
  {
    name: "stack",
    op: "cat",
    fn: (a, b) => stack([a, b]).exp(),
    inputs: () => [leaf([2]), leaf([2])],
  },
  { name: "split", op: "narrow", fn: (a) => a.split(2)[1]!.exp(), inputs: () => [leaf([5])] },
  // math ops (issue 13)
  {
    name: "tan",
    op: "tan",
    fn: (x) => x.tan(),
    inputs: () => [values([-1.2, -0.3, 0.4, 1.1])],
    second: true,
  },
  {
    name: "asin",
    op: "asin",
    fn: (x) => x.asin(),
    inputs: () => [values([-0.9, -0.2, 0.3, 0.8])],
    second: true,
  },
  {
    name: "acos",
    op: "acos",
    fn: (x) => x.acos(),
    inputs: () => [values([-0.9, -0.2, 0.3, 0.8])],
    second: true,
  },
  { name: "atan", op: "atan", fn: (x) => x.atan(), inputs: () => [leaf([2, 3])], second: true },
  { name: "sinh", op: "sinh", fn: (x) => x.sinh(), inputs: () => [leaf([4])], second: true },
  { name: "cosh", op: "cosh", fn: (x) => x.cosh(), inputs: () => [leaf([4])], second: true },
  { name: "asinh", op: "asinh", fn: (x) => x.asinh(), inputs: () => [leaf([4])], second: true },
  {
    name: "acosh",
    op: "acosh",
    fn: (x) => x.acosh(),
    inputs: () => [values([1.2, 1.9, 3.5])],
    second: true,
  },
  {
    name: "atanh",
    op: "atanh",
    fn: (x) => x.atanh(),
    inputs: () => [values([-0.9, -0.2, 0.3, 0.8])],
    second: true,
  },
  {
    name: "log2",
    op: "log2",
    fn: (x) => x.log2(),
    inputs: () => [values([0.3, 1.5, 7])],
    second: true,
  },
  {
    name: "log10",
    op: "log10",
    fn: (x) => x.log10(),
    inputs: () => [values([0.3, 1.5, 7])],
    second: true,
  },
  {
    name: "log1p",
    op: "log1p",
    fn: (x) => x.log1p(),
    inputs: () => [values([-0.7, 0.2, 4])],
    second: true,
  },
  { name: "expm1", op: "expm1", fn: (x) => x.expm1(), inputs: () => [leaf([4])], second: true },
  { name: "exp2", op: "exp2", fn: (x) => x.exp2(), inputs: () => [leaf([4])], second: true },
  {
    name: "rsqrt",
    op: "rsqrt",
    fn: (x) => x.rsqrt(),
    inputs: () => [values([0.3, 1.5, 7])],
    second: true,
  },
  {
    name: "reciprocal",
    op: "reciprocal",
    fn: (x) => x.reciprocal(),
    inputs: () => [values([-2, -0.4, 0.5, 3])],
    second: true,
  },
  { name: "erf", op: "erf", fn: (x) => x.erf(), inputs: () => [leaf([2, 2])], second: true },
  { name: "erfc", op: "erfc", fn: (x) => x.erfc(), inputs: () => [leaf([2, 2])], second: true },
  {
    name: "tan of a non-contiguous view",
    op: "tan",
    fn: (x) => x.tan(),
    inputs: () => [transposedLeaf(2, 3).mul(0.3)],
  },
  {
    name: "frac (gradient 1, as in PyTorch)",
    op: "frac",
    fn: (x) => x.frac().mul(x),
    inputs: () => [values([-2.7, -0.4, 0.3, 1.6])],
    second: true,
  },
  {
    name: "atan2 broadcast",
    op: "atan2",
    fn: (a, b) => a.atan2(b),
    inputs: () => [leaf([2, 3]), leaf([3], 0.5)],
    second: true,
  },
  {
    name: "hypot broadcast",
    op: "hypot",
    fn: (a, b) => a.hypot(b),
    inputs: () => [leaf([2, 3], 0.5), leaf([3], 0.5)],
    second: true,
  },
  {
    name: "logaddexp broadcast",
    op: "logaddexp",
    fn: (a, b) => a.logaddexp(b),
    inputs: () => [leaf([2, 3]), leaf([3])],
    second: true,
  },
  {
    name: "copysign (b gets a zero gradient)",
    op: "copysign",
    fn: (a, b) => a.copysign(b).mul(b),
    inputs: () => [values([-1.5, 0.7, 2.2]), values([0.4, -0.9, -2])],
  },
  {
    name: "remainder (divisor's sign)",
    op: "remainder",
    fn: (a, b) => a.remainder(b),
    inputs: () => [values([5.3, -5.3, 2.2, -0.7]), values([2.1, 2.1, -1.3, -0.9])],
  },
  {
    name: "fmod (dividend's sign)",
    op: "fmod",
    fn: (a, b) => a.fmod(b),
    inputs: () => [values([5.3, -5.3, 2.2, -0.7]), values([2.1, 2.1, -1.3, -0.9])],
  },
  {
    name: "div with roundingMode (zero gradient, as in PyTorch)",
    op: "divMode",
    fn: (a, b) => a.div(b, { roundingMode: "floor" }).add(a.mul(b)),
    inputs: () => [values([5.3, -5.3, 2.2]), values([2.1, 2.1, -1.3])],
  },
  {
    name: "lerp with a number weight",
    op: "lerp",
    fn: (a, b) => a.lerp(b, 0.3),
    inputs: () => [leaf([2, 3]), leaf([3])],
    second: true,
  },
  {
    name: "lerp with a tensor weight",
    op: "lerpTensor",
    fn: (a, b, w) => a.lerp(b, w),
    inputs: () => [leaf([2, 3]), leaf([3]), leaf([2, 1])],
    second: true,
  },
  // shape ops (issue 13)
  {
    name: "flip two dims of a transpose",
    op: "flip",
    fn: (a) => a.flip(0, -1).mul(a),
    inputs: () => [transposedLeaf(2, 3)],
    second: true,
  },
  {
    name: "roll with dims",
    op: "roll",
    fn: (a) => a.roll([1, -2], [0, 1]).mul(a),
    inputs: () => [leaf([3, 4])],
    second: true,
  },
  {
    name: "roll flattened",
    op: "roll",
    fn: (a) => a.roll(5).exp(),
    inputs: () => [transposedLeaf(2, 3)],
  },
  {
    name: "repeat with a new leading dim",
    op: "repeat",
    fn: (a) => a.repeat(2, 1, 3).mul(a.repeat(2, 1, 3)),
    inputs: () => [leaf([2, 2])],
    second: true,
  },
  {
    name: "repeatInterleave with counts (an indexSelect)",
    op: "indexSelect",
    fn: (a) => a.repeatInterleave([2, 0, 1], 1).exp(),
    inputs: () => [leaf([2, 3])],
  },
  {
    name: "tril above the diagonal",
    op: "tril",
    fn: (a) => a.tril(1).mul(a),
    inputs: () => [leaf([3, 4])],
    second: true,
  },
  {
    name: "triu batched, below the diagonal",
    op: "triu",
    fn: (a) => a.triu(-1).mul(a),
    inputs: () => [leaf([2, 3, 3])],
    second: true,
  },
  {
    name: "diag of a vector",
    op: "diag",
    fn: (a) => a.diag(-1).mul(a.diag(-1)),
    inputs: () => [leaf([3])],
    second: true,
  },
  {
    name: "diag of a matrix",
    op: "diag",
    fn: (a) => a.diag(1).exp(),
    inputs: () => [transposedLeaf(4, 3)],
    second: true,
  },
  {
    name: "diagonal of 3-d, negative dims",
    op: "diagonal",
    fn: (a) => a.diagonal(1, -1, 0).exp(),
    inputs: () => [leaf([3, 2, 4])],
    second: true,
  },
  {
    name: "diagonalBackward (diagonal's gradient, for second derivatives)",
    op: "diagonalBackward",
    fn: (g) => diagonalBackward(g, [3, 4], { offset: -1, dim1: 0, dim2: 1 }).exp(),
    inputs: () => [leaf([2])],
    second: true,
  },
  {
    name: "unfold with overlapping windows",
    op: "unfold",
    fn: (a) => a.unfold(1, 3, 1).exp(),
    inputs: () => [leaf([2, 5])],
    second: true,
  },
  {
    name: "unfoldBackward (unfold's gradient, for second derivatives)",
    op: "unfoldBackward",
    fn: (g) => unfoldBackward(g, [5], { dim: 0, size: 2, step: 1 }).exp(),
    inputs: () => [leaf([4, 2])],
    second: true,
  },
  {
    name: "unflatten, movedim, swapaxes (views recorded as view, permute, transpose)",
    op: "permute",
    fn: (a) => a.unflatten(1, [2, 2]).movedim(0, -1).swapaxes(0, 1).exp(),
    inputs: () => [leaf([3, 4])],
    second: true,
  },
  {
    name: "meshgrid xy",
    op: "expand",
    fn: (x, y) => {
      const [gx, gy] = meshgrid([x, y], { indexing: "xy" });
      return gx!.mul(gy!);
    },
    inputs: () => [leaf([3]), leaf([2])],
    second: true,
  },
  // indexing with items (more cases in indexing-gradcheck.test.ts)
  { name: "index '::2'", op: "slice", fn: (a) => a.index("::2").exp(), inputs: () => [leaf([5])] },
  {
    name: "index [2, 0, 2]",
    op: "index",
    fn: (a) => a.index([2, 0, 2]).exp(),
    inputs: () => [leaf([3])],
    second: true,
  },
  {
    name: "indexPut",
    op: "indexPut",
    fn: (a, b) => a.indexPut([[1, 1]], b!, { accumulate: true }).exp(),
    inputs: () => [leaf([3]), leaf([2])],
    second: true,
  },
];

describe("gradcheck sweep over the backward rule table (float64, finite differences)", () => {
  it.each(cases)("$name", ({ fn, inputs, eps }) => {
    expect(gradcheck(fn, inputs(), eps === undefined ? {} : { eps })).toBe(true);
  });

  it.each(cases.filter((c) => c.second))("second derivatives: $name", ({ fn, inputs }) => {
    expect(gradgradcheck(fn, inputs())).toBe(true);
  });

  it("covers every differentiable rule in the table", () => {
    const differentiable = Object.entries(rules)
      .filter(([, rule]) => rule !== "not-differentiable")
      .map(([op]) => op);
    const covered = new Set([...cases.map((c) => c.op), "indexAddInto", "scatterAddInto", "copy"]);
    // masks and scatter: gradchecked in masks-scatter-gradcheck.test.ts
    for (const op of MASK_SCATTER_OPS) covered.add(op);
    for (const op of CONV_OPS) covered.add(op);
    for (const op of SORTING_OPS) covered.add(op);
    for (const op of SCAN_OPS) covered.add(op);
    for (const op of SOFTMAX_OPS) covered.add(op);
    for (const op of ACTIVATION_OPS) covered.add(op);
    expect(differentiable.filter((op) => !covered.has(op))).toEqual([]);
  });

  it("indexAddInto, scatterAddInto and copy_ (the rules behind backward of indexing and in-place copies)", () => {
    // indexAddInto and scatterAddInto are exercised as the second derivative of indexSelect and gather above;
    // copy_ is recorded when a tracked tensor is overwritten in place.
    const run = (x: Tensor, y: Tensor) => {
      const target = x.mul(1);
      target.copy_(y);
      return target.mul(x);
    };
    expect(gradcheck(run, [leaf([3]), leaf([3])])).toBe(true);
  });

  it("fails with a Jacobian mismatch for a wrong rule", async () => {
    const { Function: AutogradFunction } = await import("../src/index");
    class WrongSquare extends AutogradFunction {
      static override forward(ctx: { saveForBackward(...t: Tensor[]): void }, x: Tensor) {
        ctx.saveForBackward(x);
        return x.mul(x);
      }
      static override backward(ctx: { savedTensors: Tensor[] }, g: Tensor) {
        return g.mul(ctx.savedTensors[0]!); // should be 2x
      }
    }
    expect(() => gradcheck((x) => WrongSquare.apply(x), [leaf([2], 1)])).toThrowError(
      /gradcheck: Jacobian mismatch for output 0 with respect to input 0/,
    );
  });
});
