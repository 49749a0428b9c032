import type { TypedArray } from "../dtype";

/** Reduction kernel codes. */
export const REDUCE = {
  sum: 0,
  mean: 1,
  prod: 2,
  amax: 3,
  amin: 4,
  argmax: 5,
  argmin: 6,
  var: 7,
} as const;
/** A reduction kernel code. */
export type ReduceCode = (typeof REDUCE)[keyof typeof REDUCE];

/**
 * Reduces `data` into `out`: output element `o` combines `data[base[o] + inner[j]]` over all `j`.
 * float32 sums and products accumulate in float32, left to right (each partial result rounded,
 * as a scalar float32 loop does): that order reproduces the book's printed losses and gradients
 * digit for digit. Other dtypes accumulate in float64. `correction` is var's divisor offset.
 */
export function reduceRows(
  code: ReduceCode,
  data: TypedArray,
  base: Int32Array,
  inner: Int32Array,
  out: TypedArray,
  correction: number,
): void {
  const n = inner.length;
  const single = out instanceof Float32Array;
  for (let o = 0; o < base.length; o++) {
    const start = base[o] as number;
    switch (code) {
      case 0:
      case 1: {
        let sum = 0;
        if (single)
          for (let j = 0; j < n; j++)
            sum = Math.fround(sum + (data[start + (inner[j] as number)] as number));
        else for (let j = 0; j < n; j++) sum += data[start + (inner[j] as number)] as number;
        out[o] = sum; // rounds to the output dtype before mean divides, as PyTorch
        if (code === 1) out[o] = (out[o] as number) / n;
        break;
      }
      case 2: {
        let product = 1;
        if (single)
          for (let j = 0; j < n; j++)
            product = Math.fround(product * (data[start + (inner[j] as number)] as number));
        else for (let j = 0; j < n; j++) product *= data[start + (inner[j] as number)] as number;
        out[o] = product;
        break;
      }
      case 3:
      case 4:
      case 5:
      case 6:
        out[o] = extremeIndex(code, data, start, inner, code === 3 || code === 4);
        break;
      case 7: {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += data[start + (inner[j] as number)] as number;
        const mean = sum / n;
        let squares = 0;
        for (let j = 0; j < n; j++) {
          const d = (data[start + (inner[j] as number)] as number) - mean;
          squares += d * d;
        }
        out[o] = squares / Math.max(0, n - correction);
        break;
      }
    }
  }
}

let identity: Int32Array = new Int32Array(0);

/** {@link reduceRows} over all `n` elements of a contiguous block starting at `start`. */
export function reduceContiguous(
  code: ReduceCode,
  data: TypedArray,
  start: number,
  n: number,
  out: TypedArray,
  correction: number,
): void {
  if (code === 0 || code === 1) {
    let sum = 0;
    if (out instanceof Float32Array)
      for (let i = start, end = start + n; i < end; i++)
        sum = Math.fround(sum + (data[i] as number));
    else for (let i = start, end = start + n; i < end; i++) sum += data[i] as number;
    out[0] = sum; // rounds to the output dtype before mean divides, as PyTorch
    if (code === 1) out[0] = (out[0] as number) / n;
    return;
  }
  if (identity.length < n)
    identity = Int32Array.from({ length: Math.max(n, 2 * identity.length) }, (_, i) => i);
  reduceRows(code, data, Int32Array.of(start), identity.subarray(0, n), out, correction);
}

/** Value (or first index) of the max/min of one reduced block; NaN wins, as in PyTorch. */
function extremeIndex(
  code: ReduceCode,
  data: TypedArray,
  start: number,
  inner: Int32Array,
  wantValue: boolean,
): number {
  const isMax = code === 3 || code === 5;
  let best = 0;
  let bestValue = data[start + (inner[0] as number)] as number;
  for (let j = 1; j < inner.length && !Number.isNaN(bestValue); j++) {
    const value = data[start + (inner[j] as number)] as number;
    if (Number.isNaN(value) || (isMax ? value > bestValue : value < bestValue)) {
      best = j;
      bestValue = value;
    }
  }
  return wantValue ? bestValue : best;
}
