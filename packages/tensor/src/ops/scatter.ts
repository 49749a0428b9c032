import { onesLike, tensor, zerosLike } from "../creation";
import { dispatch } from "../dispatch";
import { allocate, isFloating } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { BackwardRule, OpSpec } from "../op-spec";
import { contiguousStrides, type Shape, sameShape } from "../shape";
import { Tensor } from "../tensor";
import { scalarTensor } from "./elementwise";
import {
  addRowsInto,
  checkIndexValue,
  forEachIndexed,
  gather,
  indexSelect,
  scatterAddInto,
  toIndexTensor,
} from "./indexing";
import { inPlace } from "./inplace";
import { maskedFill } from "./masked";
import { scaleOf, where } from "./ternary";
import { copyContiguous, unarySpecs } from "./unary";
import { dimIndex, viewOf } from "./views";

/** How `scatterReduce` combines the values sent to one position (`torch.scatter_reduce`). */
export type ScatterReduction = "sum" | "prod" | "mean" | "amax" | "amin";

/** Options of `scatter`: torch 1.13's `reduce='add' | 'multiply'` instead of overwriting. */
export interface ScatterOptions {
  reduce?: "add" | "multiply" | undefined;
}

/** Options of `scatterReduce`: whether `x`'s own values take part (PyTorch's `include_self`). */
export interface ScatterReduceOptions {
  includeSelf?: boolean | undefined;
}

/** Options of `indexAdd`: the factor of `source` (PyTorch's `alpha`). */
export interface IndexAddOptions {
  alpha?: number | undefined;
}

/** Attributes of the scatter ops: `index` is contiguous int32 with checked values. */
export interface ScatterAttrs {
  dim: number;
  index: Tensor;
  /** `null` overwrites (plain `scatter`). */
  reduce: ScatterReduction | null;
  includeSelf: boolean;
}

/** Attributes of `indexAdd`: a 1-d contiguous int32 `index` with checked values. */
export interface IndexAddAttrs {
  dim: number;
  index: Tensor;
  alpha: number;
}

/** Attributes of `take`: the contiguous int32 flat positions, checked. */
export interface TakeAttrs {
  index: Tensor;
}

/** `source` read at `index`'s coordinates, as a contiguous tensor of `shape` (torch reads only that corner). */
function indexShaped(source: Tensor, shape: Shape): Tensor {
  if (source.contiguousLayout && sameShape(source.shape, shape)) return source;
  const strides = source.ndim === 0 ? shape.map(() => 0) : source.strides;
  return copyContiguous(viewOf(source, shape, strides, source.offset), source.dtype);
}

function startValue(reduce: ScatterReduction, integral: boolean): number {
  if (reduce === "prod") return 1;
  if (reduce === "amax") return integral ? -(2 ** 31) : Number.NEGATIVE_INFINITY;
  if (reduce === "amin") return integral ? 2 ** 31 - 1 : Number.POSITIVE_INFINITY;
  return 0;
}

function combine(reduce: ScatterReduction, integral: boolean, a: number, b: number): number {
  switch (reduce) {
    case "prod":
      return integral ? Math.imul(a, b) : a * b;
    case "amax": // NaN propagates, as in PyTorch
      return b > a || Number.isNaN(b) ? b : a;
    case "amin":
      return b < a || Number.isNaN(b) ? b : a;
    default:
      return a + b;
  }
}

/** Scatters `source` into the contiguous `out` (which holds `x`'s values) in place. */
function applyScatter(out: Tensor, source: Tensor, attrs: ScatterAttrs): void {
  const { dim, index, reduce, includeSelf } = attrs;
  const src = indexShaped(source, index.shape);
  const s = src.storage.data;
  const data = out.storage.data;
  const o = out.offset;
  const walk = (visit: (i: number, position: number) => void) =>
    forEachIndexed(index, dim, out.shape, contiguousStrides(out.shape), "scatter", visit);
  if (reduce === null) {
    walk((i, p) => {
      data[o + p] = s[src.offset + i] as number;
    });
    return;
  }
  const integral = !isFloating(out.dtype);
  if (!includeSelf) {
    const start = startValue(reduce, integral);
    walk((_, p) => {
      data[o + p] = start;
    });
  }
  const counts = reduce === "mean" ? new Int32Array(out.numel()) : null;
  walk((i, p) => {
    data[o + p] = combine(reduce, integral, data[o + p] as number, s[src.offset + i] as number);
    if (counts !== null) (counts[p] as number)++;
  });
  if (counts === null) return;
  const own = includeSelf ? 1 : 0;
  for (let p = 0; p < counts.length; p++) {
    const count = counts[p] as number;
    if (count === 0) continue;
    const mean = (data[o + p] as number) / (count + own);
    data[o + p] = integral ? Math.floor(mean) : mean;
  }
}

/**
 * The spec of an op that updates a copy of its first input with its second (scatter, indexAdd):
 * the output has the first input's shape, and the in-place variant updates a contiguous
 * target directly (any other layout gets the result copied in).
 */
function updateOp<const Name extends string, Attrs>(
  name: Name,
  apply: (out: Tensor, source: Tensor, attrs: Attrs) => void,
  backward: BackwardRule<Attrs>,
): OpSpec<Name, Attrs> {
  const forward = (inputs: readonly Tensor[], attrs: Attrs): Tensor => {
    const x = inputs[0] as Tensor;
    const out = copyContiguous(x, x.dtype);
    apply(out, inputs[1] as Tensor, attrs);
    return out;
  };
  return {
    name,
    forward,
    backward,
    keepsFirstShape: true,
    into(inputs, attrs, out) {
      const source = inputs[1] as Tensor;
      // a source sharing the target's memory is read before any write: through a fresh copy
      if (out === inputs[0] && out.contiguousLayout && source.storage !== out.storage)
        apply(out, source, attrs);
      else unarySpecs.to.into?.([forward(inputs, attrs)], { dtype: out.dtype }, out);
    },
  };
}

/** torch's rule: the gradient of `src` is `grad.gather(dim, index)`, defined when `src` has `index`'s shape. */
function sourceGradient(
  grad: Tensor,
  src: Tensor,
  { dim, index }: ScatterAttrs,
  op: string,
): Tensor {
  if (!sameShape(src.shape, index.shape)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `the gradient of src is defined only when src has index's shape, but src is ${formatShape(src.shape)} and index ${formatShape(index.shape)} (PyTorch raises too). Hint: pass src narrowed to index's shape.`,
    );
  }
  return gather(grad, dim, index);
}

/** torch's `scatter_reduce_backward` (FunctionsManual.cpp), formula for formula. */
const scatterReduceBackward: BackwardRule<ScatterAttrs> = (node, grad) => {
  const { dim, index, includeSelf } = node.attrs;
  const reduce = node.attrs.reduce as ScatterReduction;
  const src = node.saved(1);
  const result = node.result;
  const options = { includeSelf };
  let gradSelf: Tensor;
  let gradSrc: () => Tensor;
  if (reduce === "sum") {
    gradSelf = grad;
    gradSrc = () => sourceGradient(grad, src, node.attrs, "scatterReduce");
  } else if (reduce === "prod") {
    // the exclusive product, computed explicitly where self or src holds a zero
    const self = node.saved(0);
    const maskedSelf = maskedFill(self, self.eq(0), 1);
    const maskedSelfResult = scatterReduce(maskedSelf, dim, index, src, "prod", options);
    gradSelf = grad.mul(maskedSelfResult).div(maskedSelf);
    gradSrc = () => {
      const srcZero = src.eq(0);
      const zerosAtTarget = scatterAdd(zerosLike(self), dim, index, srcZero.to(self.dtype));
      const singleZero = where(srcZero, gather(zerosAtTarget, dim, index), 0).eq(1);
      const maskedSrcResult = scatterReduce(
        self,
        dim,
        index,
        maskedFill(src, singleZero, 1),
        "prod",
        options,
      );
      return where(
        singleZero,
        gather(grad.mul(maskedSrcResult), dim, index),
        gather(grad.mul(result), dim, index).div(maskedFill(src, srcZero, 1)),
      );
    };
  } else if (reduce === "mean") {
    const start = includeSelf ? onesLike(grad) : zerosLike(grad);
    const counts = scatterAdd(start, dim, index, onesLike(src));
    const n = maskedFill(counts, counts.eq(0), 1);
    gradSelf = grad.div(n);
    gradSrc = () => gather(grad, dim, index).div(gather(n, dim, index));
  } else {
    // ties share the gradient evenly
    const self = node.saved(0);
    const value = gather(result, dim, index);
    const selfIsResult = self.eq(result).to(self.dtype);
    const srcIsResult = src.eq(value).to(self.dtype);
    const distributed = grad.div(scatterAdd(selfIsResult, dim, index, srcIsResult));
    gradSelf = selfIsResult.mul(distributed);
    gradSrc = () => srcIsResult.mul(gather(distributed, dim, index));
  }
  if (!includeSelf) gradSelf = scatter(gradSelf, dim, index, 0);
  return [node.needsGrad(0) ? gradSelf : null, node.needsGrad(1) ? gradSrc() : null];
};

/** The specs of the scatter ops, `indexAdd` and `take`. */
export const scatterSpecs = {
  scatter: updateOp<"scatter", ScatterAttrs>("scatter", applyScatter, (node, grad) => {
    if (node.attrs.reduce !== null) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "scatter",
        `the derivative of scatter with reduce='${node.attrs.reduce === "sum" ? "add" : "multiply"}' is not implemented (as in PyTorch). Hint: use scatterAdd or scatterReduce(dim, index, src, 'prod'), which have gradients.`,
      );
    }
    return [
      node.needsGrad(0) ? scatter(grad, node.attrs.dim, node.attrs.index, 0) : null,
      node.needsGrad(1) ? sourceGradient(grad, node.input(1), node.attrs, "scatter") : null,
    ];
  }),
  scatterAdd: updateOp<"scatterAdd", ScatterAttrs>("scatterAdd", applyScatter, (node, grad) => [
    grad,
    node.needsGrad(1) ? sourceGradient(grad, node.input(1), node.attrs, "scatterAdd") : null,
  ]),
  // a recorded scatterReduce_ reads a copy of the old values (inPlace's `originalOf`)
  scatterReduce: updateOp("scatterReduce", applyScatter, scatterReduceBackward),
  indexAdd: updateOp<"indexAdd", IndexAddAttrs>(
    "indexAdd",
    (out, source, { dim, index, alpha }) => addRowsInto(out, source, dim, index, alpha),
    (node, grad) => {
      const { dim, index, alpha } = node.attrs;
      if (!node.needsGrad(1)) return [grad, null];
      const rows = node.input(1).ndim === 0 ? grad.reshape([-1]) : grad;
      const picked = indexSelect(rows, dim, index).reshape(node.input(1).shape);
      return [grad, alpha === 1 ? picked : picked.mul(alpha)];
    },
  ),
  take: {
    name: "take",
    forward: ([x], { index }) => {
      const source = x as Tensor;
      const dense = source.contiguousLayout ? source : copyContiguous(source, source.dtype);
      const out = allocate(source.dtype, index.numel());
      const data = dense.storage.data;
      const positions = index.storage.data;
      const n = source.numel();
      for (let i = 0; i < out.length; i++) {
        const flat = positions[index.offset + i] as number;
        out[i] = data[dense.offset + (flat < 0 ? flat + n : flat)] as number;
      }
      return Tensor.fromData(out, index.shape, source.dtype);
    },
    backward: (node, grad) => {
      const x = node.input(0);
      const flat = scatterAddInto(
        [x.numel()],
        0,
        node.attrs.index.reshape([-1]),
        grad.reshape([-1]),
      );
      return [flat.reshape(x.shape)];
    },
  } satisfies OpSpec<"take", TakeAttrs>,
} as const;

/** Integers nested as deep as the index has dims (`[[0, 2], [1, 0]]`), as torch takes a nested list. */
export type NestedIndex = readonly (number | NestedIndex)[];

/** `index` as a contiguous int32 tensor: a tensor, or integers nested as deep as the tensor has dims. */
function indexTensor(index: Tensor | NestedIndex, op: string): Tensor {
  if (!Array.isArray(index) || !index.some(Array.isArray))
    return toIndexTensor(index as Tensor, op);
  const flat = (index as unknown[]).flat(Number.POSITIVE_INFINITY as 1);
  if (!flat.every(Number.isInteger)) toIndexTensor(flat as number[], op); // throws, naming the values
  return tensor(index as number[][], { dtype: "int32" });
}

/** Throws unless every value of `index` lies in `[-size, size)`, naming the dim, size and value. */
function checkIndexValues(index: Tensor, size: number, op: string, dim: number): void {
  const data = index.storage.data;
  for (let i = index.offset, end = index.offset + index.numel(); i < end; i++)
    checkIndexValue(data[i] as number, size, op, dim);
}

function checkSameDType(x: Tensor, other: Tensor, op: string, name: string): void {
  if (other.dtype !== x.dtype) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `${name} must have the dtype of self (${x.dtype}), but got ${other.dtype}. Hint: convert it with ${name}.to('${x.dtype}').`,
    );
  }
}

/** Checks scatter's arguments (torch's shape rules) and returns its attributes and source. */
function scatterArguments(
  op: string,
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  src: unknown,
  reduce: ScatterReduction | null,
  includeSelf = true,
): [Tensor, ScatterAttrs] {
  checkTensorArgument(x, op);
  const idx = indexTensor(index, op);
  const d = dimIndex(x, dim, op);
  let source: Tensor;
  if (src instanceof Tensor) {
    checkSameDType(x, src, op, "src");
    source = src;
  } else if (typeof src === "number" && op === "scatter") source = scalarTensor(src, x.dtype);
  else {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `src must be a Tensor${op === "scatter" ? " or a number" : ""}, but got ${describeValue(src)}. Hint: e.g. ${op}(${d}, index, tensor([...])).`,
    );
  }
  const tooBig = (limit: Shape, skip: number) =>
    idx.shape.some((size, k) => k !== skip && size > (limit[k] as number));
  const rank = Math.max(x.ndim, 1);
  if (
    Math.max(idx.ndim, 1) !== rank ||
    tooBig(x.shape, d) ||
    (source.ndim > 0 && (source.ndim !== idx.ndim || tooBig(source.shape, -1)))
  ) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `index ${formatShape(idx.shape)} must have as many dims as self ${formatShape(x.shape)}, be no larger than self outside dim ${d}, and no larger than src ${formatShape(source.shape)}. Hint: index and src give one entry per value to scatter; their shapes must fit inside self's.`,
    );
  }
  checkIndexValues(idx, x.ndim === 0 ? 1 : (x.shape[d] as number), op, d);
  return [source, { dim: d, index: idx, reduce, includeSelf }];
}

function reductionOf(options: ScatterOptions | undefined): ScatterReduction | null {
  const reduce = options?.reduce;
  if (reduce === undefined) return null;
  if (reduce === "add") return "sum";
  if (reduce === "multiply") return "prod";
  throw new TensorError(
    "INVALID_ARGUMENT",
    "scatter",
    `reduce must be 'add' or 'multiply', but got ${describeValue(reduce)}. Hint: for mean, amax or amin use scatterReduce.`,
  );
}

const REDUCTIONS: readonly string[] = ["sum", "prod", "mean", "amax", "amin"];

function scatterReduceArguments(
  op: string,
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor,
  reduce: ScatterReduction,
  options: ScatterReduceOptions | undefined,
): [Tensor, ScatterAttrs] {
  if (!REDUCTIONS.includes(reduce)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `reduce must be one of 'sum', 'prod', 'mean', 'amax', 'amin', but got ${describeValue(reduce)}. Hint: e.g. ${op}(0, index, src, 'amax').`,
    );
  }
  return scatterArguments(op, x, dim, index, src, reduce, options?.includeSelf ?? true);
}

/**
 * A copy of `x` with `src` (a tensor, or one number) written at `index` along `dim`
 * (`torch.scatter`): for dim 0, `out[index[i][j]][j] = src[i][j]`. With `{ reduce: 'add' |
 * 'multiply' }` the values are combined instead (torch 1.13; no gradient, as in PyTorch).
 */
export function scatter(
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor | number,
  options?: ScatterOptions,
): Tensor {
  const [source, attrs] = scatterArguments("scatter", x, dim, index, src, reductionOf(options));
  return dispatch(scatterSpecs.scatter, [x, source], attrs);
}

/** In-place {@link scatter} (`Tensor.scatter_`). */
export function scatter_<T extends Tensor>(
  x: T,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor | number,
  options?: ScatterOptions,
): T {
  const [source, attrs] = scatterArguments("scatter", x, dim, index, src, reductionOf(options));
  return inPlace(scatterSpecs.scatter, "scatter_", x, [source], attrs);
}

/** A copy of `x` with `src` summed in at `index` along `dim` (`torch.scatter_add`); repeated indices accumulate. */
export function scatterAdd(
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor,
): Tensor {
  const [source, attrs] = scatterArguments("scatterAdd", x, dim, index, src, "sum");
  return dispatch(scatterSpecs.scatterAdd, [x, source], attrs);
}

/** In-place {@link scatterAdd} (`Tensor.scatter_add_`). */
export function scatterAdd_<T extends Tensor>(
  x: T,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor,
): T {
  const [source, attrs] = scatterArguments("scatterAdd_", x, dim, index, src, "sum");
  return inPlace(scatterSpecs.scatterAdd, "scatterAdd_", x, [source], attrs);
}

/**
 * A copy of `x` where the values of `src` sent to one position by `index` along `dim` are
 * reduced with `reduce` (`torch.scatter_reduce`): `'sum' | 'prod' | 'mean' | 'amax' | 'amin'`;
 * with `{ includeSelf: false }` `x`'s own value at a position that receives values is left out.
 * Differentiable in `x` and `src` with PyTorch's rules (ties of amax/amin share evenly).
 */
export function scatterReduce(
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor,
  reduce: ScatterReduction,
  options?: ScatterReduceOptions,
): Tensor {
  const [source, attrs] = scatterReduceArguments(
    "scatterReduce",
    x,
    dim,
    index,
    src,
    reduce,
    options,
  );
  return dispatch(scatterSpecs.scatterReduce, [x, source], attrs);
}

/** In-place {@link scatterReduce} (`Tensor.scatter_reduce_`). */
export function scatterReduce_<T extends Tensor>(
  x: T,
  dim: number,
  index: Tensor | NestedIndex,
  src: Tensor,
  reduce: ScatterReduction,
  options?: ScatterReduceOptions,
): T {
  const [source, attrs] = scatterReduceArguments(
    "scatterReduce_",
    x,
    dim,
    index,
    src,
    reduce,
    options,
  );
  return inPlace(scatterSpecs.scatterReduce, "scatterReduce_", x, [source], attrs);
}

function indexAddArguments(
  op: string,
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  source: Tensor,
  options: IndexAddOptions | undefined,
): IndexAddAttrs {
  checkTensorArgument(x, op);
  checkTensorArgument(source, op, "source");
  const idx = indexTensor(index, op);
  const d = dimIndex(x, dim, op);
  const alpha = options?.alpha === undefined ? 1 : scaleOf(options.alpha, op, "alpha");
  checkSameDType(x, source, op, "source");
  if (idx.ndim > 1) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `index must be 0-d or 1-d, but has shape ${formatShape(idx.shape)}. Hint: flatten it, or use scatterAdd for an index per element.`,
    );
  }
  const rows = x.ndim === 0 ? [1] : x.shape.map((s, k) => (k === d ? idx.numel() : s));
  const sourceRows = source.ndim === 0 ? [1] : source.shape;
  if (!sameShape(rows, sourceRows)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `source ${formatShape(source.shape)} must have self's shape ${formatShape(x.shape)} with dim ${d} the number of indices (${idx.numel()}), that is ${formatShape(rows)}. Hint: one row of source per index.`,
    );
  }
  checkIndexValues(idx, x.ndim === 0 ? 1 : (x.shape[d] as number), op, d);
  return { dim: d, index: idx.ndim === 0 ? idx.reshape([1]) : idx, alpha };
}

/**
 * A copy of `x` with `alpha · source` added at rows `index` along `dim` (`torch.index_add`);
 * repeated indices accumulate. `source` has `x`'s shape except `index.numel()` along `dim`.
 */
export function indexAdd(
  x: Tensor,
  dim: number,
  index: Tensor | NestedIndex,
  source: Tensor,
  options?: IndexAddOptions,
): Tensor {
  const attrs = indexAddArguments("indexAdd", x, dim, index, source, options);
  return dispatch(scatterSpecs.indexAdd, [x, source], attrs);
}

/** In-place {@link indexAdd} (`Tensor.index_add_`). */
export function indexAdd_<T extends Tensor>(
  x: T,
  dim: number,
  index: Tensor | NestedIndex,
  source: Tensor,
  options?: IndexAddOptions,
): T {
  const attrs = indexAddArguments("indexAdd_", x, dim, index, source, options);
  return inPlace(scatterSpecs.indexAdd, "indexAdd_", x, [source], attrs);
}

/**
 * The elements of `x` at flat (row-major) positions `index`, in `index`'s shape
 * (`torch.take`); negative positions count from the end.
 */
export function take(x: Tensor, index: Tensor | NestedIndex): Tensor {
  checkTensorArgument(x, "take");
  const idx = indexTensor(index, "take");
  const n = x.numel();
  const positions = idx.storage.data;
  for (let i = idx.offset, end = idx.offset + idx.numel(); i < end; i++) {
    const flat = positions[i] as number;
    if (flat < -n || flat >= n) {
      throw new TensorError(
        "INDEX_OUT_OF_RANGE",
        "take",
        `index ${flat} is out of range for a tensor of ${n} elements (shape ${formatShape(x.shape)}). Hint: take counts positions in the flattened tensor, from ${-n} to ${n - 1}.`,
      );
    }
  }
  return dispatch(scatterSpecs.take, [x], { index: idx });
}
