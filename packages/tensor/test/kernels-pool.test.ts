import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allocate } from "../src/dtype";
import { arange, randn, type Tensor, zeros } from "../src/index";
import { drainPool, POOL_MIN_BYTES, poolStats, setPoolEnabled, sizeClass } from "../src/pool";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const initiallyEnabled = setPoolEnabled(false);

/** A full garbage collection, then one macrotask so the registry's cleanup can run. */
async function collect(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 0));
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const LARGE = POOL_MIN_BYTES / 4; // float32 elements in the smallest pooled buffer

/** Allocates (and drops) a large float32 array filled with `value`; returns its buffer. */
function dropFilled(length: number, value: number): ArrayBufferLike {
  return allocate("float32", length).fill(value).buffer;
}

beforeEach(async () => {
  await collect();
  drainPool();
  setPoolEnabled(true);
});

afterEach(() => {
  setPoolEnabled(false);
});

describe("size classes", () => {
  it("round up to the next eighth of the power of two", () => {
    expect(sizeClass(65536)).toBe(65536);
    expect(sizeClass(65537)).toBe(81920);
    expect(sizeClass(4_000_000)).toBe(4_194_304);
    expect(sizeClass(40_000_000)).toBe(41_943_040);
    for (let bytes = 65536; bytes < 2 ** 26; bytes = Math.ceil(bytes * 1.37)) {
      const size = sizeClass(bytes);
      expect(size).toBeGreaterThanOrEqual(bytes);
      expect(size).toBeLessThanOrEqual(bytes * 1.25);
    }
  });
});

describe("buffer pool", () => {
  it("is off by default, and when off hands out plain arrays", async () => {
    expect(initiallyEnabled).toBe(false);
    setPoolEnabled(false);
    const buffer = dropFilled(LARGE * 2, 5);
    await collect();
    const again = allocate("float32", LARGE * 2);
    expect(again.buffer).not.toBe(buffer);
    expect(poolStats().freeBytes).toBe(0);
    expect(setPoolEnabled(true)).toBe(false);
  });

  it("leaves small arrays alone", () => {
    const small = allocate("float32", LARGE - 1);
    expect(small.buffer.byteLength).toBe(small.byteLength);
    expect(poolStats().watchedBytes).toBe(0);
  });

  it("hands a dead array's buffer to the next allocation of its size class, zero-filled", async () => {
    const buffer = dropFilled(LARGE * 3, 7);
    await collect();
    expect(poolStats().freeBytes).toBeGreaterThanOrEqual(buffer.byteLength);
    const again = allocate("float32", LARGE * 3 - 5);
    expect(again.buffer).toBe(buffer);
    expect(again.length).toBe(LARGE * 3 - 5);
    expect(again.every((x) => x === 0)).toBe(true);
    const int32 = allocate("int32", LARGE * 3);
    expect(int32.buffer).not.toBe(buffer);
  });

  it("serves other dtypes of the same byte size, and skips the zero-fill when asked", async () => {
    const buffer = dropFilled(LARGE * 2, 3);
    await collect();
    const ints = allocate("int32", LARGE * 2, false);
    expect(ints.buffer).toBe(buffer);
    expect(ints[0]).toBe(new Int32Array(new Float32Array([3]).buffer)[0]);
  });

  it("never recycles a buffer that a view of a live tensor still uses", async () => {
    let base: Tensor | null = randn([300, 300]);
    const view = base.t(); // shares the storage
    const viewBuffer = view.storage.data.buffer;
    const before = view.toTypedArray();
    const control = dropFilled(300 * 300, 1); // dead: must come back
    base = null;
    await collect();
    const fresh = Array.from({ length: 8 }, () => allocate("float32", 300 * 300).fill(-1));
    expect(fresh.map((array) => array.buffer)).toContain(control);
    for (const array of fresh) expect(array.buffer).not.toBe(viewBuffer);
    expect(view.toTypedArray()).toEqual(before);
    expect(base).toBeNull();
  });

  it("never recycles the array returned by toTypedArray() of a non-contiguous tensor", async () => {
    const copy = randn([300, 300]).t().toTypedArray(); // a fresh contiguous copy, now ours
    const saved = Float32Array.from(copy);
    const control = dropFilled(300 * 300, 1);
    await collect();
    const fresh = Array.from({ length: 8 }, () => allocate("float32", 300 * 300).fill(-1));
    expect(fresh.map((array) => array.buffer)).toContain(control);
    for (const array of fresh) expect(array.buffer).not.toBe(copy.buffer);
    expect(copy).toEqual(saved);
  });

  it("recycles the outputs of tensor ops that became garbage", async () => {
    const x = arange(LARGE * 4).float();
    for (let i = 0; i < 4; i++) x.mul(2).add(1);
    await collect();
    const reusedBefore = poolStats().reused;
    const y = x.mul(2).add(1);
    expect(poolStats().reused).toBeGreaterThan(reusedBefore);
    expect(y.sum().item()).toBe(
      zeros([LARGE * 4])
        .add(x.mul(2).add(1))
        .sum()
        .item(),
    );
    expect(y.select(0, 5).item()).toBe(11);
  });
});
