import type { History } from "./history";

/** Stable codes carried by every {@link TrainError}; match on these, not on message text. */
export type TrainErrorCode =
  | "INVALID_OPTION"
  | "MISSING_OPTION"
  | "SHAPE_MISMATCH"
  | "EMPTY_DATA"
  | "INVALID_LOSS"
  | "LOSS_WITHOUT_GRAD"
  | "DIVERGED"
  | "CHECKPOINT_INVALID"
  | "UNSUPPORTED_DTYPE"
  | "VALUE_OUT_OF_RANGE"
  | "IO_ERROR"
  | "PARAM_MISMATCH";

const marker = Symbol.for("@x/train/TrainError");

/**
 * The error every `@x/train` function throws for bad input or a failed run. `code` is stable; the
 * message names the operation, the option and the values, and says how to fix it.
 */
export class TrainError extends Error {
  /** Stable machine-readable reason. */
  readonly code: TrainErrorCode;
  /** The operation that failed, e.g. `"fit"` or `"loadCheckpoint"`. */
  readonly op: string;
  readonly [marker] = true;

  constructor(code: TrainErrorCode, op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = "TrainError";
    this.code = code;
    this.op = op;
  }

  /** True for a `TrainError` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(error: unknown): error is TrainError {
    return typeof error === "object" && error !== null && marker in error;
  }
}

/** Which loss of an epoch stopped being finite. */
export type DivergedLoss = "train" | "val";

/**
 * Thrown by `fit` when a loss becomes NaN or ±Infinity: the run has diverged, usually because
 * the learning rate is too high for the scale of the inputs. `code` is `'DIVERGED'`.
 */
export class DivergenceError extends TrainError {
  /** The 1-based epoch whose loss was not finite. */
  readonly epoch: number;
  /** The offending loss value (NaN, Infinity or -Infinity). */
  readonly loss: number;
  /** Whether the training or the validation loss diverged. */
  readonly which: DivergedLoss;
  /** The records of the epochs before the divergence (set by `fit`). */
  history: History | undefined;

  constructor(epoch: number, loss: number, which: DivergedLoss, lr: number | undefined) {
    const name = which === "train" ? "training" : "validation";
    const at = lr === undefined ? "" : ` with lr ${lr}`;
    super(
      "DIVERGED",
      "fit",
      `the ${name} loss became ${loss} at epoch ${epoch}, expected a finite number (training diverged${at}). Hint: lower the learning rate (e.g. by 10x) or normalise the inputs (e.g. Scale(0.1) or StandardScaler from @x/data).`,
    );
    this.name = "DivergenceError";
    this.epoch = epoch;
    this.loss = loss;
    this.which = which;
    this.history = undefined;
  }

  /** True for a `DivergenceError` from any copy of this package. */
  static override isInstance(error: unknown): error is DivergenceError {
    return TrainError.isInstance(error) && error.code === "DIVERGED";
  }
}
