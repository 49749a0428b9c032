import { tensor } from "../creation";
import { describeValue, formatShape, TensorError } from "../errors";
import type { Shape } from "../shape";
import { Tensor } from "../tensor";

function checkBound(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "slice",
      `slice ${name} must be a whole number or null, but got ${describeValue(value)}. Hint: e.g. slice(1, 3) or slice(null, null, 2).`,
    );
  }
  return value;
}

/**
 * Python's `slice(start, stop, step)`: `null` bounds mean "from the beginning" / "to the end";
 * bounds are clamped to the dim as Python clamps them, and the step must be positive (as in
 * PyTorch, which has no negative steps). Build one with `slice(...)` or a string like `'1:3'`.
 */
export class Slice {
  /** First position (negative counts from the end), or null for the beginning. */
  readonly start: number | null;
  /** Position after the last one (negative counts from the end), or null for the end. */
  readonly stop: number | null;
  /** Distance between positions (a whole number > 0; 1 when omitted). */
  readonly step: number;

  /** Checks the bounds (whole numbers or null) and the step (> 0), as `slice(...)` does. */
  constructor(start: number | null = null, stop: number | null = null, step: number | null = null) {
    this.start = checkBound(start, "start");
    this.stop = checkBound(stop, "stop");
    this.step = checkBound(step, "step") ?? 1;
    if (this.step === 0) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "slice",
        "slice step cannot be zero. Hint: omit the step for 1, e.g. slice(1, 3) or '1:3'.",
      );
    }
    if (this.step < 0) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "slice",
        `step must be greater than zero, but got ${this.step} (PyTorch has no negative steps). Hint: reverse with flip(dims) instead.`,
      );
    }
  }

  /** The slice in Python's spelling, e.g. `1:3` or `::2`. */
  toString(): string {
    const bound = (value: number | null) => (value === null ? "" : String(value));
    const step = this.step === 1 ? "" : `:${this.step}`;
    return `${bound(this.start)}:${bound(this.stop)}${step}`;
  }

  /** Python's `slice.indices(size)` for a positive step: the first position and the count. */
  resolve(size: number): { start: number; length: number } {
    const clampBound = (value: number | null, fallback: number) => {
      if (value === null) return fallback;
      const position = value < 0 ? value + size : value;
      return Math.min(Math.max(position, 0), size);
    };
    const start = clampBound(this.start, 0);
    const stop = clampBound(this.stop, size);
    const length = stop > start ? Math.ceil((stop - start) / this.step) : 0;
    return { start, length };
  }
}

/**
 * Python's `slice(...)` for {@link Tensor.index}: `slice(1, 3)` is `x[1:3]`, `slice(null, null, 2)`
 * is `x[::2]`, `slice(-2, null)` is `x[-2:]`. As in Python, a single argument is the stop:
 * `slice(3)` is `x[:3]`. A zero or negative step throws (`INVALID_ARGUMENT`), as in PyTorch.
 */
export function slice(
  ...bounds:
    | [stop?: number | null]
    | [start: number | null, stop: number | null, step?: number | null]
): Slice {
  if (bounds.length === 1) return new Slice(null, bounds[0]);
  return new Slice(bounds[0], bounds[1], bounds[2]);
}

const SLICE_TEXT = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

/** Slices parsed from strings, by text: loops index with the same few spellings. */
const parsed = new Map<string, Slice>();

/** Parses Python's slice spelling (`'1:3'`, `':'`, `'::2'`, `'-2:'`) into a {@link Slice}. */
export function parseSlice(text: string): Slice {
  return sliceFromText(text, "slice");
}

/** {@link parseSlice} for an op that names itself in the error. */
function sliceFromText(text: string, op: string): Slice {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const match = SLICE_TEXT.exec(text);
  if (match === null) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${JSON.stringify(text)} is not a slice. Hint: write 'start:stop' or 'start:stop:step' with whole numbers, any part may be empty (e.g. '1:3', ':', '::2', '-2:'), or '...' for an ellipsis.`,
    );
  }
  const number = (part: string | undefined) => (part === undefined ? null : Number(part));
  const result = new Slice(number(match[1]), number(match[2]), number(match[3]));
  if (parsed.size < 256) parsed.set(text, result);
  return result;
}

/** A multi-dimensional JS index array: integers (an index) or booleans (a mask). */
export type NestedIndexArray = readonly (number | boolean | NestedIndexArray)[];

/**
 * One item of Python's `x[...]`: a number, a {@link Slice} or its string form (`'1:3'`), `null`
 * (a new axis, Python's `None`), `'...'` (Ellipsis), an int32 tensor or integer array (advanced
 * indexing) or a bool tensor or boolean array (a mask).
 */
export type IndexItem = number | Slice | string | null | Tensor | NestedIndexArray;

/** A basic (view-making) step, in the order the items apply them. */
export type BasicStep =
  | { readonly kind: "select"; readonly dim: number; readonly index: number }
  | {
      readonly kind: "slice";
      readonly dim: number;
      readonly start: number;
      readonly step: number;
      readonly length: number;
    }
  | { readonly kind: "unsqueeze"; readonly dim: number };

/**
 * One advanced item, placed on the view the basic steps make: an int32 `index` (contiguous) for
 * view dim `dim`, or a bool `mask` covering dims `dim … dim + mask.ndim - 1`.
 */
export interface AdvancedItem {
  readonly dim: number;
  readonly tensor: Tensor;
}

/** Items resolved against a shape: the basic steps, then the advanced items on the view. */
export interface ParsedItems {
  readonly steps: readonly BasicStep[];
  readonly advanced: readonly AdvancedItem[];
}

type Classified =
  | { kind: "number"; value: number }
  | { kind: "slice"; value: Slice }
  | { kind: "none" }
  | { kind: "ellipsis" }
  | { kind: "tensor"; value: Tensor };

function leavesOf(value: NestedIndexArray): unknown[] {
  return value.flatMap((entry) => (Array.isArray(entry) ? leavesOf(entry) : [entry]));
}

function asIndexTensor(value: NestedIndexArray, position: number, op: string): Tensor {
  try {
    const leaves = leavesOf(value);
    const isMask = leaves.length > 0 && leaves.every((leaf) => typeof leaf === "boolean");
    if (isMask) return tensor(value as never, { dtype: "bool" });
    if (leaves.every((leaf) => Number.isInteger(leaf))) {
      return tensor(value as never, { dtype: "int32" });
    }
  } catch (error) {
    if (!TensorError.isInstance(error)) throw error;
  }
  throw new TensorError(
    "INVALID_DTYPE",
    op,
    `item ${position} must be an array of whole numbers (an index) or of booleans (a mask), with a regular shape, but got ${describeValue(value)}. Hint: e.g. [0, 2] or [[0, 1], [1, 2]]; round floats first.`,
  );
}

function classify(item: unknown, position: number, op: string): Classified {
  if (item === null) return { kind: "none" };
  if (typeof item === "number") {
    if (Number.isInteger(item)) return { kind: "number", value: item };
  } else if (item instanceof Slice) return { kind: "slice", value: item };
  else if (typeof item === "string") {
    return item.trim() === "..."
      ? { kind: "ellipsis" }
      : { kind: "slice", value: sliceFromText(item, op) };
  } else if (item instanceof Tensor) {
    // PyTorch reads a 0-d integer tensor as a number (a view), not as an advanced index
    if (item.dtype === "int32" && item.ndim === 0) return { kind: "number", value: item.item() };
    if (item.dtype === "int32" || item.dtype === "bool") return { kind: "tensor", value: item };
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `tensors used as indices must be int32 or bool, but item ${position} is a ${item.dtype} tensor of shape ${formatShape(item.shape)}. Hint: convert it with .int() (or .bool() for a mask).`,
    );
  } else if (Array.isArray(item))
    return { kind: "tensor", value: asIndexTensor(item, position, op) };
  throw new TensorError(
    "INVALID_ARGUMENT",
    op,
    `item ${position} is ${describeValue(item)}, which is not an index. Hint: use a whole number, slice(start, stop, step) or '1:3', null (new axis), '...', an int32 tensor or integer array, or a bool mask.`,
  );
}

/** How many dims of the input an item consumes (a mask consumes its own dims). */
function consumed(item: Classified): number {
  if (item.kind === "number" || item.kind === "slice") return 1;
  if (item.kind === "tensor") return item.value.dtype === "bool" ? item.value.ndim : 1;
  return 0;
}

function checkMask(mask: Tensor, shape: Shape, dim: number, dims: readonly number[], op: string) {
  const covered = shape.slice(dim, dim + mask.ndim);
  if (covered.length === mask.ndim && covered.every((size, i) => size === mask.shape[i])) return;
  throw new TensorError(
    "SHAPE_MISMATCH",
    op,
    `the mask of shape ${formatShape(mask.shape)} does not match the indexed dims ${formatShape(covered)} (dims ${dims[dim] ?? dim}… of the input). Hint: a mask must have exactly the sizes of the dims it covers.`,
  );
}

/** Throws the out-of-range error for item value `value` on input dim `dim` of size `size`. */
export function outOfRange(value: number, size: number, dim: number, op: string): never {
  throw new TensorError(
    "INDEX_OUT_OF_RANGE",
    op,
    `index ${value} is out of bounds for dimension ${dim} with size ${size}. Hint: indices run from ${-size} to ${size - 1}.`,
  );
}

/**
 * Resolves `items` against a tensor of `shape` as Python's `x[items]` does: numbers, slices and
 * `null` become basic steps (a view), `'...'` skips dims, and index tensors and masks become
 * advanced items on the view's dims. Checks everything that depends only on shapes.
 */
export function parseItems(shape: Shape, items: readonly unknown[], op: string): ParsedItems {
  const classified = items.map((item, i) => classify(item, i, op));
  const ellipses = classified.filter((item) => item.kind === "ellipsis").length;
  if (ellipses > 1) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `an index can only have a single ellipsis ('...'), but got ${ellipses}. Hint: keep one '...'.`,
    );
  }
  const specified = classified.reduce((count, item) => count + consumed(item), 0);
  if (specified > shape.length) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `too many indices for tensor of dimension ${shape.length} (shape ${formatShape(shape)}): the items index ${specified} dims. Hint: give at most one item per dim (null and '...' do not count).`,
    );
  }
  const view = shape.slice();
  // input dim behind each view dim (-1 for a new axis), for error messages
  const origin = shape.map((_, d) => d);
  const steps: BasicStep[] = [];
  const advanced: AdvancedItem[] = [];
  let dim = 0;
  for (const item of classified) {
    if (item.kind === "number") {
      const size = view[dim] as number;
      if (item.value < -size || item.value >= size) {
        outOfRange(item.value, size, origin[dim] as number, op);
      }
      steps.push({ kind: "select", dim, index: item.value < 0 ? item.value + size : item.value });
      view.splice(dim, 1);
      origin.splice(dim, 1);
    } else if (item.kind === "slice") {
      const { start, length } = item.value.resolve(view[dim] as number);
      steps.push({ kind: "slice", dim, start, step: item.value.step, length });
      view[dim++] = length;
    } else if (item.kind === "none") {
      steps.push({ kind: "unsqueeze", dim });
      view.splice(dim, 0, 1);
      origin.splice(dim++, 0, -1);
    } else if (item.kind === "ellipsis") {
      dim += shape.length - specified;
    } else if (item.value.dtype === "bool" && item.value.ndim === 0) {
      // PyTorch: a 0-d mask adds a size-1 axis and keeps it (true) or empties it (false)
      steps.push({ kind: "unsqueeze", dim });
      view.splice(dim, 0, 1);
      origin.splice(dim, 0, -1);
      const keep = item.value.item<boolean>() ? [0] : [];
      advanced.push({ dim: dim++, tensor: tensor(keep, { dtype: "int32" }) });
    } else {
      const value = item.value;
      if (value.dtype === "bool") checkMask(value, view, dim, origin, op);
      const contiguous = value.contiguousLayout ? value : value.contiguous();
      advanced.push({ dim, tensor: contiguous });
      dim += consumed(item);
    }
  }
  return { steps, advanced };
}
