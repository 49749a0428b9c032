import { LRScheduler, type SchedulerOptions } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";
import { checkFinite, checkInteger } from "./validate";

/** Options of {@link StepLR}. */
export interface StepLROptions extends SchedulerOptions {
  /** Decay every `stepSize` epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` epochs, as torch's StepLR:
 * `lr = initialLr · gamma^⌊epoch / stepSize⌋`.
 *
 * @example
 * const scheduler = new StepLR(optimizer, { stepSize: 100, gamma: 0.5 });
 * // each epoch: train..., optimizer.step(); scheduler.step();
 */
export class StepLR extends LRScheduler<{ stepSize: number; gamma: number }> {
  constructor(optimizer: Optimizer<BaseOptions>, options: StepLROptions) {
    const { stepSize, gamma = 0.1, lastEpoch = -1 } = options ?? {};
    checkInteger("StepLR", "stepSize", stepSize, 1, "options");
    checkFinite("StepLR", "gamma", gamma, "options", "pass a decay factor such as { gamma: 0.1 }.");
    super("StepLR", optimizer, { stepSize, gamma }, lastEpoch);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { stepSize, gamma } = this.settings;
    const decay = this.lastEpoch !== 0 && this.lastEpoch % stepSize === 0;
    return this.groups.map((group) => (decay ? group.lr * gamma : group.lr));
  }
}
