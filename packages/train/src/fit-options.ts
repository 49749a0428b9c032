import { Tensor } from "@x/tensor";
import { checkData, checkModel, isModuleLike, type Model, type SupervisedData } from "./data";
import type { EarlyStoppingOptions } from "./early-stopping";
import { TrainError } from "./errors";
import { type EpochRecord, History } from "./history";
import type { LossFn } from "./losses";
import { requireFunction, requireInteger, requirePresent, show } from "./validate";

/** What `fit` needs from an optimizer (every `@x/optim` optimizer has it). */
export interface OptimizerLike {
  /** Parameter groups; group 0's `lr` is recorded each epoch. */
  readonly paramGroups: readonly { readonly params: readonly Tensor[]; lr: number }[];
  /** Clears the gradients of every parameter. */
  zeroGrad(): void;
  /** Updates the parameters from their gradients. */
  step(): void;
}

/** What `fit` needs from an LR scheduler: `step()`, or `step(metric)` for `ReduceLROnPlateau`. */
export interface SchedulerLike {
  /** Advances the schedule by one epoch (`ReduceLROnPlateau` takes the monitored loss). */
  step(metric: number): void;
}

/** What `onEpoch` may return: `'stop'` ends training after this epoch (its record is kept). */
// biome-ignore lint/suspicious/noConfusingVoidType: callbacks declared to return nothing are typed void
export type EpochCallbackResult = "stop" | undefined | void;

/**
 * How `fit` runs its steps: `'auto'` compiles them with `@x/compile` and runs eagerly what cannot
 * be captured, `true` compiles them and throws the `CompileError` of a step that cannot be
 * captured, `false` runs them eagerly.
 */
export type CompileMode = boolean | "auto";

/** Options of `fit`. */
export interface FitOptions {
  /**
   * The tensors the optimizer updates (default: a module model's `parameters()`, else every
   * parameter of `optimizer.paramGroups`).
   */
  params?: readonly Tensor[] | undefined;
  /** Inputs in, predictions out: a function, or a module (`@x/nn`'s `Module`) whose `forward` runs. */
  model: Model;
  /** `(prediction, target) => scalar loss`, e.g. `mseLoss`. */
  lossFn: LossFn;
  /** An `@x/optim` optimizer over `params`. */
  optimizer: OptimizerLike;
  /** Training data: `{ x, y }` tensors (full batch) or a `DataLoader`. */
  train: SupervisedData;
  /**
   * Validation data, evaluated every epoch with gradient recording off: with full-batch `train`
   * at the same parameters as the epoch's training loss (before its step), with a loader after
   * the epoch's last step.
   */
  val?: SupervisedData | undefined;
  /** Number of epochs to run (an integer >= 1). */
  epochs: number;
  /** Called after every epoch with its record; return `'stop'` to end training. */
  onEpoch?: ((record: EpochRecord) => EpochCallbackResult) | undefined;
  /** Log epoch 1 and every `logEvery`-th epoch through `log`. */
  logEvery?: number | undefined;
  /** Receives the log lines (default `console.log`); see `formatRecord`. */
  log?: ((line: string, record: EpochRecord) => void) | undefined;
  /** Stepped once per epoch; `ReduceLROnPlateau` gets the validation (or training) loss. */
  scheduler?: SchedulerLike | undefined;
  /** Stop when the validation (or training) loss has not improved for `patience` epochs. */
  earlyStopping?: EarlyStoppingOptions | undefined;
  /** Checked after every epoch: when aborted, `fit` returns the history so far (`aborted` true). */
  signal?: AbortSignal | undefined;
  /** Continue this history: epochs are numbered after its last record, which are kept. */
  history?: History | undefined;
  /**
   * Run the training and validation steps through `compile` from `@x/compile` (default
   * `'auto'`: compiled when the step can be captured, eager otherwise; the records are the same
   * bit for bit either way). `true` throws the `CompileError` of a step that cannot be
   * captured (e.g. a loss that calls `item()`); `false` runs eagerly.
   */
  compile?: CompileMode | undefined;
}

/** The options after validation, with defaults filled in. */
export interface CheckedFitOptions extends FitOptions {
  params: readonly Tensor[];
  train: SupervisedData;
  val: SupervisedData | undefined;
  compile: CompileMode;
}

const known = [
  "params",
  "model",
  "lossFn",
  "optimizer",
  "train",
  "val",
  "epochs",
  "onEpoch",
  "logEvery",
  "log",
  "scheduler",
  "earlyStopping",
  "signal",
  "history",
  "compile",
];

function checkOptimizer(optimizer: unknown, op: string): OptimizerLike {
  requirePresent(
    optimizer,
    op,
    "optimizer",
    "pass optimizer: new SGD([params], { lr: 1e-2 }) from @x/optim.",
  );
  const o = optimizer as Partial<OptimizerLike>;
  const group = Array.isArray(o.paramGroups) ? o.paramGroups[0] : undefined;
  if (
    typeof o.step !== "function" ||
    typeof o.zeroGrad !== "function" ||
    typeof group?.lr !== "number"
  ) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `optimizer must have step(), zeroGrad() and paramGroups[0].lr, but got ${show(optimizer)}. Hint: use an optimizer from @x/optim, e.g. new SGD([params], { lr: 1e-2 }).`,
    );
  }
  return optimizer as OptimizerLike;
}

function checkParams(params: unknown, optimizer: OptimizerLike, op: string): readonly Tensor[] {
  if (params === undefined) return optimizer.paramGroups.flatMap((g) => [...g.params]);
  const list: unknown[] | null = Array.isArray(params) ? params : null;
  const bad = list === null ? -1 : list.findIndex((p) => !(p instanceof Tensor));
  if (list === null || bad >= 0) {
    const got = list === null ? show(params) : `${show(list[bad])} at index ${bad}`;
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `params must be an array of tensors, but got ${got}. Hint: params: [params], the tensors given to the optimizer.`,
    );
  }
  return list as Tensor[];
}

function checkCompile(mode: unknown, op: string): CompileMode {
  if (mode === undefined) return "auto";
  if (mode === true || mode === false || mode === "auto") return mode;
  throw new TrainError(
    "INVALID_OPTION",
    op,
    `compile must be true, false or "auto", but got ${show(mode)}. Hint: leave it out (the default "auto" compiles the step when it can be captured), or pass compile: false to run eagerly.`,
  );
}

/** Validates `fit`'s options; every problem names the option and how to fix it. */
export function checkFitOptions(options: FitOptions, op: string): CheckedFitOptions {
  if (options === null || typeof options !== "object") {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `expected an options object { model, lossFn, optimizer, train, epochs, … }, but got ${show(options)}.`,
    );
  }
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `unknown option ${show(unknown[0])}, expected one of ${known.join(", ")}. Hint: check the spelling.`,
    );
  }
  checkModel(options.model, op);
  requireFunction(options.lossFn, op, "lossFn", "pass lossFn: mseLoss (from @x/train).");
  const optimizer = checkOptimizer(options.optimizer, op);
  requirePresent(options.train, op, "train", "pass train: { x, y } or a DataLoader.");
  requirePresent(options.epochs, op, "epochs", "pass epochs: 3000 (a positive integer).");
  requireInteger(options.epochs, 1, op, "epochs");
  if (options.onEpoch !== undefined)
    requireFunction(options.onEpoch, op, "onEpoch", "onEpoch: (record) => {}.");
  if (options.log !== undefined)
    requireFunction(options.log, op, "log", "log: (line) => console.log(line).");
  if (options.logEvery !== undefined) requireInteger(options.logEvery, 1, op, "logEvery");
  if (options.scheduler !== undefined && typeof options.scheduler?.step !== "function") {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `scheduler must have a step() method, but got ${show(options.scheduler)}. Hint: a scheduler from @x/optim, e.g. new StepLR(optimizer, { stepSize: 100 }).`,
    );
  }
  const early = options.earlyStopping;
  if (early !== undefined && (early === null || typeof early !== "object")) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `earlyStopping must be an object { patience, minDelta?, restoreBest? }, but got ${show(early)}. Hint: earlyStopping: { patience: 10 }.`,
    );
  }
  if (options.signal !== undefined && typeof options.signal?.aborted !== "boolean") {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `signal must be an AbortSignal, but got ${show(options.signal)}. Hint: signal: controller.signal with const controller = new AbortController().`,
    );
  }
  if (options.history !== undefined && !History.isInstance(options.history)) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `history must be a History (from fit or loadCheckpoint), but got ${show(options.history)}.`,
    );
  }
  return {
    ...options,
    compile: checkCompile(options.compile, op),
    optimizer,
    params:
      options.params === undefined && isModuleLike(options.model)
        ? [...options.model.parameters()]
        : checkParams(options.params, optimizer, op),
    train: checkData(options.train, op, "train"),
    val: options.val === undefined ? undefined : checkData(options.val, op, "val"),
  };
}
