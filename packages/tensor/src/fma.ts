/**
 * Fused multiply-adds in JS, as the AVX2/FMA kernels of PyTorch's CPU build compute them
 * (one rounding of `a · b + c`). JS has no `Math.fma`, so the exact result is rebuilt from
 * error-free transformations.
 */

/** `a · b + c` rounded once to float32, for float32 `a`, `b`, `c` (whose product is exact in a double). */
export function fmaf(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = Math.fround(s);
  const d = s - r;
  // Rounding the double `s` to float32 is a second rounding; it can only go wrong when `s`
  // lies exactly halfway between two floats and the addition itself was inexact.
  if (d === 0 || Math.fround(r + 2 * d) !== r + 2 * d) return r;
  const p = a * b;
  const bv = s - p;
  const error = p - (s - bv) + (c - bv);
  if (error === 0) return r;
  return Math.sign(error) === Math.sign(d) ? r + 2 * d : r;
}

const SPLITTER = 134217729; // 2^27 + 1

/** `a · b + c` rounded once (to nearest double, except in vanishingly rare ties). */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  const productError = aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow;
  const s = p + c;
  const bv = s - p;
  const sumError = p - (s - bv) + (c - bv);
  return s + (sumError + productError);
}
