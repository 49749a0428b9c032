import { type Tensor, where } from "@x/tensor";
import { checkTensor, NNError, show } from "../errors";

/** Options of {@link normalize}, as torch's keyword arguments. */
export interface NormalizeOptions {
  /** The exponent of the norm (default 2; `Infinity` is the largest magnitude). */
  p?: number;
  /** The dim whose vectors are normalised (default 1). */
  dim?: number;
  /** Smallest divisor, so zero vectors stay zero (default 1e-12). */
  eps?: number;
}

/** The `p`-norm of `x` along `dim`, kept as a size-1 dim; its gradient at a zero vector is 0, as torch's. */
function pNorm(x: Tensor, p: number, dim: number): Tensor {
  const size = x.abs();
  if (p === Infinity) return size.amax(dim, true);
  if (p === 1) return size.sum(dim, true);
  const total = (p === 2 ? x.square() : size.pow(p)).sum(dim, true);
  const zero = total.eq(0);
  const root = where(zero, 1, total).pow(1 / p);
  return where(zero, 0, root);
}

/**
 * Divides `x` by the `p`-norm of its vectors along `dim` (torch.nn.functional.normalize):
 * `x / max(‖x‖ₚ, eps)`.
 *
 * @example
 * normalize(x, { dim: 1 }) // each row of a [N, D] tensor gets length 1
 */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  checkTensor(x, "normalize", "input");
  const { p = 2, dim = 1, eps = 1e-12 } = options;
  if (typeof p !== "number" || !(p > 0)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "normalize",
      `p must be a positive number, but got ${show(p)}.`,
    );
  }
  if (!Number.isInteger(dim) || dim < -Math.max(x.ndim, 1) || dim >= Math.max(x.ndim, 1)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "normalize",
      `dim must be an integer in [${-Math.max(x.ndim, 1)}, ${Math.max(x.ndim, 1)}) for an input of ${x.ndim} dims, but got ${show(dim)}.`,
    );
  }
  const norm = pNorm(x, p, dim);
  return x.div(norm.clamp(eps).expand(x.shape.slice()));
}
