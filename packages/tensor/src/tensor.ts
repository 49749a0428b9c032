import { autogradHooks, type BackwardOptions, twoCopiesError } from "./dispatch";
import type { DType } from "./dtype";
import { TensorError } from "./errors";
import { formatTensor } from "./format";
import {
  celu,
  elu,
  elu_,
  type GeluOptions,
  gelu,
  hardsigmoid,
  hardswish,
  hardtanh,
  hardtanh_,
  leakyRelu,
  leakyRelu_,
  logsigmoid,
  mish,
  relu6,
  type SoftplusOptions,
  selu,
  silu,
  softplus,
  softsign,
} from "./ops/activations";
import { type IndexPutOptions, index, indexPut, indexPut_ } from "./ops/advanced-index";
import { addScaled, binary, binarySpecs, div } from "./ops/binary";
import {
  bitwiseAnd,
  bitwiseLeftShift,
  bitwiseNot,
  bitwiseOr,
  bitwiseRightShift,
  bitwiseXor,
} from "./ops/bitwise";
import { clone, item, setRequiresGrad, to, toArray, toTypedArray } from "./ops/cast";
import type { IndexItem } from "./ops/index-items";
import { gather, indexSelect } from "./ops/indexing";
import { addcInPlace, binaryInPlace, clamp_, copy_, fill_ } from "./ops/inplace";
import { chunk, split } from "./ops/joining";
import { dot as dotOp, matmul as matmulOp, mm as mmOp } from "./ops/linalg";
import {
  all,
  allclose,
  any,
  equal,
  type IsCloseOptions,
  isclose,
  isfinite,
  isinf,
  isnan,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
} from "./ops/logic";
import { maskedFill, maskedFill_, maskedSelect } from "./ops/masked";
import { mathSpecs, mathUnary } from "./ops/math";
import { type DivOptions, lerp, mathBinary, mathBinarySpecs } from "./ops/math-binary";
import { nonzero } from "./ops/nonzero";
import { amaxAmin, argExtreme, maxMin, mean, prod, std, sum, varianceAs } from "./ops/reduce";
import {
  type CumsumOptions,
  cummax,
  cummin,
  cumprod,
  cumsum,
  diff,
  logcumsumexp,
} from "./ops/scans";
import {
  type IndexAddOptions,
  indexAdd,
  indexAdd_,
  type NestedIndex,
  type ScatterOptions,
  type ScatterReduceOptions,
  type ScatterReduction,
  scatter,
  scatter_,
  scatterAdd,
  scatterAdd_,
  scatterReduce,
  scatterReduce_,
  take,
} from "./ops/scatter";
import { diagonal, movedim, swapaxes, unflatten, unfold } from "./ops/shape-views";
import { diag, flip, repeat, repeatInterleave, roll, tril, triu } from "./ops/shapes";
import { logSoftmax, logsumexp, type SoftmaxOptions, softmax, softmin } from "./ops/softmax";
import { argsort, msort, type SortOptions, sort } from "./ops/sort";
import { addcdiv, addcmul, scaleOf } from "./ops/ternary";
import { kthvalue, median, type TopkOptions, topk } from "./ops/topk";
import { clamp, type RoundOptions, round, square, unary, unarySpecs } from "./ops/unary";
import {
  contiguous,
  dimIndex,
  expand,
  flatten,
  narrow,
  permute,
  reshape,
  select,
  squeeze,
  t,
  transpose,
  unbind,
  unsqueeze,
  view,
  viewOf,
} from "./ops/views";
import { bernoulli, bernoulli_, type GeneratorOption, normal_, uniform_ } from "./random";
import { contiguousStrides, numelOf, type Shape } from "./shape";
import { type Size, sizeOf } from "./size";
import { Storage } from "./storage";
import type { TensorList, ViewMeta } from "./view-meta";

/** A node of the autograd graph as `@x/tensor` sees it: it only needs a readable name. */
export interface GradFn {
  /** PyTorch-style node name, e.g. `"MulBackward0"`. */
  readonly name: string;
}

/** A function called with a tensor's gradient during backward; may return a replacement. */
export type GradHook = (grad: Tensor) => Tensor | undefined;

/** A tensor or a plain JS number where an op accepts either. */
export type Operand = Tensor | number;

/** Result of `max(dim)` / `min(dim)`: the values and their int32 positions. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** Options of `var` / `std`: the Bessel correction (1 = unbiased, the default) and keepdim. */
export interface VarOptions {
  correction?: number;
  keepdim?: boolean;
}

function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  let contiguous = true;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i] as number;
    if (size === 0) return true; // an empty tensor has nothing to lay out
    if (size !== 1 && strides[i] !== expected) contiguous = false;
    expected *= size;
  }
  return contiguous;
}

function sizesArgument(sizes: readonly (number | readonly number[])[]): number[] {
  return (sizes.length === 1 && Array.isArray(sizes[0]) ? sizes[0] : sizes) as number[];
}

/**
 * An n-dimensional array with PyTorch semantics: a view (shape, strides, offset) over a
 * {@link Storage}, with a dtype, and the fields autograd fills in (`requiresGrad`, `grad`, `gradFn`).
 */
export class Tensor implements Iterable<Tensor> {
  // The fields are declared here and assigned in the constructor, in this order (the order class
  // fields would define them in): a bundle then spells each name once, not once more per field.
  /** The buffer, shared with every view of it. */
  declare readonly storage: Storage;
  /** Size of each dimension. */
  declare readonly shape: Shape;
  /** Elements to skip in `storage` per step along each dimension. */
  declare readonly strides: readonly number[];
  /** Position of element `[0, 0, …]` in `storage`. */
  declare readonly offset: number;
  /** Element type. */
  declare readonly dtype: DType;
  /**
   * Whether gradients flow to this tensor (set with `requiresGrad_()` or at creation).
   * @defaultValue `false`
   */
  declare requiresGrad: boolean;
  /**
   * The accumulated gradient of a leaf (or of a tensor that called `retainGrad()`), or null.
   * @defaultValue `null`
   */
  declare grad: Tensor | null;
  /**
   * The graph node that produced this tensor, or null for leaves.
   * @defaultValue `null`
   */
  declare gradFn: GradFn | null;
  /**
   * Set by `retainGrad()`: keep `.grad` for this non-leaf tensor.
   * @defaultValue `false`
   */
  declare retainsGrad: boolean;
  /**
   * Hooks registered with `registerHook()`, run on this tensor's gradient during backward.
   * @defaultValue `null`
   */
  declare gradHooks: GradHook[] | null;
  /** True when elements are laid out row-major without gaps. */
  declare readonly contiguousLayout: boolean;
  /**
   * For a tensor made by a view op (`narrow`, `select`, `t`, `view`, …): its base and what
   * autograd needs to record in-place writes into it (PyTorch's `_base`); null otherwise.
   * @defaultValue `null`
   */
  declare viewMeta: ViewMeta | null;

  constructor(
    /** The buffer, shared with every view of it. */
    storage: Storage,
    /** Size of each dimension. */
    shape: Shape,
    /** Elements to skip in `storage` per step along each dimension. */
    strides: readonly number[],
    /** Position of element `[0, 0, …]` in `storage`. */
    offset: number,
    /** Element type. */
    dtype: DType,
    /** Whether the layout is contiguous, when the caller already knows (computed otherwise). */
    contiguous?: boolean,
  ) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.dtype = dtype;
    this.requiresGrad = false;
    this.grad = null;
    this.gradFn = null;
    this.retainsGrad = false;
    this.gradHooks = null;
    this.contiguousLayout = contiguous ?? isContiguousLayout(shape, strides);
    this.viewMeta = null;
  }

  /**
   * Wraps a fresh row-major buffer (internal: ops build their outputs with this). `strides`, when
   * given, must be the contiguous strides of `shape` (ops pass an input's to avoid recomputing them).
   */
  static fromData(
    data: Storage["data"],
    shape: Shape,
    dtype: DType,
    strides?: readonly number[],
  ): Tensor {
    return new Tensor(
      new Storage(data),
      shape,
      strides ?? contiguousStrides(shape),
      0,
      dtype,
      true,
    );
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** True for tensors not produced by a recorded op (user-created, or not requiring grad). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** Number of elements. */
  numel(): number {
    return numelOf(this.shape);
  }
  /**
   * Size of one dimension, or the whole shape as a {@link Size} (PyTorch's `size()`): an array
   * that prints as `torch.Size([3, 1])`.
   */
  size(): Size;
  /** The size of dimension `dim` (negative counts from the end). */
  size(dim: number): number;
  size(dim?: number): number | Size {
    return dim === undefined
      ? sizeOf(this.shape)
      : (this.shape[dimIndex(this, dim, "size")] as number);
  }
  /** Strides per dimension, or of one dimension. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number | number[] {
    return dim === undefined
      ? this.strides.slice()
      : (this.strides[dimIndex(this, dim, "stride")] as number);
  }
  /** True when the elements are stored row-major without gaps. */
  isContiguous(): boolean {
    return this.contiguousLayout;
  }

  /**
   * The value of a one-element tensor: a number, or a boolean for bool tensors. Typed as a number
   * by default so `loss.item().toFixed(4)` reads as in PyTorch; write `mask.item<boolean>()` for
   * a bool tensor.
   */
  item<T extends number | boolean = number>(): T {
    return item(this) as T;
  }
  /** Nested JS arrays, like PyTorch's `tolist()`; a 0-d tensor gives a number (or boolean). */
  toArray(): unknown {
    return toArray(this);
  }
  /** The elements in row-major order as a new typed array of this dtype. */
  toTypedArray(): Storage["data"] {
    return toTypedArray(this);
  }
  /** PyTorch-style text, e.g. `tensor([1.0000, 2.5000], requires_grad=True)`. */
  toString(): string {
    return formatTensor(this);
  }
  /** What `console.log(t)` and `util.inspect(t)` print in Node: the same text as `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }
  /** Iterates along dim 0 (like iterating a PyTorch tensor). */
  *[Symbol.iterator](): Iterator<Tensor> {
    if (this.ndim === 0)
      throw new TensorError(
        "INVALID_DIM",
        "iterate",
        "iteration over a 0-d tensor. Hint: use item().",
      );
    for (let i = 0; i < (this.shape[0] as number); i++) yield select(this, 0, i);
  }

  // ── elementwise ────────────────────────────────────────────────────────────
  /** `this + other` (or `this + alpha · other`, fused like PyTorch's), broadcasting. */
  add(other: Operand, options?: { alpha?: number }): Tensor {
    return options?.alpha === undefined
      ? binary(this, other, binarySpecs.add)
      : addScaled(this, other, options.alpha);
  }
  /** `this - other` (or `this - alpha · other`, fused like PyTorch's), broadcasting. */
  sub(other: Operand, options?: { alpha?: number }): Tensor {
    return options?.alpha === undefined
      ? binary(this, other, binarySpecs.sub)
      : addScaled(this, other, -scaleOf(options.alpha, "sub", "alpha"));
  }
  /** `this + value · t1 · t2` (PyTorch's `addcmul`, the multiply-add fused for float32). */
  addcmul(t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return addcmul(this, t1, t2, options?.value);
  }
  /** `this + value · t1 / t2` (PyTorch's `addcdiv`). */
  addcdiv(t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return addcdiv(this, t1, t2, options?.value);
  }
  /** `this * other`, broadcasting. */
  mul(other: Operand): Tensor {
    return binary(this, other, binarySpecs.mul);
  }
  /** `this / other` (true division), broadcasting; or rounded with `{ roundingMode: 'trunc' | 'floor' }`. */
  div(other: Operand, options?: DivOptions): Tensor {
    return options === undefined ? binary(this, other, binarySpecs.div) : div(this, other, options);
  }
  /** `this ** exponent`, broadcasting. */
  pow(exponent: Operand): Tensor {
    return binary(this, exponent, binarySpecs.pow);
  }
  /** Elementwise maximum (NaN propagates). */
  maximum(other: Operand): Tensor {
    return binary(this, other, binarySpecs.maximum);
  }
  /** Elementwise minimum (NaN propagates). */
  minimum(other: Operand): Tensor {
    return binary(this, other, binarySpecs.minimum);
  }
  /** `this == other` as a bool tensor. */
  eq(other: Operand): Tensor {
    return binary(this, other, binarySpecs.eq);
  }
  /** `this != other` as a bool tensor. */
  ne(other: Operand): Tensor {
    return binary(this, other, binarySpecs.ne);
  }
  /** `this < other` as a bool tensor. */
  lt(other: Operand): Tensor {
    return binary(this, other, binarySpecs.lt);
  }
  /** `this <= other` as a bool tensor. */
  le(other: Operand): Tensor {
    return binary(this, other, binarySpecs.le);
  }
  /** `this > other` as a bool tensor. */
  gt(other: Operand): Tensor {
    return binary(this, other, binarySpecs.gt);
  }
  /** `this >= other` as a bool tensor. */
  ge(other: Operand): Tensor {
    return binary(this, other, binarySpecs.ge);
  }
  /** `-this`. */
  neg(): Tensor {
    return unary(this, unarySpecs.neg);
  }
  /** `|this|`. */
  abs(): Tensor {
    return unary(this, unarySpecs.abs);
  }
  /** Sign: -1, 0 or 1 (NaN gives 0, as in PyTorch); zero gradient. */
  sign(): Tensor {
    return unary(this, unarySpecs.sign);
  }
  /** Rounds down to an integer; zero gradient. */
  floor(): Tensor {
    return unary(this, unarySpecs.floor);
  }
  /** Rounds up to an integer; zero gradient. */
  ceil(): Tensor {
    return unary(this, unarySpecs.ceil);
  }
  /** Rounds toward zero; zero gradient. */
  trunc(): Tensor {
    return unary(this, unarySpecs.trunc);
  }
  /** Rounds half to even, or to `decimals` places (`torch.round`); zero gradient. */
  round(options?: RoundOptions): Tensor {
    return round(this, options);
  }
  /** `e ** this`. */
  exp(): Tensor {
    return unary(this, unarySpecs.exp);
  }
  /** Natural logarithm. */
  log(): Tensor {
    return unary(this, unarySpecs.log);
  }
  /** Square root. */
  sqrt(): Tensor {
    return unary(this, unarySpecs.sqrt);
  }
  /** `this ** 2`. */
  square(): Tensor {
    return square(this);
  }
  /** Sine. */
  sin(): Tensor {
    return unary(this, unarySpecs.sin);
  }
  /** Cosine. */
  cos(): Tensor {
    return unary(this, unarySpecs.cos);
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor {
    return unary(this, unarySpecs.tanh);
  }
  /** Logistic sigmoid `1 / (1 + e^-x)`. */
  sigmoid(): Tensor {
    return unary(this, unarySpecs.sigmoid);
  }
  /** `max(x, 0)`. */
  relu(): Tensor {
    return unary(this, unarySpecs.relu);
  }
  /** Clamps into `[min, max]`; `null`/`undefined` leaves a side open. */
  clamp(min?: number | null, max?: number | null): Tensor {
    return clamp(this, min, max);
  }

  // ── math ───────────────────────────────────────────────────────────────────
  /** Tangent (`torch.tan`). */
  tan(): Tensor {
    return mathUnary(this, mathSpecs.tan);
  }
  /** Arcsine (`torch.asin`); NaN outside [−1, 1]. */
  asin(): Tensor {
    return mathUnary(this, mathSpecs.asin);
  }
  /** Arccosine (`torch.acos`); NaN outside [−1, 1]. */
  acos(): Tensor {
    return mathUnary(this, mathSpecs.acos);
  }
  /** Arctangent (`torch.atan`). */
  atan(): Tensor {
    return mathUnary(this, mathSpecs.atan);
  }
  /** Hyperbolic sine. */
  sinh(): Tensor {
    return mathUnary(this, mathSpecs.sinh);
  }
  /** Hyperbolic cosine. */
  cosh(): Tensor {
    return mathUnary(this, mathSpecs.cosh);
  }
  /** Inverse hyperbolic sine. */
  asinh(): Tensor {
    return mathUnary(this, mathSpecs.asinh);
  }
  /** Inverse hyperbolic cosine; NaN below 1. */
  acosh(): Tensor {
    return mathUnary(this, mathSpecs.acosh);
  }
  /** Inverse hyperbolic tangent; ±inf at ±1. */
  atanh(): Tensor {
    return mathUnary(this, mathSpecs.atanh);
  }
  /** Base-2 logarithm. */
  log2(): Tensor {
    return mathUnary(this, mathSpecs.log2);
  }
  /** Base-10 logarithm. */
  log10(): Tensor {
    return mathUnary(this, mathSpecs.log10);
  }
  /** `log(1 + this)`, accurate near 0. */
  log1p(): Tensor {
    return mathUnary(this, mathSpecs.log1p);
  }
  /** `e ** this − 1`, accurate near 0. */
  expm1(): Tensor {
    return mathUnary(this, mathSpecs.expm1);
  }
  /** `2 ** this`. */
  exp2(): Tensor {
    return mathUnary(this, mathSpecs.exp2);
  }
  /** `1 / √this` (`torch.rsqrt`). */
  rsqrt(): Tensor {
    return mathUnary(this, mathSpecs.rsqrt);
  }
  /** `1 / this`; integers give float32. */
  reciprocal(): Tensor {
    return mathUnary(this, mathSpecs.reciprocal);
  }
  /** Error function (`torch.erf`). */
  erf(): Tensor {
    return mathUnary(this, mathSpecs.erf);
  }
  /** Complementary error function `1 − erf(this)`. */
  erfc(): Tensor {
    return mathUnary(this, mathSpecs.erfc);
  }
  /** Fractional part `this − trunc(this)`, with this's sign (floating only). */
  frac(): Tensor {
    return mathUnary(this, mathSpecs.frac);
  }
  /** `atan2(this, other)`: the angle of the point (other, this); integers give float32. */
  atan2(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.atan2);
  }
  /** Remainder with the divisor's sign, Python's `%` (`torch.remainder`); int32 stays exact. */
  remainder(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.remainder);
  }
  /** Remainder with the dividend's sign, C's `fmod` (`torch.fmod`); int32 stays exact. */
  fmod(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.fmod);
  }
  /** `log(e ** this + e ** other)` without overflow (floating only). */
  logaddexp(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.logaddexp);
  }
  /** `|this|` with `other`'s sign (−0 counts as negative); integers give float32. */
  copysign(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.copysign);
  }
  /** `√(this² + other²)` without overflow (floating only). */
  hypot(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.hypot);
  }
  /** `floor(this / other)` (`torch.floor_divide`); int32 stays int32; no gradient. */
  floorDivide(other: Operand): Tensor {
    return mathBinary(this, other, mathBinarySpecs.floorDivide);
  }
  /** `this + weight · (end − this)` (`torch.lerp`); `weight` is a number or a tensor. */
  lerp(end: Tensor, weight: Operand): Tensor {
    return lerp(this, end, weight);
  }

  // ── softmax ────────────────────────────────────────────────────────────────
  /** `e^this / Σ e^this` along `dim` (`torch.softmax`); `{ dtype }` converts first. */
  softmax(dim: number, options?: SoftmaxOptions): Tensor {
    return softmax(this, dim, options);
  }
  /** `this − log Σ e^this` along `dim` (`torch.log_softmax`). */
  logSoftmax(dim: number, options?: SoftmaxOptions): Tensor {
    return logSoftmax(this, dim, options);
  }
  /** `softmax(−this)` along `dim` (`torch.nn.functional.softmin`). */
  softmin(dim: number, options?: SoftmaxOptions): Tensor {
    return softmin(this, dim, options);
  }
  /** `log Σ e^this` over `dim` (one or several), without overflow (`torch.logsumexp`). */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return logsumexp(this, dim, keepdim);
  }

  // ── reductions ─────────────────────────────────────────────────────────────
  /** Sum over `dim` (all dims when omitted). */
  sum(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return sum(this, dim, keepdim);
  }
  /** Mean over `dim` (all dims when omitted). */
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return mean(this, dim, keepdim);
  }
  /** Product over `dim` (all dims when omitted). */
  prod(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return prod(this, dim, keepdim);
  }
  /** Variance over `dim`, unbiased by default (correction 1). */
  var(dim?: number | readonly number[] | null, keepdimOrOptions?: boolean | VarOptions): Tensor {
    return varianceAs("var", this, dim, keepdimOrOptions);
  }
  /** Standard deviation over `dim`, unbiased by default (correction 1). */
  std(dim?: number | readonly number[] | null, keepdimOrOptions?: boolean | VarOptions): Tensor {
    return std(this, dim, keepdimOrOptions);
  }
  /** Largest element; with `dim`, `{ values, indices }`; with a tensor, the elementwise maximum. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  max(dimOrOther?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    return maxMin(this, "max", dimOrOther, keepdim);
  }
  /** Smallest element; with `dim`, `{ values, indices }`; with a tensor, the elementwise minimum. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;
  min(dimOrOther?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    return maxMin(this, "min", dimOrOther, keepdim);
  }
  /** Largest element over `dim` (all dims when omitted), like `torch.amax`. */
  amax(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return amaxAmin(this, "amax", dim, keepdim);
  }
  /** Smallest element over `dim` (all dims when omitted), like `torch.amin`. */
  amin(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return amaxAmin(this, "amin", dim, keepdim);
  }
  /** Index of the largest element (flattened, or along `dim`), as int32. */
  argmax(dim?: number | null, keepdim = false): Tensor {
    return argExtreme(this, "argmax", dim, keepdim);
  }
  /** Index of the smallest element (flattened, or along `dim`), as int32. */
  argmin(dim?: number | null, keepdim = false): Tensor {
    return argExtreme(this, "argmin", dim, keepdim);
  }

  // ── activations ────────────────────────────────────────────────────────────
  /** `this · Φ(this)` (`F.gelu`); `{ approximate: 'tanh' }` for torch's tanh form. */
  gelu(options?: GeluOptions): Tensor {
    return gelu(this, options);
  }
  /** `this · σ(this)` (`F.silu`). */
  silu(): Tensor {
    return silu(this);
  }
  /** `this · tanh(softplus(this))` (`F.mish`). */
  mish(): Tensor {
    return mish(this);
  }
  /** `log(1 + e^(β·this)) / β`, linear above `threshold` (`F.softplus`; β 1, threshold 20). */
  softplus(options?: SoftplusOptions): Tensor {
    return softplus(this, options);
  }
  /** `this / (1 + |this|)` (`F.softsign`). */
  softsign(): Tensor {
    return softsign(this);
  }
  /** `log σ(this)`, stable for large |this| (`F.logsigmoid`). */
  logsigmoid(): Tensor {
    return logsigmoid(this);
  }
  /** `this > 0 ? this : negativeSlope · this` (`F.leaky_relu`). */
  leakyRelu(negativeSlope?: number): Tensor {
    return leakyRelu(this, negativeSlope);
  }
  /** In-place {@link Tensor.leakyRelu}. */
  leakyRelu_(negativeSlope?: number): this {
    return leakyRelu_(this, negativeSlope);
  }
  /** `this > 0 ? this : α(e^this − 1)` (`F.elu`). */
  elu(alpha?: number): Tensor {
    return elu(this, alpha);
  }
  /** In-place {@link Tensor.elu}. */
  elu_(alpha?: number): this {
    return elu_(this, alpha);
  }
  /** `max(0, this) + min(0, α(e^(this/α) − 1))` (`F.celu`). */
  celu(alpha?: number): Tensor {
    return celu(this, alpha);
  }
  /** torch's self-normalising `scale · elu(this, α)` (`F.selu`). */
  selu(): Tensor {
    return selu(this);
  }
  /** `min(max(this, 0), 6)` (`F.relu6`). */
  relu6(): Tensor {
    return relu6(this);
  }
  /** `this · relu6(this + 3) / 6` (`F.hardswish`). */
  hardswish(): Tensor {
    return hardswish(this);
  }
  /** `relu6(this + 3) / 6` (`F.hardsigmoid`). */
  hardsigmoid(): Tensor {
    return hardsigmoid(this);
  }
  /** `clamp(this, minVal, maxVal)` with zero gradient at the bounds (`F.hardtanh`; −1, 1). */
  hardtanh(minVal?: number, maxVal?: number): Tensor {
    return hardtanh(this, minVal, maxVal);
  }
  /** In-place {@link Tensor.hardtanh}. */
  hardtanh_(minVal?: number, maxVal?: number): this {
    return hardtanh_(this, minVal, maxVal);
  }

  // ── logic ──
  /** `not this` as a bool tensor (`logical_not`): true where this is 0 or false. */
  logicalNot(): Tensor {
    return logicalNot(this);
  }
  /** `this and other` as a bool tensor (`logical_and`), broadcasting; non-zero (NaN too) is true. */
  logicalAnd(other: Operand): Tensor {
    return logicalAnd(this, other);
  }
  /** `this or other` as a bool tensor (`logical_or`), broadcasting; non-zero is true. */
  logicalOr(other: Operand): Tensor {
    return logicalOr(this, other);
  }
  /** `this xor other` as a bool tensor (`logical_xor`), broadcasting; non-zero is true. */
  logicalXor(other: Operand): Tensor {
    return logicalXor(this, other);
  }
  /** Bitwise `this & other` (`bitwise_and`) for int32 and bool, broadcasting. */
  bitwiseAnd(other: Operand): Tensor {
    return bitwiseAnd(this, other);
  }
  /** Bitwise `this | other` (`bitwise_or`) for int32 and bool, broadcasting. */
  bitwiseOr(other: Operand): Tensor {
    return bitwiseOr(this, other);
  }
  /** Bitwise `this ^ other` (`bitwise_xor`) for int32 and bool, broadcasting. */
  bitwiseXor(other: Operand): Tensor {
    return bitwiseXor(this, other);
  }
  /** Bitwise `~this` (`bitwise_not`): `-x - 1` for int32, logical not for bool. */
  bitwiseNot(): Tensor {
    return bitwiseNot(this);
  }
  /** `this << other` on int32 (`bitwise_left_shift`); the count is taken modulo 32, as torch's. */
  bitwiseLeftShift(other: Operand): Tensor {
    return bitwiseLeftShift(this, other);
  }
  /** `this >> other` on int32, keeping the sign (`bitwise_right_shift`); count modulo 32. */
  bitwiseRightShift(other: Operand): Tensor {
    return bitwiseRightShift(this, other);
  }
  /** True where some element over `dim` (one or several; all when omitted) is non-zero. */
  any(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return any(this, dim, keepdim);
  }
  /** True where every element over `dim` (one or several; all when omitted) is non-zero. */
  all(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return all(this, dim, keepdim);
  }
  /** True where this is NaN (never for int32 or bool). */
  isnan(): Tensor {
    return isnan(this);
  }
  /** True where this is +∞ or −∞ (never for int32 or bool). */
  isinf(): Tensor {
    return isinf(this);
  }
  /** True where this is finite (always for int32 and bool). */
  isfinite(): Tensor {
    return isfinite(this);
  }
  /** True where `|this − other| ≤ atol + rtol·|other|` (`torch.isclose`), broadcasting; same dtypes. */
  isclose(other: Tensor, options?: IsCloseOptions): Tensor {
    return isclose(this, other, options);
  }
  /** True when every element is close to `other`'s (`torch.allclose`); see {@link Tensor.isclose}. */
  allclose(other: Tensor, options?: IsCloseOptions): boolean {
    return allclose(this, other, options);
  }
  /** True when `other` has this shape and these values (`torch.equal`; dtypes are promoted). */
  equal(other: Tensor): boolean {
    return equal(this, other);
  }

  // ── scans ──────────────────────────────────────────────────────────────────
  /** Running sum along `dim`; bool and int32 give int32; `{ dtype }` casts first (`torch.cumsum`). */
  cumsum(dim: number, options?: CumsumOptions): Tensor {
    return cumsum(this, dim, options);
  }
  /** Running product along `dim`; bool and int32 give int32 (`torch.cumprod`). */
  cumprod(dim: number): Tensor {
    return cumprod(this, dim);
  }
  /** Running maximum along `dim` and its int32 positions (the last of ties), `torch.cummax`. */
  cummax(dim: number): ValuesIndices {
    return cummax(this, dim);
  }
  /** Running minimum along `dim` and its int32 positions (the last of ties), `torch.cummin`. */
  cummin(dim: number): ValuesIndices {
    return cummin(this, dim);
  }
  /** `log(cumsum(exp(this)))` along `dim`, computed stably; floating only. */
  logcumsumexp(dim: number): Tensor {
    return logcumsumexp(this, dim);
  }
  /** The `n`-th forward difference along `dim` (`torch.diff`): `x[1:] − x[:-1]`, `n` times. */
  diff(n = 1, dim = -1): Tensor {
    return diff(this, n, dim);
  }

  // ── linear algebra ─────────────────────────────────────────────────────────
  /** Matrix product with NumPy/PyTorch `matmul` rules (1-d, 2-d, batched with broadcasting). */
  matmul(other: Tensor): Tensor {
    return matmulOp(this, other);
  }
  /** 2-d matrix product. */
  mm(other: Tensor): Tensor {
    return mmOp(this, other);
  }
  /** Inner product of two 1-d tensors. */
  dot(other: Tensor): Tensor {
    return dotOp(this, other);
  }

  // ── sorting ────────────────────────────────────────────────────────────────
  /** Sorted along `dim` (the last by default) with the int32 positions: `{ values, indices }`. */
  sort(dim = -1, options?: SortOptions): ValuesIndices {
    return sort(this, dim, options);
  }
  /** The int32 positions that sort this along `dim` (the last by default). */
  argsort(dim = -1, options?: SortOptions): Tensor {
    return argsort(this, dim, options);
  }
  /** Sorted along the first dim (`torch.msort`). */
  msort(): Tensor {
    return msort(this);
  }
  /** The `k` largest (or smallest) along `dim` with their int32 positions. */
  topk(k: number, options?: TopkOptions): ValuesIndices {
    return topk(this, k, options);
  }
  /** The `k`-th smallest along `dim` (`k` from 1) with its int32 position. */
  kthvalue(k: number, dim = -1, keepdim = false): ValuesIndices {
    return kthvalue(this, k, dim, keepdim);
  }
  /** The lower median of all elements (0-d); along `dim`, `{ values, indices }`. */
  median(): Tensor;
  median(dim: number, keepdim?: boolean): ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? median(this) : median(this, dim, keepdim);
  }

  // ── views and shape ────────────────────────────────────────────────────────
  /** Same data with a new shape (one `-1` inferred); a view when possible, else a copy. */
  reshape(...shape: readonly (number | readonly number[])[]): Tensor {
    return reshape(this, sizesArgument(shape));
  }
  /** Same data with a new shape, always a view; throws when the strides do not allow one. */
  view(...shape: readonly (number | readonly number[])[]): Tensor {
    return view(this, sizesArgument(shape));
  }
  /** Flattens dims `startDim..endDim` into one. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return flatten(this, startDim, endDim);
  }
  /** Swaps two dimensions (a view). */
  transpose(dim0: number, dim1: number): Tensor {
    return transpose(this, dim0, dim1);
  }
  /** Reorders dimensions (a view). */
  permute(...dims: readonly (number | readonly number[])[]): Tensor {
    return permute(this, sizesArgument(dims));
  }
  /** Transpose of a tensor with at most 2 dims. */
  t(): Tensor {
    return t(this);
  }
  /** Inserts a size-1 dimension at `dim` (a view). */
  unsqueeze(dim: number): Tensor {
    return unsqueeze(this, dim);
  }
  /** Removes size-1 dimensions (all, or only `dim`). */
  squeeze(dim?: number | readonly number[]): Tensor {
    return squeeze(this, dim);
  }
  /** Broadcasts to a larger shape with stride 0 (a view); `-1` keeps a size. */
  expand(...sizes: readonly (number | readonly number[])[]): Tensor {
    return expand(this, sizesArgument(sizes));
  }
  /** Expands to `other`'s shape. */
  expandAs(other: Tensor): Tensor {
    return expand(this, other.shape);
  }
  /** Elements `start … start+length-1` along `dim` (a view). */
  narrow(dim: number, start: number, length: number): Tensor {
    return narrow(this, dim, start, length);
  }
  /** The slice at `index` along `dim`, removing that dim (a view). */
  select(dim: number, index: number): Tensor {
    return select(this, dim, index);
  }
  /** Splits along `dim` into its slices (the book's `w, b = params`). */
  unbind(dim = 0): TensorList {
    return unbind(this, dim);
  }
  /** This tensor if contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    return contiguous(this);
  }

  // ── shape ops ──────────────────────────────────────────────────────────────
  /** Reverses the order of elements along `dims` (a copy, `torch.flip`). */
  flip(...dims: readonly (number | readonly number[])[]): Tensor {
    return flip(this, sizesArgument(dims));
  }
  /** Shifts elements along `dims` by `shifts`, wrapping around; without dims, as if flattened. */
  roll(shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor {
    return roll(this, shifts, dims);
  }
  /** Tiles the tensor `sizes[i]` times along each dim (a copy, `torch.Tensor.repeat`). */
  repeat(...sizes: readonly (number | readonly number[])[]): Tensor {
    return repeat(this, sizesArgument(sizes));
  }
  /** Repeats each entry along `dim` (flattened without `dim`), repeats kept together. */
  repeatInterleave(repeats: number | Tensor | readonly number[], dim?: number | null): Tensor {
    return repeatInterleave(this, repeats, dim);
  }
  /** Lower triangle of the last two dims (on and below `diagonal`); the rest zero. */
  tril(diagonal = 0): Tensor {
    return tril(this, diagonal);
  }
  /** Upper triangle of the last two dims (on and above `diagonal`); the rest zero. */
  triu(diagonal = 0): Tensor {
    return triu(this, diagonal);
  }
  /** 1-d: the matrix with this on the `diagonal`-th diagonal; 2-d: that diagonal (a copy). */
  diag(diagonal = 0): Tensor {
    return diag(this, diagonal);
  }
  /** The diagonal over dims `dim1`, `dim2` as the new last dim (a view). */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor {
    return diagonal(this, offset, dim1, dim2);
  }
  /** Splits dim `dim` into `sizes` (a view; one size may be -1). */
  unflatten(dim: number, sizes: readonly number[]): Tensor {
    return unflatten(this, dim, sizes);
  }
  /** Windows of `size` elements, `step` apart, along `dim` as a new last dim (a view). */
  unfold(dim: number, size: number, step: number): Tensor {
    return unfold(this, dim, size, step);
  }
  /** Moves dims `source` to positions `destination` (a view). */
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor {
    return movedim(this, source, destination);
  }
  /** Swaps two dims (a view; NumPy's name for `transpose`). */
  swapaxes(axis0: number, axis1: number): Tensor {
    return swapaxes(this, axis0, axis1);
  }

  // ── indexing ───────────────────────────────────────────────────────────────
  /** Entries of `index` along `dim` (the book's `t_u[train_indices]`). */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor {
    return indexSelect(this, dim, index);
  }
  /** Gathers values along `dim` at `index` positions. */
  gather(dim: number, index: Tensor | readonly number[]): Tensor {
    return gather(this, dim, index);
  }
  /** Splits into pieces of `splitSize` (or the given sizes) along `dim`. */
  split(splitSize: number | readonly number[], dim = 0): TensorList {
    return split(this, splitSize, dim);
  }
  /** Splits into `chunks` nearly equal pieces along `dim`. */
  chunk(chunks: number, dim = 0): TensorList {
    return chunk(this, chunks, dim);
  }

  // ── masks and scatter ──────────────────────────────────────────────────────
  /** This tensor with `value` where the bool `mask` is true (`masked_fill`); a 0-d tensor value gets a gradient. */
  maskedFill(mask: Tensor, value: number | boolean | Tensor): Tensor {
    return maskedFill(this, mask, value);
  }
  /** In-place {@link Tensor.maskedFill}; `mask` must broadcast to this tensor's shape. */
  maskedFill_(mask: Tensor, value: number | boolean | Tensor): this {
    return maskedFill_(this, mask, value);
  }
  /** The elements where the bool `mask` is true, as a 1-d copy (`masked_select`). */
  maskedSelect(mask: Tensor): Tensor {
    return maskedSelect(this, mask);
  }
  /** A copy with `src` (a tensor or a number) written at `index` along `dim` (`scatter`). */
  scatter(
    dim: number,
    index: Tensor | NestedIndex,
    src: Tensor | number,
    options?: ScatterOptions,
  ): Tensor {
    return scatter(this, dim, index, src, options);
  }
  /** In-place {@link Tensor.scatter}. */
  scatter_(
    dim: number,
    index: Tensor | NestedIndex,
    src: Tensor | number,
    options?: ScatterOptions,
  ): this {
    return scatter_(this, dim, index, src, options);
  }
  /** A copy with `src` summed in at `index` along `dim` (`scatter_add`). */
  scatterAdd(dim: number, index: Tensor | NestedIndex, src: Tensor): Tensor {
    return scatterAdd(this, dim, index, src);
  }
  /** In-place {@link Tensor.scatterAdd}. */
  scatterAdd_(dim: number, index: Tensor | NestedIndex, src: Tensor): this {
    return scatterAdd_(this, dim, index, src);
  }
  /** A copy with `src` reduced in at `index` along `dim` (`scatter_reduce`: sum, prod, mean, amax, amin). */
  scatterReduce(
    dim: number,
    index: Tensor | NestedIndex,
    src: Tensor,
    reduce: ScatterReduction,
    options?: ScatterReduceOptions,
  ): Tensor {
    return scatterReduce(this, dim, index, src, reduce, options);
  }
  /** In-place {@link Tensor.scatterReduce}. */
  scatterReduce_(
    dim: number,
    index: Tensor | NestedIndex,
    src: Tensor,
    reduce: ScatterReduction,
    options?: ScatterReduceOptions,
  ): this {
    return scatterReduce_(this, dim, index, src, reduce, options);
  }
  /** A copy with `alpha · source` added at rows `index` along `dim` (`index_add`). */
  indexAdd(
    dim: number,
    index: Tensor | NestedIndex,
    source: Tensor,
    options?: IndexAddOptions,
  ): Tensor {
    return indexAdd(this, dim, index, source, options);
  }
  /** In-place {@link Tensor.indexAdd}. */
  indexAdd_(
    dim: number,
    index: Tensor | NestedIndex,
    source: Tensor,
    options?: IndexAddOptions,
  ): this {
    return indexAdd_(this, dim, index, source, options);
  }
  /** The elements at flat positions `index` (negative from the end), in `index`'s shape (`take`). */
  take(index: Tensor | NestedIndex): Tensor {
    return take(this, index);
  }

  // ── indexing with items ────────────────────────────────────────────────────
  /**
   * Python's `x[...]`: `x.index(1, '1:3', null, '...', [0, 2], mask)`. Numbers, slices and `null`
   * give a view; int32 tensors, integer arrays and bool masks give a copy (PyTorch's rules).
   */
  index(...items: IndexItem[]): Tensor {
    return index(this, ...items);
  }
  /** A copy with `values` written (or, with `accumulate`, added) at `items` (an array of items). */
  indexPut(
    items: readonly IndexItem[],
    values: Tensor | number | boolean,
    options?: IndexPutOptions,
  ): Tensor {
    return indexPut(this, items, values, options);
  }
  /** In-place `x[items] = values`: `x.indexPut_([mask], 0)` is `x[mask] = 0`. */
  indexPut_(
    items: readonly IndexItem[],
    values: Tensor | number | boolean,
    options?: IndexPutOptions,
  ): this {
    return indexPut_(this, items, values, options);
  }
  /** Coordinates of the non-zero elements: int32 of shape `[n, ndim]`. */
  nonzero(): Tensor {
    return nonzero(this);
  }

  // ── random ─────────────────────────────────────────────────────────────────
  /** Fills this tensor in place with uniform samples in `[from, to)` (torch's values after the same seed). */
  uniform_(from = 0, to = 1, options?: GeneratorOption): this {
    return uniform_(this, from, to, options) as this;
  }
  /** Fills this tensor in place with normal samples (torch's values after the same seed). */
  normal_(mean = 0, std = 1, options?: GeneratorOption): this {
    return normal_(this, mean, std, options) as this;
  }
  /** 0/1 samples with this tensor's values as probabilities ({@link bernoulli}). */
  bernoulli(options?: GeneratorOption): Tensor {
    return bernoulli(this, options);
  }
  /** Sets each element in place to 1 with probability `p` (a number or a broadcast tensor), else 0. */
  bernoulli_(p: number | Tensor = 0.5, options?: GeneratorOption): this {
    return bernoulli_(this, p, options) as this;
  }

  // ── copies and casts ───────────────────────────────────────────────────────
  /** A copy with its own storage. */
  clone(): Tensor {
    return clone(this);
  }
  /** Converts to `dtype` (returns this tensor when it already has it). */
  to(dtype: DType): Tensor {
    return to(this, dtype);
  }
  /** `to('float32')`. */
  float(): Tensor {
    return to(this, "float32");
  }
  /** `to('float64')`. */
  double(): Tensor {
    return to(this, "float64");
  }
  /** `to('int32')`. */
  int(): Tensor {
    return to(this, "int32");
  }
  /** `to('bool')`. */
  bool(): Tensor {
    return to(this, "bool");
  }

  // ── in-place ───────────────────────────────────────────────────────────────
  /** In-place `this += other` (or `this += alpha · other`, fused like PyTorch's). */
  add_(other: Operand, options?: { alpha?: number }): this {
    return binaryInPlace(this, "add_", other, options?.alpha);
  }
  /** In-place `this -= other` (or `this -= alpha · other`, fused like PyTorch's). */
  sub_(other: Operand, options?: { alpha?: number }): this {
    return binaryInPlace(this, "sub_", other, options?.alpha);
  }
  /** In-place {@link Tensor.addcmul}. */
  addcmul_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    return addcInPlace(this, "addcmul_", t1, t2, options?.value);
  }
  /** In-place {@link Tensor.addcdiv}. */
  addcdiv_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    return addcInPlace(this, "addcdiv_", t1, t2, options?.value);
  }
  /** In-place `this *= other`. */
  mul_(other: Operand): this {
    return binaryInPlace(this, "mul_", other);
  }
  /** In-place `this /= other`. */
  div_(other: Operand): this {
    return binaryInPlace(this, "div_", other);
  }
  /** In-place clamp into `[min, max]`. */
  clamp_(min?: number | null, max?: number | null): this {
    return clamp_(this, min, max);
  }
  /** Sets every element to 0. */
  zero_(): this {
    return fill_(this, 0, "zero_");
  }
  /** Sets every element to `value`. */
  fill_(value: number | boolean): this {
    return fill_(this, value, "fill_");
  }
  /** Copies `source` (broadcast to this shape, cast to this dtype) into this tensor. */
  copy_(source: Operand): this {
    return copy_(this, source);
  }

  // ── autograd ───────────────────────────────────────────────────────────────
  /**
   * Computes the gradient of this tensor with respect to graph leaves (needs `import '@x/autograd'`).
   * Pass the upstream gradient first for non-scalar tensors, or options only.
   */
  backward(gradientOrOptions?: Tensor | number | BackwardOptions, options?: BackwardOptions): void {
    const hooks = autogradHooks();
    if (hooks === null) {
      throw (
        twoCopiesError("backward()") ??
        new TensorError(
          "NEEDS_AUTOGRAD",
          "backward()",
          "gradients need @x/autograd. Hint: add `import '@x/autograd';` once at your entry point.",
        )
      );
    }
    const isGradient = gradientOrOptions instanceof Tensor || typeof gradientOrOptions === "number";
    const merged: BackwardOptions = isGradient
      ? { ...options, gradient: gradientOrOptions as Tensor | number }
      : { ...(gradientOrOptions as BackwardOptions | undefined), ...options };
    hooks.backward(this, merged);
  }
  /** Sets `requiresGrad` in place (leaves only, floating dtypes only); returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    return setRequiresGrad(this, requiresGrad);
  }
  /** A tensor sharing storage with this one, outside the graph (`requiresGrad` false). */
  detach(): Tensor {
    return viewOf(this, this.shape, this.strides, this.offset);
  }
  /** Keep `.grad` for this non-leaf tensor during backward. */
  retainGrad(): void {
    if (this.gradFn === null) return; // leaves keep their grad anyway
    this.retainsGrad = true;
  }
  /** Registers a hook on this tensor's gradient; returns a handle whose `remove()` unregisters it. */
  registerHook(hook: GradHook): { remove(): void } {
    if (!this.requiresGrad) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "registerHook",
        "cannot register a hook on a tensor that doesn't require gradient. Hint: call requiresGrad_() first.",
      );
    }
    this.gradHooks ??= [];
    this.gradHooks.push(hook);
    return { remove: () => void this.gradHooks?.splice(this.gradHooks.indexOf(hook) >>> 0, 1) };
  }
}
