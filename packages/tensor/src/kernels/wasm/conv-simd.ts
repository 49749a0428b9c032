import { type WindowGeometry, windowSizes } from "../im2col";
import { CONV_WASM } from "./conv-wasm";
import { decode, wasmKernelsAvailable } from "./instance";

/** The functions exported by conv.wat (addresses are byte offsets into the memory). */
interface ConvExports {
  conv(
    a: number,
    x: number,
    offsets: number,
    c: number,
    bias: number,
    blocks: number,
    k: number,
    rows: number,
    cols: number,
    rowBytes: number,
    ldc: number,
    height: number,
  ): void;
  convgrad(
    x: number,
    offsets: number,
    g: number,
    c: number,
    blocks: number,
    channels: number,
    gRowBytes: number,
    gImageBytes: number,
    images: number,
    imageBytes: number,
    rows: number,
    length: number,
    rowBytes: number,
    t: number,
    sums: number,
  ): void;
  relu(o: number, x: number, n: number): void;
  maxpool2(
    x: number,
    values: number,
    indices: number,
    planes: number,
    height: number,
    width: number,
    outH: number,
    outW: number,
  ): void;
  relugrad(o: number, g: number, y: number, n: number): void;
  maxpool2grad(
    g: number,
    indices: number,
    out: number,
    planes: number,
    height: number,
    width: number,
    outH: number,
    outW: number,
  ): void;
  pad(
    src: number,
    dst: number,
    planes: number,
    planeBytes: number,
    height: number,
    width: number,
    rows: number,
    columns: number,
    top: number,
    left: number,
    x0: number,
    length: number,
  ): void;
}

/** (An enum, so that bundlers inline the numbers.) */
enum Limit {
  PAGE_BYTES = 65536,
  /** The largest memory the module grows to; bigger requests run the im2col path instead. */
  MAX_BYTES = 2 ** 30,
  /** Columns per panel of the kernels' tiles (outputs, or channels for the weight gradient). */
  COLUMNS = 8,
  /** Taps per block of the weight gradient's tile. */
  TAPS = 4,
}

interface ConvKernels {
  exports: ConvExports;
  memory: WebAssembly.Memory;
  f32: Float32Array;
  i32: Int32Array;
}

/** Floats per operand and pass of the relu and pooling kernels (an enum: bundlers inline it). */
enum Pass {
  FLOATS = 65536,
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

/** Floats a chunk's images span in their tensor (the staging area {@link padImages} needs). */
function chunkSpan(chunk: ImageChunk): number {
  const g = chunk.geometry;
  return (chunk.images - 1) * chunk.imageStride + g.channels * g.height * g.width;
}

/**
 * Writes the chunk's images, zero-padded to `layout`, at float `at` of the memory: the images
 * are copied in at float `stageAt` in one piece, then padded row by row by the module.
 */
function padImages(
  chunk: ImageChunk,
  layout: PaddedLayout,
  k: ConvKernels,
  at: number,
  stageAt: number,
): void {
  const g = chunk.geometry;
  const { f32, exports } = k;
  f32.fill(0, at, at + chunk.images * layout.floats + layout.tail);
  f32.set(chunk.data.subarray(chunk.offset, chunk.offset + chunkSpan(chunk)), stageAt);
  const x0 = Math.max(0, -g.padW);
  const length = Math.min(g.width, layout.columns - g.padW) - x0;
  for (let n = 0; n < chunk.images; n++)
    exports.pad(
      4 * (stageAt + n * chunk.imageStride),
      4 * (at + n * layout.floats),
      g.channels,
      4 * g.height * g.width,
      g.height,
      g.width,
      layout.rows,
      layout.columns,
      g.padH,
      g.padW,
      x0,
      length,
    );
}

/** True when the direct kernels apply: windows one step apart in both dims. */
export const directConvolution = (g: WindowGeometry) => g.strideH === 1 && g.strideW === 1;

/**
 * Output channels per block of the forward kernel: 4 or 5, whichever does less work in all
 * (a 4-row tile costs about 26 operations per tap, a 5-row one 31; rows past the last channel
 * are computed and dropped), so 8, 16 or 32 channels take 4-row blocks.
 */
const blockHeight = (rows: number): 4 | 5 =>
  Math.ceil(rows / 4) * 26 < Math.ceil(rows / 5) * 31 ? 4 : 5;

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
  const { depth, gridSize } = windowSizes(g);
  const height = blockHeight(rows);
  const blocks = Math.ceil(rows / height);
  const columns = g.gridWidth + (g.kernelW - 1) * g.dilationW;
  // A row's last 8 outputs may run 7 past it: into the next row, or this slack.
  const ldc = Math.ceil((gridSize + Limit.COLUMNS) / 4) * 4;
  const layout = paddedLayout(g, (g.gridHeight - 1) * columns + g.gridWidth + Limit.COLUMNS);
  // Memory, in floats: packed weight, tap offsets, biases, padded images, product.
  const offsetsAt = blocks * height * depth;
  const biasAt = offsetsAt + depth;
  const imagesAt = biasAt + blocks * height;
  const productAt = imagesAt + chunk.images * layout.floats + layout.tail;
  const stageAt = productAt + blocks * height * ldc;
  const k = convKernels(4 * (stageAt + chunkSpan(chunk)));
  if (k === null) return false;
  const { exports, f32, i32 } = k;
  f32.fill(0, 0, imagesAt);
  for (let o = 0; o < rows; o++) {
    const at = Math.floor(o / height) * height * depth + (o % height);
    for (let r = 0; r < depth; r++)
      f32[at + r * height] = weight[weightOffset + o * depth + r] as number;
    if (bias !== null) f32[biasAt + o] = bias.data[bias.offset + o] as number;
  }
  i32.set(layout.offsets, offsetsAt);
  padImages(chunk, layout, k, imagesAt, stageAt);
  for (let n = 0; n < chunk.images; n++) {
    const image = 4 * (imagesAt + n * layout.floats);
    exports.conv(
      0,
      image,
      4 * offsetsAt,
      4 * productAt,
      4 * biasAt,
      blocks,
      depth,
      g.gridHeight,
      g.gridWidth,
      4 * columns,
      4 * ldc,
      height,
    );
    for (let o = 0; o < rows; o++) {
      const from = productAt + o * ldc;
      out.set(f32.subarray(from, from + gridSize), outOffset + n * outImageStride + o * gridSize);
    }
  }
  return true;
}

/**
 * `out[o][r] (+)= Σ_t grad[o][t] · window_r[t]` over the stride-1 images of `chunk` (t runs over
 * images, then grid positions, summed in order in float32 on the direct WebAssembly SIMD
 * kernel: the bits of the im2col product): a weight gradient. Row `o` of image `k` of the
 * gradient is at `grad[gradOffset + k · gradImageStride + o · grid]`; `accumulate` adds to `out`
 * instead of writing it. With `biasSums`, channel `o`'s gradient is summed on into
 * `biasSums.data[biasSums.offset + o]` in float32, position after position (a bias gradient, in
 * the order of a sum over images and positions). Returns false, writing nothing, when the
 * kernel is unavailable.
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
  biasSums: { data: Float32Array; offset: number } | null = null,
): boolean {
  const g = chunk.geometry;
  const { depth, gridSize } = windowSizes(g);
  const blocks = Math.ceil(depth / Limit.TAPS);
  // channels rounded up to whole panels: the product's row length, and the sums' count
  const ldc = Math.ceil(rows / Limit.COLUMNS) * Limit.COLUMNS;
  const layout = paddedLayout(g, 0);
  const gradSpan = (chunk.images - 1) * gradImageStride + rows * gridSize;
  // Memory, in floats: tap offsets (whole blocks), padded images, the gradient, product, and
  // 8 channels' gradients interleaved (8 floats a position), images staged for padding, and
  // the channels' gradient sums.
  const imagesAt = blocks * Limit.TAPS;
  const gradAt = imagesAt + chunk.images * layout.floats + layout.tail;
  const productAt = gradAt + gradSpan;
  const interleavedAt = productAt + blocks * Limit.TAPS * ldc;
  const stageAt = interleavedAt + chunk.images * gridSize * Limit.COLUMNS;
  const sumsAt = stageAt + chunkSpan(chunk);
  const k = convKernels(4 * (sumsAt + ldc));
  if (k === null) return false;
  const { exports, f32, i32 } = k;
  f32.fill(0, sumsAt, sumsAt + ldc);
  if (biasSums !== null) {
    const from = biasSums.offset;
    f32.set(biasSums.data.subarray(from, from + rows), sumsAt);
  }
  i32.fill(0, 0, imagesAt);
  i32.set(layout.offsets, 0);
  padImages(chunk, layout, k, imagesAt, stageAt);
  f32.set(grad.subarray(gradOffset, gradOffset + gradSpan), gradAt);
  exports.convgrad(
    4 * imagesAt,
    0,
    4 * gradAt,
    4 * productAt,
    blocks,
    rows,
    4 * gridSize,
    4 * gradImageStride,
    chunk.images,
    4 * layout.floats,
    g.gridHeight,
    g.gridWidth,
    4 * layout.columns,
    4 * interleavedAt,
    4 * sumsAt,
  );
  if (biasSums !== null) biasSums.data.set(f32.subarray(sumsAt, sumsAt + rows), biasSums.offset);
  for (let o = 0; o < rows; o++)
    for (let r = 0; r < depth; r++) {
      const value = f32[productAt + r * ldc + o] as number;
      const at = outOffset + o * depth + r;
      out[at] = accumulate ? (out[at] as number) + value : value;
    }
  return true;
}

/** Floats from which relu and its gradient run on the SIMD kernels (shorter rows stay in JS). */
export const RELU_SIMD_MIN = 4096;

/**
 * `out[i] = relu(x[i])` (`grad[i] · [x[i] > 0]` for relu's gradient, `x` then being relu's
 * result) for `n` contiguous float32s, on the WebAssembly SIMD kernels: the TypeScript
 * kernels' bits. Returns false, writing nothing, when the kernels are unavailable.
 */
export function reluFloat32Simd(
  out: Float32Array,
  outOffset: number,
  x: Float32Array,
  xOffset: number,
  n: number,
  grad: { data: Float32Array; offset: number } | null = null,
): boolean {
  const k = convKernels(4 * 3 * Pass.FLOATS);
  if (k === null) return false;
  const { exports, f32 } = k;
  const [xAt, gAt, oAt] = [0, Pass.FLOATS, 2 * Pass.FLOATS];
  for (let start = 0; start < n; start += Pass.FLOATS) {
    const count = Math.min(Pass.FLOATS, n - start);
    const padded = Math.ceil(count / 4) * 4;
    f32.set(x.subarray(xOffset + start, xOffset + start + count), xAt);
    if (grad === null) exports.relu(4 * oAt, 4 * xAt, padded);
    else {
      const from = grad.offset + start;
      f32.set(grad.data.subarray(from, from + count), gAt);
      exports.relugrad(4 * oAt, 4 * gAt, 4 * xAt, padded);
    }
    out.set(f32.subarray(oAt, oAt + count), outOffset + start);
  }
  return true;
}

/**
 * Max pooling with 2 × 2 windows 2 apart and no padding, over `planes` contiguous float32
 * planes of `height × width` (at `input[offset]`), `outW` a multiple of 4: each window's
 * maximum to `values` and its flat position within the plane to `indices`, on the WebAssembly
 * SIMD kernel (the TypeScript kernel's results: torch's scan order, NaN wins, ties pick the
 * first). Returns false, writing nothing, when the kernel is unavailable.
 */
export function maxPool2Simd(
  input: Float32Array,
  offset: number,
  planes: number,
  height: number,
  width: number,
  indices: Int32Array,
  values: Float32Array,
): boolean {
  const layout = poolingLayout(height, width);
  if (layout === null) return false;
  const { exports, f32, i32, outH, outW, plane, pooled, chunk, pooledAt, indicesAt } = layout;
  for (let p0 = 0; p0 < planes; p0 += chunk) {
    const count = Math.min(chunk, planes - p0);
    f32.set(input.subarray(offset + p0 * plane, offset + (p0 + count) * plane), 0);
    exports.maxpool2(0, 4 * pooledAt, 4 * indicesAt, count, height, width, outH, outW);
    values.set(f32.subarray(pooledAt, pooledAt + count * pooled), p0 * pooled);
    indices.set(i32.subarray(indicesAt, indicesAt + count * pooled), p0 * pooled);
  }
  return true;
}

/**
 * The memory of the 2 × 2 pooling kernels, per pass of `chunk` planes: the planes at float 0,
 * one float per window at `pooledAt`, one position per window at `indicesAt`. Null when the
 * kernels are unavailable.
 */
function poolingLayout(height: number, width: number) {
  const outH = height >> 1;
  const outW = width >> 1;
  const plane = height * width;
  const pooled = outH * outW;
  const chunk = Math.max(1, Math.floor(Pass.FLOATS / plane));
  const pooledAt = chunk * plane;
  const indicesAt = pooledAt + chunk * pooled;
  const k = convKernels(4 * (indicesAt + chunk * pooled));
  if (k === null) return null;
  const { exports, f32, i32 } = k;
  return { exports, f32, i32, outH, outW, plane, pooled, chunk, pooledAt, indicesAt };
}

/**
 * The gradient of {@link maxPool2Simd}'s pooling: each window's gradient (`grad`, from
 * `offset`) goes to the position `indices` picked in its plane, 0 elsewhere, into `out`
 * (`planes` planes of `height × width`), on the WebAssembly SIMD kernel: the scatter-add onto
 * zeros, bit for bit (the windows do not overlap). Returns false, writing nothing, when the
 * kernel is unavailable.
 */
export function maxPool2GradSimd(
  grad: Float32Array,
  offset: number,
  indices: Int32Array,
  planes: number,
  height: number,
  width: number,
  out: Float32Array,
): boolean {
  const layout = poolingLayout(height, width);
  if (layout === null) return false;
  const { exports, f32, i32, outH, outW, plane, pooled, chunk, pooledAt, indicesAt } = layout;
  for (let p0 = 0; p0 < planes; p0 += chunk) {
    const count = Math.min(chunk, planes - p0);
    f32.fill(0, 0, count * plane);
    f32.set(grad.subarray(offset + p0 * pooled, offset + (p0 + count) * pooled), pooledAt);
    i32.set(indices.subarray(p0 * pooled, (p0 + count) * pooled), indicesAt);
    exports.maxpool2grad(4 * pooledAt, 4 * indicesAt, 0, count, height, width, outH, outW);
    out.set(f32.subarray(0, count * plane), p0 * plane);
  }
  return true;
}
