import type { Tensor } from "@x/tensor";
import { batchPair, inMode, isTensorPair, samplesOf } from "./data";
import { EarlyStopper } from "./early-stopping";
import { DivergenceError, TrainError } from "./errors";
import { type CheckedFitOptions, checkFitOptions, type FitOptions } from "./fit-options";
import { formatRecord } from "./format-record";
import { type EpochRecord, History, type StopReason } from "./history";
import { stepScheduler } from "./scheduler";
import { FitSteps, type Observe } from "./steps";
import { requireNumber } from "./validate";

const OP = "fit";

/** One pass over a loader: a step per batch; returns the sample-weighted mean loss. */
function loaderEpoch(steps: FitSteps, batches: Iterable<readonly Tensor[]>, epoch: number): number {
  let total = 0;
  let samples = 0;
  let index = 0;
  for (const batch of batches) {
    const where = `train batch ${index++}`;
    const [x, y] = batchPair(batch, OP, where);
    total += steps.trainBatch(x, y, epoch, where) * samplesOf(x);
    samples += samplesOf(x);
  }
  if (samples === 0) {
    throw new TrainError(
      "EMPTY_DATA",
      OP,
      `train yielded no samples in epoch ${epoch}. Hint: a DataLoader with dropLast and fewer samples than batchSize yields no batch.`,
    );
  }
  return total / samples;
}

/** Runs one epoch; `observe` sees the losses at the parameters they were measured at. */
function runEpoch(
  o: CheckedFitOptions,
  steps: FitSteps,
  epoch: number,
  observe: Observe,
): Omit<EpochRecord, "ms" | "lr"> {
  if (isTensorPair(o.train)) {
    // The book's loop: the validation loss is measured at the same parameters as the training
    // loss, before the optimizer step.
    return { epoch, ...steps.bookEpoch(o.train, epoch, observe) };
  }
  const trainLoss = loaderEpoch(steps, o.train, epoch);
  const valLoss = steps.validate();
  observe(valLoss ?? trainLoss, o.params);
  return valLoss === undefined ? { epoch, trainLoss } : { epoch, trainLoss, valLoss };
}

/**
 * The training loop as a generator: yields after every epoch, returns the history. A module model
 * runs each epoch in training mode (validation switches it to evaluation mode) and is given its
 * previous mode back between epochs and at the end.
 */
function* fitEpochs(o: CheckedFitOptions): Generator<EpochRecord, History, void> {
  const epochs = epochsOf(o);
  for (;;) {
    const next = inMode(o.model, true, () => epochs.next());
    if (next.done === true) return next.value;
    yield next.value;
  }
}

/** The epochs of {@link fitEpochs}, in whatever mode the model is. */
function* epochsOf(o: CheckedFitOptions): Generator<EpochRecord, History, void> {
  const history = new History(o.history ? o.history.records.map((r) => ({ ...r })) : []);
  const first = (history.last?.epoch ?? 0) + 1;
  const stopper = o.earlyStopping ? new EarlyStopper(o.earlyStopping, o.params) : undefined;
  const steps = new FitSteps(o, o.compile);
  let reason: StopReason = "completed";
  try {
    for (let epoch = first; epoch < first + o.epochs && reason === "completed"; epoch++) {
      if (o.signal?.aborted) {
        reason = "aborted";
        break;
      }
      const start = performance.now();
      const lr = o.optimizer.paramGroups[0]?.lr as number;
      let patienceOver = false;
      const partial = runEpoch(o, steps, epoch, (loss, at) => {
        patienceOver = stopper?.observe(loss, epoch, at) ?? false;
      });
      if (o.scheduler) stepScheduler(o.scheduler, partial.valLoss ?? partial.trainLoss);
      const record: EpochRecord = { ...partial, lr, ms: performance.now() - start };
      history.records.push(record);
      if (o.logEvery !== undefined && (epoch === 1 || epoch % o.logEvery === 0)) {
        (o.log ?? console.log)(formatRecord(record), record);
      }
      const answer: unknown = o.onEpoch?.(record);
      if (answer !== null && typeof (answer as PromiseLike<unknown>)?.then === "function") {
        throw new TrainError(
          "INVALID_OPTION",
          OP,
          `onEpoch returned a Promise (epoch ${epoch}), but epochs run synchronously and cannot wait for it. Hint: make onEpoch synchronous; to keep a page responsive, use fitAsync.`,
        );
      }
      if (patienceOver) reason = "earlyStopping";
      else if (answer === "stop") reason = "onEpoch";
      yield record;
    }
  } catch (error) {
    if (error instanceof DivergenceError) {
      history.stopReason = "diverged";
      error.history = history;
    }
    throw error;
  } finally {
    history.restoredEpoch = stopper?.restore();
  }
  history.stopReason = reason;
  return history;
}

/**
 * Trains `params` with `optimizer` for `epochs` epochs and returns the {@link History}.
 *
 * Each epoch with full-batch `{ x, y }` data runs the book's loop: `zeroGrad()`, forward pass
 * with gradient recording on, training loss, then the validation loss with recording off
 * (`setGradEnabled(false, …)`: its outputs have `requiresGrad === false` and no `gradFn`) — so
 * **the validation loss of epoch E is measured at the same parameters as its training loss,
 * before the optimizer step** — then `backward()` and `step()`. With a `DataLoader`, every batch
 * takes a step, `trainLoss` is the sample-weighted mean of the batch losses, and validation runs
 * after the epoch's last step.
 *
 * After the epoch: the scheduler steps (`ReduceLROnPlateau` with the validation loss, or the
 * training loss without `val`), the record is stored, logged and passed to `onEpoch`. Training
 * stops early when `onEpoch` returns `'stop'` (its record is kept), when `earlyStopping` runs
 * out of patience, or when `signal` is aborted (checked before every epoch; the history is
 * returned with `aborted` true). A NaN or infinite loss throws a {@link DivergenceError}
 * naming the epoch. A module model (`@x/nn`'s `Module`) trains in training mode and is validated
 * in evaluation mode (`model.train()` / `model.eval()`, as a PyTorch loop), and has its previous
 * mode back afterwards. `fit` is synchronous: abort the signal from a callback, or use
 * {@link fitAsync}, which lets timers and UI events run between epochs.
 *
 * By default (`compile: 'auto'`) the training step — `zeroGrad()`, forward pass, loss,
 * `backward()`, `step()` — and the validation pass run through `compile` from `@x/compile`:
 * captured once, replayed after, with the same records, callbacks, early stopping and
 * parameters bit for bit; a step that cannot be captured (a loss that calls `item()`) runs
 * eagerly. The losses are then read after each step, so when a loss diverges the
 * `DivergenceError` is the same but the parameters have taken that epoch's (non-finite) step.
 *
 * @example
 * const history = fit({
 *   params: [params], model, lossFn: mseLoss, optimizer: new SGD([params], { lr: 1e-2 }),
 *   train: { x: xTrain, y: yTrain }, val: { x: xVal, y: yVal }, epochs: 3000,
 * });
 * history.records.at(-1); // { epoch: 3000, trainLoss, valLoss, lr: 0.01, ms }
 */
export function fit(options: FitOptions): History {
  const epochs = fitEpochs(checkFitOptions(options, OP));
  for (;;) {
    const next = epochs.next();
    if (next.done === true) return next.value;
  }
}

/** Options of {@link fitAsync}: those of {@link fit}, plus how often to yield. */
export interface FitAsyncOptions extends FitOptions {
  /** Yield to the event loop once at least this many milliseconds of epochs ran (default 16). */
  yieldEveryMs?: number | undefined;
}

/**
 * {@link fit} that yields to the event loop between epochs (about every `yieldEveryMs`), so an
 * `AbortSignal` fired by a timer or a button, and page updates, take effect during training.
 */
export async function fitAsync(options: FitAsyncOptions): Promise<History> {
  const { yieldEveryMs = 16, ...rest } = options ?? ({} as FitAsyncOptions);
  requireNumber(yieldEveryMs, 0, "fitAsync", "yieldEveryMs");
  const epochs = fitEpochs(checkFitOptions(rest, "fitAsync"));
  let since = performance.now();
  for (;;) {
    const next = epochs.next();
    if (next.done === true) return next.value;
    if (performance.now() - since >= yieldEveryMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      since = performance.now();
    }
  }
}
