/**
 * Views: layouts against PyTorch (fixtures/views_layout.json, written by views_layout.py),
 * storage sharing in both directions, when `contiguous()`/`reshape` copy, the storage version
 * counter, and 0-d / size-1 / size-0 shapes. Forward values of the view ops are in
 * pytorch-parity.test.ts; this file is about memory.
 */
import { arange, cat, type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { loadFixture } from "./fixtures/codec.ts";

type Step = [string, ...unknown[]];
interface Layout {
  shape: number[];
  stride: number[];
  offset: number;
  contiguous: boolean;
  shares: boolean;
  data: number[];
}
interface LayoutCase {
  name: string;
  base: number[];
  steps: Step[];
  after: Layout[];
}

const fixture = loadFixture<{ torch: string; cases: LayoutCase[] }>(
  "./fixtures/views_layout.json",
  import.meta.url,
);

/** `0, 1, 2, …` as float32 in `shape` (what views_layout.py starts from). */
function iota(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return arange(n, undefined, 1, { dtype: "float32" }).reshape([...shape]);
}

function apply(x: Tensor, [name, ...args]: Step): Tensor {
  const n = args as number[];
  const list = args[0] as number[];
  switch (name) {
    case "reshape":
      return x.reshape(list);
    case "view":
      return x.view(list);
    case "flatten":
      return x.flatten(n[0], n[1]);
    case "transpose":
      return x.transpose(n[0]!, n[1]!);
    case "permute":
      return x.permute(list);
    case "t":
      return x.t();
    case "unsqueeze":
      return x.unsqueeze(n[0]!);
    case "squeeze":
      return args.length === 0 ? x.squeeze() : x.squeeze(n[0]);
    case "expand":
      return x.expand(list);
    case "narrow":
      return x.narrow(n[0]!, n[1]!, n[2]!);
    case "select":
      return x.select(n[0]!, n[1]!);
    case "unbind":
      return x.unbind(n[0])[n[1]!]!;
    case "split":
      return x.split(n[0]!, n[1])[n[2]!]!;
    case "chunk":
      return x.chunk(n[0]!, n[1])[n[2]!]!;
    case "contiguous":
      return x.contiguous();
    default:
      throw new Error(`unknown step ${name}`);
  }
}

function layoutOf(x: Tensor, base: Tensor): Layout {
  return {
    shape: [...x.shape],
    stride: x.stride(),
    offset: x.offset,
    contiguous: x.isContiguous(),
    shares: x.storage === base.storage,
    data: Array.from(x.toTypedArray()),
  };
}

describe(`view layouts against PyTorch ${fixture.torch}`, () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const base = iota(c.base);
    let x = base;
    const actual = c.steps.map((step) => {
      x = apply(x, step);
      return layoutOf(x, base);
    });
    expect(actual).toEqual(c.after);
  });
});

/** Writes 100 through `view` and expects to see it in `base` at `where` (and vice versa). */
function expectShared(
  base: Tensor,
  view: Tensor,
  viewIndex: readonly number[],
  baseIndex: readonly number[],
) {
  const at = (t: Tensor, index: readonly number[]) =>
    index.reduce<Tensor>((acc, i) => acc.select(0, i), t);
  at(view, viewIndex).fill_(100);
  expect(at(base, baseIndex).item()).toBe(100);
  at(base, baseIndex).fill_(-7);
  expect(at(view, viewIndex).item()).toBe(-7);
  expect(view.storage).toBe(base.storage);
}

describe("views write through to their base and back", () => {
  it.each<[string, (x: Tensor) => Tensor, number[], number[]]>([
    ["reshape (view possible)", (x) => x.reshape([3, 2]), [2, 1], [1, 2]],
    ["reshape with -1", (x) => x.reshape([-1]), [4], [1, 1]],
    ["view", (x) => x.view([6]), [5], [1, 2]],
    ["transpose", (x) => x.transpose(0, 1), [2, 0], [0, 2]],
    ["permute", (x) => x.permute(1, 0), [1, 1], [1, 1]],
    ["t", (x) => x.t(), [0, 1], [1, 0]],
    ["narrow", (x) => x.narrow(1, 1, 2), [1, 1], [1, 2]],
    ["select", (x) => x.select(1, 2), [1], [1, 2]],
    ["unsqueeze", (x) => x.unsqueeze(1), [1, 0, 2], [1, 2]],
    ["squeeze", (x) => x.unsqueeze(0).squeeze(), [0, 1], [0, 1]],
    ["flatten", (x) => x.flatten(), [3], [1, 0]],
    ["unbind", (x) => x.unbind(1)[2]!, [0], [0, 2]],
    ["split", (x) => x.split(2, 1)[1]!, [1, 0], [1, 2]],
    ["chunk", (x) => x.chunk(2, 0)[1]!, [0, 1], [1, 1]],
    ["detach", (x) => x.detach(), [1, 1], [1, 1]],
  ])("%s", (_, makeView, viewIndex, baseIndex) => {
    const base = iota([2, 3]);
    expectShared(base, makeView(base), viewIndex, baseIndex);
  });

  it("expand: a write into the base shows in every broadcast position (stride 0)", () => {
    const base = tensor([[1], [2]]);
    const wide = base.expand(2, 3);
    expect(wide.stride()).toEqual([1, 0]);
    base.select(0, 1).fill_(9);
    expect(wide.toArray()).toEqual([
      [1, 1, 1],
      [9, 9, 9],
    ]);
    expect(wide.storage).toBe(base.storage);
  });

  it("in-place arithmetic through a strided view touches exactly the viewed elements", () => {
    const base = iota([3, 4]);
    base.t().narrow(0, 1, 2).mul_(-1);
    expect(base.toArray()).toEqual([
      [0, -1, -2, 3],
      [4, -5, -6, 7],
      [8, -9, -10, 11],
    ]);
    base.select(1, 3).add_(tensor([100, 200, 300]));
    expect(base.select(1, 3).toArray()).toEqual([103, 207, 311]);
  });

  it("copy_ into a transposed view writes in the view's order", () => {
    const base = zeros([2, 3]);
    base.t().copy_(
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    expect(base.toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
  });

  it("views of views keep pointing at the first storage", () => {
    const base = iota([2, 3, 4]);
    const v = base.permute(2, 0, 1).narrow(0, 1, 2).select(1, 1).unsqueeze(0).expand(3, 2, 3);
    expect(v.storage).toBe(base.storage);
    base.fill_(5);
    expect(v.sum().item()).toBe(5 * 18);
  });
});

describe("copies only when needed", () => {
  it("contiguous() returns the very same tensor when already contiguous", () => {
    const x = iota([2, 3]);
    expect(x.contiguous()).toBe(x);
    const row = x.narrow(0, 1, 1);
    expect(row.contiguous()).toBe(row);
    const scalar = tensor(3);
    expect(scalar.contiguous()).toBe(scalar);
  });

  it("contiguous() copies a transposed tensor into row-major order, leaving the base alone", () => {
    const x = iota([2, 3]);
    const c = x.t().contiguous();
    expect(c.storage).not.toBe(x.storage);
    expect(c.isContiguous()).toBe(true);
    expect(c.stride()).toEqual([2, 1]);
    expect(Array.from(c.toTypedArray())).toEqual([0, 3, 1, 4, 2, 5]);
    c.fill_(0);
    expect(x.sum().item()).toBe(15);
  });

  it("reshape shares storage when a view is possible and copies when it is not", () => {
    const x = iota([2, 3]);
    expect(x.reshape([3, 2]).storage).toBe(x.storage);
    const copied = x.t().reshape([6]);
    expect(copied.storage).not.toBe(x.storage);
    expect(copied.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    copied.fill_(1);
    expect(x.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it("view refuses what reshape would have to copy", () => {
    const x = iota([2, 3]).t();
    expect(() => x.view([6])).toThrowError(
      expect.objectContaining({ code: "NOT_A_VIEW" }) as unknown as Error,
    );
    expect(x.reshape([6]).isContiguous()).toBe(true);
  });

  it("clone() never shares storage, even for a contiguous tensor", () => {
    const x = iota([2, 2]);
    const c = x.clone();
    expect(c.storage).not.toBe(x.storage);
    c.fill_(0);
    expect(x.sum().item()).toBe(6);
  });

  it("to() of the same dtype is the tensor itself; another dtype is a copy", () => {
    const x = iota([3]);
    expect(x.to("float32")).toBe(x);
    expect(x.float()).toBe(x);
    const d = x.double();
    expect(d.storage).not.toBe(x.storage);
  });
});

describe("strides and isContiguous()", () => {
  it("row-major strides for fresh tensors", () => {
    expect(zeros([2, 3, 4]).stride()).toEqual([12, 4, 1]);
    expect(zeros([2, 3, 4]).stride(-1)).toBe(1);
    expect(zeros([2, 3, 4]).stride(0)).toBe(12);
    expect(zeros([5]).stride()).toEqual([1]);
    expect(tensor(1).stride()).toEqual([]);
    expect(zeros([2, 3]).isContiguous()).toBe(true);
  });

  it("stride() returns a copy the caller may change", () => {
    const x = zeros([2, 3]);
    const s = x.stride();
    s[0] = 99;
    expect(x.stride()).toEqual([3, 1]);
    const shape = x.size();
    shape[0] = 99;
    expect(x.shape).toEqual([2, 3]);
  });

  it("size(dim) and stride(dim) accept negative dims and reject bad ones", () => {
    const x = zeros([2, 3]).t();
    expect(x.size(-1)).toBe(2);
    expect(x.stride(-1)).toBe(3);
    expect(() => x.size(2)).toThrowError(
      "size: dim 2 is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1])",
    );
    expect(() => x.stride(-3)).toThrowError(
      "stride: dim -3 is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1])",
    );
  });

  it("ops on non-contiguous inputs return contiguous outputs", () => {
    const x = iota([3, 4]).t();
    for (const out of [x.add(1), x.mul(x), x.exp(), x.neg(), x.sum(0), x.clone(), x.to("float64")])
      expect(out.isContiguous()).toBe(true);
  });
});

describe("the storage version counter", () => {
  const inPlaceOps: [string, (x: Tensor) => unknown][] = [
    ["add_", (x) => x.add_(1)],
    ["add_ (tensor)", (x) => x.add_(tensor([1, 2, 3]))],
    ["sub_", (x) => x.sub_(1)],
    ["mul_", (x) => x.mul_(2)],
    ["mul_ (itself)", (x) => x.mul_(x)],
    ["div_", (x) => x.div_(2)],
    ["zero_", (x) => x.zero_()],
    ["fill_", (x) => x.fill_(3)],
    ["copy_", (x) => x.copy_(tensor([4, 5, 6]))],
    ["copy_ (number)", (x) => x.copy_(4)],
    ["clamp_", (x) => x.clamp_(0, 1)],
  ];

  it.each(inPlaceOps)("%s bumps the version by exactly one", (_, op) => {
    const x = iota([2, 3]);
    const before = x.storage.version;
    op(x);
    expect(x.storage.version).toBe(before + 1);
  });

  it.each(inPlaceOps)("%s through a strided view bumps the version seen by the base", (_, op) => {
    const base = iota([3, 2]);
    const view = base.t().select(0, 1); // shape [3], stride 2
    const before = base.storage.version;
    op(view);
    expect(base.storage.version).toBe(before + 1);
    expect(view.storage.version).toBe(base.storage.version);
  });

  it("counts every in-place op and is shared by all views", () => {
    const x = zeros([2, 2]);
    const views = [x.t(), x.reshape([4]), x.select(0, 0), x.detach(), x.expand(3, 2, 2)];
    x.add_(1).mul_(2).sub_(1).div_(3).zero_().fill_(1).clamp_(0).copy_(ones22());
    expect(x.storage.version).toBe(8);
    for (const v of views) expect(v.storage.version).toBe(8);
  });

  it("out-of-place ops and new views do not bump it", () => {
    const x = iota([2, 3]);
    x.add(1);
    x.t().contiguous();
    x.reshape([6]).view([3, 2]);
    x.clone().add_(1);
    x.sum();
    expect(x.storage.version).toBe(0);
  });

  it("a rejected in-place op leaves data and version untouched", () => {
    const x = iota([3]);
    expect(() => x.add_(zeros([2, 3]))).toThrowError(
      expect.objectContaining({ code: "SHAPE_MISMATCH" }) as unknown as Error,
    );
    expect(x.storage.version).toBe(0);
    expect(x.toArray()).toEqual([0, 1, 2]);
  });
});

function ones22(): Tensor {
  return tensor([
    [1, 1],
    [1, 1],
  ]);
}

describe("0-d, size-1 and size-0 shapes", () => {
  it("0-d tensors: views, reshape, expand and in-place", () => {
    const s = tensor(4);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.numel()).toBe(1);
    expect(s.isContiguous()).toBe(true);
    expect(s.reshape([1, 1]).shape).toEqual([1, 1]);
    expect(s.reshape([-1]).shape).toEqual([1]);
    expect(s.unsqueeze(0).shape).toEqual([1]);
    expect(s.unsqueeze(-1).shape).toEqual([1]);
    expect(s.squeeze().shape).toEqual([]);
    expect(s.t().shape).toEqual([]);
    expect(s.flatten().shape).toEqual([1]);
    const e = s.expand(2, 2);
    expect(e.stride()).toEqual([0, 0]);
    expect(e.storage).toBe(s.storage);
    s.add_(1);
    expect(e.toArray()).toEqual([
      [5, 5],
      [5, 5],
    ]);
    expect(s.storage.version).toBe(1);
  });

  it("size-1 dims: transposing them keeps the tensor contiguous", () => {
    const x = iota([1, 4]);
    expect(x.t().isContiguous()).toBe(true);
    expect(x.t().view([4]).storage).toBe(x.storage);
    const y = iota([3, 1]).expand(3, 1);
    expect(y.isContiguous()).toBe(true);
  });

  it("size-0 dims: views of empty tensors stay empty and share storage", () => {
    const x = zeros([2, 0, 3]);
    expect(x.numel()).toBe(0);
    expect(x.reshape([0, 6]).shape).toEqual([0, 6]);
    expect(x.reshape([-1, 3]).shape).toEqual([0, 3]);
    expect(x.permute(2, 0, 1).shape).toEqual([3, 2, 0]);
    expect(x.transpose(0, 1).toArray()).toEqual([]);
    expect(x.narrow(2, 1, 2).shape).toEqual([2, 0, 2]);
    expect(x.unbind(1)).toEqual([]);
    expect(x.unbind(0).map((t) => t.shape)).toEqual([
      [0, 3],
      [0, 3],
    ]);
    expect(x.expand(4, 2, 0, 3).shape).toEqual([4, 2, 0, 3]);
    expect(x.toArray()).toEqual([[], []]);
    expect(x.reshape([0, 6]).storage).toBe(x.storage);
  });

  it("size-0 dims: in-place ops and reductions on empty tensors", () => {
    const x = zeros([0, 3]);
    x.add_(1).fill_(2).zero_();
    expect(x.toArray()).toEqual([]);
    expect(x.sum().item()).toBe(0);
    expect(x.sum(0).toArray()).toEqual([0, 0, 0]);
    expect(x.sum(1).toArray()).toEqual([]);
    expect(x.t().contiguous().shape).toEqual([3, 0]);
    expect(cat([x, iota([2, 3])]).shape).toEqual([2, 3]);
  });

  it("narrow and select at the edges", () => {
    const x = iota([3, 4]);
    expect(x.narrow(1, 4, 0).shape).toEqual([3, 0]);
    expect(x.narrow(0, 0, 3).storage).toBe(x.storage);
    expect(x.select(0, -3).toArray()).toEqual([0, 1, 2, 3]);
    expect(x.select(1, 3).offset).toBe(3);
  });
});
