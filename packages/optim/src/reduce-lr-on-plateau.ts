import { Tensor } from "@x/tensor";
import { OptimError } from "./errors";
import { checkOptimizer } from "./lr-scheduler";
import type { Optimizer } from "./optimizer";
import type { BaseOptions } from "./param-groups";
import { decodeNumber, encodeNumber, type JsonNumber } from "./serialize";
import { checkInteger, checkNonNegative, checkNumber } from "./validate";

/** Options of {@link ReduceLROnPlateau} (torch's, in camelCase). */
export interface ReduceLROnPlateauOptions {
  /** `'min'`: reduce when the metric stops decreasing; `'max'`: when it stops increasing (default 'min'). */
  mode?: "min" | "max";
  /** New learning rate = old · factor, with factor < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** `'rel'`: relative to the best value; `'abs'`: absolute (default 'rel'). */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate, for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/** The state of a {@link ReduceLROnPlateau} as plain JSON (`best` may be ±Infinity, spelled as a string). */
export interface ReduceLROnPlateauStateDict {
  /** The settings. */
  mode: "min" | "max";
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: "rel" | "abs";
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** The progress. */
  best: JsonNumber;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
}

/**
 * Reduces the learning rate when a metric has stopped improving, as torch's ReduceLROnPlateau:
 * after more than `patience` epochs without an improvement (by `threshold`), every group's
 * learning rate is multiplied by `factor` (not below `minLr`), then `cooldown` epochs pass
 * before bad epochs count again.
 *
 * @example
 * const scheduler = new ReduceLROnPlateau(optimizer, { patience: 5 });
 * // each epoch: scheduler.step(valLoss);
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: Optimizer<BaseOptions>;
  private state: Omit<ReduceLROnPlateauStateDict, "best"> & { best: number };

  constructor(optimizer: Optimizer<BaseOptions>, options: ReduceLROnPlateauOptions = {}) {
    const api = "ReduceLROnPlateau";
    this.optimizer = checkOptimizer(api, optimizer);
    const {
      mode = "min",
      factor = 0.1,
      patience = 10,
      threshold = 1e-4,
      thresholdMode = "rel",
      cooldown = 0,
      minLr = 0,
      eps = 1e-8,
    } = options ?? {};
    const groups = this.optimizer.paramGroups.length;
    checkChoice(api, "mode", mode, ["min", "max"]);
    checkChoice(api, "thresholdMode", thresholdMode, ["rel", "abs"]);
    checkNumber(
      api,
      "factor",
      factor,
      (x) => x >= 0 && x < 1,
      "0 <= factor < 1",
      "options",
      "factor should be < 1.0, e.g. { factor: 0.1 }.",
    );
    checkInteger(api, "patience", patience, 0, "options");
    checkInteger(api, "cooldown", cooldown, 0, "options");
    checkNonNegative(
      api,
      "threshold",
      "threshold",
      threshold,
      "options",
      "use e.g. { threshold: 1e-4 }.",
    );
    checkNonNegative(api, "eps", "eps", eps, "options", "use e.g. { eps: 1e-8 }.");
    const minLrs = Array.isArray(minLr) ? minLr.slice() : Array<number>(groups).fill(minLr);
    if (minLrs.length !== groups) {
      throw new OptimError(
        "INVALID_ARGUMENT",
        api,
        `expected ${groups} minLr value(s), one per parameter group, vs got ${minLrs.length}. Hint: pass one number for all groups, or an array with one per group.`,
      );
    }
    for (const value of minLrs)
      checkNonNegative(api, "minLr", "minLr", value, "options", "use 0 for no lower bound.");
    const lastLr = this.optimizer.paramGroups.map((group) => group.lr);
    const best = mode === "min" ? Infinity : -Infinity;
    this.state = {
      mode,
      factor,
      patience,
      threshold,
      thresholdMode,
      cooldown,
      minLrs,
      eps,
      best,
      numBadEpochs: 0,
      cooldownCounter: 0,
      lastEpoch: 0,
      lastLr,
    };
  }

  /** Records this epoch's metric (a number or a one-element tensor) and reduces the learning rate if it has plateaued. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? Number(metric.item()) : metric;
    if (typeof current !== "number") {
      throw new OptimError(
        "INVALID_ARGUMENT",
        "ReduceLROnPlateau.step",
        `expected the metric as a number or a one-element tensor vs got ${typeof metric}. Hint: scheduler.step(valLoss).`,
      );
    }
    const s = this.state;
    s.lastEpoch += 1;
    if (this.isBetter(current)) {
      s.best = current;
      s.numBadEpochs = 0;
    } else {
      s.numBadEpochs += 1;
    }
    if (s.cooldownCounter > 0) {
      s.cooldownCounter -= 1;
      s.numBadEpochs = 0; // bad epochs in cooldown are ignored
    }
    if (s.numBadEpochs > s.patience) {
      this.reduceLr();
      s.cooldownCounter = s.cooldown;
      s.numBadEpochs = 0;
    }
    s.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /** The learning rates after the last step (at construction: the optimizer's), one per group. */
  getLastLr(): number[] {
    return this.state.lastLr.slice();
  }

  /** The scheduler's state as plain JSON. */
  stateDict(): ReduceLROnPlateauStateDict {
    return structuredClone({ ...this.state, best: encodeNumber(this.state.best) });
  }

  /** Restores a state saved by {@link ReduceLROnPlateau.stateDict}. */
  loadStateDict(state: ReduceLROnPlateauStateDict): void {
    const groups = this.optimizer.paramGroups.length;
    if (!Array.isArray(state?.minLrs) || state.minLrs.length !== groups) {
      throw new OptimError(
        "INVALID_STATE_DICT",
        "ReduceLROnPlateau.loadStateDict",
        `expected a state with ${groups} minLrs (one per parameter group) vs got ${Array.isArray(state?.minLrs) ? state.minLrs.length : "none"}. Hint: pass scheduler.stateDict() from a ReduceLROnPlateau over the same optimizer groups.`,
      );
    }
    const copy = structuredClone(state);
    this.state = { ...copy, best: decodeNumber(copy.best) };
  }

  private isBetter(current: number): boolean {
    const { mode, thresholdMode, threshold, best } = this.state;
    if (mode === "min" && thresholdMode === "rel") return current < best * (1 - threshold);
    if (mode === "min") return current < best - threshold;
    if (thresholdMode === "rel") return current > best * (threshold + 1);
    return current > best + threshold;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, index) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.state.factor, this.state.minLrs[index] as number);
      if (oldLr - newLr > this.state.eps) group.lr = newLr;
    });
  }
}

function checkChoice(api: string, name: string, value: unknown, choices: readonly string[]): void {
  if (typeof value === "string" && choices.includes(value)) return;
  throw new OptimError(
    "INVALID_HYPERPARAMETER",
    api,
    `${name} ${JSON.stringify(value)} is unknown, expected one of ${choices.map((c) => `'${c}'`).join(", ")} (options). Hint: pass e.g. { ${name}: '${choices[0]}' }.`,
  );
}
