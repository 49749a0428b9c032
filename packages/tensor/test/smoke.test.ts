import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "../src/index";

describe("smoke", () => {
  it("adds and prints", () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(a.add(tensor([10, 20])).toArray()).toEqual([
      [11, 22],
      [13, 24],
    ]);
    expect(a.toString()).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    expect(tensor([1, 2.5]).toString()).toBe("tensor([1.0000, 2.5000])");
    expect(tensor([1e-5, 1e5]).toString()).toBe("tensor([1.0000e-05, 1.0000e+05])");
    expect(a.sum(0).toArray()).toEqual([4, 6]);
    expect(a.mean().item()).toBe(2.5);
    expect(a.t().contiguous().toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(a.matmul(a).toArray()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(arange(5).dtype).toBe("int32");
    expect(zeros([2]).add_(1).toArray()).toEqual([1, 1]);
    expect(tensor(0.1).add(0.2).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });
});
