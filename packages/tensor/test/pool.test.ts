/**
 * Pooling against PyTorch 1.13 (fixtures/pool.json, written by fixtures/pool.py): values and
 * max pooling's indices (NaN and ties as torch picks them), ceil mode, padding counted or not,
 * dilation, adaptive windows, unbatched, empty and strided inputs; then the typed errors.
 */
import {
  adaptiveAvgPool2d,
  avgPool2d,
  maxPool1d,
  maxPool2d,
  randn,
  TensorError,
  type TensorErrorCode,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "./fixtures/codec.ts";
import { type PoolCase, poolCases, runPoolCase } from "./fixtures/pool-cases.ts";
import { thrownBy } from "./garbage";

/** Max pools only pick values; averages sum a few of them in torch's order. */
const toleranceOf = (c: PoolCase) =>
  c.op.startsWith("max") ? "exact" : { rtol: 1e-6, atol: 1e-7 };

describe("pooling: values against PyTorch", () => {
  it.each(poolCases.map((c): [string, PoolCase] => [c.name, c]))("%s", (_, c) => {
    const { out, indices } = runPoolCase(c);
    expect(tensorMismatches(out, c.out, toleranceOf(c))).toEqual([]);
    if (c.indices !== undefined) expect(tensorMismatches(indices!, c.indices, "exact")).toEqual([]);
  });

  it("covers every function with ceil mode, dilation, padding, unbatched, empty and strided inputs", () => {
    const ops = new Set(poolCases.map((c) => c.op));
    expect(ops.size).toBe(6);
    expect(poolCases.some((c) => c.options.ceilMode === true && c.op === "avgPool2d")).toBe(true);
    expect(poolCases.some((c) => c.options.countIncludePad === false)).toBe(true);
    expect(poolCases.some((c) => c.input.shape.includes(0))).toBe(true);
    expect(poolCases.filter((c) => c.pre === "t").length).toBe(2);
  });
});

function errorOf(fn: () => unknown): { code: TensorErrorCode; message: string } {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(TensorError);
  return error as TensorError;
}

describe("pooling: bad arguments", () => {
  const x = randn([1, 2, 4, 4]);

  it("rejects padding over half the kernel", () => {
    const error = errorOf(() => maxPool2d(x, 2, { padding: 2 }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toBe(
      "maxPool2d: padding should be at most half of the kernel size, but got padding [2, 2] with kernel size [2, 2].",
    );
  });

  it("says when the output would be empty", () => {
    const error = errorOf(() => maxPool2d(x, 5));
    expect(error.code).toBe("INVALID_SHAPE");
    expect(error.message).toContain(
      "given input size per channel (4 x 4), the calculated output size (0 x 0) is too small",
    );
  });

  it("rejects wrong ranks, empty planes, integer inputs and bad sizes", () => {
    expect(errorOf(() => maxPool1d(x, 2)).message).toContain(
      "expected 2-d (unbatched) or 3-d (batched) input, but got input of shape [1, 2, 4, 4]",
    );
    expect(errorOf(() => maxPool2d(randn([1, 0, 4, 4]), 2)).code).toBe("INVALID_SHAPE");
    expect(errorOf(() => avgPool2d(x.int(), 2)).code).toBe("INVALID_DTYPE");
    expect(errorOf(() => maxPool2d(x, 0)).message).toBe(
      "maxPool2d: kernelSize must be an integer >= 1 or a list of 2 of them, but got 0.",
    );
    expect(errorOf(() => maxPool2d(x, 2, { stride: [1, 2, 3] })).code).toBe("INVALID_ARGUMENT");
    expect(errorOf(() => avgPool2d(x, 2, { divisorOverride: 0 })).message).toContain(
      "divisorOverride must be a non-zero integer, but got 0",
    );
    expect(errorOf(() => adaptiveAvgPool2d(x, [2, 0])).message).toContain(
      "outputSize must be an integer >= 1 or a list of 2 of them (null keeps the input's size), but got [2, 0]",
    );
  });
});
