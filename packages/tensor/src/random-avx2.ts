/**
 * PyTorch's vectorised float32 Box–Muller (`normal_fill_16_AVX2` in
 * `aten/src/ATen/native/cpu/DistributionTemplates.h`, with `log256_ps` and `sincos256_ps` from
 * `avx_mathfun.h`, Cephes polynomials in float32), one lane at a time. Debian's torch 1.13 runs
 * this path on AVX2 machines, and its GCC build contracts the Horner steps into FMAs; the
 * fused steps below are the ones that reproduce its output bit for bit (checked on 200k samples).
 */
import { fmaf } from "./fma";

const f = Math.fround;
const floatBits = new Float32Array(1);
const intBits = new Int32Array(floatBits.buffer);

const SQRT_HALF = f(Math.SQRT1_2);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.1219444e-4);
const LOG_Q2 = f(0.693359375);
const MIN_NORMAL = 1.1754943508222875e-38;

/** `log256_ps` for one positive float32 lane. */
function logFloat(value: number): number {
  floatBits[0] = Math.max(value, MIN_NORMAL);
  const bits = intBits[0] as number;
  let e = f((bits >>> 23) - 0x7f + 1);
  intBits[0] = (bits & ~0x7f800000) | 0x3f000000;
  const mantissa = floatBits[0] as number;
  let x = f(mantissa - 1);
  if (mantissa < SQRT_HALF) {
    e = f(e - 1);
    x = f(x + mantissa);
  }
  const z = f(x * x);
  let y = LOG_P[0] as number;
  for (let k = 1; k < LOG_P.length; k++) y = fmaf(y, x, LOG_P[k] as number);
  y = f(y * x);
  y = fmaf(y, z, f(e * LOG_Q1));
  y = f(y - f(z * 0.5));
  x = f(x + y);
  return fmaf(e, LOG_Q2, x);
}

const DP1 = f(-0.78515625);
const DP2 = f(-2.418756484985352e-4);
const DP3 = f(-3.774894977445941e-8);
const SIN_P = [f(-1.9515295891e-4), f(8.3321608736e-3), f(-1.6666654611e-1)] as const;
const COS_P = [f(2.443315711809948e-5), f(-1.388731625493765e-3), f(4.166664568298827e-2)] as const;
const FOUR_OVER_PI = f(1.27323954473516);

/** `sincos256_ps` for one non-negative float32 lane; writes sine and cosine into `out`. */
function sinCosFloat(angle: number, out: Float64Array): void {
  let j = Math.trunc(f(angle * FOUR_OVER_PI));
  j = (j + 1) & ~1;
  const y = f(j);
  let x = fmaf(y, DP1, angle);
  x = fmaf(y, DP2, x);
  x = fmaf(y, DP3, x);
  const z = f(x * x);
  let c = fmaf(fmaf(COS_P[0], z, COS_P[1]), z, COS_P[2]);
  c = f(fmaf(f(c * z), z, -f(z * 0.5)) + 1);
  let s = fmaf(fmaf(SIN_P[0], z, SIN_P[1]), z, SIN_P[2]);
  s = fmaf(f(s * z), x, x);
  const swap = (j & 2) !== 0;
  const sine = swap ? c : s;
  const cosine = swap ? s : c;
  out[0] = j & 4 ? -sine : sine;
  out[1] = (~(j - 2) & 4) !== 0 ? -cosine : cosine;
}

const TWO_PI = f(2 * Math.PI);
const sinCos = new Float64Array(2);

/**
 * Turns 16 uniform float32 samples at `data[at …]` into 16 normal ones, in place: the first 8
 * give the radii, the last 8 the angles (`normal_fill_16_AVX2`).
 */
export function normalFill16Float(data: Float32Array, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const radius = f(Math.sqrt(f(-2 * logFloat(f(1 - (data[j] as number))))));
    sinCosFloat(f(TWO_PI * (data[j + 8] as number)), sinCos);
    data[j] = fmaf(f(radius * (sinCos[1] as number)), std, mean);
    data[j + 8] = fmaf(f(radius * (sinCos[0] as number)), std, mean);
  }
}
