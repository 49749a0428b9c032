/**
 * Property-based tests (fast-check) of sorting and selection on random shapes, dims, orders and
 * values with many ties (NaN, ±0 and infinities among small integers), on contiguous and
 * transposed inputs: sort returns a permutation and its values in order, a sort (stable or
 * not) keeps ties in input order, topk is the first k of a sort, kthvalue and median pick sort's
 * values.
 */
import { type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const RUNS = { numRuns: 200, seed: 2718 };

const values = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -0, Infinity, -Infinity) },
);

/** A float32 tensor with 1 to 3 dims (one of them up to 40 long), maybe transposed, and a dim. */
const withDim = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 2 }),
    fc.integer({ min: 1, max: 40 }),
    fc.boolean(),
  )
  .chain(([others, long, transposed]) => {
    const shape = [...others, long];
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.tuple(
      fc.array(values, { minLength: n, maxLength: n }).map((data) => {
        const x = tensor(data).reshape(shape);
        return transposed && x.ndim > 1 ? x.transpose(0, -1) : x;
      }),
      fc.integer({ min: -shape.length, max: shape.length - 1 }),
    );
  });

/** Torch's order: NaN after every number, −0 equal to +0. */
const before = (a: number, b: number) => (Number.isNaN(b) ? !Number.isNaN(a) : a < b);

/** Each row along `dim` as arrays of JS numbers (dim moved last, then flattened). */
function rows(t: Tensor, dim: number): number[][] {
  const moved = t.movedim(dim, -1);
  const n = moved.shape.at(-1) ?? 1;
  const flat = moved.ndim === 0 ? [moved.item()] : (moved.reshape(-1).toArray() as number[]);
  return Array.from({ length: flat.length / Math.max(n, 1) }, (_, r) =>
    flat.slice(r * n, (r + 1) * n),
  );
}

/** Same shape and values (NaN equal to NaN; −0 equal to +0 only when `zerosEqual`). */
const sameValues = (a: Tensor, b: Tensor, zerosEqual = false) => {
  expect(a.shape).toEqual(b.shape);
  const plain = (t: Tensor) =>
    rows(t, -1).map((row) => row.map((v) => (zerosEqual && v === 0 ? 0 : v)));
  expect(plain(a)).toEqual(plain(b));
};

describe("sorting: properties", () => {
  it("sort returns a permutation and values == x.gather(indices), in order", () => {
    fc.assert(
      fc.property(withDim, fc.boolean(), fc.boolean(), ([x, dim], descending, stable) => {
        const { values: sorted, indices } = x.sort(dim, { descending, stable });
        for (const row of rows(indices, dim)) {
          expect([...row].sort((a, b) => a - b)).toEqual(row.map((_, i) => i));
        }
        sameValues(sorted, x.gather(dim, indices));
        for (const row of rows(sorted, dim)) {
          for (let i = 1; i < row.length; i++) {
            const [a, b] = [row[i - 1] as number, row[i] as number];
            expect(descending ? before(a, b) : before(b, a)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it("a sort, with or without stable: true, keeps equal elements in input order", () => {
    fc.assert(
      fc.property(withDim, fc.boolean(), fc.boolean(), ([x, dim], descending, stable) => {
        const { values: sorted, indices } = x.sort(
          dim,
          stable ? { descending, stable } : { descending },
        );
        const valueRows = rows(sorted, dim);
        rows(indices, dim).forEach((row, r) => {
          const v = valueRows[r] as number[];
          for (let i = 1; i < row.length; i++) {
            const tie = Object.is(v[i - 1], v[i]) || v[i - 1] === v[i];
            if (tie) expect(row[i] as number).toBeGreaterThan(row[i - 1] as number);
          }
        });
        expect(x.argsort(dim, { descending, stable: true }).toArray()).toEqual(indices.toArray());
      }),
      RUNS,
    );
  });

  it("topk is the first k of a sort (values), at valid indices", () => {
    fc.assert(
      fc.property(withDim, fc.boolean(), fc.nat(), ([x, dim], largest, seed) => {
        const n = x.ndim === 0 ? 1 : (x.shape.at(dim) as number);
        const k = seed % (n + 1);
        const { values: top, indices } = x.topk(k, { dim, largest });
        const sorted = x.sort(dim, { descending: largest }).values.narrow(dim, 0, k);
        sameValues(top, sorted, true); // (ties may pick another of equal zeros)
        sameValues(top, x.gather(dim, indices));
      }),
      RUNS,
    );
  });

  it("kthvalue and median pick the values of a sort", () => {
    fc.assert(
      fc.property(withDim, fc.nat(), ([x, dim], seed) => {
        const n = x.ndim === 0 ? 1 : (x.shape.at(dim) as number);
        if (n === 0 || x.numel() === 0) return;
        const k = 1 + (seed % n);
        const sorted = x.sort(dim).values;
        sameValues(x.kthvalue(k, dim).values, sorted.select(dim, k - 1), true);
        const median = x.median(dim);
        const hasNaN = sorted.select(dim, n - 1).isnan();
        const expected = sorted.select(dim, (n - 1) >> 1).maskedFill(hasNaN, Number.NaN);
        sameValues(median.values, expected, true);
        sameValues(median.values, x.gather(dim, median.indices.unsqueeze(dim)).squeeze(dim));
      }),
      RUNS,
    );
  });
});
