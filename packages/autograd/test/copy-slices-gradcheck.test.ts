/**
 * Numerical checks (float64) of in-place writes recorded by autograd: copy_ and writes into
 * views of tensors through CopySlices, for several views, chains of views and in-place ops.
 */
import { manualSeed, randn, type Tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { gradcheck, gradgradcheck } from "../src/index";

const generator = manualSeed(17);
function leaf(shape: number[]): Tensor {
  return randn(shape, { dtype: "float64", generator }).requiresGrad_(true);
}

type Case = readonly [name: string, fn: (a: Tensor, y: Tensor) => Tensor, yShape: number[]];

/** `a` is [3, 4]; each case writes into a fresh non-leaf copy of it, or into zeros. */
const cases: readonly Case[] = [
  [
    "copy_ from the target itself",
    (a) => {
      const w = a.mul(1).clone();
      return w.copy_(w.mul(3)).mul(a);
    },
    [4],
  ],
  [
    "copy_ broadcasting into zeros",
    (a, y) => zeros(3, 4, { dtype: "float64" }).copy_(y).mul(a),
    [4],
  ],
  [
    "narrow then mul_ by a tensor",
    (a, y) => {
      const b = a.mul(1);
      b.narrow(0, 1, 2).mul_(y);
      return b.mul(b);
    },
    [4],
  ],
  [
    "select (negative) then copy_",
    (a, y) => {
      const b = a.mul(a);
      b.select(1, -1).copy_(y);
      return b;
    },
    [3],
  ],
  [
    "t then add_ broadcasting",
    (a, y) => {
      const b = a.mul(a);
      b.t().add_(y.unsqueeze(1));
      return b.mul(a);
    },
    [4],
  ],
  [
    "narrow then clamp_",
    (a) => {
      const b = a.mul(3);
      b.narrow(1, 1, 2).clamp_(-0.5, 0.5);
      return b;
    },
    [1],
  ],
  [
    "t, narrow, select then div_",
    (a, y) => {
      const b = a.mul(2);
      b.t().narrow(0, 1, 2).select(1, 0).div_(y.exp());
      return b;
    },
    [2],
  ],
  [
    "the view used after the write",
    (a, y) => {
      const v = a.mul(2).select(0, 1);
      v.addcmul_(y, y);
      return v.mul(v);
    },
    [4],
  ],
  [
    "a sibling view used after the write",
    (a, y) => {
      const b = a.mul(2);
      const u = b.narrow(0, 0, 2);
      b.select(0, 1).sub_(y, { alpha: 2 });
      return u.mul(a.narrow(0, 1, 2));
    },
    [4],
  ],
  [
    "a zeros base written through two views",
    (a, y) => {
      const z = zeros(3, 4, { dtype: "float64" });
      z.select(0, 0).copy_(y);
      z.narrow(1, 1, 2).add_(a.narrow(1, 1, 2));
      return z.mul(z);
    },
    [4],
  ],
];

describe("gradcheck of in-place writes (float64)", () => {
  it.each(cases)("%s", (_, fn, yShape) => {
    expect(gradcheck(fn, [leaf([3, 4]), leaf(yShape)])).toBe(true);
  });

  it.each(cases.slice(2, 5))("%s, second order", (_, fn, yShape) => {
    expect(gradgradcheck(fn, [leaf([3, 4]), leaf(yShape)])).toBe(true);
  });
});
