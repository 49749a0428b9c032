/**
 * Edge cases where @x/tensor follows PyTorch: bool and int32 conversion at creation, empty
 * layouts, expand's strides, in-place casting rules, and which op an error names.
 */
import {
  add,
  arange,
  full,
  Generator,
  rand,
  randint,
  stack,
  TensorError,
  tensor,
  zeros,
} from "@x/tensor";
import { describe, expect, it } from "vitest";

function errorOf(run: () => unknown): TensorError {
  try {
    run();
  } catch (error) {
    if (TensorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a TensorError");
}

describe("conversion at creation (as PyTorch converts Python scalars)", () => {
  it("stores bool as value != 0, NaN included", () => {
    expect(tensor([2, 0, Number.NaN], { dtype: "bool" }).toArray()).toEqual([true, false, true]);
    expect(
      tensor([2, 0], { dtype: "bool" })
        .eq(tensor([true, false]))
        .toArray(),
    ).toEqual([true, true]);
    expect(full([2], 2, { dtype: "bool" }).sum().item()).toBe(2);
    expect(
      tensor(new Uint8Array([0, 5]))
        .sum()
        .item(),
    ).toBe(1);
  });

  it("truncates to int32 and rejects values that do not fit", () => {
    expect(tensor([1.7, -1.7], { dtype: "int32" }).toArray()).toEqual([1, -1]);
    const error = errorOf(() => tensor([3e9], { dtype: "int32" }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toBe(
      "tensor: value 3000000000 at index 0 does not fit in int32 (range [-2147483648, 2147483647]). Hint: use dtype 'float32' or 'float64'.",
    );
  });

  it("infers float32 as soon as one leaf is a number", () => {
    expect(tensor([true, 1]).dtype).toBe("float32");
    expect(tensor([true, false]).dtype).toBe("bool");
  });

  it("rejects typed arrays it cannot read, and fill values that are not numbers", () => {
    expect(errorOf(() => tensor(new BigInt64Array(2) as never)).message).toBe(
      "tensor: cannot read a BigInt64Array. Hint: pass a Float32Array, Float64Array, Int32Array or Uint8Array (or a plain array).",
    );
    expect(errorOf(() => full([2], "a" as never)).message).toBe(
      'full: fill value must be a number or a boolean, but got "a".',
    );
    expect(errorOf(() => full([2], null as never)).code).toBe("INVALID_ARGUMENT");
  });

  it("refuses tensors too large to allocate", () => {
    expect(errorOf(() => zeros([2 ** 20, 2 ** 20])).message).toBe(
      "zeros: shape [1048576, 1048576] would hold 1099511627776 elements, more than the 2147483647 a tensor can hold. Hint: use smaller sizes.",
    );
  });
});

describe("empty and size-1 layouts", () => {
  it("treats empty tensors as contiguous and strides size-0 dims as size 1", () => {
    expect(zeros([3, 0]).stride()).toEqual([1, 1]);
    expect(zeros([2, 0]).t().isContiguous()).toBe(true);
    expect(zeros([2, 0]).t().add_(1).shape).toEqual([0, 2]);
  });

  it("chunks an empty dim into the requested number of empty pieces", () => {
    expect(
      zeros([0])
        .chunk(3)
        .map((piece) => piece.shape),
    ).toEqual([[0], [0], [0]]);
  });

  it("never produces a -0 size", () => {
    expect(Object.is(zeros([3, 3]).shape[0], 3)).toBe(true);
    expect(Object.is(arange(3, 3, -1).shape[0], 0)).toBe(true);
  });

  it("gives a new size-1 leading dim of expand the stride of a contiguous layout", () => {
    expect(zeros([3]).expand(1, 3).stride()).toEqual([3, 1]);
    expect(zeros([3]).expand(2, 3).stride()).toEqual([0, 1]);
  });
});

describe("in-place casting rules", () => {
  it("refuses to write a wider dtype category into the target", () => {
    const error = errorOf(() => tensor([true]).add_(tensor([1], { dtype: "int32" })));
    expect(error.code).toBe("INVALID_DTYPE");
    expect(error.message).toBe(
      "add_: result type int32 can't be cast to the desired output type bool. Hint: convert the tensor with .float() first, or use the out-of-place op.",
    );
    expect(tensor([1.5]).add_(tensor([1], { dtype: "float64" })).dtype).toBe("float32");
  });
});

describe("errors name the op the user called", () => {
  it("max() of an empty tensor says max", () => {
    expect(errorOf(() => zeros([0]).max()).op).toBe("max");
  });

  it("copy_ with a source that cannot broadcast says copy_", () => {
    const error = errorOf(() => zeros([3]).copy_(zeros([2])));
    expect(error.op).toBe("copy_");
    expect(error.code).toBe("SHAPE_MISMATCH");
  });

  it("stack with an invalid dim says stack", () => {
    expect(errorOf(() => stack([zeros([2])], 5)).op).toBe("stack");
  });

  it("randint with requiresGrad names randint", () => {
    expect(errorOf(() => randint(0, 3, [2], { requiresGrad: true })).message).toBe(
      "randint: only tensors of floating point dtype can require gradients, but dtype is int32. Hint: use dtype 'float32' or 'float64' with requiresGrad.",
    );
  });

  it("add of two numbers asks for a tensor instead of contradicting itself", () => {
    expect(errorOf(() => add(1, 2)).message).toBe(
      "add: at least one argument must be a Tensor, but got two numbers (a=1, b=2). Hint: use JS arithmetic for numbers, or wrap one with tensor(...).",
    );
  });

  it("a generator option that is not a Generator is named", () => {
    expect(errorOf(() => rand([2], { generator: {} as Generator })).message).toBe(
      "rand: generator must be a Generator, but got an object. Hint: pass new Generator().manualSeed(seed).",
    );
    expect(errorOf(() => new Generator(1).setState(null as never)).code).toBe("INVALID_ARGUMENT");
  });

  it("var rejects options it cannot read", () => {
    expect(errorOf(() => zeros([2]).var(0, "a" as never)).code).toBe("INVALID_ARGUMENT");
    expect(errorOf(() => zeros([2]).var(0, { correction: "a" as never })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(
      zeros([2])
        .var(0, null as never)
        .item(),
    ).toBe(0);
  });
});

describe("function forms of the reductions", () => {
  it("agree with the methods", async () => {
    const { amax, amin, argmax, argmin, max, min } = await import("@x/tensor");
    const x = tensor([
      [1, 5, 2],
      [7, 0, 7],
    ]);
    expect(amax(x, 1).toArray()).toEqual(x.amax(1).toArray());
    expect(amin(x).item()).toBe(0);
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(argmin(x).item()).toBe(4);
    expect(max(x).item()).toBe(7);
    expect(min(x, 0).indices.toArray()).toEqual([0, 1, 0]);
    expect(max(x, tensor(3)).toArray()).toEqual([
      [3, 5, 3],
      [7, 3, 7],
    ]);
    expect(errorOf(() => max(null as never)).message).toBe(
      "max: argument 'input' must be a Tensor, but got null. Hint: create one with tensor(...).",
    );
  });
});

describe("fill_ on bool tensors", () => {
  it("stores value != 0 as true", () => {
    const mask = zeros([3], { dtype: "bool" }).fill_(2);
    expect(mask.toArray()).toEqual([true, true, true]);
    expect(mask.sum().item()).toBe(3);
  });
});
