import { formatShape, Tensor } from "@x/tensor";
import { TrainError } from "./errors";

/** Renders a user-supplied value for an error message (strings quoted, tensors by dtype and shape). */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Tensor)
    return `a ${value.dtype} tensor of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  if (typeof value === "function") return "a function";
  return typeof value;
}

/** Throws `MISSING_OPTION` when `value` is undefined or null; `hint` says what to pass. */
export function requirePresent<T>(
  value: T | undefined | null,
  op: string,
  name: string,
  hint: string,
): T {
  if (value === undefined || value === null) {
    throw new TrainError(
      "MISSING_OPTION",
      op,
      `${name} is required, but got ${show(value)}. Hint: ${hint}`,
    );
  }
  return value;
}

/** Throws `INVALID_OPTION` unless `value` is an integer `>= min`. */
export function requireInteger(value: unknown, min: number, op: string, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `${name} must be an integer >= ${min}, but got ${show(value)}. Hint: pass a whole number such as ${Math.max(min, 1) * 100}.`,
    );
  }
  return value;
}

/** Throws `INVALID_OPTION` unless `value` is a finite number `>= min`. */
export function requireNumber(value: unknown, min: number, op: string, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `${name} must be a finite number >= ${min}, but got ${show(value)}.`,
    );
  }
  return value;
}

/** Throws unless `value` is a function: `MISSING_OPTION` when absent, else `INVALID_OPTION`. */
export function requireFunction<F>(value: unknown, op: string, name: string, hint: string): F {
  requirePresent(value, op, name, hint);
  if (typeof value !== "function") {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `${name} must be a function, but got ${show(value)}. Hint: ${hint}`,
    );
  }
  return value as F;
}

/** Throws `INVALID_OPTION` unless `value` is a `Tensor`. */
export function requireTensor(value: unknown, op: string, name: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `${name} must be a Tensor, but got ${show(value)}. Hint: create it with tensor([...]) from @x/tensor.`,
    );
  }
  return value;
}
