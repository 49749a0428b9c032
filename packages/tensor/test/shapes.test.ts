/**
 * The shape ops against PyTorch 1.13 (fixtures/shapes.json, written by fixtures/shapes.py):
 * values bit for bit (they only move elements), the geometry of the views (strides and
 * offset, sharing the input's storage), copies owning their storage, the function forms, and
 * the typed errors for bad arguments.
 */
import {
  arange,
  diag,
  diagonal,
  flip,
  meshgrid,
  movedim,
  repeat,
  repeatInterleave,
  roll,
  swapaxes,
  type Tensor,
  TensorError,
  type TensorErrorCode,
  tensor,
  tril,
  triu,
  unflatten,
  unfold,
  zeros,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { outMismatches } from "./fixtures/codec.ts";
import { runShapeCase, type ShapeCase, shapeCases } from "./fixtures/shapes-cases.ts";
import { thrownBy } from "./garbage";

const named = (cases: ShapeCase[]): [string, ShapeCase][] => cases.map((c) => [c.name, c]);

describe("shape ops: values against PyTorch", () => {
  it.each(named(shapeCases))("%s", (_, c) => {
    const { out } = runShapeCase(c);
    expect(outMismatches(out, c.out, "exact")).toEqual([]);
  });

  it("covers every shape op, with 0-d, empty, transposed and negative-dim inputs", () => {
    const ops = new Set(shapeCases.map((c) => c.op));
    const all =
      "flip roll repeat repeatInterleave tril triu diag diagonal meshgrid unflatten unfold movedim swapaxes";
    expect(all.split(" ").filter((op) => !ops.has(op))).toEqual([]);
    expect(shapeCases.filter((c) => c.pre === "t").length).toBeGreaterThanOrEqual(12);
    expect(shapeCases.filter((c) => c.input.shape.length === 0).length).toBeGreaterThanOrEqual(6);
    expect(shapeCases.filter((c) => c.input.shape.includes(0)).length).toBeGreaterThanOrEqual(10);
  });
});

describe("views and copies", () => {
  const views = shapeCases.filter((c) => c.layout !== undefined);
  it.each(named(views))("%s is a view with PyTorch's strides and offset", (_, c) => {
    const { leaf, out } = runShapeCase(c);
    const view = out as Tensor;
    expect(view.storage).toBe(leaf.storage);
    expect({ stride: view.stride(), offset: view.offset - leaf.offset }).toEqual(c.layout);
  });

  const copies = shapeCases.filter((c) => "flip roll repeat tril triu diag".includes(c.op));
  it.each(named(copies))("%s is a contiguous copy", (_, c) => {
    const { leaf, out } = runShapeCase(c);
    expect((out as Tensor).storage).not.toBe(leaf.storage);
    expect((out as Tensor).isContiguous()).toBe(true);
  });

  it("writes through a diagonal view reach the input, as in PyTorch", () => {
    const x = zeros(3, 3);
    x.diagonal().fill_(1);
    x.diagonal(1).fill_(2);
    expect(x.toArray()).toEqual([
      [1, 2, 0],
      [0, 1, 2],
      [0, 0, 1],
    ]);
  });

  it("meshgrid outputs are expanded views of the inputs", () => {
    const x = arange(3);
    const [gx] = meshgrid([x, arange(2)]);
    expect(gx?.storage).toBe(x.storage);
    expect(gx?.stride()).toEqual([1, 0]);
  });
});

describe("function forms match the methods", () => {
  const m = arange(12).reshape(3, 4);
  const same = (a: Tensor, b: Tensor) => expect(a.toArray()).toEqual(b.toArray());
  it("flip, roll, repeat, repeatInterleave", () => {
    same(flip(m, [0, 1]), m.flip(0, 1));
    same(flip(m, 1), m.flip([1]));
    same(roll(m, 2), m.roll(2));
    same(roll(m, [1, 1], [0, 1]), m.roll([1, 1], [0, 1]));
    same(repeat(m, [2, 1]), m.repeat(2, 1));
    same(repeatInterleave(m, [1, 2, 0], 0), m.repeatInterleave([1, 2, 0], 0));
  });
  it("tril, triu, diag, diagonal", () => {
    same(tril(m, 1), m.tril(1));
    same(triu(m, -1), m.triu(-1));
    same(diag(m, 1), m.diag(1));
    same(diagonal(m, -1), m.diagonal(-1));
  });
  it("unflatten, unfold, movedim, swapaxes", () => {
    same(unflatten(m, 1, [2, 2]), m.unflatten(1, [2, 2]));
    same(unfold(m, 1, 2, 2), m.unfold(1, 2, 2));
    same(movedim(m, 0, 1), m.movedim(0, 1));
    same(swapaxes(m, 0, 1), m.t());
  });
  it("meshgrid defaults to 'ij' indexing", () => {
    const [a, b] = meshgrid([arange(2), arange(3)]);
    expect(a?.shape).toEqual([2, 3]);
    expect(b?.toArray()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });
});

type ErrorCase = [title: string, fn: () => unknown, code: TensorErrorCode, message: string];
const m = arange(12).reshape(3, 4);

const errorCases: ErrorCase[] = [
  [
    "flip: a dim out of range",
    () => m.flip(2),
    "INVALID_DIM",
    "flip: dims 2 is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1]). Hint: dims count from 0; negative dims count from the end.",
  ],
  [
    "flip: a dim named twice",
    () => m.flip(0, -2),
    "INVALID_DIM",
    "flip: dim 0 appears multiple times in dims [0, -2] (shape [3, 4]). Hint: list each dim once.",
  ],
  [
    "roll: shifts and dims that do not align",
    () => m.roll([1, 2], 0),
    "SHAPE_MISMATCH",
    "roll: shifts and dims must align: got 2 shifts [1, 2] and 1 dims. Hint: give one shift per dim, or one shift and no dims to roll the flattened tensor.",
  ],
  [
    "roll: a fractional shift",
    () => m.roll(0.5, 0),
    "INVALID_ARGUMENT",
    "roll: shifts[0] must be a whole number, but got 0.5. Hint: e.g. roll(1).",
  ],
  [
    "roll: dims on a 0-d tensor",
    () => tensor(1).roll(1, 0),
    "INVALID_DIM",
    "roll: dims 0 given for a 0-d tensor, which has no dims. Hint: leave dims out.",
  ],
  [
    "repeat: fewer sizes than dims",
    () => m.repeat(2),
    "INVALID_SHAPE",
    "repeat: expects at least one size per dim of the input (shape [3, 4], 2 dims), but got [2]. Hint: e.g. repeat(2, 2); use 1 for dims to keep.",
  ],
  [
    "repeat: a negative count",
    () => m.repeat(-1, 2),
    "INVALID_SHAPE",
    "repeat: repeat count -1 at position 0 of [-1, 2] is invalid. Hint: counts are whole numbers >= 0.",
  ],
  [
    "repeatInterleave: counts of the wrong length",
    () => m.repeatInterleave([1, 2], 0),
    "SHAPE_MISMATCH",
    "repeatInterleave: repeats must have the same size as the input along dim: got 2 repeats for 3 entries. Hint: give one count per entry, or a single count for all.",
  ],
  [
    "repeatInterleave: a negative count",
    () => m.repeatInterleave(-1, 0),
    "INVALID_ARGUMENT",
    "repeatInterleave: repeats [-1] can not be negative or fractional. Hint: give whole numbers >= 0.",
  ],
  [
    "repeatInterleave: a float tensor of counts",
    () => m.repeatInterleave(tensor([1, 2, 3]), 0),
    "INVALID_ARGUMENT",
    "repeatInterleave: repeats must be a 0-d or 1-d int32 tensor, but got float32 of shape [3]. Hint: convert with .int(), or pass a number or an array.",
  ],
  [
    "repeatInterleave: a dim on a 0-d tensor",
    () => tensor(1).repeatInterleave(2, 0),
    "INVALID_DIM",
    "repeatInterleave: dim 0 given for a 0-d tensor, which has no dims. Hint: leave dim out to repeat the flattened tensor.",
  ],
  [
    "tril: a vector",
    () => arange(3).tril(),
    "INVALID_DIM",
    "tril: input tensor must have at least 2 dimensions, but has shape [3]. Hint: reshape a vector into a matrix first, or use diag() to build one.",
  ],
  [
    "triu: a fractional diagonal",
    () => m.triu(0.5),
    "INVALID_ARGUMENT",
    "triu: diagonal must be a whole number, but got 0.5. Hint: e.g. triu(1).",
  ],
  [
    "diag: a 3-d tensor",
    () => zeros(2, 2, 2).diag(),
    "INVALID_DIM",
    "diag: matrix or a vector expected, but got shape [2, 2, 2]. Hint: use diagonal(offset, dim1, dim2) for the diagonals of a batch.",
  ],
  [
    "diag: a diagonal outside the matrix",
    () => m.diag(5),
    "INDEX_OUT_OF_RANGE",
    "diag: diagonal 5 lies outside the matrix of shape [3, 4]. Hint: for a 3 x 4 matrix it must be in [-3, 4]; diagonal(offset) gives an empty view instead.",
  ],
  [
    "diagonal: the same dim twice",
    () => m.diagonal(0, 1, -1),
    "INVALID_DIM",
    "diagonal: diagonal dimensions cannot be identical: dim1 1 and dim2 -1 are both dim 1 (shape [3, 4]). Hint: name two different dims, e.g. diagonal(0, 0, 1).",
  ],
  [
    "diagonal: a vector",
    () => arange(3).diagonal(),
    "INVALID_DIM",
    "diagonal: expects a tensor with at least 2 dims, but got shape [3]. Hint: use diag() to build a matrix from a vector.",
  ],
  [
    "diagonal: dim2 out of range",
    () => m.diagonal(0, 0, 2),
    "INVALID_DIM",
    "diagonal: dim2 2 is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1]). Hint: dims count from 0; negative dims count from the end.",
  ],
  [
    "unflatten: sizes that do not multiply to the dim",
    () => m.unflatten(1, [3, 2]),
    "INVALID_SHAPE",
    "unflatten: sizes [3, 2] don't multiply up to the size of dim 1 (4) of the input (shape [3, 4]). Hint: choose sizes whose product is 4, or use -1 for one of them.",
  ],
  [
    "unflatten: two inferred sizes",
    () => m.unflatten(1, [-1, -1]),
    "INVALID_SHAPE",
    "unflatten: sizes [-1, -1] infer more than one size (-1). Hint: give every size but one.",
  ],
  [
    "unflatten: no sizes",
    () => m.unflatten(0, []),
    "INVALID_SHAPE",
    "unflatten: sizes must be a non-empty array, but got []. Hint: e.g. unflatten(0, [2, -1]).",
  ],
  [
    "unfold: a window larger than the dim",
    () => m.unfold(1, 5, 1),
    "INVALID_ARGUMENT",
    "unfold: size 5 does not fit dim 1 of size 4 (shape [3, 4]). Hint: the window size must be between 0 and 4.",
  ],
  [
    "unfold: step 0",
    () => m.unfold(1, 2, 0),
    "INVALID_ARGUMENT",
    "unfold: step is 0 but must be > 0. Hint: step 1 gives every window, step = size gives non-overlapping ones.",
  ],
  [
    "unfold: a 0-d tensor",
    () => tensor(1).unfold(0, 1, 1),
    "INVALID_DIM",
    "unfold: cannot unfold a 0-d tensor. Hint: reshape it to [1] first.",
  ],
  [
    "movedim: a repeated source dim",
    () => m.movedim([0, 0], [1, 0]),
    "INVALID_DIM",
    "movedim: dim 0 appears multiple times in source [0, 0] (shape [3, 4]). Hint: list each dim once.",
  ],
  [
    "movedim: source and destination of different lengths",
    () => m.movedim([0], [1, 0]),
    "INVALID_DIM",
    "movedim: source [0] (1 dims) and destination [1, 0] (2 dims) must name the same number of dims. Hint: pair each source dim with one destination.",
  ],
  [
    "swapaxes: a dim out of range",
    () => m.swapaxes(0, 3),
    "INVALID_DIM",
    "transpose: dim1 3 is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1]). Hint: dims count from 0; negative dims count from the end.",
  ],
  [
    "meshgrid: a 2-d input",
    () => meshgrid([m]),
    "INVALID_SHAPE",
    "meshgrid: expects 0-d or 1-d tensors, but tensors[0] has shape [3, 4]. Hint: flatten() it first.",
  ],
  [
    "meshgrid: mixed dtypes",
    () => meshgrid([arange(2), arange(2, undefined, 1, { dtype: "float64" })]),
    "INVALID_DTYPE",
    "meshgrid: expects all tensors to have the same dtype, but tensors[0] is int32 and tensors[1] is float64. Hint: convert them with .to(dtype).",
  ],
  [
    "meshgrid: an unknown indexing",
    () => meshgrid([arange(2)], { indexing: "yx" as "xy" }),
    "INVALID_ARGUMENT",
    "meshgrid: indexing must be 'ij' or 'xy', but got \"yx\". Hint: 'ij' for matrix indexing, 'xy' for Cartesian.",
  ],
  [
    "meshgrid: no tensors",
    () => meshgrid([]),
    "INVALID_ARGUMENT",
    "meshgrid: expects a non-empty array of tensors, but got []. Hint: meshgrid([x, y]).",
  ],
];

describe("bad arguments throw typed errors", () => {
  it.each(errorCases)("%s", (_, fn, code, message) => {
    const error = thrownBy(fn);
    expect(TensorError.isInstance(error)).toBe(true);
    const e = error as TensorError;
    expect({ code: e.code, message: e.message }).toEqual({ code, message });
  });
});
