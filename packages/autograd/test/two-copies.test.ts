/**
 * Two copies of @x/tensor in one realm (an ESM import beside a CJS require, or two bundled
 * versions) share the seam on globalThis: a tensor from a copy that autograd was not installed
 * into fails with an error naming both copies, instead of "add import '@x/autograd'".
 */
import { describe, expect, it, vi } from "vitest";

describe("two copies of @x/tensor", () => {
  it("name both copies when a tensor meets the other copy's autograd", async () => {
    vi.resetModules();
    const first = await import("@x/tensor");
    vi.resetModules();
    const second = await import("@x/tensor");
    await import("../src/index"); // installs into `second`, the copy the fresh registry holds
    expect(first.Tensor).not.toBe(second.Tensor);

    const y = second.tensor([1, 2], { requiresGrad: true });
    y.mul(y).sum().backward();
    expect(y.grad?.toArray()).toEqual([2, 4]);

    const x = first.tensor([1, 2], { requiresGrad: true });
    let error: unknown;
    try {
      x.mul(x);
    } catch (caught) {
      error = caught;
    }
    expect(first.TensorError.isInstance(error)).toBe(true);
    expect((error as { code: string }).code).toBe("TWO_COPIES");
    expect((error as Error).message).toMatch(
      /^mul: two copies of @x\/tensor are loaded: this tensor comes from copy \d+ \(.+\), but @x\/autograd was installed into copy \d+ \(.+\)/,
    );
    expect(() => first.tensor(3, { requiresGrad: true }).backward()).toThrowError(
      /backward\(\): two copies of @x\/tensor are loaded/,
    );
    // without gradients the other copy works on its own
    expect(first.tensor([1, 2]).mul(2).toArray()).toEqual([2, 4]);
  });
});
