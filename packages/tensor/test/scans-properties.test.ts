/**
 * Property-based tests (fast-check) of the scans and einsum on random shapes and dims: cumsum
 * then diff gives the input back (the first element, then the differences); cummax never
 * decreases and its indices point at its values; einsum agrees with matmul, sum, trace and
 * diagonal. Values are small integers, so every comparison is exact (up to the sign of zero).
 */
import { cat, einsum, type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const RUNS = { numRuns: 150, seed: 1413 };

const values = (n: number) =>
  fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n, maxLength: n });

/** A random float32 tensor of small integers of the given shape. */
const ofShape = (shape: number[]) =>
  values(shape.reduce((a, b) => a * b, 1)).map((v) => tensor(v).reshape(shape));

const shapes = (minDims: number, maxDims: number, minSize = 0) =>
  fc.array(fc.integer({ min: minSize, max: 4 }), { minLength: minDims, maxLength: maxDims });

/** Same shape and values; −0 equals 0 (a product over a size-1 dim is a mul, with no + 0). */
const same = (a: Tensor, b: Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(a.add(0).toArray()).toEqual(b.add(0).toArray());
};

describe("scans: properties", () => {
  it("cumsum then diff returns the input", () => {
    const withDim = shapes(1, 4, 1)
      .chain(ofShape)
      .chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: -x.ndim, max: x.ndim - 1 })));
    fc.assert(
      fc.property(withDim, ([x, dim]) => {
        const sums = x.cumsum(dim);
        same(cat([sums.narrow(dim, 0, 1), sums.diff(1, dim)], dim), x);
      }),
      RUNS,
    );
  });

  it("cummax never decreases and its indices select its values", () => {
    fc.assert(
      fc.property(shapes(1, 3, 1).chain(ofShape), (x) => {
        const { values: running, indices } = x.cummax(-1);
        expect(running.diff().lt(0).any().item()).toBe(false);
        same(x.gather(-1, indices), running);
      }),
      RUNS,
    );
  });
});

describe("einsum: properties", () => {
  const size = fc.integer({ min: 0, max: 4 });

  it("'ij,jk->ik' and '...ij,...jk->...ik' are matmul", () => {
    const operands = fc
      .tuple(shapes(0, 2), size, size, size)
      .chain(([batch, m, k, n]) => fc.tuple(ofShape([...batch, m, k]), ofShape([...batch, k, n])));
    fc.assert(
      fc.property(operands, ([a, b]) => {
        same(einsum("...ij,...jk->...ik", a, b), a.matmul(b));
        if (a.ndim === 2) same(einsum("ij,jk->ik", a, b), a.matmul(b));
      }),
      RUNS,
    );
  });

  it("summing letters is sum, 'ii' is the trace and 'ii->i' the diagonal", () => {
    fc.assert(
      fc.property(
        shapes(3, 3).chain(ofShape),
        size.chain((n) => ofShape([n, n])),
        (x, square) => {
          same(einsum("ijk->", x), x.sum());
          same(einsum("ijk->j", x), x.sum([0, 2]));
          same(einsum("ijk->ki", x), x.sum(1).t());
          same(einsum("ii", square), square.diagonal().sum());
          same(einsum("ii->i", square), square.diagonal());
        },
      ),
      RUNS,
    );
  });
});
