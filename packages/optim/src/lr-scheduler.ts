import { OptimError } from "./errors";
import { Optimizer } from "./optimizer";
import type { BaseOptions, ParamGroup } from "./param-groups";
import { checkInteger } from "./validate";

/** Options every epoch-based scheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch when resuming (default -1: start fresh). */
  lastEpoch?: number;
}

/** A scheduler's own settings (`stepSize`, `gamma`, ...): numbers and arrays of numbers. */
export type SchedulerSettings = Record<string, number | number[]>;

/** A scheduler's state as plain JSON, as torch's `scheduler.state_dict()`. */
export interface SchedulerStateDict<S extends SchedulerSettings = SchedulerSettings> {
  /** Epochs stepped so far (0 after construction). */
  lastEpoch: number;
  /** How many times `step()` ran, construction included. */
  stepCount: number;
  /** Each group's starting learning rate (`initialLr`). */
  baseLrs: number[];
  /** The learning rates set by the last step. */
  lastLr: number[];
  /** The scheduler's settings (`stepSize`, `gamma`, ...). */
  settings: S;
}

/**
 * Base class of the epoch-based learning-rate schedulers, as torch's `LRScheduler`: it records
 * each group's `initialLr`, sets the learning rates for epoch 0 on construction, and on every
 * `step()` moves to the next epoch and writes the new rates into the optimizer's groups.
 */
export abstract class LRScheduler<S extends SchedulerSettings = SchedulerSettings> {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: Optimizer<BaseOptions>;
  /** Each group's starting learning rate. */
  baseLrs: number[];
  /** The current epoch (-1 before the initial step). */
  lastEpoch: number;
  /** How many times `step()` ran (the initial step included). */
  protected stepCount = 0;
  /** The learning rates the last step set. */
  protected lastLr: number[] = [];
  /** The name in error messages, e.g. `"StepLR"`. */
  protected readonly api: string;
  /** The scheduler's own settings, saved in the state dict. */
  protected settings: S;

  protected constructor(
    api: string,
    optimizer: Optimizer<BaseOptions>,
    settings: S,
    lastEpoch = -1,
  ) {
    this.api = api;
    this.settings = settings;
    this.optimizer = checkOptimizer(api, optimizer);
    checkInteger(
      api,
      "lastEpoch",
      lastEpoch,
      -1,
      "options",
      "use -1 to start fresh, or the last finished epoch when resuming.",
    );
    this.optimizer.paramGroups.forEach((group, index) => {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new OptimError(
          "MISSING_INITIAL_LR",
          api,
          `param 'initialLr' is not specified in paramGroups[${index}] when resuming an optimizer with lastEpoch ${lastEpoch}, expected a number. Hint: set initialLr in each group (or pass lastEpoch -1 to start fresh).`,
        );
      }
    });
    this.baseLrs = this.optimizer.paramGroups.map((group) => group.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Runs the initial step (epoch 0); subclasses call it at the end of their constructor. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The learning rates of the epoch just entered, one per group (torch's recursive `get_lr`). */
  protected abstract computeLr(): number[];

  /** The optimizer's groups. */
  protected get groups(): ParamGroup<BaseOptions>[] {
    return this.optimizer.paramGroups;
  }

  /** Advances one epoch and sets every group's learning rate. Call after `optimizer.step()`. */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    const values = this.computeLr();
    this.groups.forEach((group, index) => {
      group.lr = values[index] as number;
    });
    this.lastLr = this.groups.map((group) => group.lr);
  }

  /** The learning rates set by the last step, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The scheduler's state as plain JSON (the optimizer is saved separately). */
  stateDict(): SchedulerStateDict<S> {
    return {
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: this.baseLrs.slice(),
      lastLr: this.lastLr.slice(),
      settings: structuredClone(this.settings),
    };
  }

  /** Restores a state saved by {@link LRScheduler.stateDict}. */
  loadStateDict(state: SchedulerStateDict<S>): void {
    const groups = this.groups.length;
    const names = (settings: unknown) =>
      typeof settings === "object" && settings !== null
        ? Object.keys(settings).join(", ") || "(none)"
        : "none";
    if (names(state?.settings) !== names(this.settings)) {
      throw new OptimError(
        "INVALID_STATE_DICT",
        `${this.api}.loadStateDict`,
        `expected settings ${names(this.settings)} vs got ${names(state?.settings)}. Hint: load a state saved by a ${this.api}.`,
      );
    }
    if (
      !Array.isArray(state?.baseLrs) ||
      state.baseLrs.length !== groups ||
      !Array.isArray(state.lastLr)
    ) {
      throw new OptimError(
        "INVALID_STATE_DICT",
        `${this.api}.loadStateDict`,
        `expected a state with ${groups} baseLrs (one per parameter group) vs got ${Array.isArray(state?.baseLrs) ? state.baseLrs.length : "none"}. Hint: pass scheduler.stateDict() from a scheduler over the same optimizer groups.`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    this.stepCount = state.stepCount;
    this.baseLrs = state.baseLrs.slice();
    this.lastLr = state.lastLr.slice();
    this.settings = structuredClone(state.settings);
  }
}

/** Throws `INVALID_ARGUMENT` unless `optimizer` is an {@link Optimizer}. */
export function checkOptimizer(api: string, optimizer: unknown): Optimizer<BaseOptions> {
  if (optimizer instanceof Optimizer) return optimizer as Optimizer<BaseOptions>;
  const got = optimizer === null ? "null" : typeof optimizer;
  throw new OptimError(
    "INVALID_ARGUMENT",
    api,
    `expected an Optimizer vs got ${got}. Hint: new ${api}(optimizer, { ... }) with an optimizer such as new SGD([params]).`,
  );
}
