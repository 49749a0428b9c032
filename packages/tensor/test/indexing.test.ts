/**
 * Python indexing (`x.index(...)`), assignment (`indexPut_`, `indexPut`) and `nonzero` against
 * PyTorch 1.13 (fixtures/indexing.json, written by fixtures/indexing.py): values (exact), shapes,
 * and which results are views. Gradients are checked in @x/autograd's indexing-gradcheck test.
 */
import {
  arange,
  index,
  indexPut,
  indexPut_,
  nonzero,
  parseSlice,
  type Slice,
  slice,
  type Tensor,
  TensorError,
  type TensorErrorCode,
  tensor,
  where,
  zeros,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "./fixtures/codec.ts";
import {
  caseValues,
  fixtureTensor,
  type IndexingCase,
  indexingCases,
  runCase,
} from "./fixtures/indexing-cases.ts";
import { thrownBy } from "./garbage";

const named = (cases: IndexingCase[]): [string, IndexingCase][] =>
  cases.map((c) => [`${c.group}: ${c.name}`, c]);

describe("indexing against PyTorch (fixtures/indexing.json)", () => {
  it.each(named(indexingCases))("%s", (_, c) => {
    const x = fixtureTensor(c.x);
    const out = runCase(c, x, caseValues(c));
    expect(tensorMismatches(out, c.out, "exact")).toEqual([]);
    if (c.shares !== undefined) expect(out.storage === x.storage).toBe(c.shares);
  });

  it("covers every kind of item", () => {
    const names = indexingCases.map((c) => c.name).join("|");
    for (const kind of ["negative", "None", "Ellipsis", "mask", "separated", "repeated", "empty"])
      expect(names).toContain(kind);
  });
});

describe("slice", () => {
  it("parses Python's spellings into the same slice", () => {
    const spelled: [string, Slice][] = [
      ["1:3", slice(1, 3)],
      [":", slice()],
      ["::2", slice(null, null, 2)],
      ["-2:", slice(-2, null)],
      ["1:", slice(1, null)],
      [":-1", slice(null, -1)],
      [" 0 : 4 : 3 ", slice(0, 4, 3)],
    ];
    for (const [text, want] of spelled) expect(parseSlice(text)).toEqual(want);
  });

  it("clamps bounds as Python does", () => {
    expect(slice(-100, 100).resolve(5)).toEqual({ start: 0, length: 5 });
    expect(slice(3, 1).resolve(5)).toEqual({ start: 3, length: 0 });
    expect(slice(1, null, 3).resolve(8)).toEqual({ start: 1, length: 3 });
    expect(slice(-2, null).resolve(5)).toEqual({ start: 3, length: 2 });
    // as in Python, one argument is the stop: slice(3) is x[:3]
    expect(slice(3)).toEqual(slice(null, 3));
    expect(slice(-2).resolve(5)).toEqual({ start: 0, length: 3 });
  });

  it("prints in Python's spelling", () => {
    expect(String(slice(1, 3))).toBe("1:3");
    expect(String(slice(null, null, 2))).toBe("::2");
  });
});

describe("views and copies", () => {
  it("basic items give a view that writes through", () => {
    const x = zeros(4, 3);
    const row = x.index(1, "1:");
    row.fill_(5);
    expect(x.toArray()).toEqual([
      [0, 0, 0],
      [0, 5, 5],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it("a basic slice of 1M floats is a view (no copy)", () => {
    const x = zeros(1_000_000);
    const view = x.index("1000:-1000:2");
    expect(view.storage).toBe(x.storage);
    expect(view.shape).toEqual([499_000]);
    expect(view.strides).toEqual([2]);
    expect(view.offset).toBe(1000);
  });

  it("advanced items give a copy", () => {
    const x = arange(4);
    const picked = x.index([0, 1]);
    picked.fill_(9);
    expect(x.toArray()).toEqual([0, 1, 2, 3]);
  });

  it("reads non-contiguous inputs", () => {
    const x = arange(12).reshape([3, 4]).t();
    expect(x.index([3, 0], ":").toArray()).toEqual([
      [3, 7, 11],
      [0, 4, 8],
    ]);
    expect(x.index(x.gt(8)).toArray()).toEqual([9, 10, 11]);
  });
});

describe("indexPut_ and indexPut", () => {
  it("x[mask] = 0 in place, returning x", () => {
    const x = tensor([1, -2, 3, -4]);
    expect(x.indexPut_([x.lt(0)], 0)).toBe(x);
    expect(x.toArray()).toEqual([1, 0, 3, 0]);
  });

  it("x[mask] = v with a mask of the target's shape (the masked-fill path) on strided targets", () => {
    // expected values from plain loops over the same elements; NaN and -0 must arrive unchanged
    const source = arange(0, 20).sub(9.5).reshape(4, 5);
    const check = (target: Tensor, write: (t: Tensor, mask: Tensor) => void) => {
      const before = target.toArray() as number[][] | number[];
      const mask = target.mul(target).gt(20);
      write(target, mask);
      const flags = mask.toArray() as boolean[][] | boolean[];
      return { before, flags, after: target.toArray() };
    };
    const transposed = source.clone().t(); // [5, 4], strides [1, 5]
    const t = check(transposed, (x, mask) => x.indexPut_([mask], Number.NaN));
    (t.after as number[][]).forEach((row, i) => {
      row.forEach((v, j) => {
        const was = (t.before as number[][])[i]?.[j] as number;
        expect(v).toBe((t.flags as boolean[][])[i]?.[j] ? Number.NaN : was);
      });
    });
    const rows = source.clone();
    const r = check(rows.select(0, 2), (_row, mask) => rows.indexPut_([2, mask], -0));
    (r.after as number[]).forEach((v, j) => {
      expect(Object.is(v, (r.flags as boolean[])[j] ? -0 : (r.before as number[])[j])).toBe(true);
    });
    expect(rows.index(0).toArray()).toEqual(source.index(0).toArray());
    // float64 elements are two words each; bool elements are bytes
    const wide = source.double().t();
    const wideMask = wide.gt(3);
    const expected = (wide.toArray() as number[][]).map((row, i) =>
      row.map((v, j) => ((wideMask.toArray() as boolean[][])[i]?.[j] ? 1e300 : v)),
    );
    expect(wide.indexPut_([wideMask], 1e300).toArray()).toEqual(expected);
    const flags = source.gt(0);
    const flipped = flags.logicalNot();
    expect(flags.indexPut_([flipped], true).toArray()).toEqual(
      (source.toArray() as number[][]).map((row) => row.map(() => true)),
    );
  });

  it("long masks (the word-at-a-time path) at unaligned offsets agree with where()", () => {
    const n = 1001;
    const values = arange(0, n + 7)
      .mul(0.37)
      .sin();
    const flags = arange(0, n + 7)
      .mul(1.3)
      .cos()
      .gt(0.2);
    for (const start of [0, 1, 2, 3, 5]) {
      const x = values.narrow(0, start, n);
      const mask = flags.narrow(0, 7 - start, n);
      const expected = where(mask, -0.5, x).toArray();
      expect(x.maskedFill(mask, -0.5).toArray()).toEqual(expected);
      const target = x.clone();
      expect(target.indexPut_([mask], -0.5).toArray()).toEqual(expected);
      const inPlace = values.clone().narrow(0, start, n);
      expect(inPlace.maskedFill_(mask, -0.5).toArray()).toEqual(expected);
      const kept = mask.toArray() as boolean[];
      const selected = (x.toArray() as number[]).filter((_, i) => kept[i]);
      expect(x.index(mask).toArray()).toEqual(selected);
    }
  });

  it("writes through a non-contiguous target", () => {
    const base = zeros(2, 3);
    base.t().indexPut_([[2, 0], 1], tensor([7, 8]));
    expect(base.toArray()).toEqual([
      [0, 0, 0],
      [8, 0, 7],
    ]);
  });

  it("reads values that overlap the target", () => {
    const x = arange(4);
    x.indexPut_(["1:"], x.index(":3"));
    expect(x.toArray()).toEqual([0, 0, 1, 2]);
  });

  it("the out-of-place form leaves x alone; accumulate sums repeats", () => {
    const x = zeros(3);
    const y = x.indexPut([[0, 0, 2]], tensor([1, 2, 3]), { accumulate: true });
    expect(y.toArray()).toEqual([3, 0, 3]);
    expect(x.toArray()).toEqual([0, 0, 0]);
    expect(x.indexPut([[0, 0]], tensor([1, 2])).toArray()).toEqual([2, 0, 0]);
  });

  it("accumulating into a bool tensor is a logical or (storage stays 0 or 1)", () => {
    const flags = tensor([false, true, false]);
    const y = flags.indexPut([[0, 0, 1]], tensor([true, true, true]), { accumulate: true });
    expect([...(y.toTypedArray() as Uint8Array)]).toEqual([1, 1, 0]);
    expect(y.eq(1).toArray()).toEqual([true, true, false]);
  });

  it("function forms", () => {
    const x = arange(6).reshape([2, 3]);
    expect(index(x, -1, "::2").toArray()).toEqual([3, 5]);
    expect(indexPut(x, [0], 1).index(0).toArray()).toEqual([1, 1, 1]);
    expect(indexPut_(x.clone(), [[1], [2]], -1).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, -1],
    ]);
    expect(nonzero(x).toArray()).toEqual([
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
  });
});

type ErrorCase = [title: string, fn: () => unknown, code: TensorErrorCode, message: RegExp];

const x23 = () => arange(6).reshape([2, 3]).float();
const errorCases: ErrorCase[] = [
  [
    "number out of range",
    () => x23().index(0, 3),
    "INDEX_OUT_OF_RANGE",
    /^index: index 3 is out of bounds for dimension 1 with size 3\. Hint: indices run from -3 to 2\.$/,
  ],
  [
    "negative number out of range",
    () => x23().index(-3),
    "INDEX_OUT_OF_RANGE",
    /^index: index -3 is out of bounds for dimension 0 with size 2\./,
  ],
  [
    "index tensor value out of range",
    () => x23().index(":", [0, 5]),
    "INDEX_OUT_OF_RANGE",
    /^index: index 5 is out of bounds for dimension 1 with size 3\./,
  ],
  [
    "float index tensor",
    () => x23().index(tensor([0, 1])),
    "INVALID_DTYPE",
    /^index: tensors used as indices must be int32 or bool, but item 0 is a float32 tensor of shape \[2\]\. Hint: convert it with \.int\(\)/,
  ],
  [
    "float index array",
    () => x23().index([0.5]),
    "INVALID_DTYPE",
    /^index: item 0 must be an array of whole numbers .* but got \[0\.5\]\. Hint:/,
  ],
  [
    "mask of the wrong shape",
    () => x23().index(tensor([true, false, true])),
    "SHAPE_MISMATCH",
    /^index: the mask of shape \[3\] does not match the indexed dims \[2\] .*Hint:/,
  ],
  [
    "indices that do not broadcast",
    () => x23().index([0, 1], [0, 1, 2]),
    "SHAPE_MISMATCH",
    /^index: shape mismatch: indexing tensors could not be broadcast together with shapes \[2\], \[3\]\. Hint:/,
  ],
  [
    "too many items",
    () => x23().index(0, 0, 0),
    "INVALID_ARGUMENT",
    /^index: too many indices for tensor of dimension 2 \(shape \[2, 3\]\).*Hint:/,
  ],
  [
    "two ellipses",
    () => x23().index("...", "..."),
    "INVALID_ARGUMENT",
    /^index: an index can only have a single ellipsis \('\.\.\.'\), but got 2\. Hint:/,
  ],
  [
    "a fractional number",
    () => x23().index(0.5),
    "INVALID_ARGUMENT",
    /^index: item 0 is 0\.5, which is not an index\. Hint:/,
  ],
  [
    "a boolean item",
    () => x23().index(true as never),
    "INVALID_ARGUMENT",
    /^index: item 0 is true, which is not an index\./,
  ],
  [
    "a malformed slice string",
    () => x23().index("1:2:3:4"),
    "INVALID_ARGUMENT",
    /^index: "1:2:3:4" is not a slice\. Hint: write 'start:stop'/,
  ],
  [
    "a word instead of a slice",
    () => x23().index("all"),
    "INVALID_ARGUMENT",
    /^index: "all" is not a slice\./,
  ],
  [
    "a zero step",
    () => slice(0, 2, 0),
    "INVALID_ARGUMENT",
    /^slice: slice step cannot be zero\. Hint:/,
  ],
  [
    "a negative step",
    () => x23().index("::-1"),
    "INVALID_ARGUMENT",
    /^slice: step must be greater than zero, but got -1 .*Hint: reverse with flip\(dims\)/,
  ],
  [
    "a fractional slice bound",
    () => slice(0.5, null),
    "INVALID_ARGUMENT",
    /^slice: slice start must be a whole number or null, but got 0\.5\./,
  ],
  [
    "index on a non-tensor",
    () => index([1, 2] as never, 0),
    "INVALID_ARGUMENT",
    /^index: argument 'input' must be a Tensor/,
  ],
  [
    "indexPut_ values that do not broadcast",
    () => x23().indexPut_([[0, 1]], tensor([1, 2])),
    "SHAPE_MISMATCH",
    /^indexPut_: shape mismatch: value tensor of shape \[2\] cannot be broadcast to indexing result of shape \[2, 3\]\. Hint:/,
  ],
  [
    "indexPut_ items not in an array",
    () => x23().indexPut_(0 as never, 1),
    "INVALID_ARGUMENT",
    /^indexPut_: argument 'items' must be an array of index items, but got 0\. Hint: \[0, 2\] is x\[0, 2\]/,
  ],
  [
    "indexPut_ values of another dtype",
    () => x23().indexPut_([0], tensor([1, 2, 3], { dtype: "float64" })),
    "INVALID_DTYPE",
    /^indexPut_: values must have the tensor's dtype float32, but got float64 .*Hint: convert them with values\.to\('float32'\)/,
  ],
  [
    "indexPut_ values that are not a tensor",
    () => x23().indexPut_([0], [1, 2, 3] as never),
    "INVALID_ARGUMENT",
    /^indexPut_: argument 'values' must be a Tensor or a number, but got \[1, 2, 3\]\./,
  ],
  [
    "indexPut accumulate not a boolean",
    () => x23().indexPut([0], 1, { accumulate: 1 as never }),
    "INVALID_ARGUMENT",
    /^indexPut: option 'accumulate' must be a boolean, but got 1\./,
  ],
  [
    "indexPut index out of range",
    () => x23().indexPut([[2]], 1),
    "INDEX_OUT_OF_RANGE",
    /^indexPut: index 2 is out of bounds for dimension 0 with size 2\./,
  ],
];

describe("rejected items and values", () => {
  it.each(errorCases)("%s", (_, fn, code, message) => {
    const error = thrownBy(fn);
    expect(TensorError.isInstance(error)).toBe(true);
    const e = error as TensorError;
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("a rejected indexPut_ leaves the tensor unchanged", () => {
    const x: Tensor = x23();
    expect(() => x.indexPut_([[0, 9]], 1)).toThrowError(TensorError);
    expect(x.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });
});
