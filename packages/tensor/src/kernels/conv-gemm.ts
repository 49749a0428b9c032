import type { TypedArray } from "../dtype";
import { col2im, im2col, type WindowGeometry, windowSizes } from "./im2col";
import { matmulStrided } from "./matmul";
import {
  convolveDirect,
  directConvolution,
  type ImageChunk,
  weightGradientDirect,
} from "./wasm/conv-simd";

/** (An enum, so that bundlers inline the numbers.) */
enum Limit {
  /** Elements of the column matrix built at once: the batch is cut into chunks below this. */
  CHUNK_ELEMENTS = 1 << 22,
  /** Multiply-adds from which float32 products run on the SIMD kernel (as in `matmulStrided`). */
  WASM_MIN_WORK = 4096,
}

/** Contiguous values from `offset`. */
export interface Values {
  data: TypedArray;
  offset: number;
}

/**
 * A batch of `batch` images of `groups · geometry.channels` planes of `height × width` (from
 * `offset`), whose windows, one group at a time, `geometry` describes.
 */
export interface ConvBatch extends Values {
  batch: number;
  groups: number;
  geometry: WindowGeometry;
}

const sameKind = (like: TypedArray, length: number): TypedArray =>
  new (like.constructor as new (n: number) => TypedArray)(length);

/** The sizes of a batch's products: window rows, grid, output channels, images per chunk. */
function batchPlan(x: ConvBatch, groupOut: number) {
  const { depth, gridSize } = windowSizes(x.geometry);
  const outChannels = x.groups * groupOut;
  return { depth, gridSize, outChannels, chunk: chunkOf(x.batch, depth, gridSize) };
}

/** How many images go into one column matrix of `columnsPerImage` columns of `depth` rows. */
const chunkOf = (batch: number, depth: number, columnsPerImage: number) =>
  Math.max(1, Math.min(batch, Math.floor(Limit.CHUNK_ELEMENTS / (depth * columnsPerImage || 1))));

/**
 * Copies planes between the batch layout (`[image][channel][plane]`, `channels` per image, this
 * group's from `first`) and the channel-major layout of a chunk (`[channel][image][plane]`);
 * `toChunk` picks the direction.
 */
function reorderPlanes(
  batchData: TypedArray,
  batchOffset: number,
  chunkData: TypedArray,
  channels: number,
  first: number,
  count: number,
  images: number,
  plane: number,
  toChunk: boolean,
): void {
  for (let c = 0; c < count; c++)
    for (let k = 0; k < images; k++) {
      const inBatch = batchOffset + (k * channels + first + c) * plane;
      const inChunk = (c * images + k) * plane;
      if (toChunk) chunkData.set(batchData.subarray(inBatch, inBatch + plane), inChunk);
      else batchData.set(chunkData.subarray(inChunk, inChunk + plane), inBatch);
    }
}

/**
 * Adds `bias[first + c]` to every value of the planes of channels `first … first + count − 1`
 * of images `n0 … n0 + images − 1` (`channels` planes of `plane` values each).
 */
function addBias(
  out: TypedArray,
  bias: Values,
  n0: number,
  images: number,
  channels: number,
  first: number,
  count: number,
  plane: number,
): void {
  for (let k = 0; k < images; k++)
    for (let c = first; c < first + count; c++) {
      const b = bias.data[bias.offset + c] as number;
      for (let at = ((n0 + k) * channels + c) * plane, end = at + plane; at < end; at++)
        out[at] = (out[at] as number) + b;
    }
}

/**
 * The images `n0 … n0 + images − 1` of `x`, one group's channels, as a float32 chunk for the
 * direct SIMD kernels; null when `x` is not float32, the windows are strided or the product
 * (`work` multiply-adds) is small.
 */
function float32Chunk(
  x: ConvBatch,
  n0: number,
  images: number,
  group: number,
  work: number,
): ImageChunk | null {
  const g = x.geometry;
  if (!(x.data instanceof Float32Array) || work < Limit.WASM_MIN_WORK || !directConvolution(g))
    return null;
  const inPlane = g.height * g.width;
  const imageStride = g.channels * x.groups * inPlane;
  const offset = x.offset + n0 * imageStride + group * g.channels * inPlane;
  return { data: x.data, offset, imageStride, images, geometry: g };
}

/** Every image's windows of one group, side by side in `cols` (`images · gridSize` wide). */
function columnsOf(x: ConvBatch, n0: number, images: number, group: number, cols: TypedArray) {
  const g = x.geometry;
  const inPlane = g.height * g.width;
  const gridSize = g.gridHeight * g.gridWidth;
  const channels = g.channels * x.groups;
  for (let k = 0; k < images; k++) {
    const image = x.offset + ((n0 + k) * channels + group * g.channels) * inPlane;
    im2col(x.data, image, g, cols, { offset: k * gridSize, rowLength: images * gridSize });
  }
}

/**
 * The forward convolution of a batch: `out[n][o] = weight[o] · columns(x[n])`, the columns of a
 * chunk of images multiplied at once on the matrix kernel (each output is one dot product over
 * `channels · taps`, in that order), plus `bias[o]` if any. `out` is `[batch][groups ·
 * groupOut][grid]`.
 */
export function convolveBatch(
  x: ConvBatch,
  weight: Values,
  bias: Values | null,
  groupOut: number,
  out: TypedArray,
): void {
  const { depth, gridSize, outChannels, chunk } = batchPlan(x, groupOut);
  let cols: TypedArray | undefined;
  let product: TypedArray | undefined;
  let row: Float64Array | undefined;
  for (let n0 = 0; n0 < x.batch; n0 += chunk) {
    const images = Math.min(chunk, x.batch - n0);
    const width = images * gridSize;
    for (let group = 0; group < x.groups; group++) {
      const rows = weight.offset + group * groupOut * depth;
      const at = (n0 * outChannels + group * groupOut) * gridSize;
      const fast = float32Chunk(x, n0, images, group, groupOut * depth * width);
      const biasRows =
        bias === null ? null : { data: bias.data, offset: bias.offset + group * groupOut };
      if (
        fast !== null &&
        weight.data instanceof Float32Array &&
        out instanceof Float32Array &&
        convolveDirect(fast, weight.data, rows, biasRows, groupOut, out, at, outChannels * gridSize)
      )
        continue;
      cols ??= sameKind(out, depth * chunk * gridSize);
      product ??= sameKind(out, groupOut * chunk * gridSize);
      row ??= new Float64Array(chunk * gridSize);
      columnsOf(x, n0, images, group, cols);
      const w = { data: weight.data, offset: rows, rowStride: depth, colStride: 1 };
      const columns = { data: cols, offset: 0, rowStride: width, colStride: 1 };
      matmulStrided(w, columns, product, 0, groupOut, depth, width, row);
      const start = n0 * outChannels * gridSize;
      const first = group * groupOut;
      reorderPlanes(out, start, product, outChannels, first, groupOut, images, gridSize, false);
      if (bias !== null) addBias(out, bias, n0, images, outChannels, first, groupOut, gridSize);
    }
  }
}

/**
 * The gradient of a convolution's weight: `Σₙ grad[n][o] · columns(x[n])ᵀ`, as one matrix
 * product per chunk of images (each weight's sum runs over images, then grid positions, in
 * order). `grad` is `[batch][groups · groupOut][grid]`; `out` (`[groups · groupOut][channels ·
 * taps]`) must start zeroed. With `biasSums` (zeroed, one per output channel), the direct
 * kernels also sum each channel's gradient, over images then positions as `sum` would: returns
 * true when they did (every chunk ran on them), false when `biasSums` holds no result.
 */
export function convolveWeightGradient(
  x: ConvBatch,
  grad: Values,
  groupOut: number,
  out: TypedArray,
  biasSums: Float32Array | null = null,
): boolean {
  let summed = biasSums !== null;
  const { depth, gridSize, outChannels, chunk } = batchPlan(x, groupOut);
  let cols: TypedArray | undefined;
  let gradRows: TypedArray | undefined;
  let partial: TypedArray | undefined;
  let row: Float64Array | undefined;
  for (let n0 = 0; n0 < x.batch; n0 += chunk) {
    const images = Math.min(chunk, x.batch - n0);
    const width = images * gridSize;
    for (let group = 0; group < x.groups; group++) {
      const first = group * groupOut;
      const start = grad.offset + n0 * outChannels * gridSize;
      const fast = float32Chunk(x, n0, images, group, groupOut * depth * width);
      if (
        fast !== null &&
        grad.data instanceof Float32Array &&
        out instanceof Float32Array &&
        weightGradientDirect(
          ...[fast, grad.data, start + first * gridSize, outChannels * gridSize, groupOut],
          ...[out, first * depth, n0 > 0, summed ? { data: biasSums!, offset: first } : null],
        )
      )
        continue;
      summed = false;
      cols ??= sameKind(out, depth * chunk * gridSize);
      gradRows ??= sameKind(out, groupOut * chunk * gridSize);
      partial ??= sameKind(out, groupOut * depth);
      row ??= new Float64Array(depth);
      columnsOf(x, n0, images, group, cols);
      reorderPlanes(
        grad.data,
        start,
        gradRows,
        outChannels,
        first,
        groupOut,
        images,
        gridSize,
        true,
      );
      const a = { data: gradRows, offset: 0, rowStride: width, colStride: 1 };
      const b = { data: cols, offset: 0, rowStride: 1, colStride: width };
      matmulStrided(a, b, partial, 0, groupOut, width, depth, row);
      for (let i = 0, at = first * depth; i < partial.length; i++, at++)
        out[at] = (out[at] as number) + (partial[i] as number);
    }
  }
  return summed;
}

/**
 * The transposed convolution of a batch (the adjoint of {@link convolveBatch} in its input):
 * `weightᵀ · x[n]` gives the columns of each output's windows, added back by col2im. `x` has
 * `groups · groupIn` planes per image; `g` describes the windows over the OUTPUT (`channels`
 * per group; the grid is the input's plane); `weight` is `[groups · groupIn][channels · taps]`,
 * `bias` (if any) one value per output channel; `out` (`[batch][groups · channels][height ·
 * width]`) must start zeroed.
 */
export function convolveTransposedBatch(
  x: Values & { batch: number; groups: number },
  groupIn: number,
  weight: Values,
  bias: Values | null,
  g: WindowGeometry,
  out: TypedArray,
): void {
  const depth = g.channels * g.kernelH * g.kernelW;
  const inPlane = g.gridHeight * g.gridWidth;
  const outPlane = g.height * g.width;
  const inChannels = x.groups * groupIn;
  const chunk = chunkOf(x.batch, depth, inPlane);
  const cols = sameKind(out, depth * chunk * inPlane);
  const inputRows = sameKind(out, groupIn * chunk * inPlane);
  const row = new Float64Array(chunk * inPlane);
  for (let n0 = 0; n0 < x.batch; n0 += chunk) {
    const images = Math.min(chunk, x.batch - n0);
    const width = images * inPlane;
    for (let group = 0; group < x.groups; group++) {
      const start = x.offset + n0 * inChannels * inPlane;
      reorderPlanes(
        x.data,
        start,
        inputRows,
        inChannels,
        group * groupIn,
        groupIn,
        images,
        inPlane,
        true,
      );
      const wT = {
        data: weight.data,
        offset: weight.offset + group * groupIn * depth,
        rowStride: 1,
        colStride: depth,
      };
      const rows = { data: inputRows, offset: 0, rowStride: width, colStride: 1 };
      matmulStrided(wT, rows, cols, 0, depth, groupIn, width, row);
      for (let k = 0; k < images; k++) {
        const image = ((n0 + k) * x.groups + group) * g.channels * outPlane;
        col2im(cols, g, out, image, { offset: k * inPlane, rowLength: width });
      }
    }
  }
  const channels = x.groups * g.channels;
  if (bias !== null) addBias(out, bias, 0, x.batch, channels, 0, channels, outPlane);
}
