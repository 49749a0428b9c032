/**
 * The scans (cumsum cumprod cummax cummin logcumsumexp) and diff against PyTorch 1.13
 * (fixtures/scans.json, written by fixtures/scans.py): values bit for bit (float32 sums,
 * products and logcumsumexp accumulate in float64 as torch's CPU kernels do; logcumsumexp's
 * float64 exp and log1p round to the same float32), cummax/cummin's int32 indices with torch's
 * tie and NaN rules;
 * the function forms; the typed errors.
 */
import {
  cummax,
  cummin,
  cumprod,
  cumsum,
  diff,
  logcumsumexp,
  type Tensor,
  TensorError,
  tensor,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { outMismatches } from "./fixtures/codec.ts";
import { runScanCase, type ScanCase, scanCases } from "./fixtures/scans-cases.ts";
import { thrownBy } from "./garbage";

const SCANS = "cumsum cumprod cummax cummin logcumsumexp diff".split(" ");
const cases = scanCases.filter((c) => SCANS.includes(c.op));
const named = (list: ScanCase[]): [string, ScanCase][] => list.map((c) => [c.name, c]);

describe("scans: values against PyTorch", () => {
  it.each(named(cases))("%s", (_, c) => {
    const { out } = runScanCase(c);
    expect(outMismatches(out, c.out, "exact")).toEqual([]);
  });

  it("covers every scan with 0-d, empty, transposed, negative-dim, int and bool inputs", () => {
    for (const op of SCANS) {
      const mine = cases.filter((c) => c.op === op);
      expect(mine.some((c) => c.pre === "t")).toBe(true);
      expect(mine.some((c) => c.inputs[0]!.shape.includes(0))).toBe(true);
      if (op !== "diff") expect(mine.some((c) => c.inputs[0]!.shape.length === 0)).toBe(true);
    }
    expect(cases.filter((c) => (c.args[0] as number) < 0).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.inputs[0]!.dtype === "bool").length).toBeGreaterThanOrEqual(5);
  });
});

describe("scans: dtypes and accumulation", () => {
  it("float32 cumsum rounds a float64 running sum (a float32 running sum differs)", () => {
    const values = Array.from({ length: 2000 }, (_, i) => Math.fround(Math.sin(i) * 1.2345));
    const got = tensor(values).cumsum(0).toArray() as number[];
    let wide = 0;
    let narrow = 0;
    let narrowDiffers = false;
    values.forEach((v, i) => {
      wide += v;
      narrow = Math.fround(narrow + v);
      expect(got[i]).toBe(Math.fround(wide));
      if (narrow !== Math.fround(wide)) narrowDiffers = true;
    });
    expect(narrowDiffers).toBe(true);
  });

  it("int32 and bool scans give int32 and wrap as 32-bit integers", () => {
    const big = tensor([2 ** 31 - 1, 1, 1], { dtype: "int32" });
    expect(big.cumsum(0).toArray()).toEqual([2 ** 31 - 1, -(2 ** 31), -(2 ** 31) + 1]);
    expect(tensor([65536, 65536], { dtype: "int32" }).cumprod(0).toArray()).toEqual([65536, 0]);
    expect(tensor([true, true, false]).cumsum(0).dtype).toBe("int32");
    expect(tensor([true, true, false]).cumprod(0).toArray()).toEqual([1, 1, 0]);
  });

  it("cumsum's dtype option casts before summing", () => {
    const x = tensor([1, 2, 3], { dtype: "int32" });
    expect(x.cumsum(0, { dtype: "float64" }).dtype).toBe("float64");
    expect(x.cumsum(0, { dtype: "float32" }).toArray()).toEqual([1, 3, 6]);
  });

  it("cummax/cummin indices are int32 and values keep the dtype", () => {
    const { values, indices } = tensor([true, false, true]).cummax(0);
    expect([values.dtype, indices.dtype]).toEqual(["bool", "int32"]);
    expect(indices.toArray()).toEqual([0, 0, 2]);
  });
});

describe("scans: function forms", () => {
  const x = tensor([
    [1, -2, 3],
    [0.5, 4, -1],
  ]);
  it("match the methods", () => {
    expect(cumsum(x, 1).toArray()).toEqual(x.cumsum(1).toArray());
    expect(cumprod(x, -1).toArray()).toEqual(x.cumprod(-1).toArray());
    expect(logcumsumexp(x, 0).toArray()).toEqual(x.logcumsumexp(0).toArray());
    expect(cummax(x, 1).indices.toArray()).toEqual(x.cummax(1).indices.toArray());
    expect(cummin(x, 1).values.toArray()).toEqual(x.cummin(1).values.toArray());
    expect(diff(x, 1, 0).toArray()).toEqual(x.diff(1, 0).toArray());
  });
});

describe("scans: errors", () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  it.each([
    ["cumsum dim out of range", () => x.cumsum(2), "INVALID_DIM", /dim 2 is out of range/],
    ["cumprod dim not whole", () => x.cumprod(0.5), "INVALID_DIM", /whole number/],
    [
      "cummax without a dim",
      () => (x.cummax as (d?: number) => unknown)(),
      "INVALID_DIM",
      /got undefined/,
    ],
    ["cummin dim of 0-d", () => tensor(1).cummin(1), "INVALID_DIM", /\[-1, 0\]/],
    ["logcumsumexp of int32", () => x.to("int32").logcumsumexp(0), "INVALID_DTYPE", /floating/],
    [
      "cumsum unknown dtype",
      () => x.cumsum(0, { dtype: "int64" as "int32" }),
      "INVALID_DTYPE",
      /int64/,
    ],
    ["diff of 0-d", () => tensor(1).diff(), "INVALID_ARGUMENT", /one-dimensional/],
    ["diff negative n", () => x.diff(-1), "INVALID_ARGUMENT", /non-negative/],
    ["diff dim out of range", () => x.diff(1, -3), "INVALID_DIM", /out of range/],
    [
      "cumsum of a non-tensor",
      () => cumsum([1, 2] as unknown as Tensor, 0),
      "INVALID_ARGUMENT",
      /must be a Tensor/,
    ],
  ] as const)("%s", (_, run, code, message) => {
    const error = thrownBy(run);
    expect(error).toBeInstanceOf(TensorError);
    expect((error as TensorError).code).toBe(code);
    expect((error as TensorError).message).toMatch(message);
    expect((error as TensorError).message).toMatch(/Hint:/);
  });
});
