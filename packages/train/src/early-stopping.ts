import { noGrad } from "@x/autograd";
import type { Tensor } from "@x/tensor";
import { requireInteger, requireNumber } from "./validate";

/** Options of `fit`'s `earlyStopping`. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement after which training stops (an integer >= 1). */
  patience: number;
  /** How much lower than the best loss a loss must be to count as an improvement (default 0). */
  minDelta?: number | undefined;
  /**
   * At the end of the run, copy back the parameters at which the best loss was measured
   * (default false).
   */
  restoreBest?: boolean | undefined;
}

/**
 * Tracks the monitored loss (validation loss, or training loss without validation), remembers
 * the parameters of the best epoch, and says when patience has run out.
 */
export class EarlyStopper {
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly restoreBest: boolean;
  private best = Number.POSITIVE_INFINITY;
  private bestEpoch: number | undefined;
  private snapshot: Tensor[] | null = null;
  private waited = 0;

  constructor(
    options: EarlyStoppingOptions,
    private readonly params: readonly Tensor[],
  ) {
    const op = "fit";
    this.patience = requireInteger(options.patience, 1, op, "earlyStopping.patience");
    this.minDelta = requireNumber(options.minDelta ?? 0, 0, op, "earlyStopping.minDelta");
    this.restoreBest = options.restoreBest ?? false;
  }

  /**
   * Records the loss of `epoch`, measured at the parameters `at` (the current ones by default:
   * copies of them when a compiled step has updated them since); returns true to stop.
   */
  observe(loss: number, epoch: number, at: readonly Tensor[] = this.params): boolean {
    if (loss < this.best - this.minDelta) {
      this.best = loss;
      this.bestEpoch = epoch;
      this.waited = 0;
      if (this.restoreBest) this.snapshot = at.map((p) => p.detach().clone());
      return false;
    }
    this.waited++;
    return this.waited >= this.patience;
  }

  /** With `restoreBest`, copies the best parameters back and returns their epoch. */
  restore(): number | undefined {
    const snapshot = this.snapshot;
    if (snapshot === null) return undefined;
    noGrad(() => {
      this.params.forEach((p, i) => {
        p.copy_(snapshot[i] as Tensor);
      });
    });
    return this.bestEpoch;
  }
}
