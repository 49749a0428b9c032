import { formatShape, type Tensor, where } from "@x/tensor";
import { TrainError } from "./errors";
import { requireNumber, requireTensor, show } from "./validate";

/** How a loss combines its per-element values: their mean, their sum, or none (same shape). */
export type Reduction = "mean" | "sum" | "none";

/** Options of {@link mseLoss} and {@link l1Loss}. */
export interface LossOptions {
  /** `'mean'` (the default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss switches from quadratic to linear; must be > 0 (default 1). */
  delta?: number;
}

/** A loss function as `fit` and `evaluate` call it: prediction first, then target. */
export type LossFn = (prediction: Tensor, target: Tensor) => Tensor;

const reductions: readonly string[] = ["mean", "sum", "none"];

/** Validates the pair and the reduction; returns the reduction. */
function checkInputs(
  op: string,
  prediction: Tensor,
  target: Tensor,
  options: LossOptions,
): Reduction {
  requireTensor(prediction, op, "prediction");
  requireTensor(target, op, "target");
  const { shape: p } = prediction;
  const { shape: t } = target;
  if (p.length !== t.length || p.some((size, i) => size !== t[i])) {
    throw new TrainError(
      "SHAPE_MISMATCH",
      op,
      `prediction and target must have the same shape, ${formatShape(p)} vs ${formatShape(t)} (PyTorch would broadcast them and silently compare every prediction with every target). Hint: make the shapes equal, e.g. prediction.squeeze(-1) for [n, 1] vs [n], or target.unsqueeze(-1) for [n] vs [n, 1].`,
    );
  }
  const reduction = options.reduction ?? "mean";
  if (!reductions.includes(reduction)) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `reduction must be one of 'mean', 'sum', 'none', but got ${show(reduction)}.`,
    );
  }
  return reduction;
}

function reduce(values: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return values;
  return reduction === "sum" ? values.sum() : values.mean();
}

/**
 * Mean squared error, `(prediction - target)²` reduced as asked (torch.nn.functional.mse_loss).
 * Unlike PyTorch, shapes that differ are an error, not a broadcast.
 *
 * @example
 * mseLoss(model(x), y)                          // 0-d tensor, the mean
 * mseLoss(model(x), y, { reduction: "none" })   // one value per element
 */
export function mseLoss(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkInputs("mseLoss", prediction, target, options);
  const diff = prediction.sub(target);
  return reduce(diff.mul(diff), reduction);
}

/**
 * Mean absolute error, `|prediction - target|` reduced as asked (torch.nn.functional.l1_loss).
 * Shapes that differ are an error.
 */
export function l1Loss(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkInputs("l1Loss", prediction, target, options);
  return reduce(prediction.sub(target).abs(), reduction);
}

/**
 * Huber loss (torch.nn.functional.huber_loss): with `z = |prediction - target|`, `0.5·z²` where
 * `z < delta` and `delta·(z - 0.5·delta)` elsewhere, reduced as asked. Shapes that differ are an error.
 */
export function huberLoss(
  prediction: Tensor,
  target: Tensor,
  options: HuberLossOptions = {},
): Tensor {
  const reduction = checkInputs("huberLoss", prediction, target, options);
  const requested = requireNumber(options.delta ?? 1, 0, "huberLoss", "delta");
  if (requested === 0) {
    throw new TrainError(
      "INVALID_OPTION",
      "huberLoss",
      "delta must be > 0, but got 0. Hint: the default is 1.",
    );
  }
  // PyTorch casts delta to the input's dtype before using it.
  const delta = prediction.dtype === "float64" ? requested : Math.fround(requested);
  const z = prediction.sub(target).abs();
  const quadratic = z.mul(0.5).mul(z);
  const linear = z.sub(0.5 * delta).mul(delta);
  return reduce(where(z.lt(delta), quadratic, linear), reduction);
}
