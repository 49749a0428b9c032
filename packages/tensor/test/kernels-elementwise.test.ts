import { afterEach, describe, expect, it } from "vitest";
import {
  binaryFloat32Simd,
  SIMD_ELEMENTWISE_MIN,
  type SimdBinaryOp,
} from "../src/kernels/wasm/elementwise";
import { setWasmKernelsEnabled } from "../src/kernels/wasm/instance";

const ops: SimdBinaryOp[] = ["add", "sub", "mul", "div"];
const scalar: Record<SimdBinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

/** Deterministic float32 values over many magnitudes, with zeros, signed zeros, NaN and ±∞. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out[i] =
      u < 0.02
        ? (specials[s % specials.length] as number)
        : (u * 2 - 1) * 2 ** (((s >>> 7) % 60) - 30);
  }
  return out;
}

/** The TypeScript loop the SIMD kernels must reproduce bit for bit. */
function loop(
  op: SimdBinaryOp,
  a: Float32Array,
  sa: number,
  b: Float32Array,
  sb: number,
  n: number,
) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scalar[op](a[i * sa] as number, b[i * sb] as number);
  return out;
}

/** Compares bit patterns, so NaN equals NaN and -0 differs from 0. */
function bits(x: Float32Array): number[] {
  return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length), (v) =>
    // any NaN payload is one NaN (JS does not preserve payloads either)
    (v & 0x7f800000) === 0x7f800000 && (v & 0x7fffff) !== 0 ? 0x7fc00000 : v,
  );
}

afterEach(() => {
  setWasmKernelsEnabled(true);
});

describe("WebAssembly SIMD elementwise kernels", () => {
  const sizes = [SIMD_ELEMENTWISE_MIN, SIMD_ELEMENTWISE_MIN + 3, 16384, 16384 * 3 + 7, 50_001];

  it("give the TypeScript loop's results bit for bit, including NaN, ±∞ and signed zeros", () => {
    for (const op of ops) {
      for (const n of sizes) {
        const a = values(n, n + 1);
        const b = values(n, n + 2);
        const out = new Float32Array(n);
        expect(binaryFloat32Simd(op, out, 0, a, 0, 1, b, 0, 1, n)).toBe(true);
        expect(bits(out), `${op} n=${n}`).toEqual(bits(loop(op, a, 1, b, 1, n)));
      }
    }
  });

  it("broadcast a scalar on either side", () => {
    const n = 20_003;
    const a = values(n, 5);
    for (const op of ops) {
      for (const s of [2.5, -0, Number.NaN, 1e-40]) {
        const scalarArray = new Float32Array([s]);
        const right = new Float32Array(n);
        expect(binaryFloat32Simd(op, right, 0, a, 0, 1, scalarArray, 0, 0, n)).toBe(true);
        expect(bits(right), `${op} x ${s}`).toEqual(bits(loop(op, a, 1, scalarArray, 0, n)));
        const left = new Float32Array(n);
        expect(binaryFloat32Simd(op, left, 0, scalarArray, 0, 0, a, 0, 1, n)).toBe(true);
        expect(bits(left), `${s} x ${op}`).toEqual(bits(loop(op, scalarArray, 0, a, 1, n)));
      }
    }
  });

  it("read and write at offsets, leave neighbours alone, and may write in place", () => {
    const n = 9000;
    const a = values(n + 10, 7);
    const b = values(n + 20, 8);
    const out = new Float32Array(n + 6).fill(3);
    expect(binaryFloat32Simd("mul", out, 3, a, 10, 1, b, 20, 1, n)).toBe(true);
    expect(bits(out.subarray(3, 3 + n))).toEqual(
      bits(loop("mul", a.subarray(10), 1, b.subarray(20), 1, n)),
    );
    expect(Array.from(out.subarray(0, 3))).toEqual([3, 3, 3]);
    expect(Array.from(out.subarray(3 + n))).toEqual([3, 3, 3]);

    const x = values(n, 9);
    const expected = loop("sub", x, 1, b, 1, n);
    expect(binaryFloat32Simd("sub", x, 0, x, 0, 1, b, 0, 1, n)).toBe(true);
    expect(bits(x)).toEqual(bits(expected));
  });

  it("decline small sizes, other strides and disabled WebAssembly without writing", () => {
    const n = SIMD_ELEMENTWISE_MIN;
    const a = values(2 * n, 1);
    const out = new Float32Array(n).fill(9);
    expect(binaryFloat32Simd("add", out, 0, a, 0, 1, a, 0, 1, n - 1)).toBe(false);
    expect(binaryFloat32Simd("add", out, 0, a, 0, 2, a, 0, 1, n)).toBe(false);
    setWasmKernelsEnabled(false);
    expect(binaryFloat32Simd("add", out, 0, a, 0, 1, a, 0, 1, n)).toBe(false);
    expect(out.every((v) => v === 9)).toBe(true);
  });
});

describe("small float32 + − × ÷ (the direct path below the SIMD size)", () => {
  it("reads operands at their offsets: contiguous views, 0-d values, either side", async () => {
    const { tensor } = await import("../src/index");
    const n = 11;
    const left = values(n + 3, 7);
    const right = values(n + 5, 8);
    // narrow(0, k, n) of a 1-d tensor is contiguous with offset k: the path must honour it
    const a = tensor(Array.from(left)).narrow(0, 3, n);
    const b = tensor(Array.from(right)).narrow(0, 5, n);
    const s = tensor(Array.from(right)).select(0, 2);
    const names = ["add", "sub", "mul", "div"] as const;
    for (const name of names) {
      const f = scalar[name];
      const same = a[name](b).toArray() as number[];
      const withValue = a[name](s).toArray() as number[];
      for (let i = 0; i < n; i++) {
        expect(same[i]).toBe(Math.fround(f(left[i + 3] as number, right[i + 5] as number)));
        expect(withValue[i]).toBe(Math.fround(f(left[i + 3] as number, right[2] as number)));
      }
    }
  });
});
