import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { randn, tensor } from "../src/index";
import { type MatrixOperand, matmulReference, matmulStrided } from "../src/kernels/matmul";
import {
  kernelsWithMemory,
  setWasmKernelsEnabled,
  wasmKernelsAvailable,
} from "../src/kernels/wasm/instance";
import { KERNELS_WASM_BASE64 } from "../src/kernels/wasm/kernels-wasm";
import { sgemmWasm } from "../src/kernels/wasm/sgemm";

/** {@link matmulStrided} on row-major blocks at the given offsets. */
function matmulBlock(
  a: Float32Array | Float64Array,
  aOffset: number,
  b: Float32Array | Float64Array,
  bOffset: number,
  out: Float32Array | Float64Array,
  outOffset: number,
  m: number,
  k: number,
  n: number,
  row: Float64Array,
): void {
  const left = { data: a, offset: aOffset, rowStride: k, colStride: 1 };
  const right = { data: b, offset: bOffset, rowStride: n, colStride: 1 };
  matmulStrided(left, right, out, outOffset, m, k, n, row);
}

/** Deterministic values in [-1, 1) with some exact zeros and wide magnitudes. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out[i] = u < 0.05 ? 0 : (u * 2 - 1) * 2 ** ((s >>> 8) % 7);
  }
  return out;
}

/** Float32 accumulation in increasing p, rounding after each multiply and add. */
function float32Loop(a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum = Math.fround(sum + Math.fround((a[i * k + p] as number) * (b[p * n + j] as number)));
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}

/** A row-major operand with `columns` columns starting at `offset`. */
function rowMajor<T extends Float32Array | Float64Array>(data: T, columns: number, offset = 0) {
  return { data, offset, rowStride: columns, colStride: 1 };
}

/** The transpose of row-major `data` (rows x columns) as a strided operand. */
function transposed(data: Float32Array, columns: number) {
  return { data, offset: 0, rowStride: 1, colStride: columns };
}

function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  const out = new Float32Array(m * n);
  matmulReference(rowMajor(a, k), rowMajor(b, n), out, 0, m, k, n, new Float64Array(n));
  return out;
}

function wasmOf(a: MatrixOperand, b: MatrixOperand, m: number, k: number, n: number) {
  const out = new Float32Array(m * n);
  expect(sgemmWasm(a as never, b as never, out, 0, m, k, n)).toBe(true);
  return out;
}

function wasm(a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  return wasmOf(rowMajor(a, k), rowMajor(b, n), m, k, n);
}

/** Row-major copy of the transpose of row-major `data` (rows x columns). */
function transpose(data: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) out[j * rows + i] = data[i * columns + j]!;
  return out;
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 8],
  [5, 9, 17],
  [8, 1, 16],
  [13, 33, 9],
  [33, 64, 31],
  [64, 100, 1],
  [40, 70, 2],
  [32, 2048, 10], // a linear layer's forward and weight gradient: computed as bᵀ · aᵀ
  [2048, 32, 10],
  [9, 20, 15],
  [1, 70, 65],
  [17, 0, 9],
];

afterEach(() => {
  setWasmKernelsEnabled(true);
});

describe("WebAssembly SIMD matmul kernel", () => {
  it("is available in Node and small enough to compile synchronously in browsers", () => {
    expect(wasmKernelsAvailable()).toBe(true);
    // Chrome refuses synchronous compilation of modules over 4 KiB on the main thread.
    expect(atob(KERNELS_WASM_BASE64).length).toBeLessThan(4096);
  });

  it("equals a float32-accumulating scalar loop bit for bit (same summation order)", () => {
    for (const [m, k, n] of shapes) {
      const a = values(m * k, m * 31 + k);
      const b = values(k * n, n * 17 + k);
      expect(Array.from(wasm(a, b, m, k, n)), `${m}x${k}x${n}`).toEqual(
        Array.from(float32Loop(a, b, m, k, n)),
      );
    }
  });

  it("stays within the float32-accumulation bound of the float64-accumulating reference", () => {
    const u = 2 ** -24;
    for (const [m, k, n] of [...shapes, [70, 300, 45] as [number, number, number]]) {
      const a = values(m * k, m + 7 * k);
      const b = values(k * n, n + 3 * k);
      const got = wasm(a, b, m, k, n);
      const want = reference(a, b, m, k, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let magnitude = 0;
          for (let p = 0; p < k; p++) {
            magnitude += Math.abs((a[i * k + p] as number) * (b[p * n + j] as number));
          }
          const bound = (k + 1) * u * magnitude * 1.01 + u * Math.abs(want[i * n + j] as number);
          const error = Math.abs((got[i * n + j] as number) - (want[i * n + j] as number));
          expect(error, `${m}x${k}x${n} at (${i}, ${j})`).toBeLessThanOrEqual(bound);
        }
      }
    }
  });

  it("reads transposed and broadcast (stride 0) operands in place", () => {
    for (const [m, k, n] of shapes) {
      const a = values(m * k, m + k);
      const b = values(k * n, k + n);
      const want = float32Loop(a, b, m, k, n);
      const aT = transpose(a, m, k); // k x m, row-major: a = aT viewed transposed
      const bT = transpose(b, k, n);
      expect(Array.from(wasmOf(transposed(aT, m), transposed(bT, k), m, k, n))).toEqual(
        Array.from(want),
      );
      expect(Array.from(wasmOf(transposed(aT, m), rowMajor(b, n), m, k, n))).toEqual(
        Array.from(want),
      );
      expect(Array.from(wasmOf(rowMajor(a, k), transposed(bT, k), m, k, n))).toEqual(
        Array.from(want),
      );
      const ref = new Float32Array(m * n);
      matmulReference(transposed(aT, m), transposed(bT, k), ref, 0, m, k, n, new Float64Array(n));
      expect(Array.from(ref)).toEqual(Array.from(reference(a, b, m, k, n)));
    }
    // A row repeated m times (row stride 0), as an expanded view gives.
    const row = values(40, 8);
    const b = values(40 * 9, 9);
    const repeated = new Float32Array(6 * 40);
    for (let i = 0; i < 6; i++) repeated.set(row, i * 40);
    const expanded = { data: row, offset: 0, rowStride: 0, colStride: 1 };
    expect(Array.from(wasmOf(expanded, rowMajor(b, 9), 6, 40, 9))).toEqual(
      Array.from(float32Loop(repeated, b, 6, 40, 9)),
    );
  });

  it("reads and writes blocks at offsets without touching neighbouring elements", () => {
    const [m, k, n] = [6, 10, 12];
    const a = values(5 + m * k, 1);
    const b = values(3 + k * n, 2);
    const out = new Float32Array(4 + m * n + 4).fill(-7);
    expect(sgemmWasm(rowMajor(a, k, 5), rowMajor(b, n, 3), out, 4, m, k, n)).toBe(true);
    const expected = float32Loop(a.subarray(5), b.subarray(3), m, k, n);
    expect(Array.from(out.subarray(4, 4 + m * n))).toEqual(Array.from(expected));
    expect(Array.from(out.subarray(0, 4))).toEqual([-7, -7, -7, -7]);
    expect(Array.from(out.subarray(4 + m * n))).toEqual([-7, -7, -7, -7]);
  });

  it("propagates NaN and gives 0 · ∞ = NaN like PyTorch, in both kernels", () => {
    const a = new Float32Array([0, 1, 2, Number.NaN]);
    const b = new Float32Array([Number.POSITIVE_INFINITY, 1, 1, 1]);
    for (const out of [wasm(a, b, 2, 2, 2), reference(a, b, 2, 2, 2)]) {
      expect(Array.from(out)).toEqual([Number.NaN, 1, Number.NaN, Number.NaN]);
    }
  });

  it("reuses its memory after a larger product and still computes small ones right", () => {
    const big = values(300 * 300, 9);
    wasm(big, big, 300, 300, 300);
    const a = values(4 * 5, 3);
    const b = values(5 * 9, 4);
    expect(Array.from(wasm(a, b, 4, 5, 9))).toEqual(Array.from(float32Loop(a, b, 4, 5, 9)));
    expect(kernelsWithMemory(1)?.memory.buffer.byteLength).toBeGreaterThanOrEqual(3 * 300 * 300);
  });

  it("reports unavailability when disabled, so callers fall back", () => {
    setWasmKernelsEnabled(false);
    expect(wasmKernelsAvailable()).toBe(false);
    const out = new Float32Array(4).fill(5);
    const zeros = rowMajor(new Float32Array(4), 2);
    expect(sgemmWasm(zeros, zeros, out, 0, 2, 2, 2)).toBe(false);
    expect(Array.from(out)).toEqual([5, 5, 5, 5]);
  });
});

describe("matmulBlock dispatch", () => {
  it("uses the SIMD kernel for large float32 products and the reference otherwise", () => {
    const [m, k, n] = [20, 30, 40];
    const a = values(m * k, 5);
    const b = values(k * n, 6);
    const out = new Float32Array(m * n);
    matmulBlock(a, 0, b, 0, out, 0, m, k, n, new Float64Array(n));
    expect(Array.from(out)).toEqual(Array.from(float32Loop(a, b, m, k, n)));
    const viaStrided = new Float32Array(m * n);
    matmulStrided(
      transposed(transpose(a, m, k), m),
      rowMajor(b, n),
      viaStrided,
      0,
      m,
      k,
      n,
      new Float64Array(n),
    );
    expect(Array.from(viaStrided)).toEqual(Array.from(out));

    setWasmKernelsEnabled(false);
    matmulBlock(a, 0, b, 0, out, 0, m, k, n, new Float64Array(n));
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n)));

    const a64 = Float64Array.from(a);
    const b64 = Float64Array.from(b);
    const out64 = new Float64Array(m * n);
    setWasmKernelsEnabled(true);
    matmulBlock(a64, 0, b64, 0, out64, 0, m, k, n, new Float64Array(n));
    const ref64 = new Float64Array(m * n);
    matmulReference(rowMajor(a64, k), rowMajor(b64, n), ref64, 0, m, k, n, new Float64Array(n));
    expect(Array.from(out64)).toEqual(Array.from(ref64));
  });

  it("gives the same tensors through matmul with and without WebAssembly, within tolerance", () => {
    const x = randn([3, 37, 50]);
    const y = randn([50, 29]);
    const fast = x.matmul(y);
    setWasmKernelsEnabled(false);
    const slow = x.matmul(y);
    const diff = fast.sub(slow).abs().max().item() as number;
    expect(diff).toBeLessThan(1e-4);
    expect(diff).toBeGreaterThanOrEqual(0);
    expect(
      tensor([[1, 2]])
        .matmul(tensor([[3], [4]]))
        .toArray(),
    ).toEqual([[11]]);
  });
});

describe("generated module", () => {
  it("matches kernels.wat (rerun generate.mjs after editing the .wat)", async () => {
    const wabtInit = (await import("wabt")).default;
    const wabt = await wabtInit();
    const source = readFileSync(
      new URL("../src/kernels/wasm/kernels.wat", import.meta.url),
      "utf8",
    );
    const parsed = wabt.parseWat("kernels.wat", source, { simd: true });
    const { buffer } = parsed.toBinary({ log: false, write_debug_names: false });
    parsed.destroy();
    expect(Buffer.from(buffer).toString("base64")).toBe(KERNELS_WASM_BASE64);
  });
});
