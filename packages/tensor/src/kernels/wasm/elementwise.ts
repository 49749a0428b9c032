import { type ElementwiseKernel, kernelsWithMemory } from "./instance";

/** The float32 operations with a SIMD kernel. */
export type SimdBinaryOp = "add" | "sub" | "mul" | "div";

/** (An enum, so that bundlers inline the number.) */
enum Limit {
  /**
   * Elements per pass: the three 64 KiB slices stay in L2 while they are copied in, computed
   * and copied out, and the module's memory stays small.
   */
  CHUNK = 16384,
}
/** Below this many elements, copying in and out costs more than the SIMD loop saves. */
export const SIMD_ELEMENTWISE_MIN = 4096;

const scalarOps: Record<SimdBinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

/**
 * `out[o + i] = a[ia + i·sa] ⊕ b[ib + i·sb]` for `i < n`, float32, with `sa` and `sb` 1 (a
 * contiguous operand) or 0 (a scalar), on the WebAssembly SIMD kernels: the operands are copied
 * into the module's memory in chunks, which costs less than the scalar loop saves. Results are
 * bit for bit those of the TypeScript loop (IEEE float32 rounding either way). `out` may alias
 * `a` or `b` at the same offset. Returns false, writing nothing, when n is small, the strides
 * are others, or WebAssembly SIMD is unavailable.
 */
export function binaryFloat32Simd(
  op: SimdBinaryOp,
  out: Float32Array,
  o: number,
  a: Float32Array,
  ia: number,
  sa: number,
  b: Float32Array,
  ib: number,
  sb: number,
  n: number,
): boolean {
  if (n < SIMD_ELEMENTWISE_MIN || (sa !== 0 && sa !== 1) || (sb !== 0 && sb !== 1)) return false;
  const kernels = kernelsWithMemory(4 * 3 * Limit.CHUNK);
  if (kernels === null) return false;
  const { f32 } = kernels;
  const kernel: ElementwiseKernel = kernels.exports[op];
  const [left, right, result] = [0, Limit.CHUNK, 2 * Limit.CHUNK];
  if (sa === 0) f32.fill(a[ia] as number, left, left + 4);
  if (sb === 0) f32.fill(b[ib] as number, right, right + 4);
  const whole = n - (n % 8);
  for (let done = 0; done < whole; done += Limit.CHUNK) {
    const length = Math.min(Limit.CHUNK, whole - done);
    if (sa === 1) f32.set(a.subarray(ia + done, ia + done + length), left);
    if (sb === 1) f32.set(b.subarray(ib + done, ib + done + length), right);
    kernel(4 * result, 4 * left, 4 * right, length, 16 * sa, 16 * sb);
    out.set(f32.subarray(result, result + length), o + done);
  }
  const scalar = scalarOps[op];
  for (let i = whole; i < n; i++)
    out[o + i] = scalar(a[ia + i * sa] as number, b[ib + i * sb] as number);
  return true;
}
