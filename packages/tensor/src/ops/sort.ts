import { dispatch } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import {
  countUp,
  introsort,
  keyValues,
  newRow,
  type Row,
  radixSort,
  rowKeys,
} from "../kernels/sort";
import { elementOffsets } from "../kernels/strided";
import type { BackwardContext, OpSpec } from "../op-spec";
import { contiguousStrides, numelOf, type Shape } from "../shape";
import { Tensor, type ValuesIndices } from "../tensor";
import { scatterAddInto } from "./indexing";
import { dimIndex } from "./views";

/** Options of `sort` / `argsort`. */
export interface SortOptions {
  /** Largest first (NaN first); ascending by default (NaN last). */
  descending?: boolean;
  /** Keep equal elements in input order (as `torch.sort(stable=True)`). */
  stable?: boolean;
}

/** Attributes of `argsort`: the dim and the order. */
export interface SortAttrs {
  dim: number;
  descending: boolean;
  stable: boolean;
  /**
   * Also keep the sorted values, for the `sort` that picks them next (`sort` sets it): sorting
   * has them at hand, while picking them afterwards reads the input at scattered positions.
   */
  keepValues?: boolean;
}

/**
 * Attributes of the ops that pick values of the input along `dim` at int32 `indices` (`sort`,
 * `topk`, `kthvalue`, `median(dim)`): `indices` keeps `dim` (of the picked count); the output
 * drops it unless `keepdim`.
 */
export interface PickAttrs {
  dim: number;
  indices: Tensor;
  keepdim: boolean;
}

/** One row of a tensor along a dim: where it starts in storage and its step. */
export type RowVisitor = (
  start: number,
  stride: number,
  outStart: number,
  outStride: number,
) => void;

/**
 * Walks every row of `x` along `dim` beside the matching row of a contiguous output whose shape
 * is `x`'s with `count` along `dim` (a 0-d tensor is one row of one element).
 */
export function forEachRow(x: Tensor, dim: number, count: number, visit: RowVisitor): void {
  const shape = x.ndim === 0 ? [1] : x.shape;
  const strides = x.ndim === 0 ? [1] : x.strides;
  const outShape = shape.map((s, d) => (d === dim ? count : s));
  const outStrides = contiguousStrides(outShape);
  const others = (values: readonly number[]) => values.filter((_, d) => d !== dim);
  const starts = elementOffsets(others(shape), others(strides));
  const outStarts = elementOffsets(others(outShape), others(outStrides));
  for (let r = 0; r < starts.length; r++) {
    visit(
      x.offset + (starts[r] as number),
      strides[dim] as number,
      outStarts[r] as number,
      outStrides[dim] as number,
    );
  }
}

/** Picks the positions to keep from a row whose keys are in `row` (positions `0..n` in `row.ix`). */
export type RowPicker = (row: Row, n: number, valueAt: (position: number) => number) => void;

/** Copies the first `count` of a row's `positions` to `out[outStart + j·outStride]`. */
export function writePositions(
  positions: Int32Array,
  count: number,
  out: Int32Array,
  outStart: number,
  outStride: number,
): void {
  if (outStride === 1 && count > 0) out.set(positions.subarray(0, count), outStart);
  else for (let j = 0; j < count; j++) out[outStart + j * outStride] = positions[j] as number;
}

/**
 * Int32 positions along `dim` chosen row by row: each row's keys (torch's order, reversed when
 * `descending`) go to `pick`, which leaves the chosen positions in `row.ix[0..count)`. With
 * `values` (of the output's size), a `pick` that leaves whole rows sorted also gets the sorted
 * values written there.
 */
export function pickIndices(
  x: Tensor,
  dim: number,
  count: number,
  descending: boolean,
  pick: RowPicker,
  values?: TypedArray,
): Tensor {
  const n = x.ndim === 0 ? 1 : (x.shape[dim] as number);
  const shape = pickedShape(x, dim, count);
  const out = new Int32Array(numelOf(shape));
  const row = newRow(n);
  const { k: keys, ix: positions } = row;
  const data = x.storage.data;
  forEachRow(x, dim, count, (start, stride, outStart, outStride) => {
    const exact = rowKeys(data, x.dtype, start, stride, n, descending, keys);
    countUp(positions, n);
    pick(row, n, (position) => data[start + position * stride] as number);
    writePositions(positions, count, out, outStart, outStride);
    if (values === undefined) return;
    if (exact) keyValues(keys, n, x.dtype, descending, values, outStart, outStride);
    else {
      for (let j = 0; j < n; j++) {
        values[outStart + j * outStride] = data[
          start + (positions[j] as number) * stride
        ] as number;
      }
    }
  });
  return Tensor.fromData(out, shape, "int32");
}

/**
 * Sorted values kept by an `argsort` run for `sort` (`keepValues`), keyed by the indices it
 * returned; `sort`'s pick takes them instead of gathering, when they were sorted from the same,
 * unmodified input (any other pick, e.g. a replay with other indices, gathers as usual).
 */
const keptValues = new WeakMap<Tensor, { input: Tensor; version: number; values: Tensor }>();

/** The values of `x` at `indices` along `dim` (indices keep `dim`), without `dim` unless `keepdim`. */
function pickForward(x: Tensor, { dim, indices, keepdim }: PickAttrs): Tensor {
  const kept = keptValues.get(indices);
  if (kept !== undefined && kept.input === x && kept.version === x.storage.version && keepdim) {
    keptValues.delete(indices);
    return kept.values;
  }
  const count = x.ndim === 0 ? 1 : (indices.shape[dim] as number);
  const out = allocate(x.dtype, indices.numel());
  const data = x.storage.data;
  const index = indices.storage.data;
  forEachRow(x, dim, count, (start, stride, outStart, outStride) => {
    for (let j = 0; j < count; j++) {
      const at = outStart + j * outStride;
      out[at] = data[start + (index[at] as number) * stride] as number;
    }
  });
  const shape = keepdim ? indices.shape : indices.shape.filter((_, d) => d !== dim);
  return Tensor.fromData(out, shape, x.dtype);
}

/** The gradient of picked values: scattered back to the picked positions (zero elsewhere). */
function pickBackward(node: BackwardContext<PickAttrs>, grad: Tensor): Tensor[] {
  const { dim, indices, keepdim } = node.attrs;
  const x = node.input(0);
  if (x.ndim === 0) return [grad];
  return [scatterAddInto(x.shape, dim, indices, keepdim ? grad : grad.unsqueeze(dim))];
}

/** An op that picks values along a dim at given indices, differentiable through them. */
export function pickOp<const Name extends string>(
  name: Name,
  nodeName: string,
): OpSpec<Name, PickAttrs> {
  return {
    name,
    nodeName,
    backward: pickBackward,
    forward: ([x], attrs) => pickForward(x as Tensor, attrs),
  };
}

/**
 * The order of one row: stable (equal keys keep their input order) whether or not `stable` is
 * asked, since torch leaves the order of ties unspecified without it (and its own order changed
 * across versions); a radix sort beyond 16 elements, libstdc++'s insertion sort below.
 */
function sortRow(): RowPicker {
  let scratch: Row | null = null;
  return (row, n) => {
    if (n <= 16) return introsort(row, 0, n);
    scratch ??= newRow(n);
    radixSort(row, n, scratch);
  };
}

/** The specs of `sort` and `argsort`. */
export const sortSpecs = {
  argsort: {
    name: "argsort",
    backward: "not-differentiable",
    outputDType: () => "int32",
    forward: ([x], { dim, descending, keepValues }) => {
      const input = x as Tensor;
      const n = input.ndim === 0 ? 1 : (input.shape[dim] as number);
      if (!keepValues) return pickIndices(input, dim, n, descending, sortRow());
      const values = allocate(input.dtype, input.numel());
      const indices = pickIndices(input, dim, n, descending, sortRow(), values);
      const sorted = Tensor.fromData(values, indices.shape, input.dtype);
      keptValues.set(indices, { input, version: input.storage.version, values: sorted });
      return indices;
    },
  } satisfies OpSpec<"argsort", SortAttrs>,
  sort: pickOp("sort", "SortBackward0"),
} as const;

/**
 * Checks an options object whose named fields, when given, are booleans; throws naming the
 * expected shape (`shape`) and an example call otherwise.
 */
export function checkBooleanOptions(
  options: object | undefined,
  names: readonly string[],
  op: string,
  shape: string,
  example: string,
): void {
  const record = (options ?? {}) as Record<string, unknown>;
  const wrongObject = options !== undefined && (typeof options !== "object" || options === null);
  if (wrongObject || names.some((n) => !["boolean", "undefined"].includes(typeof record[n]))) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `expected options ${shape}, but got ${describeValue(options)}. Hint: e.g. ${example}.`,
    );
  }
}

function sortOptions(options: SortOptions | undefined, op: string): SortAttrs {
  const shape = "{ descending?: boolean, stable?: boolean }";
  checkBooleanOptions(
    options,
    ["descending", "stable"],
    op,
    shape,
    `${op}(-1, { descending: true })`,
  );
  const { descending = false, stable = false } = options ?? {};
  return { dim: 0, descending, stable };
}

/** The dim of a sort-like op: any dim of `x` (0 or −1 for a 0-d tensor), as a position. */
export function sortDim(x: Tensor, dim: number, op: string): number {
  checkTensorArgument(x, op);
  return dimIndex(x, dim, op);
}

/** Positions that sort `x` along `dim` (int32), the order torch's `argsort` gives. */
export function argsort(x: Tensor, dim = -1, options?: SortOptions): Tensor {
  const d = sortDim(x, dim, "argsort");
  return dispatch(sortSpecs.argsort, [x], { ...sortOptions(options, "argsort"), dim: d });
}

/**
 * Sorts `x` along `dim` (the last by default), ascending unless `descending`; NaN sorts as the
 * largest value. Returns the sorted `values` and their int32 `indices` in `x` (torch's `sort`).
 * Ties keep their input order, with or without `stable: true` (torch guarantees that order only
 * with it, and leaves it unspecified otherwise).
 */
export function sort(x: Tensor, dim = -1, options?: SortOptions): ValuesIndices {
  const d = sortDim(x, dim, "sort");
  const attrs = { ...sortOptions(options, "sort"), dim: d, keepValues: true };
  const indices = dispatch(sortSpecs.argsort, [x], attrs);
  return { values: dispatch(sortSpecs.sort, [x], { dim: d, indices, keepdim: true }), indices };
}

/** Sorts `x` along its first dim (`torch.msort`): the values of `sort(x, 0)`. */
export function msort(x: Tensor): Tensor {
  checkTensorArgument(x, "msort");
  return sort(x, 0).values;
}

/** A picked count along `dim` as a shape (for ops that build `indices` of their own). */
export function pickedShape(x: Tensor, dim: number, count: number): Shape {
  return x.ndim === 0 ? [] : x.shape.map((s, d) => (d === dim ? count : s));
}
