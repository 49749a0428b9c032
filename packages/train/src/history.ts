import { TrainError } from "./errors";
import { show } from "./validate";

/** One epoch of a `fit` run. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Training loss of the epoch (full batch: before the step; loader: sample-weighted mean). */
  trainLoss: number;
  /** Validation loss of the epoch, when `fit` was given `val`. */
  valLoss?: number;
  /** Learning rate of parameter group 0 during the epoch. */
  lr: number;
  /** Wall-clock time of the epoch in milliseconds. */
  ms: number;
}

/**
 * Why a run ended: it ran every epoch, early stopping ran out of patience, `onEpoch` returned
 * `'stop'`, the `AbortSignal` fired, or a loss diverged (the history attached to the
 * `DivergenceError`).
 */
export type StopReason = "completed" | "earlyStopping" | "onEpoch" | "aborted" | "diverged";

/** {@link History} as plain JSON (what checkpoints store). */
export interface HistoryJSON {
  records: EpochRecord[];
  stopReason: StopReason;
  restoredEpoch?: number;
}

/** Options of {@link History.isOverfitting}. */
export interface OverfittingOptions {
  /** Epochs that must have passed since the best validation loss (default 1). */
  patience?: number | undefined;
  /**
   * How large the gap between the last validation and training losses must be, and how much it
   * must have grown since the best epoch, as a fraction of the last validation loss (default 0:
   * any positive gap that grew). With e.g. 0.01, losses that only jitter in their last digits
   * after converging are not overfitting.
   */
  minGap?: number | undefined;
}

const stopReasons: readonly StopReason[] = [
  "completed",
  "earlyStopping",
  "onEpoch",
  "aborted",
  "diverged",
];

const marker = Symbol.for("@x/train/History");

/** The record of a training run: one {@link EpochRecord} per epoch plus how the run ended. */
export class History {
  readonly [marker] = true;
  /** One record per epoch, in order. */
  readonly records: EpochRecord[];
  /** Why the run ended. */
  stopReason: StopReason;
  /** The epoch whose parameters early stopping restored (`restoreBest`), if it did. */
  restoredEpoch: number | undefined;

  constructor(
    records: EpochRecord[] = [],
    stopReason: StopReason = "completed",
    restoredEpoch?: number,
  ) {
    this.records = records;
    this.stopReason = stopReason;
    this.restoredEpoch = restoredEpoch;
  }

  /** True when the run ended before its last epoch because of early stopping or `onEpoch`. */
  get stoppedEarly(): boolean {
    return this.stopReason === "earlyStopping" || this.stopReason === "onEpoch";
  }

  /** True when the `AbortSignal` stopped the run. */
  get aborted(): boolean {
    return this.stopReason === "aborted";
  }

  /** The last record, if any epoch ran. */
  get last(): EpochRecord | undefined {
    return this.records[this.records.length - 1];
  }

  /** True when at least one record has a validation loss. */
  get hasValidation(): boolean {
    return this.records.some((r) => r.valLoss !== undefined);
  }

  /**
   * The record with the lowest validation loss (the training loss when there was no validation
   * set); the earliest one on ties.
   */
  bestRecord(): EpochRecord | undefined {
    const key = this.hasValidation ? "valLoss" : "trainLoss";
    let best: EpochRecord | undefined;
    for (const record of this.records) {
      const value = record[key];
      if (value !== undefined && (best === undefined || value < (best[key] as number)))
        best = record;
    }
    return best;
  }

  /** The epoch of {@link History.bestRecord}. */
  bestEpoch(): number | undefined {
    return this.bestRecord()?.epoch;
  }

  /** The lowest validation loss, or undefined without validation. */
  bestValLoss(): number | undefined {
    return this.hasValidation ? this.bestRecord()?.valLoss : undefined;
  }

  /**
   * True when the validation loss was lowest at some epoch E at least `patience` epochs before the
   * last, and since E it has risen while the training loss kept falling, so that the validation
   * loss now exceeds the training loss by a gap that grew (both by more than `minGap` of the
   * validation loss): the model is fitting the training set at the expense of new data.
   */
  isOverfitting(options: OverfittingOptions = {}): boolean {
    const patience = options.patience ?? 1;
    const minGap = options.minGap ?? 0;
    const best = this.hasValidation ? this.bestRecord() : undefined;
    const last = this.last;
    if (best === undefined || last === undefined || last.valLoss === undefined) return false;
    const bestVal = best.valLoss as number;
    const gap = last.valLoss - last.trainLoss;
    const tolerance = minGap * Math.abs(last.valLoss);
    return (
      last.epoch - best.epoch >= patience &&
      last.valLoss > bestVal &&
      last.trainLoss < best.trainLoss &&
      gap > tolerance &&
      gap - (bestVal - best.trainLoss) > tolerance
    );
  }

  /** True for a `History` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(value: unknown): value is History {
    return typeof value === "object" && value !== null && marker in value;
  }

  /** Plain JSON copy (records, stop reason, restored epoch). */
  toJSON(): HistoryJSON {
    const json: HistoryJSON = {
      records: this.records.map((r) => ({ ...r })),
      stopReason: this.stopReason,
    };
    if (this.restoredEpoch !== undefined) json.restoredEpoch = this.restoredEpoch;
    return json;
  }

  /** Rebuilds a history from {@link History.toJSON}'s output; throws `CHECKPOINT_INVALID` on anything else. */
  static fromJSON(json: unknown, op = "History.fromJSON"): History {
    const { records, stopReason, restoredEpoch } = (json ?? {}) as Partial<HistoryJSON>;
    const validRecord = (r: EpochRecord) =>
      r !== null &&
      typeof r === "object" &&
      Number.isInteger(r.epoch) &&
      [r.trainLoss, r.lr, r.ms].every((x) => typeof x === "number") &&
      (r.valLoss === undefined || typeof r.valLoss === "number");
    if (
      !Array.isArray(records) ||
      !records.every(validRecord) ||
      !stopReasons.includes(stopReason as StopReason)
    ) {
      throw new TrainError(
        "CHECKPOINT_INVALID",
        op,
        `expected { records: [{ epoch, trainLoss, valLoss?, lr, ms }], stopReason } vs got ${show(json)} with records ${show(records)} and stopReason ${show(stopReason)}. Hint: pass the output of history.toJSON().`,
      );
    }
    return new History(
      records.map((r) => ({ ...r })),
      stopReason as StopReason,
      restoredEpoch,
    );
  }
}
