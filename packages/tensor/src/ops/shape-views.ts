import { dispatch } from "../dispatch";
import { allocate } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import { elementOffsets } from "../kernels/strided";
import type { OpSpec } from "../op-spec";
import { contiguousStrides, formatList, numelOf, type Shape } from "../shape";
import { Tensor } from "../tensor";
import { copyContiguous } from "./unary";
import { dimIndex, expand, inferShape, permute, reshape, transpose, view, viewOf } from "./views";

/** Attributes of `diagonal` (dims already normalised). */
export interface DiagonalAttrs {
  offset: number;
  dim1: number;
  dim2: number;
}

/** Attributes of `diagonalBackward`: the shape of the zero tensor the diagonal is written into. */
export interface DiagonalBackwardAttrs extends DiagonalAttrs {
  shape: Shape;
}

/** Attributes of `unfold` (dim already normalised). */
export interface UnfoldAttrs {
  dim: number;
  size: number;
  step: number;
}

/** Attributes of `unfoldBackward`: the shape of the tensor the windows are summed into. */
export interface UnfoldBackwardAttrs extends UnfoldAttrs {
  shape: Shape;
}

/** A strided layout: what a view op computes from its input's. */
interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

/** The layout of `diagonal(offset, dim1, dim2)` over a tensor laid out as given (PyTorch's). */
export function diagonalLayout(
  shape: Shape,
  strides: readonly number[],
  start: number,
  { offset, dim1, dim2 }: DiagonalAttrs,
): Layout {
  const rows = shape[dim1] as number;
  const cols = shape[dim2] as number;
  const length = Math.max(
    0,
    offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols),
  );
  const shift =
    offset >= 0 ? offset * (strides[dim2] as number) : -offset * (strides[dim1] as number);
  const keep = (_: number, d: number) => d !== dim1 && d !== dim2;
  return {
    shape: [...shape.filter(keep), length],
    strides: [...strides.filter(keep), (strides[dim1] as number) + (strides[dim2] as number)],
    offset: length > 0 ? start + shift : start, // as PyTorch: an empty diagonal does not move
  };
}

/** The layout of `unfold(dim, size, step)`: windows along `dim`, each a new last dim. */
export function unfoldLayout(
  shape: Shape,
  strides: readonly number[],
  { dim, size, step }: UnfoldAttrs,
): Omit<Layout, "offset"> {
  const outShape = shape.slice();
  const outStrides = strides.slice();
  if (shape.length > 0) {
    outShape[dim] = Math.floor(((shape[dim] as number) - size) / step) + 1;
    outStrides[dim] = (strides[dim] as number) * step;
  }
  return { shape: [...outShape, size], strides: [...outStrides, strides[dim] ?? 1] };
}

/**
 * A zero tensor of `shape` into which `source` is summed through the layout `at` (a view of
 * that zero tensor's contiguous layout); overlapping positions accumulate.
 */
function sumThrough(source: Tensor, shape: Shape, at: Layout | Omit<Layout, "offset">): Tensor {
  const out = allocate(source.dtype, numelOf(shape));
  const values = copyContiguous(source, source.dtype).storage.data;
  const positions = elementOffsets(at.shape, at.strides);
  const base = "offset" in at ? at.offset : 0;
  for (let i = 0; i < positions.length; i++)
    (out[base + (positions[i] as number)] as number) += values[i] as number;
  return Tensor.fromData(out, shape, source.dtype);
}

/** A zero tensor of `shape` with `values` on its diagonal (`offset`, `dim1`, `dim2`); one kernel. */
export function embedDiagonal(values: Tensor, shape: Shape, attrs: DiagonalAttrs): Tensor {
  return sumThrough(values, shape, diagonalLayout(shape, contiguousStrides(shape), 0, attrs));
}

const diagonalSpec: OpSpec<"diagonal", DiagonalAttrs> = {
  name: "diagonal",
  view: true,
  forward: ([x], attrs) => {
    const input = x as Tensor;
    const layout = diagonalLayout(input.shape, input.strides, input.offset, attrs);
    return viewOf(input, layout.shape, layout.strides, layout.offset);
  },
  backward: (node, grad) => [diagonalBackward(grad, node.input(0).shape, node.attrs)],
};

const diagonalBackwardSpec: OpSpec<"diagonalBackward", DiagonalBackwardAttrs> = {
  name: "diagonalBackward",
  forward: ([grad], { shape, ...attrs }) => embedDiagonal(grad as Tensor, shape, attrs),
  backward: (node, grad) => {
    const { offset, dim1, dim2 } = node.attrs;
    return [dispatch(diagonalSpec, [grad], { offset, dim1, dim2 })];
  },
};

const unfoldSpec: OpSpec<"unfold", UnfoldAttrs> = {
  name: "unfold",
  view: true,
  forward: ([x], attrs) => {
    const input = x as Tensor;
    const layout = unfoldLayout(input.shape, input.strides, attrs);
    return viewOf(input, layout.shape, layout.strides, input.offset);
  },
  backward: (node, grad) => [unfoldBackward(grad, node.input(0).shape, node.attrs)],
};

const unfoldBackwardSpec: OpSpec<"unfoldBackward", UnfoldBackwardAttrs> = {
  name: "unfoldBackward",
  forward: ([grad], { shape, ...attrs }) =>
    sumThrough(grad as Tensor, shape, unfoldLayout(shape, contiguousStrides(shape), attrs)),
  backward: (node, grad) => {
    const { dim, size, step } = node.attrs;
    return [dispatch(unfoldSpec, [grad], { dim, size, step })];
  },
};

/** The specs of the rearranging views and of their backward ops. */
export const shapeViewSpecs = {
  diagonal: diagonalSpec,
  diagonalBackward: diagonalBackwardSpec,
  unfold: unfoldSpec,
  unfoldBackward: unfoldBackwardSpec,
} as const;

/**
 * `diagonal`'s gradient: a zero tensor of `shape` with `grad` on the diagonal
 * (`offset`, `dim1`, `dim2`); PyTorch's `diagonal_backward`.
 */
export function diagonalBackward(grad: Tensor, shape: Shape, attrs: DiagonalAttrs): Tensor {
  return dispatch(diagonalBackwardSpec, [grad], { ...attrs, shape });
}

/**
 * `unfold`'s gradient: a zero tensor of `shape` into which every window of `grad` is summed,
 * so elements shared by overlapping windows accumulate; PyTorch's `unfold_backward`.
 */
export function unfoldBackward(grad: Tensor, shape: Shape, attrs: UnfoldAttrs): Tensor {
  return dispatch(unfoldBackwardSpec, [grad], { ...attrs, shape });
}

/** Throws `INVALID_ARGUMENT` unless `value` is a whole number; returns it. */
export function wholeNumber(
  value: unknown,
  op: string,
  argument: string,
  hint = `e.g. ${op}(1).`,
): number {
  if (!Number.isInteger(value)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${argument} must be a whole number, but got ${describeValue(value)}. Hint: ${hint}`,
    );
  }
  return value as number;
}

/**
 * The diagonal of `x` over dims `dim1` and `dim2` as a view (`torch.diagonal`): those dims are
 * removed and the diagonal becomes the last dim. `offset` > 0 is above the main diagonal,
 * < 0 below it.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensorArgument(x, "diagonal");
  wholeNumber(
    offset,
    "diagonal",
    "offset",
    "e.g. diagonal(1) for the diagonal above the main one.",
  );
  if (x.ndim < 2) {
    throw new TensorError(
      "INVALID_DIM",
      "diagonal",
      `expects a tensor with at least 2 dims, but got shape ${formatShape(x.shape)}. Hint: use diag() to build a matrix from a vector.`,
    );
  }
  const d1 = dimIndex(x, dim1, "diagonal", "dim1");
  const d2 = dimIndex(x, dim2, "diagonal", "dim2");
  if (d1 === d2) {
    throw new TensorError(
      "INVALID_DIM",
      "diagonal",
      `diagonal dimensions cannot be identical: dim1 ${dim1} and dim2 ${dim2} are both dim ${d1} (shape ${formatShape(x.shape)}). Hint: name two different dims, e.g. diagonal(0, 0, 1).`,
    );
  }
  return dispatch(diagonalSpec, [x], { offset, dim1: d1, dim2: d2 });
}

/**
 * Sliding windows of `size` elements, `step` apart, along `dim` as a view (`Tensor.unfold`):
 * `dim` becomes the window count and a new last dim of `size` holds each window.
 */
export function unfold(x: Tensor, dim: number, size: number, step: number): Tensor {
  checkTensorArgument(x, "unfold");
  if (x.ndim === 0) {
    throw new TensorError(
      "INVALID_DIM",
      "unfold",
      "cannot unfold a 0-d tensor. Hint: reshape it to [1] first.",
    );
  }
  const d = dimIndex(x, dim, "unfold");
  const length = x.shape[d] as number;
  wholeNumber(size, "unfold", "size", `the window size, between 0 and ${length}.`);
  wholeNumber(step, "unfold", "step", "the distance between windows, at least 1.");
  if (size < 0 || size > length) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "unfold",
      `size ${size} does not fit dim ${d} of size ${length} (shape ${formatShape(x.shape)}). Hint: the window size must be between 0 and ${length}.`,
    );
  }
  if (step <= 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "unfold",
      `step is ${step} but must be > 0. Hint: step 1 gives every window, step = size gives non-overlapping ones.`,
    );
  }
  return dispatch(unfoldSpec, [x], { dim: d, size, step });
}

/** Normalises a dim or a list of dims, rejecting a dim named twice. */
export function distinctDims(
  x: Tensor,
  dims: number | readonly number[],
  op: string,
  argument: string,
): number[] {
  const list = typeof dims === "number" ? [dims] : dims;
  if (!Array.isArray(list)) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `${argument} must be a dim or an array of dims, but got ${describeValue(dims)}. Hint: e.g. ${op}(0) or ${op}([0, 1]).`,
    );
  }
  const normal = list.map((d) => dimIndex(x, d, op, argument));
  const twice = normal.find((d, i) => normal.indexOf(d) !== i);
  if (twice !== undefined) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `dim ${twice} appears multiple times in ${argument} ${formatList(list)} (shape ${formatShape(x.shape)}). Hint: list each dim once.`,
    );
  }
  return normal;
}

/**
 * Moves dims `source` to positions `destination` (a view, `torch.movedim`); the other dims
 * keep their order. Both take a dim or an array of dims of the same length.
 */
export function movedim(
  x: Tensor,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tensor {
  checkTensorArgument(x, "movedim");
  const from = distinctDims(x, source, "movedim", "source");
  const to = distinctDims(x, destination, "movedim", "destination");
  if (from.length !== to.length) {
    throw new TensorError(
      "INVALID_DIM",
      "movedim",
      `source ${formatList(from)} (${from.length} dims) and destination ${formatList(to)} (${to.length} dims) must name the same number of dims. Hint: pair each source dim with one destination.`,
    );
  }
  const order = new Array<number>(x.ndim).fill(-1);
  from.forEach((d, i) => {
    order[to[i] as number] = d;
  });
  const rest = Array.from({ length: x.ndim }, (_, d) => d).filter((d) => !from.includes(d));
  for (let d = 0; d < order.length; d++) if (order[d] === -1) order[d] = rest.shift() as number;
  return x.ndim === 0 ? view(x, []) : permute(x, order);
}

/** Swaps two dims (a view): NumPy's name for {@link transpose} (`torch.swapaxes`). */
export function swapaxes(x: Tensor, axis0: number, axis1: number): Tensor {
  checkTensorArgument(x, "swapaxes");
  return transpose(x, axis0, axis1);
}

/**
 * Splits dim `dim` into `sizes` (a view, `torch.unflatten`); one size may be -1 and is
 * inferred. The sizes must multiply to the dim's size.
 */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  checkTensorArgument(x, "unflatten");
  if (x.ndim === 0) {
    throw new TensorError(
      "INVALID_DIM",
      "unflatten",
      "cannot unflatten a 0-d tensor. Hint: use reshape() to give it dims.",
    );
  }
  const d = dimIndex(x, dim, "unflatten");
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new TensorError(
      "INVALID_SHAPE",
      "unflatten",
      `sizes must be a non-empty array, but got ${describeValue(sizes)}. Hint: e.g. unflatten(${dim}, [2, -1]).`,
    );
  }
  const length = x.shape[d] as number;
  if (sizes.filter((s) => s === -1).length > 1) {
    throw new TensorError(
      "INVALID_SHAPE",
      "unflatten",
      `sizes ${formatList(sizes)} infer more than one size (-1). Hint: give every size but one.`,
    );
  }
  let split: number[];
  try {
    split = inferShape(sizes, length, "unflatten", [length]);
  } catch {
    throw new TensorError(
      "INVALID_SHAPE",
      "unflatten",
      `sizes ${formatList(sizes)} don't multiply up to the size of dim ${d} (${length}) of the input (shape ${formatShape(x.shape)}). Hint: choose sizes whose product is ${length}, or use -1 for one of them.`,
    );
  }
  return view(x, [...x.shape.slice(0, d), ...split, ...x.shape.slice(d + 1)]);
}

/** Options of {@link meshgrid}. */
export interface MeshgridOptions {
  /**
   * `'ij'`: the output's dims follow the inputs (matrix indexing); `'xy'`: the first two are
   * swapped (Cartesian, as NumPy's default).
   * @defaultValue `'ij'`
   */
  indexing?: "ij" | "xy";
}

/**
 * Coordinate grids from 0-d or 1-d tensors (`torch.meshgrid`): output `i` holds `tensors[i]`
 * along its dim, repeated over the others. The outputs are expanded views of the inputs.
 */
export function meshgrid(tensors: readonly Tensor[], options: MeshgridOptions = {}): Tensor[] {
  const indexing = options.indexing ?? "ij";
  if (indexing !== "ij" && indexing !== "xy") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "meshgrid",
      `indexing must be 'ij' or 'xy', but got ${describeValue(indexing)}. Hint: 'ij' for matrix indexing, 'xy' for Cartesian.`,
    );
  }
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "meshgrid",
      `expects a non-empty array of tensors, but got ${describeValue(tensors)}. Hint: meshgrid([x, y]).`,
    );
  }
  tensors.forEach((t, i) => {
    checkTensorArgument(t, "meshgrid", `tensors[${i}]`);
    if (t.ndim > 1) {
      throw new TensorError(
        "INVALID_SHAPE",
        "meshgrid",
        `expects 0-d or 1-d tensors, but tensors[${i}] has shape ${formatShape(t.shape)}. Hint: flatten() it first.`,
      );
    }
    if (t.dtype !== (tensors[0] as Tensor).dtype) {
      throw new TensorError(
        "INVALID_DTYPE",
        "meshgrid",
        `expects all tensors to have the same dtype, but tensors[0] is ${(tensors[0] as Tensor).dtype} and tensors[${i}] is ${t.dtype}. Hint: convert them with .to(dtype).`,
      );
    }
  });
  // 'xy' is 'ij' on the first two inputs swapped, with the first two outputs swapped back
  const swap = indexing === "xy" && tensors.length >= 2;
  const order = swap ? [tensors[1] as Tensor, tensors[0] as Tensor, ...tensors.slice(2)] : tensors;
  const shape = order.map((t) => t.numel());
  const grids = order.map((t, i) =>
    expand(
      reshape(
        t,
        shape.map((size, d) => (d === i ? size : 1)),
      ),
      shape,
    ),
  );
  if (!swap) return grids;
  return [grids[1] as Tensor, grids[0] as Tensor, ...grids.slice(2)];
}
