import { dispatch } from "../dispatch";
import { isFloating } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { Tensor } from "../tensor";
import { type ConvAttrs, convolutionSpec } from "./conv";

/** One number for every spatial dim, or one per dim (`stride: 2` is `stride: [2, 2]` in 2-d). */
export type SpatialArgument = number | readonly number[];

/** Options of `conv1d`/`conv2d`, as torch's keyword arguments. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: SpatialArgument;
  /** Zeros added on both sides (default 0); `'valid'` is 0, `'same'` keeps the size (stride 1 only). */
  padding?: SpatialArgument | "valid" | "same";
  /** Spacing between a window's taps (default 1). */
  dilation?: SpatialArgument;
  /** Channel groups convolved separately (default 1): input and output channels must divide. */
  groups?: number;
}

/** Options of `convTranspose1d`/`convTranspose2d`, as torch's keyword arguments. */
export interface ConvTransposeOptions {
  stride?: SpatialArgument;
  /** Cropped from both sides of the output: `dilation · (kernel − 1) − padding` zeros of the forward view. */
  padding?: SpatialArgument;
  /** Added to one side of the output, to pick among the sizes a strided convolution maps to one size. */
  outputPadding?: SpatialArgument;
  groups?: number;
  dilation?: SpatialArgument;
}

const plural = (spatial: number) => (spatial === 1 ? "3-d" : "4-d");
const sizes = (values: readonly number[]) => `(${values.join(" x ")})`;

function spatialList(
  value: SpatialArgument | undefined,
  fallback: number,
  spatial: number,
  op: string,
  name: string,
  min: number,
): number[] {
  const list = value === undefined ? [fallback] : typeof value === "number" ? [value] : [...value];
  const full = list.length === 1 ? Array<number>(spatial).fill(list[0] as number) : list;
  if (full.length !== spatial || !full.every((v) => Number.isInteger(v) && v >= min)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be an integer >= ${min} or a list of ${spatial} of them, but got ${describeValue(value)}. Hint: e.g. ${name}: ${min === 0 ? 1 : 2}.`,
    );
  }
  return full;
}

function checkOperands(
  op: string,
  spatial: number,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
): void {
  checkTensorArgument(input, op, "input");
  checkTensorArgument(weight, op, "weight");
  if (bias !== null) checkTensorArgument(bias, op, "bias");
  if (!isFloating(input.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `expects a floating-point input, but input is ${input.dtype}. Hint: convert it with input.float().`,
    );
  }
  for (const [name, t] of [
    ["weight", weight],
    ["bias", bias],
  ] as const) {
    if (t !== null && t.dtype !== input.dtype) {
      throw new TensorError(
        "INVALID_DTYPE",
        op,
        `input type (${input.dtype}) and ${name} type (${t.dtype}) should be the same. Hint: convert one with .to('${input.dtype}').`,
      );
    }
  }
  if (input.ndim !== spatial + 1 && input.ndim !== spatial + 2) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `expected ${spatial + 1}-d (unbatched) or ${spatial + 2}-d (batched) input, but got input of shape ${formatShape(input.shape)}. Hint: inputs are [batch, channels, ${spatial === 1 ? "length" : "height, width"}].`,
    );
  }
  if (weight.ndim !== spatial + 2) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `expected a ${plural(spatial)} weight, but got weight of shape ${formatShape(weight.shape)}.`,
    );
  }
}

function checkChannels(
  op: string,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  groups: number,
  transposed: boolean,
): void {
  const channels = input.shape[input.ndim - weight.ndim + 1] as number;
  const [w0, w1] = weight.shape as [number, number];
  const expected = transposed ? w0 : w1 * groups;
  const divided = transposed ? channels : w0;
  if (divided % groups !== 0) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `given groups=${groups}, expected ${transposed ? "input channels" : "weight's dim 0"} to be divisible by ${groups}, but got ${divided} (input ${formatShape(input.shape)}, weight ${formatShape(weight.shape)}).`,
    );
  }
  if (channels !== expected) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${expected} channels, but got ${channels} channels instead. Hint: the input's channels are dim ${input.ndim - weight.ndim + 1}.`,
    );
  }
  const outChannels = transposed ? w1 * groups : w0;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outChannels)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `given weight of size ${formatShape(weight.shape)}, expected bias to be 1-d with ${outChannels} elements, but got bias of size ${formatShape(bias.shape)} instead.`,
    );
  }
}

function checkOutputSize(op: string, inputSize: number[], outputSize: number[]): void {
  if (outputSize.some((s) => s < 1)) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `given input size per channel ${sizes(inputSize)}, the calculated output size per channel ${sizes(outputSize)} is too small. Hint: use a smaller kernel, stride or dilation, or more padding.`,
    );
  }
}

/** `conv1d`/`conv2d` after their arguments are checked. */
function convolve(
  op: string,
  spatial: number,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: ConvOptions,
): Tensor {
  checkOperands(op, spatial, input, weight, bias);
  const stride = spatialList(options.stride, 1, spatial, op, "stride", 1);
  const dilation = spatialList(options.dilation, 1, spatial, op, "dilation", 1);
  const groups = spatialList(options.groups, 1, 1, op, "groups", 1)[0] as number;
  checkChannels(op, input, weight, bias, groups, false);
  const inputSize = input.shape.slice(-spatial);
  const kernel = weight.shape.slice(2);
  const reach = kernel.map((k, d) => (dilation[d] as number) * (k - 1));
  let padding: number[];
  let outputSize: number[];
  if (options.padding === "same") {
    if (stride.some((s) => s !== 1)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `padding='same' is not supported for strided convolutions (stride ${formatShape(stride)}). Hint: give the padding as numbers.`,
      );
    }
    padding = reach.map((r) => Math.floor(r / 2));
    outputSize = inputSize;
  } else {
    const given = options.padding === "valid" ? 0 : options.padding;
    if (typeof given === "string") {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `padding must be a number, a list of numbers, 'valid' or 'same', but got ${describeValue(given)}.`,
      );
    }
    padding = spatialList(given, 0, spatial, op, "padding", 0);
    outputSize = inputSize.map(
      (size, d) =>
        Math.floor(
          (size + 2 * (padding[d] as number) - (reach[d] as number) - 1) / (stride[d] as number),
        ) + 1,
    );
  }
  checkOutputSize(op, inputSize, outputSize);
  const attrs: ConvAttrs = { stride, padding, dilation, groups, transposed: false, outputSize };
  return dispatch(convolutionSpec, bias === null ? [input, weight] : [input, weight, bias], attrs);
}

/** `convTranspose1d`/`convTranspose2d` after their arguments are checked. */
function convolveTransposed(
  op: string,
  spatial: number,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: ConvTransposeOptions,
): Tensor {
  checkOperands(op, spatial, input, weight, bias);
  const stride = spatialList(options.stride, 1, spatial, op, "stride", 1);
  const dilation = spatialList(options.dilation, 1, spatial, op, "dilation", 1);
  const padding = spatialList(options.padding, 0, spatial, op, "padding", 0);
  const outputPadding = spatialList(options.outputPadding, 0, spatial, op, "outputPadding", 0);
  const groups = spatialList(options.groups, 1, 1, op, "groups", 1)[0] as number;
  checkChannels(op, input, weight, bias, groups, true);
  outputPadding.forEach((extra, d) => {
    const limit = Math.max(stride[d] as number, dilation[d] as number);
    if (extra >= limit) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `outputPadding must be smaller than either stride or dilation, but got outputPadding ${formatShape(outputPadding)} with stride ${formatShape(stride)} and dilation ${formatShape(dilation)}.`,
      );
    }
  });
  const inputSize = input.shape.slice(-spatial);
  const outputSize = inputSize.map(
    (size, d) =>
      (size - 1) * (stride[d] as number) -
      2 * (padding[d] as number) +
      (dilation[d] as number) * ((weight.shape[d + 2] as number) - 1) +
      (outputPadding[d] as number) +
      1,
  );
  checkOutputSize(op, inputSize, outputSize);
  const attrs: ConvAttrs = { stride, padding, dilation, groups, transposed: true, outputSize };
  return dispatch(convolutionSpec, bias === null ? [input, weight] : [input, weight, bias], attrs);
}

/**
 * 1-d convolution (cross-correlation, as torch's): `input` `[N, C, L]` or `[C, L]`, `weight`
 * `[out, C / groups, k]`, optional `bias` `[out]`. Runs as one matrix product per sample and group.
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvOptions = {},
): Tensor {
  return convolve("conv1d", 1, input, weight, bias, options);
}

/**
 * 2-d convolution (cross-correlation, as torch's): `input` `[N, C, H, W]` or `[C, H, W]`,
 * `weight` `[out, C / groups, kH, kW]`, optional `bias` `[out]`; windows are copied into columns
 * (im2col) and multiplied on the SIMD matrix kernel.
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvOptions = {},
): Tensor {
  return convolve("conv2d", 2, input, weight, bias, options);
}

/**
 * 1-d transposed convolution (the gradient of `conv1d` with respect to its input): `weight`
 * `[C, out / groups, k]`; the output's length is
 * (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTransposeOptions = {},
): Tensor {
  return convolveTransposed("convTranspose1d", 1, input, weight, bias, options);
}

/** 2-d transposed convolution (the gradient of `conv2d` with respect to its input): `weight` `[C, out / groups, kH, kW]`. */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTransposeOptions = {},
): Tensor {
  return convolveTransposed("convTranspose2d", 2, input, weight, bias, options);
}
