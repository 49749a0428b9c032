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
  let o = 0;
  if (single && code <= 1) o = sumFourRowsF32(data, base, inner, out, n, code === 1);
  for (; o < base.length; o++) {
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

/**
 * float32 sums (means) of the rows four at a time, each row still summed left to right: four
 * independent chains of additions run in parallel where one chain waits on every addition's
 * latency. Returns the number of rows done (a multiple of 4).
 */
function sumFourRowsF32(
  data: TypedArray,
  base: Int32Array,
  inner: Int32Array,
  out: TypedArray,
  n: number,
  mean: boolean,
): number {
  const rows = base.length & ~3;
  for (let o = 0; o < rows; o += 4) {
    const b0 = base[o] as number;
    const b1 = base[o + 1] as number;
    const b2 = base[o + 2] as number;
    const b3 = base[o + 3] as number;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const at = inner[j] as number;
      s0 = Math.fround(s0 + (data[b0 + at] as number));
      s1 = Math.fround(s1 + (data[b1 + at] as number));
      s2 = Math.fround(s2 + (data[b2 + at] as number));
      s3 = Math.fround(s3 + (data[b3 + at] as number));
    }
    out[o] = mean ? s0 / n : s0;
    out[o + 1] = mean ? s1 / n : s1;
    out[o + 2] = mean ? s2 / n : s2;
    out[o + 3] = mean ? s3 / n : s3;
  }
  return rows;
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
