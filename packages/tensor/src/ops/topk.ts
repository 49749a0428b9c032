import { dispatch } from "../dispatch";
import { allocate } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import {
  introsort,
  keyWords,
  newRow,
  nthElement,
  partialSort,
  partialSortStreaming,
  quickSelect,
  radixSort,
} from "../kernels/sort";
import type { BackwardContext, OpSpec } from "../op-spec";
import { contiguousStrides, numelOf } from "../shape";
import { Tensor, type ValuesIndices } from "../tensor";
import { isnan } from "./logic";
import {
  checkBooleanOptions,
  forEachRow,
  pickedShape,
  pickIndices,
  pickOp,
  type RowPicker,
  sortDim,
  writePositions,
} from "./sort";
import { where } from "./ternary";
import { copyContiguous } from "./unary";

/** Options of `topk`. */
export interface TopkOptions {
  /** The dim to select along (the last by default). */
  dim?: number;
  /** The largest `k` (the default) or the smallest. */
  largest?: boolean;
  /** Return them in order (largest first when `largest`); the default. */
  sorted?: boolean;
}

/** Attributes of `topkIndices`. */
export interface TopkAttrs {
  dim: number;
  k: number;
  largest: boolean;
  sorted: boolean;
}

/** Attributes of `kthvalueIndices` (`k` counts from 1, as torch's). */
export interface KthAttrs {
  dim: number;
  k: number;
}

/** Attributes of `medianIndices`. */
export interface MedianAttrs {
  dim: number;
}

/** True when torch's `topk` takes the heap path: `k` small against the row. */
function heapPath(k: number, n: number): boolean {
  return k * 64 <= n;
}

/**
 * `topkIndices` on the heap path, making each element's key as the heap reads it instead of the
 * whole row's keys first (null for float64 and bool, which take the general path).
 */
function heapTopkIndices(x: Tensor, { dim, k, largest }: TopkAttrs): Tensor | null {
  const n = x.ndim === 0 ? 1 : (x.shape[dim] as number);
  const words = keyWords(x.storage.data, x.dtype);
  if (words === null || !heapPath(k, n) || k === 0) return null;
  const shape = pickedShape(x, dim, k);
  const out = new Int32Array(numelOf(shape));
  const heap = newRow(k);
  const float = x.dtype === "float32";
  forEachRow(x, dim, k, (start, stride, outStart, outStride) => {
    partialSortStreaming(heap, k, n, { words, start, stride, float, descending: largest });
    writePositions(heap.ix, k, out, outStart, outStride);
  });
  return Tensor.fromData(out, shape, "int32");
}

/** Torch's `topk` of one row: a heap when `k` is small against the row, else introselect. */
function topkRow(k: number, sorted: boolean): RowPicker {
  return (row, n) => {
    if (k === 0) return;
    if (heapPath(k, n)) partialSort(row, 0, k, n);
    else {
      nthElement(row, 0, k - 1, n);
      if (sorted) introsort(row, 0, k - 1);
    }
  };
}

/** Torch's `kthvalue` of one row: its quickselect; the position found goes first. */
function kthRow(k: number): RowPicker {
  return (row, n) => {
    quickSelect(row, n, k - 1);
    row.ix[0] = row.ix[k - 1] as number;
  };
}

/**
 * Torch's `median(dim)` of one row: the first NaN if any, else the lower median of the values
 * ordered by (value, position).
 */
const medianRow: RowPicker = (row, n, valueAt) => {
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(valueAt(i))) {
      row.ix[0] = i;
      return;
    }
  }
  if (n > 16) radixSort(row, n, newRow(n));
  else introsort(row, 0, n);
  row.ix[0] = row.ix[(n - 1) >> 1] as number;
};

/** `median()`: the lower median of all elements, NaN when any is NaN (or when there are none). */
function medianAllForward(x: Tensor): Tensor {
  const flat = x.contiguousLayout ? x : copyContiguous(x, x.dtype);
  const n = x.numel();
  const out = allocate(x.dtype, 1);
  if (n === 0) out[0] = x.dtype === "int32" ? -2147483648 : Number.NaN;
  else {
    const line = new Tensor(flat.storage, [n], [1], flat.offset, x.dtype);
    const index = pickIndices(line, 0, 1, false, medianRow).storage.data[0] as number;
    out[0] = flat.storage.data[flat.offset + index] as number;
  }
  return Tensor.fromData(out, [], x.dtype);
}

/** `median()`'s gradient, shared evenly by the elements equal to the median (torch's rule). */
function medianAllBackward(node: BackwardContext<null>, grad: Tensor): Tensor[] {
  const x = node.saved(0);
  const median = node.result;
  const mask = Number.isNaN(median.item()) ? isnan(x) : x.eq(median);
  return [where(mask, grad.div(mask.sum()), 0)];
}

function indicesOp<const Name extends string, Attrs extends { dim: number }>(
  name: Name,
  count: (x: Tensor, attrs: Attrs) => number,
  descending: (attrs: Attrs) => boolean,
  picker: (attrs: Attrs) => RowPicker,
): OpSpec<Name, Attrs> {
  return {
    name,
    backward: "not-differentiable",
    outputDType: () => "int32",
    forward: ([x], attrs) => {
      const input = x as Tensor;
      return pickIndices(input, attrs.dim, count(input, attrs), descending(attrs), picker(attrs));
    },
  };
}

const topkRows = indicesOp<"topkIndices", TopkAttrs>(
  "topkIndices",
  (x, { k }) => (x.ndim === 0 ? 1 : k),
  ({ largest }) => largest,
  ({ k, sorted }) => topkRow(k, sorted),
);

/** The specs of `topk`, `kthvalue` and `median`. */
export const topkSpecs = {
  topkIndices: {
    ...topkRows,
    forward: (inputs, attrs) =>
      heapTopkIndices(inputs[0] as Tensor, attrs) ?? topkRows.forward(inputs, attrs),
  } satisfies OpSpec<"topkIndices", TopkAttrs>,
  topk: pickOp("topk", "TopkBackward0"),
  kthvalueIndices: indicesOp<"kthvalueIndices", KthAttrs>(
    "kthvalueIndices",
    () => 1,
    () => false,
    ({ k }) => kthRow(k),
  ),
  kthvalue: pickOp("kthvalue", "KthvalueBackward0"),
  medianIndices: indicesOp<"medianIndices", MedianAttrs>(
    "medianIndices",
    () => 1,
    () => false,
    () => medianRow,
  ),
  medianDim: pickOp("medianDim", "MedianBackward1"),
  median: {
    name: "median",
    nodeName: "MedianBackward0",
    backward: medianAllBackward,
    forward: ([x]) => medianAllForward(x as Tensor),
  } satisfies OpSpec<"median", null>,
} as const;

function rejectBool(x: Tensor, op: string, kernel: string): void {
  if (x.dtype === "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `"${kernel}" not implemented for 'Bool': ${op} needs numbers to order. Hint: convert with .int() first.`,
    );
  }
}

function sizeAlong(x: Tensor, dim: number): number {
  return x.ndim === 0 ? 1 : (x.shape[dim] as number);
}

function checkK(k: number, x: Tensor, dim: number, op: string, low: number): void {
  const size = sizeAlong(x, dim);
  if (!Number.isInteger(k)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `k must be a whole number, but got ${describeValue(k)}. Hint: e.g. ${op}(2).`,
    );
  }
  if (k < low || k > size) {
    const what =
      op === "topk"
        ? "selected index k out of range"
        : `selected number k out of range for dimension ${dim}`;
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      op,
      `${what}: k is ${k}, but dimension ${dim} of the input (shape ${formatShape(x.shape)}) has size ${size}. Hint: k must be between ${low} and ${size}.`,
    );
  }
}

function requireNonEmptyDim(x: Tensor, dim: number, op: string): void {
  if (sizeAlong(x, dim) === 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `Expected reduction dim ${dim} to have non-zero size, but the input has shape ${formatShape(x.shape)}. Hint: ${op} of an empty dim has no value; check the input is not empty along dim ${dim}.`,
    );
  }
}

/** The picked values and their indices, without `dim` unless `keepdim`. */
function picked(
  spec: OpSpec<string, { dim: number; indices: Tensor; keepdim: boolean }>,
  x: Tensor,
  dim: number,
  indices: Tensor,
  keepdim: boolean,
): ValuesIndices {
  const values = dispatch(spec, [x], { dim, indices, keepdim });
  if (keepdim || x.ndim === 0) return { values, indices };
  const shape = indices.shape.filter((_, d) => d !== dim);
  return {
    values,
    indices: new Tensor(indices.storage, shape, contiguousStrides(shape), 0, "int32"),
  };
}

function topkOptions(options: TopkOptions | undefined): Required<TopkOptions> {
  const shape = "{ dim?: number, largest?: boolean, sorted?: boolean }";
  const example = "topk(3, { dim: 0, largest: false })";
  checkBooleanOptions(options, ["largest", "sorted"], "topk", shape, example);
  const { dim = -1, largest = true, sorted = true } = options ?? {};
  return { dim, largest, sorted };
}

/**
 * The `k` largest (or, with `largest: false`, smallest) elements along `dim` and their int32
 * indices (`torch.topk`); NaN counts as the largest. Rows much longer than `k` use a heap of `k`
 * instead of sorting.
 */
export function topk(x: Tensor, k: number, options?: TopkOptions): ValuesIndices {
  checkTensorArgument(x, "topk");
  const { dim, largest, sorted } = topkOptions(options);
  const d = sortDim(x, dim, "topk");
  rejectBool(x, "topk", "topk_cpu");
  checkK(k, x, d, "topk", 0);
  const indices = dispatch(topkSpecs.topkIndices, [x], { dim: d, k, largest, sorted });
  return picked(topkSpecs.topk, x, d, indices, true);
}

/**
 * The `k`-th smallest element along `dim` (`k` from 1) and its int32 index (`torch.kthvalue`);
 * NaN counts as the largest.
 */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  const d = sortDim(x, dim, "kthvalue");
  rejectBool(x, "kthvalue", "kthvalue_cpu");
  requireNonEmptyDim(x, d, "kthvalue");
  checkK(k, x, d, "kthvalue", 1);
  const indices = dispatch(topkSpecs.kthvalueIndices, [x], { dim: d, k });
  return picked(topkSpecs.kthvalue, x, d, indices, keepdim);
}

/**
 * The lower median (`torch.median`): of all elements as a 0-d tensor (NaN if any is NaN), or along
 * `dim` as `{ values, indices }` (the first NaN of a row that has one).
 */
export function median(x: Tensor): Tensor;
/** The lower median along `dim` and its int32 index (the first NaN of a row that has one). */
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  checkTensorArgument(x, "median");
  if (dim === undefined) {
    rejectBool(x, "median", "median_cpu");
    return dispatch(topkSpecs.median, [x], null);
  }
  const d = sortDim(x, dim, "median");
  rejectBool(x, "median", "median_out");
  requireNonEmptyDim(x, d, "median");
  const indices = dispatch(topkSpecs.medianIndices, [x], { dim: d });
  return picked(topkSpecs.medianDim, x, d, indices, keepdim);
}
