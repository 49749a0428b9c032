import { describeValue, formatShape, TensorError } from "./errors";

/** A tensor's size along each dimension. */
export type Shape = readonly number[];

/** Number of elements of a tensor of this shape (1 for a 0-d tensor). */
export function numelOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i] as number;
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= Math.max(shape[i] as number, 1); // size-0 dims stride as size 1, as in PyTorch
  }
  return strides;
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The most elements one tensor may hold (typed arrays are indexed by 32-bit integers here). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Throws `INVALID_SHAPE` when a tensor of `numel` elements could not be allocated. */
export function checkNumel(numel: number, op: string, what: string): void {
  if (numel > MAX_ELEMENTS) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `${what} would hold ${numel} elements, more than the ${MAX_ELEMENTS} a tensor can hold. Hint: use smaller sizes.`,
    );
  }
}

/** Checks a user-given shape: whole, non-negative, finite sizes. */
export function checkShape(shape: unknown, op: string, argument = "shape"): number[] {
  if (!Array.isArray(shape)) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `${argument} must be an array of sizes, got ${describeValue(shape)}. Hint: pass e.g. [2, 3].`,
    );
  }
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new TensorError(
        "INVALID_SHAPE",
        op,
        `${argument} ${formatList(shape)} has an invalid size ${describeValue(size)}. Hint: sizes must be whole numbers >= 0.`,
      );
    }
  }
  checkNumel(numelOf(shape), op, `${argument} ${formatList(shape)}`);
  return shape.slice();
}

/**
 * A shape as PyTorch's creators take it: one array (`zeros([2, 3])`) or the sizes as separate
 * numbers (`zeros(2, 3)`), then optionally the options object.
 */
export type SizeArgs<Options> =
  | readonly [shape: readonly number[], options?: Options]
  | readonly [...sizes: [number, ...number[]]]
  | readonly [...sizes: [number, ...number[]], options: Options | undefined];

/** Splits creator arguments ({@link SizeArgs}) into a checked shape and the options. */
export function sizeArguments<Options>(
  args: readonly unknown[],
  op: string,
): [shape: number[], options: Options | undefined] {
  if (Array.isArray(args[0])) return [checkShape(args[0], op), args[1] as Options | undefined];
  const last = args[args.length - 1];
  const hasOptions =
    args.length > 1 && (last === undefined || (typeof last === "object" && last !== null));
  const sizes = hasOptions ? args.slice(0, -1) : args;
  if (sizes.length === 0 || sizes.some((size) => typeof size !== "number")) {
    throw new TensorError(
      "INVALID_SHAPE",
      op,
      `expected the sizes as numbers or one array, but got (${args.map(describeValue).join(", ")}). Hint: ${op}(2, 3) or ${op}([2, 3]); ${op}([]) is 0-d.`,
    );
  }
  return [checkShape(sizes, op, "size"), (hasOptions ? last : undefined) as Options | undefined];
}

/** `[a, b, …]` with each value described as in error messages (strings quoted, objects named). */
export function formatList(values: readonly unknown[]): string {
  return `[${values.map(describeValue).join(", ")}]`;
}

/** Broadcasts two shapes as NumPy and PyTorch do, or throws a `SHAPE_MISMATCH` naming the dim. */
export function broadcastShapes(a: Shape, b: Shape, op: string): Shape {
  if (b.length === 0 || sameShape(a, b)) return a; // a 0-d operand never changes the shape
  if (a.length === 0) return b;
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const sizeA = a[i - rank + a.length] ?? 1;
    const sizeB = b[i - rank + b.length] ?? 1;
    if (sizeA !== sizeB && sizeA !== 1 && sizeB !== 1) {
      throw new TensorError(
        "SHAPE_MISMATCH",
        op,
        `the size of tensor a (${sizeA}) must match the size of tensor b (${sizeB}) at non-singleton dimension ${i} (shapes ${formatShape(a)} and ${formatShape(b)})`,
      );
    }
    out[i] = sizeA === 1 ? sizeB : sizeA;
  }
  // Reusing an operand's (immutable) shape array lets ops keep their fast same-shape paths.
  if (sameShape(out, a)) return a;
  return sameShape(out, b) ? b : out;
}

/** Strides that read a tensor of `shape`/`strides` as if expanded to `target` (0 on broadcast dims). */
export function broadcastStrides(
  shape: Shape,
  strides: readonly number[],
  target: Shape,
): number[] {
  const out = new Array<number>(target.length);
  const lead = target.length - shape.length;
  for (let i = 0; i < target.length; i++) {
    out[i] = i < lead || shape[i - lead] === 1 ? 0 : (strides[i - lead] as number);
  }
  return out;
}

/** Wraps a possibly negative dim into `[0, ndim)`, or throws `INVALID_DIM`. */
export function normalizeDim(dim: number, ndim: number, op: string, argument = "dim"): number {
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim)) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `${argument} must be a whole number, but got ${describeValue(dim)}. Hint: dims count from 0; negative dims count from the end.`,
    );
  }
  if (dim < -rank || dim >= rank) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `${argument} ${dim} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? "" : "s"} (expected to be in range of [${-rank}, ${rank - 1}]). Hint: dims count from 0; negative dims count from the end.`,
    );
  }
  return dim < 0 ? dim + rank : dim;
}

const allDims: number[][] = [];

/** Normalises a `dim` argument (number, array or undefined = all dims) into sorted unique dims. */
export function normalizeDims(
  dim: number | readonly number[] | undefined | null,
  ndim: number,
  op: string,
): readonly number[] {
  if (dim === undefined || dim === null) {
    allDims[ndim] ??= Array.from({ length: ndim }, (_, i) => i);
    return allDims[ndim] as number[];
  }
  if (typeof dim !== "number" && !Array.isArray(dim)) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `dim must be a number, an array of numbers or undefined, but got ${describeValue(dim)}. Hint: e.g. sum(0) or sum([0, 1]).`,
    );
  }
  if (ndim === 0) {
    for (const d of typeof dim === "number" ? [dim] : dim) normalizeDim(d, 0, op);
    return [];
  }
  if (typeof dim === "number") return [normalizeDim(dim, ndim, op)];
  const dims = dim.map((d) => normalizeDim(d, ndim, op));
  if (new Set(dims).size !== dims.length) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `dim ${formatList(dim)} names a dimension twice. Hint: list each dim once.`,
    );
  }
  return dims.sort((x, y) => x - y);
}
