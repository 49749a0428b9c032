/**
 * Property-based tests (fast-check) of the shape algebra: broadcasting against a reference,
 * random chains of views against a reference model on flat arrays, round trips (reshape,
 * transpose, permute, split/cat, stack/unbind), and views vs copies. Element values are small
 * integers, so every float32 result is exact and values can be compared with `toEqual`.
 */
import { arange, broadcastShapes, cat, stack, type Tensor, TensorError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const RUNS = { numRuns: 200, seed: 1234 };

// ── a reference model: flat row-major data plus a shape ──────────────────────

interface Ref {
  shape: number[];
  data: number[];
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** Builds `out` of `shape` where each element reads `from` at `source(outIndex)`. */
function gatherRef(from: Ref, shape: number[], source: (index: number[]) => number[]): Ref {
  const n = numel(shape);
  const inStrides = stridesOf(from.shape);
  const data = new Array<number>(n);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    const at = source(index);
    data[i] = from.data[at.reduce((acc, c, d) => acc + c * inStrides[d]!, 0)]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return { shape, data };
}

function toRef(t: Tensor): Ref {
  return { shape: [...t.shape], data: Array.from(t.toTypedArray(), Number) };
}

/** `0, 1, 2, …` (float32) in `shape`, and its reference. */
function iota(shape: readonly number[]): Tensor {
  return arange(numel(shape), undefined, 1, { dtype: "float32" }).reshape([...shape]);
}

// ── arbitraries ──────────────────────────────────────────────────────────────

const size = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const shapeArb = (maxRank = 4) => fc.array(size, { maxLength: maxRank });
const positiveShape = (maxRank = 4) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: maxRank });

/** A shape and two shapes that broadcast to it (leading dims dropped, some sizes set to 1). */
const broadcastablePair = shapeArb().chain((target) => {
  const derive = fc
    .tuple(
      fc.integer({ min: 0, max: target.length }),
      fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }),
    )
    .map(([drop, ones]) => target.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s)));
  return fc.tuple(fc.constant(target), derive, derive);
});

/** NumPy's rule, written out: align right, sizes must be equal or 1. */
function referenceBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function tryBroadcast(a: readonly number[], b: readonly number[]): number[] | "error" {
  try {
    return [...broadcastShapes(a, b, "test")];
  } catch (error) {
    expect(TensorError.isInstance(error) && error.code === "SHAPE_MISMATCH").toBe(true);
    return "error";
  }
}

describe("broadcasting", () => {
  it("broadcastShapes agrees with the reference rule (broadcastable pairs)", () => {
    fc.assert(
      fc.property(broadcastablePair, ([target, a, b]) => {
        const expected = referenceBroadcast(a, b);
        expect(tryBroadcast(a, b)).toEqual(expected);
        // the pair came from `target`, so it broadcasts to a shape that `target` expands from
        expect(referenceBroadcast(expected!, target)).toEqual(target);
      }),
      RUNS,
    );
  });

  it("broadcastShapes agrees with the reference rule and is commutative (any pairs)", () => {
    fc.assert(
      fc.property(shapeArb(), shapeArb(), (a, b) => {
        const expected = referenceBroadcast(a, b) ?? "error";
        expect(tryBroadcast(a, b)).toEqual(expected);
        expect(tryBroadcast(b, a)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("a broadcast add equals adding the explicitly expanded operands", () => {
    fc.assert(
      fc.property(broadcastablePair, ([, shapeA, shapeB]) => {
        const a = iota(shapeA);
        const b = iota(shapeB).mul(10);
        const out = referenceBroadcast(shapeA, shapeB)!;
        const sum = a.add(b);
        expect(sum.shape).toEqual(out);
        const expandedA = a.expand(out).contiguous();
        const expandedB = b.expand(out).contiguous();
        expect(sum.toArray()).toEqual(expandedA.add(expandedB).toArray());
        // and against the reference model, independent of expand
        const ra = expandRef(toRef(a), out);
        const rb = expandRef(toRef(b), out);
        expect(toRef(sum).data).toEqual(ra.data.map((v, i) => v + rb.data[i]!));
        expect(b.add(a).toArray()).toEqual(sum.toArray());
      }),
      RUNS,
    );
  });

  it("comparisons and where broadcast like arithmetic", () => {
    fc.assert(
      fc.property(broadcastablePair, ([, shapeA, shapeB]) => {
        const a = iota(shapeA);
        const b = iota(shapeB).add(0.5);
        const out = referenceBroadcast(shapeA, shapeB)!;
        expect(a.lt(b).shape).toEqual(out);
        expect(a.maximum(b).toArray()).toEqual(
          a.expand(out).contiguous().maximum(b.expand(out).contiguous()).toArray(),
        );
      }),
      RUNS,
    );
  });
});

function expandRef(x: Ref, shape: number[]): Ref {
  const lead = shape.length - x.shape.length;
  return gatherRef(x, shape, (index) => x.shape.map((s, d) => (s === 1 ? 0 : index[d + lead]!)));
}

// ── random view chains against the reference model ───────────────────────────

type ViewStep = [op: number, r1: number, r2: number, r3: number];

/**
 * Applies one step, chosen and parameterised by the random numbers, to both the tensor and its
 * reference; steps that do not fit the current shape fall through to the next kind.
 */
function applyStep(
  t: Tensor,
  ref: Ref,
  [op, r1, r2, r3]: ViewStep,
  allowExpand: boolean,
): [Tensor, Ref, mayCopy?: boolean] {
  const nd = ref.shape.length;
  const shape = ref.shape;
  for (let k = 0; k < 10; k++) {
    switch ((op + k) % 10) {
      case 0:
        if (nd < 1) break;
        {
          const d0 = (r1 % (2 * nd)) - nd;
          const d1 = (r2 % (2 * nd)) - nd;
          const a = (d0 + nd) % nd;
          const b = (d1 + nd) % nd;
          const out = [...shape];
          [out[a], out[b]] = [shape[b]!, shape[a]!];
          return [
            t.transpose(d0, d1),
            gatherRef(ref, out, (i) => {
              const j = [...i];
              [j[a], j[b]] = [i[b]!, i[a]!];
              return j;
            }),
          ];
        }
      case 1: {
        const order = shuffled(nd, r1);
        const inverse = order.map((_, i) => order.indexOf(i));
        return [
          t.permute(order),
          gatherRef(
            ref,
            order.map((d) => shape[d]!),
            (i) => inverse.map((p) => i[p]!),
          ),
        ];
      }
      case 2:
        if (nd < 1) break;
        {
          const d = r1 % nd;
          const start = r2 % (shape[d]! + 1);
          const length = r3 % (shape[d]! - start + 1);
          const out = [...shape];
          out[d] = length;
          return [
            t.narrow(d, start, length),
            gatherRef(ref, out, (i) => i.map((c, j) => (j === d ? c + start : c))),
          ];
        }
      case 3:
        if (nd < 1 || shape[r1 % nd] === 0) break;
        {
          const d = r1 % nd;
          const index = r2 % shape[d]!;
          return [
            t.select(d - (r3 % 2) * nd, index),
            gatherRef(
              ref,
              shape.filter((_, j) => j !== d),
              (i) => [...i.slice(0, d), index, ...i.slice(d)],
            ),
          ];
        }
      case 4: {
        const d = r1 % (nd + 1);
        return [
          t.unsqueeze(d),
          gatherRef(ref, [...shape.slice(0, d), 1, ...shape.slice(d)], (i) => [
            ...i.slice(0, d),
            ...i.slice(d + 1),
          ]),
        ];
      }
      case 5:
        if (nd < 1 || shape[r1 % nd] !== 1) break;
        {
          const d = r1 % nd;
          return [
            t.squeeze(d),
            gatherRef(
              ref,
              shape.filter((_, j) => j !== d),
              (i) => [...i.slice(0, d), 0, ...i.slice(d)],
            ),
          ];
        }
      case 6: {
        if (!allowExpand || numel(shape) > 200) break;
        const lead = r1 % 2 === 0 ? [] : [1 + (r2 % 3)];
        const out = [
          ...lead,
          ...shape.map((s, j) => (s === 1 && (r3 >> j) % 2 ? 1 + (r2 % 3) : s)),
        ];
        return [t.expand(out), expandRef(ref, out)];
      }
      case 7:
        if (nd < 1) break;
        {
          const start = r1 % nd;
          const end = start + (r2 % (nd - start));
          const out = [
            ...shape.slice(0, start),
            numel(shape.slice(start, end + 1)),
            ...shape.slice(end + 1),
          ];
          return [t.flatten(start, end), { shape: out, data: ref.data }, true];
        }
      case 8: {
        const out = refactor(shape, r1, r2);
        const spelled =
          out.length > 0 && r3 % 2 === 0
            ? out.map((s, j) => (j === r3 % out.length && numel(out) > 0 ? -1 : s))
            : out;
        const reshaped = r3 % 3 === 0 && t.isContiguous() ? t.view(spelled) : t.reshape(spelled);
        return [reshaped, { shape: out, data: ref.data }, true];
      }
      case 9:
        if (nd > 2) break;
        return [
          t.t(),
          nd < 2 ? ref : gatherRef(ref, [shape[1]!, shape[0]!], (i) => [i[1]!, i[0]!]),
        ];
    }
  }
  return [t, ref, false];
}

/** A deterministic shuffle of `0 … n-1` from `seed`. */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Another shape with the same number of elements: the prime factors regrouped. */
function refactor(shape: readonly number[], r1: number, r2: number): number[] {
  const n = numel(shape);
  if (n === 0) return r1 % 2 === 0 ? [0] : [2, 0, r2 % 3];
  const factors: number[] = [];
  let rest = n;
  for (let p = 2; rest > 1; p++) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  const order = shuffled(factors.length, r1);
  const groups = 1 + (r2 % 4);
  const out = new Array<number>(groups).fill(1);
  order.forEach((f, i) => {
    out[(i * 7 + r2) % groups]! *= factors[f]!;
  });
  return out;
}

const steps = fc.array(
  fc.tuple(fc.nat(9), fc.nat(1000), fc.nat(1000), fc.nat(1000)) as fc.Arbitrary<ViewStep>,
  { maxLength: 6 },
);

/** Runs a chain from `iota(base)`; `mayCopy` tells whether a reshape/flatten was involved. */
function runChain(base: readonly number[], chain: ViewStep[], allowExpand = true) {
  const start = iota(base);
  let t = start;
  let ref = toRef(start);
  let mayCopy = false;
  for (const step of chain) {
    let copies: boolean | undefined;
    [t, ref, copies] = applyStep(t, ref, step, allowExpand);
    mayCopy ||= copies === true;
  }
  return { base: start, t, ref, mayCopy };
}

describe("random chains of views", () => {
  it("give the reference model's shape and values, and share the base's storage", () => {
    fc.assert(
      fc.property(shapeArb(), steps, (base, chain) => {
        const { base: start, t, ref, mayCopy } = runChain(base, chain);
        expect(t.shape).toEqual(ref.shape);
        expect(toRef(t).data).toEqual(ref.data);
        expect(t.numel()).toBe(ref.data.length);
        // contiguous means row-major strides (size-1 dims may have any stride)
        if (t.isContiguous() && t.numel() > 0)
          expect(t.stride()).toEqual(
            stridesOf(t.shape).map((s, d) => (t.shape[d] === 1 ? t.stride(d) : s)),
          );
        if (!mayCopy) expect(t.storage).toBe(start.storage);
      }),
      RUNS,
    );
  });

  it("give the same results as their contiguous copies (views vs copies)", () => {
    fc.assert(
      fc.property(shapeArb(), steps, (base, chain) => {
        const { t } = runChain(base, chain);
        const c = t.clone();
        expect(c.isContiguous()).toBe(true);
        expect(t.toArray()).toEqual(c.toArray());
        expect(t.contiguous().toArray()).toEqual(c.toArray());
        expect(t.add(1).toArray()).toEqual(c.add(1).toArray());
        expect(t.mul(t).toArray()).toEqual(c.mul(c).toArray());
        expect(t.neg().toArray()).toEqual(c.neg().toArray());
        expect(t.sum().item()).toEqual(c.sum().item());
        expect(t.reshape([-1]).toArray()).toEqual(c.reshape([-1]).toArray());
        expect(t.to("float64").toArray()).toEqual(c.to("float64").toArray());
        if (t.ndim > 0) {
          expect(t.sum(-1).toArray()).toEqual(c.sum(-1).toArray());
          expect(t.flatten().toArray()).toEqual(c.flatten().toArray());
          if (t.ndim >= 2) {
            expect(t.transpose(-2, -1).matmul(t).toArray()).toEqual(
              c.transpose(-2, -1).contiguous().matmul(c).toArray(),
            );
          }
          if (t.shape[0]! > 0)
            expect(t.indexSelect(0, [0, t.shape[0]! - 1]).toArray()).toEqual(
              c.indexSelect(0, [0, c.shape[0]! - 1]).toArray(),
            );
        }
      }),
      RUNS,
    );
  });

  it("writes through a (non-expanded) view reach exactly the viewed elements of the base", () => {
    fc.assert(
      fc.property(shapeArb(), steps, (base, chain) => {
        const { base: start, t } = runChain(base, chain, false);
        // (empty tensors are left out: zeros([2, 0]).t().add_(1) is rejected, reported separately)
        if (t.storage !== start.storage || t.numel() === 0) return;
        const before = toRef(start).data;
        t.add_(1000);
        const after = toRef(start).data;
        const changed = after.filter((v, i) => v !== before[i]).length;
        expect(changed).toBe(t.numel());
        expect(toRef(t).data.every((v) => v >= 1000)).toBe(true);
      }),
      RUNS,
    );
  });
});

// ── round trips ──────────────────────────────────────────────────────────────

describe("round trips", () => {
  it("reshape to any regrouping and back restores shape and values", () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(1000), fc.nat(1000), (shape, r1, r2) => {
        const x = iota(shape);
        const other = refactor(shape, r1, r2);
        const y = x.reshape(other);
        expect(y.shape).toEqual(other);
        expect(y.storage).toBe(x.storage);
        expect(y.reshape([...shape]).toArray()).toEqual(x.toArray());
        expect(Array.from(y.toTypedArray())).toEqual(Array.from(x.toTypedArray()));
      }),
      RUNS,
    );
  });

  it("flatten and reshape([-1]) keep row-major order, also on transposed tensors", () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(1000), (shape, r) => {
        const x = iota(shape);
        const flat = (a: unknown): unknown[] => (Array.isArray(a) ? a.flatMap(flat) : [a]);
        expect(x.flatten().toArray()).toEqual(flat(x.toArray()));
        const p = x.permute(shuffled(shape.length, r));
        expect(p.flatten().toArray()).toEqual(flat(p.toArray()));
        expect(p.reshape([-1]).toArray()).toEqual(flat(p.toArray()));
      }),
      RUNS,
    );
  });

  it("transpose twice is the identity (same storage, strides and values)", () => {
    fc.assert(
      fc.property(
        shapeArb().filter((s) => s.length > 0),
        fc.nat(),
        fc.nat(),
        (shape, i, j) => {
          const x = iota(shape);
          const d0 = i % shape.length;
          const d1 = -1 - (j % shape.length);
          const y = x.transpose(d0, d1).transpose(d0, d1);
          expect(y.shape).toEqual(x.shape);
          expect(y.stride()).toEqual(x.stride());
          expect(y.storage).toBe(x.storage);
          expect(y.toArray()).toEqual(x.toArray());
          expect(x.transpose(d0, d1).toArray()).toEqual(x.transpose(d1, d0).toArray());
        },
      ),
      RUNS,
    );
  });

  it("permute then the inverse permutation is the identity", () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(), (shape, seed) => {
        const x = iota(shape);
        const order = shuffled(shape.length, seed);
        const inverse = order.map((_, i) => order.indexOf(i));
        const p = x.permute(order);
        expect(p.shape).toEqual(order.map((d) => shape[d]));
        const back = p.permute(inverse);
        expect(back.shape).toEqual(x.shape);
        expect(back.stride()).toEqual(x.stride());
        expect(back.toArray()).toEqual(x.toArray());
        // separate numbers and an array mean the same thing
        expect(x.permute(...order).stride()).toEqual(p.stride());
      }),
      RUNS,
    );
  });

  it("unsqueeze then squeeze of that dim is the identity", () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(), (shape, r) => {
        const x = iota(shape);
        const d = r % (shape.length + 1);
        const y = x.unsqueeze(d).squeeze(d);
        expect(y.shape).toEqual(x.shape);
        expect(y.toArray()).toEqual(x.toArray());
      }),
      RUNS,
    );
  });

  it("split (by size or by sizes) then cat is the identity", () => {
    fc.assert(
      fc.property(
        shapeArb().filter((s) => s.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (shape, r, splitSize, cuts) => {
          const x = iota(shape);
          const d = r % shape.length;
          const pieces = x.split(splitSize, d);
          const n = shape[d]!;
          expect(pieces.map((p) => p.shape[d])).toEqual(
            Array.from({ length: Math.max(1, Math.ceil(n / splitSize)) }, (_, i) =>
              Math.min(splitSize, n - i * splitSize),
            ),
          );
          expect(cat(pieces, d).toArray()).toEqual(x.toArray());
          // an explicit list of sizes summing to n (zeros allowed)
          const marks = cuts.map((c) => c % (n + 1)).sort((a, b) => a - b);
          const sizes = [...marks, n].map((m, i) => m - (i === 0 ? 0 : marks[i - 1]!));
          const parts = x.split(sizes, d - shape.length);
          expect(parts.map((p) => p.shape[d])).toEqual(sizes);
          for (const p of parts) expect(p.storage).toBe(x.storage);
          expect(cat(parts, d).toArray()).toEqual(x.toArray());
        },
      ),
      RUNS,
    );
  });

  it("chunk(n) gives pieces of ceil(size / n), at most n of them, covering the dim", () => {
    fc.assert(
      fc.property(
        positiveShape().filter((s) => s.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 7 }),
        (shape, r, chunks) => {
          const x = iota(shape);
          const d = r % shape.length;
          const n = shape[d]!;
          const pieces = x.chunk(chunks, d);
          const step = Math.ceil(n / chunks);
          const count = Math.ceil(n / step);
          expect(pieces.length).toBe(count);
          expect(pieces.length).toBeLessThanOrEqual(chunks);
          expect(pieces.map((p) => p.shape[d])).toEqual(
            Array.from({ length: count }, (_, i) => Math.min(step, n - i * step)),
          );
          expect(cat(pieces, d).toArray()).toEqual(x.toArray());
        },
      ),
      RUNS,
    );
  });

  it("stack then unbind gives the inputs back", () => {
    fc.assert(
      fc.property(shapeArb(3), fc.integer({ min: 1, max: 4 }), fc.nat(), (shape, count, r) => {
        const inputs = Array.from({ length: count }, (_, i) => iota(shape).add(100 * i));
        const d = r % (shape.length + 1);
        const stacked = stack(inputs, d);
        expect(stacked.shape).toEqual([...shape.slice(0, d), count, ...shape.slice(d)]);
        expect(stacked.unbind(d).map((t) => t.toArray())).toEqual(inputs.map((t) => t.toArray()));
      }),
      RUNS,
    );
  });

  it("select equals narrow by one then squeeze", () => {
    fc.assert(
      fc.property(
        positiveShape().filter((s) => s.length > 0),
        fc.nat(),
        fc.nat(),
        (shape, r, i) => {
          const x = iota(shape);
          const d = r % shape.length;
          const index = i % shape[d]!;
          expect(x.select(d, index).toArray()).toEqual(x.narrow(d, index, 1).squeeze(d).toArray());
          expect(x.select(d, index).toArray()).toEqual(
            x.indexSelect(d, [index]).squeeze(d).toArray(),
          );
        },
      ),
      RUNS,
    );
  });
});

// ── reductions ───────────────────────────────────────────────────────────────

describe("reductions", () => {
  it("sum over all dims equals the sum of toArray, and reducing dim by dim agrees", () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(), (shape, seed) => {
        const x = iota(shape).sub(7);
        const flat = Array.from(x.toTypedArray());
        const total = flat.reduce((a, b) => a + b, 0);
        expect(x.sum().item()).toBe(total);
        expect(x.sum(shape.map((_, d) => d)).item()).toBe(total);
        // sum over a random subset of dims, with keepdim, against summing one dim at a time
        const dims = shuffled(shape.length, seed).slice(0, seed % (shape.length + 1));
        let oneByOne = x;
        for (const d of [...dims].sort((a, b) => b - a)) oneByOne = oneByOne.sum(d, true);
        expect(x.sum(dims, true).toArray()).toEqual(oneByOne.toArray());
        expect(x.sum(dims, true).shape).toEqual(shape.map((s, d) => (dims.includes(d) ? 1 : s)));
        expect(x.sum(dims).shape).toEqual(shape.filter((_, d) => !dims.includes(d)));
      }),
      RUNS,
    );
  });

  it("sum of an expanded tensor equals the sum times the expansion factor", () => {
    fc.assert(
      fc.property(shapeArb(3), fc.integer({ min: 0, max: 4 }), (shape, k) => {
        const x = iota(shape);
        expect(
          x
            .expand(k, ...shape)
            .sum()
            .item(),
        ).toBe(k * (x.sum().item() as number));
      }),
      RUNS,
    );
  });
});
