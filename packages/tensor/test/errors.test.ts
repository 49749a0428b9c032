/**
 * Bad input: every rejected input throws a TensorError with a stable `code` and a message that
 * names the op, the argument and the values. Codes AND full messages are pinned here; the last
 * block feeds random garbage to the public entry points and accepts nothing but TensorErrors.
 */
import * as x from "@x/tensor";
import {
  arange,
  cat,
  eye,
  full,
  Generator,
  linspace,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  randperm,
  stack,
  TensorError,
  type TensorErrorCode,
  tensor,
  where,
  zeros,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Call, exported, method, onlyTensorErrors, thrownBy } from "./garbage.ts";

type Case = [title: string, fn: () => unknown, code: TensorErrorCode, message: string];

/** Runs a table of cases: each must throw a TensorError with exactly this code and message. */
function pinned(cases: Case[]) {
  it.each(cases)("%s", (_, fn, code, message) => {
    const error = thrownBy(fn);
    expect(error).toBeInstanceOf(TensorError);
    expect(TensorError.isInstance(error)).toBe(true);
    const e = error as TensorError;
    expect({ code: e.code, message: e.message }).toEqual({ code, message });
    expect(e.name).toBe("TensorError");
    expect(e.message.startsWith(`${e.op}: `)).toBe(true);
  });
}

const int = (data: number[] | number[][]) => tensor(data, { dtype: "int32" });
const m23 = () => zeros([2, 3]);

describe("TensorError", () => {
  it("carries code, op and a prefixed message, and is an Error", () => {
    const e = new TensorError("INVALID_DIM", "sum", "dim 3 is out of range");
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe("INVALID_DIM");
    expect(e.op).toBe("sum");
    expect(e.message).toBe("sum: dim 3 is out of range");
    expect(e.name).toBe("TensorError");
    expect(typeof e.stack).toBe("string");
  });

  it("isInstance recognises TensorErrors (also from another copy of the package) and nothing else", () => {
    expect(TensorError.isInstance(new TensorError("INVALID_SHAPE", "zeros", "bad"))).toBe(true);
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("@x/tensor/TensorError")]: true,
    });
    expect(TensorError.isInstance(foreign)).toBe(true);
    for (const other of [new Error("x"), new TypeError("x"), null, undefined, "TensorError", 3, {}])
      expect(TensorError.isInstance(other)).toBe(false);
    expect(TensorError.isInstance({ code: "INVALID_DIM", name: "TensorError" })).toBe(false);
  });

  it("is thrown by ops and passes instanceof", () => {
    expect(() => zeros([2]).add(zeros([3]))).toThrowError(TensorError);
  });
});

describe("broadcasting", () => {
  pinned([
    [
      "add [2, 3] + [2, 4]",
      () =>
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]).add(zeros([2, 4])),
      "SHAPE_MISMATCH",
      "add: the size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1 (shapes [2, 3] and [2, 4])",
    ],
    [
      "mul with a leading-dim mismatch",
      () => zeros([4, 1, 3]).mul(zeros([2, 5, 3])),
      "SHAPE_MISMATCH",
      "mul: the size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 0 (shapes [4, 1, 3] and [2, 5, 3])",
    ],
    [
      "function form sub with different ranks",
      () => x.sub(zeros([3]), zeros([2, 4])),
      "SHAPE_MISMATCH",
      "sub: the size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1 (shapes [3] and [2, 4])",
    ],
    [
      "comparison",
      () => zeros([2]).lt(zeros([3])),
      "SHAPE_MISMATCH",
      "lt: the size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0 (shapes [2] and [3])",
    ],
    [
      "size 0 against size 2",
      () => zeros([0]).add(zeros([2])),
      "SHAPE_MISMATCH",
      "add: the size of tensor a (0) must match the size of tensor b (2) at non-singleton dimension 0 (shapes [0] and [2])",
    ],
    [
      "where",
      () => where(zeros([2]).gt(0), zeros([3]), 1),
      "SHAPE_MISMATCH",
      "where: the size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0 (shapes [2] and [3])",
    ],
    [
      "expand to a non-singleton mismatch",
      () => m23().expand(2, 4),
      "SHAPE_MISMATCH",
      "expand: the expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1. Target sizes: [2, 4]. Tensor sizes: [2, 3]. Hint: only size-1 dims can be expanded.",
    ],
    [
      "expand to fewer dims",
      () => m23().expand(3),
      "INVALID_SHAPE",
      "expand: the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2) (shape [2, 3]). Hint: expand can only add leading dims.",
    ],
    [
      "expand with -1 on a new dim",
      () => zeros([2]).expand(-1, 2),
      "INVALID_SHAPE",
      "expand: invalid size -1 at dim 0 in [-1, 2]. Hint: sizes are whole numbers >= 0, or -1 to keep a size.",
    ],
  ]);
});

const outOfRange2 = (op: string, dim: number, argument = "dim") =>
  `${op}: ${argument} ${dim} is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1]). Hint: dims count from 0; negative dims count from the end.`;

describe("invalid dims", () => {
  pinned([
    ["sum, positive", () => m23().sum(2), "INVALID_DIM", outOfRange2("sum", 2)],
    ["sum, negative", () => m23().sum(-3), "INVALID_DIM", outOfRange2("sum", -3)],
    ["mean, in a list", () => m23().mean([0, 5]), "INVALID_DIM", outOfRange2("mean", 5)],
    [
      "sum, non-integer",
      () => m23().sum(0.5),
      "INVALID_DIM",
      "sum: dim must be a whole number, but got 0.5. Hint: dims count from 0; negative dims count from the end.",
    ],
    [
      "sum, repeated dim",
      () => m23().sum([0, 0]),
      "INVALID_DIM",
      "sum: dim [0, 0] names a dimension twice. Hint: list each dim once.",
    ],
    [
      "var, the same dim spelled twice",
      () => m23().var([1, -1]),
      "INVALID_DIM",
      "var: dim [1, -1] names a dimension twice. Hint: list each dim once.",
    ],
    [
      "permute, repeated dim",
      () => m23().permute(0, 0),
      "INVALID_DIM",
      "permute: repeated dim in [0, 0]. Hint: list each dim exactly once.",
    ],
    [
      "permute, repeated dim via a negative index",
      () => m23().permute(1, -1),
      "INVALID_DIM",
      "permute: repeated dim in [1, -1]. Hint: list each dim exactly once.",
    ],
    [
      "permute, too few dims",
      () => m23().permute(0),
      "INVALID_DIM",
      "permute: number of dims don't match: the input has 2 dims (shape [2, 3]) but 1 were given ([0]). Hint: name every dim exactly once.",
    ],
    ["permute, out of range", () => m23().permute(0, 2), "INVALID_DIM", outOfRange2("permute", 2)],
    [
      "transpose dim1",
      () => m23().transpose(0, 2),
      "INVALID_DIM",
      outOfRange2("transpose", 2, "dim1"),
    ],
    [
      "transpose dim0, negative",
      () => m23().transpose(-3, 0),
      "INVALID_DIM",
      outOfRange2("transpose", -3, "dim0"),
    ],
    [
      "unsqueeze allows ndim + 1 positions only",
      () => zeros([2]).unsqueeze(2),
      "INVALID_DIM",
      outOfRange2("unsqueeze", 2),
    ],
    ["squeeze", () => m23().squeeze(2), "INVALID_DIM", outOfRange2("squeeze", 2)],
    ["select", () => m23().select(2, 0), "INVALID_DIM", outOfRange2("select", 2)],
    ["narrow", () => m23().narrow(-3, 0, 1), "INVALID_DIM", outOfRange2("narrow", -3)],
    ["unbind", () => m23().unbind(2), "INVALID_DIM", outOfRange2("unbind", 2)],
    ["split", () => m23().split(1, 2), "INVALID_DIM", outOfRange2("split", 2)],
    ["chunk", () => m23().chunk(1, -3), "INVALID_DIM", outOfRange2("chunk", -3)],
    ["indexSelect", () => m23().indexSelect(2, [0]), "INVALID_DIM", outOfRange2("indexSelect", 2)],
    ["gather", () => m23().gather(2, int([[0]])), "INVALID_DIM", outOfRange2("gather", 2)],
    ["cat", () => cat([m23(), m23()], 2), "INVALID_DIM", outOfRange2("cat", 2)],
    ["argmax", () => m23().argmax(2), "INVALID_DIM", outOfRange2("argmax", 2)],
    ["max(dim)", () => m23().max(-3), "INVALID_DIM", outOfRange2("max", -3)],
    [
      "flatten startDim",
      () => m23().flatten(2),
      "INVALID_DIM",
      outOfRange2("flatten", 2, "startDim"),
    ],
    [
      "flatten startDim after endDim",
      () => m23().flatten(1, 0),
      "INVALID_DIM",
      "flatten: startDim 1 must come before endDim 0 (shape [2, 3]). Hint: e.g. flatten(1) or flatten(0, -1).",
    ],
    ["size(dim)", () => m23().size(2), "INVALID_DIM", outOfRange2("size", 2)],
    [
      "a 0-d tensor accepts dims -1 and 0 only",
      () => tensor(1).sum(1),
      "INVALID_DIM",
      "sum: dim 1 is out of range for a tensor with 0 dimensions (expected to be in range of [-1, 0]). Hint: dims count from 0; negative dims count from the end.",
    ],
    [
      "t() on 3 dims",
      () => zeros([2, 3, 4]).t(),
      "INVALID_DIM",
      "t: expects a tensor with <= 2 dimensions, but got 3D (shape [2, 3, 4]). Hint: use transpose(dim0, dim1).",
    ],
    [
      "select on a 0-d tensor",
      () => tensor(1).select(0, 0),
      "INVALID_DIM",
      "select: cannot be applied to a 0-dim tensor.",
    ],
    [
      "narrow on a 0-d tensor",
      () => tensor(1).narrow(0, 0, 1),
      "INVALID_DIM",
      "narrow: cannot be applied to a 0-dim tensor.",
    ],
    [
      "unbind on a 0-d tensor",
      () => tensor(1).unbind(),
      "INVALID_DIM",
      "unbind: cannot be applied to a 0-dim tensor.",
    ],
    [
      "iterating a 0-d tensor",
      () => [...tensor(1)],
      "INVALID_DIM",
      "iterate: iteration over a 0-d tensor. Hint: use item().",
    ],
  ]);
});

describe("reshape and view", () => {
  pinned([
    [
      "reshape to a size with a different element count",
      () => m23().reshape([4]),
      "INVALID_SHAPE",
      "reshape: shape '[4]' is invalid for input of size 6 (shape [2, 3]). Hint: the sizes must multiply to 6.",
    ],
    [
      "view to a larger size",
      () => m23().view([2, 4]),
      "INVALID_SHAPE",
      "view: shape '[2, 4]' is invalid for input of size 6 (shape [2, 3]). Hint: the sizes must multiply to 6.",
    ],
    [
      "view with a -1 that cannot divide",
      () => m23().view([5, -1]),
      "INVALID_SHAPE",
      "view: shape '[5, -1]' is invalid for input of size 6 (shape [2, 3]). Hint: the other sizes must divide 6.",
    ],
    [
      "reshape of an empty tensor with -1 and a 0",
      () => zeros([0, 3]).reshape([0, -1]),
      "INVALID_SHAPE",
      "reshape: shape '[0, -1]' is invalid for input of size 0 (shape [0, 3]). Hint: the other sizes must divide 0.",
    ],
    [
      "two -1s",
      () => m23().reshape([-1, -1]),
      "INVALID_SHAPE",
      "reshape: invalid shape [-1, -1]: size -1 at dim 1. Hint: sizes are whole numbers >= 0, with at most one -1.",
    ],
    [
      "a negative size other than -1",
      () => m23().view([-2, -3]),
      "INVALID_SHAPE",
      "view: invalid shape [-2, -3]: size -2 at dim 0. Hint: sizes are whole numbers >= 0, with at most one -1.",
    ],
    [
      "a fractional size",
      () => m23().reshape([1.5, 4]),
      "INVALID_SHAPE",
      "reshape: invalid shape [1.5, 4]: size 1.5 at dim 0. Hint: sizes are whole numbers >= 0, with at most one -1.",
    ],
    [
      "a NaN size",
      () => m23().reshape([Number.NaN]),
      "INVALID_SHAPE",
      "reshape: invalid shape [NaN]: size NaN at dim 0. Hint: sizes are whole numbers >= 0, with at most one -1.",
    ],
    [
      "view of a transpose (not a view)",
      () => m23().t().view([6]),
      "NOT_A_VIEW",
      "view: view size is not compatible with input tensor's size and stride (shape [3, 2], strides [1, 3]). Hint: use reshape(...) instead, or call contiguous() first.",
    ],
    [
      "view of a narrowed column (not a view)",
      () => zeros([3, 4]).narrow(1, 1, 2).view([6]),
      "NOT_A_VIEW",
      "view: view size is not compatible with input tensor's size and stride (shape [3, 2], strides [4, 1]). Hint: use reshape(...) instead, or call contiguous() first.",
    ],
    [
      "view of an expanded tensor (not a view)",
      () => zeros([3]).expand(2, 3).view([6]),
      "NOT_A_VIEW",
      "view: view size is not compatible with input tensor's size and stride (shape [2, 3], strides [0, 1]). Hint: use reshape(...) instead, or call contiguous() first.",
    ],
  ]);
});

describe("building tensors from data", () => {
  pinned([
    [
      "ragged rows",
      () => tensor([[1, 2], [3]]),
      "RAGGED_ARRAY",
      "tensor: expected sequence of length 2 at dim 1 (got 1 at index [1]). Hint: nested arrays must be rectangular.",
    ],
    [
      "ragged deeper down",
      () =>
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
          [[5, 6], [7]],
        ]),
      "RAGGED_ARRAY",
      "tensor: expected sequence of length 2 at dim 2 (got 1 at index [1, 1]). Hint: nested arrays must be rectangular.",
    ],
    [
      "a number where a row should be",
      () => tensor([[1, 2], 3] as never),
      "RAGGED_ARRAY",
      "tensor: expected sequence of length 2 at dim 1 (got 3 at index [1]). Hint: nested arrays must be rectangular.",
    ],
    [
      "a row where a number should be",
      () => tensor([1, [2]] as never),
      "RAGGED_ARRAY",
      "tensor: expected a number at index [1] but found a nested array (shape so far [2]). Hint: every row must have the same length.",
    ],
    [
      "an empty row after a full one",
      () => tensor([[1], []]),
      "RAGGED_ARRAY",
      "tensor: expected sequence of length 1 at dim 1 (got 0 at index [1]). Hint: nested arrays must be rectangular.",
    ],
    [
      "a string inside numbers",
      () => tensor([1, "a"] as never),
      "INVALID_ARGUMENT",
      'tensor: could not convert "a" at index [1] to a number. Hint: pass numbers, booleans or nested arrays of them.',
    ],
    [
      "null inside nested numbers",
      () => tensor([[1], [null]] as never),
      "INVALID_ARGUMENT",
      "tensor: could not convert null at index [1, 0] to a number. Hint: pass numbers, booleans or nested arrays of them.",
    ],
    [
      "string data",
      () => tensor("abc" as never),
      "INVALID_ARGUMENT",
      'tensor: could not convert "abc" to a number. Hint: pass numbers, booleans or nested arrays of them.',
    ],
    [
      "undefined data",
      () => tensor(undefined as never),
      "INVALID_ARGUMENT",
      "tensor: could not convert undefined to a number. Hint: pass numbers, booleans or nested arrays of them.",
    ],
    [
      "an object in an array",
      () => tensor([{}] as never),
      "INVALID_ARGUMENT",
      "tensor: could not convert an object at index [0] to a number. Hint: pass numbers, booleans or nested arrays of them.",
    ],
  ]);
});

const badSize = (op: string, shape: string, size: string) =>
  `${op}: shape ${shape} has an invalid size ${size}. Hint: sizes must be whole numbers >= 0.`;

describe("invalid shapes", () => {
  pinned([
    ["negative size", () => zeros([2, -1]), "INVALID_SHAPE", badSize("zeros", "[2, -1]", "-1")],
    ["fractional size", () => zeros([1.5]), "INVALID_SHAPE", badSize("zeros", "[1.5]", "1.5")],
    ["NaN size", () => ones([Number.NaN]), "INVALID_SHAPE", badSize("ones", "[NaN]", "NaN")],
    [
      "Infinity size",
      () => full([Number.POSITIVE_INFINITY], 1),
      "INVALID_SHAPE",
      badSize("full", "[Infinity]", "Infinity"),
    ],
    ["rand", () => rand([3, -2]), "INVALID_SHAPE", badSize("rand", "[3, -2]", "-2")],
    ["randn", () => randn([0.5]), "INVALID_SHAPE", badSize("randn", "[0.5]", "0.5")],
    [
      "randint",
      () => randint(0, 2, [Number.NaN]),
      "INVALID_SHAPE",
      badSize("randint", "[NaN]", "NaN"),
    ],
    [
      "eye with a negative size",
      () => eye(2, -1),
      "INVALID_SHAPE",
      "eye: size [2, -1] has an invalid size -1. Hint: sizes must be whole numbers >= 0.",
    ],
    [
      "a shape that is neither sizes nor an array",
      () => zeros("3" as never),
      "INVALID_SHAPE",
      'zeros: expected the sizes as numbers or one array, but got ("3"). Hint: zeros(2, 3) or zeros([2, 3]); zeros([]) is 0-d.',
    ],
    [
      "a missing shape",
      () => rand(undefined as never),
      "INVALID_SHAPE",
      "rand: expected the sizes as numbers or one array, but got (undefined). Hint: rand(2, 3) or rand([2, 3]); rand([]) is 0-d.",
    ],
  ]);
});

describe("indices", () => {
  pinned([
    [
      "float index tensor to indexSelect",
      () => zeros([3]).indexSelect(0, tensor([0, 1])),
      "INVALID_DTYPE",
      "indexSelect: index must be an int32 tensor, but got float32 (shape [2]). Hint: convert with index.int(), or pass a plain array of integers.",
    ],
    [
      "float index tensor to gather",
      () => zeros([3]).gather(0, tensor([0])),
      "INVALID_DTYPE",
      "gather: index must be an int32 tensor, but got float32 (shape [1]). Hint: convert with index.int(), or pass a plain array of integers.",
    ],
    [
      "bool index tensor",
      () => zeros([3]).indexSelect(0, tensor([true])),
      "INVALID_DTYPE",
      "indexSelect: index must be an int32 tensor, but got bool (shape [1]). Hint: convert with index.int(), or pass a plain array of integers.",
    ],
    [
      "fractional entries in a plain index array",
      () => zeros([3]).indexSelect(0, [1.5]),
      "INVALID_DTYPE",
      "indexSelect: index must be an int32 tensor or an array of integers, but got [1.5]. Hint: e.g. [0, 2] or tensor([0, 2], { dtype: 'int32' }).",
    ],
    [
      "indexSelect, index too large",
      () => zeros([3]).indexSelect(0, [0, 3]),
      "INDEX_OUT_OF_RANGE",
      "indexSelect: index 3 is out of bounds for dimension 0 with size 3. Hint: indices run from -3 to 2.",
    ],
    [
      "indexSelect, index too negative",
      () => zeros([3]).indexSelect(0, int([-4])),
      "INDEX_OUT_OF_RANGE",
      "indexSelect: index -4 is out of bounds for dimension 0 with size 3. Hint: indices run from -3 to 2.",
    ],
    [
      "indexSelect, 2-d index",
      () => zeros([2, 2]).indexSelect(0, int([[0]])),
      "INVALID_SHAPE",
      "indexSelect: index must be 0-d or 1-d, but has shape [1, 1].",
    ],
    [
      "gather, index too large",
      () =>
        zeros([2, 2]).gather(
          1,
          int([
            [0, 2],
            [1, 0],
          ]),
        ),
      "INDEX_OUT_OF_RANGE",
      "gather: index 2 is out of bounds for dimension 1 with size 2. Hint: indices run from -2 to 1.",
    ],
    [
      "gather, index of another rank",
      () => zeros([2, 2]).gather(1, int([0, 1])),
      "SHAPE_MISMATCH",
      "gather: index [2] must have the same number of dims as the input [2, 2] and no larger size outside dim 1.",
    ],
    [
      "select, index too large",
      () => zeros([3]).select(0, 3),
      "INDEX_OUT_OF_RANGE",
      "select: index 3 is out of bounds for dimension 0 with size 3 (shape [3]). Hint: indices run from -3 to 2.",
    ],
    [
      "select, index too negative",
      () => zeros([3]).select(0, -4),
      "INDEX_OUT_OF_RANGE",
      "select: index -4 is out of bounds for dimension 0 with size 3 (shape [3]). Hint: indices run from -3 to 2.",
    ],
    [
      "narrow past the end",
      () => zeros([3]).narrow(0, 2, 2),
      "INDEX_OUT_OF_RANGE",
      "narrow: start (2) + length (2) exceeds dimension size (3) at dim 0 (shape [3]). Hint: keep start + length <= 3.",
    ],
    [
      "narrow before the start",
      () => zeros([3]).narrow(0, -4, 1),
      "INDEX_OUT_OF_RANGE",
      "narrow: start out of range (expected to be in range of [-3, 3], but got -4) at dim 0 (shape [3]). Hint: a negative start counts from the end, as in PyTorch.",
    ],
  ]);
});

describe("linear algebra", () => {
  pinned([
    [
      "matmul, inner sizes differ",
      () => m23().matmul(zeros([4, 2])),
      "SHAPE_MISMATCH",
      "matmul: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2) (shapes [2, 3] and [4, 2]). Hint: the last dim of a must equal the second-to-last dim of b.",
    ],
    [
      "matmul, vectors of different lengths",
      () => zeros([3]).matmul(zeros([4])),
      "SHAPE_MISMATCH",
      "matmul: mat1 and mat2 shapes cannot be multiplied (1x3 and 4x1) (shapes [3] and [4]). Hint: the last dim of a must equal the second-to-last dim of b.",
    ],
    [
      "matmul, batch dims do not broadcast",
      () => zeros([2, 2, 3]).matmul(zeros([3, 3, 2])),
      "SHAPE_MISMATCH",
      "matmul: the size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0 (shapes [2] and [3])",
    ],
    [
      "matmul of a 0-d tensor",
      () => tensor(1).matmul(zeros([2])),
      "INVALID_SHAPE",
      "matmul: both arguments need at least 1 dimension, but 'a' is 0-d. Hint: use mul() for a scalar product.",
    ],
    [
      "mm of a vector",
      () => zeros([3]).mm(zeros([3, 1])),
      "INVALID_SHAPE",
      "mm: expects 2-d tensors, got shapes [3] and [3, 1]. Hint: use matmul() for 1-d or batched inputs.",
    ],
    [
      "mm, inner sizes differ",
      () => m23().mm(m23()),
      "SHAPE_MISMATCH",
      "matmul: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3) (shapes [2, 3] and [2, 3]). Hint: the last dim of a must equal the second-to-last dim of b.",
    ],
    [
      "dot of different lengths",
      () => zeros([3]).dot(zeros([4])),
      "SHAPE_MISMATCH",
      "dot: expects two 1-d tensors of the same length, got shapes [3] and [4].",
    ],
    [
      "matmul with a number",
      () => zeros([2]).matmul(5 as never),
      "INVALID_ARGUMENT",
      "matmul: argument 'b' must be a Tensor, but got number.",
    ],
  ]);
});

describe("joining and splitting", () => {
  pinned([
    [
      "cat, sizes differ outside dim",
      () => cat([m23(), zeros([3, 2])], 0),
      "SHAPE_MISMATCH",
      "cat: sizes of tensors must match except in dimension 0: expected [2, 3] but got [3, 2] for tensor number 1 in the list. Hint: only the sizes along dim 0 may differ.",
    ],
    [
      "cat, different ranks",
      () => cat([m23(), zeros([2, 3, 1])]),
      "SHAPE_MISMATCH",
      "cat: sizes of tensors must match except in dimension 0: expected [2, 3] but got [2, 3, 1] for tensor number 1 in the list. Hint: only the sizes along dim 0 may differ.",
    ],
    [
      "cat of 0-d tensors",
      () => cat([tensor(1), tensor(2)]),
      "INVALID_SHAPE",
      "cat: zero-dimensional tensor cannot be concatenated. Hint: use stack(), or unsqueeze(0) first.",
    ],
    [
      "cat of nothing",
      () => cat([]),
      "INVALID_ARGUMENT",
      "cat: expected a non-empty list of Tensors. Hint: pass an array such as [a, b].",
    ],
    [
      "cat with a non-tensor entry",
      () => cat([zeros([2]), [1, 2]] as never),
      "INVALID_ARGUMENT",
      "cat: expected a Tensor at position 1, but got object.",
    ],
    [
      "stack, shapes differ",
      () => stack([zeros([2]), zeros([3])]),
      "SHAPE_MISMATCH",
      "stack: expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1. Hint: reshape or pad the tensors to one shape first.",
    ],
    [
      "stack of nothing",
      () => stack([]),
      "INVALID_ARGUMENT",
      "stack: expected a non-empty list of Tensors. Hint: pass an array such as [a, b].",
    ],
    [
      "split sizes that do not sum to the dim",
      () => zeros([5]).split([2, 2]),
      "INVALID_ARGUMENT",
      "split: split sizes [2, 2] must be non-negative integers summing exactly to 5 (the size of dim 0 of shape [5]). Hint: adjust the sizes so they add up to 5.",
    ],
    [
      "split sizes with a negative entry",
      () => zeros([3]).split([1, -1, 3]),
      "INVALID_ARGUMENT",
      "split: split sizes [1, -1, 3] must be non-negative integers summing exactly to 3 (the size of dim 0 of shape [3]). Hint: adjust the sizes so they add up to 3.",
    ],
    [
      "split size 0",
      () => zeros([3]).split(0),
      "INVALID_ARGUMENT",
      "split: splitSize must be a positive integer, but got 0. Hint: pass a piece size, or an array of sizes that add up to 3.",
    ],
    [
      "chunk(0)",
      () => zeros([5]).chunk(0),
      "INVALID_ARGUMENT",
      "chunk: chunks must be a positive integer, but got 0. Hint: e.g. chunk(2).",
    ],
    [
      "chunk(1.5)",
      () => zeros([5]).chunk(1.5),
      "INVALID_ARGUMENT",
      "chunk: chunks must be a positive integer, but got 1.5. Hint: e.g. chunk(2).",
    ],
  ]);
});

describe("values, dtypes and gradients", () => {
  pinned([
    [
      "item() of a multi-element tensor",
      () => zeros([2]).item(),
      "INVALID_ARGUMENT",
      "item: a Tensor with 2 elements cannot be converted to a scalar (shape [2]). Hint: reduce first (sum(), mean()) or use toArray().",
    ],
    [
      "item() of an empty tensor",
      () => zeros([0]).item(),
      "INVALID_ARGUMENT",
      "item: a Tensor with 0 elements cannot be converted to a scalar (shape [0]). Hint: reduce first (sum(), mean()) or use toArray().",
    ],
    [
      "requiresGrad on an int tensor at creation",
      () => zeros([2], { dtype: "int32", requiresGrad: true }),
      "INVALID_DTYPE",
      "zeros: only tensors of floating point dtype can require gradients, but dtype is int32. Hint: use dtype 'float32' or 'float64' with requiresGrad.",
    ],
    [
      "requiresGrad on a bool tensor from data",
      () => tensor([true], { requiresGrad: true }),
      "INVALID_DTYPE",
      "tensor: only tensors of floating point dtype can require gradients, but dtype is bool. Hint: use dtype 'float32' or 'float64' with requiresGrad.",
    ],
    [
      "requiresGrad_() on an int tensor",
      () => int([1, 2]).requiresGrad_(),
      "INVALID_DTYPE",
      "requiresGrad_: only tensors of floating point dtype can require gradients, but this tensor is int32 (shape [2]). Hint: convert with .float() first.",
    ],
    [
      "registerHook without requiresGrad",
      () => zeros([2]).registerHook((g) => g),
      "INVALID_ARGUMENT",
      "registerHook: cannot register a hook on a tensor that doesn't require gradient. Hint: call requiresGrad_() first.",
    ],
    [
      "unknown dtype at creation",
      () => zeros([2], { dtype: "float16" as never }),
      "INVALID_DTYPE",
      'zeros: unknown dtype "float16". Hint: use one of float32, float64, int32, bool.',
    ],
    [
      "unknown dtype in tensor()",
      () => tensor([1], { dtype: "int64" as never }),
      "INVALID_DTYPE",
      'tensor: unknown dtype "int64". Hint: use one of float32, float64, int32, bool.',
    ],
    [
      "unknown dtype in to()",
      () => zeros([2]).to("Float" as never),
      "INVALID_DTYPE",
      'to: unknown dtype "Float". Hint: use one of float32, float64, int32, bool.',
    ],
    [
      "rand with an int dtype",
      () => rand([2], { dtype: "int32" }),
      "INVALID_DTYPE",
      "rand: expects a floating dtype, but got int32. Hint: use dtype 'float32' or 'float64'.",
    ],
    [
      "subtracting bools",
      () => tensor([true]).sub(tensor([true])),
      "INVALID_DTYPE",
      "sub: subtraction with a bool tensor is not supported (operand dtypes bool and bool). Hint: to invert a mask use logicalNot(); otherwise convert with .int() or .float() first.",
    ],
    [
      "negating bools",
      () => tensor([true]).neg(),
      "INVALID_DTYPE",
      "neg: negation of a bool tensor is not supported. Hint: use x.logicalNot() for a logical not.",
    ],
    [
      "mean of ints",
      () => int([1, 2]).mean(),
      "INVALID_DTYPE",
      "mean: could not infer output dtype. Input dtype must be a floating point dtype, but got int32. Hint: convert with .float() first.",
    ],
    [
      "max of an empty tensor",
      () => zeros([2, 0]).max(1),
      "INVALID_ARGUMENT",
      "max: expected reduction dim to have non-zero size, but the input has shape [2, 0]. Hint: max of an empty tensor has no value; check the input is not empty.",
    ],
    [
      "where with a float condition",
      () => where(zeros([2]), 1, 2),
      "INVALID_DTYPE",
      "where: condition must be a bool tensor, but got float32. Hint: build it with a comparison such as x.gt(0).",
    ],
    [
      "clamp with both bounds missing",
      () => zeros([2]).clamp(),
      "INVALID_ARGUMENT",
      "clamp: at least one of 'min' or 'max' must not be None. Hint: pass clamp(min) or clamp(null, max).",
    ],
    [
      "clamp with null and undefined",
      () => x.clamp(zeros([2]), null, undefined),
      "INVALID_ARGUMENT",
      "clamp: at least one of 'min' or 'max' must not be None. Hint: pass clamp(min) or clamp(null, max).",
    ],
    [
      "clamp_ with both bounds missing",
      () => zeros([2]).clamp_(null),
      "INVALID_ARGUMENT",
      "clamp: at least one of 'min' or 'max' must not be None. Hint: pass clamp(min) or clamp(null, max).",
    ],
    [
      "a string operand",
      () => zeros([2]).add("1" as never),
      "INVALID_ARGUMENT",
      "add: argument 'b' must be a Tensor or a number, but got \"1\". Hint: wrap arrays with tensor(...).",
    ],
    [
      "an array operand",
      () => zeros([2]).mul([1, 2] as never),
      "INVALID_ARGUMENT",
      "mul: argument 'b' must be a Tensor or a number, but got [1, 2]. Hint: wrap arrays with tensor(...).",
    ],
  ]);
});

describe("in-place ops", () => {
  const stride0 = (op: string, shape: string, strides: string) =>
    `${op}: unsupported operation: more than one element of the written-to tensor refers to a single memory location (shape ${shape}, strides ${strides}). Hint: call clone() before the in-place op.`;
  pinned([
    [
      "add_ that would broadcast the target",
      () => zeros([2]).add_(zeros([3, 2])),
      "SHAPE_MISMATCH",
      "add_: output with shape [2] doesn't match the broadcast shape [3, 2]. Hint: an in-place op cannot grow its tensor; use the out-of-place op.",
    ],
    [
      "mul_ that would grow a size-1 dim of the target",
      () => zeros([2, 1]).mul_(m23()),
      "SHAPE_MISMATCH",
      "mul_: output with shape [2, 1] doesn't match the broadcast shape [2, 3]. Hint: an in-place op cannot grow its tensor; use the out-of-place op.",
    ],
    [
      "add_ of a float into an int tensor",
      () => int([1, 2]).add_(1.5),
      "INVALID_DTYPE",
      "add_: result type float32 can't be cast to the desired output type int32. Hint: convert the tensor with .float() first, or use the out-of-place op.",
    ],
    [
      "mul_ of a float tensor into an int tensor",
      () => int([1, 2]).mul_(tensor([2, 2])),
      "INVALID_DTYPE",
      "mul_: result type float32 can't be cast to the desired output type int32. Hint: convert the tensor with .float() first, or use the out-of-place op.",
    ],
    [
      "div_ on an int tensor (true division gives floats)",
      () => int([1]).div_(2),
      "INVALID_DTYPE",
      "div_: result type float32 can't be cast to the desired output type int32. Hint: convert the tensor with .float() first, or use the out-of-place op.",
    ],
    [
      "clamp_ of an int tensor with a float bound",
      () => int([1]).clamp_(0.5),
      "INVALID_DTYPE",
      "clamp_: result type float32 can't be cast to the desired output type int32. Hint: convert the tensor with .float() first, or use the out-of-place op.",
    ],
    [
      "add_ into an expanded tensor",
      () => zeros([1]).expand(3).add_(1),
      "INVALID_ARGUMENT",
      stride0("add_", "[3]", "[0]"),
    ],
    [
      "fill_ into an expanded tensor",
      () => zeros([1]).expand(3).fill_(1),
      "INVALID_ARGUMENT",
      stride0("fill_", "[3]", "[0]"),
    ],
    [
      "zero_ into an expanded tensor",
      () => m23().expand(4, 2, 3).zero_(),
      "INVALID_ARGUMENT",
      stride0("zero_", "[4, 2, 3]", "[0, 3, 1]"),
    ],
    [
      "copy_ into an expanded tensor",
      () => m23().expand(4, 2, 3).copy_(m23()),
      "INVALID_ARGUMENT",
      stride0("copy_", "[4, 2, 3]", "[0, 3, 1]"),
    ],
    [
      "clamp_ of an expanded tensor",
      () => zeros([1, 3]).expand(2, 3).clamp_(0),
      "INVALID_ARGUMENT",
      stride0("clamp_", "[2, 3]", "[0, 1]"),
    ],
    [
      "fill_ with a string",
      () => zeros([2]).fill_("a" as never),
      "INVALID_ARGUMENT",
      'fill_: value must be a number or boolean, but got "a". Hint: e.g. fill_(0.5).',
    ],
    [
      "copy_ from undefined",
      () => zeros([2]).copy_(undefined as never),
      "INVALID_ARGUMENT",
      "copy_: source must be a Tensor or a number, but got undefined.",
    ],
  ]);
});

describe("creation and random arguments", () => {
  pinned([
    [
      "arange with step 0",
      () => arange(0, 5, 0),
      "INVALID_ARGUMENT",
      "arange: step must be nonzero. Hint: use a positive step to count up, a negative one to count down.",
    ],
    [
      "arange counting up with a negative step",
      () => arange(0, 5, -1),
      "INVALID_ARGUMENT",
      "arange: the range from start 0 to end 5 cannot be walked with step -1. Hint: use a positive step when end > start and a negative one when end < start.",
    ],
    [
      "arange counting down with a positive step",
      () => arange(5, 0),
      "INVALID_ARGUMENT",
      "arange: the range from start 5 to end 0 cannot be walked with step 1. Hint: use a positive step when end > start and a negative one when end < start.",
    ],
    [
      "arange to infinity",
      () => arange(0, Number.POSITIVE_INFINITY),
      "INVALID_ARGUMENT",
      "arange: end must be a finite number, but got Infinity.",
    ],
    [
      "arange with a NaN step",
      () => arange(0, 1, Number.NaN),
      "INVALID_ARGUMENT",
      "arange: step must be a finite number, but got NaN.",
    ],
    [
      "linspace with negative steps",
      () => linspace(0, 1, -1),
      "INVALID_ARGUMENT",
      "linspace: number of steps must be a non-negative integer, but got -1.",
    ],
    [
      "linspace with an infinite end",
      () => linspace(0, Number.POSITIVE_INFINITY, 2),
      "INVALID_ARGUMENT",
      "linspace: end must be a finite number, but got Infinity.",
    ],
    [
      "randint with low == high",
      () => randint(3, 3, [2]),
      "INVALID_ARGUMENT",
      "randint: expects integers with low < high, but got low=3, high=3. Hint: high is exclusive, e.g. randint(0, 10, [5]).",
    ],
    [
      "randint with low > high",
      () => randint(5, 2, [2]),
      "INVALID_ARGUMENT",
      "randint: expects integers with low < high, but got low=5, high=2. Hint: high is exclusive, e.g. randint(0, 10, [5]).",
    ],
    [
      "randint with a fractional bound",
      () => randint(0, 1.5, [2]),
      "INVALID_ARGUMENT",
      "randint: expects integers with low < high, but got low=0, high=1.5. Hint: high is exclusive, e.g. randint(0, 10, [5]).",
    ],
    [
      "randperm(-1)",
      () => randperm(-1),
      "INVALID_ARGUMENT",
      "randperm: n must be a non-negative integer, but got -1.",
    ],
    [
      "manualSeed with a negative seed",
      () => manualSeed(-1),
      "INVALID_ARGUMENT",
      "manualSeed: seed must be a non-negative safe integer, but got -1. Hint: e.g. manualSeed(42).",
    ],
    [
      "manualSeed with a fractional seed",
      () => manualSeed(1.5),
      "INVALID_ARGUMENT",
      "manualSeed: seed must be a non-negative safe integer, but got 1.5. Hint: e.g. manualSeed(42).",
    ],
    [
      "manualSeed beyond 2^53",
      () => new Generator().manualSeed(2 ** 53),
      "INVALID_ARGUMENT",
      "manualSeed: seed must be a non-negative safe integer, but got 9007199254740992. Hint: e.g. manualSeed(42).",
    ],
    [
      "new Generator(NaN)",
      () => new Generator(Number.NaN),
      "INVALID_ARGUMENT",
      "Generator: seed must be a non-negative safe integer, but got NaN. Hint: e.g. manualSeed(42).",
    ],
  ]);

  it("a rejected manualSeed leaves the generator where it was", () => {
    const g = new Generator(7);
    g.nextUint32();
    const state = g.getState();
    expect(() => g.manualSeed(-3)).toThrowError(TensorError);
    expect(g.getState()).toEqual(state);
  });
});

// ── garbage in, TensorError out ──────────────────────────────────────────────

const METHODS = [
  ...["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt"],
  ...["ge", "clamp", "max", "min", "argmax", "argmin", "matmul", "mm", "dot", "reshape"],
  ...["view", "flatten", "transpose", "permute", "unsqueeze", "expand", "narrow", "select"],
  ...["unbind", "indexSelect", "gather", "chunk", "to", "add_", "sub_", "mul_", "div_"],
  ...["fill_", "copy_", "clamp_", "item", "size", "stride", "sum", "mean", "prod", "std"],
  ...["var", "squeeze", "split"],
];
const FUNCTIONS = [
  ...["tensor", "zeros", "ones", "full", "arange", "linspace", "eye", "rand", "randn"],
  ...["randint", "randperm", "manualSeed", "cat", "stack", "where", "add", "mul", "matmul"],
  ...["exp", "clamp", "sum", "reshape", "transpose", "indexSelect", "clone", "mean"],
  ...["zerosLike", "onesLike"],
];

describe("garbage in, only TensorErrors out", () => {
  const entries: [string, Call][] = [
    ...METHODS.map((name): [string, Call] => [`Tensor#${name}`, method(name)]),
    ...FUNCTIONS.map((name): [string, Call] => [name, exported(name)]),
    ["new Generator", (_, a) => new Generator(a[0] as number)],
  ];

  it.each(entries)("%s", (_, run) => onlyTensorErrors(run, 300, 20240601));
});
