import type { TypedArray } from "../dtype";
import { sgemmWasm } from "./wasm/sgemm";

/** Below this many multiply-adds, packing for WebAssembly costs more than it saves. */
const WASM_MIN_WORK = 4096;

/**
 * `out[m×n] = a[m×k] · b[k×n]` for row-major blocks at the given offsets.
 *
 * float32 products of at least {@link WASM_MIN_WORK} multiply-adds run on the WebAssembly SIMD
 * kernel, which accumulates in float32 (like PyTorch's BLAS): each element then differs from
 * the float64-accumulated {@link matmulReference} by at most `k · 2⁻²⁴ · Σₚ |a_ip · b_pj|`
 * (plus one float32 rounding). Everything else, and float32 where WebAssembly SIMD is
 * unavailable, runs {@link matmulReference}.
 */
export function matmulBlock(
  a: TypedArray,
  aOffset: number,
  b: TypedArray,
  bOffset: number,
  out: TypedArray,
  outOffset: number,
  m: number,
  k: number,
  n: number,
  row: Float64Array,
): void {
  if (
    m * k * n >= WASM_MIN_WORK &&
    out instanceof Float32Array &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    sgemmWasm(a, aOffset, b, bOffset, out, outOffset, m, k, n)
  ) {
    return;
  }
  matmulReference(a, aOffset, b, bOffset, out, outOffset, m, k, n, row);
}

/**
 * The TypeScript matrix product (i-k-j loop): each output row accumulates in float64 and is
 * rounded once when stored. `row` is scratch space of at least `n` elements.
 */
export function matmulReference(
  a: TypedArray,
  aOffset: number,
  b: TypedArray,
  bOffset: number,
  out: TypedArray,
  outOffset: number,
  m: number,
  k: number,
  n: number,
  row: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n);
    const aRow = aOffset + i * k;
    for (let p = 0; p < k; p++) {
      // No skipping of zeros: 0 · ∞ must give NaN, as in PyTorch.
      const scale = a[aRow + p] as number;
      const bRow = bOffset + p * n;
      for (let j = 0; j < n; j++) (row[j] as number) += scale * (b[bRow + j] as number);
    }
    const outRow = outOffset + i * n;
    for (let j = 0; j < n; j++) out[outRow + j] = row[j] as number;
  }
}
