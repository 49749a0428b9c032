import { dispatch } from "../dispatch";
import { checkTensorArgument } from "../errors";
import type { OpSpec } from "../op-spec";
import { contiguousStrides, type Shape } from "../shape";
import { Tensor } from "../tensor";
import { copyContiguous } from "./unary";

/** `x` itself when contiguous, else a contiguous copy made inside the calling kernel. */
export function contiguousData(x: Tensor): Tensor["storage"]["data"] {
  const source = x.contiguousLayout ? x : copyContiguous(x, x.dtype);
  return source.storage.data.subarray(source.offset, source.offset + x.numel());
}

/** A contiguous bool copy-or-view of `x`'s elements (non-zero → 1), as a byte array. */
export function maskBytes(x: Tensor): Uint8Array {
  const source = x.dtype === "bool" ? x : copyContiguous(x, "bool");
  return contiguousData(source) as Uint8Array;
}

/** How many elements of a bool byte array are true. */
export function countTrue(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i] as number; // bytes are exactly 0 or 1
  return count;
}

/**
 * Storage offsets (under `strides`) of the true elements of `mask`, a row-major byte array of
 * `shape`, in row-major order: the positions a mask selects. `count` is their number.
 */
export function trueOffsets(
  mask: Uint8Array,
  shape: Shape,
  strides: readonly number[],
  count: number,
): Int32Array {
  // branch-free (a random mask would mispredict every other element): every offset is written,
  // and the cursor advances by the mask byte; one spare slot takes the last write
  const out = new Int32Array(count + 1);
  const ndim = shape.length;
  const inner = shape[ndim - 1] ?? 1;
  const step = strides[ndim - 1] ?? 0;
  const rows = inner === 0 ? 0 : mask.length / inner;
  const coordinates = new Array<number>(Math.max(ndim - 1, 0)).fill(0);
  let rowOffset = 0;
  let j = 0;
  for (let row = 0, i = 0; row < rows; row++) {
    for (let c = 0, offset = rowOffset; c < inner; c++, i++, offset += step) {
      out[j] = offset;
      j += mask[i] as number;
    }
    for (let d = ndim - 2; d >= 0; d--) {
      rowOffset += strides[d] as number;
      if (++(coordinates[d] as number) < (shape[d] as number)) break;
      rowOffset -= (strides[d] as number) * (shape[d] as number);
      coordinates[d] = 0;
    }
  }
  return out.subarray(0, count);
}

function nonzeroForward(inputs: readonly Tensor[]): Tensor {
  const x = inputs[0] as Tensor;
  const mask = maskBytes(x);
  const count = countTrue(mask);
  const ndim = x.ndim;
  // the flat positions, then each one split into coordinates
  const flat = trueOffsets(mask, x.shape, contiguousStrides(x.shape), count);
  const out = new Int32Array(count * ndim);
  for (let d = ndim - 1, size = 1; d >= 0; size *= x.shape[d] as number, d--) {
    const extent = x.shape[d] as number;
    for (let k = 0; k < count; k++) {
      out[k * ndim + d] = Math.floor((flat[k] as number) / size) % extent;
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
