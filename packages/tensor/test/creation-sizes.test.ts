import { describe, expect, it } from "vitest";
import {
  empty,
  emptyLike,
  ones,
  rand,
  randLike,
  randn,
  randnLike,
  TensorError,
  tensor,
  zeros,
} from "../src/index";

describe("creators take the shape as separate sizes, as torch does", () => {
  it("ones(3, 1) equals ones([3, 1]); options come last", () => {
    expect(ones(3, 1).shape).toEqual([3, 1]);
    expect(ones(3, 1).toArray()).toEqual(ones([3, 1]).toArray());
    expect(zeros(2, 2, { dtype: "int32" }).dtype).toBe("int32");
    expect(zeros(2, undefined).shape).toEqual([2]);
    expect(rand(2, 3, { dtype: "float64" }).dtype).toBe("float64");
    expect(randn(4).shape).toEqual([4]);
    expect(empty(2, 3).shape).toEqual([2, 3]);
    expect(empty([]).shape).toEqual([]);
  });

  it("*Like creators copy shape and dtype, and let options override", () => {
    const x = tensor([[1, 2, 3]], { dtype: "float64" });
    expect(emptyLike(x).shape).toEqual([1, 3]);
    expect(emptyLike(x).dtype).toBe("float64");
    expect(randLike(x).dtype).toBe("float64");
    expect(randnLike(x, { dtype: "float32" }).dtype).toBe("float32");
    const u = randLike(x).toTypedArray();
    expect(Array.from(u).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it("rejects missing, non-numeric and invalid sizes with INVALID_SHAPE", () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => (ones as unknown as (...a: unknown[]) => unknown)(),
        /^ones: expected the sizes .* got \(\)/,
      ],
      [
        () => (zeros as unknown as (...a: unknown[]) => unknown)(2, "3"),
        /got \(2, "3"\).*zeros\(2, 3\)/,
      ],
      [() => ones(2, -1), /invalid size -1/],
      [() => randn(1.5), /invalid size 1.5/],
    ];
    for (const [fn, message] of cases) {
      try {
        fn();
        expect.unreachable();
      } catch (error) {
        expect(TensorError.isInstance(error) && error.code).toBe("INVALID_SHAPE");
        expect((error as Error).message).toMatch(message);
      }
    }
    expect(() => randLike(tensor([1, 2], { dtype: "int32" }))).toThrow(/randLike/);
  });
});
