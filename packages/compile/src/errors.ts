/** Stable codes carried by every {@link CompileError}; match on these, not on message text. */
export type CompileErrorCode =
  /** A value was read inside the step (`item()`, `toArray()`, `toTypedArray()`). */
  | "UNCAPTURABLE_READ"
  /** An op whose output shape depends on tensor values (`nonzero`). */
  | "UNCAPTURABLE_OP"
  /** An in-place write into a tensor that requires grad, or from an overlapping operand. */
  | "UNCAPTURABLE_INPLACE"
  /** The step ran different ops on too many calls to keep a plan. */
  | "RECAPTURE_LIMIT"
  /** A bad argument to `compile` itself. */
  | "INVALID_ARGUMENT";

const marker = Symbol.for("@x/compile/CompileError");

/**
 * The error `@x/compile` throws: a stable `code`, the op or API in `op`, and a message that says
 * what could not be captured and how to fix it.
 */
export class CompileError extends Error {
  // `code` and `op` are assigned before `name`: the key order class fields would give them.
  /** Stable machine-readable reason. */
  declare readonly code: CompileErrorCode;
  /** The op that could not be captured (e.g. `"item"`), or `"compile"`. */
  declare readonly op: string;
  readonly [marker] = true;

  /** Same shape as every `@x` error: `(code, op, message)`; the message is prefixed with `op`. */
  constructor(code: CompileErrorCode, op: string, message: string) {
    super(`${op}: ${message}`);
    this.code = code;
    this.op = op;
    this.name = "CompileError";
  }

  /** True for a `CompileError` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(error: unknown): error is CompileError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
