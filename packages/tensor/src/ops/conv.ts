import { dispatch } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import { col2im, im2col, type WindowGeometry } from "../kernels/im2col";
import { matmulStrided } from "../kernels/matmul";
import type { OpSpec } from "../op-spec";
import { Tensor } from "../tensor";
import { cat } from "./joining";
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
}

/** `[height, width]` of a 1-d or 2-d spatial list (a 1-d signal is an image of height 1). */
const planar = (values: readonly number[], one: number): [number, number] =>
  values.length === 2 ? [values[0] as number, values[1] as number] : [one, values[0] as number];

/** The contiguous values of `t` (a copy only when `t` is a strided view). */
const valuesOf = (t: Tensor): { data: TypedArray; offset: number } =>
  t.contiguousLayout
    ? { data: t.storage.data, offset: t.offset }
    : { data: copyContiguous(t, t.dtype).storage.data, offset: 0 };

function convolutionForward(inputs: readonly Tensor[], attrs: ConvAttrs): Tensor {
  const [x, w, bias] = inputs as [Tensor, Tensor, Tensor?];
  const spatial = attrs.stride.length;
  const batched = x.ndim === spatial + 2;
  const batch = batched ? (x.shape[0] as number) : 1;
  const channels = x.shape[batched ? 1 : 0] as number;
  const [height, width] = planar(x.shape.slice(-spatial), 1);
  const [kernelH, kernelW] = planar(w.shape.slice(2), 1);
  const [outH, outW] = planar(attrs.outputSize, 1);
  const [strideH, strideW] = planar(attrs.stride, 1);
  const [padH, padW] = planar(attrs.padding, 0);
  const [dilationH, dilationW] = planar(attrs.dilation, 1);
  const groups = attrs.groups;
  const input = valuesOf(x);
  const weight = valuesOf(w);
  const groupIn = channels / groups;
  const outChannels = attrs.transposed ? (w.shape[1] as number) * groups : (w.shape[0] as number);
  const groupOut = outChannels / groups;
  const taps = kernelH * kernelW;
  const outPlane = outH * outW;
  const inPlane = height * width;
  const out = allocate(x.dtype, batch * outChannels * outPlane);
  // Non-transposed: windows over the input, one column each; the output is weight · columns.
  // Transposed: weightᵀ · input gives the columns of the output's windows, added back by col2im.
  const window = { kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW };
  const geometry: WindowGeometry = attrs.transposed
    ? {
        ...window,
        channels: groupOut,
        height: outH,
        width: outW,
        gridHeight: height,
        gridWidth: width,
      }
    : { ...window, channels: groupIn, height, width, gridHeight: outH, gridWidth: outW };
  const gridSize = attrs.transposed ? inPlane : outPlane;
  const depth = (attrs.transposed ? groupOut : groupIn) * taps;
  const cols = allocate(x.dtype, depth * gridSize);
  const row = new Float64Array(gridSize);
  for (let n = 0; n < batch; n++)
    for (let g = 0; g < groups; g++) {
      const image = input.offset + (n * channels + g * groupIn) * inPlane;
      const target = (n * outChannels + g * groupOut) * outPlane;
      if (attrs.transposed) {
        const wT = {
          data: weight.data,
          offset: weight.offset + g * groupIn * depth,
          rowStride: 1,
          colStride: depth,
        };
        const xg = { data: input.data, offset: image, rowStride: inPlane, colStride: 1 };
        matmulStrided(wT, xg, cols, 0, depth, groupIn, inPlane, row);
        col2im(cols, geometry, out, target);
      } else {
        im2col(input.data, image, geometry, cols);
        const wg = {
          data: weight.data,
          offset: weight.offset + g * groupOut * depth,
          rowStride: depth,
          colStride: 1,
        };
        const columns = { data: cols, offset: 0, rowStride: outPlane, colStride: 1 };
        matmulStrided(wg, columns, out, target, groupOut, depth, outPlane, row);
      }
    }
  if (bias !== undefined) addBias(out, valuesOf(bias), batch, outChannels, outPlane);
  const lead = batched ? [batch, outChannels] : [outChannels];
  return Tensor.fromData(out, [...lead, ...attrs.outputSize], x.dtype);
}

function addBias(
  out: TypedArray,
  bias: { data: TypedArray; offset: number },
  batch: number,
  channels: number,
  plane: number,
): void {
  for (let n = 0, at = 0; n < batch; n++)
    for (let c = 0; c < channels; c++) {
      const b = bias.data[bias.offset + c] as number;
      for (let end = at + plane; at < end; at++) out[at] = (out[at] as number) + b;
    }
}

/** The spatial sizes of `t` (its last `spatial` dims). */
const spatialSize = (t: Tensor, spatial: number) => t.shape.slice(-spatial);

/**
 * `Σₙ Σ_grid grad[n, o, grid] · image[n, c, grid·stride − padding + tap·dilation]` per group: the
 * weight gradient, computed as a convolution of the image (channels as the batch) with the
 * gradient as its kernel, stride and dilation swapped, cropped to the kernel's size. Being a
 * convolution itself, it is differentiable again.
 */
function weightGradient(
  image: Tensor,
  grad: Tensor,
  attrs: ConvAttrs,
  kernelSize: readonly number[],
): Tensor {
  const spatial = attrs.stride.length;
  const batchedImage = image.ndim === spatial + 2 ? image : image.unsqueeze(0);
  const batchedGrad = grad.ndim === spatial + 2 ? grad : grad.unsqueeze(0);
  const groupIn = (batchedImage.shape[1] as number) / attrs.groups;
  const groupOut = (batchedGrad.shape[1] as number) / attrs.groups;
  const parts: Tensor[] = [];
  for (let g = 0; g < attrs.groups; g++) {
    const imageGroup = batchedImage.narrow(1, g * groupIn, groupIn).transpose(0, 1);
    const gradGroup = batchedGrad.narrow(1, g * groupOut, groupOut).transpose(0, 1);
    const swapped: ConvAttrs = {
      stride: attrs.dilation,
      dilation: attrs.stride,
      padding: attrs.padding,
      groups: 1,
      transposed: false,
      outputSize: kernelSize,
    };
    parts.push(dispatch(convolutionSpec, [imageGroup, gradGroup], swapped).transpose(0, 1));
  }
  return parts.length === 1 ? (parts[0] as Tensor) : cat(parts, 0);
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
    const gradW = !node.needsGrad(1)
      ? null
      : attrs.transposed
        ? weightGradient(grad, x, attrs, kernelSize)
        : weightGradient(x, grad, attrs, kernelSize);
    if (node.inputCount < 3) return [gradX, gradW];
    const batched = x.ndim === spatial + 2;
    const reduced = Array.from({ length: grad.ndim }, (_, d) => d).filter(
      (d) => d !== (batched ? 1 : 0),
    );
    return [gradX, gradW, node.needsGrad(2) ? grad.sum(reduced) : null];
  },
};
