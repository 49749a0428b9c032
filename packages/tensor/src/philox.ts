import { describeValue, TensorError } from "./errors";

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

/** The serialisable position of a {@link Philox} engine. */
export interface PhiloxState {
  /** The next block's counter. */
  counter: number;
  /** How many words of the current block are still to be handed out (0–4). */
  available: number;
}

/**
 * Philox4x32-10, a counter-based engine (as used by PyTorch's CUDA and JAX): key = the seed's
 * low and high 32-bit words, counter words c0 = block counter low, c1 = high, c2 = c3 = 0.
 */
export class Philox {
  private readonly key0: number;
  private readonly key1: number;
  private counter = 0;
  private readonly buffer = new Uint32Array(4);
  private available = 0;

  /** An engine at the start of `seed`'s stream. */
  constructor(seed: number) {
    this.key0 = seed >>> 0;
    this.key1 = Math.floor(seed / 0x100000000) >>> 0;
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

  /** The next 32-bit word of the stream. */
  nextUint32(): number {
    if (this.available === 0) this.refill();
    return this.buffer[4 - this.available--] as number;
  }

  /** The engine's position. */
  getState(): PhiloxState {
    return { counter: this.counter, available: this.available };
  }

  /** Moves to a position from {@link Philox.getState}; throws a typed error for anything else. */
  setState(state: PhiloxState, op: string): void {
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
        op,
        `expected a philox state from getState() ({ counter, available }), but got ${describeValue(state)}.`,
      );
    }
    this.counter = state.counter;
    if (state.available > 0) {
      this.counter--;
      this.refill();
    }
    this.available = state.available;
  }
}
