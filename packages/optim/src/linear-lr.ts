import { LRScheduler, type SchedulerOptions } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";
import { checkInteger, checkNumber } from "./validate";

/** Options of {@link LinearLR}. */
export interface LinearLROptions extends SchedulerOptions {
  /** Factor of the initial learning rate at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor reached after `totalIters` epochs, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor changes linearly (default 5). */
  totalIters?: number;
}

/**
 * Changes each group's learning rate linearly from `startFactor` to `endFactor` times its
 * initial value over `totalIters` epochs (a warm-up, or a linear decay), as torch's LinearLR.
 *
 * @example
 * const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler<{
  startFactor: number;
  endFactor: number;
  totalIters: number;
}> {
  constructor(optimizer: Optimizer<BaseOptions>, options: LinearLROptions = {}) {
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 } = options ?? {};
    const hint =
      "factors multiply the initial learning rate, e.g. { startFactor: 0.1, endFactor: 1 }.";
    checkNumber(
      "LinearLR",
      "startFactor",
      startFactor,
      (x) => x > 0 && x <= 1,
      "0 < startFactor <= 1",
      "options",
      hint,
    );
    checkNumber(
      "LinearLR",
      "endFactor",
      endFactor,
      (x) => x >= 0 && x <= 1,
      "0 <= endFactor <= 1",
      "options",
      hint,
    );
    checkInteger("LinearLR", "totalIters", totalIters, 1, "options");
    super("LinearLR", optimizer, { startFactor, endFactor, totalIters }, lastEpoch);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { startFactor, endFactor, totalIters } = this.settings;
    const epoch = this.lastEpoch;
    if (epoch === 0) return this.groups.map((group) => group.lr * startFactor);
    if (epoch > totalIters) return this.groups.map((group) => group.lr);
    const change = endFactor - startFactor;
    return this.groups.map(
      (group) => group.lr * (1 + change / (totalIters * startFactor + (epoch - 1) * change)),
    );
  }
}
