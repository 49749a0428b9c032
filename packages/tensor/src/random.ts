import type { CreationOptions } from "./creation";
import { allocate, checkDType, type DType } from "./dtype";
import { checkTensorArgument, describeValue, TensorError } from "./errors";
import { checkNumel, checkShape, numelOf, type SizeArgs, sizeArguments } from "./shape";
import { Tensor } from "./tensor";

const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers. */
function mulHigh(a: number, b: number): number {
  const aHigh = a >>> 16;
  const aLow = a & 0xffff;
  const bHigh = b >>> 16;
  const bLow = b & 0xffff;
  const cross = ((aLow * bLow) >>> 16) + ((aHigh * bLow) & 0xffff) + aLow * bHigh;
  return (aHigh * bHigh + ((aHigh * bLow) >>> 16) + Math.floor(cross / 0x10000)) >>> 0;
}

/**
 * A seeded random number generator: Philox4x32-10, a counter-based generator (as used by
 * PyTorch's CUDA and JAX), so the same seed gives the same stream on every platform.
 */
export class Generator {
  private key0 = 0;
  private key1 = 0;
  private counter = 0;
  private buffer = new Uint32Array(4);
  private available = 0;
  private seedValue = 0;

  /** Creates a generator; seed it with `manualSeed` (default seed 0). */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Resets the stream to `seed` (a non-negative safe integer); returns this generator, as PyTorch. */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "manualSeed",
        `seed must be a non-negative safe integer, but got ${describeValue(seed)}. Hint: e.g. manualSeed(42).`,
      );
    }
    this.seedValue = seed;
    this.key0 = seed >>> 0;
    this.key1 = Math.floor(seed / 0x100000000) >>> 0;
    this.counter = 0;
    this.available = 0;
    return this;
  }

  /** The seed this generator was last seeded with. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The generator's full state (seed and position), for checkpoints. */
  getState(): { seed: number; counter: number; available: number } {
    return { seed: this.seedValue, counter: this.counter, available: this.available };
  }

  /** Restores a state from {@link Generator.getState}. */
  setState(state: { seed: number; counter: number; available: number }): this {
    const valid =
      typeof state === "object" &&
      state !== null &&
      Number.isSafeInteger(state.counter) &&
      state.counter >= 0 &&
      Number.isInteger(state.available) &&
      state.available >= 0 &&
      state.available <= 4 &&
      (state.available === 0 || state.counter > 0);
    if (!valid) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "Generator.setState",
        `expected a state from getState() ({ seed, counter, available }), but got ${describeValue(state)}.`,
      );
    }
    this.manualSeed(state.seed);
    if (state.available > 0) {
      this.counter = state.counter - 1;
      this.refill();
    }
    this.counter = state.counter;
    this.available = state.available;
    return this;
  }

  private refill(): void {
    let c0 = this.counter >>> 0;
    let c1 = Math.floor(this.counter / 0x100000000) >>> 0;
    let c2 = 0;
    let c3 = 0;
    let k0 = this.key0;
    let k1 = this.key1;
    for (let round = 0; round < 10; round++) {
      const hi0 = mulHigh(PHILOX_M0, c0);
      const lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
      const hi1 = mulHigh(PHILOX_M1, c2);
      const lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
      [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
      k0 = (k0 + PHILOX_W0) >>> 0;
      k1 = (k1 + PHILOX_W1) >>> 0;
    }
    this.buffer[0] = c0;
    this.buffer[1] = c1;
    this.buffer[2] = c2;
    this.buffer[3] = c3;
    this.counter++;
    this.available = 4;
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    if (this.available === 0) this.refill();
    return this.buffer[4 - this.available--] as number;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform float32 value in [0, 1) (24 random bits). */
  nextFloat32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }
}

/** The generator used when none is passed. */
export const defaultGenerator = /* @__PURE__ */ new Generator();

/** Seeds the default generator; returns it (as `torch.manual_seed`). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions {
  /** The generator to draw from (the default generator otherwise). */
  generator?: Generator;
}

function floatDType(options: RandomOptions | undefined, op: string): DType {
  const dtype = options?.dtype === undefined ? "float32" : checkDType(options.dtype, op);
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TensorError("INVALID_DTYPE", op, `expects a floating dtype, but got ${dtype}.`);
  }
  return dtype;
}

/** The generator named in `options`, checked, or the default one. */
function generatorOf(options: RandomOptions | undefined, op: string): Generator {
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
  data: Tensor["storage"]["data"],
  shape: number[],
  dtype: DType,
  options: RandomOptions | undefined,
  op: string,
): Tensor {
  const result = Tensor.fromData(data, shape, dtype);
  if (options?.requiresGrad) {
    if (dtype !== "float32" && dtype !== "float64") {
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

function uniform(shape: number[], options: RandomOptions | undefined, op: string): Tensor {
  const dtype = floatDType(options, op);
  const generator = generatorOf(options, op);
  const out = allocate(dtype, numelOf(shape));
  for (let i = 0; i < out.length; i++)
    out[i] = dtype === "float32" ? generator.nextFloat32() : generator.nextDouble();
  return build(out, shape, dtype, options, op);
}

function normal(shape: number[], options: RandomOptions | undefined, op: string): Tensor {
  const dtype = floatDType(options, op);
  const generator = generatorOf(options, op);
  const out = allocate(dtype, numelOf(shape));
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - generator.nextDouble();
    const u2 = generator.nextDouble();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return build(out, shape, dtype, options, op);
}

/** Uniform samples in [0, 1): `rand(2, 3)` or `rand([2, 3])`, then options. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  return uniform(...sizeArguments<RandomOptions>(args, "rand"), "rand");
}

/**
 * Standard normal samples (Box–Muller on the generator's uniform doubles): `randn(2, 3)` or
 * `randn([2, 3])`, then options. Bit-identical across platforms whose `Math.log`/`Math.cos`
 * agree (all V8-based ones: Node, Chrome, Edge); other engines may differ in the last bit of a
 * float64 sample.
 */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  return normal(...sizeArguments<RandomOptions>(args, "randn"), "randn");
}

/** {@link rand} with `x`'s shape and dtype (unless overridden). */
export function randLike(x: Tensor, options?: RandomOptions): Tensor {
  checkTensorArgument(x, "randLike");
  return uniform(x.shape.slice(), { dtype: x.dtype, ...options }, "randLike");
}

/** {@link randn} with `x`'s shape and dtype (unless overridden). */
export function randnLike(x: Tensor, options?: RandomOptions): Tensor {
  checkTensorArgument(x, "randnLike");
  return normal(x.shape.slice(), { dtype: x.dtype, ...options }, "randnLike");
}

function uniformBelow(generator: Generator, bound: number): number {
  return Math.floor(generator.nextDouble() * bound);
}

/** Uniform integers in `[low, high)` (int32 unless `dtype` says otherwise). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options?: RandomOptions,
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "randint",
      `expects integers with low < high, but got low=${low}, high=${high}. Hint: high is exclusive, e.g. randint(0, 10, [5]).`,
    );
  }
  const size = checkShape(shape, "randint");
  const dtype = options?.dtype === undefined ? "int32" : checkDType(options.dtype, "randint");
  const generator = generatorOf(options, "randint");
  const out = allocate(dtype, numelOf(size));
  for (let i = 0; i < out.length; i++) out[i] = low + uniformBelow(generator, high - low);
  return build(out, size, dtype, options, "randint");
}

/** A random permutation of `0 … n-1` as int32 (Fisher–Yates on the generator). */
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
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = uniformBelow(generator, i + 1);
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
  const out = allocate(dtype, n);
  out.set(values as never);
  return build(out, [n], dtype, options, "randperm");
}
