import { describeValue, TensorError } from "./errors";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;

/** The serialisable state of an {@link MT19937} engine (torch's `mt19937_data_pod`). */
export interface MT19937State {
  /** The 624 words of the twister's state. */
  key: number[];
  /** How many words of the current block remain plus one (torch's `left_`). */
  left: number;
  /** The index of the next word to temper (torch's `next_`). */
  next: number;
}

/**
 * The 32-bit Mersenne Twister exactly as PyTorch's CPU generator runs it
 * (`aten/src/ATen/core/MT19937RNGEngine.h`): seeded with the low 32 bits of the seed by the
 * standard `1812433253` recurrence, the block regenerated lazily on the first draw.
 */
export class MT19937 {
  private readonly key = new Uint32Array(N);
  private left = 1;
  private next = 0;

  /** Seeds the engine; like torch, only the seed's low 32 bits reach the state. */
  constructor(seed: number) {
    const key = this.key;
    key[0] = seed >>> 0;
    for (let j = 1; j < N; j++) {
      const previous = key[j - 1] as number;
      key[j] = (Math.imul(1812433253, previous ^ (previous >>> 30)) + j) >>> 0;
    }
  }

  /** The next tempered 32-bit word. */
  nextUint32(): number {
    if (--this.left === 0) this.twist();
    let y = this.key[this.next++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const key = this.key;
    this.left = N;
    this.next = 0;
    for (let j = 0; j < N; j++) {
      const y = ((key[j] as number) & 0x80000000) | ((key[(j + 1) % N] as number) & 0x7fffffff);
      key[j] = ((key[(j + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    }
  }

  /** A copy of the engine's state. */
  getState(): MT19937State {
    return { key: Array.from(this.key), left: this.left, next: this.next };
  }

  /** Restores a state from {@link MT19937.getState}; throws a typed error for anything else. */
  setState(state: MT19937State, op: string): void {
    const key = state?.key;
    const valid =
      Array.isArray(key) &&
      key.length === N &&
      key.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
      Number.isInteger(state.left) &&
      Number.isInteger(state.next) &&
      state.left >= 1 &&
      state.left <= N &&
      state.next >= 0 &&
      state.next + state.left <= N + 1;
    if (!valid) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `expected an mt19937 state from getState() ({ key: 624 uint32 words, left, next }), but got ${describeValue(state)}.`,
      );
    }
    this.key.set(key);
    this.left = state.left;
    this.next = state.next;
  }
}
