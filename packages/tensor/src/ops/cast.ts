import { dispatch } from "../dispatch";
import { checkDType, type DType, isFloating, type TypedArray } from "../dtype";
import { checkTensorArgument, formatShape, TensorError } from "../errors";
import type { Tensor } from "../tensor";
import { copyContiguous, unarySpecs } from "./unary";

/** A copy of `x` with its own storage (recorded, so gradients flow through it). */
export function clone(x: Tensor): Tensor {
  checkTensorArgument(x, "clone");
  return dispatch(unarySpecs.clone, [x], null);
}

/** `x` converted to `dtype`; returns `x` itself when it already has that dtype. */
export function to(x: Tensor, dtype: DType): Tensor {
  checkTensorArgument(x, "to");
  checkDType(dtype, "to");
  if (dtype === x.dtype) return x;
  return dispatch(unarySpecs.to, [x], { dtype });
}

function readValue(x: Tensor, position: number): number | boolean {
  const value = x.storage.data[position] as number;
  return x.dtype === "bool" ? value !== 0 : value;
}

/** The single value of a one-element tensor. */
export function item(x: Tensor): number | boolean {
  if (x.numel() !== 1) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "item",
      `a Tensor with ${x.numel()} elements cannot be converted to a scalar (shape ${formatShape(x.shape)}). Hint: reduce first (sum(), mean()) or use toArray().`,
    );
  }
  return readValue(x, x.offset);
}

/** Nested arrays in row-major order; a 0-d tensor gives its value. */
export function toArray(x: Tensor): unknown {
  const build = (dim: number, position: number): unknown => {
    if (dim === x.ndim) return readValue(x, position);
    const size = x.shape[dim] as number;
    const stride = x.strides[dim] as number;
    const row = new Array<unknown>(size);
    for (let i = 0; i < size; i++) row[i] = build(dim + 1, position + i * stride);
    return row;
  };
  return build(0, x.offset);
}

/** The elements in row-major order, copied into a new typed array of `x`'s dtype. */
export function toTypedArray(x: Tensor): TypedArray {
  return x.contiguousLayout
    ? x.storage.data.slice(x.offset, x.offset + x.numel())
    : copyContiguous(x, x.dtype).storage.data;
}

/** `requiresGrad_()`: only leaves of a floating dtype may change the flag. */
export function setRequiresGrad<T extends Tensor>(x: T, requiresGrad: boolean): T {
  if (requiresGrad && !isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      "requiresGrad_",
      `only tensors of floating point dtype can require gradients, but this tensor is ${x.dtype} (shape ${formatShape(x.shape)}). Hint: convert with .float() first.`,
    );
  }
  if (x.gradFn !== null && !requiresGrad) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "requiresGrad_",
      "you can only change requiresGrad flags of leaf variables. Hint: use detach() to get a tensor outside the graph.",
    );
  }
  x.requiresGrad = requiresGrad;
  return x;
}
