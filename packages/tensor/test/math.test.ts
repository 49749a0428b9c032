/**
 * The pointwise math ops against PyTorch 1.13 (fixtures/math.json, written by
 * fixtures/math.py): values, dtypes and shapes, through both the method and the function form.
 *
 * Tolerances: frac, reciprocal, rsqrt, remainder, fmod, div with a rounding mode, floorDivide,
 * copysign and lerp are bit-exact (their kernels round each float32 step as torch's do). The
 * transcendental ones are within 1 ulp of torch's float32 result (float64 computation rounded
 * once), except asinh and atanh: 2 ulps, because torch's float32 kernels (glibc's asinhf and
 * atanhf) are themselves up to 2 ulps from the correctly rounded value, which @x returns.
 * float64 results are within 2 ulps (V8's fdlibm against torch's libm/SLEEF).
 */
import * as api from "@x/tensor";
import { TensorError } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { decodeData, flattenNested, type TensorJson } from "./fixtures/codec.ts";
import { EXACT_OPS, type MathCase, mathArgs, mathFixture, runMath } from "./fixtures/math-table.ts";

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** A float's position on the number line of its dtype (adjacent floats differ by 1). */
function ordinal(value: number, dtype: string): bigint {
  if (dtype === "float32") {
    f32[0] = value;
    const bits = i32[0] as number;
    return BigInt(bits < 0 ? -(bits & 0x7fffffff) : bits);
  }
  f64[0] = value;
  const bits = i64[0] as bigint;
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** The distance in ulps between two floats of `dtype` (0 for two NaNs, Infinity for NaN vs a number). */
export function ulpDistance(a: number, b: number, dtype: string): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const d = ordinal(a, dtype) - ordinal(b, dtype);
  return Number(d < 0n ? -d : d);
}

function allowedUlps(c: MathCase, dtype: string): number {
  const op = c.op.replace(/^t\./, "");
  if (EXACT_OPS.has(op) || !dtype.startsWith("float")) return 0;
  if (dtype === "float64") return 2;
  return op === "asinh" || op === "atanh" ? 2 : 1;
}

/** Every difference between `actual` and `want`: dtype, shape, then elements beyond the ulp budget. */
function mismatches(actual: api.Tensor, want: TensorJson, ulps: number): string[] {
  if (actual.dtype !== want.dtype) return [`dtype ${actual.dtype}, want ${want.dtype}`];
  if (JSON.stringify(actual.shape) !== JSON.stringify(want.shape))
    return [`shape [${actual.shape}], want [${want.shape}]`];
  const got = flattenNested(actual.toArray()) as number[];
  const expected = decodeData(want) as number[];
  const bad: string[] = [];
  expected.forEach((w, i) => {
    const g = got[i] as number;
    const signOk = !(g === 0 && w === 0) || Object.is(g, w) || ulps > 0;
    const distance = ulpDistance(g, w, want.dtype);
    if (distance > ulps || !signOk)
      bad.push(
        `[${i}] got ${Object.is(g, -0) ? "-0" : g}, want ${Object.is(w, -0) ? "-0" : w} (${distance} ulp)`,
      );
  });
  return bad.slice(0, 8);
}

function check(c: MathCase, functions?: Record<string, unknown>): void {
  const run = () => runMath(c.op, mathArgs(c), functions);
  if ("error" in c.out) {
    expect(run).toThrowError(expect.objectContaining({ code: "DIVISION_BY_ZERO" }));
    return;
  }
  const want = c.out;
  expect(mismatches(run(), want, allowedUlps(c, want.dtype))).toEqual([]);
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
