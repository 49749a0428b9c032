/**
 * `narrow` and `select` take negative positions like PyTorch, and `unbind`, `split` and
 * `chunk` return a `TensorList`, which destructures without a cast under the repo's strict
 * settings (`noUncheckedIndexedAccess`); the type checks here run in `pnpm typecheck`.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { arange, type Tensor, TensorError, type TensorList, tensor } from "../src/index";

const x = () => arange(12).reshape(3, 4);

function errorOf(run: () => unknown): TensorError {
  try {
    run();
  } catch (error) {
    if (error instanceof TensorError) return error;
    throw error;
  }
  throw new Error("expected a TensorError");
}

describe("negative positions (values from torch 1.13)", () => {
  it("narrow counts a negative start from the end", () => {
    expect(x().narrow(1, -3, 2).toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(x().narrow(0, -1, 1).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(x().narrow(-1, -4, 0).shape).toEqual([3, 0]);
  });

  it("select counts a negative index from the end", () => {
    expect(x().select(1, -1).toArray()).toEqual([3, 7, 11]);
    expect(x().select(-2, -3).toArray()).toEqual([0, 1, 2, 3]);
  });

  it("out-of-range positions name the range", () => {
    const start = errorOf(() => x().narrow(1, -5, 1));
    expect(start.code).toBe("INDEX_OUT_OF_RANGE");
    expect(start.message).toBe(
      "narrow: start out of range (expected to be in range of [-4, 4], but got -5) at dim 1 (shape [3, 4]). Hint: a negative start counts from the end, as in PyTorch.",
    );
    expect(errorOf(() => x().narrow(1, -2, 3)).message).toBe(
      "narrow: start (2) + length (3) exceeds dimension size (4) at dim 1 (shape [3, 4]). Hint: keep start + length <= 4.",
    );
    expect(errorOf(() => x().select(0, -4)).message).toBe(
      "select: index -4 is out of bounds for dimension 0 with size 3 (shape [3, 4]). Hint: indices run from -3 to 2.",
    );
  });
});

describe("TensorList", () => {
  it("destructures the book's parameters without a cast", () => {
    const params = tensor([1.0, 0.0]);
    const [w, b] = params.unbind();
    expectTypeOf(w).toEqualTypeOf<Tensor>();
    expectTypeOf(params.unbind()).toEqualTypeOf<TensorList>();
    expectTypeOf(params.split(1)).toEqualTypeOf<TensorList>();
    expectTypeOf(params.chunk(2)).toEqualTypeOf<TensorList>();
    expect(tensor([2, 3]).mul(w).add(b).toArray()).toEqual([2, 3]);
  });

  it("is a plain array of the pieces", () => {
    const pieces = x().split([1, 2]);
    expect(Array.isArray(pieces)).toBe(true);
    expect(pieces.map((p) => p.shape)).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(x().chunk(3, 1).length).toBe(2);
  });
});
