import { type Shape, sameShape } from "../shape";
import type { Tensor } from "../tensor";
import { sum } from "./reduce";
import { view } from "./views";

/**
 * Sums `x` down to `shape`, undoing broadcasting: leading dims are summed away and dims that
 * `shape` has as 1 are summed with keepdim. Built from recorded ops, so it is differentiable.
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (sameShape(x.shape, shape)) return x;
  const lead = x.ndim - shape.length;
  const dims: number[] = [];
  let keepsOnes = false;
  for (let d = 0; d < x.ndim; d++) {
    if (d < lead) dims.push(d);
    else if (shape[d - lead] === 1 && x.shape[d] !== 1) {
      dims.push(d);
      keepsOnes = true;
    }
  }
  // Only leading dims to drop: one reduction gives the target shape directly.
  if (!keepsOnes) return sum(x, dims, false);
  const reduced = sum(x, dims, true);
  return sameShape(reduced.shape, shape) ? reduced : view(reduced, shape as number[]);
}
