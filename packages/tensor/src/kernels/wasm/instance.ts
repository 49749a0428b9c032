import { KERNELS_WASM, KERNELS_WASM_DIGITS } from "./kernels-wasm";

/** The functions exported by kernels.wat (addresses are byte offsets into the memory). */
export interface KernelExports {
  packa(
    src: number,
    dst: number,
    m: number,
    k: number,
    blocks: number,
    rs: number,
    cs: number,
  ): void;
  packb(src: number, dst: number, k: number, n: number, rs: number, cs: number): void;
  sgemm(a: number, b: number, c: number, blocks: number, panels: number, k: number): void;
  add: ElementwiseKernel;
  sub: ElementwiseKernel;
  mul: ElementwiseKernel;
  div: ElementwiseKernel;
}

/** `o[i] = a[i] ⊕ b[i]` for `n` (a multiple of 8) float32s; steps are bytes per 4 elements. */
export type ElementwiseKernel = (
  o: number,
  a: number,
  b: number,
  n: number,
  aStep: number,
  bStep: number,
) => void;

/** An instance of the kernels with its own memory, and a float32 view of that memory. */
export interface Kernels {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  /** Float32 view of the whole memory; valid until the next `kernelsWithMemory` call. */
  f32: Float32Array;
}

/** Memory sizes in bytes (an enum, so that bundlers inline the numbers). */
enum Limit {
  PAGE_BYTES = 65536,
  /** Memory kept between calls; a call that needs more gets a throwaway instance instead. */
  RETAINED_BYTES = 64 * 2 ** 20,
  /** Largest memory requested: keeps every byte address below 2^31. */
  MAX_BYTES = 2 ** 31 - PAGE_BYTES,
}

let compiled: WebAssembly.Module | null | undefined;
let retained: Kernels | null = null;
let enabled = true;

/** The bytes of a generated module (two digits of {@link KERNELS_WASM_DIGITS} per byte). */
export function decode(text: string): Uint8Array {
  const digit = (char: string | undefined) => KERNELS_WASM_DIGITS.indexOf(char as string);
  return Uint8Array.from(
    text.match(/../g) as string[],
    (pair) => digit(pair[0]) * 16 + digit(pair[1]),
  );
}

/** The compiled module, or null where WebAssembly or its SIMD proposal is unavailable. */
function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      // Synchronous compilation is allowed everywhere for modules under 4 KiB (this one is ~1 KiB).
      compiled = new WebAssembly.Module(decode(KERNELS_WASM) as BufferSource);
    } catch {
      compiled = null; // callers fall back to the TypeScript kernels
    }
  }
  return compiled;
}

function instantiate(module: WebAssembly.Module, bytes: number): Kernels | null {
  try {
    const memory = new WebAssembly.Memory({
      initial: Math.max(1, Math.ceil(bytes / Limit.PAGE_BYTES)),
    });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const exports = instance.exports as unknown as KernelExports;
    return { exports, memory, f32: new Float32Array(memory.buffer) };
  } catch {
    return null; // out of memory: fall back
  }
}

/**
 * The kernels with at least `bytes` of memory, or null when WebAssembly SIMD is unavailable,
 * disabled, or the memory cannot be had. Memory up to 64 MiB is kept and reused by later
 * calls (WebAssembly memory cannot shrink); larger requests get a memory of their own that is
 * garbage once the caller is done.
 */
export function kernelsWithMemory(bytes: number): Kernels | null {
  if (!enabled || bytes > Limit.MAX_BYTES) return null;
  const module = compiledModule();
  if (module === null) return null;
  if (bytes > Limit.RETAINED_BYTES) return instantiate(module, bytes);
  retained ??= instantiate(module, bytes);
  if (retained === null) return null;
  const have = retained.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      retained.memory.grow(Math.ceil((bytes - have) / Limit.PAGE_BYTES));
    } catch {
      return null;
    }
  }
  if (retained.f32.buffer !== retained.memory.buffer) {
    retained.f32 = new Float32Array(retained.memory.buffer);
  }
  return retained;
}

/** True when the WebAssembly SIMD kernels can run here (and are not disabled). */
export function wasmKernelsAvailable(): boolean {
  return enabled && compiledModule() !== null;
}

/**
 * Turns the WebAssembly kernels off (the TypeScript kernels run instead) or back on; returns
 * the previous setting. For tests and benchmarks that compare the two.
 */
export function setWasmKernelsEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}
