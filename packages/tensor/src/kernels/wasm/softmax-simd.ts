import { decode, wasmKernelsAvailable } from "./instance";
import { SOFTMAX_WASM } from "./softmax-wasm";

/** The functions exported by softmax.wat (addresses are byte offsets into the memory). */
interface SoftmaxExports {
  expsum(src: number, dst: number, rows: number, n: number, stats: number): void;
  scale(dst: number, rows: number, n: number, factors: number): void;
  shift(src: number, dst: number, rows: number, n: number, stats: number): void;
  exp(src: number, dst: number, n: number): void;
}

/** (An enum, so that bundlers inline the numbers.) */
enum Limit {
  /** Floats per buffer and pass: the input and output slices stay in L2. */
  CHUNK = 16384,
  PAGE_BYTES = 65536,
}

let kernels: { exports: SoftmaxExports; f32: Float32Array } | null | undefined;

/** The softmax module with room for two chunks and their row statistics, or null. */
function instance(): { exports: SoftmaxExports; f32: Float32Array } | null {
  if (!wasmKernelsAvailable()) return null;
  if (kernels === undefined) {
    try {
      const memory = new WebAssembly.Memory({
        initial: Math.ceil((4 * 4 * Limit.CHUNK) / Limit.PAGE_BYTES),
      });
      // under 4 KiB, so synchronous compilation is allowed everywhere
      const module = new WebAssembly.Module(decode(SOFTMAX_WASM) as BufferSource);
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
      kernels = {
        exports: exports as unknown as SoftmaxExports,
        f32: new Float32Array(memory.buffer),
      };
    } catch {
      kernels = null; // the TypeScript kernels run instead
    }
  }
  return kernels;
}

/**
 * Softmax (or log-softmax) of `rows` contiguous float32 rows of `n` ≥ 8 values at `x[start]`
 * into `out`, on the WebAssembly SIMD kernels, in torch's order: the bits of the TypeScript
 * kernel. Returns false, writing nothing, when the rows are short or WebAssembly SIMD is off.
 */
export function softmaxRowsSimd(
  x: Float32Array,
  start: number,
  out: Float32Array,
  rows: number,
  n: number,
  log: boolean,
): boolean {
  if (n < 8 || n > Limit.CHUNK) return false;
  const k = instance();
  if (k === null) return false;
  const { exports, f32 } = k;
  const padded = Math.ceil(n / 8) * 8;
  const perPass = Math.floor(Limit.CHUNK / padded);
  const [src, dst, stats] = [0, Limit.CHUNK, 2 * Limit.CHUNK];
  const factors = stats + 2 * perPass;
  for (let r0 = 0; r0 < rows; r0 += perPass) {
    const count = Math.min(perPass, rows - r0);
    copyRows(x, start + r0 * n, f32, src, count, n, padded);
    exports.expsum(4 * src, 4 * dst, count, padded, 4 * stats);
    if (log) {
      for (let r = 0; r < count; r++) {
        const s = stats + 2 * r + 1;
        f32[s] = Math.log(f32[s] as number);
      }
      exports.shift(4 * src, 4 * dst, count, padded, 4 * stats);
    } else {
      for (let r = 0; r < count; r++) f32[factors + r] = 1 / (f32[stats + 2 * r + 1] as number);
      exports.scale(4 * dst, count, padded, 4 * factors);
    }
    if (padded === n) out.set(f32.subarray(dst, dst + count * n), r0 * n);
    else
      for (let r = 0; r < count; r++)
        out.set(f32.subarray(dst + r * padded, dst + r * padded + n), (r0 + r) * n);
  }
  return true;
}

/** Copies `count` rows of `n` floats into the module's memory, each padded to `padded` with −inf. */
function copyRows(
  x: Float32Array,
  from: number,
  f32: Float32Array,
  to: number,
  count: number,
  n: number,
  padded: number,
): void {
  if (padded === n) {
    f32.set(x.subarray(from, from + count * n), to);
    return;
  }
  for (let r = 0; r < count; r++) {
    f32.set(x.subarray(from + r * n, from + (r + 1) * n), to + r * padded);
    f32.fill(Number.NEGATIVE_INFINITY, to + r * padded + n, to + (r + 1) * padded);
  }
}

/**
 * e^x in place for the first `length − length % 8` floats of `data` on the WebAssembly SIMD
 * kernels; returns how many it did (0 when WebAssembly SIMD is off).
 */
export function expInPlaceSimd(data: Float32Array): number {
  const k = instance();
  if (k === null) return 0;
  const whole = data.length - (data.length % 8);
  for (let done = 0; done < whole; done += Limit.CHUNK) {
    const length = Math.min(Limit.CHUNK, whole - done);
    k.f32.set(data.subarray(done, done + length), 0);
    k.exports.exp(0, 4 * Limit.CHUNK, length);
    data.set(k.f32.subarray(Limit.CHUNK, Limit.CHUNK + length), done);
  }
  return whole;
}
