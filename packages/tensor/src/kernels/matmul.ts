import type { TypedArray } from "../dtype";
import { type Float32Operand, sgemmWasm } from "./wasm/sgemm";

/** (An enum, so that bundlers inline the number.) */
enum Limit {
  /** Below this many multiply-adds, packing for WebAssembly costs more than it saves. */
  WASM_MIN_WORK = 4096,
}

/** A matrix operand: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface MatrixOperand {
  data: TypedArray;
  offset: number;
  /** Elements between rows (>= 0). */
  rowStride: number;
  /** Elements between columns (>= 0). */
  colStride: number;
}

/**
 * `out[m×n] = a[m×k] · b[k×n]`, `out` row-major from `outOffset`; `a` and `b` may be strided,
 * so transposed views need no copy.
 *
 * float32 products of at least {@link Limit.WASM_MIN_WORK} multiply-adds run on the WebAssembly SIMD
 * kernel, which accumulates in float32 (like PyTorch's BLAS): each element then differs from
 * the float64-accumulated {@link matmulReference} by at most `k · 2⁻²⁴ · Σₚ |a_ip · b_pj|`
 * (plus one float32 rounding). Everything else, and float32 where WebAssembly SIMD is
 * unavailable, runs {@link matmulReference}. `row` is scratch space of at least `n` elements.
 */
export function matmulStrided(
  a: MatrixOperand,
  b: MatrixOperand,
  out: TypedArray,
  outOffset: number,
  m: number,
  k: number,
  n: number,
  row: Float64Array,
): void {
  if (
    m * k * n >= Limit.WASM_MIN_WORK &&
    out instanceof Float32Array &&
    a.data instanceof Float32Array &&
    b.data instanceof Float32Array &&
    sgemmWasm(a as Float32Operand, b as Float32Operand, out, outOffset, m, k, n)
  ) {
    return;
  }
  matmulReference(a, b, out, outOffset, m, k, n, row);
}

/**
 * The TypeScript matrix product (i-k-j loop): each output row accumulates in float64 and is
 * rounded once when stored. `row` is scratch space of at least `n` elements.
 */
export function matmulReference(
  a: MatrixOperand,
  b: MatrixOperand,
  out: TypedArray,
  outOffset: number,
  m: number,
  k: number,
  n: number,
  row: Float64Array,
): void {
  const { data: da, rowStride: ars, colStride: acs } = a;
  const { data: db, rowStride: brs, colStride: bcs } = b;
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n);
    const aRow = a.offset + i * ars;
    for (let p = 0; p < k; p++) {
      // No skipping of zeros: 0 · ∞ must give NaN, as in PyTorch.
      const scale = da[aRow + p * acs] as number;
      const bRow = b.offset + p * brs;
      if (bcs === 1)
        for (let j = 0; j < n; j++) (row[j] as number) += scale * (db[bRow + j] as number);
      else for (let j = 0; j < n; j++) (row[j] as number) += scale * (db[bRow + j * bcs] as number);
    }
    const outRow = outOffset + i * n;
    for (let j = 0; j < n; j++) out[outRow + j] = row[j] as number;
  }
}
