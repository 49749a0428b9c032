import { setGradEnabled } from "@x/autograd";
import { formatShape, Tensor } from "@x/tensor";
import { TrainError } from "./errors";
import type { LossFn } from "./losses";
import { requirePresent, show } from "./validate";

/** Inputs and targets as two tensors, one sample per row (dim 0): a full batch. */
export interface TensorPair {
  /** Inputs, samples along dim 0. */
  x: Tensor;
  /** Targets, samples along dim 0. */
  y: Tensor;
}

/** Full-batch tensors, or batches `[x, y]` (a `DataLoader` from `@x/data`, or any iterable). */
export type SupervisedData = TensorPair | Iterable<readonly Tensor[]>;

/** A model as a function: inputs in, predictions out. */
export type ModelFn = (x: Tensor) => Tensor;

/**
 * A model as a module (`@x/nn`'s `Module`, or anything shaped like it): `forward` computes the
 * predictions, `parameters()` lists what training updates.
 */
export interface ModuleLike {
  forward(x: Tensor): Tensor;
  parameters(): Iterable<Tensor>;
  /** Whether the module is in training mode; read to give the mode back after `fit`/`evaluate`. */
  readonly training?: boolean;
  /** Sets training (`true`) or evaluation mode: `fit` trains in the one and validates in the other. */
  train?(mode?: boolean): unknown;
}

/** A model: a function or a module (`fit` calls `forward` and trains its `parameters()`). */
export type Model = ModelFn | ModuleLike;

/** True for a module-like model (an object with `forward` and `parameters`). */
export function isModuleLike(model: unknown): model is ModuleLike {
  return (
    typeof model === "object" &&
    model !== null &&
    typeof (model as ModuleLike).forward === "function" &&
    typeof (model as ModuleLike).parameters === "function"
  );
}

/**
 * Runs `fn` with a module model in training (`training` true) or evaluation mode, as a PyTorch loop
 * calls `model.train()` and `model.eval()`, then gives the module its previous mode back (also when
 * `fn` throws). Functions and modules without `train()` run as they are.
 */
export function inMode<T>(model: Model, training: boolean, fn: () => T): T {
  if (!isModuleLike(model) || typeof model.train !== "function") return fn();
  const previous = model.training ?? true;
  model.train(training);
  try {
    return fn();
  } finally {
    model.train(previous);
  }
}

/** Throws unless `model` is a function or a module-like object. */
export function checkModel(model: unknown, op: string): asserts model is Model {
  requirePresent(model, op, "model", "pass model: (x) => prediction.");
  if (typeof model === "function" || isModuleLike(model)) return;
  throw new TrainError(
    "INVALID_OPTION",
    op,
    `model must be a function (x) => prediction or a module with forward() and parameters(), but got ${show(model)}. Hint: model: (x) => w.mul(x).add(b), or model: new Sequential(...) from @x/nn.`,
  );
}

/** True for `{ x, y }` (as opposed to an iterable of batches). */
export function isTensorPair(data: SupervisedData): data is TensorPair {
  return !(Symbol.iterator in data);
}

/** Samples along dim 0 (a 0-d tensor counts as one). */
export function samplesOf(t: Tensor): number {
  return t.ndim === 0 ? 1 : (t.shape[0] as number);
}

/** Throws unless `data` is `{ x, y }` with matching, non-empty dim 0, or an iterable of batches. */
export function checkData(data: unknown, op: string, name: string): SupervisedData {
  if (data === null || typeof data !== "object" || data instanceof Tensor) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `${name} must be { x, y } tensors or a DataLoader, but got ${show(data)}. Hint: ${name}: { x: inputs, y: targets }.`,
    );
  }
  if (Symbol.iterator in data) return data as SupervisedData;
  const { x, y } = data as Partial<TensorPair>;
  for (const [key, t] of [
    ["x", x],
    ["y", y],
  ] as const) {
    if (!(t instanceof Tensor)) {
      throw new TrainError(
        "INVALID_OPTION",
        op,
        `${name}.${key} must be a Tensor, but got ${show(t)}. Hint: ${name}: { x: inputs, y: targets }, or a DataLoader.`,
      );
    }
  }
  const [nx, ny] = [samplesOf(x as Tensor), samplesOf(y as Tensor)];
  if (nx !== ny) {
    throw new TrainError(
      "SHAPE_MISMATCH",
      op,
      `${name}.x and ${name}.y must have the same number of samples along dim 0, ${nx} vs ${ny} (shapes ${formatShape((x as Tensor).shape)} and ${formatShape((y as Tensor).shape)}). Hint: select the same indices from both, e.g. x.indexSelect(0, idx) and y.indexSelect(0, idx).`,
    );
  }
  if (nx === 0) {
    throw new TrainError(
      "EMPTY_DATA",
      op,
      `${name} has no samples (shape ${formatShape((x as Tensor).shape)}). Hint: check the split; a validation fraction that floors to 0 gives an empty set.`,
    );
  }
  return data as TensorPair;
}

/**
 * `lossFn(model(x), y)`, checked to be a one-element tensor; `where` names the data in errors.
 * With `evaluation`, as a validation pass measures it: gradient recording off and a module model
 * in evaluation mode.
 */
export function lossOf(
  model: Model,
  lossFn: LossFn,
  x: Tensor,
  y: Tensor,
  op: string,
  where: string,
  evaluation = false,
): Tensor {
  if (evaluation) {
    return inMode(model, false, () =>
      setGradEnabled(false, () => lossOf(model, lossFn, x, y, op, where)),
    );
  }
  const loss = lossFn(isModuleLike(model) ? model.forward(x) : model(x), y);
  if (!(loss instanceof Tensor) || loss.numel() !== 1) {
    throw new TrainError(
      "INVALID_LOSS",
      op,
      `lossFn must return a one-element tensor, but returned ${show(loss)} (${where}). Hint: reduce it, e.g. reduction 'mean' (the default of mseLoss).`,
    );
  }
  return loss;
}

/** Splits a batch `[x, y, …]` into x and y; throws unless both are tensors. */
export function batchPair(batch: unknown, op: string, where: string): [Tensor, Tensor] {
  const [x, y] = Array.isArray(batch) ? batch : [];
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `each batch must be [x, y] tensors, but ${where} is ${show(batch)}. Hint: use new DataLoader(new TensorDataset(x, y), { batchSize }).`,
    );
  }
  return [x, y];
}

/** One value per batch of some data (one batch for full-batch data), with their sample counts. */
export interface PerBatch<T> {
  /** One value per batch: its loss (a one-element tensor, or its value), or the batch itself. */
  readonly values: T[];
  /** The samples of each batch (dim 0 of its x). */
  readonly samples: number[];
  /** True for full-batch `{ x, y }` data: the mean is then the one loss as it is. */
  readonly fullBatch: boolean;
}

/** `(x, y, where) => value`: e.g. the loss of one batch (`where` names the batch in errors). */
export type BatchFn<T> = (x: Tensor, y: Tensor, where: string) => T;

/** Names a batch of the data called `name` in errors: `"val"`, or `"val batch 2"`. */
export function batchName(name: string, fullBatch: boolean, index: number): string {
  return fullBatch ? name : `${name} batch ${index}`;
}

/**
 * `fn` of every batch of `data`, in order (e.g. the losses: an eager pass reads each at once, a
 * compiled step returns them as tensors for its caller to read after it).
 */
export function perBatch<T>(
  data: SupervisedData,
  fn: BatchFn<T>,
  op: string,
  name: string,
): PerBatch<T> {
  if (isTensorPair(data)) {
    return { values: [fn(data.x, data.y, name)], samples: [samplesOf(data.x)], fullBatch: true };
  }
  const values: T[] = [];
  const samples: number[] = [];
  for (const batch of data) {
    const where = batchName(name, false, values.length);
    const [x, y] = batchPair(batch, op, where);
    values.push(fn(x, y, where));
    samples.push(samplesOf(x));
  }
  if (samples.reduce((sum, n) => sum + n, 0) === 0) {
    throw new TrainError(
      "EMPTY_DATA",
      op,
      `${name} yielded no samples. Hint: a DataLoader with dropLast and fewer samples than batchSize yields no batch.`,
    );
  }
  return { values, samples, fullBatch: false };
}

/**
 * The mean of the batch losses: the one loss of full-batch data, or the sample-weighted mean
 * (summed in batch order, as an eager loop adds them up).
 */
export function meanOf({ values, samples, fullBatch }: PerBatch<number>): number {
  if (fullBatch) return values[0] as number;
  let total = 0;
  let count = 0;
  values.forEach((loss, i) => {
    const n = samples[i] as number;
    total += loss * n;
    count += n;
  });
  return total / count;
}

/**
 * The loss over `data` with gradient recording off and a module model in evaluation mode:
 * `lossFn(model(x), y)` for full-batch data, or the sample-weighted mean of the batch losses for a
 * loader. Returns a plain number.
 */
export function meanLoss(
  model: Model,
  lossFn: LossFn,
  data: SupervisedData,
  op: string,
  name: string,
): number {
  const evalLoss: BatchFn<number> = (x, y, where) =>
    lossOf(model, lossFn, x, y, op, where, true).item() as number;
  return meanOf(perBatch(data, evalLoss, op, name));
}
