import { dispatch } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import {
  convolveBatch,
  convolveTransposedBatch,
  convolveWeightGradient,
} from "../kernels/conv-gemm";
import type { WindowGeometry } from "../kernels/im2col";
import { REDUCE } from "../kernels/reduce";
import type { OpSpec } from "../op-spec";
import { numelOf } from "../shape";
import type { Storage } from "../storage";
import { Tensor } from "../tensor";
import { runReduction } from "./reduce";
import { copyContiguous } from "./unary";

/**
 * Attributes of a convolution over 1 or 2 spatial dims (each array has one entry per spatial
 * dim). `padding` is what lies before the first window; the output's spatial size is given
 * explicitly, which covers `padding: 'same'` (uneven), a transposed convolution's
 * `outputPadding`, and the cropped weight gradients of the backward rule alike.
 */
export interface ConvAttrs {
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  groups: number;
  /** A transposed convolution (the adjoint: windows of the output gather from the input). */
  transposed: boolean;
  outputSize: readonly number[];
  /**
   * For the weight gradient: also sum the output gradient per channel on the way (the bias
   * gradient), for the `convolutionBias` op to take.
   */
  sumsBias?: boolean;
}

/** `[height, width]` of a 1-d or 2-d spatial list (a 1-d signal is an image of height 1). */
const planar = (values: readonly number[], one: number): [number, number] =>
  values.length === 2 ? [values[0] as number, values[1] as number] : [one, values[0] as number];

/** The contiguous values of `t` (a copy only when `t` is a strided view). */
const valuesOf = (t: Tensor): { data: TypedArray; offset: number } =>
  t.contiguousLayout
    ? { data: t.storage.data, offset: t.offset }
    : { data: copyContiguous(t, t.dtype).storage.data, offset: 0 };

/** The windows of a non-transposed convolution of images of `shape` (`[…, channels, …spatial]`) by a weight of `kernel` taps onto `grid`. */
function windowsOf(
  shape: readonly number[],
  attrs: ConvAttrs,
  kernel: readonly number[],
  grid: readonly number[],
): WindowGeometry {
  const spatial = attrs.stride.length;
  const [height, width] = planar(shape.slice(-spatial), 1);
  const [kernelH, kernelW] = planar(kernel, 1);
  const [gridHeight, gridWidth] = planar(grid, 1);
  const [strideH, strideW] = planar(attrs.stride, 1);
  const [padH, padW] = planar(attrs.padding, 0);
  const [dilationH, dilationW] = planar(attrs.dilation, 1);
  const channels = (shape.at(-spatial - 1) as number) / attrs.groups;
  return {
    ...{ channels, height, width, kernelH, kernelW, gridHeight, gridWidth },
    ...{ strideH, strideW, padH, padW, dilationH, dilationW },
  };
}

/** `x`'s values and its batch size (1 for an unbatched input). */
function batchOf(x: Tensor, spatial: number) {
  return { ...valuesOf(x), batch: x.ndim === spatial + 2 ? (x.shape[0] as number) : 1 };
}

function convolutionForward(inputs: readonly Tensor[], attrs: ConvAttrs): Tensor {
  const [x, w, bias] = inputs as [Tensor, Tensor, Tensor?];
  const spatial = attrs.stride.length;
  const { groups } = attrs;
  const images = { ...batchOf(x, spatial), groups };
  const kernel = w.shape.slice(2);
  const outChannels = attrs.transposed ? (w.shape[1] as number) * groups : (w.shape[0] as number);
  const outPlane = numelOf(attrs.outputSize);
  const out = allocate(x.dtype, images.batch * outChannels * outPlane);
  const biasValues = bias === undefined ? null : valuesOf(bias);
  if (attrs.transposed) {
    // Windows over the output (its adjoint's input), gathering from the input's plane.
    const output = [outChannels, ...attrs.outputSize];
    const geometry = windowsOf(output, attrs, kernel, x.shape.slice(-spatial));
    const groupIn = (x.shape.at(-spatial - 1) as number) / groups;
    convolveTransposedBatch(images, groupIn, valuesOf(w), biasValues, geometry, out);
  } else {
    const geometry = windowsOf(x.shape, attrs, kernel, attrs.outputSize);
    convolveBatch({ ...images, geometry }, valuesOf(w), biasValues, outChannels / groups, out);
  }
  const lead = x.ndim === spatial + 2 ? [images.batch, outChannels] : [outChannels];
  return Tensor.fromData(out, [...lead, ...attrs.outputSize], x.dtype);
}

/** The spatial sizes of `t` (its last `spatial` dims). */
const spatialSize = (t: Tensor, spatial: number) => t.shape.slice(-spatial);

/**
 * `Σₙ Σ_grid grad[n, o, grid] · image[n, c, grid·stride − padding + tap·dilation]` per group:
 * the weight gradient of the (non-transposed) convolution of `image` whose output gradient is
 * `grad` (a transposed convolution's weight gradient swaps the two). `attrs.outputSize` is the
 * kernel's size.
 */
function weightGradientForward(inputs: readonly Tensor[], attrs: ConvAttrs): Tensor {
  const [image, grad] = inputs as [Tensor, Tensor];
  const spatial = attrs.stride.length;
  const geometry = windowsOf(image.shape, attrs, attrs.outputSize, spatialSize(grad, spatial));
  const images = { ...batchOf(image, spatial), groups: attrs.groups, geometry };
  const outChannels = grad.shape.at(-spatial - 1) as number;
  const out = allocate(image.dtype, outChannels * geometry.channels * numelOf(attrs.outputSize));
  const sums =
    attrs.sumsBias === true && grad.dtype === "float32" ? new Float32Array(outChannels) : null;
  if (convolveWeightGradient(images, valuesOf(grad), outChannels / attrs.groups, out, sums)) {
    const { storage, offset } = grad;
    keptBiasSums.set(storage, { offset, version: storage.version, sums: sums as Float32Array });
  }
  return Tensor.fromData(out, [outChannels, geometry.channels, ...attrs.outputSize], image.dtype);
}

/**
 * Bias gradients the weight gradient's kernel summed on its way through the output gradient
 * (keyed by that gradient's storage, checked against its offset and version): the bias
 * gradient's op takes them instead of reading the whole gradient again.
 */
const keptBiasSums = new WeakMap<
  Storage,
  { offset: number; version: number; sums: Float32Array }
>();

/** Attributes of a convolution's bias gradient. */
export interface ConvBiasAttrs {
  /** The dims summed: every dim of the output gradient but the channels'. */
  dims: readonly number[];
}

/**
 * The gradient of a convolution's bias: the output gradient summed over every dim but the
 * channels', in `sum`'s order (images, then positions). When the weight gradient's kernel
 * summed it on the way, those sums are taken as they are; its own gradient broadcasts back.
 */
export const convolutionBiasSpec: OpSpec<"convolutionBias", ConvBiasAttrs> = {
  name: "convolutionBias",
  forward: ([g], { dims }) => {
    const grad = g as Tensor;
    const kept = keptBiasSums.get(grad.storage);
    keptBiasSums.delete(grad.storage);
    if (kept !== undefined && kept.offset === grad.offset && kept.version === grad.storage.version)
      return Tensor.fromData(kept.sums, [kept.sums.length], "float32");
    return runReduction(grad, REDUCE.sum, dims, false, grad.dtype);
  },
  backward: (node, grad) => {
    const shape = node.input(0).shape;
    const kept = shape.map((size, d) => (node.attrs.dims.includes(d) ? 1 : size));
    return [grad.reshape(kept).expand(shape)];
  },
};

/**
 * The weight gradient of a convolution, as an op of its own so that it runs as one matrix
 * product per chunk of images; being bilinear in image and gradient, its own gradients are a
 * transposed convolution and a convolution of them by the weight gradient's gradient.
 */
export const convolutionWeightSpec: OpSpec<"convolutionWeight", ConvAttrs> = {
  name: "convolutionWeight",
  forward: weightGradientForward,
  backward: (node, grad) => {
    const spatial = node.attrs.stride.length;
    const image = node.saved(0);
    const outputGrad = node.saved(1);
    const attrs = { ...node.attrs, transposed: false };
    return [
      node.needsGrad(0)
        ? dispatch(convolutionSpec, [outputGrad, grad], {
            ...attrs,
            transposed: true,
            outputSize: spatialSize(image, spatial),
          })
        : null,
      node.needsGrad(1)
        ? dispatch(convolutionSpec, [image, grad], {
            ...attrs,
            outputSize: spatialSize(outputGrad, spatial),
          })
        : null,
    ];
  },
};

/** The weight gradient of the convolution of `image` with output gradient `grad`. */
function weightGradient(
  image: Tensor,
  grad: Tensor,
  attrs: ConvAttrs,
  kernelSize: readonly number[],
): Tensor {
  const spatial = attrs.stride.length;
  const batched = (t: Tensor) => (t.ndim === spatial + 2 ? t : t.unsqueeze(0));
  return dispatch(convolutionWeightSpec, [batched(image), batched(grad)], {
    ...attrs,
    transposed: false,
    outputSize: kernelSize,
  });
}

/**
 * The spec of every convolution (`conv1d`, `conv2d`, their transposes): torch's
 * `convolution`. The input's gradient is the transposed convolution of the gradient (and the
 * other way round), the weight's a convolution of input and gradient, the bias's a sum.
 */
export const convolutionSpec: OpSpec<"convolution", ConvAttrs> = {
  name: "convolution",
  forward: convolutionForward,
  backward: (node, grad) => {
    const { attrs } = node;
    const spatial = attrs.stride.length;
    const x = node.saved(0);
    const w = node.saved(1);
    const kernelSize = spatialSize(w, spatial);
    const gradX = node.needsGrad(0)
      ? dispatch(convolutionSpec, [grad, w], {
          ...attrs,
          transposed: !attrs.transposed,
          outputSize: spatialSize(x, spatial),
        })
      : null;
    const wantsBias = node.inputCount > 2 && node.needsGrad(2);
    const gradW = !node.needsGrad(1)
      ? null
      : attrs.transposed
        ? weightGradient(grad, x, attrs, kernelSize)
        : weightGradient(x, grad, { ...attrs, sumsBias: wantsBias }, kernelSize);
    if (node.inputCount < 3) return [gradX, gradW];
    const batched = x.ndim === spatial + 2;
    const dims = Array.from({ length: grad.ndim }, (_, d) => d).filter(
      (d) => d !== (batched ? 1 : 0),
    );
    return [gradX, gradW, wantsBias ? dispatch(convolutionBiasSpec, [grad], { dims }) : null];
  },
};
