import { kernelsWithMemory } from "./instance";

/** Rows per tile and columns per panel of the kernel in kernels.wat. */
const ROWS = 4;
const COLUMNS = 8;

/**
 * `out[m×n] = a[m×k] · b[k×n]` (row-major float32 blocks at the given offsets) with the
 * WebAssembly SIMD kernel. Each element is summed over `p = 0 … k-1` in float32, rounding
 * after every multiply and add, so it equals a scalar loop that accumulates in float32.
 * Returns false, writing nothing, when the kernel is unavailable (the caller falls back).
 */
export function sgemmWasm(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  out: Float32Array,
  outOffset: number,
  m: number,
  k: number,
  n: number,
): boolean {
  const blocks = Math.ceil(m / ROWS);
  const panels = Math.ceil(n / COLUMNS);
  const paddedN = panels * COLUMNS;
  // Memory (in floats): packed A, packed B, then a scratch area that holds raw A, raw B
  // (rows padded to paddedN) and finally C, one after the other.
  const packedA = 0;
  const packedB = blocks * ROWS * k;
  const scratch = packedB + paddedN * k;
  const scratchSize = Math.max(m * k, k * paddedN, blocks * ROWS * paddedN);
  const kernels = kernelsWithMemory(4 * (scratch + scratchSize));
  if (kernels === null) return false;
  const { exports, f32 } = kernels;

  f32.set(a.subarray(aOffset, aOffset + m * k), scratch);
  exports.packa(4 * scratch, 4 * packedA, m, k, blocks);

  if (paddedN === n) {
    f32.set(b.subarray(bOffset, bOffset + k * n), scratch);
  } else {
    for (let p = 0, from = bOffset, to = scratch; p < k; p++, from += n, to += paddedN) {
      f32.set(b.subarray(from, from + n), to);
      f32.fill(0, to + n, to + paddedN);
    }
  }
  exports.packb(4 * scratch, 4 * packedB, k, panels);

  exports.sgemm(4 * packedA, 4 * packedB, 4 * scratch, blocks, panels, k);
  if (paddedN === n) {
    out.set(f32.subarray(scratch, scratch + m * n), outOffset);
  } else {
    for (let i = 0, from = scratch, to = outOffset; i < m; i++, from += paddedN, to += n) {
      out.set(f32.subarray(from, from + n), to);
    }
  }
  return true;
}
