import { type Tensor, where } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";

/** How a loss combines its per-element values: their mean, their sum, or none (same shape). */
export type Reduction = "mean" | "sum" | "none";

/** Options of `mseLoss` and `l1Loss`. */
export interface LossOptions {
  /** `'mean'` (the default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Options of `huberLoss`. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss switches from quadratic to linear; must be > 0 (default 1). */
  delta?: number;
}

/** Options of `smoothL1Loss`. */
export interface SmoothL1LossOptions extends LossOptions {
  /** Where the loss switches from quadratic to linear; must be >= 0 (default 1; 0 is l1Loss). */
  beta?: number;
}

const REDUCTIONS: readonly string[] = ["mean", "sum", "none"];

/** Validates the pair and the reduction; returns the reduction. */
function checkPair(op: string, input: Tensor, target: Tensor, options: LossOptions): Reduction {
  checkTensor(input, op, "input");
  checkTensor(target, op, "target");
  const { shape: p } = input;
  const { shape: t } = target;
  if (p.length !== t.length || p.some((size, i) => size !== t[i])) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `input and target must have the same shape, ${formatShape(p)} vs ${formatShape(t)} (PyTorch would broadcast them and silently compare every prediction with every target). Hint: make the shapes equal, e.g. input.squeeze(-1) for [n, 1] vs [n], or target.unsqueeze(-1) for [n] vs [n, 1].`,
    );
  }
  return checkReduction(op, options.reduction ?? "mean");
}

/** Returns `reduction` if it is one of 'mean', 'sum', 'none'; throws INVALID_ARGUMENT otherwise. */
export function checkReduction(op: string, reduction: unknown): Reduction {
  if (!REDUCTIONS.includes(reduction as string)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `reduction must be one of 'mean', 'sum', 'none', but got ${show(reduction)}.`,
    );
  }
  return reduction as Reduction;
}

/** A loss's per-element values combined as `reduction` asks. */
export function reduce(values: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return values;
  return reduction === "sum" ? values.sum() : values.mean();
}

/** A threshold option as the loss uses it: checked, then cast to the input's dtype (as torch). */
function threshold(
  op: string,
  name: string,
  value: number,
  input: Tensor,
  allowZero: boolean,
): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0)
  ) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be ${allowZero ? ">= 0" : "> 0"} and finite, but got ${show(value)}. Hint: the default is 1.`,
    );
  }
  return input.dtype === "float64" ? value : Math.fround(value);
}

/**
 * Mean squared error, `(input - target)²` reduced as asked (torch.nn.functional.mse_loss).
 * Unlike PyTorch, shapes that differ are an error, not a broadcast.
 *
 * @example
 * mseLoss(model.forward(x), y)                        // 0-d tensor, the mean
 * mseLoss(model.forward(x), y, { reduction: "none" }) // one value per element
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkPair("mseLoss", input, target, options);
  const diff = input.sub(target);
  return reduce(diff.mul(diff), reduction);
}

/** Mean absolute error, `|input - target|` reduced as asked (torch.nn.functional.l1_loss). */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkPair("l1Loss", input, target, options);
  return reduce(input.sub(target).abs(), reduction);
}

/**
 * Huber loss (torch.nn.functional.huber_loss): with `z = |input - target|`, `0.5·z²` where
 * `z < delta` and `delta·(z - 0.5·delta)` elsewhere, reduced as asked.
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const reduction = checkPair("huberLoss", input, target, options);
  const delta = threshold("huberLoss", "delta", options.delta ?? 1, input, false);
  const z = input.sub(target).abs();
  return reduce(where(z.lt(delta), z.mul(0.5).mul(z), z.sub(0.5 * delta).mul(delta)), reduction);
}

/**
 * Smooth L1 loss (torch.nn.functional.smooth_l1_loss): with `z = |input - target|`,
 * `0.5·z²/beta` where `z < beta` and `z - 0.5·beta` elsewhere, reduced as asked; `beta = 0` is
 * `l1Loss`. Huber loss divided by beta.
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: SmoothL1LossOptions = {},
): Tensor {
  const reduction = checkPair("smoothL1Loss", input, target, options);
  const beta = threshold("smoothL1Loss", "beta", options.beta ?? 1, input, true);
  const z = input.sub(target).abs();
  if (beta === 0) return reduce(z, reduction);
  return reduce(where(z.lt(beta), z.mul(0.5).mul(z).div(beta), z.sub(0.5 * beta)), reduction);
}
