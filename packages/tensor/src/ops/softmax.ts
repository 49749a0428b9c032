import { dispatch } from "../dispatch";
import { allocate, checkDType, type DType, isFloating } from "../dtype";
import { checkTensorArgument, TensorError } from "../errors";
import { REDUCE } from "../kernels/reduce";
import { expInPlace, softmaxKernel } from "../kernels/softmax";
import type { BackwardContext, OpSpec } from "../op-spec";
import { normalizeDims, numelOf } from "../shape";
import { Tensor } from "../tensor";
import { binarySpecs } from "./binary";
import { expandReduced, type ReduceAttrs, reducedShape, runReduction } from "./reduce";
import { copyContiguous } from "./unary";
import { dimIndex } from "./views";

/** Attributes of `softmax` / `logSoftmax`: the (non-negative) dim. */
export interface SoftmaxAttrs {
  dim: number;
}

/** Options of {@link softmax}, {@link logSoftmax} and {@link softmin}. */
export interface SoftmaxOptions {
  /** Converts the input to this dtype first (torch's `dtype=`), e.g. to get float64 sums. */
  dtype?: DType;
}

/** Runs torch's softmax kernel along `dim` of `x` (made contiguous first, as torch does). */
function runSoftmax(x: Tensor, dim: number, log: boolean): Tensor {
  const input = x.contiguousLayout ? x : copyContiguous(x, x.dtype);
  const shape = input.shape;
  const numel = input.numel();
  const out = allocate(x.dtype, numel);
  const data = input.storage.data.subarray(input.offset, input.offset + numel);
  const size = shape.length === 0 ? 1 : (shape[dim] as number);
  softmaxKernel(data, out, {
    outer: numelOf(shape.slice(0, dim)),
    size,
    inner: numelOf(shape.slice(dim + 1)),
    lastDim: dim >= shape.length - 1,
    single: x.dtype === "float32",
    log,
  });
  return Tensor.fromData(out, shape, x.dtype);
}

/** `grad · y − y · Σ(grad · y)` along the dim: torch's `_softmax_backward_data`, differentiable. */
function softmaxBackward(node: BackwardContext<SoftmaxAttrs>, grad: Tensor): Tensor[] {
  const y = node.result;
  const { dim } = node.attrs;
  return [grad.sub(grad.mul(y).sum(dim, true)).mul(y)];
}

/** `grad − e^y · Σ grad` along the dim: torch's `_log_softmax_backward_data`. */
function logSoftmaxBackward(node: BackwardContext<SoftmaxAttrs>, grad: Tensor): Tensor[] {
  const { dim } = node.attrs;
  return [grad.sub(node.result.exp().mul(grad.sum(dim, true)))];
}

/**
 * torch's logsumexp: `log(Σ e^(x − m)) + m` with `m = amax(x)` set to 0 where it is infinite, so
 * an all −inf slice gives −inf and a +inf gives +inf; integer and bool inputs compute in float32.
 */
function runLogsumexp(x: Tensor, { dims, keepdim }: ReduceAttrs): Tensor {
  const input = isFloating(x.dtype) ? x : copyContiguous(x, "float32");
  const dtype = input.dtype;
  const round = dtype === "float32" ? Math.fround : (v: number) => v;
  const shape = reducedShape(input.shape, dims, keepdim);
  if (input.numel() === 0) {
    return Tensor.fromData(allocate(dtype, numelOf(shape)).fill(-Infinity), shape, dtype);
  }
  const max = runReduction(input, REDUCE.amax, dims, true, dtype);
  const m = max.storage.data;
  for (let i = 0; i < m.length; i++) if (Math.abs(m[i] as number) === Infinity) m[i] = 0;
  const shifted = binarySpecs.sub.forward([input, max], null);
  const e = shifted.storage.data;
  if (e instanceof Float32Array) expInPlace(e);
  else for (let i = 0; i < e.length; i++) e[i] = Math.exp(e[i] as number);
  const sum = runReduction(shifted, REDUCE.sum, dims, keepdim, dtype);
  const s = sum.storage.data;
  for (let i = 0; i < s.length; i++) s[i] = round(Math.log(s[i] as number)) + (m[i] as number);
  return sum;
}

/** The specs of the softmax family (softmin is softmax of −x, as in torch). */
export const softmaxSpecs = {
  softmax: {
    name: "softmax",
    forward: ([x], { dim }) => runSoftmax(x as Tensor, dim, false),
    backward: softmaxBackward,
  } satisfies OpSpec<"softmax", SoftmaxAttrs>,
  logSoftmax: {
    name: "logSoftmax",
    forward: ([x], { dim }) => runSoftmax(x as Tensor, dim, true),
    backward: logSoftmaxBackward,
  } satisfies OpSpec<"logSoftmax", SoftmaxAttrs>,
  logsumexp: {
    name: "logsumexp",
    forward: ([x], attrs) => runLogsumexp(x as Tensor, attrs),
    outputDType: ([x]) => (isFloating((x as Tensor).dtype) ? (x as Tensor).dtype : "float32"),
    backward: (node, grad) => {
      const x = node.saved(0);
      const { attrs } = node;
      const result = expandReduced(node.result, x, attrs);
      return [expandReduced(grad, x, attrs).mul(x.sub(result).exp())];
    },
  } satisfies OpSpec<"logsumexp", ReduceAttrs>,
} as const;

/** Casts to `options.dtype` if given, then checks the dtype is floating, as torch's kernels do. */
function softmaxInput(x: Tensor, options: SoftmaxOptions | undefined, op: string): Tensor {
  checkTensorArgument(x, op);
  const dtype = options?.dtype === undefined ? undefined : checkDType(options.dtype, op);
  const input = dtype === undefined || dtype === x.dtype ? x : x.to(dtype);
  if (!isFloating(input.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `${op} is not implemented for ${input.dtype} tensors (as in PyTorch). Hint: pass { dtype: "float32" }, or convert with .float() first.`,
    );
  }
  return input;
}

function normalized(
  spec: (typeof softmaxSpecs)["softmax" | "logSoftmax"],
  op: string,
  x: Tensor,
  dim: number,
  options?: SoftmaxOptions,
): Tensor {
  const input = softmaxInput(x, options, op);
  return dispatch(spec, [input], { dim: dimIndex(input, dim, op) });
}

/** `e^x / Σ e^x` along `dim` (`torch.softmax`), stable by subtracting the max first. */
export function softmax(x: Tensor, dim: number, options?: SoftmaxOptions): Tensor {
  return normalized(softmaxSpecs.softmax, "softmax", x, dim, options);
}

/** `x − log Σ e^x` along `dim` (`torch.log_softmax`), without forming `softmax` first. */
export function logSoftmax(x: Tensor, dim: number, options?: SoftmaxOptions): Tensor {
  return normalized(softmaxSpecs.logSoftmax, "logSoftmax", x, dim, options);
}

/** `softmax(−x)` along `dim` (`torch.nn.functional.softmin`): the smallest value gets most weight. */
export function softmin(x: Tensor, dim: number, options?: SoftmaxOptions): Tensor {
  const input = softmaxInput(x, options, "softmin");
  return dispatch(softmaxSpecs.softmax, [input.neg()], { dim: dimIndex(input, dim, "softmin") });
}

/**
 * `log Σ e^x` over `dim` (one dim or several; `torch.logsumexp`), without overflow where
 * the sum of exponentials would overflow; integer and bool inputs give float32.
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  checkTensorArgument(x, "logsumexp");
  if (dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0)) {
    throw new TensorError(
      "INVALID_DIM",
      "logsumexp",
      `expected one dim or a non-empty list of dims, but got ${dim === undefined || dim === null ? String(dim) : "[]"}. Hint: e.g. logsumexp(x, -1), or logsumexp(x, [0, 1]) for several.`,
    );
  }
  const dims = normalizeDims(dim, x.ndim, "logsumexp");
  return dispatch(softmaxSpecs.logsumexp, [x], { dims, keepdim });
}
