import type { GradFn, Tensor } from "./tensor";

/**
 * How a view relates to the tensor that owns its storage (PyTorch's view metadata). Every view
 * op records one, in O(1): the base, and the base's `gradFn` at that time. When an in-place op
 * later writes into the view or the base with autograd recording it, the base's `gradFn` changes
 * (to `CopySlices`, or the in-place op's node), and autograd sees from `baseGradFn` that the
 * view's own `gradFn` must be derived again from the base (PyTorch's `AsStridedBackward0`).
 */
export interface ViewMeta {
  /** The tensor that owns the storage, never itself a view (PyTorch's `_base`). */
  readonly base: Tensor;
  /** The base's `gradFn` when this view's `gradFn` was derived from it. */
  baseGradFn: GradFn | null;
  /**
   * The node name of the op that returned this view among several (`"UnbindBackward0"`,
   * `"SplitBackward0"`), or null. PyTorch refuses recorded in-place writes into such views.
   */
  multiOutput: string | null;
}

/** Records that `view` (just made by a view op) views `source`'s storage: O(1). */
export function markView(view: Tensor, source: Tensor): void {
  const parent = source.viewMeta;
  const base = parent === null ? source : parent.base;
  view.viewMeta = {
    base,
    baseGradFn: base.gradFn,
    multiOutput: parent === null ? null : parent.multiOutput,
  };
}

/**
 * The tensors `unbind`, `split` and `chunk` return: an array whose first four entries are typed
 * as present, so `const [w, b] = params.unbind()` typechecks under `noUncheckedIndexedAccess`
 * without a cast (as in PyTorch, unpacking more entries than there are is the caller's bug).
 */
export type TensorList = Tensor[] & {
  readonly 0: Tensor;
  readonly 1: Tensor;
  readonly 2: Tensor;
  readonly 3: Tensor;
};

/**
 * Marks views returned together by one op (`unbind` gives `"UnbindBackward0"`): PyTorch refuses
 * recorded in-place writes into them. Returns them as a {@link TensorList}.
 */
export function multiOutput(views: Tensor[], nodeName: string): TensorList {
  for (const view of views) if (view.viewMeta !== null) view.viewMeta.multiOutput = nodeName;
  return views as TensorList;
}
