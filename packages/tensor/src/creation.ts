import { allocate, checkDType, type DType, type TypedArray } from "./dtype";
import { formatShape, TensorError } from "./errors";
import { setRequiresGrad } from "./ops/cast";
import { checkShape, numelOf, type Shape } from "./shape";
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
    try {
      setRequiresGrad(result, true);
    } catch {
      throw new TensorError(
        "INVALID_DTYPE",
        op,
        `only tensors of floating point dtype can require gradients, but dtype is ${dtype}. Hint: use dtype 'float32' or 'float64' with requiresGrad.`,
      );
    }
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

function flatten(data: NestedArray, shape: readonly number[], out: TypedArray, op: string): void {
  let position = 0;
  const walk = (value: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof value === "number") out[position++] = value;
      else if (typeof value === "boolean") out[position++] = value ? 1 : 0;
      else
        throw new TensorError(
          Array.isArray(value) ? "RAGGED_ARRAY" : "INVALID_ARGUMENT",
          op,
          Array.isArray(value)
            ? `expected a number at index [${path.join(", ")}] but found a nested array (shape so far ${formatShape(shape)}). Hint: every row must have the same length.`
            : `could not convert ${String(value)} (${typeof value}) at index [${path.join(", ")}] to a number.`,
        );
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new TensorError(
        "RAGGED_ARRAY",
        op,
        `expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(value) ? value.length : typeof value} at index [${path.join(", ")}]). Hint: nested arrays must be rectangular.`,
      );
    }
    for (let i = 0; i < value.length; i++) walk(value[i] as NestedArray, dim + 1, [...path, i]);
  };
  walk(data, 0, []);
}

function firstLeaf(data: NestedArray): unknown {
  let level: unknown = data;
  while (Array.isArray(level) && level.length > 0) level = level[0];
  return level;
}

/**
 * Creates a tensor from a number, a boolean, nested arrays or a typed array (copied). Numbers
 * give float32 and booleans give bool unless `dtype` says otherwise.
 */
export function tensor(data: NestedArray | TypedArray | Tensor, options?: CreationOptions): Tensor {
  if (data instanceof Tensor) {
    const dtype = dtypeOf(options, data.dtype, "tensor");
    return finish(data.detach().to(dtype).toTypedArray(), data.shape, dtype, options, "tensor");
  }
  if (ArrayBuffer.isView(data)) {
    const dtype = dtypeOf(
      options,
      data instanceof Float64Array
        ? "float64"
        : data instanceof Int32Array
          ? "int32"
          : data instanceof Uint8Array
            ? "bool"
            : "float32",
      "tensor",
    );
    const out = allocate(dtype, data.length);
    out.set(data as never);
    return finish(out, [data.length], dtype, options, "tensor");
  }
  const leaf = firstLeaf(data);
  if (
    typeof leaf !== "number" &&
    typeof leaf !== "boolean" &&
    !(Array.isArray(leaf) && leaf.length === 0)
  ) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "tensor",
      `could not infer a dtype from ${leaf === undefined ? "undefined" : typeof leaf} data. Hint: pass numbers, booleans or nested arrays of them.`,
    );
  }
  const dtype = dtypeOf(options, typeof leaf === "boolean" ? "bool" : "float32", "tensor");
  const shape = inferShape(data);
  const out = allocate(dtype, numelOf(shape));
  flatten(data, shape, out, "tensor");
  return finish(out, shape, dtype, options, "tensor");
}

/** A tensor of `shape` filled with `value`. */
export function full(
  shape: readonly number[],
  value: number | boolean,
  options?: CreationOptions,
): Tensor {
  const size = checkShape(shape, "full");
  const dtype = dtypeOf(options, typeof value === "boolean" ? "bool" : "float32", "full");
  const out = allocate(dtype, numelOf(size));
  out.fill(Number(value));
  return finish(out, size, dtype, options, "full");
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], options?: CreationOptions): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options?: CreationOptions): Tensor {
  return full(shape, 1, options);
}

/** Zeros with `x`'s shape and dtype (unless overridden). */
export function zerosLike(x: Tensor, options?: CreationOptions): Tensor {
  return full(x.shape as number[], 0, { dtype: x.dtype, ...options });
}

/** Ones with `x`'s shape and dtype (unless overridden). */
export function onesLike(x: Tensor, options?: CreationOptions): Tensor {
  return full(x.shape as number[], 1, { dtype: x.dtype, ...options });
}

/** `value`s with `x`'s shape and dtype (unless overridden). */
export function fullLike(x: Tensor, value: number | boolean, options?: CreationOptions): Tensor {
  return full(x.shape as number[], value, { dtype: x.dtype, ...options });
}

function checkFinite(values: Record<string, number>, op: string): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `${name} must be a finite number, but got ${String(value)}.`,
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
      `upper bound and larger bound inconsistent with step sign (start ${from}, end ${to}, step ${step}).`,
    );
  }
  const integral = [from, to, step].every(Number.isInteger);
  const dtype = dtypeOf(options, integral ? "int32" : "float32", "arange");
  const n = Math.ceil((to - from) / step);
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
      `number of steps must be a non-negative integer, but got ${steps}.`,
    );
  }
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
