import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ones, Size, sizeOf, tensor, zeros } from "../src/index";

describe("x.size() prints like torch.Size", () => {
  it("prints the book's broadcasting-demo shapes", () => {
    // the book, chapter 5 cell 7: x: torch.Size([]), y: torch.Size([3, 1]), y * z * a: torch.Size([2, 3, 3])
    const x = ones([]);
    const y = ones(3, 1);
    const z = ones(1, 3);
    const a = ones(2, 1, 1);
    expect(`x: ${x.size()}, y: ${y.size()}`).toBe("x: torch.Size([]), y: torch.Size([3, 1])");
    expect(String(y.mul(z).mul(a).size())).toBe("torch.Size([2, 3, 3])");
    expect(inspect(z.size())).toBe("torch.Size([1, 3])");
    expect(inspect({ shape: a.size() })).toBe("{ shape: torch.Size([2, 1, 1]) }");
  });

  it("is still an array: index, destructure, spread, compare, numel", () => {
    const size = zeros(2, 5).size();
    expect(size).toBeInstanceOf(Size);
    expect(Array.isArray(size)).toBe(true);
    const [rows, cols] = size;
    expect([rows, cols, size.length, size[1]]).toEqual([2, 5, 2, 5]);
    expect([...size]).toEqual([2, 5]);
    expect(size.numel()).toBe(10);
    expect(zeros(2, 5).size(-1)).toBe(5);
    expect(JSON.stringify(size)).toBe("[2,5]");
  });

  it("is a copy: changing it does not change the tensor", () => {
    const t = tensor([[1, 2, 3]]);
    const size = t.size();
    size[0] = 7;
    expect(t.shape).toEqual([1, 3]);
    expect(sizeOf(t.shape).toString()).toBe("torch.Size([1, 3])");
  });
});
