import type { WindowGeometry } from "../im2col";
import { CONV_WASM } from "./conv-wasm";
import { decode, wasmKernelsAvailable } from "./instance";

/** The functions exported by conv.wat (addresses are byte offsets into the memory). */
interface ConvExports {
  conv(
    a: number,
    x: number,
    offsets: number,
    c: number,
    blocks: number,
    panels: number,
    k: number,
  ): void;
  convgrad(
    x: number,
    offsets: number,
    g: number,
    c: number,
    blocks: number,
    panels: number,
    panelBytes: number,
    images: number,
    imageBytes: number,
    rows: number,
    length: number,
    rowBytes: number,
  ): void;
}

/** (An enum, so that bundlers inline the numbers.) */
enum Limit {
  PAGE_BYTES = 65536,
  /** The largest memory the module grows to; bigger requests run the im2col path instead. */
  MAX_BYTES = 2 ** 30,
  /** Rows per block of packed A and columns per panel (the kernel's tile, as kernels.wat's). */
  ROWS = 5,
  COLUMNS = 8,
}

interface ConvKernels {
  exports: ConvExports;
  memory: WebAssembly.Memory;
  f32: Float32Array;
  i32: Int32Array;
}

let compiled: WebAssembly.Module | null | undefined;
let kernels: ConvKernels | null = null;

/** The conv module with at least `bytes` of memory, or null (no SIMD, disabled, too large). */
function convKernels(bytes: number): ConvKernels | null {
  if (!wasmKernelsAvailable() || bytes > Limit.MAX_BYTES) return null;
  try {
    // under 4 KiB, so synchronous compilation is allowed everywhere
    compiled ??= new WebAssembly.Module(decode(CONV_WASM) as BufferSource);
    if (kernels === null) {
      const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / Limit.PAGE_BYTES) });
      const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
      kernels = { exports: exports as unknown as ConvExports, memory, f32: null!, i32: null! };
    }
    const have = kernels.memory.buffer.byteLength;
    if (bytes > have) kernels.memory.grow(Math.ceil((bytes - have) / Limit.PAGE_BYTES));
  } catch {
    compiled ??= null;
    return null; // the im2col path runs instead
  }
  if (kernels.f32?.buffer !== kernels.memory.buffer) {
    kernels.f32 = new Float32Array(kernels.memory.buffer);
    kernels.i32 = new Int32Array(kernels.memory.buffer);
  }
  return kernels;
}

/** A chunk of float32 images (one group's `geometry.channels` planes each), the first at `offset`. */
export interface ImageChunk {
  data: Float32Array;
  offset: number;
  /** Elements from one image to the next. */
  imageStride: number;
  images: number;
  geometry: WindowGeometry;
}

/**
 * Where a chunk's images lie once zero-padded: planes of `rows × columns` (the rows and columns
 * the windows read), `floats` per image, and the byte offset of each tap from a window's start.
 */
interface PaddedLayout {
  rows: number;
  columns: number;
  floats: number;
  /** Floats the last image's windows may read past its end (garbage outputs only). */
  tail: number;
  offsets: Int32Array;
}

function paddedLayout(g: WindowGeometry, readWidth: number): PaddedLayout {
  const rows = g.gridHeight + (g.kernelH - 1) * g.dilationH;
  const columns = g.gridWidth + (g.kernelW - 1) * g.dilationW;
  const floats = g.channels * rows * columns;
  const offsets = new Int32Array(g.channels * g.kernelH * g.kernelW);
  for (let c = 0, r = 0; c < g.channels; c++)
    for (let i = 0; i < g.kernelH; i++)
      for (let j = 0; j < g.kernelW; j++, r++)
        offsets[r] = 4 * ((c * rows + i * g.dilationH) * columns + j * g.dilationW);
  const last = (offsets.at(-1) ?? 0) / 4 + readWidth;
  return { rows, columns, floats, tail: Math.max(0, last - floats), offsets };
}

/** Writes the chunk's images, zero-padded to `layout`, at float `at` of the memory. */
function padImages(chunk: ImageChunk, layout: PaddedLayout, f32: Float32Array, at: number): void {
  const g = chunk.geometry;
  const { rows, columns } = layout;
  f32.fill(0, at, at + chunk.images * layout.floats + layout.tail);
  const x0 = Math.max(0, -g.padW);
  const width = Math.min(g.width, columns - g.padW) - x0;
  if (width <= 0) return;
  for (let k = 0; k < chunk.images; k++)
    for (let c = 0; c < g.channels; c++) {
      const plane = chunk.offset + k * chunk.imageStride + c * g.height * g.width;
      const target = at + k * layout.floats + c * rows * columns;
      for (let y = Math.max(0, -g.padH); y < g.height && y + g.padH < rows; y++) {
        const from = plane + y * g.width + x0;
        const to = target + (y + g.padH) * columns + x0 + g.padW;
        for (let x = 0; x < width; x++) f32[to + x] = chunk.data[from + x] as number;
      }
    }
}

/** True when the direct kernels apply: windows one step apart in both dims. */
export const directConvolution = (g: WindowGeometry) => g.strideH === 1 && g.strideW === 1;

/**
 * The forward convolution of a chunk of stride-1 images on the direct WebAssembly SIMD kernel:
 * `out[k][o][grid] = Σ_r weight[o][r] · window_r(image k)[grid]`, each sum in float32 over the
 * taps r in order (the bits of the im2col product), plus `bias[o]` if any (rounded once more,
 * as a separate addition would). Output row `o` of image `k` goes to
 * `out[outOffset + k · outImageStride + o · grid]`. Returns false, writing nothing, when the
 * kernel is unavailable.
 */
export function convolveDirect(
  chunk: ImageChunk,
  weight: Float32Array,
  weightOffset: number,
  bias: { data: ArrayLike<number>; offset: number } | null,
  rows: number,
  out: Float32Array,
  outOffset: number,
  outImageStride: number,
): boolean {
  const g = chunk.geometry;
  const depth = g.channels * g.kernelH * g.kernelW;
  const gridSize = g.gridHeight * g.gridWidth;
  const blocks = Math.ceil(rows / Limit.ROWS);
  const columns = g.gridWidth + (g.kernelW - 1) * g.dilationW;
  const panels = Math.ceil((g.gridHeight * columns) / Limit.COLUMNS);
  const ldc = panels * Limit.COLUMNS;
  const layout = paddedLayout(g, ldc);
  // Memory, in floats: packed weight, tap offsets, padded images, product.
  const offsetsAt = blocks * Limit.ROWS * depth;
  const imagesAt = offsetsAt + depth;
  const productAt = imagesAt + chunk.images * layout.floats + layout.tail;
  const k = convKernels(4 * (productAt + blocks * Limit.ROWS * ldc));
  if (k === null) return false;
  const { exports, f32, i32 } = k;
  f32.fill(0, 0, offsetsAt);
  for (let o = 0; o < rows; o++) {
    const at = Math.floor(o / Limit.ROWS) * Limit.ROWS * depth + (o % Limit.ROWS);
    for (let r = 0; r < depth; r++) f32[at + r * Limit.ROWS] = weight[weightOffset + o * depth + r] as number;
  }
  i32.set(layout.offsets, offsetsAt);
  padImages(chunk, layout, f32, imagesAt);
  for (let n = 0; n < chunk.images; n++) {
    const image = 4 * (imagesAt + n * layout.floats);
    exports.conv(0, image, 4 * offsetsAt, 4 * productAt, blocks, panels, depth);
    for (let o = 0; o < rows; o++) {
      const b = bias === null ? 0 : (bias.data[bias.offset + o] as number);
      for (let y = 0; y < g.gridHeight; y++) {
        const from = productAt + o * ldc + y * columns;
        const to = outOffset + n * outImageStride + o * gridSize + y * g.gridWidth;
        for (let x = 0; x < g.gridWidth; x++) out[to + x] = (f32[from + x] as number) + b;
      }
    }
  }
  return true;
}

/**
 * `out[o][r] (+)= Σ_t grad[o][t] · window_r[t]` over the stride-1 images of `chunk` (t runs over
 * images, then grid positions, summed in order in float32 on the direct WebAssembly SIMD
 * kernel: the bits of the im2col product): a weight gradient. Row `o` of image `k` of the
 * gradient is at `grad[gradOffset + k · gradImageStride + o · grid]`; `accumulate` adds to `out`
 * instead of writing it. Returns false, writing nothing, when the kernel is unavailable.
 */
export function weightGradientDirect(
  chunk: ImageChunk,
  grad: Float32Array,
  gradOffset: number,
  gradImageStride: number,
  rows: number,
  out: Float32Array,
  outOffset: number,
  accumulate: boolean,
): boolean {
  const g = chunk.geometry;
  const depth = g.channels * g.kernelH * g.kernelW;
  const gridSize = g.gridHeight * g.gridWidth;
  const blocks = Math.ceil(depth / Limit.ROWS);
  const panels = Math.ceil(rows / Limit.COLUMNS);
  const ldc = panels * Limit.COLUMNS;
  const layout = paddedLayout(g, 0);
  const panelFloats = chunk.images * gridSize * Limit.COLUMNS;
  // Memory, in floats: tap offsets (whole blocks), padded images, packed gradient, product.
  const imagesAt = blocks * Limit.ROWS;
  const packedAt = imagesAt + chunk.images * layout.floats + layout.tail;
  const productAt = packedAt + panels * panelFloats;
  const k = convKernels(4 * (productAt + blocks * Limit.ROWS * ldc));
  if (k === null) return false;
  const { exports, f32, i32 } = k;
  i32.fill(0, 0, imagesAt);
  i32.set(layout.offsets, 0);
  padImages(chunk, layout, f32, imagesAt);
  f32.fill(0, packedAt, productAt);
  for (let o = 0; o < rows; o++) {
    let at = packedAt + Math.floor(o / Limit.COLUMNS) * panelFloats + (o % Limit.COLUMNS);
    for (let n = 0; n < chunk.images; n++) {
      const from = gradOffset + n * gradImageStride + o * gridSize;
      for (let t = 0; t < gridSize; t++, at += Limit.COLUMNS) f32[at] = grad[from + t] as number;
    }
  }
  exports.convgrad(
    4 * imagesAt,
    0,
    4 * packedAt,
    4 * productAt,
    blocks,
    panels,
    4 * panelFloats,
    chunk.images,
    4 * layout.floats,
    g.gridHeight,
    g.gridWidth,
    4 * layout.columns,
  );
  for (let o = 0; o < rows; o++)
    for (let r = 0; r < depth; r++) {
      const value = f32[productAt + r * ldc + o] as number;
      const at = outOffset + o * depth + r;
      out[at] = accumulate ? (out[at] as number) + value : value;
    }
  return true;
}
