import { describe, expect, it } from "vitest";
import { arange, tensor } from "../src/index";
import { iterationLayout } from "../src/kernels/strided";

describe("iterationLayout: the order elementwise kernels visit a strided space in", () => {
  it("merges dims every operand walks as one and drops size-1 dims", () => {
    // a contiguous [2, 1, 3, 4] output and a [2, 1, 3, 4] input transposed in its first two dims
    const layout = iterationLayout(
      [2, 1, 3, 4],
      [
        [12, 12, 4, 1],
        [12, 12, 4, 1],
      ],
    );
    expect(layout).toEqual({ shape: [24], strides: [[1], [1]] });
    const partly = iterationLayout(
      [2, 3, 4],
      [
        [12, 4, 1],
        [4, 8, 1],
      ],
    );
    expect(partly).toEqual({
      shape: [2, 3, 4],
      strides: [
        [12, 4, 1],
        [4, 8, 1],
      ],
    });
  });

  it("makes the longest dim the row when the last one is short", () => {
    // x.unfold(0, 3, 1) of 1000 elements copied out: 998 windows of 3
    expect(
      iterationLayout(
        [998, 3],
        [
          [3, 1],
          [1, 1],
        ],
      ),
    ).toEqual({
      shape: [3, 998],
      strides: [
        [1, 3],
        [1, 1],
      ],
    });
    // a row of 256 or more stays last
    expect(
      iterationLayout(
        [1000, 256],
        [
          [256, 1],
          [1, 1000],
        ],
      ).shape,
    ).toEqual([1000, 256]);
  });

  it("keeps an empty space empty", () => {
    const layout = iterationLayout([0, 3], [[3, 1]]);
    expect(layout.shape.reduce((a, b) => a * b, 1)).toBe(0);
  });
});

describe("strided elementwise results do not depend on the visiting order", () => {
  it("copies windows, transposes and broadcasts with short rows element for element", () => {
    const x = arange(40);
    const windows = x.unfold(0, 3, 2).contiguous().toArray();
    expect(windows).toEqual(Array.from({ length: 19 }, (_, w) => [2 * w, 2 * w + 1, 2 * w + 2]));
    const m = arange(12).reshape([3, 4]);
    expect(m.t().contiguous().toArray()).toEqual([
      [0, 4, 8],
      [1, 5, 9],
      [2, 6, 10],
      [3, 7, 11],
    ]);
    const column = tensor([[1], [2], [3]]);
    expect(
      m
        .t()
        .add(tensor([10, 20, 30]))
        .mul(column.t())
        .toArray(),
    ).toEqual([
      [10, 48, 114],
      [11, 50, 117],
      [12, 52, 120],
      [13, 54, 123],
    ]);
  });

  it("writes in place into a transposed view with short rows", () => {
    const m = arange(6).float().reshape([3, 2]);
    m.t().add_(tensor([[100], [200]]));
    expect(m.toArray()).toEqual([
      [100, 201],
      [102, 203],
      [104, 205],
    ]);
  });
});
