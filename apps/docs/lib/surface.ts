// The loss over a grid of (w, b), computed in one broadcast tensor expression.
import { linspace, type Tensor } from "@x/tensor";

export interface Surface {
  /** Row-major grid values, row 0 at b = bRange[0]; `n` × `n`. */
  values: Float64Array;
  n: number;
  wRange: [number, number];
  bRange: [number, number];
}

/**
 * `mean((w · x + b − y)²)` for `n` values of w by `n` values of b: w is shaped [1, n, 1], b
 * [n, 1, 1] and the data [1, 1, N], so broadcasting gives every prediction at once.
 */
export function lossSurface(
  x: Tensor,
  y: Tensor,
  wRange: [number, number],
  bRange: [number, number],
  n: number,
): Surface {
  const w = linspace(wRange[0], wRange[1], n).reshape([1, n, 1]);
  const b = linspace(bRange[0], bRange[1], n).reshape([n, 1, 1]);
  const loss = w
    .mul(x.reshape([1, 1, -1]))
    .add(b)
    .sub(y.reshape([1, 1, -1]))
    .square()
    .mean(2);
  return { values: Float64Array.from(loss.toTypedArray() as Float32Array), n, wRange, bRange };
}
