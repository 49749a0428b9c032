import { dispatch } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import { runElementwise } from "../kernels/elementwise";
import { elementOffsets } from "../kernels/strided";
import type { OpSpec } from "../op-spec";
import {
  broadcastShapes,
  broadcastStrides,
  contiguousStrides,
  numelOf,
  type Shape,
  sameShape,
} from "../shape";
import { Tensor } from "../tensor";
import { applySteps, basicView, type Layout } from "./basic-index";
import { scalarTensor } from "./elementwise";
import {
  type AdvancedItem,
  type BasicStep,
  type IndexItem,
  outOfRange,
  parseItems,
} from "./index-items";
import { inPlace } from "./inplace";
import { maskedFillKernel, selectWhere } from "./masked";
import { contiguousData, countTrue, maskBytes, trueOffsets } from "./nonzero";
import { sumTo } from "./sum-to";
import { unarySpecs } from "./unary";
import { reshape } from "./views";

/** Attributes of `index` (the advanced read): the advanced items on the input's dims. */
export interface IndexGetAttrs {
  advanced: readonly AdvancedItem[];
}

/** Attributes of `indexPut`: basic steps to a view, advanced items on it, and the write mode. */
export interface IndexPutAttrs extends IndexGetAttrs {
  steps: readonly BasicStep[];
  accumulate: boolean;
}

/**
 * Where advanced indexing reads or writes: element `(p, b, q)` of the result (row-major, shape
 * `[...pre, ...broadcast, ...post]`) lives at `offset + pre[p] + base[b] + post[q]`.
 */
interface Plan {
  shape: number[];
  pre: Int32Array;
  base: Int32Array;
  post: Int32Array;
}

/** Dims an advanced item covers: one for an index, the mask's own dims for a mask. */
const coverage = (item: AdvancedItem) => (item.tensor.dtype === "bool" ? item.tensor.ndim : 1);

/** One item's storage offsets (index value × stride), in the item's own broadcast shape. */
function contribution(item: AdvancedItem, layout: Layout, op: string) {
  const { dim, tensor } = item;
  if (tensor.dtype === "bool") {
    const mask = maskBytes(tensor);
    const count = countTrue(mask);
    const strides = layout.strides.slice(dim, dim + tensor.ndim);
    return { shape: [count], offsets: trueOffsets(mask, tensor.shape, strides, count) };
  }
  const data = contiguousData(tensor);
  const size = layout.shape[dim] as number;
  const stride = layout.strides[dim] as number;
  const offsets = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    if (value >= 0 && value < size) offsets[i] = value * stride;
    else if (value < 0 && value >= -size) offsets[i] = (value + size) * stride;
    else outOfRange(value, size, dim, op);
  }
  return { shape: tensor.shape, offsets };
}

/** The shape the items' values broadcast to (a mask counts as a 1-d index of its true count). */
function broadcastAll(shapes: readonly Shape[], op: string): Shape {
  let shape = shapes[0] as Shape;
  for (const own of shapes) {
    try {
      shape = broadcastShapes(shape, own, op);
    } catch {
      throw new TensorError(
        "SHAPE_MISMATCH",
        op,
        `shape mismatch: indexing tensors could not be broadcast together with shapes ${shapes.map(formatShape).join(", ")}. Hint: index tensors (and the true-counts of masks) must broadcast to one shape.`,
      );
    }
  }
  return shape;
}

/** The broadcast sum of the items' offsets: one offset per position of the broadcast shape. */
function combine(parts: { shape: Shape; offsets: Int32Array }[], shape: Shape): Int32Array {
  const only = parts[0] as (typeof parts)[0];
  if (parts.length === 1 && sameShape(shape, only.shape)) return only.offsets;
  const base = new Int32Array(numelOf(shape));
  for (const { shape: own, offsets } of parts) {
    if (sameShape(own, shape)) {
      for (let b = 0; b < base.length; b++) (base[b] as number) += offsets[b] as number;
      continue;
    }
    const at = elementOffsets(shape, broadcastStrides(own, contiguousStrides(own), shape));
    for (let b = 0; b < base.length; b++) (base[b] as number) += offsets[at[b] as number] as number;
  }
  return base;
}

/**
 * The view dims that advanced items do not cover, split into those before the indexed block and
 * those after it: adjacent advanced dims keep their place, separated ones move to the front
 * (PyTorch's rule), leaving every other dim after them.
 */
function otherDims(ndim: number, advanced: readonly AdvancedItem[]) {
  const covered = new Set<number>();
  let adjacent = true;
  advanced.forEach((item, i) => {
    const previous = advanced[i - 1];
    if (previous !== undefined && previous.dim + coverage(previous) !== item.dim) adjacent = false;
    for (let d = item.dim; d < item.dim + coverage(item); d++) covered.add(d);
  });
  const first = (advanced[0] as AdvancedItem).dim;
  const rest = Array.from({ length: ndim }, (_, d) => d).filter((d) => !covered.has(d));
  const pre = adjacent ? rest.filter((d) => d < first) : [];
  return { pre, post: rest.filter((d) => !pre.includes(d)) };
}

/** The shape of the advanced read of a view of `shape`, given the broadcast shape of the items. */
function advancedShape(shape: Shape, advanced: readonly AdvancedItem[], broadcast: Shape) {
  const { pre, post } = otherDims(shape.length, advanced);
  const sizes = (dims: number[]) => dims.map((d) => shape[d] as number);
  return [...sizes(pre), ...broadcast, ...sizes(post)];
}

/** The shape an advanced item contributes: its own, or `[true count]` for a mask. */
function itemShape(item: AdvancedItem): Shape {
  return item.tensor.dtype === "bool" ? [countTrue(maskBytes(item.tensor))] : item.tensor.shape;
}

/** PyTorch's advanced-indexing geometry for `advanced` items on a view with `layout`. */
function planOf(layout: Layout, advanced: readonly AdvancedItem[], op: string): Plan {
  const parts = advanced.map((item) => contribution(item, layout, op));
  const broadcast = broadcastAll(
    parts.map((part) => part.shape),
    op,
  );
  const { pre, post } = otherDims(layout.shape.length, advanced);
  const offsets = (dims: number[]) =>
    elementOffsets(
      dims.map((d) => layout.shape[d] as number),
      dims.map((d) => layout.strides[d] as number),
    );
  return {
    shape: advancedShape(layout.shape, advanced, broadcast),
    pre: offsets(pre),
    base: combine(parts, broadcast),
    post: offsets(post),
  };
}

function gatherPlan(data: TypedArray, offset: number, plan: Plan, out: TypedArray): void {
  const { pre, base, post } = plan;
  if (pre.length === 1 && post.length === 1) {
    // one indexed block (`x[mask]`, `x[index]` on the last dims): a single gather loop
    const start = offset + (pre[0] as number) + (post[0] as number);
    for (let b = 0; b < base.length; b++) out[b] = data[start + (base[b] as number)] as number;
    return;
  }
  let k = 0;
  for (let p = 0; p < pre.length; p++) {
    const row = offset + (pre[p] as number);
    for (let b = 0; b < base.length; b++) {
      const at = row + (base[b] as number);
      for (let q = 0; q < post.length; q++) out[k++] = data[at + (post[q] as number)] as number;
    }
  }
}

/** Storage positions of every element of the indexed result, in row-major order. */
function targets(offset: number, { pre, base, post }: Plan): Int32Array {
  const out = new Int32Array(pre.length * base.length * post.length);
  let k = 0;
  for (let p = 0; p < pre.length; p++) {
    for (let b = 0; b < base.length; b++) {
      const at = offset + (pre[p] as number) + (base[b] as number);
      for (let q = 0; q < post.length; q++) out[k++] = at + (post[q] as number);
    }
  }
  return out;
}

/** Writes (or with `accumulate` adds) `values`, broadcast to the indexed shape, at the plan's positions. */
function scatterPlan(
  data: TypedArray,
  offset: number,
  plan: Plan,
  values: Tensor,
  accumulate: boolean,
): void {
  const single = plan.pre.length === 1 && plan.post.length === 1;
  const at = single ? plan.base : targets(offset, plan);
  const start = single ? offset + (plan.pre[0] as number) + (plan.post[0] as number) : 0;
  const source = values.storage.data;
  // bool storage holds exactly 0 or 1: adding true to true is true (PyTorch's logical or)
  const add = accumulate && values.dtype !== "bool";
  const or = accumulate && values.dtype === "bool";
  if (values.numel() === 1) {
    const value = source[values.offset] as number;
    if (or && value === 0) return;
    if (add)
      for (let k = 0; k < at.length; k++) (data[start + (at[k] as number)] as number) += value;
    else for (let k = 0; k < at.length; k++) data[start + (at[k] as number)] = value;
    return;
  }
  const laidOut = values.contiguousLayout && sameShape(values.shape, plan.shape);
  // positions of each result element in `values` (broadcast), unless it is laid out as the result
  const from = laidOut
    ? null
    : elementOffsets(plan.shape, broadcastStrides(values.shape, values.strides, plan.shape));
  for (let k = 0; k < at.length; k++) {
    const value = source[values.offset + (from === null ? k : (from[k] as number))] as number;
    const target = start + (at[k] as number);
    if (or) data[target] = (data[target] as number) | value;
    else data[target] = add ? (data[target] as number) + value : value;
  }
}

const layoutOf = (x: Tensor): Layout => ({
  shape: x.shape.slice(),
  strides: x.strides.slice(),
  offset: x.offset,
});

function indexGetForward(inputs: readonly Tensor[], { advanced }: IndexGetAttrs): Tensor {
  const x = inputs[0] as Tensor;
  const mask = advanced.length === 1 ? (advanced[0] as AdvancedItem).tensor : null;
  if (mask?.dtype === "bool" && x.contiguousLayout && mask.contiguousLayout) {
    // `x[mask]` with a mask of x's shape: one compaction pass, no offsets array
    if (sameShape(mask.shape, x.shape)) return selectWhere(x, mask);
  }
  const plan = planOf(layoutOf(x), advanced, "index");
  const out = allocate(x.dtype, numelOf(plan.shape));
  gatherPlan(x.storage.data, x.offset, plan, out);
  return Tensor.fromData(out, plan.shape, x.dtype);
}

function indexPutInto(inputs: readonly Tensor[], attrs: IndexPutAttrs, out: Tensor): void {
  const layout = applySteps(layoutOf(out), attrs.steps);
  const values = inputs[1] as Tensor;
  const mask = attrs.advanced.length === 1 ? (attrs.advanced[0] as AdvancedItem).tensor : null;
  const fill = !attrs.accumulate && values.numel() === 1;
  if (fill && mask?.dtype === "bool" && sameShape(mask.shape, layout.shape)) {
    // `x[mask] = v` with a mask of x's shape is a masked fill: one branch-free pass, no offsets
    const view = new Tensor(out.storage, layout.shape, layout.strides, layout.offset, out.dtype);
    runElementwise(maskedFillKernel, 0, view, [view, mask, values]);
    return;
  }
  const plan =
    attrs.advanced.length === 0 ? basicPlan(layout) : planOf(layout, attrs.advanced, "indexPut");
  scatterPlan(out.storage.data, layout.offset, plan, inputs[1] as Tensor, attrs.accumulate);
}

/** The plan of a view without advanced items: every element of the view, row-major. */
function basicPlan(layout: Layout): Plan {
  const one = new Int32Array(1);
  return {
    shape: layout.shape,
    pre: one,
    base: elementOffsets(layout.shape, layout.strides),
    post: one,
  };
}

/** `x` read at the items' positions: the basic view, then the advanced read (both recorded). */
function readAt(x: Tensor, steps: readonly BasicStep[], advanced: readonly AdvancedItem[]): Tensor {
  const view = steps.length === 0 && advanced.length > 0 ? x : basicView(x, steps);
  return advanced.length === 0 ? view : dispatch(indexGetSpec, [view], { advanced });
}

/** The spec of the advanced read `x[indices]` (a copy); its backward is an accumulating put. */
export const indexGetSpec: OpSpec<"index", IndexGetAttrs> = {
  name: "index",
  forward: indexGetForward,
  backward: (node, grad) => {
    const input = node.input(0);
    const zeros = Tensor.fromData(allocate(grad.dtype, input.numel()), input.shape, grad.dtype);
    const attrs = { steps: [], advanced: node.attrs.advanced, accumulate: true };
    return [dispatch(indexPutSpec, [zeros, grad], attrs)];
  },
};

/** The spec of `indexPut` (inputs: the tensor, the values broadcast to the indexed shape). */
export const indexPutSpec: OpSpec<"indexPut", IndexPutAttrs> = {
  name: "indexPut",
  forward: (inputs, attrs) => {
    const out = unarySpecs.clone.forward([inputs[0] as Tensor], null);
    indexPutInto(inputs, attrs, out);
    return out;
  },
  into: indexPutInto,
  // the values have the indexed shape, checked by indexPut's arguments, not the target's
  keepsFirstShape: true,
  backward: (node, grad) => {
    const { steps, advanced, accumulate } = node.attrs;
    // the overwritten positions did not reach the output (unless the values were added)
    const gradX = () =>
      accumulate ? grad : dispatch(indexPutSpec, [grad, scalarTensor(0, grad.dtype)], node.attrs);
    const gradValues = () => sumTo(readAt(grad, steps, advanced), node.input(1).shape);
    return [node.needsGrad(0) ? gradX() : null, node.needsGrad(1) ? gradValues() : null];
  },
};

/**
 * Python's `x[items]`: numbers (negative count from the end), slices (`slice(1, 3)` or `'1:3'`),
 * `null` (new axis), `'...'`, int32 tensors or integer arrays, bool masks. Basic items only give a
 * view sharing `x`'s storage; any index tensor or mask gives a copy, with PyTorch's
 * advanced-indexing shape rules (separated advanced indices move to the front).
 */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  checkTensorArgument(x, "index");
  const { steps, advanced } = parseItems(x.shape, items, "index");
  return readAt(x, steps, advanced);
}

/** Options of {@link indexPut}. */
export interface IndexPutOptions {
  /** Add the values into the indexed positions (repeated positions sum), instead of writing them. */
  accumulate?: boolean;
}

/** The shape `x.index(...items)` would have, without reading any values. */
function indexedShape(
  x: Tensor,
  steps: readonly BasicStep[],
  advanced: readonly AdvancedItem[],
  op: string,
) {
  const layout = applySteps(
    { shape: x.shape.slice(), strides: contiguousStrides(x.shape), offset: 0 },
    steps,
  );
  if (advanced.length === 0) return layout.shape;
  return advancedShape(layout.shape, advanced, broadcastAll(advanced.map(itemShape), op));
}

function valuesOperand(x: Tensor, values: unknown, op: string): Tensor {
  if (typeof values === "number" || typeof values === "boolean") {
    return scalarTensor(
      x.dtype === "bool" ? Number(Number(values) !== 0) : Number(values),
      x.dtype,
    );
  }
  if (!(values instanceof Tensor)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `argument 'values' must be a Tensor or a number, but got ${describeValue(values)}. Hint: wrap arrays with tensor(...).`,
    );
  }
  if (values.dtype !== x.dtype) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `values must have the tensor's dtype ${x.dtype}, but got ${values.dtype} (PyTorch: "Index put requires the source and destination dtypes match"). Hint: convert them with values.to('${x.dtype}').`,
    );
  }
  return values;
}

/** Checks the arguments of `indexPut(_)` and returns the op's attributes and its values operand. */
function putArguments(
  x: Tensor,
  items: unknown,
  values: unknown,
  accumulate: unknown,
  op: string,
): { attrs: IndexPutAttrs; values: Tensor } {
  checkTensorArgument(x, op);
  if (!Array.isArray(items)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `argument 'items' must be an array of index items, but got ${describeValue(items)}. Hint: [0, 2] is x[0, 2], [[0, 2]] is x[[0, 2]], [mask] is x[mask].`,
    );
  }
  if (typeof accumulate !== "boolean") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `option 'accumulate' must be a boolean, but got ${describeValue(accumulate)}. Hint: { accumulate: true } sums repeated positions.`,
    );
  }
  const { steps, advanced } = parseItems(x.shape, items, op);
  const operand = valuesOperand(x, values, op);
  // a 0-d value fits any indexed shape, which then need not be computed (a mask's count)
  const fitted =
    operand.ndim === 0 ? operand : fitValues(operand, indexedShape(x, steps, advanced, op), op);
  return { attrs: { steps, advanced, accumulate }, values: fitted };
}

/** `values` broadcastable to the indexed `shape` (leading size-1 dims dropped), or throws. */
function fitValues(values: Tensor, shape: Shape, op: string): Tensor {
  // PyTorch drops leading size-1 dims of the values beyond the indexed shape (`x[0] = v[None]`)
  let lead = 0;
  while (values.ndim - lead > shape.length && values.shape[lead] === 1) lead++;
  const operand = lead > 0 ? reshape(values, values.shape.slice(lead) as number[]) : values;
  let fits = operand.ndim <= shape.length;
  try {
    fits &&= sameShape(broadcastShapes(shape, operand.shape, op), shape);
  } catch {
    fits = false;
  }
  if (!fits) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `shape mismatch: value tensor of shape ${formatShape(values.shape)} cannot be broadcast to indexing result of shape ${formatShape(shape)}. Hint: give values of shape ${formatShape(shape)}, or one that broadcasts to it (e.g. a number).`,
    );
  }
  return operand;
}

/**
 * Out-of-place index assignment, PyTorch's `index_put`: a copy of `x` with `values` (a tensor
 * broadcast to the indexed shape, or a number) written at `items`. With `accumulate`, the values
 * are added, repeated positions summing; without, the last write wins. Items are given as an
 * array: `[0, 2]` is `x[0, 2]`, `[[0, 2]]` is `x[[0, 2]]`, `[mask]` is `x[mask]`.
 */
export function indexPut(
  x: Tensor,
  items: readonly IndexItem[],
  values: Tensor | number | boolean,
  options: IndexPutOptions = {},
): Tensor {
  const { attrs, values: operand } = putArguments(
    x,
    items,
    values,
    options.accumulate ?? false,
    "indexPut",
  );
  return dispatch(indexPutSpec, [x, operand], attrs);
}

/**
 * In-place index assignment, Python's `x[items] = values` (`x.indexPut_([mask], 0)` is
 * `x[mask] = 0`): writes `values` (broadcast to the indexed shape, or a number) at `items`,
 * given as an array like {@link indexPut}'s. Recorded by autograd; a leaf that requires grad
 * refuses it outside `noGrad`.
 */
export function indexPut_<T extends Tensor>(
  x: T,
  items: readonly IndexItem[],
  values: Tensor | number | boolean,
  options: IndexPutOptions = {},
): T {
  const accumulate = options.accumulate ?? false;
  const put = putArguments(x, items, values, accumulate, "indexPut_");
  // values read from x's own memory are copied first: the writes would change what they read
  const operand = put.values.storage === x.storage ? put.values.clone() : put.values;
  return inPlace(indexPutSpec, "indexPut_", x, [operand], put.attrs);
}
