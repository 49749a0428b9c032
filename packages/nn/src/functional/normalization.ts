import { noGrad } from "@x/autograd";
import { isFloating, type Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** Per-channel scale `[C]` (γ), or null/undefined for none. */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (β), or null/undefined for none. */
  bias?: Tensor | null;
  /** Normalise with the batch's statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
}

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  /** Elementwise scale of `normalizedShape`'s shape, or null/undefined for none. */
  weight?: Tensor | null;
  /** Elementwise shift of `normalizedShape`'s shape, or null/undefined for none. */
  bias?: Tensor | null;
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
}

function checkFloating(op: string, name: string, t: Tensor): void {
  if (!isFloating(t.dtype)) {
    throw new NNError(
      "INVALID_DTYPE",
      op,
      `${name} must be float32 or float64, but got ${t.dtype}. Hint: convert it with .float().`,
    );
  }
}

function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps < 0) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `eps must be a finite number >= 0, but got ${show(eps)}. Hint: the default is 1e-5.`,
    );
  }
  return eps;
}

/** Throws unless `t` is null or a tensor of shape `shape` (named `name`). */
function checkShaped(op: string, name: string, t: unknown, shape: readonly number[]): void {
  if (t === null || t === undefined) return;
  checkTensor(t, op, name);
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `${name} must have shape ${formatShape(shape)}, but got ${formatShape(t.shape)}.`,
    );
  }
}

/** Rounds a float64 intermediate to float32 when the input is float32 (PyTorch's scalar_t). */
const toDtypeOf = (t: Tensor, like: Tensor): Tensor =>
  t.dtype === like.dtype ? t : t.to(like.dtype);

/**
 * The batch's mean and biased variance per channel, `[C]` each, rounded as PyTorch's CPU kernel
 * rounds them: sums accumulate in float64 (float32 for `[N, C]` inputs, which torch reduces as
 * channels-last rows), the mean is rounded to the input's dtype, the squared deviations are
 * rounded before they are summed, and the variance is that sum divided by the count.
 */
function batchStatistics(x: Tensor, dims: number[], count: number): [Tensor, Tensor, Tensor] {
  const rows = x.numel() / (x.shape[0] as number) / (x.shape[1] as number) === 1;
  const sum = rows ? x.sum(dims).double() : x.double().sum(dims);
  const mean = toDtypeOf(sum.div(count), x);
  const deviation = x.sub(channelView(mean, x.ndim));
  const squares = deviation.mul(deviation);
  const varSum = rows
    ? withValue(squares.sum(dims), fusedSquareSum(deviation))
    : toDtypeOf(squares.double().sum(dims), x);
  return [mean, varSum.div(count), varSum];
}

/**
 * `Σ_n d[n]²` over the rows of `[N, C]` deviations accumulated as torch's vectorised kernel
 * does, one fused multiply-add per row (`y = fma(d, d, y)`); not differentiable.
 */
function fusedSquareSum(deviation: Tensor): Tensor {
  return noGrad(() => {
    const rows = deviation.detach().unbind(0);
    let sum = (rows[0] as Tensor).mul(0);
    for (const row of rows) sum = sum.addcmul(row, row);
    return sum;
  });
}

/**
 * `value`'s numbers with `differentiable`'s gradient: `differentiable + (value - differentiable)`,
 * where the difference of two nearby floats, and adding it back, are exact.
 */
function withValue(differentiable: Tensor, value: Tensor): Tensor {
  return differentiable.add(value.sub(differentiable.detach()));
}

/** A `[C]` tensor viewed as `[1, C, 1, …]` to broadcast over an `ndim`-dimensional input. */
function channelView(t: Tensor, ndim: number): Tensor {
  return t.reshape([1, t.shape[0] as number, ...Array<number>(Math.max(0, ndim - 2)).fill(1)]);
}

/** Updates the running statistics in place as PyTorch does (`momentum` as a float32 for float32). */
function updateRunning(running: Tensor, batch: Tensor, momentum: number, inDouble: boolean): void {
  const m = running.dtype === "float32" ? Math.fround(momentum) : momentum;
  const kept = running.mul(running.dtype === "float32" ? Math.fround(1 - m) : 1 - m);
  const updated = inDouble ? batch.double().mul(m).add(kept.double()) : batch.mul(m).add(kept);
  running.copy_(updated);
}

/**
 * Batch normalisation (torch.nn.functional.batch_norm) of `x`, `[N, C, *]`, per channel `C`:
 * `(x - mean) / sqrt(var + eps) · weight + bias`. In training mode the batch's mean and biased
 * variance are used and, when given, `runningMean`/`runningVar` are updated in place with
 * `momentum` (the variance with the unbiased estimate); otherwise the running statistics are
 * used. Rounds as PyTorch's CPU kernel (float32 results bit for bit).
 *
 * @example
 * batchNorm(x, runningMean, runningVar, { weight, bias, training: true })
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const op = "batchNorm";
  checkTensor(x, op, "input");
  checkFloating(op, "input", x);
  const { weight = null, bias = null, training = false, momentum = 0.1 } = options;
  const eps = checkEps(op, options.eps ?? 1e-5);
  if (x.ndim < 2) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `input must be [N, C] or [N, C, *], but got ${formatShape(x.shape)}. Hint: add a batch dimension with x.unsqueeze(0).`,
    );
  }
  const channels = x.shape[1] as number;
  for (const [name, t] of [
    ["runningMean", runningMean],
    ["runningVar", runningVar],
    ["weight", weight],
    ["bias", bias],
  ] as const) {
    checkShaped(op, name, t, [channels]);
  }
  const count = x.numel() / channels;
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  let mean: Tensor;
  let invstd: Tensor;
  if (training) {
    if (count <= 1) {
      throw new NNError(
        "INVALID_ARGUMENT",
        op,
        `expected more than 1 value per channel when training, but got input of shape ${formatShape(x.shape)}. Hint: use a batch of 2 or more samples, or call eval().`,
      );
    }
    const [batchMean, variance, varSum] = batchStatistics(x, dims, count);
    mean = batchMean;
    invstd = toDtypeOf(variance.double().add(eps).rsqrt(), x);
    noGrad(() => {
      if (runningMean) updateRunning(runningMean, mean.detach(), momentum, false);
      if (runningVar) updateRunning(runningVar, varSum.detach().div(count - 1), momentum, true);
    });
  } else {
    if (!runningMean || !runningVar) {
      throw new NNError(
        "INVALID_ARGUMENT",
        op,
        "runningMean and runningVar must be given when training is false. Hint: pass { training: true } to normalise with the batch's statistics.",
      );
    }
    mean = runningMean;
    invstd = runningVar
      .add(x.dtype === "float32" ? Math.fround(eps) : eps)
      .sqrt()
      .reciprocal();
  }
  // output = x · alpha + beta, alpha = invstd · weight, beta = bias - mean · alpha, fused as
  // torch's AVX2 kernel fuses them
  const alpha = weight ? invstd.mul(weight) : invstd;
  const beta = (bias ?? alpha.mul(0)).addcmul(mean.neg(), alpha);
  return channelView(beta, x.ndim).addcmul(x, channelView(alpha, x.ndim));
}

/**
 * Layer normalisation (torch.nn.functional.layer_norm): normalises `x` over its last dimensions,
 * those of `normalizedShape`, with their mean and biased variance, then scales by `weight` and
 * shifts by `bias` elementwise.
 *
 * @example
 * layerNorm(x, [x.shape.at(-1)], { weight, bias })
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  options: LayerNormOptions = {},
): Tensor {
  const op = "layerNorm";
  checkTensor(x, op, "input");
  checkFloating(op, "input", x);
  const eps = checkEps(op, options.eps ?? 1e-5);
  const { weight = null, bias = null } = options;
  const k = Array.isArray(normalizedShape) ? normalizedShape.length : -1;
  const tail = x.shape.slice(x.ndim - k);
  if (
    k < 1 ||
    k > x.ndim ||
    normalizedShape.some((s, i) => !Number.isSafeInteger(s) || s !== tail[i])
  ) {
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `normalizedShape must be the last dimensions of the input, but got ${show(normalizedShape)} for input of shape ${formatShape(x.shape)}. Hint: for features in the last dimension pass [${x.shape.at(-1) ?? "…"}].`,
    );
  }
  checkShaped(op, "weight", weight, normalizedShape);
  checkShaped(op, "bias", bias, normalizedShape);
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const count = tail.reduce((a, b) => a * b, 1);
  const mean = toDtypeOf(x.double().sum(dims, true).div(count), x);
  const deviation = x.double().sub(mean.double());
  const variance = toDtypeOf(deviation.mul(deviation).sum(dims, true).div(count), x);
  const rstd = variance
    .add(x.dtype === "float32" ? Math.fround(eps) : eps)
    .sqrt()
    .reciprocal();
  const normalized = rstd.mul(mean).neg().addcmul(x, rstd);
  const scaled = weight ? normalized.mul(weight) : normalized;
  return bias ? scaled.add(bias) : scaled;
}
