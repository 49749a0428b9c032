import { autogradHooks, type BackwardOptions, twoCopiesError } from "./dispatch";
import type { DType } from "./dtype";
import { TensorError } from "./errors";
import { formatTensor } from "./format";
import * as binary from "./ops/binary";
import * as cast from "./ops/cast";
import * as indexing from "./ops/indexing";
import * as inplace from "./ops/inplace";
import * as joining from "./ops/joining";
import { dot as dotOp, matmul as matmulOp, mm as mmOp } from "./ops/linalg";
import * as reduce from "./ops/reduce";
import * as ternary from "./ops/ternary";
import * as unary from "./ops/unary";
import * as views from "./ops/views";
import { contiguousStrides, type Shape } from "./shape";
import { Storage } from "./storage";

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
  /** Whether gradients flow to this tensor (set with `requiresGrad_()` or at creation). */
  requiresGrad = false;
  /** The accumulated gradient of a leaf (or of a tensor that called `retainGrad()`), or null. */
  grad: Tensor | null = null;
  /** The graph node that produced this tensor, or null for leaves. */
  gradFn: GradFn | null = null;
  /** Set by `retainGrad()`: keep `.grad` for this non-leaf tensor. */
  retainsGrad = false;
  /** Hooks registered with `registerHook()`, run on this tensor's gradient during backward. */
  gradHooks: GradHook[] | null = null;
  /** True when elements are laid out row-major without gaps. */
  readonly contiguousLayout: boolean;

  constructor(
    /** The buffer, shared with every view of it. */
    readonly storage: Storage,
    /** Size of each dimension. */
    readonly shape: Shape,
    /** Elements to skip in `storage` per step along each dimension. */
    readonly strides: readonly number[],
    /** Position of element `[0, 0, …]` in `storage`. */
    readonly offset: number,
    /** Element type. */
    readonly dtype: DType,
    /** Whether the layout is contiguous, when the caller already knows (computed otherwise). */
    contiguous?: boolean,
  ) {
    this.contiguousLayout = contiguous ?? isContiguousLayout(shape, strides);
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
    let n = 1;
    for (const size of this.shape) n *= size;
    return n;
  }
  /** Size of one dimension, or the whole shape (PyTorch's `size()`). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    return dim === undefined
      ? this.shape.slice()
      : (this.shape[views.dimIndex(this, dim, "size")] as number);
  }
  /** Strides per dimension, or of one dimension. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number | number[] {
    return dim === undefined
      ? this.strides.slice()
      : (this.strides[views.dimIndex(this, dim, "stride")] as number);
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
    return cast.item(this) as T;
  }
  /** Nested JS arrays, like PyTorch's `tolist()`; a 0-d tensor gives a number (or boolean). */
  toArray(): unknown {
    return cast.toArray(this);
  }
  /** The elements in row-major order as a new typed array of this dtype. */
  toTypedArray(): Storage["data"] {
    return cast.toTypedArray(this);
  }
  /** PyTorch-style text, e.g. `tensor([1.0000, 2.5000], requires_grad=True)`. */
  toString(): string {
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
    for (let i = 0; i < (this.shape[0] as number); i++) yield views.select(this, 0, i);
  }

  // ── elementwise ────────────────────────────────────────────────────────────
  /** `this + other` (or `this + alpha · other`, fused like PyTorch's), broadcasting. */
  add(other: Operand, options?: { alpha?: number }): Tensor {
    return options?.alpha === undefined
      ? binary.add(this, other)
      : binary.addScaled(this, other, options.alpha);
  }
  /** `this - other` (or `this - alpha · other`, fused like PyTorch's), broadcasting. */
  sub(other: Operand, options?: { alpha?: number }): Tensor {
    return options?.alpha === undefined
      ? binary.sub(this, other)
      : binary.addScaled(this, other, -ternary.scaleOf(options.alpha, "sub", "alpha"));
  }
  /** `this + value · t1 · t2` (PyTorch's `addcmul`, the multiply-add fused for float32). */
  addcmul(t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return ternary.addcmul(this, t1, t2, options?.value);
  }
  /** `this + value · t1 / t2` (PyTorch's `addcdiv`). */
  addcdiv(t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return ternary.addcdiv(this, t1, t2, options?.value);
  }
  /** `this * other`, broadcasting. */
  mul(other: Operand): Tensor {
    return binary.mul(this, other);
  }
  /** `this / other` (true division), broadcasting. */
  div(other: Operand): Tensor {
    return binary.div(this, other);
  }
  /** `this ** exponent`, broadcasting. */
  pow(exponent: Operand): Tensor {
    return binary.pow(this, exponent);
  }
  /** Elementwise maximum (NaN propagates). */
  maximum(other: Operand): Tensor {
    return binary.maximum(this, other);
  }
  /** Elementwise minimum (NaN propagates). */
  minimum(other: Operand): Tensor {
    return binary.minimum(this, other);
  }
  /** `this == other` as a bool tensor. */
  eq(other: Operand): Tensor {
    return binary.eq(this, other);
  }
  /** `this != other` as a bool tensor. */
  ne(other: Operand): Tensor {
    return binary.ne(this, other);
  }
  /** `this < other` as a bool tensor. */
  lt(other: Operand): Tensor {
    return binary.lt(this, other);
  }
  /** `this <= other` as a bool tensor. */
  le(other: Operand): Tensor {
    return binary.le(this, other);
  }
  /** `this > other` as a bool tensor. */
  gt(other: Operand): Tensor {
    return binary.gt(this, other);
  }
  /** `this >= other` as a bool tensor. */
  ge(other: Operand): Tensor {
    return binary.ge(this, other);
  }
  /** `-this`. */
  neg(): Tensor {
    return unary.neg(this);
  }
  /** `|this|`. */
  abs(): Tensor {
    return unary.abs(this);
  }
  /** Sign: -1, 0 or 1 (NaN gives 0, as in PyTorch); zero gradient. */
  sign(): Tensor {
    return unary.sign(this);
  }
  /** Rounds down to an integer; zero gradient. */
  floor(): Tensor {
    return unary.floor(this);
  }
  /** Rounds up to an integer; zero gradient. */
  ceil(): Tensor {
    return unary.ceil(this);
  }
  /** Rounds toward zero; zero gradient. */
  trunc(): Tensor {
    return unary.trunc(this);
  }
  /** Rounds half to even, or to `decimals` places (`torch.round`); zero gradient. */
  round(options?: unary.RoundOptions): Tensor {
    return unary.round(this, options);
  }
  /** `e ** this`. */
  exp(): Tensor {
    return unary.exp(this);
  }
  /** Natural logarithm. */
  log(): Tensor {
    return unary.log(this);
  }
  /** Square root. */
  sqrt(): Tensor {
    return unary.sqrt(this);
  }
  /** `this ** 2`. */
  square(): Tensor {
    return unary.square(this);
  }
  /** Sine. */
  sin(): Tensor {
    return unary.sin(this);
  }
  /** Cosine. */
  cos(): Tensor {
    return unary.cos(this);
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor {
    return unary.tanh(this);
  }
  /** Logistic sigmoid `1 / (1 + e^-x)`. */
  sigmoid(): Tensor {
    return unary.sigmoid(this);
  }
  /** `max(x, 0)`. */
  relu(): Tensor {
    return unary.relu(this);
  }
  /** Clamps into `[min, max]`; `null`/`undefined` leaves a side open. */
  clamp(min?: number | null, max?: number | null): Tensor {
    return unary.clamp(this, min, max);
  }

  // ── reductions ─────────────────────────────────────────────────────────────
  /** Sum over `dim` (all dims when omitted). */
  sum(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.sum(this, dim, keepdim);
  }
  /** Mean over `dim` (all dims when omitted). */
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.mean(this, dim, keepdim);
  }
  /** Product over `dim` (all dims when omitted). */
  prod(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.prod(this, dim, keepdim);
  }
  /** Variance over `dim`, unbiased by default (correction 1). */
  var(dim?: number | readonly number[] | null, keepdimOrOptions?: boolean | VarOptions): Tensor {
    return reduce.variance(this, dim, keepdimOrOptions);
  }
  /** Standard deviation over `dim`, unbiased by default (correction 1). */
  std(dim?: number | readonly number[] | null, keepdimOrOptions?: boolean | VarOptions): Tensor {
    return reduce.std(this, dim, keepdimOrOptions);
  }
  /** Largest element; with `dim`, `{ values, indices }`; with a tensor, the elementwise maximum. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  max(dimOrOther?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    return reduce.maxMin(this, "max", dimOrOther, keepdim);
  }
  /** Smallest element; with `dim`, `{ values, indices }`; with a tensor, the elementwise minimum. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;
  min(dimOrOther?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    return reduce.maxMin(this, "min", dimOrOther, keepdim);
  }
  /** Largest element over `dim` (all dims when omitted), like `torch.amax`. */
  amax(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.amax(this, dim, keepdim);
  }
  /** Smallest element over `dim` (all dims when omitted), like `torch.amin`. */
  amin(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return reduce.amin(this, dim, keepdim);
  }
  /** Index of the largest element (flattened, or along `dim`), as int32. */
  argmax(dim?: number | null, keepdim = false): Tensor {
    return reduce.argExtreme(this, "argmax", dim, keepdim);
  }
  /** Index of the smallest element (flattened, or along `dim`), as int32. */
  argmin(dim?: number | null, keepdim = false): Tensor {
    return reduce.argExtreme(this, "argmin", dim, keepdim);
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

  // ── views and shape ────────────────────────────────────────────────────────
  /** Same data with a new shape (one `-1` inferred); a view when possible, else a copy. */
  reshape(...shape: readonly (number | readonly number[])[]): Tensor {
    return views.reshape(this, sizesArgument(shape));
  }
  /** Same data with a new shape, always a view; throws when the strides do not allow one. */
  view(...shape: readonly (number | readonly number[])[]): Tensor {
    return views.view(this, sizesArgument(shape));
  }
  /** Flattens dims `startDim..endDim` into one. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return views.flatten(this, startDim, endDim);
  }
  /** Swaps two dimensions (a view). */
  transpose(dim0: number, dim1: number): Tensor {
    return views.transpose(this, dim0, dim1);
  }
  /** Reorders dimensions (a view). */
  permute(...dims: readonly (number | readonly number[])[]): Tensor {
    return views.permute(this, sizesArgument(dims));
  }
  /** Transpose of a tensor with at most 2 dims. */
  t(): Tensor {
    return views.t(this);
  }
  /** Inserts a size-1 dimension at `dim` (a view). */
  unsqueeze(dim: number): Tensor {
    return views.unsqueeze(this, dim);
  }
  /** Removes size-1 dimensions (all, or only `dim`). */
  squeeze(dim?: number | readonly number[]): Tensor {
    return views.squeeze(this, dim);
  }
  /** Broadcasts to a larger shape with stride 0 (a view); `-1` keeps a size. */
  expand(...sizes: readonly (number | readonly number[])[]): Tensor {
    return views.expand(this, sizesArgument(sizes));
  }
  /** Expands to `other`'s shape. */
  expandAs(other: Tensor): Tensor {
    return views.expand(this, other.shape);
  }
  /** Elements `start … start+length-1` along `dim` (a view). */
  narrow(dim: number, start: number, length: number): Tensor {
    return views.narrow(this, dim, start, length);
  }
  /** The slice at `index` along `dim`, removing that dim (a view). */
  select(dim: number, index: number): Tensor {
    return views.select(this, dim, index);
  }
  /** Splits along `dim` into its slices (the book's `w, b = params`). */
  unbind(dim = 0): Tensor[] {
    return views.unbind(this, dim);
  }
  /** This tensor if contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    return views.contiguous(this);
  }

  // ── indexing ───────────────────────────────────────────────────────────────
  /** Entries of `index` along `dim` (the book's `t_u[train_indices]`). */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor {
    return indexing.indexSelect(this, dim, index);
  }
  /** Gathers values along `dim` at `index` positions. */
  gather(dim: number, index: Tensor | readonly number[]): Tensor {
    return indexing.gather(this, dim, index);
  }
  /** Splits into pieces of `splitSize` (or the given sizes) along `dim`. */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    return joining.split(this, splitSize, dim);
  }
  /** Splits into `chunks` nearly equal pieces along `dim`. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return joining.chunk(this, chunks, dim);
  }

  // ── copies and casts ───────────────────────────────────────────────────────
  /** A copy with its own storage. */
  clone(): Tensor {
    return cast.clone(this);
  }
  /** Converts to `dtype` (returns this tensor when it already has it). */
  to(dtype: DType): Tensor {
    return cast.to(this, dtype);
  }
  /** `to('float32')`. */
  float(): Tensor {
    return cast.to(this, "float32");
  }
  /** `to('float64')`. */
  double(): Tensor {
    return cast.to(this, "float64");
  }
  /** `to('int32')`. */
  int(): Tensor {
    return cast.to(this, "int32");
  }
  /** `to('bool')`. */
  bool(): Tensor {
    return cast.to(this, "bool");
  }

  // ── in-place ───────────────────────────────────────────────────────────────
  /** In-place `this += other` (or `this += alpha · other`, fused like PyTorch's). */
  add_(other: Operand, options?: { alpha?: number }): this {
    return inplace.binaryInPlace(this, "add_", other, options?.alpha);
  }
  /** In-place `this -= other` (or `this -= alpha · other`, fused like PyTorch's). */
  sub_(other: Operand, options?: { alpha?: number }): this {
    return inplace.binaryInPlace(this, "sub_", other, options?.alpha);
  }
  /** In-place {@link Tensor.addcmul}. */
  addcmul_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    return inplace.addcInPlace(this, "addcmul_", t1, t2, options?.value);
  }
  /** In-place {@link Tensor.addcdiv}. */
  addcdiv_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    return inplace.addcInPlace(this, "addcdiv_", t1, t2, options?.value);
  }
  /** In-place `this *= other`. */
  mul_(other: Operand): this {
    return inplace.binaryInPlace(this, "mul_", other);
  }
  /** In-place `this /= other`. */
  div_(other: Operand): this {
    return inplace.binaryInPlace(this, "div_", other);
  }
  /** In-place clamp into `[min, max]`. */
  clamp_(min?: number | null, max?: number | null): this {
    return inplace.clamp_(this, min, max);
  }
  /** Sets every element to 0. */
  zero_(): this {
    return inplace.fill_(this, 0, "zero_");
  }
  /** Sets every element to `value`. */
  fill_(value: number | boolean): this {
    return inplace.fill_(this, value, "fill_");
  }
  /** Copies `source` (broadcast to this shape, cast to this dtype) into this tensor. */
  copy_(source: Operand): this {
    return inplace.copy_(this, source);
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
    return cast.setRequiresGrad(this, requiresGrad);
  }
  /** A tensor sharing storage with this one, outside the graph (`requiresGrad` false). */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.dtype);
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
