import { dispatch } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
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
import { contiguousData, countNonzero, nonzeroOffsets } from "./nonzero";
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
  const data = contiguousData(tensor);
  if (tensor.dtype === "bool") {
    const count = countNonzero(data);
    const strides = layout.strides.slice(dim, dim + tensor.ndim);
    return { shape: [count], offsets: nonzeroOffsets(data, tensor.shape, strides, count) };
  }
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

/** The broadcast sum of the items' offsets: one offset per position of the broadcast shape. */
function combine(parts: { shape: Shape; offsets: Int32Array }[], op: string) {
  let shape = (parts[0] as (typeof parts)[0]).shape;
  for (const part of parts) {
    try {
      shape = broadcastShapes(shape, part.shape, op);
    } catch {
      throw new TensorError(
        "SHAPE_MISMATCH",
        op,
        `shape mismatch: indexing tensors could not be broadcast together with shapes ${parts.map((p) => formatShape(p.shape)).join(", ")}. Hint: index tensors (and the true-counts of masks) must broadcast to one shape.`,
      );
    }
  }
  if (parts.length === 1 && sameShape(shape, parts[0]?.shape ?? [])) {
    return { shape, base: (parts[0] as (typeof parts)[0]).offsets };
  }
  const base = new Int32Array(numelOf(shape));
  for (const { shape: own, offsets } of parts) {
    if (sameShape(own, shape)) {
      for (let b = 0; b < base.length; b++) (base[b] as number) += offsets[b] as number;
      continue;
    }
    const at = elementOffsets(shape, broadcastStrides(own, contiguousStrides(own), shape));
    for (let b = 0; b < base.length; b++) (base[b] as number) += offsets[at[b] as number] as number;
  }
  return { shape, base };
}

/** PyTorch's advanced-indexing geometry for `advanced` items on a view with `layout`. */
function planOf(layout: Layout, advanced: readonly AdvancedItem[], op: string): Plan {
  const { shape, base } = combine(
    advanced.map((item) => contribution(item, layout, op)),
    op,
  );
  const covered = new Set<number>();
  let adjacent = true;
  advanced.forEach((item, i) => {
    const previous = advanced[i - 1];
    if (previous !== undefined && previous.dim + coverage(previous) !== item.dim) adjacent = false;
    for (let d = item.dim; d < item.dim + coverage(item); d++) covered.add(d);
  });
  // adjacent advanced dims keep their place; separated ones move to the front (PyTorch's rule)
  const first = (advanced[0] as AdvancedItem).dim;
  const rest = layout.shape.map((_, d) => d).filter((d) => !covered.has(d));
  const preDims = adjacent ? rest.filter((d) => d < first) : [];
  const postDims = rest.filter((d) => !preDims.includes(d));
  const sizes = (dims: number[]) => dims.map((d) => layout.shape[d] as number);
  const offsets = (dims: number[]) =>
    elementOffsets(
      sizes(dims),
      dims.map((d) => layout.strides[d] as number),
    );
  return {
    shape: [...sizes(preDims), ...shape, ...sizes(postDims)],
    pre: offsets(preDims),
    base,
    post: offsets(postDims),
  };
}

function gatherPlan(data: TypedArray, offset: number, plan: Plan, out: TypedArray): void {
  const { pre, base, post } = plan;
  let k = 0;
  for (let p = 0; p < pre.length; p++) {
    const row = offset + (pre[p] as number);
    for (let b = 0; b < base.length; b++) {
      const at = row + (base[b] as number);
      for (let q = 0; q < post.length; q++) out[k++] = data[at + (post[q] as number)] as number;
    }
  }
}

/** Writes (or with `accumulate` adds) `values`, read at `valueAt(k)` for result element k. */
function scatterPlan(
  data: TypedArray,
  offset: number,
  plan: Plan,
  values: Tensor,
  accumulate: boolean,
): void {
  const { pre, base, post } = plan;
  const source = values.storage.data;
  const same = values.contiguousLayout && sameShape(values.shape, plan.shape);
  // positions of each result element in `values` (broadcast), unless it is laid out as the result
  const from =
    values.numel() === 1 || same
      ? null
      : elementOffsets(plan.shape, broadcastStrides(values.shape, values.strides, plan.shape));
  const constant = values.numel() === 1 ? (source[values.offset] as number) : 0;
  let k = 0;
  for (let p = 0; p < pre.length; p++) {
    const row = offset + (pre[p] as number);
    for (let b = 0; b < base.length; b++) {
      const at = row + (base[b] as number);
      for (let q = 0; q < post.length; q++, k++) {
        const value =
          from === null
            ? same
              ? (source[values.offset + k] as number)
              : constant
            : (source[values.offset + (from[k] as number)] as number);
        const target = at + (post[q] as number);
        data[target] = accumulate ? (data[target] as number) + value : value;
      }
    }
  }
}

const layoutOf = (x: Tensor): Layout => ({
  shape: x.shape.slice(),
  strides: x.strides.slice(),
  offset: x.offset,
});

function indexGetForward(inputs: readonly Tensor[], { advanced }: IndexGetAttrs): Tensor {
  const x = inputs[0] as Tensor;
  const plan = planOf(layoutOf(x), advanced, "index");
  const out = allocate(x.dtype, numelOf(plan.shape));
  gatherPlan(x.storage.data, x.offset, plan, out);
  return Tensor.fromData(out, plan.shape, x.dtype);
}

function indexPutInto(inputs: readonly Tensor[], attrs: IndexPutAttrs, out: Tensor): void {
  const layout = applySteps(layoutOf(out), attrs.steps);
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
    base: one,
    post: elementOffsets(layout.shape, layout.strides),
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
  backward: (node, grad) => {
    const { steps, advanced, accumulate } = node.attrs;
    const zero = scalarTensor(0, grad.dtype);
    const gradX = accumulate ? grad : dispatch(indexPutSpec, [grad, zero], node.attrs);
    const values = node.input(1);
    return [
      node.needsGrad(0) ? gradX : null,
      node.needsGrad(1) ? sumTo(readAt(grad, steps, advanced), values.shape) : null,
    ];
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
  return advanced.length === 0 ? layout.shape : planOf(layout, advanced, op).shape;
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
  const shape = indexedShape(x, steps, advanced, op);
  let operand = valuesOperand(x, values, op);
  // PyTorch drops leading size-1 dims of the values beyond the indexed shape (`x[0] = v[None]`)
  let lead = 0;
  while (operand.ndim - lead > shape.length && operand.shape[lead] === 1) lead++;
  if (lead > 0) operand = reshape(operand, operand.shape.slice(lead) as number[]);
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
      `shape mismatch: value tensor of shape ${formatShape((values as Tensor).shape)} cannot be broadcast to indexing result of shape ${formatShape(shape)}. Hint: give values of shape ${formatShape(shape)}, or one that broadcasts to it (e.g. a number).`,
    );
  }
  return { attrs: { steps, advanced, accumulate }, values: operand };
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
  values: Tensor | number,
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
  values: Tensor | number,
  options: IndexPutOptions = {},
): T {
  const accumulate = options.accumulate ?? false;
  const put = putArguments(x, items, values, accumulate, "indexPut_");
  // values read from x's own memory are copied first: the writes would change what they read
  const operand = put.values.storage === x.storage ? put.values.clone() : put.values;
  return inPlace(indexPutSpec, "indexPut_", x, [operand], put.attrs, true);
}
