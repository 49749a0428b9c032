import type { Tensor } from "@x/tensor";
import { ColumnScaler, type ColumnValues, type Normalizer, type StatsDType } from "./column-scaler";
import { DataError } from "./errors";
import { requireTensor, show } from "./validate";

/** {@link StandardScaler.stateDict}: the fitted mean and population standard deviation. */
export interface StandardScalerState {
  mean: ColumnValues;
  std: ColumnValues;
  dtype: StatsDType;
}

/**
 * Standardises data to zero mean and unit variance: `(x - mean) / std`, with the population
 * standard deviation (as scikit-learn), per column for 2-d data. Computed with float32 tensor ops
 * (float64 for float64 data), so it matches the same expression in PyTorch.
 *
 * @example
 * const scaler = new StandardScaler().fit(xTrain);
 * const xVal = scaler.transform(xValRaw);
 */
export class StandardScaler
  extends ColumnScaler<"mean" | "std">
  implements Normalizer<StandardScalerState>
{
  protected readonly kind = "StandardScaler";
  protected readonly statNames = ["mean", "std"] as const;
  protected readonly spreadName = "standard deviation";

  protected compute(x: Tensor): Record<"mean" | "std", Tensor> {
    return { mean: x.mean(0), std: x.std(0, { correction: 0 }) };
  }
  protected spread(stats: Record<"mean" | "std", Tensor>): Tensor {
    return stats.std;
  }
  protected apply(x: Tensor, { mean, std }: Record<"mean" | "std", Tensor>): Tensor {
    return x.sub(mean).div(std);
  }
  protected invert(y: Tensor, { mean, std }: Record<"mean" | "std", Tensor>): Tensor {
    return y.mul(std).add(mean);
  }

  /** The fitted mean (a 0-d tensor for 1-d data, one entry per column for 2-d data). */
  get mean(): Tensor | undefined {
    return this.fitted?.stats.mean;
  }
  /** The fitted population standard deviation. */
  get std(): Tensor | undefined {
    return this.fitted?.stats.std;
  }

  /** `{ mean, std, dtype }` as plain JSON. */
  stateDict(): StandardScalerState {
    return this.statsState();
  }
  /** Restores a {@link StandardScaler.stateDict}; returns this scaler. */
  loadStateDict(state: StandardScalerState): this {
    this.loadStats(state);
    return this;
  }
}

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** The target interval `[low, high]` (default `[0, 1]`). */
  range?: readonly [number, number];
}

/** {@link MinMaxScaler.stateDict}: the target range and the fitted minimum and maximum. */
export interface MinMaxScalerState {
  range: [number, number];
  min: ColumnValues;
  max: ColumnValues;
  dtype: StatsDType;
}

/** The statistics a {@link MinMaxScaler} fits: per-column minimum and maximum. */
export type MinMax = Record<"min" | "max", Tensor>;

function checkRange(range: unknown, op: string, code: "INVALID_ARGUMENT" | "INVALID_STATE") {
  const ok =
    Array.isArray(range) &&
    range.length === 2 &&
    range.every((v) => typeof v === "number" && Number.isFinite(v)) &&
    (range[0] as number) < (range[1] as number);
  if (!ok) {
    throw new DataError(
      code,
      op,
      `range must be [low, high] with finite low < high, but got ${show(range)}. Hint: use [0, 1] or [-1, 1].`,
    );
  }
  return [range[0], range[1]] as [number, number];
}

/**
 * Rescales data linearly into `range` (default `[0, 1]`): `(x - min) / (max - min) · (high - low)
 * + low`, with `min`/`max` per column for 2-d data.
 *
 * @example
 * const scaler = new MinMaxScaler({ range: [-1, 1] }).fit(xTrain);
 */
export class MinMaxScaler
  extends ColumnScaler<"min" | "max">
  implements Normalizer<MinMaxScalerState>
{
  protected readonly kind = "MinMaxScaler";
  protected readonly statNames = ["min", "max"] as const;
  protected readonly spreadName = "range (max - min)";
  private target: [number, number];

  /** `new MinMaxScaler()`, `new MinMaxScaler({ range: [-1, 1] })` or `new MinMaxScaler([-1, 1])`. */
  constructor(options: MinMaxScalerOptions | readonly [number, number] = {}) {
    super();
    const range = Array.isArray(options)
      ? options
      : ((options as MinMaxScalerOptions).range ?? [0, 1]);
    this.target = checkRange(range, "MinMaxScaler", "INVALID_ARGUMENT");
  }

  /** The target interval `[low, high]`. */
  get range(): [number, number] {
    return [...this.target];
  }

  protected compute(x: Tensor): MinMax {
    return { min: x.min(0).values, max: x.max(0).values };
  }
  protected spread({ min, max }: MinMax): Tensor {
    return max.sub(min);
  }
  protected apply(x: Tensor, { min, max }: MinMax): Tensor {
    const [low, high] = this.target;
    return x
      .sub(min)
      .div(max.sub(min))
      .mul(high - low)
      .add(low);
  }
  protected invert(y: Tensor, { min, max }: MinMax): Tensor {
    const [low, high] = this.target;
    return y
      .sub(low)
      .div(high - low)
      .mul(max.sub(min))
      .add(min);
  }

  /** The fitted minimum (a 0-d tensor for 1-d data, one entry per column for 2-d data). */
  get dataMin(): Tensor | undefined {
    return this.fitted?.stats.min;
  }
  /** The fitted maximum. */
  get dataMax(): Tensor | undefined {
    return this.fitted?.stats.max;
  }

  /** `{ range, min, max, dtype }` as plain JSON. */
  stateDict(): MinMaxScalerState {
    return { range: this.range, ...this.statsState() };
  }
  /** Restores a {@link MinMaxScaler.stateDict} (including its range); returns this scaler. */
  loadStateDict(state: MinMaxScalerState): this {
    const range = checkRange(state?.range, "MinMaxScaler.loadStateDict", "INVALID_STATE");
    this.loadStats(state);
    this.target = range;
    return this;
  }
}

/** {@link Scale.stateDict}. */
export interface ScaleState {
  factor: number;
}

function checkFactor(factor: unknown, op: string, code: "INVALID_ARGUMENT" | "INVALID_STATE") {
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor === 0) {
    throw new DataError(
      code,
      op,
      `factor must be a finite non-zero number, but got ${show(factor)}. Hint: the book scales t_u with new Scale(0.1).`,
    );
  }
  return factor;
}

/**
 * Multiplies by a fixed `factor` (the book's `0.1 * t_u`); `fit` learns nothing and returns this,
 * so it can stand wherever a fitted normaliser is expected.
 */
export class Scale implements Normalizer<ScaleState> {
  private scale: number;

  constructor(factor: number) {
    this.scale = checkFactor(factor, "Scale", "INVALID_ARGUMENT");
  }

  /** The multiplier. */
  get factor(): number {
    return this.scale;
  }
  /** Nothing to learn; returns this. */
  fit(_x: Tensor): this {
    return this;
  }
  /** `x · factor`. */
  transform(x: Tensor): Tensor {
    return requireTensor(x, "Scale.transform", 0).mul(this.scale);
  }
  /** `x · factor` (nothing to fit). */
  fitTransform(x: Tensor): Tensor {
    return this.transform(x);
  }
  /** `y / factor`. */
  inverseTransform(y: Tensor): Tensor {
    return requireTensor(y, "Scale.inverseTransform", 0).div(this.scale);
  }
  /** `{ factor }`. */
  stateDict(): ScaleState {
    return { factor: this.scale };
  }
  /** Restores `{ factor }`; returns this. */
  loadStateDict(state: ScaleState): this {
    this.scale = checkFactor(state?.factor, "Scale.loadStateDict", "INVALID_STATE");
    return this;
  }
}
