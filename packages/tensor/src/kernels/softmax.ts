import type { TypedArray } from "../dtype";
import { expInPlaceSimd, softmaxRowsSimd } from "./wasm/softmax-simd";

// Softmax and log-softmax along one dim of a contiguous [outer, size, inner] block, in the order
// of PyTorch's CPU kernels (aten/src/ATen/native/cpu/SoftMaxKernel.cpp, AVX2 build):
// - along the last dim: max, e = exp(x − max), the sum of e over 8 float32 lanes (4 float64 lanes)
//   folded as torch folds them, then e · (1 / sum), or (x − max) − log(sum);
// - along another dim: lanes of 8 (4) inner positions sum e in order along the dim, then e / sum
//   (log: (x − max) − log(sum)); the inner positions after the last whole lane use the scalar exp.
// float32 exp is SLEEF's expf_u10, which torch vectorises, computed without fused multiply-adds
// (JavaScript has none): within 1 ulp of torch's exp, equal to it for 99% of inputs.

// SLEEF's float32 constants (shortest decimals of the same floats)
const R_LN2 = Math.fround(Math.LOG2E);
const L2U = Math.fround(0.693145751953125);
const L2L = Math.fround(1.4286068e-6);
const C0 = Math.fround(0.00019852762);
const C1 = Math.fround(0.0013930436);
const C2 = Math.fround(0.008333361);
const C3 = Math.fround(0.041666485);
const C4 = Math.fround(0.16666667);
const fr = Math.fround;

/** Adding then subtracting 1.5 · 2^23 rounds a float32 below 2^22 to an integer, ties to even. */
const RINT = 12582912;

/**
 * float32 e^d by SLEEF's expf_u10 (torch's vectorised exp), each step rounded to float32 with
 * separate multiplies and adds; the WebAssembly kernel computes the same bits four at a time.
 */
export function expf(d: number): number {
  if (d < -104) return 0;
  if (d > 100) return Number.POSITIVE_INFINITY;
  const q = fr(fr(d * R_LN2) + RINT) - RINT;
  let s = fr(d - fr(q * L2U));
  s = fr(s - fr(q * L2L));
  let u = fr(fr(C0 * s) + C1);
  u = fr(fr(u * s) + C2);
  u = fr(fr(u * s) + C3);
  u = fr(fr(u * s) + C4);
  u = fr(fr(u * s) + 0.5);
  u = fr(1 + fr(fr(fr(s * s) * u) + s));
  // two exact scalings, so that a subnormal result is rounded once (SLEEF's ldexp2)
  const half = q >> 1;
  return fr(fr(u * 2 ** half) * 2 ** (q - half));
}

/** `e^v` in place for every float32 of `data` (torch's vectorised exp, as {@link expf}). */
export function expInPlace(data: Float32Array): void {
  for (let i = expInPlaceSimd(data); i < data.length; i++) data[i] = expf(data[i] as number);
}

/** The layout of one softmax: `outer` blocks of `size` rows of `inner` contiguous elements. */
export interface SoftmaxLayout {
  outer: number;
  size: number;
  inner: number;
  /** True when the dim is the tensor's last (torch's last-dim kernel, even if size is 1). */
  lastDim: boolean;
  /** True for float32 (8 lanes, rounded exp), false for float64 (4 lanes, Math.exp). */
  single: boolean;
  log: boolean;
}

/** Softmax (or log-softmax) of contiguous `x` into `out` (same length), as torch computes it. */
export function softmaxKernel(x: TypedArray, out: TypedArray, layout: SoftmaxLayout): void {
  if (layout.size === 0) return;
  if (layout.lastDim) lastDimKernel(x, out, layout);
  else innerKernel(x, out, layout);
}

function lastDimKernel(x: TypedArray, out: TypedArray, layout: SoftmaxLayout): void {
  const { outer, size, single, log } = layout;
  if (single && softmaxRowsSimd(x as Float32Array, 0, out as Float32Array, outer, size, log))
    return;
  const round = single ? fr : identity;
  const exp = single ? expf : Math.exp;
  const lanes = single ? 8 : 4;
  const acc = new Float64Array(lanes);
  for (let row = 0, start = 0; row < outer; row++, start += size) {
    const max = maxOf(x, start, size, 1);
    for (let j = 0; j < size; j++) out[start + j] = exp(round((x[start + j] as number) - max));
    const sum = laneSum(out, start, size, acc, round);
    if (log) {
      const logSum = round(Math.log(sum));
      for (let j = 0; j < size; j++)
        out[start + j] = round((x[start + j] as number) - max) - logSum;
    } else {
      const scale = round(1 / sum);
      for (let j = 0; j < size; j++) out[start + j] = (out[start + j] as number) * scale;
    }
  }
}

/**
 * torch's `vec::reduce_all` sum of `n` values: lane `l` adds every value at `l` mod the lane
 * count (the tail into the first lanes), then the lanes fold as AVX2 folds them for float32
 * ((0+4)+(2+6))+((1+5)+(3+7)), in order for float64; fewer values than lanes add in order.
 */
function laneSum(
  v: TypedArray,
  start: number,
  n: number,
  acc: Float64Array,
  round: (x: number) => number,
): number {
  const lanes = acc.length;
  if (n < lanes) {
    let sum = v[start] as number;
    for (let j = 1; j < n; j++) sum = round(sum + (v[start + j] as number));
    return sum;
  }
  for (let l = 0; l < lanes; l++) acc[l] = v[start + l] as number;
  for (let j = lanes; j < n; j++) {
    const l = j % lanes;
    acc[l] = round((acc[l] as number) + (v[start + j] as number));
  }
  if (lanes === 4) return round(round(round(acc[0]! + acc[1]!) + acc[2]!) + acc[3]!);
  const a = round(round(acc[0]! + acc[4]!) + round(acc[2]! + acc[6]!));
  const b = round(round(acc[1]! + acc[5]!) + round(acc[3]! + acc[7]!));
  return round(a + b);
}

function innerKernel(x: TypedArray, out: TypedArray, layout: SoftmaxLayout): void {
  const { outer, size, inner, single, log } = layout;
  const round = single ? fr : identity;
  const lanes = single ? 8 : 4;
  const vectorExp = single ? expf : Math.exp;
  const scalarExp = single ? (v: number) => fr(Math.exp(v)) : Math.exp;
  // log-softmax works on chunks of the inner positions (torch's L2-sized blocks); softmax on all
  const chunk = log ? logChunk(size, lanes) : inner;
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let begin = 0; begin < inner; begin += chunk) {
      const end = Math.min(inner, begin + chunk);
      const vectorEnd = begin + (end - begin) - ((end - begin) % lanes);
      for (let i = begin; i < end; i++) {
        const exp = i < vectorEnd ? vectorExp : scalarExp;
        columnSoftmax(x, out, base + i, size, inner, exp, round, log);
      }
    }
  }
}

/** torch's chunk of inner positions for log-softmax along a non-last dim. */
function logChunk(size: number, lanes: number): number {
  const chunk = Math.max(Math.floor(131072 / size / (lanes === 8 ? 4 : 8)), lanes);
  return chunk - (chunk % lanes);
}

function columnSoftmax(
  x: TypedArray,
  out: TypedArray,
  start: number,
  size: number,
  stride: number,
  exp: (v: number) => number,
  round: (v: number) => number,
  log: boolean,
): void {
  const max = maxOf(x, start, size, stride);
  let sum = 0;
  for (let d = 0, p = start; d < size; d++, p += stride) {
    const e = exp(round((x[p] as number) - max));
    if (!log) out[p] = e;
    sum = round(sum + e);
  }
  if (log) {
    const logSum = round(Math.log(sum));
    for (let d = 0, p = start; d < size; d++, p += stride)
      out[p] = round((x[p] as number) - max) - logSum;
  } else {
    for (let d = 0, p = start; d < size; d++, p += stride) out[p] = (out[p] as number) / sum;
  }
}

/**
 * The largest of `size` values, skipping NaN. torch's kernels propagate or skip NaN depending on
 * the path, but a NaN anywhere makes the whole softmax NaN either way (through its exp and sum).
 */
function maxOf(x: TypedArray, start: number, size: number, stride: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let d = 0, p = start; d < size; d++, p += stride) {
    const v = x[p] as number;
    if (v > max) max = v;
  }
  return max;
}

function identity(v: number): number {
  return v;
}
