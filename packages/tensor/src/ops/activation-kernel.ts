import type { RowKernel, RowOperand } from "../kernels/elementwise";
import { erf } from "./erf";

// The element functions of the activations, step by step as torch's CPU kernels
// (aten/src/ATen/native/cpu/Activation.cpp) compute them: every float32 step is rounded to
// float32, so a float32 result carries torch's rounding errors too (elu's `exp(x) − 1`, gelu's
// `1 + erf` near −5), and the transcendental steps (exp, log1p, tanh, erf) are computed in
// float64 and rounded once. float64 follows the same formulas without the roundings.

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

/** `1/√2`, `√(2/π)` and the cubic coefficient of gelu, as torch writes them (double constants). */
const SQRT1_2 = Math.SQRT1_2;
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const GELU_KAPPA = 0.044715;
/** selu's constants (torch's `SELU_ALPHA`, `SELU_SCALE`). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
const SELU_NEGCOEF_F32 = Math.fround(Math.fround(SELU_ALPHA) * Math.fround(SELU_SCALE));
const SELU_NEGCOEF_F64 = SELU_ALPHA * SELU_SCALE; // torch multiplies the double Scalars
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

const fround = Math.fround;

/** One element of activation `code` in float64 (also the int32 → int32 of hardtanh). */
function value64(code: number, v: number, p0: number, p1: number): number {
  switch (code) {
    case Activation.GELU:
      return v * 0.5 * (1 + erf(v * SQRT1_2));
    case Activation.GELU_TANH:
      return 0.5 * v * (1 + Math.tanh(GELU_BETA * (v + GELU_KAPPA * (v * v * v))));
    case Activation.SILU:
      return v / (1 + Math.exp(-v));
    case Activation.MISH:
      return v * Math.tanh(Math.log1p(Math.exp(v)));
    case Activation.SOFTPLUS:
      return v * p0 > p1 ? v : Math.log1p(Math.exp(v * p0)) / p0;
    case Activation.SOFTSIGN:
      return v / (Math.abs(v) + 1);
    case Activation.LOGSIGMOID:
      return Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v)));
    case Activation.LEAKY_RELU:
      return v > 0 ? v : v * p0;
    case Activation.ELU: // p0 = alpha, p1 = input scale (1, or 1/alpha for celu)
      return v > 0 ? v : (Math.exp(v * p1) - 1) * p0;
    case Activation.SELU:
      return v > 0 ? v * SELU_SCALE : (Math.exp(v) - 1) * SELU_NEGCOEF_F64;
    case Activation.HARDSWISH:
      return (v * Math.min(Math.max(v + 3, 0), 6)) / 6;
    case Activation.HARDSIGMOID:
      return Math.min(Math.max(v + 3, 0), 6) / 6;
    default: {
      // Activation.HARDTANH: torch's clamp, which keeps −0 and NaN and gives maxVal when minVal > maxVal
      // biome-ignore lint/complexity/useMathMinMax: Math.max(-0, 0) is 0, torch's clamp keeps -0
      const low = v < p0 ? p0 : v;
      // biome-ignore lint/complexity/useMathMinMax: Math.max(-0, 0) is 0, torch's clamp keeps -0
      return low > p1 ? p1 : low;
    }
  }
}

/**
 * The float32 loop of activation `code`: every step rounded to float32 as torch's kernel rounds
 * it (one loop per op, so that V8 compiles each formula with `fround` inline).
 */
function run32(
  code: number,
  out: RowOperand,
  x: RowOperand,
  n: number,
  p0: number,
  p1: number,
): void {
  const to = out.data;
  const from = x.data;
  const os = out.stride;
  const xs = x.stride;
  let o = out.offset;
  let s = x.offset;
  switch (code) {
    case Activation.GELU: {
      // torch's cpu_kernel_vec runs a contiguous run longer than one through its vectorised erf
      const vector = n > 1 && os === 1 && xs === 1;
      const alpha = fround(SQRT1_2);
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        const inner = fround(v * alpha);
        to[o] = fround(v * 0.5) * fround(1 + (vector ? vectorErf32(inner) : fround(erf(inner))));
      }
      return;
    }
    case Activation.GELU_TANH: {
      const beta = fround(GELU_BETA);
      const kappa = fround(GELU_KAPPA);
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        const inner = fround(beta * fround(v + fround(kappa * fround(fround(v * v) * v))));
        to[o] = fround(0.5 * v) * fround(1 + fround(Math.tanh(inner)));
      }
      return;
    }
    case Activation.SILU:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        to[o] = v / fround(1 + fround(Math.exp(-v)));
      }
      return;
    case Activation.MISH:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        to[o] = v * fround(Math.tanh(fround(Math.log1p(fround(Math.exp(v))))));
      }
      return;
    case Activation.SOFTPLUS:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        const scaled = fround(v * p0);
        to[o] = scaled > p1 ? v : fround(Math.log1p(fround(Math.exp(scaled)))) / p0;
      }
      return;
    case Activation.SOFTSIGN: // also int32 inputs, computed in float32
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = fround(from[s] as number);
        to[o] = v / fround(Math.abs(v) + 1);
      }
      return;
    case Activation.LOGSIGMOID:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        to[o] = Math.min(v, 0) - fround(Math.log1p(fround(Math.exp(-Math.abs(v)))));
      }
      return;
    case Activation.ELU:
    case Activation.SELU: {
      const negcoef = code === Activation.SELU ? SELU_NEGCOEF_F32 : p0;
      const scale = code === Activation.SELU ? SELU_SCALE_F32 : 1;
      const inputScale = code === Activation.SELU ? 1 : p1;
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        to[o] = v > 0 ? v * scale : fround(fround(Math.exp(fround(v * inputScale))) - 1) * negcoef;
      }
      return;
    }
    case Activation.HARDSWISH:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        to[o] = fround(v * Math.min(Math.max(fround(v + 3), 0), 6)) / 6;
      }
      return;
    case Activation.HARDSIGMOID:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        to[o] = Math.min(Math.max(fround((from[s] as number) + 3), 0), 6) / 6;
      }
      return;
    case Activation.LEAKY_RELU:
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        to[o] = v > 0 ? v : v * p0;
      }
      return;
    default: {
      // Activation.HARDTANH, as in value64 (minVal > maxVal gives maxVal, NaN stays NaN)
      // biome-ignore lint/complexity/useMathMinMax: the same comparisons as the loop's
      const low = p0 > p1 ? p1 : p0;
      for (let i = 0; i < n; i++, o += os, s += xs) {
        const v = from[s] as number;
        // biome-ignore lint/complexity/useMathMinMax: Math.max(-0, 0) is 0, torch's clamp keeps -0
        to[o] = v < low ? low : v > p1 ? p1 : v;
      }
    }
  }
}

/** The activation row kernel: `out[i] = act(x[i])`, the last rounding done by the store. */
export const activationKernel: RowKernel = (code, operands, n, p0, p1) => {
  const out = operands[0] as RowOperand;
  const x = operands[1] as RowOperand;
  if (out.data instanceof Float32Array) {
    run32(code, out, x, n, p0, p1);
    return;
  }
  const to = out.data;
  const from = x.data;
  for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride)
    to[o] = value64(code, from[s] as number, p0, p1);
};
