import { kernelsWithMemory } from "./instance";

/** Rows per tile and columns per panel of the kernel in kernels.wat (an enum: bundlers inline it). */
enum Tile {
  ROWS = 5,
  COLUMNS = 8,
}

/** A float32 matrix operand: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface Float32Operand {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Elements from the operand's first element to its last, inclusive (strides are >= 0). */
function span(x: Float32Operand, rows: number, columns: number): number {
  return (rows - 1) * x.rowStride + (columns - 1) * x.colStride + 1;
}

/** Multiply-adds the kernel spends on an `m × n` product: whole 5-row blocks by 8-column panels. */
const tiledWork = (m: number, n: number): number =>
  Math.ceil(m / Tile.ROWS) * Tile.ROWS * Math.ceil(n / Tile.COLUMNS) * Tile.COLUMNS;

/** The transpose of an operand, as a view (no copy). */
const transposed = (x: Float32Operand): Float32Operand => ({
  data: x.data,
  offset: x.offset,
  rowStride: x.colStride,
  colStride: x.rowStride,
});

/**
 * `out[m×n] = a[m×k] · b[k×n]` with the WebAssembly SIMD kernel; `a` and `b` may be strided
 * (e.g. transposed views), `out` is row-major from `outOffset`. Each element is summed over
 * `p = 0 … k-1` in float32, rounding after every multiply and add, so it equals a scalar loop
 * that accumulates in float32. When the tiles fit `bᵀ · aᵀ` with much less padding (a narrow
 * `n` such as a linear layer's 10 classes), that product is computed and written out
 * transposed: each element is the same sum in the same order. Returns false, writing nothing,
 * when the kernel is unavailable (the caller falls back to TypeScript).
 */
export function sgemmWasm(
  a: Float32Operand,
  b: Float32Operand,
  out: Float32Array,
  outOffset: number,
  m: number,
  k: number,
  n: number,
): boolean {
  if (5 * tiledWork(n, m) < 4 * tiledWork(m, n)) {
    const product = multiply(transposed(b), transposed(a), n, k, m);
    if (product === null) return false;
    const { f32, at, rowLength } = product;
    for (let j = 0; j < n; j++)
      for (let i = 0, from = at + j * rowLength, to = outOffset + j; i < m; i++, to += n)
        out[to] = f32[from + i] as number;
    return true;
  }
  const product = multiply(a, b, m, k, n);
  if (product === null) return false;
  const { f32, at: scratch, rowLength: paddedN } = product;
  if (paddedN === n) {
    out.set(f32.subarray(scratch, scratch + m * n), outOffset);
  } else if (n >= 16) {
    for (let i = 0, from = scratch, to = outOffset; i < m; i++, from += paddedN, to += n) {
      out.set(f32.subarray(from, from + n), to);
    }
  } else {
    // Narrow results (e.g. matrix-vector): a loop beats one subarray per row.
    for (let i = 0, from = scratch, to = outOffset; i < m; i++, from += paddedN - n) {
      for (let j = 0; j < n; j++) out[to++] = f32[from++] as number;
    }
  }
  return true;
}

/**
 * Runs the kernel on `a[m×k] · b[k×n]`: the product is left in the module's memory, row-major
 * from float `at`, rows `rowLength` floats apart. Null when the kernel is unavailable.
 */
function multiply(
  a: Float32Operand,
  b: Float32Operand,
  m: number,
  k: number,
  n: number,
): { f32: Float32Array; at: number; rowLength: number } | null {
  const blocks = Math.ceil(m / Tile.ROWS);
  const paddedN = Math.ceil(n / Tile.COLUMNS) * Tile.COLUMNS;
  const aSpan = m > 0 && k > 0 ? span(a, m, k) : 0;
  const bSpan = k > 0 && n > 0 ? span(b, k, n) : 0;
  // Memory (in floats): packed A, packed B, then a scratch area that holds the raw span of A,
  // then the raw span of B, and finally C (row-major, rows padded to paddedN).
  const packedA = 0;
  const packedB = blocks * Tile.ROWS * k;
  const scratch = packedB + paddedN * k;
  const kernels = kernelsWithMemory(
    4 * (scratch + Math.max(aSpan, bSpan, blocks * Tile.ROWS * paddedN)),
  );
  if (kernels === null) return null;
  const { exports, f32 } = kernels;

  f32.set(a.data.subarray(a.offset, a.offset + aSpan), scratch);
  exports.packa(4 * scratch, 4 * packedA, m, k, blocks, 4 * a.rowStride, 4 * a.colStride);
  f32.set(b.data.subarray(b.offset, b.offset + bSpan), scratch);
  exports.packb(4 * scratch, 4 * packedB, k, n, 4 * b.rowStride, 4 * b.colStride);
  exports.sgemm(4 * packedA, 4 * packedB, 4 * scratch, blocks, paddedN / Tile.COLUMNS, k);
  return { f32, at: scratch, rowLength: paddedN };
}
