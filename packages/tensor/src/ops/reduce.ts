import { dispatch } from "../dispatch";
import { allocate, type DType, isFloating } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import { REDUCE, type ReduceCode, reduceContiguous, reduceRows } from "../kernels/reduce";
import { elementOffsets } from "../kernels/strided";
import type { BackwardContext, Gradient, OpSpec } from "../op-spec";
import { normalizeDims, numelOf } from "../shape";
import { Tensor, type ValuesIndices, type VarOptions } from "../tensor";
import { maximum, minimum } from "./binary";
import { scatterAddInto } from "./indexing";
import { where } from "./ternary";
import { copyContiguous, sqrt } from "./unary";
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
export function runReduction(
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

/** Attributes of a reduction over `dims`. */
export interface ReduceAttrs {
  dims: readonly number[];
  keepdim: boolean;
}

/** Attributes of `var`: the reduction's plus Bessel's correction. */
export interface VarAttrs extends ReduceAttrs {
  correction: number;
}

/** Attributes of `max(dim)` / `min(dim)`: the dim, keepdim, and the int32 positions found. */
export interface SelectedAttrs {
  dim: number;
  keepdim: boolean;
  indices: Tensor;
}

/** Attributes of `argmax` / `argmin`: one dim, or `null` for the flattened tensor. */
export interface ArgAttrs {
  dim: number | null;
  keepdim: boolean;
}

/** Brings a reduced gradient back to the input's shape (re-inserting dims, then expanding). */
export function expandReduced(grad: Tensor, input: Tensor, { dims, keepdim }: ReduceAttrs): Tensor {
  const kept = keepdim ? grad : grad.reshape(reducedShape(input.shape, dims, true));
  return kept.expand(input.shape as number[]);
}

function count(input: Tensor, dims: readonly number[]): number {
  return dims.reduce((n, d) => n * (input.shape[d] as number), 1);
}

/** max/min over dims: the gradient is shared evenly among tied extremes (PyTorch's amax rule). */
function evenlyShared(node: BackwardContext<ReduceAttrs>, grad: Tensor): Tensor[] {
  const { attrs } = node;
  const x = node.saved(0);
  const mask = x.eq(expandReduced(node.result, x, attrs)).to(x.dtype);
  const ties = expandReduced(mask.sum(attrs.dims, true), x, { dims: attrs.dims, keepdim: true });
  return [expandReduced(grad, x, attrs).mul(mask).div(ties)];
}

/** max/min along one dim: the gradient goes to the returned index only. */
function selected(node: BackwardContext<SelectedAttrs>, grad: Tensor): Tensor[] {
  const { dim, keepdim, indices } = node.attrs;
  const x = node.input(0);
  if (x.ndim === 0) return [grad];
  const index = keepdim ? indices : indices.unsqueeze(dim);
  return [scatterAddInto(x.shape, dim, index, keepdim ? grad : grad.unsqueeze(dim))];
}

/** Product: `prod / x`, with the zero cases handled exactly (one zero gets the others' product). */
function prodBackward(node: BackwardContext<ReduceAttrs>, grad: Tensor): Tensor[] {
  const { attrs } = node;
  const x = node.saved(0);
  const kept = { dims: attrs.dims, keepdim: true };
  const isZero = x.eq(0);
  const others = where(isZero, 1, x).prod(attrs.dims, true);
  const zeros = isZero.to(x.dtype).sum(attrs.dims, true);
  const atZero = where(expandReduced(zeros, x, kept).eq(1), expandReduced(others, x, kept), 0);
  const elsewhere = expandReduced(node.result, x, attrs).div(where(isZero, 1, x));
  return [expandReduced(grad, x, attrs).mul(where(isZero, atZero, elsewhere))];
}

function reductionOp<const Name extends string, Attrs extends ReduceAttrs>(
  name: Name,
  code: ReduceCode,
  backward: Gradient<Attrs>,
  nodeName?: string,
): OpSpec<Name, Attrs> {
  const outputDType = (inputs: readonly Tensor[]): DType => {
    const dtype = (inputs[0] as Tensor).dtype;
    return dtype === "bool" && code !== REDUCE.amax && code !== REDUCE.amin ? "int32" : dtype;
  };
  return {
    name,
    backward,
    nodeName,
    outputDType,
    forward: (inputs, attrs) => {
      const correction = (attrs as Partial<VarAttrs>).correction ?? 0;
      const x = inputs[0] as Tensor;
      return runReduction(x, code, attrs.dims, attrs.keepdim, outputDType(inputs), correction);
    },
  };
}

function selectedOp<const Name extends string>(
  name: Name,
  code: ReduceCode,
  nodeName: string,
): OpSpec<Name, SelectedAttrs> {
  return {
    name,
    nodeName,
    backward: selected,
    forward: ([x], { dim, keepdim }) => {
      const input = x as Tensor;
      return runReduction(input, code, input.ndim === 0 ? [] : [dim], keepdim, input.dtype);
    },
  };
}

function argOp<const Name extends string>(name: Name, code: ReduceCode): OpSpec<Name, ArgAttrs> {
  return {
    name,
    backward: "not-differentiable",
    outputDType: () => "int32",
    forward: ([x], { dim, keepdim }) => {
      const input = x as Tensor;
      if (dim !== null) {
        return runReduction(input, code, input.ndim === 0 ? [] : [dim], keepdim, "int32");
      }
      const flat = input.contiguousLayout ? input : copyContiguous(input, input.dtype);
      const view = new Tensor(flat.storage, [input.numel()], [1], flat.offset, input.dtype);
      const out = runReduction(view, code, [0], false, "int32");
      const ones = input.shape.map(() => 1);
      return keepdim ? new Tensor(out.storage, ones, ones, 0, "int32") : out;
    },
  };
}

/** The specs of the reductions. */
export const reductionSpecs = {
  sum: reductionOp("sum", REDUCE.sum, (node, grad) => [
    expandReduced(grad, node.input(0), node.attrs),
  ]),
  mean: reductionOp("mean", REDUCE.mean, (node, grad) => {
    const x = node.input(0);
    return [expandReduced(grad.div(count(x, node.attrs.dims)), x, node.attrs)];
  }),
  prod: reductionOp("prod", REDUCE.prod, prodBackward),
  var: reductionOp<"var", VarAttrs>("var", REDUCE.var, (node, grad) => {
    const { attrs } = node;
    const x = node.saved(0);
    const centered = x.sub(x.mean(attrs.dims, true));
    const scale = 2 / Math.max(0, count(x, attrs.dims) - attrs.correction);
    return [expandReduced(grad, x, attrs).mul(centered).mul(scale)];
  }),
  amax: reductionOp("amax", REDUCE.amax, evenlyShared, "MaxBackward1"),
  amin: reductionOp("amin", REDUCE.amin, evenlyShared, "MinBackward1"),
  maxDim: selectedOp("maxDim", REDUCE.amax, "MaxBackward0"),
  minDim: selectedOp("minDim", REDUCE.amin, "MinBackward0"),
  argmax: argOp("argmax", REDUCE.argmax),
  argmin: argOp("argmin", REDUCE.argmin),
} as const;

function reduction(op: "sum" | "mean" | "prod") {
  return (x: Tensor, dim?: DimArgument, keepdim = false): Tensor => {
    checkTensorArgument(x, op);
    const dims = normalizeDims(dim, x.ndim, op);
    if (op === "mean") requireFloating(x, op);
    return dispatch(reductionSpecs[op] as OpSpec<string, ReduceAttrs>, [x], { dims, keepdim });
  };
}

/** Sum over `dim` (all dims when omitted); bool sums to int32. */
export const sum = reduction("sum");
/** Mean over `dim` (all dims when omitted); floating dtypes only. */
export const mean = reduction("mean");
/** Product over `dim` (all dims when omitted). */
export const prod = reduction("prod");

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
  if (typeof option !== "object" || typeof keepdim !== "boolean" || !Number.isFinite(correction)) {
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

/** `var` (or, named `std` in errors, the variance under `std`). */
export function varianceAs(
  op: "var" | "std",
  x: Tensor,
  dim?: DimArgument,
  option?: boolean | VarOptions,
): Tensor {
  checkTensorArgument(x, op);
  const { keepdim, correction } = varianceOptions(option, op);
  requireFloating(x, op);
  const dims = normalizeDims(dim, x.ndim, op);
  return dispatch(reductionSpecs.var, [x], { dims, keepdim, correction });
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

/** `amax` / `amin`; `op` names the API in errors (`max()` and `min()` reduce through them). */
export function amaxAmin(
  x: Tensor,
  which: "amax" | "amin",
  dim?: DimArgument,
  keepdim = false,
  op: string = which,
): Tensor {
  checkTensorArgument(x, op);
  const dims = normalizeDims(dim, x.ndim, op);
  requireNonEmpty(x, dims, op);
  return dispatch(reductionSpecs[which], [x], { dims, keepdim });
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
  const arg = reductionSpecs[which === "max" ? "argmax" : "argmin"];
  const indices = dispatch(arg, [x], { dim, keepdim });
  const spec = reductionSpecs[which === "max" ? "maxDim" : "minDim"];
  return { values: dispatch(spec, [x], { dim, keepdim, indices }), indices };
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
  if (dim === undefined || dim === null) {
    requireNonEmpty(x, [], which);
    return dispatch(reductionSpecs[which], [x], { dim: null, keepdim });
  }
  const d = x.ndim === 0 ? 0 : dimIndex(x, dim, which);
  requireNonEmpty(x, x.ndim === 0 ? [] : [d], which);
  return dispatch(reductionSpecs[which], [x], { dim: d, keepdim });
}
