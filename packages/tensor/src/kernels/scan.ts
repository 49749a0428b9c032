import type { TypedArray } from "../dtype";

/** Scan kernel codes (an enum: bundlers inline the numbers, so no table ships). */
export enum SCAN {
  sum = 0,
  prod = 1,
  logsumexp = 2,
  max = 3,
  min = 4,
}
/** A scan kernel code. */
export type ScanCode = SCAN;

/** One line of a scan: `n` elements from `start`, `stride` apart, written likewise to `out`. */
export interface ScanLine {
  start: number;
  stride: number;
  outStart: number;
  outStride: number;
  n: number;
}

/**
 * torch's `_log_add_exp_helper`: `log(exp(x) + exp(y))` as `log1p(exp(min − max)) + max`;
 * equal infinities give `x`, and NaN spreads.
 */
function logAddExp(x: number, y: number): number {
  const min = Math.min(x, y);
  const max = Math.max(x, y);
  if (min !== max || Number.isFinite(min)) return Math.log1p(Math.exp(min - max)) + max;
  return x;
}

/**
 * Runs scan `code` along one line of `data` into `out` (and, for max/min, the running
 * positions into `indices`). As torch's CPU kernels: float32 sums and products accumulate in
 * float64 and round each output once (`acc_type<float>` is double on CPU), and so does
 * logsumexp; int32 wraps as 32-bit arithmetic does. max/min keep the last of tied
 * values (`>=` / `<=`) and the latest NaN, which then stays.
 */
export function scanLine(
  code: ScanCode,
  data: TypedArray,
  line: ScanLine,
  out: TypedArray,
  indices: Int32Array | null,
): void {
  const { start, stride, outStart, outStride, n } = line;
  const integer = out instanceof Int32Array;
  switch (code) {
    case 0:
    case 1: {
      const isSum = code === 0;
      let acc = isSum ? 0 : 1;
      if (integer) {
        for (let i = 0; i < n; i++) {
          const v = data[start + i * stride] as number;
          acc = isSum ? (acc + v) | 0 : Math.imul(acc, v);
          out[outStart + i * outStride] = acc;
        }
      } else if (isSum) {
        for (let i = 0; i < n; i++) {
          acc += data[start + i * stride] as number;
          out[outStart + i * outStride] = acc;
        }
      } else {
        for (let i = 0; i < n; i++) {
          acc *= data[start + i * stride] as number;
          out[outStart + i * outStride] = acc;
        }
      }
      break;
    }
    case 2: {
      let acc = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        acc = logAddExp(data[start + i * stride] as number, acc);
        out[outStart + i * outStride] = acc;
      }
      break;
    }
    default: {
      const isMax = code === 3;
      let best = data[start] as number;
      let at = 0;
      for (let i = 0; i < n; i++) {
        const v = data[start + i * stride] as number;
        if (Number.isNaN(v) || (!Number.isNaN(best) && (isMax ? v >= best : v <= best))) {
          best = v;
          at = i;
        }
        out[outStart + i * outStride] = best;
        if (indices !== null) indices[outStart + i * outStride] = at;
      }
    }
  }
}
