import { formatShape, Tensor } from "@x/tensor";
import { DataError } from "./errors";

/** Renders a user-supplied value for an error message (strings quoted, arrays bracketed). */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value instanceof Tensor)
    return `a ${value.dtype} tensor of shape ${formatShape(value.shape)}`;
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  return typeof value;
}

/** Throws unless `value` is an integer `>= min`. */
export function requireInteger(value: unknown, min: number, op: string, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new DataError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be an integer >= ${min}, but got ${show(value)}. Hint: pass a whole number such as ${Math.max(min, 1)}.`,
    );
  }
  return value;
}

/** Throws unless `index` is an integer in `[0, length)`; `what` names the indexed thing. */
export function checkIndex(index: unknown, length: number, op: string, what: string): number {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= length) {
    throw new DataError(
      "INDEX_OUT_OF_RANGE",
      op,
      `index ${show(index)} is out of range for ${what} of length ${length}, expected an integer in [0, ${length}). Hint: valid indices are 0 … ${length - 1}.`,
    );
  }
  return index;
}

/** Throws unless `x` is a tensor with at least `minDims` dimensions. */
export function requireTensor(x: unknown, op: string, minDims = 1): Tensor {
  if (!(x instanceof Tensor) || x.ndim < minDims) {
    throw new DataError(
      "INVALID_ARGUMENT",
      op,
      `expects a tensor${minDims > 0 ? " with at least one dimension" : ""}, but got ${show(x)}. Hint: pass the data as a 1-d or 2-d tensor.`,
    );
  }
  return x;
}
