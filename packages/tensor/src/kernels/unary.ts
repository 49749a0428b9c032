import type { TypedArray } from "../dtype";

/** Unary kernel codes (see {@link unaryRow}). */
export const UNARY = {
  neg: 0,
  abs: 1,
  sign: 2,
  exp: 3,
  log: 4,
  sqrt: 5,
  sin: 6,
  cos: 7,
  tanh: 8,
  sigmoid: 9,
  relu: 10,
  clamp: 11,
  copy: 12,
  toBool: 13,
} as const;

/** A unary kernel code. */
export type UnaryCode = (typeof UNARY)[keyof typeof UNARY];

/**
 * Computes `n` results `out[o + i] = f(x[ix + i*sx])`; `low`/`high` are clamp's bounds.
 * Storing into the output typed array rounds to its dtype.
 */
export function unaryRow(
  code: UnaryCode,
  out: TypedArray,
  o: number,
  x: TypedArray,
  ix: number,
  sx: number,
  n: number,
  low: number,
  high: number,
): void {
  const end = o + n;
  switch (code) {
    case 0:
      for (; o < end; o++, ix += sx) out[o] = -(x[ix] as number);
      return;
    case 1:
      for (; o < end; o++, ix += sx) out[o] = Math.abs(x[ix] as number);
      return;
    case 2:
      for (; o < end; o++, ix += sx) out[o] = Math.sign(x[ix] as number) + 0;
      return;
    case 3:
      for (; o < end; o++, ix += sx) out[o] = Math.exp(x[ix] as number);
      return;
    case 4:
      for (; o < end; o++, ix += sx) out[o] = Math.log(x[ix] as number);
      return;
    case 5:
      for (; o < end; o++, ix += sx) out[o] = Math.sqrt(x[ix] as number);
      return;
    case 6:
      for (; o < end; o++, ix += sx) out[o] = Math.sin(x[ix] as number);
      return;
    case 7:
      for (; o < end; o++, ix += sx) out[o] = Math.cos(x[ix] as number);
      return;
    case 8:
      for (; o < end; o++, ix += sx) out[o] = Math.tanh(x[ix] as number);
      return;
    case 9:
      for (; o < end; o++, ix += sx) out[o] = 1 / (1 + Math.exp(-(x[ix] as number)));
      return;
    case 10:
      for (; o < end; o++, ix += sx) {
        const v = x[ix] as number;
        out[o] = v > 0 || Number.isNaN(v) ? v : 0;
      }
      return;
    case 11:
      for (; o < end; o++, ix += sx) out[o] = Math.min(Math.max(x[ix] as number, low), high);
      return;
    case 12:
      if (sx === 1 && n > 64 && out.constructor === x.constructor) {
        out.set(x.subarray(ix, ix + n) as never, o);
        return;
      }
      for (; o < end; o++, ix += sx) out[o] = x[ix] as number;
      return;
    case 13:
      for (; o < end; o++, ix += sx) out[o] = x[ix] ? 1 : 0;
      return;
  }
}
