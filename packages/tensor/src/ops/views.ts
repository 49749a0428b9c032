import { dispatch } from "../dispatch";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { BackwardRule, OpSpec } from "../op-spec";
import {
  contiguousStrides,
  formatList,
  normalizeDim,
  numelOf,
  type Shape,
  sameShape,
} from "../shape";
import { Tensor } from "../tensor";
import { multiOutput, type TensorList } from "../view-meta";
import { indexAddInto, selectBackward } from "./indexing";
import { sumTo } from "./sum-to";
import { unarySpecs } from "./unary";

/** Normalises `dim` for tensor `x` (negative dims count from the end). */
export function dimIndex(x: Tensor, dim: number, op: string, argument = "dim"): number {
  return normalizeDim(dim, x.ndim, op, argument);
}

/** A new tensor over `x`'s storage with the given layout (outside the graph). */
export function viewOf(
  x: Tensor,
  shape: Shape,
  strides: readonly number[],
  offset: number,
): Tensor {
  return new Tensor(x.storage, shape, strides, offset, x.dtype);
}

/** A layout computed by the op's function: the view's shape and strides (offset unchanged). */
export interface LayoutAttrs {
  shape: readonly number[];
  strides: readonly number[];
}

/** Attributes of `narrow`. */
export interface NarrowAttrs {
  dim: number;
  start: number;
  length: number;
}

/** Attributes of `select` (`unbind` names the node as PyTorch does). */
export interface SelectAttrs {
  dim: number;
  index: number;
  unbind: boolean;
}

function viewOp<const Name extends string, Attrs>(
  name: Name,
  forward: (x: Tensor, attrs: Attrs) => Tensor,
  backward: BackwardRule<Attrs>,
  nodeName?: string | ((attrs: Attrs) => string),
): OpSpec<Name, Attrs> {
  return {
    name,
    view: true,
    forward: (inputs, attrs) => forward(inputs[0] as Tensor, attrs),
    backward,
    nodeName,
  };
}

const withLayout = (x: Tensor, { shape, strides }: LayoutAttrs): Tensor =>
  viewOf(x, shape, strides, x.offset);
const reshapeBack: BackwardRule<unknown> = (node, grad) => [
  grad.reshape(node.input(0).shape as number[]),
];

function swapped<T>(values: readonly T[], d0: number, d1: number): T[] {
  const out = values.slice();
  if (d0 === d1) return out;
  [out[d0], out[d1]] = [out[d1] as T, out[d0] as T];
  return out;
}

/** The int32 index tensor `[start, start + 1, …, start + length - 1]`. */
function positions(start: number, length: number): Tensor {
  return Tensor.fromData(
    Int32Array.from({ length }, (_, i) => start + i),
    [length],
    "int32",
  );
}

/** The specs of the view ops: each output shares its input's storage. */
export const viewSpecs = {
  view: viewOp<"view", LayoutAttrs>("view", withLayout, reshapeBack),
  squeeze: viewOp<"squeeze", LayoutAttrs>("squeeze", withLayout, reshapeBack),
  expand: viewOp<"expand", LayoutAttrs>("expand", withLayout, (node, grad) => [
    sumTo(grad, node.input(0).shape),
  ]),
  transpose: viewOp<"transpose", { dim0: number; dim1: number }>(
    "transpose",
    (x, { dim0, dim1 }) =>
      viewOf(x, swapped(x.shape, dim0, dim1), swapped(x.strides, dim0, dim1), x.offset),
    (node, grad) => [grad.transpose(node.attrs.dim0, node.attrs.dim1)],
  ),
  permute: viewOp<"permute", { dims: readonly number[] }>(
    "permute",
    (x, { dims }) =>
      viewOf(
        x,
        dims.map((d) => x.shape[d] as number),
        dims.map((d) => x.strides[d] as number),
        x.offset,
      ),
    (node, grad) => {
      const inverse = new Array<number>(node.attrs.dims.length);
      node.attrs.dims.forEach((d, i) => {
        inverse[d] = i;
      });
      return [grad.permute(inverse)];
    },
  ),
  unsqueeze: viewOp<"unsqueeze", { dim: number }>(
    "unsqueeze",
    (x, { dim }) => {
      const shape = x.shape.slice();
      const strides = x.strides.slice();
      const stride = dim < x.ndim ? (x.shape[dim] as number) * (x.strides[dim] as number) : 1;
      shape.splice(dim, 0, 1);
      strides.splice(dim, 0, stride);
      return viewOf(x, shape, strides, x.offset);
    },
    (node, grad) => [grad.squeeze(node.attrs.dim)],
  ),
  narrow: viewOp<"narrow", NarrowAttrs>(
    "narrow",
    (x, { dim, start, length }) => {
      const shape = x.shape.slice();
      shape[dim] = length;
      return viewOf(x, shape, x.strides, x.offset + start * (x.strides[dim] as number));
    },
    (node, grad) => {
      const { dim, start, length } = node.attrs;
      return [indexAddInto(node.input(0).shape, dim, positions(start, length), grad)];
    },
    "SliceBackward0",
  ),
  select: viewOp<"select", SelectAttrs>(
    "select",
    (x, { dim, index }) => {
      const shape = x.shape.slice();
      const strides = x.strides.slice();
      shape.splice(dim, 1);
      strides.splice(dim, 1);
      return viewOf(x, shape, strides, x.offset + index * (x.strides[dim] as number));
    },
    (node, grad) => [selectBackward(grad, node.input(0).shape, node.attrs.dim, node.attrs.index)],
    ({ unbind }) => (unbind ? "UnbindBackward0" : "SelectBackward0"),
  ),
} as const;

/** Resolves one `-1` and checks that `shape` holds exactly `numel` elements. */
export function inferShape(
  shape: readonly number[],
  numel: number,
  op: string,
  from: Shape,
): number[] {
  if (!Array.isArray(shape)) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `shape must be an array of sizes, got ${describeValue(shape)}. Hint: e.g. ${op}([2, 3]).`,
    );
  }
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const size = shape[i];
    if (size === -1 && inferred === -1) inferred = i;
    else if (!Number.isInteger(size) || (size as number) < 0) {
      throw new TensorError(
        "INVALID_SHAPE",
        op,
        `invalid shape ${formatList(shape)}: size ${String(size)} at dim ${i}. Hint: sizes are whole numbers >= 0, with at most one -1.`,
      );
    } else known *= size as number;
  }
  const out = shape.slice();
  if (inferred !== -1) {
    if (known === 0 || numel % known !== 0) {
      throw new TensorError(
        "INVALID_SHAPE",
        op,
        `shape '${formatList(shape)}' is invalid for input of size ${numel} (shape ${formatShape(from)}). Hint: the other sizes must divide ${numel}.`,
      );
    }
    out[inferred] = numel / known;
  } else if (known !== numel) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `shape '${formatList(shape)}' is invalid for input of size ${numel} (shape ${formatShape(from)}). Hint: the sizes must multiply to ${numel}.`,
    );
  }
  return out;
}

/** Strides for viewing `x` as `shape` without copying, or null (PyTorch's `computeStride`). */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.contiguousLayout) return contiguousStrides(shape);
  const oldShape = x.shape;
  const oldStrides = x.strides;
  const newStrides = new Array<number>(shape.length);
  if (numelOf(oldShape) === 0) return contiguousStrides(shape);
  let viewD = shape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldShape[tensorD] as number;
    if (
      tensorD === 0 ||
      ((oldShape[tensorD - 1] as number) !== 1 &&
        (oldStrides[tensorD - 1] as number) !== tensorNumel * chunkBaseStride)
    ) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= shape[viewD] as number;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1] as number;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

/** A view with a new shape (one `-1` inferred); throws when the layout does not allow a view. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  checkTensorArgument(x, "view");
  const target = inferShape(shape, x.numel(), "view", x.shape);
  const strides = viewStrides(x, target);
  if (strides === null) {
    throw new TensorError(
      "NOT_A_VIEW",
      "view",
      `view size is not compatible with input tensor's size and stride (shape ${formatShape(x.shape)}, strides ${formatShape(x.strides)}). Hint: use reshape(...) instead, or call contiguous() first.`,
    );
  }
  return dispatch(viewSpecs.view, [x], { shape: target, strides });
}

/** A new shape; a view when the layout allows, else a contiguous copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensorArgument(x, "reshape");
  const target = inferShape(shape, x.numel(), "reshape", x.shape);
  if (sameShape(target, x.shape))
    return dispatch(viewSpecs.view, [x], { shape: x.shape, strides: x.strides });
  const strides = viewStrides(x, target);
  if (strides !== null) return dispatch(viewSpecs.view, [x], { shape: target, strides });
  return view(contiguous(x), target);
}

/** Flattens dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensorArgument(x, "flatten");
  if (x.ndim === 0) return reshape(x, [1]);
  const start = dimIndex(x, startDim, "flatten", "startDim");
  const end = dimIndex(x, endDim, "flatten", "endDim");
  if (start > end) {
    throw new TensorError(
      "INVALID_DIM",
      "flatten",
      `startDim ${startDim} must come before endDim ${endDim} (shape ${formatShape(x.shape)}). Hint: e.g. flatten(1) or flatten(0, -1).`,
    );
  }
  const merged = numelOf(x.shape.slice(start, end + 1));
  return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/** Swaps two dims (a view). */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensorArgument(x, "transpose");
  // a 0-d tensor accepts dims 0 and -1, which both normalise to 0
  const d0 = dimIndex(x, dim0, "transpose", "dim0");
  const d1 = dimIndex(x, dim1, "transpose", "dim1");
  return dispatch(viewSpecs.transpose, [x], { dim0: d0, dim1: d1 });
}

/** Reorders dims (a view); `dims` must name every dim once. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensorArgument(x, "permute");
  if (dims.length !== x.ndim) {
    throw new TensorError(
      "INVALID_DIM",
      "permute",
      `number of dims don't match: the input has ${x.ndim} dims (shape ${formatShape(x.shape)}) but ${dims.length} were given (${formatList(dims)}). Hint: name every dim exactly once.`,
    );
  }
  const order = dims.map((d) => dimIndex(x, d, "permute"));
  if (new Set(order).size !== order.length) {
    throw new TensorError(
      "INVALID_DIM",
      "permute",
      `repeated dim in ${formatList(dims)}. Hint: list each dim exactly once.`,
    );
  }
  return dispatch(viewSpecs.permute, [x], { dims: order });
}

/** Transpose of a tensor with at most 2 dims. */
export function t(x: Tensor): Tensor {
  checkTensorArgument(x, "t");
  if (x.ndim > 2) {
    throw new TensorError(
      "INVALID_DIM",
      "t",
      `expects a tensor with <= 2 dimensions, but got ${x.ndim}D (shape ${formatShape(x.shape)}). Hint: use transpose(dim0, dim1).`,
    );
  }
  return x.ndim < 2 ? transpose(x, 0, 0) : transpose(x, 0, 1);
}

/** Inserts a size-1 dim at `dim` (a view). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensorArgument(x, "unsqueeze");
  return dispatch(viewSpecs.unsqueeze, [x], { dim: normalizeDim(dim, x.ndim + 1, "unsqueeze") });
}

/** Removes size-1 dims: all of them, or those listed in `dim`. */
export function squeeze(x: Tensor, dim?: number | readonly number[] | null): Tensor {
  checkTensorArgument(x, "squeeze");
  if (dim !== undefined && dim !== null && typeof dim !== "number" && !Array.isArray(dim)) {
    throw new TensorError(
      "INVALID_DIM",
      "squeeze",
      `dim must be a number or an array of numbers, but got ${describeValue(dim)}. Hint: e.g. squeeze(1), or squeeze() for all size-1 dims.`,
    );
  }
  const listed =
    dim === undefined || dim === null
      ? null
      : new Set((typeof dim === "number" ? [dim] : dim).map((d) => dimIndex(x, d, "squeeze")));
  const keep = x.shape.map((size, d) => size !== 1 || (listed !== null && !listed.has(d)));
  const shape = x.shape.filter((_, d) => keep[d]);
  const strides = x.strides.filter((_, d) => keep[d]);
  return dispatch(viewSpecs.squeeze, [x], { shape, strides });
}

/** Broadcasts to `sizes` with stride 0 on new or size-1 dims (a view); `-1` keeps a size. */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensorArgument(x, "expand");
  if (sizes.length < x.ndim) {
    throw new TensorError(
      "INVALID_SHAPE",
      "expand",
      `the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim}) (shape ${formatShape(x.shape)}). Hint: expand can only add leading dims.`,
    );
  }
  if (sameShape(sizes, x.shape)) return x;
  const lead = sizes.length - x.ndim;
  const shape = new Array<number>(sizes.length);
  const strides = new Array<number>(sizes.length);
  for (let i = sizes.length - 1; i >= 0; i--) {
    const want = sizes[i] as number;
    const have = i < lead ? 1 : (x.shape[i - lead] as number);
    const size = want === -1 && i >= lead ? have : want;
    if (!Number.isInteger(size) || size < 0) {
      throw new TensorError(
        "INVALID_SHAPE",
        "expand",
        `invalid size ${describeValue(want)} at dim ${i} in ${formatList(sizes)}. Hint: sizes are whole numbers >= 0, or -1 to keep a size.`,
      );
    }
    if (have !== 1 && have !== size) {
      throw new TensorError(
        "SHAPE_MISMATCH",
        "expand",
        `the expanded size of the tensor (${size}) must match the existing size (${have}) at non-singleton dimension ${i}. Target sizes: ${formatList(sizes)}. Tensor sizes: ${formatShape(x.shape)}. Hint: only size-1 dims can be expanded.`,
      );
    }
    shape[i] = size;
    // PyTorch's inferExpandGeometry: a new size-1 dim gets the stride a contiguous layout would give it
    const inner = i + 1 < sizes.length ? (shape[i + 1] as number) * (strides[i + 1] as number) : 1;
    const own = i < lead ? inner : (x.strides[i - lead] as number);
    strides[i] = have === 1 && size !== 1 ? 0 : own;
  }
  return dispatch(viewSpecs.expand, [x], { shape, strides });
}

/** Checks the input of `narrow`, `select` and `unbind` (a tensor with dims) and normalises `dim`. */
function sliceDim(x: Tensor, dim: number, op: string): number {
  checkTensorArgument(x, op);
  if (x.ndim === 0)
    throw new TensorError("INVALID_DIM", op, "cannot be applied to a 0-dim tensor.");
  return dimIndex(x, dim, op);
}

/** Elements `start … start + length - 1` along `dim` (a view). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = sliceDim(x, dim, "narrow");
  const size = x.shape[d] as number;
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      "narrow",
      `start out of range (expected to be in range of [${-size}, ${size}], but got ${describeValue(start)}) at dim ${d} (shape ${formatShape(x.shape)}). Hint: a negative start counts from the end, as in PyTorch.`,
    );
  }
  const begin = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || begin + length > size) {
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      "narrow",
      `start (${begin}) + length (${length}) exceeds dimension size (${size}) at dim ${d} (shape ${formatShape(x.shape)}). Hint: keep start + length <= ${size}.`,
    );
  }
  return dispatch(viewSpecs.narrow, [x], { dim: d, start: begin, length });
}

/** The slice at `index` along `dim`, without that dim (a view). */
export function select(x: Tensor, dim: number, index: number, unbind = false): Tensor {
  const d = sliceDim(x, dim, "select");
  const size = x.shape[d] as number;
  const i = index < 0 ? index + size : index;
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      "select",
      `index ${index} is out of bounds for dimension ${d} with size ${size} (shape ${formatShape(x.shape)}). Hint: indices run from ${-size} to ${size - 1}.`,
    );
  }
  return dispatch(viewSpecs.select, [x], { dim: d, index: i, unbind });
}

/** All slices along `dim`. */
export function unbind(x: Tensor, dim = 0): TensorList {
  const d = sliceDim(x, dim, "unbind");
  const parts = new Array<Tensor>(x.shape[d] as number);
  for (let i = 0; i < parts.length; i++) parts[i] = select(x, d, i, true);
  return multiOutput(parts, "UnbindBackward0");
}

/** `x` itself when contiguous, else a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  checkTensorArgument(x, "contiguous");
  if (x.contiguousLayout) return x;
  return dispatch(unarySpecs.clone, [x], null);
}
