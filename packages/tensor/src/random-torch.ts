/**
 * PyTorch's CPU transformations from a generator's 32-bit words to samples
 * (`aten/src/ATen/core/TransformationHelper.h`, `core/DistributionsHelper.h`,
 * `native/cpu/DistributionTemplates.h`, `native/TensorFactories.cpp`), path for path, so that
 * a seeded generator gives torch's numbers. Each function fills flat storage in the order
 * torch's kernels draw.
 */
import { fma, fmaf } from "./fma";
import type { Generator } from "./generator";
import { normalFill16Float } from "./random-avx2";

/** Float storage the samplers fill. */
export type FloatArray = Float32Array | Float64Array;

/**
 * `uniform_(from, to)`: float32 draws 24 bits of one word, float64 53 bits of two
 * (`uniform_real`); `x · (to − from) + from` is one fused multiply-add in torch's AVX2 build.
 */
export function fillUniform(g: Generator, out: FloatArray, from: number, to: number): void {
  if (out instanceof Float32Array && from === 0 && to === 1) {
    for (let i = 0; i < out.length; i++) out[i] = g.nextFloat32(); // x · 1 + 0 is exact
  } else if (out instanceof Float32Array) {
    const low = Math.fround(from);
    const range = Math.fround(Math.fround(to) - low);
    for (let i = 0; i < out.length; i++) out[i] = fmaf(g.nextFloat32(), range, low);
  } else {
    const range = to - from;
    for (let i = 0; i < out.length; i++) out[i] = fma(g.nextDouble(), range, from);
  }
}

/**
 * One sample of torch's scalar `normal_distribution<double>`: Box–Muller on two 53-bit
 * uniforms, caching the sine half for the next call (reset by `manualSeed`).
 */
export function normalDouble(g: Generator, mean: number, std: number): number {
  const cached = g.nextNormal;
  if (cached !== null) {
    g.nextNormal = null;
    return fma(cached, std, mean);
  }
  const u1 = g.nextDouble();
  const u2 = g.nextDouble();
  const radius = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  g.nextNormal = radius * Math.sin(theta);
  return fma(radius * Math.cos(theta), std, mean);
}

/** `normal_fill_16` for float64: Box–Muller over 16 uniforms (radii from the first 8). */
function normalFill16Double(data: Float64Array, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const radius = Math.sqrt(-2 * Math.log(1 - (data[j] as number)));
    const theta = 2 * Math.PI * (data[j + 8] as number);
    data[j] = fma(radius * Math.cos(theta), std, mean);
    data[j + 8] = fma(radius * Math.sin(theta), std, mean);
  }
}

/**
 * `normal_(mean, std)` of a contiguous tensor with at least 16 elements (`normal_fill`): all
 * uniforms first, Box–Muller over blocks of 16, and when the size is not a multiple of 16 the
 * last 16 values are drawn again and redone. float32 takes the AVX2 kernel's float math.
 */
export function fillNormalBlocks(g: Generator, out: FloatArray, mean: number, std: number): void {
  const n = out.length;
  const single = out instanceof Float32Array;
  const draw = single ? () => g.nextFloat32() : () => g.nextDouble();
  const block = single
    ? (at: number) =>
        normalFill16Float(out as Float32Array, at, Math.fround(mean), Math.fround(std))
    : (at: number) => normalFill16Double(out as Float64Array, at, mean, std);
  for (let i = 0; i < n; i++) out[i] = draw();
  for (let i = 0; i + 16 <= n; i += 16) block(i);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) out[i] = draw();
    block(n - 16);
  }
}

/** True when torch fills `numel` values of a tensor by blocks rather than one scalar draw each. */
export function normalByBlocks(numel: number, contiguous: boolean): boolean {
  return numel >= 16 && contiguous;
}

/**
 * One integer of `randint`/`random_(from, to)`: `random() % range + base`, or `random64()`
 * when the range needs more than 32 bits.
 */
export function randomInRange(g: Generator, range: number, base: number): number {
  if (range < 0x100000000) return (g.nextUint32() % range) + base;
  const high = BigInt(g.nextUint32());
  const word = (high << 32n) | BigInt(g.nextUint32());
  return Number(word % BigInt(range)) + base;
}

/** `randperm(n)` as torch 1.13's `randperm_cpu`: a forward Fisher–Yates on `random() % (n − i)`. */
export function shuffledRange(g: Generator, n: number): Int32Array {
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const j = i + (g.nextUint32() % (n - i));
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
  return values;
}

/**
 * One Bernoulli draw with probability `p` (`bernoulli_distribution`): `uniform < p`, with a
 * float32 uniform (one word) when `p` is a float32 tensor's value, a double (two words) otherwise.
 */
export function bernoulliDraw(g: Generator, p: number, single: boolean): boolean {
  return (single ? g.nextFloat32() : g.nextDouble()) < p;
}
