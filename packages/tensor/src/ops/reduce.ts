import { record } from "../dispatch";
import { allocate, type DType, isFloating } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import { REDUCE, type ReduceCode, reduceContiguous, reduceRows } from "../kernels/reduce";
import { elementOffsets } from "../kernels/strided";
import type { OpName } from "../op-names";
import { normalizeDims, numelOf } from "../shape";
import { Tensor, type ValuesIndices, type VarOptions } from "../tensor";
import { maximum, minimum } from "./binary";
import { sqrt } from "./unary";
import { dimIndex } from "./views";

/** A `dim` argument: one dim, several, or `null`/`undefined` for all of them. */
export type DimArgument = number | readonly number[] | null | undefined;

/** Output shape of reducing `dims` of `shape`. */
export function reducedShape(
  shape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): number[] {
  const out: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (!dims.includes(d)) out.push(shape[d] as number);
    else if (keepdim) out.push(1);
  }
  return out;
}

/** Runs a reduction kernel over `dims` of `x` into a new tensor of `dtype`. */
function runReduction(
  x: Tensor,
  code: ReduceCode,
  dims: readonly number[],
  keepdim: boolean,
  dtype: DType,
  correction = 0,
): Tensor {
  const shape = reducedShape(x.shape, dims, keepdim);
  const out = allocate(dtype, numelOf(shape));
  if (x.contiguousLayout && dims.length === x.ndim) {
    reduceContiguous(code, x.storage.data, x.offset, x.numel(), out, correction);
    return Tensor.fromData(out, shape, dtype);
  }
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const innerShape: number[] = [];
  const innerStrides: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    const reduced = dims.includes(d);
    (reduced ? innerShape : keptShape).push(x.shape[d] as number);
    (reduced ? innerStrides : keptStrides).push(x.strides[d] as number);
  }
  const base = elementOffsets(keptShape, keptStrides);
  for (let i = 0; i < base.length; i++) (base[i] as number) += x.offset;
  reduceRows(code, x.storage.data, base, elementOffsets(innerShape, innerStrides), out, correction);
  return Tensor.fromData(out, shape, dtype);
}

function requireNonEmpty(x: Tensor, dims: readonly number[], op: string): void {
  if (dims.some((d) => x.shape[d] === 0) || (x.numel() === 0 && dims.length === 0)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `expected reduction dim to have non-zero size, but the input has shape ${formatShape(x.shape)}. Hint: ${op} of an empty tensor has no value; check the input is not empty.`,
    );
  }
}

function requireFloating(x: Tensor, op: string): void {
  if (!isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `could not infer output dtype. Input dtype must be a floating point dtype, but got ${x.dtype}. Hint: convert with .float() first.`,
    );
  }
}

function reduction(op: OpName & ("sum" | "mean" | "prod"), code: ReduceCode) {
  return (x: Tensor, dim?: DimArgument, keepdim = false): Tensor => {
    checkTensorArgument(x, op);
    const dims = normalizeDims(dim, x.ndim, op);
    if (op === "mean") requireFloating(x, op);
    const dtype = x.dtype === "bool" ? "int32" : x.dtype;
    return record(op, [x], runReduction(x, code, dims, keepdim, dtype), { dims, keepdim });
  };
}

/** Sum over `dim` (all dims when omitted); bool sums to int32. */
export const sum = reduction("sum", REDUCE.sum);
/** Mean over `dim` (all dims when omitted); floating dtypes only. */
export const mean = reduction("mean", REDUCE.mean);
/** Product over `dim` (all dims when omitted). */
export const prod = reduction("prod", REDUCE.prod);

function varianceOptions(
  option: boolean | VarOptions | null | undefined,
  op: string,
): {
  keepdim: boolean;
  correction: number;
} {
  if (option === undefined || option === null) return { keepdim: false, correction: 1 };
  if (typeof option === "boolean") return { keepdim: option, correction: 1 };
  const keepdim = option.keepdim ?? false;
  const correction = option.correction ?? 1;
  if (
    typeof option !== "object" ||
    typeof keepdim !== "boolean" ||
    typeof correction !== "number" ||
    !Number.isFinite(correction)
  ) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `expected keepdim (a boolean) or { correction: number, keepdim: boolean }, but got ${describeValue(option)}. Hint: e.g. ${op}(0, { correction: 0 }).`,
    );
  }
  return { keepdim, correction };
}

/** Variance over `dim` with Bessel's `correction` (1 by default: unbiased, as PyTorch). */
export function variance(x: Tensor, dim?: DimArgument, option?: boolean | VarOptions): Tensor {
  return varianceAs("var", x, dim, option);
}

function varianceAs(
  op: "var" | "std",
  x: Tensor,
  dim?: DimArgument,
  option?: boolean | VarOptions,
): Tensor {
  checkTensorArgument(x, op);
  const { keepdim, correction } = varianceOptions(option, op);
  requireFloating(x, op);
  const dims = normalizeDims(dim, x.ndim, op);
  const out = runReduction(x, REDUCE.var, dims, keepdim, x.dtype, correction);
  return record("var", [x], out, { dims, keepdim, correction });
}

/** Standard deviation over `dim` (`sqrt(var)`), unbiased by default. */
export function std(x: Tensor, dim?: DimArgument, option?: boolean | VarOptions): Tensor {
  return sqrt(varianceAs("std", x, dim, option));
}

/** Largest element over `dim` (all dims when omitted), like `torch.amax`. */
export function amax(x: Tensor, dim?: DimArgument, keepdim = false): Tensor {
  return amaxAmin(x, "amax", dim, keepdim);
}

/** Smallest element over `dim` (all dims when omitted), like `torch.amin`. */
export function amin(x: Tensor, dim?: DimArgument, keepdim = false): Tensor {
  return amaxAmin(x, "amin", dim, keepdim);
}

function amaxAmin(
  x: Tensor,
  which: "amax" | "amin",
  dim?: DimArgument,
  keepdim = false,
  op: string = which,
): Tensor {
  checkTensorArgument(x, op);
  const dims = normalizeDims(dim, x.ndim, op);
  requireNonEmpty(x, dims, op);
  const out = runReduction(x, which === "amax" ? REDUCE.amax : REDUCE.amin, dims, keepdim, x.dtype);
  return record(which, [x], out, { dims, keepdim });
}

/** Largest element; with `dim`, `{ values, indices }`; with a tensor, the elementwise maximum (`torch.max`). */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(
  x: Tensor,
  dimOrOther?: number | Tensor,
  keepdim = false,
): Tensor | ValuesIndices {
  checkTensorArgument(x, "max");
  return maxMin(x, "max", dimOrOther, keepdim);
}

/** Smallest element; with `dim`, `{ values, indices }`; with a tensor, the elementwise minimum (`torch.min`). */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(
  x: Tensor,
  dimOrOther?: number | Tensor,
  keepdim = false,
): Tensor | ValuesIndices {
  checkTensorArgument(x, "min");
  return maxMin(x, "min", dimOrOther, keepdim);
}

/** `max`/`min` dispatch: no argument → value; a dim → `{ values, indices }`; a tensor → elementwise. */
export function maxMin(
  x: Tensor,
  which: "max" | "min",
  dimOrOther?: number | Tensor,
  keepdim = false,
): Tensor | ValuesIndices {
  if (dimOrOther instanceof Tensor)
    return which === "max" ? maximum(x, dimOrOther) : minimum(x, dimOrOther);
  if (dimOrOther === undefined)
    return amaxAmin(x, which === "max" ? "amax" : "amin", undefined, false, which);
  const dim = dimIndex(x, dimOrOther, which);
  const dims = x.ndim === 0 ? [] : [dim];
  requireNonEmpty(x, dims, which);
  const indices = runReduction(
    x,
    which === "max" ? REDUCE.argmax : REDUCE.argmin,
    dims,
    keepdim,
    "int32",
  );
  const values = runReduction(
    x,
    which === "max" ? REDUCE.amax : REDUCE.amin,
    dims,
    keepdim,
    x.dtype,
  );
  const op = which === "max" ? "maxDim" : "minDim";
  return { values: record(op, [x], values, { dim, keepdim, indices }), indices };
}

/** Index of the first largest element (flattened, or along `dim`) as int32, like `torch.argmax`. */
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme(x, "argmax", dim, keepdim);
}

/** Index of the first smallest element (flattened, or along `dim`) as int32, like `torch.argmin`. */
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme(x, "argmin", dim, keepdim);
}

/** Index of the first largest/smallest element, flattened or along `dim`, as int32. */
export function argExtreme(
  x: Tensor,
  which: "argmax" | "argmin",
  dim?: number | null,
  keepdim = false,
): Tensor {
  checkTensorArgument(x, which);
  const code = which === "argmax" ? REDUCE.argmax : REDUCE.argmin;
  if (dim === undefined || dim === null) {
    requireNonEmpty(x, [], which);
    const flat = x.contiguousLayout ? x : x.contiguous();
    const n = x.numel();
    const view = new Tensor(flat.storage, [n], [1], flat.offset, x.dtype);
    const out = runReduction(view, code, [0], false, "int32");
    return keepdim
      ? new Tensor(
          out.storage,
          x.shape.map(() => 1),
          x.shape.map(() => 1),
          0,
          "int32",
        )
      : out;
  }
  const dims = x.ndim === 0 ? [] : [dimIndex(x, dim, which)];
  requireNonEmpty(x, dims, which);
  return runReduction(x, code, dims, keepdim, "int32");
}
