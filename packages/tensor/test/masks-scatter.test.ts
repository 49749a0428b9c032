/**
 * The mask and scatter ops against PyTorch 1.13 (fixtures/masks_scatter.json, written by
 * fixtures/masks_scatter.py): values exactly (the reductions of scatterReduce, which add
 * or multiply in index order as torch's CPU kernel does, too), plus layouts, in-place
 * behaviour and every rejected argument.
 */
import {
  indexAdd,
  maskedFill,
  maskedSelect,
  oneHot,
  scatter,
  scatterAdd,
  scatterReduce,
  TensorError,
  type TensorErrorCode,
  take,
  tensor,
  zeros,
} from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { outMismatches } from "./fixtures/codec.ts";
import {
  decodeMaskArg,
  type MaskScatterCase,
  maskScatterCases,
  runMaskScatter,
} from "./fixtures/masks-scatter-table.ts";

const i32 = (values: unknown) => tensor(values as number[], { dtype: "int32" });
const bool = (values: unknown) => tensor(values as boolean[]);

describe("values against PyTorch", () => {
  it("has cases for every op", () => {
    const ops = new Set(maskScatterCases.map((c) => c.op));
    expect([...ops].sort()).toEqual(
      [
        ...["indexAdd", "indexAdd_", "maskedFill", "maskedFill_", "maskedSelect", "oneHot"],
        ...["scatter", "scatterAdd", "scatterAdd_", "scatterReduce", "scatterReduce_", "scatter_"],
        "take",
      ].sort(),
    );
  });

  it.each(maskScatterCases.map((c): [string, MaskScatterCase] => [c.name, c]))("%s", (_, c) => {
    const out = runMaskScatter(c.op, c.args.map(decodeMaskArg));
    expect(outMismatches(out, c.out, "exact")).toEqual([]);
  });
});

describe("layouts and in-place writes", () => {
  it("maskedFill_ writes through a view, only where the mask is true, and bumps the version", () => {
    const base = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const column = base.t().select(0, 1); // [2, 5], strided
    const before = base.storage.version;
    column.maskedFill_(bool([false, true]), -1);
    expect(base.toArray()).toEqual([
      [1, 2, 3],
      [4, -1, 6],
    ]);
    expect(base.storage.version).toBe(before + 1);
  });

  it("maskedFill and maskedSelect read transposed and broadcast operands", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]).t(); // [[1, 3], [2, 4]]
    const mask = bool([
      [true, false],
      [false, true],
    ]).t();
    expect(x.maskedFill(mask, 0).toArray()).toEqual([
      [0, 3],
      [2, 0],
    ]);
    expect(x.maskedSelect(mask).toArray()).toEqual([1, 4]);
    expect(x.maskedSelect(bool([false, true]).expand(2, 2)).toArray()).toEqual([3, 4]);
  });

  it("scatter_, scatterAdd_, scatterReduce_ and indexAdd_ update a transposed target in place", () => {
    const base = zeros(3, 2);
    const target = base.t(); // [2, 3], not contiguous
    target.scatter_(1, i32([[2], [0]]), 5);
    target.scatterAdd_(
      1,
      i32([
        [0, 0],
        [1, 1],
      ]),
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    target.scatterReduce_(1, i32([[2], [0]]), tensor([[-1], [9]]), "amax");
    target.indexAdd_(0, [1], tensor([[10, 10, 10]]), { alpha: 0.5 });
    expect(base.toArray()).toEqual([
      [3, 14],
      [0, 12],
      [5, 5],
    ]);
  });

  it("scatter_ leaves an unchanged alias of the source alone when they overlap", () => {
    const x = tensor([1, 2, 3, 4]);
    x.scatter_(0, [3, 2, 1, 0], x);
    expect(x.toArray()).toEqual([4, 3, 2, 1]);
  });

  it("take reads a non-contiguous tensor in its logical order", () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).t(); // [[1, 4], [2, 5], [3, 6]]
    expect(x.take([1, 2, -1]).toArray()).toEqual([4, 2, 6]);
  });

  it("function forms give the method results", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const m = bool([true, false]);
    expect(maskedFill(x, m, 0).toArray()).toEqual(x.maskedFill(m, 0).toArray());
    expect(maskedSelect(x, m).toArray()).toEqual([1, 3]);
    expect(scatter(x, 0, [[1, 0]], 0).toArray()).toEqual([
      [1, 0],
      [0, 4],
    ]);
    expect(scatterAdd(x, 0, [[1, 1]], tensor([[1, 1]])).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(scatterReduce(x, 0, [[1, 1]], tensor([[9, 0]]), "amin").toArray()).toEqual([
      [1, 2],
      [3, 0],
    ]);
    expect(indexAdd(x, 1, [0], tensor([[1], [1]])).toArray()).toEqual([
      [2, 2],
      [4, 4],
    ]);
    expect(take(x, [3]).toArray()).toEqual([4]);
    expect(oneHot(i32([1]), 3).toArray()).toEqual([[0, 1, 0]]);
  });
});

const x23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const REJECTED: [string, () => unknown, TensorErrorCode, RegExp][] = [
  [
    "maskedFill: a float mask",
    () => x23().maskedFill(tensor([1, 0, 1]), 0),
    "INVALID_DTYPE",
    /^maskedFill: mask must be a bool tensor, but got float32 \(shape \[3\]\)\. Hint: .*x\.gt\(0\).*mask\.bool\(\)/,
  ],
  [
    "maskedFill: an int mask",
    () => x23().maskedFill(i32([1, 0, 1]), 0),
    "INVALID_DTYPE",
    /mask must be a bool tensor, but got int32/,
  ],
  [
    "maskedFill: a mask that does not broadcast",
    () => x23().maskedFill(bool([true, false]), 0),
    "SHAPE_MISMATCH",
    /^maskedFill \(mask\): .*\(shapes \[2, 3\] and \[2\]\)/,
  ],
  [
    "maskedFill_: a mask that would grow x",
    () =>
      tensor([1, 2, 3]).maskedFill_(
        bool([
          [true, false, true],
          [false, false, true],
        ]),
        0,
      ),
    "SHAPE_MISMATCH",
    /^maskedFill_: mask of shape \[2, 3\] cannot be broadcast to the tensor's shape \[3\]/,
  ],
  [
    "maskedFill: a 1-d value tensor",
    () => x23().maskedFill(bool([true, false, true]), tensor([1, 2])),
    "INVALID_ARGUMENT",
    /value must be a number or a 0-d tensor, but got a tensor of shape \[2\]/,
  ],
  [
    "maskedFill: a string value",
    () => x23().maskedFill(bool([true, false, true]), "1" as never),
    "INVALID_ARGUMENT",
    /value must be a number, a boolean or a 0-d tensor, but got "1"/,
  ],
  [
    "maskedFill: mask not a tensor",
    () => x23().maskedFill([true] as never, 0),
    "INVALID_ARGUMENT",
    /argument 'mask' must be a Tensor/,
  ],
  [
    "maskedSelect: a float mask",
    () => x23().maskedSelect(tensor([1])),
    "INVALID_DTYPE",
    /^maskedSelect: mask must be a bool tensor/,
  ],
  [
    "maskedSelect: shapes that do not broadcast",
    () => x23().maskedSelect(bool([true, false])),
    "SHAPE_MISMATCH",
    /shapes \[2, 3\] and \[2\]/,
  ],
  [
    "scatter: a float index",
    () => x23().scatter(0, tensor([[0, 1, 0]]), 1),
    "INVALID_DTYPE",
    /^scatter: index must be an int32 tensor, but got float32.*index\.int\(\)/,
  ],
  [
    "scatter: a fractional index array",
    () => x23().scatter(0, [[0.5]] as never, 1),
    "INVALID_DTYPE",
    /index must be an int32 tensor or an array of integers/,
  ],
  [
    "scatter: an index out of range",
    () => x23().scatter(0, [[0, 2, 0]], 1),
    "INDEX_OUT_OF_RANGE",
    /^scatter: index 2 is out of bounds for dimension 0 with size 2/,
  ],
  [
    "scatter: an index wider than self outside dim",
    () => x23().scatter(0, [[0, 1, 0, 1]], 1),
    "SHAPE_MISMATCH",
    /index \[1, 4\] must have as many dims as self \[2, 3\], be no larger than self outside dim 0, and no larger than src \[\]/,
  ],
  [
    "scatter: an index larger than src",
    () => x23().scatter(1, [[0, 1]], tensor([[1]])),
    "SHAPE_MISMATCH",
    /index \[1, 2\] .*no larger than src \[1, 1\]/,
  ],
  [
    "scatter: an index with fewer dims",
    () => x23().scatter(1, [0, 1], tensor([1, 2])),
    "SHAPE_MISMATCH",
    /index \[2\] must have as many dims as self \[2, 3\]/,
  ],
  [
    "scatter: src of another dtype",
    () => x23().scatter(1, [[0]], i32([[1]])),
    "INVALID_DTYPE",
    /^scatter: src must have the dtype of self \(float32\), but got int32\. Hint: convert it with src\.to\('float32'\)/,
  ],
  [
    "scatter: a bad reduce",
    () => x23().scatter(1, [[0]], 1, { reduce: "mean" as never }),
    "INVALID_ARGUMENT",
    /reduce must be 'add' or 'multiply', but got "mean"\. Hint: .*scatterReduce/,
  ],
  [
    "scatter: src not a tensor or number",
    () => x23().scatter(1, [[0]], "1" as never),
    "INVALID_ARGUMENT",
    /src must be a Tensor or a number, but got "1"/,
  ],
  ["scatter: a bad dim", () => x23().scatter(2, [[0]], 1), "INVALID_DIM", /dim 2 is out of range/],
  [
    "scatterAdd: a number src",
    () => x23().scatterAdd(0, [[0]], 1 as never),
    "INVALID_ARGUMENT",
    /^scatterAdd: src must be a Tensor, but got 1/,
  ],
  [
    "scatterAdd_: an index out of range",
    () => x23().scatterAdd_(1, [[-4]], tensor([[1]])),
    "INDEX_OUT_OF_RANGE",
    /^scatterAdd_: index -4 is out of bounds for dimension 1 with size 3/,
  ],
  [
    "scatterReduce: an unknown reduction",
    () => x23().scatterReduce(0, [[0]], tensor([[1]]), "max" as never),
    "INVALID_ARGUMENT",
    /reduce must be one of 'sum', 'prod', 'mean', 'amax', 'amin', but got "max"/,
  ],
  [
    "scatterReduce: src of another dtype",
    () => x23().scatterReduce(0, [[0]], tensor([[1]], { dtype: "float64" }), "sum"),
    "INVALID_DTYPE",
    /src must have the dtype of self \(float32\), but got float64/,
  ],
  [
    "indexAdd: a 2-d index",
    () => x23().indexAdd(0, [[0]] as never, tensor([[1, 1, 1]])),
    "INVALID_SHAPE",
    /^indexAdd: index must be 0-d or 1-d, but has shape \[1, 1\]/,
  ],
  [
    "indexAdd: too few source rows",
    () => x23().indexAdd(0, [0, 1], tensor([[1, 1, 1]])),
    "SHAPE_MISMATCH",
    /source \[1, 3\] must have self's shape \[2, 3\] with dim 0 the number of indices \(2\), that is \[2, 3\]/,
  ],
  [
    "indexAdd: an index out of range",
    () => x23().indexAdd(1, [3], tensor([[1], [1]])),
    "INDEX_OUT_OF_RANGE",
    /index 3 is out of bounds for dimension 1 with size 3/,
  ],
  [
    "indexAdd: a float index",
    () => x23().indexAdd(1, tensor([0]), tensor([[1], [1]])),
    "INVALID_DTYPE",
    /^indexAdd: index must be an int32 tensor, but got float32/,
  ],
  [
    "indexAdd: a NaN alpha",
    () => x23().indexAdd(1, [0], tensor([[1], [1]]), { alpha: Number.NaN }),
    "INVALID_ARGUMENT",
    /alpha must be a number, but got NaN/,
  ],
  [
    "indexAdd_: source of another dtype",
    () => x23().indexAdd_(1, [0], i32([[1], [1]])),
    "INVALID_DTYPE",
    /source must have the dtype of self \(float32\), but got int32/,
  ],
  [
    "take: a position out of range",
    () => x23().take([6]),
    "INDEX_OUT_OF_RANGE",
    /^take: index 6 is out of range for a tensor of 6 elements \(shape \[2, 3\]\)\. Hint: .* from -6 to 5/,
  ],
  [
    "take: a float index",
    () => x23().take(tensor([1])),
    "INVALID_DTYPE",
    /^take: index must be an int32 tensor/,
  ],
  [
    "oneHot: a float tensor",
    () => oneHot(tensor([1, 2])),
    "INVALID_DTYPE",
    /^oneHot: index must be an int32 tensor, but got float32/,
  ],
  [
    "oneHot: a negative class",
    () => oneHot(i32([0, -1])),
    "INVALID_ARGUMENT",
    /^oneHot: class values must be non-negative, but indices \(shape \[2\]\) hold -1/,
  ],
  [
    "oneHot: numClasses too small",
    () => oneHot(i32([0, 3]), 3),
    "INVALID_ARGUMENT",
    /class values must be smaller than numClasses \(3\), but indices hold 3\. Hint: pass numClasses = 4 or more/,
  ],
  [
    "oneHot: an empty tensor and -1",
    () => oneHot(i32([])),
    "INVALID_ARGUMENT",
    /cannot infer the number of classes from an empty tensor \(shape \[0\]\)\. Hint: pass numClasses/,
  ],
  [
    "oneHot: a fractional numClasses",
    () => oneHot(i32([0]), 2.5),
    "INVALID_ARGUMENT",
    /numClasses must be a whole number >= 0, or -1 to infer it, but got 2\.5/,
  ],
];

describe("rejected arguments", () => {
  it.each(REJECTED)("%s", (_, fn, code, message) => {
    expect(fn).toThrowError(
      expect.objectContaining({
        name: "TensorError",
        code,
        message: expect.stringMatching(message),
      }),
    );
  });

  it("an out-of-range index leaves the target of an in-place scatter untouched", () => {
    const x = tensor([1, 2, 3]);
    expect(() => x.scatter_(0, [0, 7], tensor([9, 9]))).toThrowError(TensorError);
    expect(x.toArray()).toEqual([1, 2, 3]);
  });

  const METHODS = [
    ...["maskedFill", "maskedFill_", "maskedSelect", "scatter", "scatter_", "scatterAdd"],
    ...["scatterAdd_", "scatterReduce", "scatterReduce_", "indexAdd", "indexAdd_", "take"],
  ];
  const garbage = fc.oneof(
    fc.constantFrom(
      undefined,
      null,
      Number.NaN,
      -1,
      0,
      1,
      2.5,
      "sum",
      "amax",
      true,
      [],
      [0],
      [[0]],
    ),
    fc.constantFrom({ reduce: "add" }, { includeSelf: false }, { alpha: 2 }, { alpha: "x" }),
    fc
      .constantFrom(
        () => tensor([true, false]),
        () => tensor([[0, 1]], { dtype: "int32" }),
        () => zeros(2, 3),
        () => zeros(0),
        () => tensor(1),
      )
      .map((make) => make()),
  );
  it.each(METHODS)("Tensor#%s throws only TensorErrors for garbage", (name) => {
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 5 }), (args) => {
        const target = zeros(2, 3) as unknown as Record<string, (...a: unknown[]) => unknown>;
        try {
          target[name]?.(...args);
        } catch (error) {
          if (!TensorError.isInstance(error)) throw error;
        }
      }),
      { numRuns: 200, seed: 17 },
    );
  });
});
