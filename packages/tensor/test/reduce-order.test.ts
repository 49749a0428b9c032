/**
 * float32 sums and means over any dims accumulate each output left to right, rounding after
 * every addition (the order that reproduces the book's numbers), however many outputs the
 * kernel sums side by side. The reference sums each output alone in a scalar loop.
 */
import { tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const RUNS = { numRuns: 120, seed: 2025 };

/** The float32 sum of `xs`, left to right, rounded after every addition. */
function sequentialSum(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum = Math.fround(sum + x);
  return sum;
}

describe("sum and mean: summation order", () => {
  it("sums every output of a [B, C, N] tensor over dims 0 and 2 in order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (B, C, N, seed) => {
          // values of very different magnitudes, so that any other order changes the bits
          let state = seed;
          const values = Array.from({ length: B * C * N }, () => {
            state = (Math.imul(state, 1103515245) + 12345) | 0;
            return Math.fround(((state >>> 8) / 2 ** 24 - 0.5) * 10 ** ((state >>> 4) % 7));
          });
          const x = tensor(values).reshape([B, C, N]);
          const expected = Array.from({ length: C }, (_, c) => {
            const row: number[] = [];
            for (let b = 0; b < B; b++)
              for (let n = 0; n < N; n++) row.push(values[(b * C + c) * N + n] as number);
            return sequentialSum(row);
          });
          expect(x.sum([0, 2]).toArray()).toEqual(expected);
          expect(x.mean([0, 2]).toArray()).toEqual(expected.map((s) => Math.fround(s / (B * N))));
        },
      ),
      RUNS,
    );
  });
});
