import { enableGrad } from "@x/autograd";
import { compile } from "@x/compile";
import type { Tensor } from "@x/tensor";
import { batchName, lossOf, meanOf, type PerBatch, perBatch, type TensorPair } from "./data";
import { DivergenceError, TrainError } from "./errors";
import type { CheckedFitOptions, CompileMode } from "./fit-options";

const OP = "fit";

/** The losses of one epoch. */
export interface EpochLosses {
  trainLoss: number;
  valLoss?: number;
}

/**
 * Receives the monitored loss (validation loss, or training loss without `val`) and the
 * parameters it was measured at.
 */
export type Observe = (loss: number, at: readonly Tensor[]) => void;

/**
 * `fn` as `fit` runs it: compiled with `compile` from `@x/compile` (`true`: a step that cannot be
 * captured throws its `CompileError`), compiled with an eager fallback (`'auto'`), or as it is
 * (`false`).
 */
export function stepFunction<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
  mode: CompileMode,
): (...args: Args) => Result {
  if (mode === false) return fn;
  return compile(fn, { fallback: mode === "auto" ? "eager" : "error" });
}

/**
 * The steps of one `fit` run: a training step (`zeroGrad`, forward, loss, `backward`, optimizer
 * step) per epoch or batch, and the validation passes, each through {@link stepFunction}.
 *
 * Eager steps read the losses mid-step as the book's loop does (a non-finite loss stops before
 * the optimizer step). A compiled step cannot read a value it computes, so it returns the loss
 * tensors (and, for `restoreBest`, copies of the parameters they were measured at) and they are
 * read right after the call, before the next call overwrites them. Both give the same records.
 */
export class FitSteps {
  private readonly readsInside: boolean;
  /** Compiled full-batch steps with `restoreBest` return the parameters before their update. */
  private readonly snapshots: boolean;
  private epoch = 0;
  private where = "";
  private observe: Observe = () => {};
  /** What the last eager step read. */
  private read: EpochLosses = { trainLoss: Number.NaN };
  /** The validation batches of the running full-batch step. */
  private val: PerBatch<readonly [Tensor, Tensor]> | undefined;
  private readonly fullBatchStep: (...xy: Tensor[]) => Tensor[];
  private readonly batchStep: (x: Tensor, y: Tensor) => Tensor;
  private readonly evalStep: (x: Tensor, y: Tensor) => Tensor;

  constructor(
    private readonly o: CheckedFitOptions,
    mode: CompileMode,
  ) {
    this.readsInside = mode === false;
    this.snapshots = !this.readsInside && o.earlyStopping?.restoreBest === true;
    this.fullBatchStep = stepFunction((...xy: Tensor[]) => this.fullBatch(xy), mode);
    this.batchStep = stepFunction((x, y) => this.batch(x, y), mode);
    this.evalStep = stepFunction(
      (x, y) => lossOf(o.model, o.lossFn, x, y, OP, this.where, true),
      mode,
    );
  }

  /**
   * The book's loop on full-batch data: the training loss, the validation loss at the same
   * parameters, `observe`, then `backward()` and the optimizer step.
   */
  bookEpoch(train: TensorPair, epoch: number, observe: Observe): EpochLosses {
    this.epoch = epoch;
    this.observe = observe;
    // A loader's batches are drawn here, outside the step: the step gets them as arguments.
    const { val } = this.o;
    this.val = val && perBatch(val, (x, y) => [x, y] as const, OP, "val");
    const valTensors = this.val?.values.flat() ?? [];
    const out = this.fullBatchStep(train.x, train.y, ...valTensors);
    if (this.readsInside) return this.read;
    const count = valTensors.length / 2;
    const losses = this.val && { ...this.val, values: out.slice(1, 1 + count) };
    return this.losses(out[0] as Tensor, losses, out.slice(1 + count));
  }

  /** One step on a batch of a loader; returns its training loss. */
  trainBatch(x: Tensor, y: Tensor, epoch: number, where: string): number {
    this.epoch = epoch;
    this.where = where;
    const loss = this.batchStep(x, y);
    return this.readsInside ? this.read.trainLoss : this.finite(loss.item() as number, "train");
  }

  /** The validation loss after an epoch of batches (`undefined` without `val`). */
  validate(): number | undefined {
    const { val } = this.o;
    if (val === undefined) return undefined;
    const evalLoss = (x: Tensor, y: Tensor, where: string): number => {
      this.where = where;
      return this.evalStep(x, y).item() as number;
    };
    return this.finite(meanOf(perBatch(val, evalLoss, OP, "val")), "val");
  }

  /** `[x, y, ...validation batches' x and y]` → `[loss, ...validation losses, ...snapshots]`. */
  private fullBatch([x, y, ...valTensors]: Tensor[]): Tensor[] {
    const { o, val } = this;
    o.optimizer.zeroGrad();
    const loss = this.trainingLoss(x as Tensor, y as Tensor, "train");
    const valLosses = val && {
      ...val,
      values: val.values.map((_, i) => {
        const [vx, vy] = valTensors.slice(2 * i, 2 * i + 2) as [Tensor, Tensor];
        return lossOf(o.model, o.lossFn, vx, vy, OP, batchName("val", val.fullBatch, i), true);
      }),
    };
    const at = this.snapshots ? o.params.map((p) => p.detach().clone()) : [];
    if (this.readsInside) this.read = this.losses(loss, valLosses, o.params);
    loss.backward();
    o.optimizer.step();
    return [loss, ...(valLosses?.values ?? []), ...at];
  }

  private batch(x: Tensor, y: Tensor): Tensor {
    const { o } = this;
    o.optimizer.zeroGrad();
    const loss = this.trainingLoss(x, y, this.where);
    if (this.readsInside) this.read = { trainLoss: this.finite(loss.item() as number, "train") };
    loss.backward();
    o.optimizer.step();
    return loss;
  }

  /** Reads and checks the losses, then passes the monitored one to `observe`. */
  private losses(
    loss: Tensor,
    val: PerBatch<Tensor> | undefined,
    at: readonly Tensor[],
  ): EpochLosses {
    const trainLoss = this.finite(loss.item() as number, "train");
    if (val === undefined) {
      this.observe(trainLoss, at);
      return { trainLoss };
    }
    const values = val.values.map((t) => t.item() as number);
    const valLoss = this.finite(meanOf({ ...val, values }), "val");
    this.observe(valLoss, at);
    return { trainLoss, valLoss };
  }

  /** Forward pass with recording on; the loss must be connected to the parameters. */
  private trainingLoss(x: Tensor, y: Tensor, where: string): Tensor {
    const { o, epoch } = this;
    const loss = enableGrad(() => lossOf(o.model, o.lossFn, x, y, OP, where));
    if (!loss.requiresGrad) {
      throw new TrainError(
        "LOSS_WITHOUT_GRAD",
        OP,
        `the training loss does not require grad (epoch ${epoch}, ${where}), so there is nothing to optimise. Hint: create the parameters with { requiresGrad: true } and use them in model.`,
      );
    }
    return loss;
  }

  /** `loss`, or a {@link DivergenceError} naming the epoch when it is not finite. */
  private finite(loss: number, which: "train" | "val"): number {
    if (!Number.isFinite(loss)) {
      throw new DivergenceError(this.epoch, loss, which, this.o.optimizer.paramGroups[0]?.lr);
    }
    return loss;
  }
}
