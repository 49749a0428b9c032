import { dispatch } from "../dispatch";
import { checkTensorArgument } from "../errors";
import type { OpSpec } from "../op-spec";
import type { Shape } from "../shape";
import { Tensor } from "../tensor";
import { copyContiguous } from "./unary";

/** `x` itself when contiguous, else a contiguous copy made inside the calling kernel. */
export function contiguousData(x: Tensor): Tensor["storage"]["data"] {
  const source = x.contiguousLayout ? x : copyContiguous(x, x.dtype);
  return source.storage.data.subarray(source.offset, source.offset + x.numel());
}

/** How many elements of `data` are non-zero (true for a mask). */
export function countNonzero(data: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  return count;
}

/**
 * Storage offsets (under `strides`) of the non-zero elements of `data`, a row-major array of
 * `shape`, in row-major order: the positions a mask selects. `count` is their number.
 */
export function nonzeroOffsets(
  data: ArrayLike<number>,
  shape: Shape,
  strides: readonly number[],
  count: number,
): Int32Array {
  const out = new Int32Array(count);
  const ndim = shape.length;
  if (ndim === 1) {
    const stride = strides[0] as number;
    for (let i = 0, j = 0; j < count; i++) if (data[i] !== 0) out[j++] = i * stride;
    return out;
  }
  const coordinates = new Array<number>(ndim).fill(0);
  let offset = 0;
  for (let i = 0, j = 0; j < count; i++) {
    if (data[i] !== 0) out[j++] = offset;
    for (let d = ndim - 1; d >= 0; d--) {
      offset += strides[d] as number;
      if (++(coordinates[d] as number) < (shape[d] as number)) break;
      offset -= (strides[d] as number) * (shape[d] as number);
      coordinates[d] = 0;
    }
  }
  return out;
}

function nonzeroForward(inputs: readonly Tensor[]): Tensor {
  const x = inputs[0] as Tensor;
  const data = contiguousData(x);
  const count = countNonzero(data);
  const ndim = x.ndim;
  const out = new Int32Array(count * ndim);
  const coordinates = new Int32Array(ndim);
  for (let i = 0, j = 0; j < out.length; i++) {
    if (data[i] !== 0) {
      out.set(coordinates, j);
      j += ndim;
    }
    for (let d = ndim - 1; d >= 0; d--) {
      if (++(coordinates[d] as number) < (x.shape[d] as number)) break;
      coordinates[d] = 0;
    }
  }
  return Tensor.fromData(out, [count, ndim], "int32");
}

/** The spec of `nonzero` (an int32 result: never differentiable). */
export const nonzeroSpec: OpSpec<"nonzero", null> = {
  name: "nonzero",
  forward: nonzeroForward,
  backward: "not-differentiable",
};

/**
 * The positions of the non-zero (true) elements, as PyTorch's `torch.nonzero`: an int32 tensor
 * of shape `[n, ndim]`, one row of coordinates per element, in row-major order.
 */
export function nonzero(x: Tensor): Tensor {
  checkTensorArgument(x, "nonzero");
  return dispatch(nonzeroSpec, [x], null);
}
