/**
 * Creating tensors and reading them back: dtype inference (API.md "Details that tests rely on"),
 * shapes, options, typed arrays, round trips through toArray/item/toTypedArray, and iteration.
 * The values of arange/linspace/eye/full against PyTorch are in pytorch-parity.test.ts.
 */
import {
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  type Tensor,
  tensor,
  zeros,
  zerosLike,
} from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const describeTensor = (t: Tensor) => ({ shape: [...t.shape], dtype: t.dtype, value: t.toArray() });

describe("tensor(): inference from JS values", () => {
  it("a number gives a 0-d float32 tensor", () => {
    const t = tensor(3);
    expect(describeTensor(t)).toEqual({ shape: [], dtype: "float32", value: 3 });
    expect(t.ndim).toBe(0);
    expect(t.numel()).toBe(1);
    expect(t.item()).toBe(3);
  });

  it("a boolean gives a 0-d bool tensor whose item() is a boolean", () => {
    expect(describeTensor(tensor(true))).toEqual({ shape: [], dtype: "bool", value: true });
    expect(tensor(false).item()).toBe(false);
  });

  it("whole numbers still give float32 (JS cannot tell 1 from 1.0)", () => {
    expect(tensor([1, 2, 3]).dtype).toBe("float32");
    expect(tensor([[1], [2]]).dtype).toBe("float32");
  });

  it("nested arrays give their shape, row-major", () => {
    const t = tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
    ]);
    expect(t.shape).toEqual([2, 2, 3]);
    expect(t.stride()).toEqual([6, 3, 1]);
    expect(Array.from(t.toTypedArray())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(t.select(1, 1).toArray()).toEqual([
      [4, 5, 6],
      [10, 11, 12],
    ]);
  });

  it("booleans in arrays give bool tensors", () => {
    const t = tensor([
      [true, false],
      [false, true],
    ]);
    expect(describeTensor(t)).toEqual({
      shape: [2, 2],
      dtype: "bool",
      value: [
        [true, false],
        [false, true],
      ],
    });
  });

  it("empty arrays give empty float32 tensors", () => {
    expect(describeTensor(tensor([]))).toEqual({ shape: [0], dtype: "float32", value: [] });
    expect(describeTensor(tensor([[], []]))).toEqual({
      shape: [2, 0],
      dtype: "float32",
      value: [[], []],
    });
    expect(tensor([]).numel()).toBe(0);
  });

  it("values are rounded to float32, exactly as Math.fround", () => {
    const t = tensor([0.1, 1 / 3, 1e-46, 3.4e39, -0]);
    const values = t.toArray() as number[];
    expect(values.slice(0, 4)).toEqual([0.1, 1 / 3, 1e-46, 3.4e39].map(Math.fround));
    expect(Object.is(values[4], -0)).toBe(true);
    expect(tensor([0.1], { dtype: "float64" }).item()).toBe(0.1);
  });

  it("NaN and infinities are kept", () => {
    expect(
      tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]).toArray(),
    ).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });
});

describe("tensor(): the dtype option and typed arrays", () => {
  it("converts to the requested dtype (int32 truncates toward zero, as torch)", () => {
    expect(describeTensor(tensor([1.7, -1.7, 2], { dtype: "int32" }))).toEqual({
      shape: [3],
      dtype: "int32",
      value: [1, -1, 2],
    });
    expect(tensor([1, 2], { dtype: "float64" }).dtype).toBe("float64");
    expect(tensor([1, 0], { dtype: "bool" }).toArray()).toEqual([true, false]);
    expect(tensor([true, false], { dtype: "float32" }).toArray()).toEqual([1, 0]);
    expect(tensor(5, { dtype: "int32" }).toArray()).toBe(5);
  });

  it.each([
    [new Float32Array([1.5, 2]), "float32"],
    [new Float64Array([0.1, 2]), "float64"],
    [new Int32Array([-3, 7]), "int32"],
  ] as const)("a %o gives %s", (data, dtype) => {
    const t = tensor(data);
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([2]);
    expect(Array.from(t.toTypedArray())).toEqual(Array.from(data));
  });

  it("typed-array data is copied, not aliased", () => {
    const data = new Float32Array([1, 2, 3]);
    const t = tensor(data);
    data[0] = 100;
    expect(t.toArray()).toEqual([1, 2, 3]);
  });

  it("a typed array with a dtype option is converted", () => {
    const t = tensor(new Float64Array([1.9, -0.5]), { dtype: "int32" });
    expect(describeTensor(t)).toEqual({ shape: [2], dtype: "int32", value: [1, 0] });
    expect(tensor(new Int32Array([1, 2]), { dtype: "float32" }).dtype).toBe("float32");
  });

  it("tensor(aTensor) copies the values in row-major order into new storage", () => {
    const source = tensor([
      [1, 2],
      [3, 4],
    ]);
    const copy = tensor(source.t());
    expect(copy.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(copy.isContiguous()).toBe(true);
    expect(copy.storage).not.toBe(source.storage);
    expect(tensor(tensor([1, 2], { dtype: "int32" })).dtype).toBe("int32");
    expect(tensor(source, { dtype: "float64" }).dtype).toBe("float64");
  });

  it("requiresGrad marks a floating tensor as a leaf that requires grad", () => {
    const t = tensor([1, 2], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(t.grad).toBeNull();
    expect(tensor([1, 2]).requiresGrad).toBe(false);
  });
});

describe("zeros, ones, full and the *Like functions", () => {
  it("zeros/ones give float32 tensors of the shape", () => {
    expect(describeTensor(zeros([2, 3]))).toEqual({
      shape: [2, 3],
      dtype: "float32",
      value: [
        [0, 0, 0],
        [0, 0, 0],
      ],
    });
    expect(describeTensor(ones([2]))).toEqual({ shape: [2], dtype: "float32", value: [1, 1] });
    expect(describeTensor(zeros([]))).toEqual({ shape: [], dtype: "float32", value: 0 });
    expect(describeTensor(ones([0, 2]))).toEqual({ shape: [0, 2], dtype: "float32", value: [] });
  });

  it("take dtype and requiresGrad", () => {
    expect(describeTensor(ones([2], { dtype: "int32" }))).toEqual({
      shape: [2],
      dtype: "int32",
      value: [1, 1],
    });
    expect(ones([2], { dtype: "bool" }).toArray()).toEqual([true, true]);
    expect(zeros([2], { dtype: "float64", requiresGrad: true }).requiresGrad).toBe(true);
  });

  it("full takes its dtype from the value unless told otherwise", () => {
    expect(describeTensor(full([2], 2.5))).toEqual({
      shape: [2],
      dtype: "float32",
      value: [2.5, 2.5],
    });
    expect(describeTensor(full([2], true))).toEqual({
      shape: [2],
      dtype: "bool",
      value: [true, true],
    });
    expect(describeTensor(full([2], 7, { dtype: "int32" }))).toEqual({
      shape: [2],
      dtype: "int32",
      value: [7, 7],
    });
    expect(describeTensor(full([], -1))).toEqual({ shape: [], dtype: "float32", value: -1 });
    expect(full([1], 0.1).item()).toBe(Math.fround(0.1));
  });

  it("the shape argument is copied", () => {
    const shape = [2, 2];
    const t = zeros(shape);
    shape[0] = 5;
    expect(t.shape).toEqual([2, 2]);
  });

  it("zerosLike/onesLike/fullLike keep shape and dtype, unless overridden, in new storage", () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: "int32" },
    ).t();
    expect(describeTensor(zerosLike(x))).toEqual({
      shape: [3, 2],
      dtype: "int32",
      value: [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    });
    expect(onesLike(x, { dtype: "float64" }).dtype).toBe("float64");
    expect(fullLike(x, 9).toArray()).toEqual([
      [9, 9],
      [9, 9],
      [9, 9],
    ]);
    const z = zerosLike(x);
    expect(z.storage).not.toBe(x.storage);
    expect(z.isContiguous()).toBe(true);
    expect(onesLike(tensor(2)).shape).toEqual([]);
  });
});

describe("arange, linspace, eye", () => {
  it("arange with integer arguments gives int32, otherwise float32", () => {
    expect(describeTensor(arange(4))).toEqual({ shape: [4], dtype: "int32", value: [0, 1, 2, 3] });
    expect(describeTensor(arange(2, 5))).toEqual({ shape: [3], dtype: "int32", value: [2, 3, 4] });
    expect(arange(0, 10, 3).toArray()).toEqual([0, 3, 6, 9]);
    expect(describeTensor(arange(1, 2.5, 0.5))).toEqual({
      shape: [3],
      dtype: "float32",
      value: [1, 1.5, 2],
    });
    expect(arange(2.5).dtype).toBe("float32");
    expect(arange(2.5).toArray()).toEqual([0, 1, 2]);
    expect(arange(0, 1, 0.25).dtype).toBe("float32");
  });

  it("arange counts down with a negative step and stops before the end", () => {
    expect(arange(5, 0, -1).toArray()).toEqual([5, 4, 3, 2, 1]);
    expect(arange(3, -4, -3).toArray()).toEqual([3, 0, -3]);
    expect(arange(1, 0, -0.25).toArray()).toEqual([1, 0.75, 0.5, 0.25]);
    expect(arange(-2, 2).toArray()).toEqual([-2, -1, 0, 1]);
  });

  it("arange has ceil((end - start) / step) elements; empty ranges are allowed", () => {
    expect(arange(0, 1, 0.1).shape).toEqual([10]);
    expect(arange(0, 7, 2).shape).toEqual([4]);
    expect(arange(0).shape).toEqual([0]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(3, 3, -1).toArray()).toEqual([]);
  });

  it("arange takes a dtype", () => {
    expect(describeTensor(arange(3, undefined, 1, { dtype: "float64" }))).toEqual({
      shape: [3],
      dtype: "float64",
      value: [0, 1, 2],
    });
    expect(arange(0, 4, 2, { dtype: "float32" }).dtype).toBe("float32");
  });

  it("linspace includes both ends and gives float32", () => {
    const t = linspace(-1, 1, 5);
    expect(t.dtype).toBe("float32");
    expect(t.shape).toEqual([5]);
    const values = t.toArray() as number[];
    expect(values[0]).toBe(-1);
    expect(values[4]).toBe(1);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(2, 3, 0).shape).toEqual([0]);
    expect(linspace(0, 1, 5, { dtype: "float64" }).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(3, 1, 3).toArray()).toEqual([3, 2, 1]);
  });

  it("eye(n) and eye(n, m)", () => {
    expect(describeTensor(eye(2))).toEqual({
      shape: [2, 2],
      dtype: "float32",
      value: [
        [1, 0],
        [0, 1],
      ],
    });
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(3, 1).toArray()).toEqual([[1], [0], [0]]);
    expect(eye(0).shape).toEqual([0, 0]);
    expect(eye(2, 2, { dtype: "int32" }).dtype).toBe("int32");
  });
});

describe("reading values back", () => {
  const nested = (depth: number): fc.Arbitrary<unknown> =>
    fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: depth, maxLength: depth }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 27, maxLength: 27 }),
      )
      .map(([shape, pool]) => {
        let next = 0;
        const build = (d: number): unknown =>
          d === shape.length
            ? pool[next++ % pool.length]! / 8
            : Array.from({ length: shape[d]! }, () => build(d + 1));
        return build(0);
      });

  it("tensor(toArray()) and toArray(tensor(...)) round trip for any rank", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }).chain(nested), (data) => {
        const t = tensor(data as number);
        expect(t.toArray()).toEqual(data);
        expect(tensor(t.toArray() as number).toArray()).toEqual(data);
        for (const dtype of ["float64", "int32", "bool"] as const) {
          const u = t.to(dtype);
          expect(tensor(u.toArray() as number, { dtype }).toArray()).toEqual(u.toArray());
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it("toTypedArray gives a row-major copy of the dtype's typed array", () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    const values = t.toTypedArray();
    expect(values).toBeInstanceOf(Float32Array);
    values[0] = 100;
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(t.t().toTypedArray())).toEqual([1, 3, 2, 4]);
    expect(t.narrow(0, 1, 1).toTypedArray()).toEqual(new Float32Array([3, 4]));
    expect(t.int().toTypedArray()).toBeInstanceOf(Int32Array);
    expect(t.double().toTypedArray()).toBeInstanceOf(Float64Array);
    expect(Array.from(t.gt(2).toTypedArray())).toEqual([0, 0, 1, 1]);
    expect(tensor(3).toTypedArray()).toEqual(new Float32Array([3]));
  });

  it("item() works for any one-element tensor and reads through views", () => {
    expect(tensor([[[2.5]]]).item()).toBe(2.5);
    expect(tensor([1, 2, 3]).select(0, 2).item()).toBe(3);
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ])
        .t()
        .narrow(0, 1, 1)
        .narrow(1, 0, 1)
        .item(),
    ).toBe(2);
    expect(tensor([7], { dtype: "int32" }).item()).toBe(7);
    expect(tensor([[false]]).item()).toBe(false);
  });

  it("toArray of 0-d tensors is a plain value", () => {
    expect(tensor(1.5).toArray()).toBe(1.5);
    expect(tensor(true).toArray()).toBe(true);
    expect(tensor([1, 2]).sum().toArray()).toBe(3);
  });

  it("toArray reads strided views in their own order", () => {
    const t = arange(6).reshape([2, 3]);
    expect(t.t().toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(t.expand(2, 2, 3).toArray()).toEqual([t.toArray(), t.toArray()]);
    expect(t.select(1, 2).toArray()).toEqual([2, 5]);
  });
});

describe("iteration along dim 0", () => {
  it("yields the rows as views", () => {
    const t = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const rows = [...t];
    expect(rows.map((r) => r.toArray())).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    for (const row of rows) expect(row.storage).toBe(t.storage);
    rows[1]!.fill_(0);
    expect(t.toArray()).toEqual([
      [1, 2],
      [0, 0],
      [5, 6],
    ]);
  });

  it("a 1-d tensor yields 0-d tensors; destructuring works like the book's *params", () => {
    const params = tensor([2, -1]);
    const [w, b] = params;
    expect(w!.shape).toEqual([]);
    expect([w!.item(), b!.item()]).toEqual([2, -1]);
    const seen: number[] = [];
    for (const v of tensor([4, 5, 6])) seen.push(v.item() as number);
    expect(seen).toEqual([4, 5, 6]);
  });

  it("iterates strided views and yields nothing for size 0", () => {
    const t = arange(6).reshape([2, 3]).t();
    expect(Array.from(t, (r) => r.toArray())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect([...zeros([0, 3])]).toEqual([]);
  });
});
