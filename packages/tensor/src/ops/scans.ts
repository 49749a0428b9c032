import { dispatch, isGradEnabled } from "../dispatch";
import { allocate, checkDType, type DType, isFloating } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import { SCAN, type ScanCode, scanLine } from "../kernels/scan";
import { elementOffsets } from "../kernels/strided";
import type { BackwardContext, OpSpec } from "../op-spec";
import { contiguousStrides } from "../shape";
import { Tensor, type ValuesIndices } from "../tensor";
import { scatterAddInto } from "./indexing";
import { cat } from "./joining";
import { flip } from "./shapes";
import { where } from "./ternary";
import { copyContiguous, exp, log } from "./unary";
import { dimIndex, narrow } from "./views";

/** Attributes of a scan along one dim (normalised; 0 for a 0-d tensor). */
export interface ScanAttrs {
  dim: number;
}

/** Attributes of `cummax` / `cummin` values: the dim and the int32 positions found. */
export interface CumExtremeAttrs extends ScanAttrs {
  indices: Tensor;
}

/** Attributes of `cumsum`: the dim and the dtype the input is cast to first (null: none). */
export interface CumsumAttrs extends ScanAttrs {
  dtype: DType | null;
}

/** Options of `cumsum`: the dtype to cast the input to before summing (torch's `dtype=`). */
export interface CumsumOptions {
  /** The dtype to sum in and return; the input is cast to it first. */
  dtype?: DType;
}

/** Runs scan `code` along `dim` of `x` into a new contiguous tensor of `dtype` (or its indices). */
function runScan(
  x: Tensor,
  code: ScanCode,
  dim: number,
  dtype: DType,
  wantIndices = false,
): Tensor {
  const shape = x.shape;
  const out = allocate(dtype, x.numel());
  const indices = wantIndices ? new Int32Array(x.numel()) : null;
  if (x.numel() > 0) {
    const outStrides = contiguousStrides(shape);
    const kept = shape.filter((_, d) => d !== dim);
    const bases = elementOffsets(
      kept,
      x.strides.filter((_, d) => d !== dim),
    );
    const outBases = elementOffsets(
      kept,
      outStrides.filter((_, d) => d !== dim),
    );
    const line = {
      start: 0,
      stride: x.strides[dim] ?? 1,
      outStart: 0,
      outStride: outStrides[dim] ?? 1,
      n: shape[dim] ?? 1,
    };
    for (let o = 0; o < bases.length; o++) {
      line.start = x.offset + (bases[o] as number);
      line.outStart = outBases[o] as number;
      scanLine(code, x.storage.data, line, out, indices);
    }
  }
  if (indices !== null) return Tensor.fromData(indices, shape, "int32");
  return Tensor.fromData(out, shape, dtype);
}

/** Integer and bool sums and products are int32 (torch's int64: @x's integers are 32-bit). */
const integerAsInt32 = (inputs: readonly Tensor[]): DType => {
  const dtype = (inputs[0] as Tensor).dtype;
  return isFloating(dtype) ? dtype : "int32";
};

/** The sum from each position to the end of `dim` (torch's `reversed_cumsum`). */
function reversedCumsum(x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return x;
  return flip(dispatch(scanSpecs.cumsum, [flip(x, [dim])], { dim, dtype: null }), [dim]);
}

/** True when `x` has no element equal to zero. */
function hasNoZero(x: Tensor): boolean {
  return !(x.eq(0).any().item() as boolean);
}

/**
 * torch's `cumprod_backward`. Without zeros, `reversed_cumsum(result · grad) / x`. With zeros,
 * the exact O(n) rule: positions before a line's first zero as above; the first zero gets
 * `Σ_{j≥z} grad_j · Π_{i≤j, i≠z} x_i`; later positions 0. When the backward pass is itself
 * recorded (`createGraph`), zeros take torch's O(n²) form instead, whose derivative is the
 * second derivative of cumprod.
 */
function cumprodBackward(node: BackwardContext<ScanAttrs>, grad: Tensor): (Tensor | null)[] {
  const x = node.saved(0);
  const { dim } = node.attrs;
  const size = x.shape[dim] ?? 1;
  if (x.numel() <= 1 || size === 1) return [grad];
  if (hasNoZero(x)) return [reversedCumsum(node.result.mul(grad), dim).div(x)];
  if (isGradEnabled()) return [omittedProducts(x, grad, dim)];
  const zerosSoFar = dispatch(scanSpecs.cumsum, [x.eq(0)], { dim, dtype: null });
  const before = zerosSoFar.eq(0);
  const firstZero = x.eq(0).logicalAnd(zerosSoFar.eq(1));
  const beforeFirst = reversedCumsum(node.result.mul(grad), dim).div(where(before, x, 1));
  const withoutFirst = dispatch(scanSpecs.cumprod, [where(firstZero, 1, x)], { dim });
  const atFirst = reversedCumsum(grad.mul(withoutFirst), dim);
  return [where(before, beforeFirst, where(firstZero, atFirst, 0))];
}

/** `grad_k = Σ_{j≥k} grad_j · Π_{i≤j, i≠k} x_i`, one position at a time (differentiable). */
function omittedProducts(x: Tensor, grad: Tensor, dim: number): Tensor {
  const size = x.shape[dim] as number;
  const parts: Tensor[] = [];
  for (let k = 0; k < size; k++) {
    const after = narrow(x, dim, k + 1, size - k - 1);
    const until = narrow(x, dim, 0, k).prod(dim, true);
    const fromNext = dispatch(scanSpecs.cumprod, [after], { dim });
    const omitted = cat([until, until.mul(fromNext)], dim);
    parts.push(
      narrow(grad, dim, k, size - k)
        .mul(omitted)
        .sum(dim, true),
    );
  }
  return cat(parts, dim);
}

/** torch's `logcumsumexp_backward`: positive and negative gradients in log space, reversed. */
function logcumsumexpBackward(node: BackwardContext<ScanAttrs>, grad: Tensor): (Tensor | null)[] {
  if (grad.ndim === 0 || grad.numel() === 0) return [grad];
  const x = node.saved(0);
  const { dim } = node.attrs;
  const lowest = x.dtype === "float32" ? -3.4028234663852886e38 : -Number.MAX_VALUE;
  const reversed = (t: Tensor) =>
    flip(dispatch(scanSpecs.logcumsumexp, [flip(t, [dim])], { dim }), [dim]);
  const part = (logGrad: Tensor) => exp(reversed(logGrad.sub(node.result)).add(x));
  const positive = where(grad.gt(0), log(grad), lowest);
  const negative = where(grad.lt(0), log(grad.neg()), lowest);
  return [part(positive).sub(part(negative))];
}

function scanOp<const Name extends string>(
  name: Name,
  code: ScanCode,
  backward: OpSpec<Name, ScanAttrs>["backward"],
): OpSpec<Name, ScanAttrs> {
  return {
    name,
    backward,
    outputDType: integerAsInt32,
    forward: (inputs, { dim }) => {
      const x = inputs[0] as Tensor;
      return runScan(x, code, dim, integerAsInt32(inputs));
    },
  };
}

function cumExtremeOp<const Name extends string>(
  name: Name,
  code: ScanCode,
): OpSpec<Name, CumExtremeAttrs> {
  return {
    name,
    forward: ([x], { dim }) => runScan(x as Tensor, code, dim, (x as Tensor).dtype),
    // torch's cummaxmin_backward: each gradient goes to the position that was kept
    backward: (node, grad) => {
      const x = node.input(0);
      if (x.numel() === 0 || x.ndim === 0) return [grad];
      return [scatterAddInto(x.shape, node.attrs.dim, node.attrs.indices, grad)];
    },
  };
}

function cumIndicesOp<const Name extends string>(
  name: Name,
  code: ScanCode,
): OpSpec<Name, ScanAttrs> {
  return {
    name,
    backward: "not-differentiable",
    outputDType: () => "int32",
    forward: ([x], { dim }) => runScan(x as Tensor, code, dim, (x as Tensor).dtype, true),
  };
}

const cumsumSpec: OpSpec<"cumsum", CumsumAttrs> = {
  name: "cumsum",
  outputDType: (inputs, { dtype }) => dtype ?? integerAsInt32(inputs),
  forward: (inputs, { dim, dtype }) => {
    const x = inputs[0] as Tensor;
    const input = dtype === null || dtype === x.dtype ? x : copyContiguous(x, dtype);
    return runScan(input, SCAN.sum, dim, dtype ?? integerAsInt32(inputs));
  },
  // torch's cumsum_backward: the gradient in the input's dtype, summed from the end
  backward: (node, grad) => {
    const x = node.input(0);
    const g = grad.to(x.dtype);
    return [x.numel() <= 1 ? g : reversedCumsum(g, node.attrs.dim)];
  },
};

/** The specs of the scans (cumulative ops along one dim). */
export const scanSpecs = {
  cumsum: cumsumSpec,
  cumprod: scanOp("cumprod", SCAN.prod, cumprodBackward),
  logcumsumexp: scanOp("logcumsumexp", SCAN.logsumexp, logcumsumexpBackward),
  cummax: cumExtremeOp("cummax", SCAN.max),
  cummin: cumExtremeOp("cummin", SCAN.min),
  cummaxIndices: cumIndicesOp("cummaxIndices", SCAN.max),
  cumminIndices: cumIndicesOp("cumminIndices", SCAN.min),
} as const;

function scanDim(x: Tensor, dim: unknown, op: string): number {
  checkTensorArgument(x, op);
  if (typeof dim !== "number") {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `dim must be a whole number, but got ${describeValue(dim)}. Hint: scans run along one dim, e.g. x.${op}(0); negative dims count from the end.`,
    );
  }
  return dimIndex(x, dim, op);
}

/**
 * Running sum along `dim` (`torch.cumsum`). bool and int32 sum to int32 (torch gives int64;
 * @x's integers are 32-bit, as its `sum` is) and wrap on overflow; `{ dtype }` casts the input
 * first. float32 accumulates in float64 and rounds each output once, as torch's CPU kernel.
 */
export function cumsum(x: Tensor, dim: number, options: CumsumOptions = {}): Tensor {
  const d = scanDim(x, dim, "cumsum");
  const dtype = options.dtype === undefined ? null : checkDType(options.dtype, "cumsum");
  return dispatch(scanSpecs.cumsum, [x], { dim: d, dtype });
}

/** Running product along `dim` (`torch.cumprod`); bool and int32 give int32. */
export function cumprod(x: Tensor, dim: number): Tensor {
  return dispatch(scanSpecs.cumprod, [x], { dim: scanDim(x, dim, "cumprod") });
}

/** `log(cumsum(exp(x)))` along `dim`, computed stably (`torch.logcumsumexp`); floating only. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  const d = scanDim(x, dim, "logcumsumexp");
  if (!isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      "logcumsumexp",
      `expected a floating point input, but got ${x.dtype}. Hint: convert with .float() first.`,
    );
  }
  return dispatch(scanSpecs.logcumsumexp, [x], { dim: d });
}

function cumExtreme(x: Tensor, dim: number, which: "cummax" | "cummin"): ValuesIndices {
  const d = scanDim(x, dim, which);
  const indexSpec = which === "cummax" ? scanSpecs.cummaxIndices : scanSpecs.cumminIndices;
  const indices = dispatch(indexSpec, [x], { dim: d });
  return { values: dispatch(scanSpecs[which], [x], { dim: d, indices }), indices };
}

/**
 * Running maximum along `dim` and where it was found (`torch.cummax`): `indices` are int32;
 * of tied values the last position is kept, and a NaN, once seen, stays (at its latest position).
 */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  return cumExtreme(x, dim, "cummax");
}

/** Running minimum along `dim` and where it was found (`torch.cummin`); ties as {@link cummax}. */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  return cumExtreme(x, dim, "cummin");
}

/**
 * The `n`-th forward difference along `dim` (`torch.diff`): `x[1:] − x[:-1]`, `n` times (bool
 * differences are `xor`, as torch's). Each step shortens `dim` by one, down to size 0.
 */
export function diff(x: Tensor, n = 1, dim = -1): Tensor {
  checkTensorArgument(x, "diff");
  if (x.ndim === 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "diff",
      "expected the input to be at least one-dimensional, but got a 0-d tensor. Hint: diff compares neighbours along a dim; reshape to [1] or more first.",
    );
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "diff",
      `order n must be a non-negative whole number, but got ${describeValue(n)}. Hint: n = 1 is the first difference.`,
    );
  }
  const d = dimIndex(x, dim, "diff");
  let out = x;
  for (let step = 0; step < n && (out.shape[d] as number) > 0; step++) {
    const length = (out.shape[d] as number) - 1;
    const next = narrow(out, d, 1, length);
    const previous = narrow(out, d, 0, length);
    out = x.dtype === "bool" ? next.logicalXor(previous) : next.sub(previous);
  }
  return out;
}
