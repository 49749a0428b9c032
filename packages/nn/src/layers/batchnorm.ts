import { ones, type Tensor, tensor, zeros } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { batchNorm } from "../functional/normalization";
import { keepName, Module, nameOf } from "../module";
import { Parameter } from "../parameter";
import { pythonFloat } from "./activation-options";

/** A buffer by its torch name (the property that `registerBuffer` defined). */
const buffer = (module: Module, name: string): Tensor | null =>
  Reflect.get(module, name) as Tensor | null;

/** Options of {@link BatchNorm1d} and {@link BatchNorm2d}. */
export interface BatchNormModuleOptions {
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null keeps a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel `weight` (ones) and `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval mode uses the batch's. */
  trackRunningStats?: boolean;
}

/**
 * The shared body of torch's `_BatchNorm`: per-channel `weight`/`bias`, and the buffers
 * `running_mean`, `running_var`, `num_batches_tracked` (torch's state-dict keys).
 */
export abstract class BatchNorm extends Module {
  /** The number of channels `C`. */
  readonly numFeatures: number;
  /** Added to the variance before its square root. */
  readonly eps: number;
  /** Weight of each new batch in the running statistics; null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** The per-channel scale `[C]` (ones at first), or null when not affine. */
  declare weight: Parameter | null;
  /** The per-channel shift `[C]` (zeros at first), or null when not affine. */
  declare bias: Parameter | null;

  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super();
    const name = new.target.name;
    if (!Number.isSafeInteger(numFeatures) || numFeatures < 1) {
      throw new NNError(
        "INVALID_ARGUMENT",
        name,
        `num_features must be a positive integer (the channel count C), but got ${show(numFeatures)}.`,
      );
    }
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options;
    if (momentum !== null && (typeof momentum !== "number" || !(momentum >= 0 && momentum <= 1))) {
      throw new NNError(
        "INVALID_ARGUMENT",
        name,
        `momentum must be a number between 0 and 1, or null for a cumulative average, but got ${show(momentum)}.`,
      );
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    if (affine) {
      this.weight = new Parameter(ones(numFeatures));
      this.bias = new Parameter(zeros(numFeatures));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    this.registerBuffer("running_mean", trackRunningStats ? zeros(numFeatures) : null);
    this.registerBuffer("running_var", trackRunningStats ? ones(numFeatures) : null);
    this.registerBuffer(
      "num_batches_tracked",
      trackRunningStats ? tensor(0, { dtype: "int32" }) : null,
    );
  }

  /** The running mean `[C]` (buffer `running_mean`), or null without running statistics. */
  get runningMean(): Tensor | null {
    return buffer(this, "running_mean");
  }
  /** The running (unbiased) variance `[C]` (buffer `running_var`), or null. */
  get runningVar(): Tensor | null {
    return buffer(this, "running_var");
  }
  /** How many training batches updated the statistics (buffer `num_batches_tracked`), or null. */
  get numBatchesTracked(): Tensor | null {
    return buffer(this, "num_batches_tracked");
  }

  /** Resets the running statistics to mean 0, variance 1 and no batches. */
  resetRunningStats(): void {
    this.runningMean?.fill_(0);
    this.runningVar?.fill_(1);
    this.numBatchesTracked?.zero_();
  }

  /** The input ranks this layer accepts, and how to describe them. */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly expected: string;

  /**
   * Normalises `input` per channel: with the batch's statistics in training mode (updating the
   * running ones), with the running statistics in eval mode (as torch's `_BatchNorm.forward`).
   */
  override forward(input: Tensor): Tensor {
    const op = `${nameOf(this)}.forward`;
    checkTensor(input, op, "input");
    if (!this.ranks.includes(input.ndim) || input.shape[1] !== this.numFeatures) {
      throw new NNError(
        "SHAPE_MISMATCH",
        op,
        `${this.toString()} expects an input of shape ${this.expected} with C=${this.numFeatures}, but got ${formatShape(input.shape)}. Hint: put the channels in dimension 1${input.ndim === this.ranks[0] ? "" : `, as a ${this.ranks.map((r) => `${r}-D`).join(" or ")} tensor`}.`,
      );
    }
    let momentum = this.momentum ?? 0;
    const tracked = this.numBatchesTracked;
    if (this.training && tracked) {
      tracked.add_(1);
      if (this.momentum === null) momentum = 1 / (tracked.item() as number);
    }
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    const keepRunning = !this.training || this.trackRunningStats;
    return batchNorm(
      input,
      keepRunning ? this.runningMean : null,
      keepRunning ? this.runningVar : null,
      { weight: this.weight, bias: this.bias, training: useBatch, momentum, eps: this.eps },
    );
  }

  /** `3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True`, as torch prints it. */
  override extraRepr(): string {
    const py = (b: boolean) => (b ? "True" : "False");
    const momentum = this.momentum === null ? "None" : pythonFloat(this.momentum);
    return `${this.numFeatures}, eps=${pythonFloat(this.eps)}, momentum=${momentum}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` inputs (torch.nn.BatchNorm1d): per channel,
 * `(x - mean) / sqrt(var + eps) · weight + bias`, with the batch's statistics in training mode
 * (updating `runningMean`/`runningVar`) and the running ones after `eval()`.
 *
 * @example
 * const bn = new BatchNorm1d(16);
 * bn.forward(x); // x: [N, 16] or [N, 16, L]
 */
export class BatchNorm1d extends BatchNorm {
  static {
    keepName(this, "BatchNorm1d");
  }
  protected readonly ranks = [2, 3];
  protected readonly expected = "[N, C] or [N, C, L]";
}

/**
 * Batch normalisation over `[N, C, H, W]` inputs (torch.nn.BatchNorm2d), per channel; see
 * {@link BatchNorm1d}.
 *
 * @example
 * const bn = new BatchNorm2d(8);
 * bn.forward(images); // [N, 8, H, W]
 */
export class BatchNorm2d extends BatchNorm {
  static {
    keepName(this, "BatchNorm2d");
  }
  protected readonly ranks = [4];
  protected readonly expected = "[N, C, H, W]";
}
