import { arange, Generator, randperm, type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataLoader, type Dataset, randomSplit, Subset, TensorDataset } from "../src/index";
import { catchDataError, expectDataError, values } from "./helpers";

const seeded = (seed: number) => new Generator().manualSeed(seed);
const n = 11;
const x = arange(n * 2)
  .float()
  .reshape([n, 2]);
const y = arange(n).float().mul(10);
const dataset = new TensorDataset(x, y);

/** The same samples behind a plain Dataset, so the loader falls back to stacking get(i). */
const generic: Dataset<Tensor[]> = { length: n, get: (i) => dataset.get(i) };

const batches = (loader: Iterable<Tensor[]>) =>
  Array.from(loader, (batch) => batch.map((t) => t.toArray()));
const sampleOrder = (loader: Iterable<Tensor[]>) =>
  Array.from(loader).flatMap(([, yb]) => values(yb as Tensor).map((v) => v / 10));

describe("DataLoader", () => {
  it("yields [xBatch, yBatch] in order, the last batch smaller", () => {
    const loader = new DataLoader(dataset, { batchSize: 4 });
    expect(loader.length).toBe(3);
    const all = Array.from(loader);
    expect(all.map(([xb, yb]) => [xb?.shape, yb?.shape])).toEqual([
      [[4, 2], [4]],
      [[4, 2], [4]],
      [[3, 2], [3]],
    ]);
    expect(all[2]?.[0]?.toArray()).toEqual([
      [16, 17],
      [18, 19],
      [20, 21],
    ]);
    expect(sampleOrder(loader)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("counts batches with and without dropLast", () => {
    const count = (batchSize: number, dropLast: boolean) =>
      [new DataLoader(dataset, { batchSize, dropLast })].map((l) => [
        l.length,
        Array.from(l).length,
      ]);
    expect(count(4, false)).toEqual([[3, 3]]);
    expect(count(4, true)).toEqual([[2, 2]]);
    expect(count(11, true)).toEqual([[1, 1]]);
    expect(count(12, true)).toEqual([[0, 0]]);
    expect(count(12, false)).toEqual([[1, 1]]);
    expect(count(1, false)).toEqual([[11, 11]]);
    const loader = new DataLoader(dataset);
    expect([loader.batchSize, loader.shuffle, loader.dropLast, loader.length]).toEqual([
      1,
      false,
      false,
      11,
    ]);
  });

  it("has ceil(n / b) batches, or floor with dropLast, covering the samples (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (size, batchSize, dropLast) => {
          const data = new TensorDataset(arange(size).float());
          const loader = new DataLoader(data, {
            batchSize,
            dropLast,
            shuffle: true,
            generator: seeded(size),
          });
          const sizes = Array.from(loader, ([b]) => b?.shape[0] as number);
          expect(sizes.length).toBe(loader.length);
          expect(loader.length).toBe(
            dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize),
          );
          expect(
            sizes.every((s, i) => s === batchSize || (!dropLast && i === sizes.length - 1)),
          ).toBe(true);
          const seen = Array.from(loader).flatMap(([b]) => values(b as Tensor));
          expect(new Set(seen).size).toBe(seen.length);
        },
      ),
    );
  });

  it("shuffles with randperm(n) from the generator, a fresh permutation each pass", () => {
    const loader = new DataLoader(dataset, { batchSize: 4, shuffle: true, generator: seeded(5) });
    const reference = seeded(5);
    const firstPass = sampleOrder(loader);
    const secondPass = sampleOrder(loader);
    expect(firstPass).toEqual(values(randperm(n, { generator: reference })));
    expect(secondPass).toEqual(values(randperm(n, { generator: reference })));
    expect(secondPass).not.toEqual(firstPass);
  });

  it("gives the same batches for the same seed and different ones for another seed", () => {
    const make = (seed: number) =>
      new DataLoader(dataset, { batchSize: 3, shuffle: true, generator: seeded(seed) });
    const a = make(11);
    const b = make(11);
    expect([batches(a), batches(a)]).toEqual([batches(b), batches(b)]);
    expect(batches(make(12))).not.toEqual(batches(make(11)));
  });

  it("draws the order when a pass starts, not when the loader is built", () => {
    const generator = seeded(9);
    const loader = new DataLoader(dataset, { batchSize: 2, shuffle: true, generator });
    randperm(3, { generator }); // advances the stream after construction, before the first pass
    const reference = seeded(9);
    randperm(3, { generator: reference });
    expect(sampleOrder(loader)).toEqual(values(randperm(n, { generator: reference })));
  });

  it("batches a generic dataset by stacking get(i), identical to the TensorDataset fast path", () => {
    for (const options of [{ batchSize: 4 }, { batchSize: 3, shuffle: true, dropLast: true }]) {
      const fast = new DataLoader(dataset, { ...options, generator: seeded(1) });
      const slow = new DataLoader(generic, { ...options, generator: seeded(1) });
      expect(batches(slow)).toEqual(batches(fast));
    }
  });

  it("gathers subsets (and subsets of subsets) from the underlying tensors", () => {
    const [train] = randomSplit(dataset, [8, 3], { generator: seeded(2) });
    const nested = new Subset(train as Subset, [7, 0, 3]);
    for (const subset of [train as Subset, nested]) {
      const viaGet: Dataset<Tensor[]> = { length: subset.length, get: (i) => subset.get(i) };
      expect(batches(new DataLoader(subset, { batchSize: 3 }))).toEqual(
        batches(new DataLoader(viaGet, { batchSize: 3 })),
      );
    }
    expect(sampleOrder(new DataLoader(nested, { batchSize: 2 }))).toEqual(
      [7, 0, 3].map((i) => values((train as Subset).indices)[i]),
    );
  });

  it("yields nothing for an empty dataset", () => {
    const loader = new DataLoader(new TensorDataset(tensor([])), { batchSize: 2, shuffle: true });
    expect(loader.length).toBe(0);
    expect(Array.from(loader)).toEqual([]);
  });

  it("rejects a batchSize that is not a positive integer", () => {
    for (const batchSize of [0, -2, 1.5]) {
      expectDataError(
        () => new DataLoader(dataset, { batchSize }),
        "INVALID_ARGUMENT",
        `DataLoader: batchSize must be an integer >= 1, but got ${batchSize}. Hint: pass a whole number such as 1.`,
      );
    }
  });

  it("rejects something that is not a dataset", () => {
    expectDataError(
      () => new DataLoader([x, y] as never),
      "INVALID_ARGUMENT",
      "DataLoader: dataset must have a length and a get(index) method, but got [a float32 tensor of shape [11, 2], a float32 tensor of shape [11]]. Hint: wrap tensors with new TensorDataset(x, y).",
    );
    catchDataError(() => new DataLoader({ length: -1, get: () => [] }), "INVALID_ARGUMENT");
  });

  it("rejects generic dataset items that are not arrays of tensors", () => {
    const bad: Dataset<Tensor[]> = {
      length: 2,
      get: (i) => (i === 0 ? [tensor([1])] : (tensor([2]) as never)),
    };
    expectDataError(
      () => Array.from(new DataLoader(bad, { batchSize: 2 })),
      "INVALID_ARGUMENT",
      "DataLoader: dataset items must be arrays of 1 tensors, but item 1 is a float32 tensor of shape [1]. Hint: return [x, y] tensors from get(index), as TensorDataset does.",
    );
  });
});
