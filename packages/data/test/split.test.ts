import { Generator, randperm, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomSplit, splitIndices, splitLengths, TensorDataset } from "../src/index";
import fixture from "./fixtures/random-split.json";
import { catchDataError, expectDataError, values } from "./helpers";

const seeded = (seed: number) => new Generator().manualSeed(seed);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe("splitIndices", () => {
  it("gives the book's sizes: n = 11, valFraction 0.2 → 9 training and 2 validation indices", () => {
    const { train, val } = splitIndices(11, { valFraction: 0.2, generator: seeded(0) });
    expect(train.shape).toEqual([9]);
    expect(val.shape).toEqual([2]);
    expect(train.dtype).toBe("int32");
    expect(val.dtype).toBe("int32");
    expect(sorted([...values(train), ...values(val)])).toEqual(range(11));
  });

  it("takes validation from the end of randperm(n) and training from the start (the book's recipe)", () => {
    const perm = values(randperm(11, { generator: seeded(42) }));
    const { train, val } = splitIndices(11, { valFraction: 0.2, generator: seeded(42) });
    expect(values(train)).toEqual(perm.slice(0, 9));
    expect(values(val)).toEqual(perm.slice(9));
  });

  it("is deterministic per seed and differs between seeds", () => {
    const a = splitIndices(50, { valFraction: 0.3, generator: seeded(7) });
    const b = splitIndices(50, { valFraction: 0.3, generator: seeded(7) });
    const c = splitIndices(50, { valFraction: 0.3, generator: seeded(8) });
    expect(values(a.train)).toEqual(values(b.train));
    expect(values(a.val)).toEqual(values(b.val));
    expect(values(a.train)).not.toEqual(values(c.train));
  });

  it("uses nVal = floor(valFraction · n), including 0 and n = 0", () => {
    expect(splitIndices(10, { valFraction: 0, generator: seeded(1) }).val.shape).toEqual([0]);
    expect(splitIndices(10, { valFraction: 0.99, generator: seeded(1) }).val.shape).toEqual([9]);
    expect(splitIndices(29, { valFraction: 0.1, generator: seeded(1) }).val.shape).toEqual([2]);
    const empty = splitIndices(0, { valFraction: 0.5, generator: seeded(1) });
    expect(empty.train.shape).toEqual([0]);
    expect(empty.val.shape).toEqual([0]);
  });

  it("partitions 0 … n-1 exactly for any n, fraction and seed (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.nat(),
        (n, valFraction, seed) => {
          const { train, val } = splitIndices(n, { valFraction, generator: seeded(seed) });
          expect(val.shape[0]).toBe(Math.floor(valFraction * n));
          expect(sorted([...values(train), ...values(val)])).toEqual(range(n));
        },
      ),
    );
  });

  it("rejects a valFraction outside [0, 1)", () => {
    for (const valFraction of [1, -0.1, Number.NaN, 1.5]) {
      expectDataError(
        () => splitIndices(10, { valFraction }),
        "INVALID_ARGUMENT",
        `splitIndices: valFraction must be a number in [0, 1), but got ${valFraction}. Hint: 0.2 keeps 20% of the samples for validation.`,
      );
    }
    expectDataError(
      () => splitIndices(10, { valFraction: "0.2" as unknown as number }),
      "INVALID_ARGUMENT",
      'splitIndices: valFraction must be a number in [0, 1), but got "0.2". Hint: 0.2 keeps 20% of the samples for validation.',
    );
    catchDataError(() => splitIndices(10, {} as never), "INVALID_ARGUMENT");
  });

  it("rejects n that is not a non-negative integer", () => {
    for (const n of [-1, 2.5, Number.NaN]) {
      expectDataError(
        () => splitIndices(n, { valFraction: 0.2 }),
        "INVALID_ARGUMENT",
        `splitIndices: n must be an integer >= 0, but got ${n}. Hint: pass a whole number such as 1.`,
      );
    }
  });
});

describe("splitLengths (torch.utils.data.random_split's length arithmetic)", () => {
  for (const { n, lengths, ...outcome } of fixture.cases) {
    const label = `n=${n}, lengths=${JSON.stringify(lengths)}`;
    if ("sizes" in outcome) {
      it(`${label} → ${JSON.stringify(outcome.sizes)} as torch`, () => {
        expect(splitLengths(n, lengths)).toEqual(outcome.sizes);
      });
    } else {
      const { message } = outcome.error as { message: string };
      it(`${label} → torch's error "${message}"`, () => {
        const code = message.startsWith("Sum") ? "LENGTH_MISMATCH" : "INVALID_ARGUMENT";
        const error = catchDataError(() => splitLengths(n, lengths), code);
        expect(error.message).toContain(message.replace(/!$/, ""));
      });
    }
  }

  it("names both numbers when the lengths do not add up", () => {
    expectDataError(
      () => splitLengths(10, [3, 6]),
      "LENGTH_MISMATCH",
      "randomSplit: Sum of input lengths does not equal the length of the input dataset, 9 vs 10 (lengths [3, 6]). Hint: make the sizes add up to 10, or pass fractions that sum to 1.",
    );
  });

  it("names the index and value of a fraction outside [0, 1]", () => {
    expectDataError(
      () => splitLengths(10, [0.5, 1.5, -1]),
      "INVALID_ARGUMENT",
      "randomSplit: Fraction at index 1 is not between 0 and 1, expected a value in [0, 1] vs got 1.5 (lengths [0.5, 1.5, -1]). Hint: fractions must each lie in [0, 1] and sum to 1.",
    );
  });

  it("sums fractions as Python >= 3.12 does (compensated), so [0.2, 0.4, 0.3, 0.1] are fractions", () => {
    // Naive left-to-right summation gives 1.0000000000000002 > 1, which torch on Python <= 3.11
    // rejects; Python 3.12's sum() is compensated and gives 1.0. floor(10·f) = [2, 4, 3, 1].
    expect(0.2 + 0.4 + 0.3 + 0.1).toBeGreaterThan(1);
    expect(splitLengths(10, [0.2, 0.4, 0.3, 0.1])).toEqual([2, 4, 3, 1]);
  });

  it("rejects negative or fractional sizes that are not fractions summing to 1", () => {
    expectDataError(
      () => splitLengths(10, [-1, 11]),
      "INVALID_ARGUMENT",
      "randomSplit: length at index 0 must be a non-negative integer, but got -1 (lengths [-1, 11], which do not sum to 1 so are not fractions). Hint: pass whole sizes such as [8, 2], or fractions that sum to 1.",
    );
    catchDataError(() => splitLengths(10, [2.5, 7.5]), "INVALID_ARGUMENT");
    catchDataError(() => splitLengths(10, [Number.NaN, 10]), "INVALID_ARGUMENT");
  });

  it("rejects an empty or non-numeric lengths list", () => {
    expectDataError(
      () => splitLengths(10, []),
      "INVALID_ARGUMENT",
      "randomSplit: lengths must be a non-empty array of finite numbers, but got []. Hint: pass sizes such as [8, 2] or fractions such as [0.8, 0.2].",
    );
    catchDataError(() => splitLengths(10, ["5", 5] as unknown as number[]), "INVALID_ARGUMENT");
  });

  it("always gives non-negative sizes that add up to n for fractions summing to 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }),
        (n, weights) => {
          const total = weights.reduce((a, b) => a + b, 0);
          const fractions = weights.map((w) => w / total);
          let sizes: number[];
          try {
            sizes = splitLengths(n, fractions);
          } catch (error) {
            // Rounding can push the float sum just above 1; torch then treats them as sizes too.
            expect((error as { code: string }).code).toBe("LENGTH_MISMATCH");
            return;
          }
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
          sizes.forEach((size, i) => {
            expect(size).toBeGreaterThanOrEqual(Math.floor(n * (fractions[i] as number)));
            expect(size).toBeLessThanOrEqual(Math.floor(n * (fractions[i] as number)) + 1);
          });
        },
      ),
    );
  });
});

describe("randomSplit", () => {
  const dataset = new TensorDataset(tensor(range(20)), tensor(range(20).map((i) => 10 * i)));

  it("splits into subsets that take consecutive runs of randperm(n)", () => {
    const subsets = randomSplit(dataset, [0.5, 0.3, 0.2], { generator: seeded(3) });
    expect(subsets.map((s) => s.length)).toEqual([10, 6, 4]);
    const perm = values(randperm(20, { generator: seeded(3) }));
    expect(subsets.flatMap((s) => values(s.indices))).toEqual(perm);
    const [first] = subsets;
    const [x, y] = first?.get(0) ?? [];
    expect(x?.item()).toBe(perm[0]);
    expect(y?.item()).toBe(10 * (perm[0] as number));
  });

  it("partitions the dataset for any sizes and seed, and repeats per seed (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(6), { minLength: 1, maxLength: 5 }), fc.nat(), (sizes, seed) => {
        const n = sizes.reduce((a, b) => a + b, 0);
        const data = new TensorDataset(tensor(range(n)).reshape([n, 1]));
        const split = randomSplit(data, sizes, { generator: seeded(seed) });
        const again = randomSplit(data, sizes, { generator: seeded(seed) });
        expect(split.map((s) => s.length)).toEqual(sizes);
        expect(sorted(split.flatMap((s) => values(s.indices)))).toEqual(range(n));
        expect(split.map((s) => values(s.indices))).toEqual(again.map((s) => values(s.indices)));
      }),
    );
  });

  it("differs between seeds", () => {
    const a = randomSplit(dataset, [15, 5], { generator: seeded(1) });
    const b = randomSplit(dataset, [15, 5], { generator: seeded(2) });
    expect(values(a[1]?.indices ?? tensor([]))).not.toEqual(values(b[1]?.indices ?? tensor([])));
  });

  it("checks lengths against the dataset's length", () => {
    expectDataError(
      () => randomSplit(dataset, [15, 6]),
      "LENGTH_MISMATCH",
      "randomSplit: Sum of input lengths does not equal the length of the input dataset, 21 vs 20 (lengths [15, 6]). Hint: make the sizes add up to 20, or pass fractions that sum to 1.",
    );
  });
});
