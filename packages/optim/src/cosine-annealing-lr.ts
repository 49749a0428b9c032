import { LRScheduler, type SchedulerOptions } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";
import { checkFinite, checkInteger } from "./validate";

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Half period: epochs from the initial to the minimum learning rate. */
  tMax: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing from each group's initial learning rate down to `etaMin` over `tMax`
 * epochs (and back up, periodically), computed with torch's recursive form, so that changes
 * made to the learning rate from outside are carried along as in PyTorch.
 *
 * @example
 * const scheduler = new CosineAnnealingLR(optimizer, { tMax: 100 });
 */
export class CosineAnnealingLR extends LRScheduler<{ tMax: number; etaMin: number }> {
  constructor(optimizer: Optimizer<BaseOptions>, options: CosineAnnealingLROptions) {
    const { tMax, etaMin = 0, lastEpoch = -1 } = options ?? {};
    checkInteger("CosineAnnealingLR", "tMax", tMax, 1, "options");
    checkFinite(
      "CosineAnnealingLR",
      "etaMin",
      etaMin,
      "options",
      "pass a minimum learning rate such as { etaMin: 0 }.",
    );
    super("CosineAnnealingLR", optimizer, { tMax, etaMin }, lastEpoch);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { tMax, etaMin } = this.settings;
    const epoch = this.lastEpoch;
    if (epoch === 0) return this.groups.map((group) => group.lr);
    if (this.stepCount === 1 && epoch > 0) {
      // resuming: the closed form
      return this.baseLrs.map(
        (base) => etaMin + ((base - etaMin) * (1 + Math.cos((epoch * Math.PI) / tMax))) / 2,
      );
    }
    if ((epoch - 1 - tMax) % (2 * tMax) === 0) {
      return this.groups.map(
        (group, i) =>
          group.lr + (((this.baseLrs[i] as number) - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2,
      );
    }
    return this.groups.map(
      (group) =>
        ((1 + Math.cos((Math.PI * epoch) / tMax)) /
          (1 + Math.cos((Math.PI * (epoch - 1)) / tMax))) *
          (group.lr - etaMin) +
        etaMin,
    );
  }
}
