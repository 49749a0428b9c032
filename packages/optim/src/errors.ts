/** Stable codes carried by every {@link OptimError}; match on these, not on message text. */
export type OptimErrorCode =
  | "INVALID_HYPERPARAMETER"
  | "UNKNOWN_OPTION"
  | "EMPTY_PARAMETER_LIST"
  | "INVALID_PARAMETER"
  | "PARAMETER_DOES_NOT_REQUIRE_GRAD"
  | "NON_LEAF_PARAMETER"
  | "DUPLICATE_PARAMETER"
  | "INVALID_STATE_DICT"
  | "MISSING_INITIAL_LR"
  | "INVALID_ARGUMENT";

const marker = Symbol.for("@x/optim/OptimError");

/**
 * The error `@x/optim` throws for bad input: a stable `code`, and a message that names the API,
 * the argument and its value, and says how to fix it.
 */
export class OptimError extends Error {
  // `code` and `op` are assigned before `name`: the key order class fields would give them.
  /** Stable machine-readable reason. */
  declare readonly code: OptimErrorCode;
  /** The API that rejected its input, e.g. `"SGD"` or `"StepLR.step"` (as every `@x` error's `op`). */
  declare readonly op: string;
  /**
   * The same value as `op`.
   * @deprecated Use `op`, the field every `@x` error class has.
   */
  declare readonly api: string;
  readonly [marker] = true;

  /** Same shape as every `@x` error: `(code, op, message)`; the message is prefixed with `op`. */
  constructor(code: OptimErrorCode, op: string, message: string) {
    super(`${op}: ${message}`);
    this.code = code;
    this.op = op;
    this.api = op;
    this.name = "OptimError";
  }

  /** True for an `OptimError` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(error: unknown): error is OptimError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
