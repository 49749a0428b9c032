/** Stable codes carried by every {@link AutogradError}. */
export type AutogradErrorCode =
  | "MODIFIED_IN_PLACE"
  | "BACKWARD_TWICE"
  | "NON_SCALAR_BACKWARD"
  | "NO_GRAD_FN"
  | "INPLACE_ON_LEAF"
  | "INPLACE_ON_VIEW"
  | "ASYNC_GRAD_MODE"
  | "BAD_GRADIENT"
  | "UNUSED_INPUT"
  | "ANOMALY"
  | "GRADCHECK_FAILED"
  | "INVALID_ARGUMENT";

const marker = Symbol.for("@x/autograd/AutogradError");

/** The error `@x/autograd` throws: a stable `code` plus a message with the op, shapes and a hint. */
export class AutogradError extends Error {
  // `code` and `op` are assigned before `name`: the key order class fields would give them.
  /** Stable machine-readable reason. */
  declare readonly code: AutogradErrorCode;
  /** The operation that failed, e.g. `"backward()"` or `"grad"`. */
  declare readonly op: string;
  readonly [marker] = true;

  /** Same shape as every `@x` error: `(code, op, message)`; the message is prefixed with `op`. */
  constructor(code: AutogradErrorCode, op: string, message: string) {
    super(`${op}: ${message}`);
    this.code = code;
    this.op = op;
    this.name = "AutogradError";
  }

  /** True for an `AutogradError` from any copy of this package. */
  static isInstance(error: unknown): error is AutogradError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
