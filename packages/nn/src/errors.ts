import { formatShape, type Tensor } from "@x/tensor";
import { describeValue } from "@x/tensor/internal";

/** Stable codes carried by every {@link NNError}; match on these, not on message text. */
export type NNErrorCode =
  | "SHAPE_MISMATCH"
  | "INVALID_ARGUMENT"
  | "INVALID_DTYPE"
  | "INVALID_ATTRIBUTE"
  | "MISSING_KEYS"
  | "UNEXPECTED_KEYS"
  | "INDEX_OUT_OF_RANGE"
  | "NOT_IMPLEMENTED";

const marker = Symbol.for("@x/nn/NNError");

/**
 * The error every `@x/nn` module, function and initialiser throws for bad input. `code` is stable;
 * the message names the operation, the argument and the values, and says how to fix it. Same shape
 * as `TensorError` (`code`, `op`, `"op: message"`).
 */
export class NNError extends Error {
  /** Stable machine-readable reason. */
  declare readonly code: NNErrorCode;
  /** The operation that rejected its input, e.g. `"Linear.forward"` or `"loadStateDict"`. */
  declare readonly op: string;
  readonly [marker] = true;

  constructor(code: NNErrorCode, op: string, message: string) {
    super(`${op}: ${message}`);
    this.code = code;
    this.op = op;
    this.name = "NNError";
  }

  /** True for an `NNError` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(error: unknown): error is NNError {
    return typeof error === "object" && error !== null && marker in error;
  }
}

/** Shows a value in a message (shared with @x/tensor's wording). */
export const show = describeValue;
export { formatShape };

/** True for a tensor from any copy of @x/tensor (structural, like @x/tensor's own argument checks). */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && "storage" in value && "shape" in value;
}

/** Throws INVALID_ARGUMENT naming `op` and `argument` unless `value` is a tensor. */
export function checkTensor(value: unknown, op: string, argument: string): asserts value is Tensor {
  if (!isTensor(value)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `argument '${argument}' must be a Tensor, but got ${show(value)}. Hint: create one with tensor(...).`,
    );
  }
}
