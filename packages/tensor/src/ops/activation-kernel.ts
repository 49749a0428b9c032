import type { RowKernel, RowOperand } from "../kernels/elementwise";
import { erf } from "./erf";

// The element functions of the activations, step by step as torch's CPU kernels
// (aten/src/ATen/native/cpu/Activation.cpp) compute them: every float32 step is rounded to
// float32 (`fit` is Math.fround for float32 outputs, the identity for float64), so a float32
// result carries torch's rounding errors too (elu's `exp(x) − 1`, gelu's `1 + erf` near −5),
// and the transcendental steps (exp, log1p, tanh, erf) are computed in float64 and rounded once.

/** Kernel codes (an enum, so that bundlers inline the numbers; see binary.ts). */
export enum Activation {
  GELU = 0,
  GELU_TANH = 1,
  SILU = 2,
  MISH = 3,
  SOFTPLUS = 4,
  SOFTSIGN = 5,
  LOGSIGMOID = 6,
  LEAKY_RELU = 7,
  ELU = 8,
  SELU = 9,
  HARDSWISH = 10,
  HARDSIGMOID = 11,
  HARDTANH = 12,
}

const same = (v: number): number => v;

/** `1/√2`, `√(2/π)` and the cubic coefficient of gelu, as torch writes them (double constants). */
const SQRT1_2 = Math.SQRT1_2;
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const GELU_KAPPA = 0.044715;
/** selu's constants (torch's `SELU_ALPHA`, `SELU_SCALE`). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
const SELU_NEGCOEF_F32 = Math.fround(Math.fround(SELU_ALPHA) * Math.fround(SELU_SCALE));
const SELU_NEGCOEF_F64 = SELU_ALPHA * SELU_SCALE;
const SELU_SCALE_F32 = Math.fround(SELU_SCALE);

// Abramowitz–Stegun 7.1.26, the erf of torch's AVX2 float32 kernels (vec256_float.h), with its
// fused multiply-adds (a float32 product is exact in float64, so one rounding per fma).
const AS_P = Math.fround(0.3275911);
const AS_1 = Math.fround(0.254829592);
const AS_2 = Math.fround(-0.284496736);
const AS_3 = Math.fround(1.421413741);
const AS_4 = Math.fround(-1.453152027);
const AS_5 = Math.fround(1.061405429);

/** torch's vectorised float32 erf (accurate to about 1e-7 absolute, not 1 ulp). */
export function vectorErf32(x: number): number {
  const f = Math.fround;
  const a = Math.abs(x);
  const t = f(1 / f(AS_P * a + 1));
  const r = f(f(f(f(AS_5 * t + AS_4) * t + AS_3) * t + AS_2) * t + AS_1);
  const e = f(Math.exp(-f(x * x)));
  const y = f(f(-e * t) * r + 1);
  return x < 0 || Object.is(x, -0) ? -y : y;
}

/**
 * One element of activation `code` of `v`; `p0`, `p1` are the op's scalar parameters, already
 * in the output's dtype; `vector` picks torch's vectorised gelu (its float32 erf differs).
 */
function activationValue(
  code: number,
  v: number,
  p0: number,
  p1: number,
  f: (x: number) => number,
  vector: boolean,
): number {
  switch (code) {
    case Activation.GELU: {
      const inner = f(v * f(SQRT1_2));
      const e = vector && f !== same ? vectorErf32(inner) : f(erf(inner));
      return f(v * 0.5) * f(1 + e);
    }
    case Activation.GELU_TANH: {
      const cube = f(f(v * v) * v);
      const inner = f(f(GELU_BETA) * f(v + f(f(GELU_KAPPA) * cube)));
      return f(0.5 * v) * f(1 + f(Math.tanh(inner)));
    }
    case Activation.SILU:
      return v / f(1 + f(Math.exp(-v)));
    case Activation.MISH:
      return v * f(Math.tanh(f(Math.log1p(f(Math.exp(v))))));
    case Activation.SOFTPLUS: {
      const scaled = f(v * p0);
      return scaled > p1 ? v : f(Math.log1p(f(Math.exp(scaled)))) / p0;
    }
    case Activation.SOFTSIGN:
      return v / f(Math.abs(v) + 1);
    case Activation.LOGSIGMOID:
      return Math.min(v, 0) - f(Math.log1p(f(Math.exp(-Math.abs(v)))));
    case Activation.LEAKY_RELU:
      return v > 0 ? v : v * p0;
    case Activation.ELU: // p0 = alpha (negcoef), p1 = input scale
      return v <= 0 || Number.isNaN(v) ? f(f(Math.exp(f(v * p1))) - 1) * p0 : v;
    case Activation.SELU:
      return v <= 0 || Number.isNaN(v)
        ? f(f(Math.exp(v)) - 1) * (f === same ? SELU_NEGCOEF_F64 : SELU_NEGCOEF_F32)
        : v * (f === same ? SELU_SCALE : SELU_SCALE_F32);
    case Activation.HARDSWISH:
      return f(v * Math.min(Math.max(f(v + 3), 0), 6)) / 6;
    case Activation.HARDSIGMOID:
      return Math.min(Math.max(f(v + 3), 0), 6) / 6;
    default: {
      // Activation.HARDTANH: torch's clamp, which keeps −0 and NaN and gives maxVal when minVal > maxVal
      const low = v < p0 ? p0 : v;
      return low > p1 ? p1 : low;
    }
  }
}

/**
 * The activation row kernel: `out[i] = act(x[i])`, the last rounding done by the store. float32
 * gelu uses torch's vectorised erf where torch's `cpu_kernel_vec` does: on every element of a
 * contiguous run longer than one (partial vectors included); strided rows use the exact erf.
 */
export const activationKernel: RowKernel = (code, operands, n, p0, p1) => {
  const out = operands[0] as RowOperand;
  const x = operands[1] as RowOperand;
  const to = out.data;
  const from = x.data;
  const f = to instanceof Float32Array ? Math.fround : same;
  const vector = n > 1 && x.stride === 1 && out.stride === 1;
  for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride)
    to[o] = activationValue(code, from[s] as number, p0, p1, f, vector);
};
