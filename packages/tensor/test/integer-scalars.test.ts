/**
 * Integer scalars (API-NEXT.md "Scalar operands"): what the torch fixtures in logic.json cannot
 * show. Creation keeps JS numbers float32, and `i32.pow(2.0)` is `i32.pow(2)` because JS cannot
 * write `2.0` (the one knowing departure from torch, which gives float32 there).
 */
import { full, ones, pow, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";

const i32 = (data: number[]) => tensor(data, { dtype: "int32" });

describe("integer scalars", () => {
  it("leave creation alone: JS numbers still make float32 tensors", () => {
    const made = [tensor([1.0, 0.0]), tensor([1, 2, 3]), tensor(2), full([2], 3), ones([2])];
    expect(made.map((t) => t.dtype)).toEqual(made.map(() => "float32"));
  });

  it("keep the book's float32 arithmetic float32", () => {
    const t = tensor([1.0, 0.0]);
    expect([t.mul(2), t.add(1), t.sub(3), t.pow(2), t.div(2)].map((r) => r.dtype)).toEqual(
      Array(5).fill("float32"),
    );
  });

  it("take 2.0 as 2: int32.pow(2.0) stays int32 (torch gives float32)", () => {
    const squared = i32([3, -4]).pow(2.0);
    expect([squared.dtype, squared.toArray()]).toEqual(["int32", [9, 16]]);
  });

  it("compute 11 ** 7 exactly (19487171, not float32's 19487172)", () => {
    expect([i32([11]).pow(7).item(), pow(i32([11]), i32([7])).item()]).toEqual([
      19487171, 19487171,
    ]);
  });

  it("give float32 for a fractional number with alpha (torch: int32 [1] + 2 * 0.5 = float32 [2])", () => {
    const sum = i32([1]).add(0.5, { alpha: 2 });
    expect([sum.dtype, sum.toArray()]).toEqual(["float32", [2]]);
  });

  it("keep in-place integer arithmetic in the int32 storage", () => {
    const t = i32([3, -4]);
    const storage = t.storage;
    t.mul_(2).add_(1).sub_(3);
    expect([t.dtype, t.storage === storage, t.toArray()]).toEqual(["int32", true, [4, -10]]);
  });
});
