import { formatShape, isFloating, type Tensor, tensor } from "@x/tensor";
import { DataError } from "./errors";
import { requireTensor, show } from "./validate";

/** Floating dtypes a fitted normaliser keeps its statistics in. */
export type StatsDType = "float32" | "float64";

/** Per-column statistics as plain JSON: one number for 1-d data, one per column for 2-d data. */
export type ColumnValues = number | number[];

/**
 * What every normaliser offers: `fit` on training data (returns the normaliser), then
 * `transform` training and validation data alike, and undo it with `inverseTransform`.
 */
export interface Normalizer<State = unknown> {
  /** Learns the statistics from `x` (1-d, or 2-d per column); returns this normaliser. */
  fit(x: Tensor): this;
  /** Applies the learned scaling to `x`. */
  transform(x: Tensor): Tensor;
  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor;
  /** Undoes `transform`. */
  inverseTransform(y: Tensor): Tensor;
  /** The learned statistics as plain JSON (numbers and arrays). */
  stateDict(): State;
  /** Restores statistics from {@link Normalizer.stateDict}; returns this normaliser. */
  loadStateDict(state: State): this;
}

/** What a fitted {@link ColumnScaler} holds: its statistics by name, and the column count. */
export interface Fitted<K extends string> {
  /** The fitted statistics (e.g. `mean` and `std`), each a tensor of one value per column. */
  stats: Record<K, Tensor>;
  /** Number of columns for 2-d data, null for 1-d data (scalar statistics). */
  columns: number | null;
}

/**
 * Shared machinery of the statistics-based normalisers: input checks, per-column statistics of
 * 1-d or 2-d data, the fitted/unfitted state, zero-spread checks and state dicts.
 */
export abstract class ColumnScaler<K extends string> {
  protected fitted: Fitted<K> | null = null;
  /** Public name used in error messages, e.g. `"StandardScaler"`. */
  protected abstract readonly kind: string;
  /** The statistics' names, in state-dict order. */
  protected abstract readonly statNames: readonly K[];
  /** What must be non-zero per column, and how messages call it. */
  protected abstract readonly spreadName: string;
  protected abstract compute(x: Tensor): Record<K, Tensor>;
  protected abstract spread(stats: Record<K, Tensor>): Tensor;
  protected abstract apply(x: Tensor, stats: Record<K, Tensor>): Tensor;
  protected abstract invert(y: Tensor, stats: Record<K, Tensor>): Tensor;

  /** Learns the statistics of `x` (1-d, or 2-d with one statistic per column); returns this. */
  fit(x: Tensor): this {
    const op = `${this.kind}.fit`;
    const data = this.checkInput(x, op);
    if (data.ndim > 2 || (data.shape[0] as number) === 0) {
      throw new DataError(
        "INVALID_ARGUMENT",
        op,
        `expects 1-d or 2-d data with at least one row, but got shape ${formatShape(data.shape)}. Hint: reshape to [samples, features].`,
      );
    }
    const stats = this.compute(data);
    for (const name of this.statNames) stats[name] = stats[name].detach(); // no graph in the state
    this.checkStats(stats, op, (column) => firstValue(data, column));
    this.fitted = { stats, columns: data.ndim === 2 ? (data.shape[1] as number) : null };
    return this;
  }

  /**
   * Applies the learned scaling to `x`: 2-d data with as many columns as the fitted data, or, for
   * statistics fitted on 1-d data, any shape (e.g. a model's `[n, 1]` output).
   */
  transform(x: Tensor): Tensor {
    const fitted = this.requireFitted("transform");
    return this.apply(this.checkColumns(x, fitted, "transform"), fitted.stats);
  }

  /** `fit(x).transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes {@link ColumnScaler.transform}. */
  inverseTransform(y: Tensor): Tensor {
    const fitted = this.requireFitted("inverseTransform");
    return this.invert(this.checkColumns(y, fitted, "inverseTransform"), fitted.stats);
  }

  /** True once `fit` or `loadStateDict` has run. */
  get isFitted(): boolean {
    return this.fitted !== null;
  }

  protected statsState(): Record<K, ColumnValues> & { dtype: StatsDType } {
    const { stats } = this.requireFitted("stateDict");
    const state: Record<string, unknown> = {};
    for (const name of this.statNames) state[name] = stats[name].toArray();
    state.dtype = stats[this.statNames[0] as K].dtype;
    return state as Record<K, ColumnValues> & { dtype: StatsDType };
  }

  protected loadStats(state: Record<K, unknown> & { dtype?: unknown }): void {
    const op = `${this.kind}.loadStateDict`;
    const invalid = (what: string): never => {
      throw new DataError(
        "INVALID_STATE",
        op,
        `${what}, expected { ${[...this.statNames, "dtype"].join(", ")} } vs got ${show(state === null || typeof state !== "object" ? state : Object.keys(state))}. Hint: pass an object returned by ${this.kind}.stateDict().`,
      );
    };
    if (state === null || typeof state !== "object") invalid("state must be an object");
    const dtype = state.dtype ?? "float32";
    if (dtype !== "float32" && dtype !== "float64")
      invalid(`dtype ${show(dtype)} is not a float dtype`);
    const values = this.statNames.map((name) => state[name]);
    const scalar = values.every((v) => typeof v === "number");
    const columns = Array.isArray(values[0]) ? values[0].length : -1;
    const vectors = values.every(
      (v) => Array.isArray(v) && v.length === columns && v.every((e) => typeof e === "number"),
    );
    if (!scalar && !(vectors && columns > 0))
      invalid("statistics must all be numbers, or arrays of numbers of one length");
    const stats = {} as Record<K, Tensor>;
    this.statNames.forEach((name, i) => {
      stats[name] = tensor(values[i] as number | number[], { dtype: dtype as StatsDType });
    });
    this.checkStats(stats, op, () => undefined);
    this.fitted = { stats, columns: scalar ? null : columns };
  }

  private checkStats(
    stats: Record<K, Tensor>,
    op: string,
    constantOf: (column: number | undefined) => number | undefined,
  ): void {
    const perColumn = stats[this.statNames[0] as K].ndim === 1;
    const columnOf = (i: number) => (perColumn ? i : undefined);
    for (const name of this.statNames) {
      const values = Array.from(stats[name].toTypedArray() as Float32Array);
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        const column = columnOf(bad);
        throw new DataError(
          "NOT_FINITE",
          op,
          `${name} of ${where(column)} is ${values[bad]}, expected a finite number. Hint: remove NaN and infinite values from the data first.`,
          { column },
        );
      }
    }
    const spreads = Array.from(this.spread(stats).toTypedArray() as Float32Array);
    const zero = spreads.findIndex((v) => !(v > 0));
    if (zero >= 0) {
      const column = columnOf(zero);
      const value = constantOf(column);
      throw new DataError(
        "ZERO_VARIANCE",
        op,
        `${this.spreadName} of ${where(column)} is ${spreads[zero]}, expected > 0${value === undefined ? "" : ` (every value is ${value})`}. Hint: a constant column carries no information; drop it before scaling.`,
        { column },
      );
    }
  }

  private requireFitted(method: string): Fitted<K> {
    if (this.fitted === null) {
      throw new DataError(
        "NOT_FITTED",
        `${this.kind}.${method}`,
        `this ${this.kind} is not fitted yet. Hint: call fit(trainingData) (or loadStateDict) first.`,
      );
    }
    return this.fitted;
  }

  private checkInput(x: Tensor, op: string): Tensor {
    const data = requireTensor(x, op);
    return isFloating(data.dtype) ? data : data.float();
  }

  private checkColumns(x: Tensor, fitted: Fitted<K>, method: string): Tensor {
    const op = `${this.kind}.${method}`;
    const data = this.checkInput(x, op);
    if (fitted.columns !== null && (data.ndim !== 2 || data.shape[1] !== fitted.columns)) {
      throw new DataError(
        "SHAPE_MISMATCH",
        op,
        `expects 2-d data with ${fitted.columns} columns (as fitted), but got shape ${formatShape(data.shape)}. Hint: pass [samples, ${fitted.columns}] data with the columns in the fitted order.`,
      );
    }
    return data;
  }
}

function where(column: number | undefined): string {
  return column === undefined ? "the data" : `column ${column}`;
}

function firstValue(x: Tensor, column: number | undefined): number {
  const row = x.select(0, 0);
  return (column === undefined ? row : row.select(0, column)).item() as number;
}
