/**
 * In-place writes recorded by autograd, against PyTorch (fixtures/copy_slices.json, from
 * fixtures/copy_slices.py): copy_ from the target itself, into untracked tensors, broadcasting
 * and casting; and writes into views of tensors (PyTorch's CopySlices), through single views,
 * chains of views, with the base, the view or a sibling view used afterwards.
 */
import { readFileSync } from "node:fs";
import { arange, type DType, type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Node, noGrad } from "../src/index";
import { errorOf } from "./error-of";

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
  "a slice of a non-leaf, then x[mask] = 0 (indexPut_)": (a) => {
    const b = a.mul(2);
    const v = b.index("1:3");
    v.indexPut_([v.gt(1)], 0);
    return b.mul(b);
  },
  "zeros[:, ::2] = tracked values (indexPut_ into a strided slice)": (a, y) => {
    const z = zeros(3, 4);
    z.indexPut_([":", "::2"], y.narrow(0, 0, 2).mul(3));
    return z.mul(a);
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

describe("in-place writes into views: graph and refusals", () => {
  it("copy_ of a value computed from the target reaches the tensors before it (issue example)", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const c = x.mul(1);
    c.retainGrad();
    const w = c.clone();
    w.copy_(w.mul(3));
    w.sum().backward();
    expect(c.grad?.toArray()).toEqual([3, 3, 3]);
    expect(x.grad?.toArray()).toEqual([3, 3, 3]);
  });

  it("the base's gradFn becomes CopySlices and the view's AsStridedBackward0 on top of it", () => {
    const a = tensor([1, 2, 3, 4], { requiresGrad: true });
    const b = a.mul(2);
    const v = b.narrow(0, 1, 2);
    expect(v.gradFn?.name).toBe("SliceBackward0");
    v.mul_(3);
    expect(b.gradFn?.name).toBe("CopySlices");
    expect(v.gradFn?.name).toBe("AsStridedBackward0");
    expect((v.gradFn as Node).edges?.[0]).toBe(b.gradFn);
    expect(b.toArray()).toEqual([2, 12, 18, 8]);
  });

  it("a view of a view records the base it shares storage with, in O(1)", () => {
    const b = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    ).mul(1);
    const v = b.t().narrow(0, 1, 1).select(1, 0);
    expect(v.viewMeta?.base).toBe(b);
    expect(b.viewMeta).toBeNull();
    expect(b.detach().viewMeta).toBeNull();
  });

  it("a zeros tensor written from a tracked source comes to require grad", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const z = zeros(4);
    z.narrow(0, 0, 2).copy_(w);
    expect(z.requiresGrad).toBe(true);
    expect(z.gradFn?.name).toBe("CopySlices");
    z.mul(tensor([1, 2, 3, 4]))
      .sum()
      .backward();
    expect(w.grad?.toArray()).toEqual([1, 2]);
  });

  it("refuses a recorded write into a view of a leaf that requires grad (INPLACE_ON_LEAF)", () => {
    const params = tensor([1, 0], { requiresGrad: true });
    const error = errorOf(() => params.narrow(0, 0, 1).mul_(2));
    expect(error.code).toBe("INPLACE_ON_LEAF");
    expect(error.message).toBe(
      "mul_: a view (shape [1]) of a leaf tensor that requires grad (shape [2]) is being used in an in-place operation. Hint: update parameters inside noGrad(() => { ... }), as the book does with torch.no_grad(), or use an optimizer.",
    );
    noGrad(() => params.select(0, 1).fill_(5));
    expect(params.toArray()).toEqual([1, 5]);
  });

  it.each([
    ["unbind", (b: Tensor) => b.unbind()[0], "UnbindBackward0"],
    ["split", (b: Tensor) => b.split(1)[0], "SplitBackward0"],
    ["split with sizes", (b: Tensor) => b.split([1, 1])[1], "SplitWithSizesBackward0"],
    ["chunk", (b: Tensor) => b.chunk(2)[1], "SplitBackward0"],
    ["a view of an unbind output", (b: Tensor) => b.unbind()[0].narrow(0, 0, 1), "UnbindBackward0"],
  ])("refuses a recorded write into an output of %s (INPLACE_ON_VIEW)", (_, part, node) => {
    const b = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    ).mul(1);
    const error = errorOf(() => part(b).add_(1));
    expect(error.code).toBe("INPLACE_ON_VIEW");
    expect(error.message).toBe(
      `add_: the tensor (shape [${part(b).shape.join(", ")}]) is an output of ${node}, which returns several views of one tensor; such views must not be modified in place. Hint: use the out-of-place op, or clone() the view first.`,
    );
  });

  it("refuses copy_ of a tracked source into an unbind output, and allows untracked writes", () => {
    const z = zeros(2, 2);
    const w = tensor([1, 2], { requiresGrad: true });
    expect(errorOf(() => z.unbind()[0].copy_(w)).code).toBe("INPLACE_ON_VIEW");
    z.unbind()[1].fill_(3);
    expect(z.toArray()).toEqual([
      [0, 0],
      [3, 3],
    ]);
  });

  it("catches a saved result modified through a view (MODIFIED_IN_PLACE)", () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = a.exp();
    b.narrow(0, 0, 1).mul_(2);
    const error = errorOf(() => b.sum().backward());
    expect(error.code).toBe("MODIFIED_IN_PLACE");
    expect(error.message).toBe(
      "backward(): one of the variables needed for gradient computation has been modified by an inplace operation: the output of ExpBackward0 (shape [2, 2], float32) is at version 1; expected version 0 instead. Hint: use the out-of-place op (e.g. add instead of add_), or clone() the tensor before modifying it.",
    );
  });

  it("catches a saved input modified through a view (MODIFIED_IN_PLACE)", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = a.mul(1);
    const c = b.mul(b);
    b.select(0, 0).add_(1);
    expect(errorOf(() => c.sum().backward()).code).toBe("MODIFIED_IN_PLACE");
  });

  it("copy_ of a tracked float source into an int32 tensor is not recorded", () => {
    const z = zeros(2, { dtype: "int32" });
    z.copy_(tensor([1.5, 2.5], { requiresGrad: true }));
    expect(z.requiresGrad).toBe(false);
    expect(z.toArray()).toEqual([1, 2]);
  });
});
