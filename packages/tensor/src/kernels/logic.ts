import type { RowKernel, RowOperand } from "./elementwise";

/**
 * Kernel codes of the logic ops (an enum, so that bundlers inline the numbers; see
 * ops/binary.ts). Unary codes run on {@link logicUnaryKernel}, the others on
 * {@link logicBinaryKernel}.
 */
export enum Logic {
  NOT = 0,
  BITWISE_NOT_INT = 1,
  BITWISE_NOT_BOOL = 2,
  ISNAN = 3,
  ISINF = 4,
  ISFINITE = 5,
  AND = 6,
  OR = 7,
  XOR = 8,
  BITWISE_AND = 9,
  BITWISE_OR = 10,
  BITWISE_XOR = 11,
  SHIFT_LEFT = 12,
  SHIFT_RIGHT = 13,
  ISCLOSE = 14,
  ISCLOSE_F32 = 15,
  /** `ISCLOSE…` + 2: the same with `equalNan`. */
  ISCLOSE_NAN = 16,
  ISCLOSE_F32_NAN = 17,
}

/** One element of a unary logic kernel. Truthiness is C++'s: any non-zero value, NaN included. */
function unaryLogic(code: number, v: number): number {
  switch (code) {
    case Logic.NOT:
      return v === 0 ? 1 : 0;
    case Logic.BITWISE_NOT_INT:
      return ~v;
    case Logic.BITWISE_NOT_BOOL:
      return 1 - v;
    case Logic.ISNAN:
      return Number.isNaN(v) ? 1 : 0;
    case Logic.ISINF:
      return v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY ? 1 : 0;
    default: // Logic.ISFINITE
      return Number.isFinite(v) ? 1 : 0;
  }
}

/**
 * `isclose` for one pair, as torch 1.13 computes it: equal values (and, with `equalNan`, two
 * NaNs) are close; otherwise `|a − b| ≤ atol + rtol·|b|` with a finite difference, in float64
 * for float64 and otherwise in float32 (int32 and bool values converted to float32 first,
 * every step rounded). `rtol` and `atol` arrive already rounded to the computation's type.
 */
function isClose(code: number, a: number, b: number, rtol: number, atol: number): number {
  const equalNan = code === Logic.ISCLOSE_NAN || code === Logic.ISCLOSE_F32_NAN;
  if (a === b || (equalNan && Number.isNaN(a) && Number.isNaN(b))) return 1;
  let actual = Math.abs(a - b);
  let allowed = atol + Math.abs(rtol * b);
  if (code === Logic.ISCLOSE_F32 || code === Logic.ISCLOSE_F32_NAN) {
    const b32 = Math.fround(b);
    actual = Math.abs(Math.fround(Math.fround(a) - b32));
    allowed = Math.fround(atol + Math.abs(Math.fround(rtol * b32)));
  }
  return Number.isFinite(actual) && actual <= allowed ? 1 : 0;
}

/** One element of a binary logic kernel; `p0`, `p1` are isclose's rtol and atol. */
function binaryLogic(code: number, x: number, y: number, p0: number, p1: number): number {
  switch (code) {
    case Logic.AND:
      return x !== 0 && y !== 0 ? 1 : 0;
    case Logic.OR:
      return x !== 0 || y !== 0 ? 1 : 0;
    case Logic.XOR:
      return (x !== 0) !== (y !== 0) ? 1 : 0;
    case Logic.BITWISE_AND:
      return x & y;
    case Logic.BITWISE_OR:
      return x | y;
    case Logic.BITWISE_XOR:
      return x ^ y;
    // torch 1.13 on int32 shifts by the count modulo 32 (x86's rule), exactly as JS does
    case Logic.SHIFT_LEFT:
      return x << y;
    case Logic.SHIFT_RIGHT:
      return x >> y;
    default:
      return isClose(code, x, y, p0, p1);
  }
}

/** The unary logic row kernel: `out[i] = f(x[i])`. */
export const logicUnaryKernel: RowKernel = (code, operands, n) => {
  const out = operands[0] as RowOperand;
  const x = operands[1] as RowOperand;
  const to = out.data;
  const from = x.data;
  for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride)
    to[o] = unaryLogic(code, from[s] as number);
};

/** The binary logic row kernel: `out[i] = a[i] ⊕ b[i]`. */
export const logicBinaryKernel: RowKernel = (code, operands, n, p0, p1) => {
  const out = operands[0] as RowOperand;
  const a = operands[1] as RowOperand;
  const b = operands[2] as RowOperand;
  const to = out.data;
  const x = a.data;
  const y = b.data;
  for (
    let i = 0, o = out.offset, ia = a.offset, ib = b.offset;
    i < n;
    i++, o += out.stride, ia += a.stride, ib += b.stride
  )
    to[o] = binaryLogic(code, x[ia] as number, y[ib] as number, p0, p1);
};
