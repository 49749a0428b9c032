/**
 * Property-based tests (fast-check) of the shape ops on random shapes, dims and offsets:
 * flip∘flip and roll by n then −n are the identity, the triangles and the diagonal add back up
 * to the matrix, each unfold window is a narrow, movedim undoes itself. Values are small
 * integers, so every comparison is exact.
 */
import { type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const RUNS = { numRuns: 200, seed: 1313 };

/** A random float32 tensor of small integers with 0 to `maxDims` dims of size 0 to 4. */
const tensors = (minDims: number, maxDims: number, minSize = 0) =>
  fc
    .array(fc.integer({ min: minSize, max: 4 }), { minLength: minDims, maxLength: maxDims })
    .chain((shape) =>
      fc
        .array(fc.integer({ min: -9, max: 9 }), {
          minLength: shape.reduce((a, b) => a * b, 1),
          maxLength: shape.reduce((a, b) => a * b, 1),
        })
        .map((values) => tensor(values).reshape(shape)),
    );

/** A tensor with at least one dim, and one of its dims (possibly negative). */
const withDim = tensors(1, 4).chain((x) =>
  fc.tuple(fc.constant(x), fc.integer({ min: -x.ndim, max: x.ndim - 1 })),
);

const same = (a: Tensor, b: Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(a.toArray()).toEqual(b.toArray());
};

describe("shape ops: properties", () => {
  it("flip∘flip is the identity, on any subset of dims", () => {
    fc.assert(
      fc.property(
        tensors(0, 4).chain((x) =>
          fc.tuple(
            fc.constant(x),
            fc.subarray(Array.from({ length: Math.max(x.ndim, 1) }, (_, d) => d)),
          ),
        ),
        ([x, dims]) => same(x.flip(dims).flip(dims), x),
      ),
      RUNS,
    );
  });

  it("roll by n then by −n is the identity, along a dim and flattened", () => {
    fc.assert(
      fc.property(withDim, fc.integer({ min: -20, max: 20 }), ([x, dim], n) => {
        same(x.roll(n, dim).roll(-n, dim), x);
        same(x.roll(n).roll(-n), x);
      }),
      RUNS,
    );
  });

  it("roll moves element i to i + n (mod size)", () => {
    fc.assert(
      fc.property(tensors(1, 1, 1), fc.integer({ min: -9, max: 9 }), (x, n) => {
        const size = x.shape[0] as number;
        const values = x.toArray() as number[];
        const rolled = x.roll(n).toArray() as number[];
        expect(values.map((_, i) => rolled[(((i + n) % size) + size) % size])).toEqual(values);
      }),
      RUNS,
    );
  });

  it("tril + triu − diag = x for a square matrix and any diagonal inside it", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.integer({ min: -(n - 1), max: n - 1 }),
              fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n * n, maxLength: n * n }),
            ),
          ),
        ([n, k, values]) => {
          const x = tensor(values).reshape(n, n);
          same(x.tril(k).add(x.triu(k)).sub(x.diagonal(k).diag(k)), x);
        },
      ),
      RUNS,
    );
  });

  it("tril(k) + triu(k + 1) = x for batches of any shape", () => {
    fc.assert(
      fc.property(tensors(2, 4), fc.integer({ min: -5, max: 5 }), (x, k) => {
        same(x.tril(k).add(x.triu(k + 1)), x);
      }),
      RUNS,
    );
  });

  it("each unfold window is the narrow it covers", () => {
    fc.assert(
      fc.property(
        withDim.chain(([x, dim]) => {
          const length = x.shape[dim < 0 ? dim + x.ndim : dim] as number;
          return fc.tuple(
            fc.constant(x),
            fc.constant(dim),
            fc.integer({ min: 0, max: length }),
            fc.integer({ min: 1, max: 3 }),
          );
        }),
        ([x, dim, size, step]) => {
          const windows = x.unfold(dim, size, step);
          const d = dim < 0 ? dim + x.ndim : dim;
          for (let i = 0; i < (windows.shape[d] as number); i++)
            same(windows.select(d, i), x.narrow(d, i * step, size).movedim(d, -1));
        },
      ),
      RUNS,
    );
  });

  it("movedim(source, destination) is undone by movedim(destination, source)", () => {
    fc.assert(
      fc.property(
        tensors(1, 4).chain((x) => {
          const dims = Array.from({ length: x.ndim }, (_, d) => d);
          return fc
            .tuple(fc.constant(x), fc.shuffledSubarray(dims))
            .chain(([t, source]) =>
              fc.tuple(
                fc.constant(t),
                fc.constant(source),
                fc.shuffledSubarray(dims, { minLength: source.length, maxLength: source.length }),
              ),
            );
        }),
        ([x, source, destination]) =>
          same(x.movedim(source, destination).movedim(destination, source), x),
      ),
      RUNS,
    );
  });
});
