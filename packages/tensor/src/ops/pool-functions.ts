import { dispatch } from "../dispatch";
import { isFloating } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { Tensor } from "../tensor";
import type { SpatialArgument } from "./conv-functions";
import {
  type AvgPoolAttrs,
  avgPoolSpec,
  maxPoolIndicesSpec,
  maxPoolSpec,
  pooledSize,
  type WindowAttrs,
} from "./pool";

/** Options of `maxPool1d`/`maxPool2d`, as torch's keyword arguments. */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SpatialArgument;
  /** −∞ added on both sides (at most half the kernel; default 0). */
  padding?: SpatialArgument;
  /** Spacing of a window's taps (default 1). */
  dilation?: SpatialArgument;
  /** Round the number of windows up: one more window if it starts inside the input. */
  ceilMode?: boolean;
  /** Also return where each maximum was (`{ values, indices }`, flat within each plane). */
  returnIndices?: boolean;
}

/** Options of `avgPool1d`/`avgPool2d`, as torch's keyword arguments. */
export interface AvgPoolOptions {
  stride?: SpatialArgument;
  /** Zeros added on both sides (at most half the kernel; default 0). */
  padding?: SpatialArgument;
  ceilMode?: boolean;
  /** Count the padding's zeros in the divisor (default true, as torch). */
  countIncludePad?: boolean;
  /** Divide every window by this instead (`avgPool2d` only). */
  divisorOverride?: number | null;
}

/** Max pooling's values and where they were: flat indices within each input plane, int32. */
export interface MaxPoolResult {
  values: Tensor;
  indices: Tensor;
}

function spatialList(
  value: SpatialArgument | undefined,
  fallback: readonly number[],
  spatial: number,
  op: string,
  name: string,
  min: number,
): number[] {
  if (value === undefined) return [...fallback];
  const list = typeof value === "number" ? [value] : [...value];
  const full = list.length === 1 ? Array<number>(spatial).fill(list[0] as number) : list;
  if (full.length !== spatial || !full.every((v) => Number.isInteger(v) && v >= min)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be an integer >= ${min} or a list of ${spatial} of them, but got ${describeValue(value)}.`,
    );
  }
  return full;
}

function checkInput(op: string, x: Tensor, spatial: number): void {
  checkTensorArgument(x, op, "input");
  if (!isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `expects a floating-point input, but input is ${x.dtype}. Hint: convert it with input.float().`,
    );
  }
  const ranks = `${spatial + 1}-d (unbatched) or ${spatial + 2}-d (batched)`;
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `expected ${ranks} input, but got input of shape ${formatShape(x.shape)}.`,
    );
  }
  if (x.shape.slice(1).includes(0)) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `expected ${ranks} input with non-zero sizes except the batch, but got input of shape ${formatShape(x.shape)}.`,
    );
  }
}

function windowAttrs(
  op: string,
  x: Tensor,
  spatial: number,
  kernelSize: SpatialArgument,
  options: MaxPoolOptions & AvgPoolOptions,
  dilated: boolean,
): WindowAttrs {
  const kernel = spatialList(kernelSize, [], spatial, op, "kernelSize", 1);
  const stride = spatialList(options.stride, kernel, spatial, op, "stride", 1);
  const padding = spatialList(options.padding, Array(spatial).fill(0), spatial, op, "padding", 0);
  const dilation = dilated
    ? spatialList(options.dilation, Array(spatial).fill(1), spatial, op, "dilation", 1)
    : Array<number>(spatial).fill(1);
  padding.forEach((pad, d) => {
    if (pad > (kernel[d] as number) / 2) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `padding should be at most half of the kernel size, but got padding ${formatShape(padding)} with kernel size ${formatShape(kernel)}.`,
      );
    }
  });
  const ceilMode = options.ceilMode === true;
  const inputSize = x.shape.slice(-spatial);
  const outputSize = inputSize.map((size, d) =>
    pooledSize(
      size,
      kernel[d] as number,
      stride[d] as number,
      padding[d] as number,
      dilation[d] as number,
      ceilMode,
    ),
  );
  if (outputSize.some((s) => s < 1)) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `given input size per channel (${inputSize.join(" x ")}), the calculated output size (${outputSize.join(" x ")}) is too small. Hint: use a smaller kernel or stride, or padding.`,
    );
  }
  return { kernel, stride, padding, dilation, ceilMode };
}

function maxPool(
  op: string,
  spatial: number,
  x: Tensor,
  kernelSize: SpatialArgument,
  options: MaxPoolOptions,
): Tensor | MaxPoolResult {
  checkInput(op, x, spatial);
  const attrs = windowAttrs(op, x, spatial, kernelSize, options, true);
  const values = dispatch(maxPoolSpec, [x], attrs);
  if (options.returnIndices !== true) return values;
  return { values, indices: dispatch(maxPoolIndicesSpec, [x], attrs) };
}

function avgPool(
  op: string,
  spatial: number,
  x: Tensor,
  kernelSize: SpatialArgument,
  options: AvgPoolOptions,
): Tensor {
  checkInput(op, x, spatial);
  const divisor = options.divisorOverride ?? null;
  if (divisor !== null && !(Number.isInteger(divisor) && divisor !== 0)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `divisorOverride must be a non-zero integer, but got ${describeValue(divisor)}.`,
    );
  }
  const attrs: AvgPoolAttrs = {
    ...windowAttrs(op, x, spatial, kernelSize, options, false),
    adaptive: false,
    countIncludePad: options.countIncludePad ?? true,
    divisorOverride: divisor,
  };
  return dispatch(avgPoolSpec, [x], attrs);
}

function adaptiveAvgPool(
  op: string,
  spatial: number,
  x: Tensor,
  outputSize: number | readonly (number | null)[],
): Tensor {
  checkInput(op, x, spatial);
  const given = typeof outputSize === "number" ? Array(spatial).fill(outputSize) : [...outputSize];
  const sizes = given.map((s, d) => (s === null ? (x.shape.at(d - spatial) as number) : s));
  if (sizes.length !== spatial || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `outputSize must be an integer >= 1 or a list of ${spatial} of them (null keeps the input's size), but got ${describeValue(outputSize)}.`,
    );
  }
  return dispatch(avgPoolSpec, [x], { adaptive: true, outputSize: sizes });
}

/** 1-d max pooling over `[N, C, L]` or `[C, L]` (torch's `F.max_pool1d`). */
export function maxPool1d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options?: MaxPoolOptions & { returnIndices?: false },
): Tensor;
export function maxPool1d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options: MaxPoolOptions & { returnIndices: true },
): MaxPoolResult;
export function maxPool1d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options: MaxPoolOptions = {},
): Tensor | MaxPoolResult {
  return maxPool("maxPool1d", 1, x, kernelSize, options);
}

/**
 * 2-d max pooling over `[N, C, H, W]` or `[C, H, W]` (torch's `F.max_pool2d`): each window's
 * maximum, NaN if the window has one; the gradient goes to the maximum (the first one on ties).
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options?: MaxPoolOptions & { returnIndices?: false },
): Tensor;
export function maxPool2d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options: MaxPoolOptions & { returnIndices: true },
): MaxPoolResult;
export function maxPool2d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options: MaxPoolOptions = {},
): Tensor | MaxPoolResult {
  return maxPool("maxPool2d", 2, x, kernelSize, options);
}

/** 1-d average pooling (torch's `F.avg_pool1d`). */
export function avgPool1d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options: Omit<AvgPoolOptions, "divisorOverride"> = {},
): Tensor {
  return avgPool("avgPool1d", 1, x, kernelSize, options);
}

/** 2-d average pooling (torch's `F.avg_pool2d`), padding counted unless `countIncludePad: false`. */
export function avgPool2d(
  x: Tensor,
  kernelSize: SpatialArgument,
  options: AvgPoolOptions = {},
): Tensor {
  return avgPool("avgPool2d", 2, x, kernelSize, options);
}

/** Averages over `outputSize` windows spread evenly over the input (torch's `F.adaptive_avg_pool1d`). */
export function adaptiveAvgPool1d(
  x: Tensor,
  outputSize: number | readonly [number | null],
): Tensor {
  return adaptiveAvgPool("adaptiveAvgPool1d", 1, x, outputSize);
}

/** `adaptiveAvgPool2d(x, [h, w])` (torch's `F.adaptive_avg_pool2d`); `null` keeps that size, `1` is global average pooling. */
export function adaptiveAvgPool2d(
  x: Tensor,
  outputSize: number | readonly [number | null, number | null],
): Tensor {
  return adaptiveAvgPool("adaptiveAvgPool2d", 2, x, outputSize);
}
