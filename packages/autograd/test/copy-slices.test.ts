/**
 * In-place writes recorded by autograd, against PyTorch (fixtures/copy_slices.json, from
 * fixtures/copy_slices.py): copy_ from the target itself, into untracked tensors, broadcasting
 * and casting; and writes into views of tensors (PyTorch's CopySlices), through single views,
 * chains of views, with the base, the view or a sibling view used afterwards.
 */
import { readFileSync } from "node:fs";
import { arange, type DType, type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import "../src/index";

interface Grad {
  dtype: DType;
  data: number[] | number[][];
}
interface Case {
  name: string;
  gradFn: string;
  dtype: DType;
  out: number[] | number[][];
  grads: (Grad | null)[];
}
const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/copy_slices.json", import.meta.url), "utf8"),
) as { a: number[][]; y: number[]; cases: Case[] };

type Scenario = (a: Tensor, y: Tensor) => Tensor;

/** The same code as the fixture script's functions, one for one. */
const scenarios: Record<string, Scenario> = {
  "copy_ from the target itself": (a) => {
    const w = a.mul(1).clone();
    return w.copy_(w.mul(3));
  },
  "copy_ into zeros from a tracked source": (a) => zeros(3, 4).copy_(a.mul(2)),
  "copy_ broadcasts and casts the source": (a, y) =>
    zeros(3, 4, { dtype: "float64" }).copy_(y.mul(2)).mul(a.double()),
  "narrow then mul_": (a) => {
    const b = a.mul(2);
    b.narrow(0, 1, 2).mul_(3);
    return b;
  },
  "select (negative) then copy_": (a, y) => {
    const b = a.mul(2);
    b.select(1, -1).copy_(y.narrow(0, 0, 3).mul(2));
    return b;
  },
  "t then add_ broadcasting": (a, y) => {
    const b = a.mul(2);
    b.t().add_(y.unsqueeze(1));
    return b;
  },
  "narrow then clamp_": (a) => {
    const b = a.mul(2);
    b.narrow(1, 1, 2).clamp_(-1, 1);
    return b;
  },
  "t, narrow, select then fill_": (a) => {
    const b = a.mul(2);
    b.t().narrow(0, 1, 2).select(1, 0).fill_(7);
    return b;
  },
  "t, narrow, select then sub_ with alpha": (a, y) => {
    const b = a.mul(2);
    b.t()
      .narrow(0, 1, 2)
      .select(1, 2)
      .sub_(y.narrow(0, 2, 2), { alpha: 2 });
    return b;
  },
  "the base used after the write": (a) => {
    const b = a.mul(2);
    b.narrow(0, 0, 2).mul_(3);
    return b.mul(b);
  },
  "the view used after the write": (a) => {
    const v = a.mul(2).select(0, 1);
    v.mul_(3);
    return v.mul(v);
  },
  "a zeros base written from a tracked source": (a, y) => {
    const z = zeros(3, 4);
    z.narrow(0, 1, 1).copy_(y.mul(2).unsqueeze(0));
    return z.mul(a);
  },
  "copy_ into two rows of zeros": (_, y) => {
    const z = zeros(3, 4);
    z.select(0, 0).copy_(y);
    z.select(0, 2).copy_(y.mul(2));
    return z;
  },
  "a sibling view used after the write": (a) => {
    const b = a.mul(2);
    const u = b.narrow(0, 0, 2);
    b.select(0, 1).mul_(3);
    return u.mul(1);
  },
  "an old view used after the base is written": (a) => {
    const b = a.mul(2);
    const u = b.narrow(1, 0, 2);
    b.mul_(3);
    return u.mul(1);
  },
  "a view of an untracked base used after another view is written": (a, y) => {
    const z = zeros(3, 4);
    const u = z.narrow(0, 0, 2);
    z.select(0, 1).copy_(y);
    return u.mul(a.narrow(0, 0, 2));
  },
  "view, narrow then add_": (a, y) => {
    const b = a.mul(2);
    b.view(12).narrow(0, 2, 5).add_(y.sum());
    return b;
  },
  "unsqueeze, select, select then zero_": (a) => {
    const b = a.mul(2);
    b.unsqueeze(0).select(0, 0).select(0, 1).zero_();
    return b.mul(a);
  },
  "one view written twice": (a, y) => {
    const b = a.mul(2);
    const v = b.narrow(1, 0, 3);
    v.mul_(y.narrow(0, 0, 3).detach());
    v.add_(y.narrow(0, 1, 3));
    return b;
  },
};

describe("in-place writes against PyTorch", () => {
  it("the fixture covers every scenario of the table", () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(Object.keys(scenarios));
  });

  it.each(fixture.cases)("$name", (c) => {
    const a = tensor(fixture.a, { requiresGrad: true });
    const y = tensor(fixture.y, { requiresGrad: true });
    const out = (scenarios[c.name] as Scenario)(a, y);
    expect(out.gradFn?.name).toBe(c.gradFn);
    expect(out.dtype).toBe(c.dtype);
    expect(out.toArray()).toEqual(c.out);
    const weights = arange(1, out.numel() + 1, 1, { dtype: out.dtype }).reshape(out.shape.slice());
    out.mul(weights).sum().backward();
    [a, y].forEach((leaf, i) => {
      const want = c.grads[i] ?? null;
      if (want === null) expect(leaf.grad).toBeNull();
      else {
        expect(leaf.grad?.dtype).toBe(want.dtype);
        expect(leaf.grad?.toArray()).toEqual(want.data);
      }
    });
  });
});
