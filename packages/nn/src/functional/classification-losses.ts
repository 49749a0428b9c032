import { Function as AutogradFunction, type FunctionContext } from "@x/autograd";
import { isFloating, type Tensor, where } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { checkReduction, type Reduction, reduce } from "./losses";

/** Options of `nllLoss`. */
export interface NLLLossOptions {
  /** A rescaling weight per class, `[C]` (default: every class weighs 1). */
  weight?: Tensor | null;
  /** A target value that is left out of the loss and of the mean's divisor (default -100). */
  ignoreIndex?: number;
  /** `'mean'` (the default, weighted by the targets' class weights), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: `(1 - ε)·target + ε/C` (default 0). */
  labelSmoothing?: number;
}

/** Options of `binaryCrossEntropy`. */
export interface BCELossOptions {
  /** A rescaling weight broadcast against the loss of each element (default none). */
  weight?: Tensor | null;
  /** `'mean'` (the default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BCEWithLogitsLossOptions extends BCELossOptions {
  /** A weight of the positive examples, broadcast against the target (e.g. one per class). */
  posWeight?: Tensor | null;
}

function checkFloatInput(op: string, input: Tensor): void {
  checkTensor(input, op, "input");
  if (!isFloating(input.dtype)) {
    throw new NNError(
      "INVALID_DTYPE",
      op,
      `input must be float32 or float64, but got ${input.dtype}. Hint: convert it with .float().`,
    );
  }
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** The class dimension of an input (0 for a single `[C]` sample, else 1) and the class count. */
function classDim(op: string, input: Tensor): [number, number] {
  if (input.ndim === 0) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      "input must be [C] or [N, C, *] (scores per class), but got a 0-d tensor. Hint: reshape it to [1, C].",
    );
  }
  const dim = input.ndim === 1 ? 0 : 1;
  return [dim, input.shape[dim] as number];
}

/** The shape a class-index target must have: the input's without the class dimension. */
function indexShape(input: Tensor, dim: number): number[] {
  return input.shape.filter((_, i) => i !== dim);
}

/** Checks a class-index target: integer dtype, the input's shape minus C, values in [0, C). */
function checkClassTarget(
  op: string,
  input: Tensor,
  target: Tensor,
  dim: number,
  classes: number,
  ignoreIndex: number,
): void {
  const want = indexShape(input, dim);
  if (isFloating(target.dtype)) {
    throw new NNError(
      "INVALID_DTYPE",
      op,
      `a float target must be class probabilities of the input's shape ${formatShape(input.shape)}, but got ${formatShape(target.shape)}; class indices must be an integer tensor of shape ${formatShape(want)}. Hint: for class indices use target.int(); for probabilities give one value per class.`,
    );
  }
  if (target.dtype === "bool") {
    throw new NNError(
      "INVALID_DTYPE",
      op,
      `target must hold class indices (int32) of shape ${formatShape(want)}, but got a bool tensor. Hint: convert it with target.int().`,
    );
  }
  if (!sameShape(target.shape, want)) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `target must have shape ${formatShape(want)} (the input ${formatShape(input.shape)} without its class dimension ${dim}), but got ${formatShape(target.shape)}.`,
    );
  }
  const values = target.toTypedArray();
  for (const value of values) {
    if (value !== ignoreIndex && (value < 0 || value >= classes)) {
      throw new NNError(
        "INDEX_OUT_OF_RANGE",
        op,
        `target ${value} is out of bounds for ${classes} classes (valid class indices are 0 to ${classes - 1}${ignoreIndex < 0 || ignoreIndex >= classes ? `, or ignoreIndex ${ignoreIndex}` : ""}). Hint: class indices start at 0; set ignoreIndex to leave a value out.`,
      );
    }
  }
}

function checkWeight(op: string, name: string, weight: unknown, shape: readonly number[]): void {
  if (weight === null || weight === undefined) return;
  checkTensor(weight, op, name);
  if (!sameShape(weight.shape, shape)) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `${name} must have shape ${formatShape(shape)} (one value per class), but got ${formatShape(weight.shape)}.`,
    );
  }
}

/** `[C]` weight viewed to broadcast along the class dimension `dim` of an `ndim`-d input. */
function alongClasses(weight: Tensor, dim: number, ndim: number): Tensor {
  const shape = Array<number>(ndim).fill(1);
  shape[dim] = weight.shape[0] as number;
  return weight.reshape(shape);
}

/** The negative log-likelihood of class-index targets, with validated arguments. */
function nll(
  input: Tensor,
  target: Tensor,
  dim: number,
  weight: Tensor | null,
  ignoreIndex: number,
  reduction: Reduction,
): Tensor {
  const ignored = target.eq(ignoreIndex);
  const safe = where(ignored, 0, target);
  const picked = input.gather(dim, safe.unsqueeze(dim)).squeeze(dim);
  const classWeight = weight ? weight.indexSelect(0, safe.flatten()).reshape(safe.shape) : null;
  const kept = where(ignored, 0, classWeight ?? 1).to(input.dtype);
  const losses = where(ignored, 0, classWeight ? picked.mul(classWeight).neg() : picked.neg());
  if (reduction === "none") return losses;
  const total = losses.sum();
  return reduction === "sum" ? total : total.div(kept.sum());
}

/**
 * The negative log-likelihood loss (torch.nn.functional.nll_loss) of log-probabilities `input`
 * (`[C]`, `[N, C]` or `[N, C, d1, …]`) and class indices `target` (int32, the input's shape
 * without C): `-weight[t]·input[…, t, …]`, summed, or averaged over the targets' weights.
 * Targets equal to `ignoreIndex` count for nothing.
 *
 * @example
 * nllLoss(logits.logSoftmax(1), labels)
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  const op = "nllLoss";
  checkFloatInput(op, input);
  checkTensor(target, op, "target");
  const { weight = null, ignoreIndex = -100 } = options;
  const reduction = checkReduction(op, options.reduction ?? "mean");
  const [dim, classes] = classDim(op, input);
  checkWeight(op, "weight", weight, [classes]);
  checkClassTarget(op, input, target, dim, classes, ignoreIndex);
  return nll(input, target, dim, weight, ignoreIndex, reduction);
}

function checkSmoothing(op: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `labelSmoothing must be between 0 and 1, but got ${show(value)}.`,
    );
  }
  return value;
}

/** `scale · t` with the scale rounded to the tensor's dtype first, as torch's Python scalars. */
const scaled = (t: Tensor, scale: number): Tensor =>
  t.mul(t.dtype === "float32" ? Math.fround(scale) : scale);

/**
 * Cross-entropy of unnormalised scores `input` (`[C]`, `[N, C]` or `[N, C, d1, …]`) against
 * class indices (int32, the input's shape without C) or class probabilities (float, the input's
 * shape) — torch.nn.functional.cross_entropy: `logSoftmax` along C then the negative
 * log-likelihood, with class weights, `ignoreIndex` (class indices only) and label smoothing.
 *
 * @example
 * crossEntropy(model.forward(x), labels)                         // labels: int32 [N]
 * crossEntropy(logits, labels, { labelSmoothing: 0.1, weight })
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = "crossEntropy";
  checkFloatInput(op, input);
  checkTensor(target, op, "target");
  const { weight = null, ignoreIndex = -100 } = options;
  const reduction = checkReduction(op, options.reduction ?? "mean");
  const smoothing = checkSmoothing(op, options.labelSmoothing ?? 0);
  const [dim, classes] = classDim(op, input);
  checkWeight(op, "weight", weight, [classes]);
  const logp = input.logSoftmax(dim);
  if (isFloating(target.dtype) && sameShape(target.shape, input.shape)) {
    return probabilityLoss(logp, target.to(input.dtype), dim, weight, reduction, smoothing);
  }
  checkClassTarget(op, input, target, dim, classes, ignoreIndex);
  const loss = nll(logp, target, dim, weight, ignoreIndex, reduction);
  if (smoothing === 0) return loss;
  const ignored = target.eq(ignoreIndex);
  const perClass = weight ? logp.mul(alongClasses(weight, dim, logp.ndim)) : logp;
  const smooth = where(ignored, 0, perClass.sum(dim).neg());
  let smoothLoss = smooth;
  if (reduction === "sum") smoothLoss = smooth.sum();
  else if (reduction === "mean") {
    // torch divides by the targets' weights when weighted and by every position (ignored ones
    // included) when not
    smoothLoss = weight
      ? smooth
          .sum()
          .div(
            where(
              ignored,
              0,
              weight.indexSelect(0, where(ignored, 0, target).flatten()).reshape(target.shape),
            ).sum(),
          )
      : smooth.mean();
  }
  return scaled(loss, 1 - smoothing).add(scaled(smoothLoss, smoothing / classes));
}

/** Cross-entropy with class-probability targets (torch's `cross_entropy` soft-label branch). */
function probabilityLoss(
  logp: Tensor,
  target: Tensor,
  dim: number,
  weight: Tensor | null,
  reduction: Reduction,
  smoothing: number,
): Tensor {
  const classes = logp.shape[dim] as number;
  const smoothed = smoothing > 0 ? scaled(target, 1 - smoothing).add(smoothing / classes) : target;
  const products = logp.mul(smoothed);
  const loss = weight ? products.mul(alongClasses(weight, dim, logp.ndim)) : products;
  if (reduction === "none") return loss.sum(dim).neg();
  if (reduction === "sum") return loss.sum().neg();
  return loss
    .sum()
    .neg()
    .div(logp.numel() / classes);
}

/**
 * Checks a binary loss's input, target (floating, the input's shape) and tensor options;
 * returns the reduction.
 */
function checkBinary(
  op: string,
  input: Tensor,
  target: Tensor,
  options: BCEWithLogitsLossOptions,
): Reduction {
  checkFloatInput(op, input);
  for (const name of ["weight", "posWeight"] as const) {
    const value = options[name];
    if (value !== null && value !== undefined) checkTensor(value, op, name);
  }
  checkTensor(target, op, "target");
  if (!isFloating(target.dtype)) {
    throw new NNError(
      "INVALID_DTYPE",
      op,
      `target must be a float tensor of 0/1 labels or probabilities, but got ${target.dtype}. Hint: convert it with target.float() (or input.dtype).`,
    );
  }
  if (!sameShape(target.shape, input.shape)) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `target must have the input's shape ${formatShape(input.shape)}, but got ${formatShape(target.shape)}. Hint: make the shapes equal, e.g. input.squeeze(-1) for [n, 1] vs [n].`,
    );
  }
  return checkReduction(op, options.reduction ?? "mean");
}

/**
 * The elementwise binary cross-entropy with torch's gradient formulas: the logs clamped at -100
 * in the forward, `(x - y) / max((1 - x)·x, 1e-12)` for the input and `-logit(x)` for the target.
 */
class BinaryCrossEntropy extends AutogradFunction {
  static override forward(ctx: FunctionContext, input: Tensor, target: Tensor): Tensor {
    ctx.saveForBackward(input, target);
    const log1m = input.neg().log1p().clamp(-100);
    const log = input.log().clamp(-100);
    return target.sub(1).mul(log1m).sub(target.mul(log));
  }

  static override backward(ctx: FunctionContext, grad: Tensor): (Tensor | null)[] {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    const [needsInput, needsTarget] = ctx.needsInputGrad;
    const denominator = x.neg().add(1).mul(x).clamp(1e-12);
    const dInput = needsInput ? grad.mul(x.sub(y)).div(denominator) : null;
    const dTarget = needsTarget ? x.div(x.neg().add(1)).log().neg().mul(grad) : null;
    return [dInput, dTarget];
  }
}

/**
 * Binary cross-entropy of probabilities `input` (in [0, 1]) and targets of the same shape
 * (torch.nn.functional.binary_cross_entropy): `-w·(y·log x + (1 - y)·log(1 - x))`, each log
 * clamped at -100 as torch does, so that 0 and 1 give finite losses.
 *
 * @example
 * binaryCrossEntropy(logits.sigmoid(), labels)
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  options: BCELossOptions = {},
): Tensor {
  const op = "binaryCrossEntropy";
  const reduction = checkBinary(op, input, target, options);
  const { weight = null } = options;
  const values = input.toTypedArray();
  for (const value of values) {
    if (!(value >= 0 && value <= 1)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        op,
        `all elements of input should be between 0 and 1, but got ${value}. Hint: apply sigmoid() first, or use binaryCrossEntropyWithLogits on the raw scores.`,
      );
    }
  }
  const loss = BinaryCrossEntropy.apply(input, target.to(input.dtype));
  return reduce(weight ? loss.mul(weight) : loss, reduction);
}

/**
 * Binary cross-entropy of raw scores (logits) and targets of the same shape
 * (torch.nn.functional.binary_cross_entropy_with_logits), computed with torch's stable formula
 * `(1 - y)·x + (1 + (p - 1)·y)·(log(e^-m + e^(-x-m)) + m)`, `m = max(-x, 0)`; `posWeight` `p`
 * weighs the positive examples, `weight` every element.
 *
 * @example
 * binaryCrossEntropyWithLogits(scores, labels, { posWeight: tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: BCEWithLogitsLossOptions = {},
): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const reduction = checkBinary(op, input, target, options);
  const { weight = null, posWeight = null } = options;
  const y = target.to(input.dtype);
  const maxVal = input.neg().clamp(0);
  const softplus = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log();
  const negative = y.neg().add(1).mul(input);
  const loss = posWeight
    ? negative.add(posWeight.sub(1).mul(y).add(1).mul(softplus.add(maxVal)))
    : negative.add(maxVal).add(softplus);
  return reduce(weight ? loss.mul(weight) : loss, reduction);
}
