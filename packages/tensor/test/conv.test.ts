/**
 * Convolutions against PyTorch 1.13 (fixtures/conv.json, written by fixtures/conv.py): values
 * of conv1d, conv2d and their transposes with stride, padding ('same' included), dilation,
 * groups, unbatched, empty and strided inputs; then the typed errors for bad arguments.
 */
import {
  type ConvOptions,
  conv1d,
  conv2d,
  convTranspose2d,
  randn,
  type Tensor,
  TensorError,
  type TensorErrorCode,
  tensor,
  zeros,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "./fixtures/codec.ts";
import { type ConvCase, convCases, convTolerance, runConvCase } from "./fixtures/conv-cases.ts";
import { thrownBy } from "./garbage";

describe("convolutions: values against PyTorch", () => {
  it.each(convCases.map((c): [string, ConvCase] => [c.name, c]))("%s", (_, c) => {
    const { out } = runConvCase(c);
    expect(tensorMismatches(out, c.out, convTolerance(c.out))).toEqual([]);
  });

  it("covers every op, groups, 'same', unbatched, float64, empty and strided inputs", () => {
    const ops = new Set(convCases.map((c) => c.op));
    expect([...ops].sort()).toEqual(["conv1d", "conv2d", "convTranspose1d", "convTranspose2d"]);
    expect(convCases.some((c) => (c.options.groups ?? 1) > 1 && c.op === "convTranspose2d")).toBe(
      true,
    );
    expect(convCases.some((c) => c.options.padding === "same")).toBe(true);
    expect(convCases.some((c) => c.input.shape.length === 3 && c.op === "conv2d")).toBe(true);
    expect(convCases.some((c) => c.input.dtype === "float64")).toBe(true);
    expect(convCases.some((c) => c.input.shape.includes(0))).toBe(true);
    expect(convCases.some((c) => c.pre === "t")).toBe(true);
  });

  it("is a cross-correlation: a kernel with one tap picks the input shifted", () => {
    const x = tensor([[[1, 2, 3, 4]]]);
    const w = tensor([[[0, 1]]]);
    expect(conv1d(x, w).toArray()).toEqual([[[2, 3, 4]]]);
  });
});

function errorOf(fn: () => unknown): { code: TensorErrorCode; message: string } {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(TensorError);
  return error as TensorError;
}

describe("convolutions: bad arguments", () => {
  const x = randn([2, 3, 8, 8]);
  const w = randn([4, 3, 3, 3]);

  it("names a channel mismatch with both shapes", () => {
    const error = errorOf(() => conv2d(randn([2, 1, 8, 8]), w));
    expect(error.code).toBe("SHAPE_MISMATCH");
    expect(error.message).toBe(
      "conv2d: given groups=1, weight of size [4, 3, 3, 3], expected input[2, 1, 8, 8] to have 3 channels, but got 1 channels instead. Hint: the input's channels are dim 1.",
    );
  });

  it("rejects groups that do not divide the channels", () => {
    const error = errorOf(() =>
      conv2d(randn([1, 4, 5, 5]), randn([3, 2, 3, 3]), null, { groups: 2 }),
    );
    expect(error.code).toBe("SHAPE_MISMATCH");
    expect(error.message).toContain(
      "given groups=2, expected weight's dim 0 to be divisible by 2, but got 3",
    );
    expect(
      errorOf(() => convTranspose2d(randn([1, 3, 4, 4]), randn([3, 2, 2, 2]), null, { groups: 2 }))
        .code,
    ).toBe("SHAPE_MISMATCH");
  });

  it("rejects a bias of the wrong size", () => {
    const error = errorOf(() => conv2d(x, w, zeros(3)));
    expect(error.code).toBe("SHAPE_MISMATCH");
    expect(error.message).toContain(
      "expected bias to be 1-d with 4 elements, but got bias of size [3]",
    );
  });

  it("rejects inputs and weights of the wrong rank", () => {
    const input = errorOf(() => conv2d(randn([3, 8]), w));
    expect(input.code).toBe("INVALID_SHAPE");
    expect(input.message).toContain(
      "expected 3-d (unbatched) or 4-d (batched) input, but got input of shape [3, 8]",
    );
    const weight = errorOf(() => conv1d(randn([2, 3, 8]), w));
    expect(weight.code).toBe("INVALID_SHAPE");
    expect(weight.message).toContain("expected a 3-d weight, but got weight of shape [4, 3, 3, 3]");
  });

  it("says when the output would be empty", () => {
    const error = errorOf(() => conv2d(randn([1, 3, 2, 2]), w));
    expect(error.code).toBe("INVALID_SHAPE");
    expect(error.message).toContain(
      "given input size per channel (2 x 2), the calculated output size per channel (0 x 0) is too small",
    );
  });

  it("checks stride, padding, dilation, groups and outputPadding", () => {
    const invalid: ConvOptions[] = [
      { stride: 0 },
      { padding: -1 },
      { dilation: [1, 2, 3] },
      { groups: 1.5 },
    ];
    for (const options of invalid)
      expect(errorOf(() => conv2d(x, w, null, options)).code).toBe("INVALID_ARGUMENT");
    const stride = errorOf(() => conv2d(x, w, null, { stride: 0 }));
    expect(stride.message).toBe(
      "conv2d: stride must be an integer >= 1 or a list of 2 of them, but got 0. Hint: e.g. stride: 2.",
    );
    const same = errorOf(() => conv2d(x, w, null, { stride: 2, padding: "same" }));
    expect(same.message).toContain("padding='same' is not supported for strided convolutions");
    const bad = errorOf(() => conv2d(x, w, null, { padding: "full" as "same" }));
    expect(bad.message).toContain("padding must be a number, a list of numbers, 'valid' or 'same'");
    const outputPadding = errorOf(() =>
      convTranspose2d(x, randn([3, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }),
    );
    expect(outputPadding.code).toBe("INVALID_ARGUMENT");
    expect(outputPadding.message).toContain(
      "outputPadding must be smaller than either stride or dilation",
    );
  });

  it("rejects integer inputs and mixed dtypes", () => {
    expect(errorOf(() => conv2d(x.int(), w)).code).toBe("INVALID_DTYPE");
    const mixed = errorOf(() => conv2d(x.double(), w));
    expect(mixed.code).toBe("INVALID_DTYPE");
    expect(mixed.message).toContain(
      "input type (float64) and weight type (float32) should be the same",
    );
    expect(errorOf(() => conv2d(x, "w" as unknown as Tensor)).code).toBe("INVALID_ARGUMENT");
  });
});
