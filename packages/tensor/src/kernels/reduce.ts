import type { TypedArray } from "../dtype";

/** Reduction kernel codes (an enum: bundlers inline the numbers, so no table ships). */
export enum REDUCE {
  sum = 0,
  mean = 1,
  prod = 2,
  amax = 3,
  amin = 4,
  argmax = 5,
  argmin = 6,
  var = 7,
  any = 8,
  all = 9,
}
/** A reduction kernel code. */
export type ReduceCode = REDUCE;

/**
 * Reduces `data` into `out`: output element `o` combines `data[base[o] + inner[j]]` over the
 * first `n` (by default all) `j`.
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
  n = inner.length,
): void {
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
        out[o] = extremeIndex(code, data, start, inner, n, code === 3 || code === 4);
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
      case 8:
      case 9: {
        // any: some element is truthy; all: none is falsy (NaN is truthy, as in C++)
        const wanted = code === 8;
        let found = false;
        for (let j = 0; j < n && !found; j++)
          found = (data[start + (inner[j] as number)] !== 0) === wanted;
        out[o] = found === wanted ? 1 : 0;
        break;
      }
    }
  }
}

let identity: Int32Array = new Int32Array(0);
/** The one row of a contiguous reduction (reused: the kernels are not re-entered). */
const contiguousBase = new Int32Array(1);

/** {@link reduceRows} over all `n` elements of a contiguous block starting at `start`. */
export function reduceContiguous(
  code: ReduceCode,
  data: TypedArray,
  start: number,
  n: number,
  out: TypedArray,
  correction: number,
): void {
  if (identity.length < n)
    identity = Int32Array.from({ length: Math.max(n, 2 * identity.length) }, (_, i) => i);
  contiguousBase[0] = start;
  reduceRows(code, data, contiguousBase, identity, out, correction, n);
}

/** Value (or first index) of the max/min of one reduced block; NaN wins, as in PyTorch. */
function extremeIndex(
  code: ReduceCode,
  data: TypedArray,
  start: number,
  inner: Int32Array,
  n: number,
  wantValue: boolean,
): number {
  const isMax = code === 3 || code === 5;
  let best = 0;
  let bestValue = data[start + (inner[0] as number)] as number;
  for (let j = 1; j < n && !Number.isNaN(bestValue); j++) {
    const value = data[start + (inner[j] as number)] as number;
    if (Number.isNaN(value) || (isMax ? value > bestValue : value < bestValue)) {
      best = j;
      bestValue = value;
    }
  }
  return wantValue ? bestValue : best;
}
