import { describeValue, TensorError } from "./errors";
import { MT19937 } from "./mt19937";
import { Philox } from "./philox";

/** The engines a {@link Generator} can run: PyTorch's CPU Mersenne Twister or Philox4x32-10. */
export type GeneratorAlgorithm = "mt19937" | "philox";

/** Options of `new Generator(seed, options)`. */
export interface GeneratorOptions {
  /** `'mt19937'` (the default: PyTorch's CPU stream) or `'philox'` (counter-based). */
  algorithm?: GeneratorAlgorithm;
}

/** A generator's full state, as plain JSON-serialisable data ({@link Generator.getState}). */
export type GeneratorState =
  | {
      algorithm: "mt19937";
      seed: number;
      /** The twister's 624 state words. */
      key: number[];
      /** Words left in the current block plus one (torch's `left_`). */
      left: number;
      /** Index of the next state word (torch's `next_`). */
      next: number;
      /** The cached second sample of the last scalar Box–Muller draw, if any. */
      nextNormal: number | null;
    }
  | {
      algorithm: "philox";
      seed: number;
      counter: number;
      available: number;
      nextNormal: number | null;
    };

/** The seed of a fresh `torch.Generator()` (`default_rng_seed_val`). */
export const DEFAULT_SEED = 67280421310721;

function checkSeed(seed: unknown, op: string): number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `seed must be a non-negative safe integer, but got ${describeValue(seed)}. Hint: e.g. manualSeed(42).`,
    );
  }
  return seed;
}

function checkAlgorithm(algorithm: unknown, op: string): GeneratorAlgorithm {
  if (algorithm === "mt19937" || algorithm === "philox") return algorithm;
  throw new TensorError(
    "INVALID_ARGUMENT",
    op,
    `algorithm must be 'mt19937' or 'philox', but got ${describeValue(algorithm)}.`,
  );
}

/**
 * A seeded random number generator. By default it runs PyTorch's CPU engine (mt19937, seeded
 * as `torch.manual_seed` seeds it: the low 32 bits of the seed), so every sampler gives the
 * numbers `torch.Generator().manual_seed(seed)` gives on the CPU. `{ algorithm: 'philox' }`
 * runs Philox4x32-10 instead (the same 32-bit words as before torch parity; the samplers'
 * transformations are torch's for both engines).
 */
export class Generator {
  private engine: MT19937 | Philox;
  private seedValue = DEFAULT_SEED;
  /** The algorithm this generator runs. */
  algorithm: GeneratorAlgorithm;
  /** The second sample of the last scalar Box–Muller draw (torch's `next_double_normal_sample`). */
  nextNormal: number | null = null;

  /** A generator seeded with `seed` (torch's default `67280421310721` when omitted). */
  constructor(seed: number = DEFAULT_SEED, options?: GeneratorOptions) {
    this.algorithm = checkAlgorithm(options?.algorithm ?? "mt19937", "Generator");
    this.engine = this.makeEngine(checkSeed(seed, "Generator"));
    this.seedValue = seed;
  }

  private makeEngine(seed: number): MT19937 | Philox {
    return this.algorithm === "mt19937" ? new MT19937(seed) : new Philox(seed);
  }

  /** Resets the stream to `seed` (a non-negative safe integer); returns this generator, as PyTorch. */
  manualSeed(seed: number): this {
    this.engine = this.makeEngine(checkSeed(seed, "manualSeed"));
    this.seedValue = seed;
    this.nextNormal = null;
    return this;
  }

  /** The seed this generator was last seeded with. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The generator's full state (engine, position, cached normal) as plain data, for checkpoints. */
  getState(): GeneratorState {
    const common = { seed: this.seedValue, nextNormal: this.nextNormal };
    return this.engine instanceof MT19937
      ? { algorithm: "mt19937", ...common, ...this.engine.getState() }
      : { algorithm: "philox", ...common, ...this.engine.getState() };
  }

  /** Restores a state from {@link Generator.getState} (of either algorithm); returns this generator. */
  setState(state: GeneratorState): this {
    const op = "Generator.setState";
    if (typeof state !== "object" || state === null) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `expected a state from getState(), but got ${describeValue(state)}.`,
      );
    }
    const algorithm = checkAlgorithm(state.algorithm, op);
    const seed = checkSeed(state.seed, op);
    const nextNormal = state.nextNormal ?? null;
    if (nextNormal !== null && !Number.isFinite(nextNormal)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `nextNormal must be a finite number or null, but got ${describeValue(nextNormal)}.`,
      );
    }
    const engine = algorithm === "mt19937" ? new MT19937(seed) : new Philox(seed);
    engine.setState(state as never, op);
    this.algorithm = algorithm;
    this.engine = engine;
    this.seedValue = seed;
    this.nextNormal = nextNormal;
    return this;
  }

  /** The next uniformly distributed unsigned 32-bit integer (torch's `random()`). */
  nextUint32(): number {
    return this.engine.nextUint32();
  }

  /**
   * A uniform double in [0, 1) from the low 53 bits of torch's `random64()` (two words, the
   * first one high).
   */
  nextDouble(): number {
    const high = this.engine.nextUint32() & 0x1fffff;
    return (high * 0x100000000 + this.engine.nextUint32()) / 9007199254740992;
  }

  /** A uniform float32 value in [0, 1) from the low 24 bits of one word (torch's float path). */
  nextFloat32(): number {
    return (this.engine.nextUint32() & 0xffffff) / 16777216;
  }
}

/** The generator used when none is passed (seeded with torch's default seed until `manualSeed`). */
export const defaultGenerator = /* @__PURE__ */ new Generator();

/** Seeds the default generator; returns it (as `torch.manual_seed`). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
