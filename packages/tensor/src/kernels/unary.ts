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

/** One element of a unary kernel: `f(v)`; `low`/`high` are clamp's bounds. */
function unaryValue(code: UnaryCode, v: number, low: number, high: number): number {
  switch (code) {
    case 0:
      return -v;
    case 1:
      return Math.abs(v);
    case 2:
      return Math.sign(v) + 0;
    case 3:
      return Math.exp(v);
    case 4:
      return Math.log(v);
    case 5:
      return Math.sqrt(v);
    case 6:
      return Math.sin(v);
    case 7:
      return Math.cos(v);
    case 8:
      return Math.tanh(v);
    case 9:
      return 1 / (1 + Math.exp(-v));
    case 10:
      return v > 0 || Number.isNaN(v) ? v : 0;
    case 11:
      return Math.min(Math.max(v, low), high);
    case 13:
      return v ? 1 : 0;
    default:
      return v;
  }
}

/**
 * Computes `n` results `out[o + i] = f(x[ix + i*sx])`; `low`/`high` are clamp's bounds.
 * Storing into the output typed array rounds to its dtype. float32 → float32 runs in a loop of
 * its own so that its element accesses stay monomorphic (the common, hot case).
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
  if (code === UNARY.copy && sx === 1 && n > 64 && out.constructor === x.constructor) {
    out.set(x.subarray(ix, ix + n) as never, o);
  } else if (out instanceof Float32Array && x instanceof Float32Array) {
    unaryRowF32(code, out, o, x, ix, sx, o + n, low, high);
  } else {
    for (const end = o + n; o < end; o++, ix += sx)
      out[o] = unaryValue(code, x[ix] as number, low, high);
  }
}

function unaryRowF32(
  code: UnaryCode,
  out: Float32Array,
  o: number,
  x: Float32Array,
  ix: number,
  sx: number,
  end: number,
  low: number,
  high: number,
): void {
  for (; o < end; o++, ix += sx) out[o] = unaryValue(code, x[ix] as number, low, high);
}
