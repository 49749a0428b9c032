import { LRScheduler, type SchedulerOptions } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";
import { checkFinite } from "./validate";

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative factor applied every epoch. */
  gamma: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every epoch, as torch's ExponentialLR.
 *
 * @example
 * const scheduler = new ExponentialLR(optimizer, { gamma: 0.99 });
 */
export class ExponentialLR extends LRScheduler<{ gamma: number }> {
  constructor(optimizer: Optimizer<BaseOptions>, options: ExponentialLROptions) {
    const { gamma, lastEpoch = -1 } = options ?? {};
    checkFinite(
      "ExponentialLR",
      "gamma",
      gamma,
      "options",
      "pass a decay factor such as { gamma: 0.99 }.",
    );
    super("ExponentialLR", optimizer, { gamma }, lastEpoch);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { gamma } = this.settings;
    return this.groups.map((group) => (this.lastEpoch === 0 ? group.lr : group.lr * gamma));
  }
}
