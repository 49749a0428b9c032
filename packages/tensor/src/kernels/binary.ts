import type { TypedArray } from "../dtype";
import { binaryRowF32 } from "./binary-f32";
import { binaryFloat32Simd, SIMD_ELEMENTWISE_MIN, type SimdBinaryOp } from "./wasm/elementwise";

const simdOps: (SimdBinaryOp | undefined)[] = ["add", "sub", "mul", "div"];

/** Binary kernel codes: one switch outside each loop keeps the hot loops free of calls. */
export const BINARY = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  eq: 7,
  ne: 8,
  lt: 9,
  le: 10,
  gt: 11,
  ge: 12,
  imul: 13,
  or: 14,
  and: 15,
  reluBackward: 16,
} as const;

/** A binary kernel code. */
export type BinaryCode = (typeof BINARY)[keyof typeof BINARY];

/**
 * Computes `n` results `out[o + i] = a[ia + i*sa] ⊕ b[ib + i*sb]`. Writing into a typed array
 * rounds each result to the output dtype (float32 rounding happens here, as in PyTorch).
 */
export function binaryRow(
  code: BinaryCode,
  out: TypedArray,
  o: number,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  n: number,
): void {
  // Large float32 add/sub/mul/div: the SIMD kernels (bit-identical results).
  const simd = n >= SIMD_ELEMENTWISE_MIN ? simdOps[code] : undefined;
  if (
    simd !== undefined &&
    out instanceof Float32Array &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    binaryFloat32Simd(simd, out, o, a, ia, sa, b, ib, sb, n)
  ) {
    return;
  }
  const end = o + n;
  switch (code) {
    case 0:
      if (sa === 1 && sb === 1)
        for (; o < end; o++) out[o] = (a[ia++] as number) + (b[ib++] as number);
      else for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) + (b[ib] as number);
      return;
    case 1:
      if (sa === 1 && sb === 1)
        for (; o < end; o++) out[o] = (a[ia++] as number) - (b[ib++] as number);
      else for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) - (b[ib] as number);
      return;
    case 2:
      if (sa === 1 && sb === 1)
        for (; o < end; o++) out[o] = (a[ia++] as number) * (b[ib++] as number);
      else for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) * (b[ib] as number);
      return;
    case 3:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) / (b[ib] as number);
      return;
    case 4:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = powOf(a[ia] as number, b[ib] as number);
      return;
    case 5:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia] as number, b[ib] as number);
      return;
    case 6:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia] as number, b[ib] as number);
      return;
    case 7:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] === b[ib] ? 1 : 0;
      return;
    case 8:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== b[ib] ? 1 : 0;
      return;
    case 9:
      for (; o < end; o++, ia += sa, ib += sb)
        out[o] = (a[ia] as number) < (b[ib] as number) ? 1 : 0;
      return;
    case 10:
      for (; o < end; o++, ia += sa, ib += sb)
        out[o] = (a[ia] as number) <= (b[ib] as number) ? 1 : 0;
      return;
    case 11:
      for (; o < end; o++, ia += sa, ib += sb)
        out[o] = (a[ia] as number) > (b[ib] as number) ? 1 : 0;
      return;
    case 12:
      for (; o < end; o++, ia += sa, ib += sb)
        out[o] = (a[ia] as number) >= (b[ib] as number) ? 1 : 0;
      return;
    case 13:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.imul(a[ia] as number, b[ib] as number);
      return;
    case 14:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] || b[ib] ? 1 : 0;
      return;
    case 15:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] && b[ib] ? 1 : 0;
      return;
    case 16: // relu's backward: the gradient `a` where the result `b` is positive, else 0
      for (; o < end; o++, ia += sa, ib += sb)
        out[o] = (b[ib] as number) > 0 ? (a[ia] as number) : 0;
      return;
  }
}

/**
 * {@link binaryRow}, with float32 `add`/`sub`/`mul`/`div` below the SIMD threshold routed to the
 * monomorphic {@link binaryRowF32} (the common case of small float32 tensors).
 */
export function binaryRows(
  code: BinaryCode,
  out: TypedArray,
  o: number,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  n: number,
): void {
  if (
    out instanceof Float32Array &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    (code === BINARY.reluBackward || (code <= 3 && n < SIMD_ELEMENTWISE_MIN))
  ) {
    binaryRowF32(code, out, o, a, ia, sa, b, ib, sb, n);
  } else binaryRow(code, out, o, a, ia, sa, b, ib, sb, n);
}

/** `x ** y` as PyTorch (C's pow) computes it: `pow(x, 2)` is `x * x`, and `1 ** y` is 1 even for NaN. */
function powOf(x: number, y: number): number {
  if (y === 2) return x * x;
  return x === 1 ? 1 : x ** y;
}
