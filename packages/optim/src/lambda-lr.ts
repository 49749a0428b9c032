import { OptimError } from "./errors";
import { checkOptimizer, LRScheduler, type SchedulerOptions } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";

/** A function from the epoch to a factor of the initial learning rate. */
export type LrLambda = (epoch: number) => number;

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions extends SchedulerOptions {
  /** One function for all groups, or one per group. */
  lrLambda: LrLambda | LrLambda[];
}

/**
 * Sets each group's learning rate to its initial learning rate times `lrLambda(epoch)`,
 * as torch's LambdaLR. The functions are not part of the state dict.
 *
 * @example
 * const scheduler = new LambdaLR(optimizer, (epoch) => 0.95 ** epoch);
 */
export class LambdaLR extends LRScheduler<Record<string, never>> {
  private readonly lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer<BaseOptions>, options: LambdaLROptions | LrLambda | LrLambda[]) {
    const { lrLambda, lastEpoch = -1 } =
      typeof options === "function" || Array.isArray(options)
        ? { lrLambda: options }
        : (options ?? {});
    const groups = checkOptimizer("LambdaLR", optimizer).paramGroups.length;
    const lambdas = Array.isArray(lrLambda) ? lrLambda.slice() : Array(groups).fill(lrLambda);
    if (lambdas.length !== groups || !lambdas.every((fn) => typeof fn === "function")) {
      throw new OptimError(
        "INVALID_ARGUMENT",
        "LambdaLR",
        `expected ${groups} lrLambda function(s), one per parameter group, vs got ${Array.isArray(lrLambda) ? `an array of ${lrLambda.length}` : typeof lrLambda}. Hint: pass one function, e.g. (epoch) => 0.95 ** epoch, or an array with one per group.`,
      );
    }
    super("LambdaLR", optimizer, {}, lastEpoch);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => base * (this.lrLambdas[i] as LrLambda)(this.lastEpoch));
  }
}
