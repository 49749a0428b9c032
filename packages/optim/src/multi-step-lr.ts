import { LRScheduler, type SchedulerOptions } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";
import { checkFinite, checkNumber } from "./validate";

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay; a milestone listed twice decays by `gamma²`. */
  milestones: number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` when the epoch reaches a milestone,
 * as torch's MultiStepLR.
 *
 * @example
 * const scheduler = new MultiStepLR(optimizer, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler<{ milestones: number[]; gamma: number }> {
  constructor(optimizer: Optimizer<BaseOptions>, options: MultiStepLROptions) {
    const { milestones, gamma = 0.1, lastEpoch = -1 } = options ?? {};
    const valid = Array.isArray(milestones) && milestones.every((m) => Number.isInteger(m));
    checkNumber(
      "MultiStepLR",
      "milestones",
      valid ? 0 : milestones,
      () => valid,
      "an array of integer epochs",
      "options",
      "pass e.g. { milestones: [30, 80] }.",
    );
    checkFinite(
      "MultiStepLR",
      "gamma",
      gamma,
      "options",
      "pass a decay factor such as { gamma: 0.1 }.",
    );
    super("MultiStepLR", optimizer, { milestones: milestones.slice(), gamma }, lastEpoch);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { milestones, gamma } = this.settings;
    const hits = milestones.filter((milestone) => milestone === this.lastEpoch).length;
    return this.groups.map((group) => (hits === 0 ? group.lr : group.lr * gamma ** hits));
  }
}
