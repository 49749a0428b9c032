/**
 * Sorting and selection against PyTorch 1.13 (fixtures/sorting.json, written by
 * fixtures/sorting.py): values and int32 indices bit for bit, including the order torch's heap
 * and quickselect leave among ties (sorts keep ties in input order, as torch's stable sort), NaN
 * and ±0; the function forms; and the typed errors for bad arguments.
 */
import {
  argsort,
  kthvalue,
  median,
  msort,
  sort,
  type Tensor,
  TensorError,
  type TensorErrorCode,
  tensor,
  topk,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { outMismatches } from "./fixtures/codec.ts";
import { runSortingCase, type SortingCase, sortingCases } from "./fixtures/sorting-cases.ts";
import { thrownBy } from "./garbage";

const named = (cases: SortingCase[]): [string, SortingCase][] => cases.map((c) => [c.name, c]);

describe("sorting and selection: values and indices against PyTorch", () => {
  it.each(named(sortingCases))("%s", (_, c) => {
    const { out } = runSortingCase(c);
    expect(outMismatches(out, c.out, "exact")).toEqual([]);
  });

  it("covers every op with 0-d, empty, transposed, negative-dim and integer inputs", () => {
    const ops = new Set(sortingCases.map((c) => c.op));
    expect([...ops].sort()).toEqual(["argsort", "kthvalue", "median", "msort", "sort", "topk"]);
    const count = (test: (c: SortingCase) => boolean) => sortingCases.filter(test).length;
    expect(count((c) => c.pre === "t")).toBeGreaterThanOrEqual(8);
    expect(count((c) => c.input.shape.length === 0)).toBeGreaterThanOrEqual(8);
    expect(count((c) => c.input.shape.includes(0))).toBeGreaterThanOrEqual(8);
    expect(count((c) => c.args.some((a) => typeof a === "number" && a < 0))).toBeGreaterThan(3);
    expect(count((c) => c.input.dtype === "int32")).toBeGreaterThanOrEqual(8);
    expect(count((c) => c.input.dtype === "float64")).toBeGreaterThanOrEqual(8);
  });
});

describe("sorting: function forms and results", () => {
  const x = tensor([
    [3, 1, 2],
    [0, -1, 5],
  ]);

  it("the functions agree with the methods", () => {
    expect(sort(x, 0).values.toArray()).toEqual(x.sort(0).values.toArray());
    expect(argsort(x, -1, { descending: true }).toArray()).toEqual([
      [0, 2, 1],
      [2, 0, 1],
    ]);
    expect(msort(x).toArray()).toEqual(x.sort(0).values.toArray());
    expect(topk(x, 1, { dim: 0 }).values.toArray()).toEqual([[3, 1, 5]]);
    expect(kthvalue(x, 2).values.toArray()).toEqual([2, 0]);
    expect((median(x) as Tensor).item()).toBe(1);
    expect(median(x, 1).indices.toArray()).toEqual([2, 0]);
  });

  it("indices are int32 and fresh tensors, values keep the input dtype", () => {
    const { values, indices } = x.int().topk(2);
    expect([values.dtype, indices.dtype]).toEqual(["int32", "int32"]);
    expect(x.argsort().dtype).toBe("int32");
    expect(x.kthvalue(1, 1, true).indices.shape).toEqual([2, 1]);
    expect(x.sort().values.storage).not.toBe(x.storage);
  });

  it("topk of a million elements with a small k picks the same as sort", () => {
    const n = 1 << 20;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.sin(i * 12.9898) * 43758.5453;
    const big = tensor(data);
    const { values } = big.topk(5);
    const sorted = big.sort(0, { descending: true }).values;
    expect(values.toArray()).toEqual(sorted.index("0:5").toArray());
  });
});

describe("sorting: typed errors", () => {
  const x = tensor([
    [3, 1, 2],
    [0, -1, 5],
  ]);
  const cases: [string, () => unknown, TensorErrorCode, string, RegExp][] = [
    [
      "sort dim out of range",
      () => x.sort(2),
      "INVALID_DIM",
      "sort",
      /dim 2 is out of range.*\[-2, 1\]/,
    ],
    ["argsort fractional dim", () => x.argsort(0.5), "INVALID_DIM", "argsort", /whole number/],
    [
      "sort bad options",
      () => x.sort(0, { stable: 1 as never }),
      "INVALID_ARGUMENT",
      "sort",
      /descending\?: boolean/,
    ],
    [
      "topk k larger than the dim",
      () => x.topk(4),
      "INDEX_OUT_OF_RANGE",
      "topk",
      /selected index k out of range: k is 4.*size 3/,
    ],
    ["topk negative k", () => x.topk(-1), "INDEX_OUT_OF_RANGE", "topk", /k is -1.*between 0 and 3/],
    ["topk fractional k", () => x.topk(1.5), "INVALID_ARGUMENT", "topk", /whole number/],
    ["topk dim out of range", () => x.topk(1, { dim: -3 }), "INVALID_DIM", "topk", /dim -3/],
    [
      "topk bad options",
      () => x.topk(1, { largest: "yes" as never }),
      "INVALID_ARGUMENT",
      "topk",
      /largest\?: boolean/,
    ],
    [
      "topk of bools",
      () => x.gt(1).topk(1),
      "INVALID_DTYPE",
      "topk",
      /"topk_cpu" not implemented for 'Bool'/,
    ],
    [
      "kthvalue k = 0",
      () => x.kthvalue(0),
      "INDEX_OUT_OF_RANGE",
      "kthvalue",
      /selected number k out of range for dimension 1: k is 0/,
    ],
    [
      "kthvalue k past the end",
      () => x.kthvalue(3, 0),
      "INDEX_OUT_OF_RANGE",
      "kthvalue",
      /for dimension 0: k is 3.*size 2/,
    ],
    [
      "kthvalue of an empty dim",
      () => tensor([]).reshape(2, 0).kthvalue(1),
      "INVALID_ARGUMENT",
      "kthvalue",
      /reduction dim 1 to have non-zero size/,
    ],
    [
      "median of an empty dim",
      () => tensor([]).reshape(2, 0).median(1),
      "INVALID_ARGUMENT",
      "median",
      /reduction dim 1/,
    ],
    ["median dim out of range", () => x.median(5), "INVALID_DIM", "median", /dim 5/],
    [
      "median of bools",
      () => x.gt(1).median(),
      "INVALID_DTYPE",
      "median",
      /not implemented for 'Bool'/,
    ],
    [
      "sort of a non-tensor",
      () => sort([1, 2] as never),
      "INVALID_ARGUMENT",
      "sort",
      /must be a Tensor/,
    ],
  ];
  it.each(cases)("%s", (_, fn, code, op, message) => {
    const error = thrownBy(fn);
    expect(error).toBeInstanceOf(TensorError);
    expect(error).toMatchObject({ code, op });
    expect((error as Error).message).toMatch(message);
  });
});
