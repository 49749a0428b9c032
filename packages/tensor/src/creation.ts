import { allocate, checkDType, type DType, isFloating, type TypedArray } from "./dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "./errors";
import { checkNumel, checkShape, numelOf, type Shape, type SizeArgs, sizeArguments } from "./shape";
import { Tensor } from "./tensor";

/** Options every creation function takes. */
export interface CreationOptions {
  /** Element type; `float32` unless the function says otherwise. */
  dtype?: DType;
  /** Make the new tensor a leaf that records gradients. */
  requiresGrad?: boolean;
}

/** Nested arrays of numbers or booleans (any depth), as accepted by {@link tensor}. */
export type NestedArray = number | boolean | readonly NestedArray[];

function finish(
  data: TypedArray,
  shape: Shape,
  dtype: DType,
  options: CreationOptions | undefined,
  op: string,
): Tensor {
  const result = Tensor.fromData(data, shape, dtype);
  if (options?.requiresGrad) {
    // What requiresGrad_() checks of a fresh leaf, with a message about the option.
    if (!isFloating(dtype)) {
      throw new TensorError(
        "INVALID_DTYPE",
        op,
        `only tensors of floating point dtype can require gradients, but dtype is ${dtype}. Hint: use dtype 'float32' or 'float64' with requiresGrad.`,
      );
    }
    result.requiresGrad = true;
  }
  return result;
}

function dtypeOf(options: CreationOptions | undefined, fallback: DType, op: string): DType {
  return options?.dtype === undefined ? fallback : checkDType(options.dtype, op);
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0] as NestedArray;
  }
  return shape;
}

/** The leaves of rectangular nested arrays in row-major order (ragged or odd input throws). */
function leavesOf(data: NestedArray, shape: readonly number[], op: string): (number | boolean)[] {
  const leaves: (number | boolean)[] = [];
  const walk = (value: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof value === "number" || typeof value === "boolean") leaves.push(value);
      else if (Array.isArray(value)) {
        throw new TensorError(
          "RAGGED_ARRAY",
          op,
          `expected a number at index [${path.join(", ")}] but found a nested array (shape so far ${formatShape(shape)}). Hint: every row must have the same length.`,
        );
      } else {
        throw new TensorError(
          "INVALID_ARGUMENT",
          op,
          `could not convert ${describeValue(value)}${path.length > 0 ? ` at index [${path.join(", ")}]` : ""} to a number. Hint: pass numbers, booleans or nested arrays of them.`,
        );
      }
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new TensorError(
        "RAGGED_ARRAY",
        op,
        `expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(value) ? value.length : describeValue(value)} at index [${path.join(", ")}]). Hint: nested arrays must be rectangular.`,
      );
    }
    for (let i = 0; i < value.length; i++) walk(value[i] as NestedArray, dim + 1, [...path, i]);
  };
  walk(data, 0, []);
  return leaves;
}

/** The int32 range (an enum, so that bundlers inline the numbers). */
enum Int32 {
  MIN = -(2 ** 31),
  MAX = 2 ** 31 - 1,
}

/** Converts a JS value for storage in `dtype` the way PyTorch converts Python scalars. */
function convert(value: number | boolean, dtype: DType, op: string, where: () => string): number {
  const number = Number(value);
  if (dtype === "bool") return number !== 0 ? 1 : 0; // NaN is true, like bool(nan)
  if (dtype === "int32") {
    if (!Number.isFinite(number) || number > Int32.MAX || number < Int32.MIN) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `value ${number}${where()} does not fit in int32 (range [${Int32.MIN}, ${Int32.MAX}]). Hint: use dtype 'float32' or 'float64'.`,
      );
    }
    return Math.trunc(number);
  }
  return number;
}

/** Copies `values` into a new array of `dtype`, converting as PyTorch does. */
function fill(values: ArrayLike<number | boolean>, dtype: DType, op: string): TypedArray {
  const out = allocate(dtype, values.length);
  const exact = isFloating(dtype);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number | boolean;
    out[i] = exact ? Number(value) : convert(value, dtype, op, () => ` at index ${i}`);
  }
  return out;
}

const typedArrayDTypes: [new (length: number) => TypedArray, DType][] = [
  [Float32Array, "float32"],
  [Float64Array, "float64"],
  [Int32Array, "int32"],
  [Uint8Array, "bool"],
];

/**
 * Creates a tensor from a number, a boolean, nested arrays or a typed array (copied). Numbers
 * give float32 and booleans alone give bool, unless `dtype` says otherwise; values are converted
 * to `dtype` as PyTorch converts them (int32 truncates and must fit; bool is `value != 0`).
 */
export function tensor(data: NestedArray | TypedArray | Tensor, options?: CreationOptions): Tensor {
  if (data instanceof Tensor) {
    const dtype = dtypeOf(options, data.dtype, "tensor");
    return finish(data.detach().to(dtype).toTypedArray(), data.shape, dtype, options, "tensor");
  }
  if (ArrayBuffer.isView(data)) {
    const kind = typedArrayDTypes.find(([type]) => data instanceof type);
    if (kind === undefined) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "tensor",
        `cannot read ${describeValue(data)}. Hint: pass a Float32Array, Float64Array, Int32Array or Uint8Array (or a plain array).`,
      );
    }
    const dtype = dtypeOf(options, kind[1], "tensor");
    const values = data as TypedArray;
    const out =
      dtype === kind[1] && dtype !== "bool" ? values.slice() : fill(values, dtype, "tensor");
    return finish(out, [values.length], dtype, options, "tensor");
  }
  const shape = inferShape(data);
  checkNumel(numelOf(shape), "tensor", `data of shape ${formatShape(shape)}`);
  const leaves = leavesOf(data, shape, "tensor");
  const inferred =
    leaves.length > 0 && leaves.every((v) => typeof v === "boolean") ? "bool" : "float32";
  const dtype = dtypeOf(options, inferred, "tensor");
  return finish(fill(leaves, dtype, "tensor"), shape, dtype, options, "tensor");
}

/** A tensor of `shape` filled with `value`. */
export function full(
  shape: readonly number[],
  value: number | boolean,
  options?: CreationOptions,
): Tensor {
  return filled(shape, options, value, "full");
}

function filled(
  shape: readonly number[],
  options: CreationOptions | undefined,
  value: number | boolean,
  op: string,
): Tensor {
  const size = checkShape(shape, op);
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `fill value must be a number or a boolean, but got ${describeValue(value)}.`,
    );
  }
  const dtype = dtypeOf(options, typeof value === "boolean" ? "bool" : "float32", op);
  const out = allocate(dtype, numelOf(size));
  out.fill(convert(value, dtype, op, () => ""));
  return finish(out, size, dtype, options, op);
}

/** A tensor of zeros: `zeros(2, 3)` or `zeros([2, 3])`, then options (`zeros(2, { dtype })`). */
export function zeros(...args: SizeArgs<CreationOptions>): Tensor {
  return filled(...sizeArguments<CreationOptions>(args, "zeros"), 0, "zeros");
}

/** A tensor of ones: `ones(3, 1)` or `ones([3, 1])`, then options. */
export function ones(...args: SizeArgs<CreationOptions>): Tensor {
  return filled(...sizeArguments<CreationOptions>(args, "ones"), 1, "ones");
}

/**
 * A new tensor whose values are to be overwritten (`torch.empty`): `empty(2, 3)` or
 * `empty([2, 3])`. Its contents are unspecified (today zeros, since fresh buffers are zeroed).
 */
export function empty(...args: SizeArgs<CreationOptions>): Tensor {
  return filled(...sizeArguments<CreationOptions>(args, "empty"), 0, "empty");
}

/** Zeros with `x`'s shape and dtype (unless overridden). */
export function zerosLike(x: Tensor, options?: CreationOptions): Tensor {
  checkTensorArgument(x, "zerosLike");
  return filled(x.shape, { dtype: x.dtype, ...options }, 0, "zerosLike");
}

/** Ones with `x`'s shape and dtype (unless overridden). */
export function onesLike(x: Tensor, options?: CreationOptions): Tensor {
  checkTensorArgument(x, "onesLike");
  return filled(x.shape, { dtype: x.dtype, ...options }, 1, "onesLike");
}

/** An {@link empty} tensor with `x`'s shape and dtype (unless overridden). */
export function emptyLike(x: Tensor, options?: CreationOptions): Tensor {
  checkTensorArgument(x, "emptyLike");
  return filled(x.shape, { dtype: x.dtype, ...options }, 0, "emptyLike");
}

/** `value`s with `x`'s shape and dtype (unless overridden). */
export function fullLike(x: Tensor, value: number | boolean, options?: CreationOptions): Tensor {
  checkTensorArgument(x, "fullLike");
  return filled(x.shape, { dtype: x.dtype, ...options }, value, "fullLike");
}

function checkFinite(values: Record<string, number>, op: string): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `${name} must be a finite number, but got ${describeValue(value)}.`,
      );
    }
  }
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`; `arange(n)` is `0 … n-1`.
 * All-integer arguments give int32, otherwise float32.
 */
export function arange(start: number, end?: number, step = 1, options?: CreationOptions): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  checkFinite({ start: from, end: to, step }, "arange");
  if (step === 0)
    throw new TensorError(
      "INVALID_ARGUMENT",
      "arange",
      "step must be nonzero. Hint: use a positive step to count up, a negative one to count down.",
    );
  if ((to - from) / step < 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "arange",
      `the range from start ${from} to end ${to} cannot be walked with step ${step}. Hint: use a positive step when end > start and a negative one when end < start.`,
    );
  }
  const integral = [from, to, step].every(Number.isInteger);
  const dtype = dtypeOf(options, integral ? "int32" : "float32", "arange");
  const n = Math.ceil((to - from) / step) + 0; // + 0 turns -0 into 0
  checkNumel(n, "arange", `arange(${from}, ${to}, ${step})`);
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = from + i * step;
  return finish(out, [n], dtype, options, "arange");
}

/** `steps` evenly spaced values from `start` to `end`, both included. */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options?: CreationOptions,
): Tensor {
  checkFinite({ start, end }, "linspace");
  if (!Number.isInteger(steps) || steps < 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "linspace",
      `number of steps must be a non-negative integer, but got ${describeValue(steps)}.`,
    );
  }
  checkNumel(steps, "linspace", `linspace with ${steps} steps`);
  const dtype = dtypeOf(options, "float32", "linspace");
  const out = allocate(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  // PyTorch fills the first half from `start` and the second half from `end`, for symmetry.
  for (let i = 0; i < steps; i++)
    out[i] = i < half || steps === 1 ? start + step * i : end - step * (steps - 1 - i);
  return finish(out, [steps], dtype, options, "linspace");
}

/** The `n × m` identity matrix (`m` defaults to `n`). */
export function eye(n: number, m: number = n, options?: CreationOptions): Tensor {
  const shape = checkShape([n, m], "eye", "size");
  const dtype = dtypeOf(options, "float32", "eye");
  const out = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return finish(out, shape, dtype, options, "eye");
}
