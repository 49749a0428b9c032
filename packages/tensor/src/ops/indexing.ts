import { dispatch } from "../dispatch";
import { allocate } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { OpSpec } from "../op-spec";
import { contiguousStrides, numelOf, type Shape } from "../shape";
import { Tensor } from "../tensor";
import { copyContiguous } from "./unary";
import { dimIndex } from "./views";

/** Checks an index argument and returns it as a contiguous int32 tensor. */
export function toIndexTensor(index: Tensor | readonly number[], op: string): Tensor {
  if (index instanceof Tensor) {
    if (index.dtype !== "int32") {
      throw new TensorError(
        "INVALID_DTYPE",
        op,
        `index must be an int32 tensor, but got ${index.dtype} (shape ${formatShape(index.shape)}). Hint: convert with index.int(), or pass a plain array of integers.`,
      );
    }
    return index.contiguousLayout ? index : copyContiguous(index, "int32");
  }
  if (!Array.isArray(index) || !index.every(Number.isInteger)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `index must be an int32 tensor or an array of integers, but got ${describeValue(index)}. Hint: e.g. [0, 2] or tensor([0, 2], { dtype: 'int32' }).`,
    );
  }
  return Tensor.fromData(Int32Array.from(index), [index.length], "int32");
}

/** Wraps a negative index value, or throws `INDEX_OUT_OF_RANGE` naming the dim and size. */
export function checkIndexValue(value: number, size: number, op: string, dim: number): number {
  if (value < -size || value >= size) {
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      op,
      `index ${value} is out of bounds for dimension ${dim} with size ${size}. Hint: indices run from ${-size} to ${size - 1}.`,
    );
  }
  return value < 0 ? value + size : value;
}

/** Splits `shape` around `dim` into (outer, size, inner) element counts. */
export function around(shape: Shape, dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d] as number;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d] as number;
  return [outer, shape[dim] ?? 1, inner];
}

/** Attributes of the ops that read or write positions `index` along `dim`. */
export interface IndexAttrs {
  dim: number;
  index: Tensor;
}

/** Attributes of the backward-side index ops, which build a tensor of `shape`. */
export interface IndexIntoAttrs extends IndexAttrs {
  shape: Shape;
}

/** Attributes of `selectBackward`. */
export interface SelectBackwardAttrs {
  dim: number;
  index: number;
  shape: Shape;
}

function indexSelectForward(x: Tensor, { dim, index }: IndexAttrs): Tensor {
  const source = x.contiguousLayout ? x : copyContiguous(x, x.dtype);
  const [outer, size, inner] = around(x.shape, dim);
  const count = index.numel();
  const out = allocate(x.dtype, outer * count * inner);
  const data = source.storage.data;
  for (let j = 0; j < count; j++) {
    const row = checkIndexValue(
      index.storage.data[index.offset + j] as number,
      size,
      "indexSelect",
      dim,
    );
    for (let o = 0; o < outer; o++) {
      const from = source.offset + (o * size + row) * inner;
      out.set(data.subarray(from, from + inner) as never, (o * count + j) * inner);
    }
  }
  const shape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === dim ? count : s));
  return Tensor.fromData(out, shape, x.dtype);
}

/**
 * Adds `alpha · source` row by row into the contiguous `out` at rows `index` along `dim`, in
 * place (`index` is contiguous and checked; repeated rows accumulate).
 */
export function addRowsInto(
  out: Tensor,
  source: Tensor,
  dim: number,
  index: Tensor,
  alpha: number,
): void {
  const src = source.contiguousLayout ? source : copyContiguous(source, source.dtype);
  const [outer, size, inner] = around(out.shape, dim);
  const count = index.numel();
  const data = out.storage.data;
  const s = src.storage.data;
  for (let j = 0; j < count; j++) {
    const row = checkIndexValue(
      index.storage.data[index.offset + j] as number,
      size,
      "indexAdd",
      dim,
    );
    for (let k = 0; k < outer; k++) {
      const to = out.offset + (k * size + row) * inner;
      const from = src.offset + (k * count + j) * inner;
      for (let i = 0; i < inner; i++)
        data[to + i] = (data[to + i] as number) + alpha * (s[from + i] as number);
    }
  }
}

function indexAddForward(source: Tensor, { dim, index, shape }: IndexIntoAttrs): Tensor {
  const out = Tensor.fromData(allocate(source.dtype, numelOf(shape)), shape, source.dtype);
  addRowsInto(out, source, dim, index, 1);
  return out;
}

/** Rows of `x` along `dim` picked by a 1-d int32 `index` (PyTorch's `index_select`). */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  checkTensorArgument(x, "indexSelect");
  const idx = toIndexTensor(index, "indexSelect");
  if (idx.ndim > 1) {
    throw new TensorError(
      "INVALID_SHAPE",
      "indexSelect",
      `index must be 0-d or 1-d, but has shape ${formatShape(idx.shape)}.`,
    );
  }
  const d = x.ndim === 0 ? 0 : dimIndex(x, dim, "indexSelect");
  return dispatch(indexingSpecs.indexSelect, [x], { dim: d, index: idx });
}

/**
 * Adds rows of `source` into a zero tensor of `shape` at `index` along `dim` (backward of
 * indexSelect; internal: the public `indexAdd` is torch's `index_add`).
 */
export function indexAddInto(shape: Shape, dim: number, index: Tensor, source: Tensor): Tensor {
  return dispatch(indexingSpecs.indexAddInto, [source], { dim, index, shape });
}

/**
 * Walks every element `i` of a contiguous `index` with its position in a target of shape `target`
 * and strides `targetStrides`: `index`'s coordinates, with the one along `dim` replaced by the index value.
 */
export function forEachIndexed(
  index: Tensor,
  dim: number,
  target: Shape,
  targetStrides: readonly number[],
  op: string,
  visit: (indexPosition: number, targetPosition: number) => void,
): void {
  const positions = contiguousStrides(index.shape);
  const n = index.numel();
  const size = target[dim] as number;
  for (let i = 0; i < n; i++) {
    let rest = i;
    let position = 0;
    for (let d = 0; d < index.ndim; d++) {
      const coordinate = Math.floor(rest / (positions[d] as number));
      rest -= coordinate * (positions[d] as number);
      const value =
        d === dim
          ? checkIndexValue(index.storage.data[index.offset + i] as number, size, op, dim)
          : coordinate;
      position += value * (targetStrides[d] as number);
    }
    visit(i, position);
  }
}

function checkGatherShapes(x: Shape, index: Tensor, dim: number, op: string): void {
  if (index.ndim !== x.length || index.shape.some((s, d) => d !== dim && s > (x[d] as number))) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `index ${formatShape(index.shape)} must have the same number of dims as the input ${formatShape(x)} and no larger size outside dim ${dim}.`,
    );
  }
}

function gatherForward(x: Tensor, { dim, index }: IndexAttrs): Tensor {
  const out = allocate(x.dtype, index.numel());
  const data = x.storage.data;
  forEachIndexed(index, dim, x.shape, x.strides, "gather", (i, position) => {
    out[i] = data[x.offset + position] as number;
  });
  return Tensor.fromData(out, index.shape, x.dtype);
}

function scatterAddForward(source: Tensor, { dim, index, shape }: IndexIntoAttrs): Tensor {
  const out = allocate(source.dtype, numelOf(shape));
  const src = source.contiguousLayout ? source : copyContiguous(source, source.dtype);
  forEachIndexed(index, dim, shape, contiguousStrides(shape), "scatterAddInto", (i, position) => {
    (out[position] as number) += src.storage.data[src.offset + i] as number;
  });
  return Tensor.fromData(out, shape, source.dtype);
}

function selectBackwardForward(grad: Tensor, { dim, index, shape }: SelectBackwardAttrs): Tensor {
  const source = grad.contiguousLayout ? grad : copyContiguous(grad, grad.dtype);
  const [outer, size, inner] = around(shape, dim);
  const out = allocate(grad.dtype, numelOf(shape));
  const data = source.storage.data;
  for (let o = 0; o < outer; o++) {
    const from = source.offset + o * inner;
    const to = (o * size + index) * inner;
    if (inner === 1)
      out[to] = data[from] as number; // (no subarray for one element)
    else out.set(data.subarray(from, from + inner) as never, to);
  }
  return Tensor.fromData(out, shape, grad.dtype);
}

function indexOp<const Name extends string, Attrs>(
  name: Name,
  forward: (x: Tensor, attrs: Attrs) => Tensor,
  backward: OpSpec<Name, Attrs>["backward"],
): OpSpec<Name, Attrs> {
  return { name, forward: (inputs, attrs) => forward(inputs[0] as Tensor, attrs), backward };
}

/** The specs of the indexing ops (each pair is the other's backward). */
export const indexingSpecs = {
  indexSelect: indexOp("indexSelect", indexSelectForward, (node, grad) => {
    const { dim, index } = node.attrs;
    return [indexAddInto(node.input(0).shape, dim, index, grad)];
  }),
  indexAddInto: indexOp("indexAddInto", indexAddForward, (node, grad) => [
    indexSelect(grad, node.attrs.dim, node.attrs.index),
  ]),
  gather: indexOp("gather", gatherForward, (node, grad) => {
    const { dim, index } = node.attrs;
    return [scatterAddInto(node.input(0).shape, dim, index, grad)];
  }),
  scatterAddInto: indexOp("scatterAddInto", scatterAddForward, (node, grad) => [
    gather(grad, node.attrs.dim, node.attrs.index),
  ]),
  selectBackward: indexOp("selectBackward", selectBackwardForward, (node, grad) => [
    grad.select(node.attrs.dim, node.attrs.index),
  ]),
} as const;

/** `out[i][j] = x[index[i][j]][j]` for dim 0 (and likewise for other dims), like `torch.gather`. */
export function gather(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  checkTensorArgument(x, "gather");
  const idx = toIndexTensor(index, "gather");
  const d = x.ndim === 0 ? 0 : dimIndex(x, dim, "gather");
  checkGatherShapes(x.shape, idx, d, "gather");
  return dispatch(indexingSpecs.gather, [x], { dim: d, index: idx });
}

/**
 * Sums `source` into a zero tensor of `shape` at `index` positions (backward of gather;
 * internal: the public `scatterAdd` is torch's `scatter_add`).
 */
export function scatterAddInto(shape: Shape, dim: number, index: Tensor, source: Tensor): Tensor {
  return dispatch(indexingSpecs.scatterAddInto, [source], { dim, index, shape });
}

/**
 * `select`'s backward: a zero tensor of `shape` holding `grad` at `index` along `dim`. One
 * allocation (the book's `w, b = params.unbind()` runs it twice per epoch).
 */
export function selectBackward(grad: Tensor, shape: Shape, dim: number, index: number): Tensor {
  return dispatch(indexingSpecs.selectBackward, [grad], { dim, index, shape });
}
