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
  /** Stable machine-readable reason. */
  readonly code: AutogradErrorCode;
  readonly [marker] = true;

  constructor(code: AutogradErrorCode, message: string) {
    super(message);
    this.name = "AutogradError";
    this.code = code;
  }

  /** True for an `AutogradError` from any copy of this package. */
  static isInstance(error: unknown): error is AutogradError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
