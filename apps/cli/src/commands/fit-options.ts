import type { Tensor } from "@x/tensor";
import type { ColumnOptions, Dataset } from "../data";
import type { ModelChoice } from "../model";
import type { NormalizeSpec } from "../normalize";
import type { OptimizerSettings } from "../optimizers";

/** `x fit`'s options, after commander parsed them. */
export interface FitCommandOptions extends ColumnOptions {
  model: ModelChoice;
  optimizer: OptimizerSettings["name"];
  lr: number;
  momentum?: number | undefined;
  epochs: number;
  normalize: NormalizeSpec;
  valFraction: number;
  seed: number;
  earlyStopping?: number | undefined;
  save?: string | undefined;
  plot?: string | undefined;
  logEvery?: number | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
  color: boolean;
  /** False with `--no-compile`: `fit` runs its steps eagerly instead of its default `'auto'`. */
  compile: boolean;
}

/** The optimizer part of the options. */
export function optimizerSettings(options: FitCommandOptions): OptimizerSettings {
  return { name: options.optimizer, lr: options.lr, momentum: options.momentum };
}

/** The data after the split and the normalisation. */
export interface PreparedData {
  data: Dataset;
  train: { x: Tensor; y: Tensor; rawX: Tensor };
  /** The held-out rows; `rows` are their indices in the data (torch's `randperm` split). */
  val?: { x: Tensor; y: Tensor; rawX: Tensor; rows: number[] } | undefined;
}
