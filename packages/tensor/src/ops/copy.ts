import type { DType } from "../dtype";
import { UNARY } from "../kernels/unary";
import type { Tensor } from "../tensor";
import { mapElements } from "./unary";

/** A contiguous copy of `x` converted to `dtype` (bool conversion maps non-zero to true). */
export function copyContiguous(x: Tensor, dtype: DType): Tensor {
  return mapElements(x, dtype === "bool" && x.dtype !== "bool" ? UNARY.toBool : UNARY.copy, dtype);
}
