/** Stable codes carried by every {@link TensorError}; match on these, not on message text. */
export type TensorErrorCode =
  | "SHAPE_MISMATCH"
  | "INVALID_SHAPE"
  | "INVALID_DIM"
  | "INVALID_ARGUMENT"
  | "INVALID_DTYPE"
  | "INDEX_OUT_OF_RANGE"
  | "DIVISION_BY_ZERO"
  | "RAGGED_ARRAY"
  | "NOT_A_VIEW"
  | "NEEDS_AUTOGRAD"
  | "TWO_COPIES";

const marker = Symbol.for("@x/tensor/TensorError");

/**
 * The error every `@x/tensor` operation throws for bad input. `code` is stable; the message names
 * the operation, the argument and the values, and says how to fix it.
 */
export class TensorError extends Error {
  // `code` and `op` are assigned before `name`: the key order class fields would give them.
  /** Stable machine-readable reason. */
  declare readonly code: TensorErrorCode;
  /** The operation that rejected its input, e.g. `"add"`. */
  declare readonly op: string;
  readonly [marker] = true;

  constructor(code: TensorErrorCode, op: string, message: string) {
    super(`${op}: ${message}`);
    this.code = code;
    this.op = op;
    this.name = "TensorError";
  }

  /** True for a `TensorError` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(error: unknown): error is TensorError {
    return typeof error === "object" && error !== null && marker in error;
  }
}

/** Formats a shape as PyTorch users read it: `[2, 3]`, and `[]` for a 0-d tensor. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Shows any value in a message without throwing (symbols, bigints, NaN, objects, strings quoted). */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  // numbers, booleans, bigints, symbols (String() spells them out explicitly), null, undefined
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? `a ${name}` : "an object";
}

/** Throws `INVALID_ARGUMENT` unless `value` is a tensor (for the function forms of ops). */
export function checkTensorArgument(value: unknown, op: string, argument = "input"): void {
  if (!(typeof value === "object" && value !== null && "storage" in value && "shape" in value)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `argument '${argument}' must be a Tensor, but got ${describeValue(value)}. Hint: create one with tensor(...).`,
    );
  }
}
