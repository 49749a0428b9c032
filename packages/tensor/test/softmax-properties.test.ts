/**
 * Property-based tests (fast-check) of the softmax family on random shapes, dims and values:
 * softmax sums to 1 along its dim and does not change when a constant is added (the max is
 * subtracted first), logSoftmax is the log of softmax, and logsumexp stays finite where the naive
 * log(Σ e^x) overflows float32 (values up to 1e30, or just past 88.72 where e^x is inf).
 */
import { type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const RUNS = { numRuns: 200, seed: 1717 };

/** A float32 tensor of 1 to 3 dims of size 1 to 9 with values in ±`scale`, and a dim of it. */
const withDim = (scale: number) =>
  fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
    fc.tuple(
      fc
        .array(fc.float({ min: -scale, max: scale, noNaN: true, noDefaultInfinity: true }), {
          minLength: shape.reduce((a, b) => a * b, 1),
          maxLength: shape.reduce((a, b) => a * b, 1),
        })
        .map((values) => tensor(values).reshape(shape)),
      fc.integer({ min: -shape.length, max: shape.length - 1 }),
    ),
  );

const values = (t: Tensor) => t.toTypedArray() as Float32Array;

describe("softmax family: properties", () => {
  it("softmax sums to 1 along its dim, every element in [0, 1]", () => {
    fc.assert(
      fc.property(withDim(50), ([x, dim]) => {
        const y = x.softmax(dim);
        for (const v of values(y)) expect(v >= 0 && v <= 1).toBe(true);
        for (const s of values(y.sum(dim))) expect(Math.abs(s - 1)).toBeLessThan(4e-6);
      }),
      RUNS,
    );
  });

  it("softmax is shift-invariant: softmax(x + c) = softmax(x)", () => {
    fc.assert(
      fc.property(withDim(20), fc.integer({ min: -1000, max: 1000 }), ([x, dim], c) => {
        // whole-number x and c keep x + c exact in float32, so only the kernel could differ
        const whole = x.round();
        const a = values(whole.softmax(dim));
        const b = values(whole.add(c).softmax(dim));
        for (const [i, v] of a.entries())
          expect(Math.abs(v - (b[i] as number))).toBeLessThanOrEqual(1e-6);
      }),
      RUNS,
    );
  });

  it("logSoftmax is log(softmax) where softmax is not tiny", () => {
    fc.assert(
      fc.property(withDim(5), ([x, dim]) => {
        const log = values(x.logSoftmax(dim));
        const soft = values(x.softmax(dim));
        for (const [i, v] of soft.entries())
          expect(Math.abs(Math.log(v) - (log[i] as number))).toBeLessThan(1e-5);
      }),
      RUNS,
    );
  });

  it("logsumexp never overflows where the naive log(Σ e^x) does", () => {
    const big = fc.oneof(
      fc.float({ min: Math.fround(88.8), max: Math.fround(1e30), noNaN: true }),
      fc.float({ min: Math.fround(88.73), max: 100, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(big, { minLength: 1, maxLength: 12 }), (xs) => {
        const x = tensor(xs);
        const naive = x.exp().sum().log().item() as number;
        const stable = x.logsumexp(0).item() as number;
        const max = Math.max(...xs.map(Math.fround));
        expect(naive).toBe(Number.POSITIVE_INFINITY);
        expect(Number.isFinite(stable)).toBe(true);
        // max ≤ logsumexp ≤ max + log(n), up to float32 rounding
        expect(stable).toBeGreaterThanOrEqual(max);
        expect(stable).toBeLessThanOrEqual(Math.fround(max + Math.log(xs.length)) * (1 + 2 ** -22));
      }),
      RUNS,
    );
  });
});
