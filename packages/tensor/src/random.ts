import type { CreationOptions } from "./creation";
import { allocate, checkDType, type DType, isFloating, type TypedArray } from "./dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "./errors";
import { Generator } from "./generator";
import { binarySpecs } from "./ops/binary";
import { inPlace } from "./ops/inplace";
import { expand } from "./ops/views";
import {
  bernoulliDraw,
  type FloatArray,
  fillNormalBlocks,
  fillUniform,
  normalByBlocks,
  normalDouble,
  randomInRange,
  shuffledRange,
} from "./random-torch";
import {
  broadcastShapes,
  checkNumel,
  checkShape,
  numelOf,
  type SizeArgs,
  sameShape,
  sizeArguments,
} from "./shape";
import { Tensor } from "./tensor";

export {
  DEFAULT_SEED,
  defaultGenerator,
  Generator,
  type GeneratorAlgorithm,
  type GeneratorOptions,
  type GeneratorState,
  manualSeed,
} from "./generator";

import { defaultGenerator } from "./generator";

/** Options of the samplers that only choose the generator (`uniform_`, `normal_`, `bernoulli`). */
export interface GeneratorOption {
  /** The generator to draw from (the default generator otherwise). */
  generator?: Generator;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions, GeneratorOption {}

function floatDType(options: RandomOptions | undefined, op: string): DType {
  const dtype = options?.dtype === undefined ? "float32" : checkDType(options.dtype, op);
  if (!isFloating(dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `expects a floating dtype, but got ${dtype}. Hint: use dtype 'float32' or 'float64'.`,
    );
  }
  return dtype;
}

/** The generator named in `options`, checked, or the default one. */
function generatorOf(options: GeneratorOption | undefined, op: string): Generator {
  const generator = options?.generator;
  if (generator === undefined) return defaultGenerator;
  if (!(generator instanceof Generator)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `generator must be a Generator, but got ${describeValue(generator)}. Hint: pass new Generator().manualSeed(seed).`,
    );
  }
  return generator;
}

function build(
  data: TypedArray,
  shape: number[],
  dtype: DType,
  options: RandomOptions | undefined,
  op: string,
): Tensor {
  const result = Tensor.fromData(data, shape, dtype);
  if (options?.requiresGrad) {
    if (!isFloating(dtype)) {
      throw new TensorError(
        "INVALID_DTYPE",
        op,
        `only tensors of floating point dtype can require gradients, but dtype is ${dtype}. Hint: use dtype 'float32' or 'float64' with requiresGrad.`,
      );
    }
    result.requiresGrad_(true);
  }
  return result;
}

/** Fills contiguous float storage with normal samples along torch's path for its size. */
function fillNormal(
  g: Generator,
  out: FloatArray,
  mean: number,
  std: number,
  contiguous: boolean,
): void {
  if (normalByBlocks(out.length, contiguous)) fillNormalBlocks(g, out, mean, std);
  else for (let i = 0; i < out.length; i++) out[i] = normalDouble(g, mean, std);
}

function uniformTensor(shape: number[], options: RandomOptions | undefined, op: string): Tensor {
  const dtype = floatDType(options, op);
  const out = allocate(dtype, numelOf(shape)) as FloatArray;
  fillUniform(generatorOf(options, op), out, 0, 1);
  return build(out, shape, dtype, options, op);
}

function normalTensor(shape: number[], options: RandomOptions | undefined, op: string): Tensor {
  const dtype = floatDType(options, op);
  const out = allocate(dtype, numelOf(shape)) as FloatArray;
  fillNormal(generatorOf(options, op), out, 0, 1, true);
  return build(out, shape, dtype, options, op);
}

/** Uniform samples in [0, 1) (`torch.rand`'s values after the same seed): `rand(2, 3)` or `rand([2, 3])`, then options. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  return uniformTensor(...sizeArguments<RandomOptions>(args, "rand"), "rand");
}

/**
 * Standard normal samples, `torch.randn`'s values after the same seed: `randn(2, 3)` or
 * `randn([2, 3])`, then options. Like torch, fewer than 16 values come from scalar Box–Muller
 * draws in float64, 16 or more from Box–Muller over blocks of 16 uniforms.
 */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  return normalTensor(...sizeArguments<RandomOptions>(args, "randn"), "randn");
}

/** {@link rand} with `x`'s shape and dtype (unless overridden). */
export function randLike(x: Tensor, options?: RandomOptions): Tensor {
  checkTensorArgument(x, "randLike");
  return uniformTensor(x.shape.slice(), { dtype: x.dtype, ...options }, "randLike");
}

/** {@link randn} with `x`'s shape and dtype (unless overridden). */
export function randnLike(x: Tensor, options?: RandomOptions): Tensor {
  checkTensorArgument(x, "randnLike");
  return normalTensor(x.shape.slice(), { dtype: x.dtype, ...options }, "randnLike");
}

const INT32_MIN = -(2 ** 31);
const INT32_LIMIT = 2 ** 31;

/** Uniform integers in `[low, high)`, torch's values after the same seed (int32 unless `dtype` says otherwise). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options?: RandomOptions,
): Tensor {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "randint",
      `expects integers with low < high, but got low=${describeValue(low)}, high=${describeValue(high)}. Hint: high is exclusive, e.g. randint(0, 10, [5]).`,
    );
  }
  const size = checkShape(shape, "randint");
  const dtype = options?.dtype === undefined ? "int32" : checkDType(options.dtype, "randint");
  if (dtype === "int32" && (low < INT32_MIN || high > INT32_LIMIT)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "randint",
      `[low, high) = [${low}, ${high}) does not fit in int32. Hint: pass { dtype: 'float64' } for wider ranges.`,
    );
  }
  const generator = generatorOf(options, "randint");
  const out = allocate(dtype, numelOf(size));
  for (let i = 0; i < out.length; i++) out[i] = randomInRange(generator, high - low, low);
  return build(out, size, dtype, options, "randint");
}

/** A random permutation of `0 … n-1` as int32: torch's `randperm(n)` after the same seed. */
export function randperm(n: number, options?: RandomOptions): Tensor {
  if (!Number.isInteger(n) || n < 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "randperm",
      `n must be a non-negative integer, but got ${describeValue(n)}.`,
    );
  }
  checkNumel(n, "randperm", `randperm(${n})`);
  const generator = generatorOf(options, "randperm");
  const dtype = options?.dtype === undefined ? "int32" : checkDType(options.dtype, "randperm");
  const values = shuffledRange(generator, n);
  const out = allocate(dtype, n);
  out.set(values as never);
  return build(out, [n], dtype, options, "randperm");
}

// ── in-place samplers ─────────────────────────────────────────────────────────

/**
 * The flat (row-major) indices of `x` in the order torch's kernels visit them: storage order
 * (a TensorIterator walks memory), or `null` when that is row-major order.
 */
function visitOrder(x: Tensor): Int32Array | null {
  if (x.isContiguous()) return null;
  const n = x.numel();
  const offsets = new Float64Array(n);
  const index = new Array<number>(x.ndim).fill(0);
  for (let flat = 0; flat < n; flat++) {
    let offset = 0;
    for (let d = 0; d < x.ndim; d++) offset += (index[d] as number) * (x.strides[d] as number);
    offsets[flat] = offset;
    for (let d = x.ndim - 1; d >= 0; d--) {
      if (++(index[d] as number) < (x.shape[d] as number)) break;
      index[d] = 0;
    }
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (offsets[a] as number) - (offsets[b] as number) || a - b);
  return order;
}

/** Writes samples drawn in the order torch visits `x`'s elements (the k-th drawn first) into `x`. */
function writeSamples(
  x: Tensor,
  op: string,
  samples: (count: number, order: Int32Array | null) => TypedArray,
): Tensor {
  const order = visitOrder(x);
  const drawn = samples(x.numel(), order);
  let values = drawn;
  if (order !== null) {
    values = allocate(x.dtype, drawn.length);
    for (let k = 0; k < order.length; k++) values[order[k] as number] = drawn[k] as number;
  }
  const source = Tensor.fromData(values, x.shape.slice(), x.dtype);
  return inPlace(binarySpecs.copy, op, x, [source], null);
}

function checkFloatTarget(x: Tensor, op: string): void {
  checkTensorArgument(x, op, "self");
  if (!isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `expects a floating tensor, but got dtype ${x.dtype}. Hint: convert with .float() first.`,
    );
  }
}

function checkNumber(value: unknown, op: string, argument: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${argument} must be a number, but got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** `x.uniform_(from, to)`: fills `x` with torch's uniform samples in `[from, to)`. */
export function uniform_(x: Tensor, from = 0, to = 1, options?: GeneratorOption): Tensor {
  checkFloatTarget(x, "uniform_");
  checkNumber(from, "uniform_", "from");
  checkNumber(to, "uniform_", "to");
  if (!(from <= to) || !Number.isFinite(to - from)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "uniform_",
      `expects to return a [from, to) range, but found from=${from} > to=${to}. Hint: pass from ≤ to, both finite.`,
    );
  }
  const generator = generatorOf(options, "uniform_");
  return writeSamples(x, "uniform_", (count) => {
    const out = allocate(x.dtype, count) as FloatArray;
    fillUniform(generator, out, from, to);
    return out;
  });
}

/** `x.normal_(mean, std)`: fills `x` with torch's normal samples (its path for `x`'s size and layout). */
export function normal_(x: Tensor, mean = 0, std = 1, options?: GeneratorOption): Tensor {
  checkFloatTarget(x, "normal_");
  checkNumber(mean, "normal_", "mean");
  if (!(checkNumber(std, "normal_", "std") >= 0) || !Number.isFinite(std)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "normal_",
      `expects std >= 0.0, but found std ${std}. Hint: std is a standard deviation, not a variance.`,
    );
  }
  const generator = generatorOf(options, "normal_");
  return writeSamples(x, "normal_", (count, order) => {
    const out = allocate(x.dtype, count) as FloatArray;
    fillNormal(generator, out, mean, std, order === null);
    return out;
  });
}

function checkProbability(p: number, op: string): void {
  if (!(p >= 0 && p <= 1)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `expects p to be in [0, 1], but got p=${p}. Hint: p is a probability.`,
    );
  }
}

/** Checks a probability tensor (floating, every value in [0, 1]). */
function probabilities(p: Tensor, op: string): TypedArray {
  if (!isFloating(p.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `expects a floating tensor of probabilities, but got dtype ${p.dtype}. Hint: convert with .float() first.`,
    );
  }
  const values = p.contiguous().toTypedArray();
  for (const v of values) checkProbability(v, op);
  return values;
}

function bernoulliFrom(x: Tensor, p: Tensor, generator: Generator, op: string): Tensor {
  if (!sameShape(broadcastShapes(p.shape, x.shape, op), x.shape)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `p of shape ${formatShape(p.shape)} cannot be broadcast to the shape ${formatShape(x.shape)}. Hint: p must broadcast to the tensor without growing it.`,
    );
  }
  const single = p.dtype === "float32";
  const values = probabilities(expand(p, x.shape.slice()), op);
  return writeSamples(x, op, (count, order) => {
    const out = allocate(x.dtype, count);
    for (let k = 0; k < count; k++) {
      const at = order === null ? k : (order[k] as number);
      out[k] = Number(bernoulliDraw(generator, values[at] as number, single));
    }
    return out;
  });
}

/**
 * `x.bernoulli_(p)`: sets each element of `x` to 1 with probability `p` (a number, or a
 * tensor broadcast to `x`'s shape), else 0, drawing as torch does (a number draws float64
 * uniforms; a tensor draws in its own dtype).
 */
export function bernoulli_(x: Tensor, p: number | Tensor = 0.5, options?: GeneratorOption): Tensor {
  checkTensorArgument(x, "bernoulli_", "self");
  const generator = generatorOf(options, "bernoulli_");
  if (p instanceof Tensor) return bernoulliFrom(x, p, generator, "bernoulli_");
  checkProbability(checkNumber(p, "bernoulli_", "p"), "bernoulli_");
  return writeSamples(x, "bernoulli_", (count) => {
    const out = allocate(x.dtype, count);
    for (let i = 0; i < count; i++) out[i] = Number(bernoulliDraw(generator, p, false));
    return out;
  });
}

/**
 * `bernoulli(p)`: 0/1 samples with the probabilities in `p` (same shape and dtype), torch's
 * values after the same seed.
 */
export function bernoulli(p: Tensor, options?: GeneratorOption): Tensor {
  checkTensorArgument(p, "bernoulli", "p");
  const generator = generatorOf(options, "bernoulli");
  const out = Tensor.fromData(allocate(p.dtype, p.numel()), p.shape.slice(), p.dtype);
  return bernoulliFrom(out, p, generator, "bernoulli");
}
