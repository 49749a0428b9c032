/**
 * The logic ops are not differentiable: with autograd installed, their outputs never require
 * grad and have no grad_fn, even from inputs that do (as in PyTorch), and masks built from them
 * steer gradients through `where` as the book's NaN guards do.
 */
import { tensor, where } from "@x/tensor";
import { describe, expect, it } from "vitest";
import "../src/index";

describe("logic ops under autograd", () => {
  const x = () => tensor([1, Number.NaN, -2, Number.POSITIVE_INFINITY], { requiresGrad: true });

  it.each([
    ["logicalNot", () => x().logicalNot()],
    ["logicalAnd", () => x().logicalAnd(x())],
    ["logicalOr", () => x().logicalOr(0)],
    ["logicalXor", () => x().logicalXor(x().isnan())],
    ["any", () => x().any()],
    ["all", () => x().all(0, true)],
    ["isnan", () => x().isnan()],
    ["isinf", () => x().isinf()],
    ["isfinite", () => x().isfinite()],
    ["isclose", () => x().isclose(x(), { equalNan: true })],
  ])("%s gives a bool tensor outside the graph", (_, run) => {
    const out = run();
    expect([out.dtype, out.requiresGrad, out.gradFn]).toEqual(["bool", false, null]);
  });

  it("lets a finite mask route the gradient (torch.where(torch.isfinite(x), x, 0))", () => {
    const input = x();
    where(input.isfinite(), input, 0).mul(3).sum().backward();
    expect(input.grad?.toArray()).toEqual([3, 0, 3, 0]);
  });

  it("answers allclose and equal with plain booleans for tensors that require grad", () => {
    const a = x();
    expect([a.allclose(a, { equalNan: true }), a.equal(a), a.isfinite().all().item()]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
