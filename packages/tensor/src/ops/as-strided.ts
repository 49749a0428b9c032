import { dispatch } from "../dispatch";
import { allocate } from "../dtype";
import type { OpSpec } from "../op-spec";
import { Storage } from "../storage";
import { Tensor } from "../tensor";
import { viewOf } from "./views";

/** Attributes of `asStrided`: a layout over the input's storage, its offset counted from the input's. */
export interface AsStridedAttrs {
  /** The view's shape. */
  shape: readonly number[];
  /** The view's strides, in elements of the storage. */
  strides: readonly number[];
  /** Where the view starts, counted from the input's own offset. */
  offset: number;
}

/** The layout of `view` as seen from `base` (both over the same storage). */
export function layoutIn(view: Tensor, base: Tensor): AsStridedAttrs {
  return { shape: view.shape, strides: view.strides, offset: view.offset - base.offset };
}

/** Zeros laid out exactly like `like` (shape, strides, offset) over a fresh storage of the same length. */
export function zerosLaidOutLike(like: Tensor): Tensor {
  const storage = new Storage(allocate(like.dtype, like.storage.data.length));
  return new Tensor(storage, like.shape, like.strides, like.offset, like.dtype);
}

/** The view of `x` with the layout `attrs` (PyTorch's `as_strided`, offset relative to `x`'s). */
export function asStrided(x: Tensor, attrs: AsStridedAttrs): Tensor {
  return dispatch(asStridedSpec, [x], attrs);
}

/**
 * The spec of `asStrided`, the view autograd derives for a view whose base was written in place
 * (PyTorch's `AsStridedBackward0`). Its layouts never overlap themselves (in-place writes refuse
 * such targets), so the gradient is `grad` placed at the view's positions in zeros.
 */
export const asStridedSpec: OpSpec<"asStrided", AsStridedAttrs> = {
  name: "asStrided",
  view: true,
  nodeName: "AsStridedBackward0",
  forward: (inputs, { shape, strides, offset }) => {
    const x = inputs[0] as Tensor;
    return viewOf(x, shape, strides, x.offset + offset);
  },
  backward: (node, grad) => {
    const placed = zerosLaidOutLike(node.input(0));
    asStrided(placed, node.attrs).copy_(grad);
    return [placed];
  },
};
