/**
 * The pointwise math ops against PyTorch 1.13 (fixtures/math.json, written by
 * fixtures/math.py): values, dtypes and shapes, through both the method and the function form.
 *
 * Tolerances: frac, reciprocal, rsqrt, remainder, fmod, div with a rounding mode, floorDivide,
 * copysign and lerp are bit-exact (their kernels round each float32 step as torch's do). The
 * transcendental ones are within 1 ulp of torch's result in float32 and in float64 (computed in
 * float64 with V8's fdlibm-derived Math.* or the s_erf.c port, float32 rounded once; torch
 * uses SLEEF and glibc). The zeros' signs must match wherever the result is exact.
 */
import * as api from "@x/tensor";
import { TensorError } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { decodeData, flattenNested, type TensorJson } from "./fixtures/codec.ts";
import { EXACT_OPS, type MathCase, mathArgs, mathFixture, runMath } from "./fixtures/math-table.ts";
import { ulpDistance, ulpMismatches } from "./fixtures/ulps.ts";

function allowedUlps(c: MathCase, dtype: string): number {
  const op = c.op.replace(/^t\./, "");
  if (EXACT_OPS.has(op) || !dtype.startsWith("float")) return 0;
  return 1;
}

function check(c: MathCase, functions?: Record<string, unknown>): void {
  const run = () => runMath(c.op, mathArgs(c), functions);
  if ("error" in c.out) {
    expect(run).toThrowError(expect.objectContaining({ code: "DIVISION_BY_ZERO" }));
    return;
  }
  const want = c.out;
  expect(ulpMismatches(run(), want, allowedUlps(c, want.dtype))).toEqual([]);
}

const groups = [...new Set(mathFixture.cases.map((c) => c.group))];
const named = (cases: MathCase[]): [string, MathCase][] => cases.map((c) => [c.name, c]);

describe(`pointwise math vs PyTorch ${mathFixture.torch}`, () => {
  for (const group of groups) {
    describe(group, () => {
      it.each(named(mathFixture.cases.filter((c) => c.group === group)))("%s", (_, c) => check(c));
    });
  }

  describe("function forms", () => {
    const functions = api as unknown as Record<string, unknown>;
    const cases = mathFixture.cases.filter((c) => c.group !== "sweep");
    it.each(named(cases))("%s", (_, c) => check(c, functions));
  });
});

describe("ulpDistance", () => {
  it("counts the floats between two values, across zero and per dtype", () => {
    expect(ulpDistance(1, Math.fround(1 + 2 ** -23), "float32")).toBe(1);
    expect(ulpDistance(1, 1 + 2 ** -52, "float64")).toBe(1);
    expect(ulpDistance(-0, 0, "float32")).toBe(0);
    expect(ulpDistance(-(2 ** -149), 2 ** -149, "float32")).toBe(2);
    expect(ulpDistance(Number.NaN, 1, "float32")).toBe(Infinity);
  });
});

describe("typed errors of the math ops", () => {
  const x = api.tensor([1.5, -2.5]);
  const ints = api.tensor([5, -5], { dtype: "int32" });
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      "an unknown roundingMode",
      () => x.div(2, { roundingMode: "round" as never }),
      "INVALID_ARGUMENT",
      /^div: roundingMode must be 'trunc', 'floor' or null, but got "round"\. Hint:/,
    ],
    [
      "integer remainder by zero",
      () => ints.remainder(api.tensor([2, 0], { dtype: "int32" })),
      "DIVISION_BY_ZERO",
      /^remainder: integer division by zero \(-5 by 0 in int32\), PyTorch's ZeroDivisionError\. Hint:/,
    ],
    [
      "integer floorDivide by zero",
      () => api.floorDivide(ints, api.tensor(0, { dtype: "int32" })),
      "DIVISION_BY_ZERO",
      /^floorDivide: integer division by zero \(5 by 0/,
    ],
    [
      "integer div trunc by zero",
      () => ints.div(api.tensor([0, 1], { dtype: "int32" }), { roundingMode: "trunc" }),
      "DIVISION_BY_ZERO",
      /^div: integer division by zero/,
    ],
    [
      "hypot of int32",
      () => ints.hypot(ints),
      "INVALID_DTYPE",
      /^hypot: hypot is only defined for floating tensors, but the operands compute in int32/,
    ],
    [
      "logaddexp of bool",
      () => api.tensor([true]).logaddexp(api.tensor([false])),
      "INVALID_DTYPE",
      /^logaddexp: .*compute in bool/,
    ],
    [
      "fmod of two bools",
      () => api.fmod(api.tensor([true]), api.tensor([true])),
      "INVALID_DTYPE",
      /^fmod: fmod is not defined for two bool tensors/,
    ],
    [
      "frac of int32",
      () => ints.frac(),
      "INVALID_DTYPE",
      /^frac: frac is only defined for floating tensors, but got int32/,
    ],
    [
      "lerp of int32",
      () => ints.lerp(ints, 0.5),
      "INVALID_DTYPE",
      /^lerp: lerp is only defined for floating tensors, but got int32/,
    ],
    [
      "lerp with an end of another dtype",
      () => x.lerp(x.double(), 0.5),
      "INVALID_DTYPE",
      /^lerp: expected dtype float32 for 'end' but got float64/,
    ],
    [
      "lerp with a weight that is neither a tensor nor a number",
      () => x.lerp(x, "0.5" as never),
      "INVALID_ARGUMENT",
      /^lerp: argument 'weight' must be a Tensor or a number, but got "0\.5"/,
    ],
    [
      "atan2 with an array",
      () => x.atan2([1, 2] as never),
      "INVALID_ARGUMENT",
      /^atan2: argument 'b' must be a Tensor or a number, but got \[1, 2\]/,
    ],
    [
      "tan of a non-tensor",
      () => api.tan(3 as never),
      "INVALID_ARGUMENT",
      /^tan: argument 'input' must be a Tensor, but got 3/,
    ],
  ];
  it.each(cases)("%s", (_, run, code, message) => {
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(TensorError.isInstance(thrown)).toBe(true);
    expect((thrown as TensorError).code).toBe(code);
    expect((thrown as TensorError).message).toMatch(message);
  });

  it("div with roundingMode null or undefined is true division", () => {
    expect(x.div(2, { roundingMode: null }).toArray()).toEqual([0.75, -1.25]);
    expect(api.div(x, 2, {}).toArray()).toEqual([0.75, -1.25]);
    expect(x.div(2, { roundingMode: "floor" }).toArray()).toEqual([0, -2]);
  });
});

describe("the existing rounding ops keep the Math contract", () => {
  it("round({ decimals }) rounds half to even and keeps the dtype; trunc/floor/ceil/sign too", () => {
    const x = api.tensor([0.5, 1.5, 2.5, -0.5, -2.675]);
    expect(x.round().toArray()).toEqual([0, 2, 2, -0, -3]);
    expect(x.round({ decimals: 2 }).dtype).toBe("float32");
    expect(api.tensor([1, -2], { dtype: "int32" }).sign().dtype).toBe("int32");
    expect(x.trunc().toArray()).toEqual([0, 1, 2, -0, -2]);
  });
});
