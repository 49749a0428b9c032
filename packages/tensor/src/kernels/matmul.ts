import type { TypedArray } from "../dtype";

/**
 * `out[m×n] (+)= a[m×k] · b[k×n]` for row-major blocks at the given offsets. Each output row
 * accumulates in float64 and is rounded once when stored.
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
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n);
    const aRow = aOffset + i * k;
    for (let p = 0; p < k; p++) {
      const scale = a[aRow + p] as number;
      if (scale === 0) continue;
      const bRow = bOffset + p * n;
      for (let j = 0; j < n; j++) (row[j] as number) += scale * (b[bRow + j] as number);
    }
    const outRow = outOffset + i * n;
    for (let j = 0; j < n; j++) out[outRow + j] = row[j] as number;
  }
}
