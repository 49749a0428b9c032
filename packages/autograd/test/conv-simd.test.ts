/**
 * The direct SIMD kernels of the CNN layers (kernels/wasm/conv.wat): stride-1 convolutions
 * and their weight gradients give the bits of the im2col product (each sum in float32, in the
 * same order, computed here with an explicit im2col and the matrix kernel), relu and its
 * gradient and 2 × 2 max pooling give the TypeScript kernels' bits. (The module's bytes are
 * checked against conv.wat in packages/tensor/test/conv-wasm.test.ts.)
 */
import "@x/autograd";
import { cat, conv1d, conv2d, Generator, maxPool2d, randn, type Tensor, tensor } from "@x/tensor";
import { afterEach, describe, expect, it } from "vitest";
import {
  setWasmKernelsEnabled,
  wasmKernelsAvailable,
} from "../../tensor/src/kernels/wasm/instance";

afterEach(() => {
  setWasmKernelsEnabled(true);
});

interface Geometry {
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/** im2col of one group of one image as a [channels·kH·kW, outH·outW] tensor (zeros outside). */
function columns(x: Tensor, n: number, group: number, w: Tensor, out: Tensor, g: Geometry) {
  const [, channels, height, width] = x.shape as [number, number, number, number];
  const [, groupIn, kH, kW] = w.shape as [number, number, number, number];
  const [outH, outW] = out.shape.slice(-2) as [number, number];
  const values = x.toTypedArray();
  const cols = new Float32Array(groupIn * kH * kW * outH * outW);
  let at = 0;
  for (let c = group * groupIn; c < (group + 1) * groupIn; c++)
    for (let i = 0; i < kH; i++)
      for (let j = 0; j < kW; j++)
        for (let p = 0; p < outH; p++)
          for (let q = 0; q < outW; q++, at++) {
            const y = p - g.padding[0] + i * g.dilation[0];
            const z = q - g.padding[1] + j * g.dilation[1];
            const inside = y >= 0 && y < height && z >= 0 && z < width;
            cols[at] = inside
              ? (values[((n * channels + c) * height + y) * width + z] as number)
              : 0;
          }
  return tensor(cols).reshape([groupIn * kH * kW, outH * outW]);
}

/** The output and weight gradient of a stride-1 conv2d, from explicit im2col products. */
function im2colReference(x: Tensor, w: Tensor, b: Tensor, grad: Tensor, g: Geometry) {
  const out = conv2d(x, w, b, { padding: g.padding, dilation: g.dilation, groups: g.groups });
  const [batch] = x.shape as [number];
  const outChannels = w.shape[0] as number;
  const groupOut = outChannels / g.groups;
  const plane = numel(out.shape.slice(-2));
  const forward: Tensor[] = [];
  const weightRows: Tensor[] = [];
  for (let group = 0; group < g.groups; group++) {
    const wg = w.narrow(0, group * groupOut, groupOut).reshape([groupOut, -1]);
    const images: Tensor[] = [];
    for (let n = 0; n < batch; n++) images.push(columns(x, n, group, w, out, g));
    const all = cat(images, 1);
    // grad rows of this group, image after image: [groupOut, batch · plane]
    const gradRows = grad
      .narrow(1, group * groupOut, groupOut)
      .transpose(0, 1)
      .reshape([groupOut, batch * plane]);
    weightRows.push(gradRows.matmul(all.t()));
    forward.push(wg.matmul(all).reshape([groupOut, batch, plane]));
  }
  const product = cat(forward, 0).transpose(0, 1);
  const expected = product.add(b.reshape([1, outChannels, 1])).reshape(out.shape);
  const weightGrad = cat(weightRows, 0).reshape(w.shape);
  return { out, expected, weightGrad };
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Bit patterns, so that -0 and NaN payloads count. */
const bits = (t: Tensor) => Array.from(new Uint32Array(t.contiguous().toTypedArray().buffer));

const generator = new Generator(14);
const leaf = (...shape: number[]) => randn(shape, { generator }).requiresGrad_(true);

describe.runIf(wasmKernelsAvailable())("direct convolution kernels", () => {
  it.each([
    [
      "3x3 padding 1, 8 channels (the bench's layer)",
      [4, 3, 12, 16],
      [8, 3, 3, 3],
      [1, 1],
      [1, 1],
      1,
    ],
    [
      "odd width, 11 output channels (3 blocks, 2 panels)",
      [2, 5, 9, 13],
      [11, 5, 3, 3],
      [1, 1],
      [1, 1],
      1,
    ],
    ["dilation 2, no padding", [3, 2, 14, 15], [6, 2, 3, 3], [0, 0], [2, 2], 1],
    ["5x2 kernel, uneven padding", [2, 4, 10, 12], [7, 4, 5, 2], [2, 0], [1, 1], 1],
    ["groups 2", [2, 6, 10, 10], [10, 3, 3, 3], [1, 1], [1, 1], 2],
  ] as const)(
    "%s: output and weight gradient are the im2col product's bits",
    (_, xs, ws, padding, dilation, groups) => {
      const x = randn([...xs], { generator });
      const w = leaf(...ws);
      const b = leaf(ws[0]);
      const g: Geometry = { padding: [...padding], dilation: [...dilation], groups };
      const probe = conv2d(x, w, b, { padding: g.padding, dilation: g.dilation, groups });
      const grad = randn(probe.shape, { generator });
      const { out, expected, weightGrad } = im2colReference(x, w.detach(), b.detach(), grad, g);
      expect(bits(out)).toEqual(bits(expected));
      probe.backward(grad);
      expect(bits(w.grad as Tensor)).toEqual(bits(weightGrad));
      // the bias gradient the weight gradient's kernel sums on the way is sum()'s, bit for bit
      expect(bits(b.grad as Tensor)).toEqual(bits(grad.sum([0, 2, 3])));
    },
  );

  it("sums the bias gradient across chunks of a large batch in sum()'s order", () => {
    const x = randn([2, 16, 48, 48], { generator });
    const w = leaf(3, 16, 11, 11);
    const b = leaf(3);
    const out = conv2d(x, w, b, { padding: 5 });
    const grad = randn(out.shape, { generator });
    out.backward(grad);
    expect(bits(b.grad as Tensor)).toEqual(bits(grad.sum([0, 2, 3])));
  });

  it("cuts a large batch into chunks and adds the weight gradients of the chunks", () => {
    // 16 channels of 11 x 11 taps over a 48 x 48 grid: more than one chunk's columns per image
    const x = randn([2, 16, 48, 48], { generator });
    const w = leaf(2, 16, 11, 11);
    const out = conv2d(x, w, null, { padding: 5 });
    const grad = randn(out.shape, { generator });
    out.backward(grad);
    const perImage = [0, 1].map((n) => {
      const xn = x.narrow(0, n, 1);
      const wn = w.detach().requiresGrad_(true);
      conv2d(xn, wn, null, { padding: 5 }).backward(grad.narrow(0, n, 1));
      return wn.grad as Tensor;
    });
    expect(bits(w.grad as Tensor)).toEqual(
      bits((perImage[0] as Tensor).add(perImage[1] as Tensor)),
    );
  });

  it("gives conv1d the same bits with and without the kernels, up to float32 rounding", () => {
    const x = randn([3, 4, 40], { generator });
    const w = randn([6, 4, 5], { generator });
    const fast = conv1d(x, w, null, { padding: 2 });
    setWasmKernelsEnabled(false);
    const slow = conv1d(x, w, null, { padding: 2 });
    expect(fast.sub(slow).abs().max().item()).toBeLessThan(1e-5);
  });
});

describe.runIf(wasmKernelsAvailable())("relu and max pooling kernels", () => {
  /** 2 planes of 8 x 16 with NaN, ±∞, −0 and ties among random values. */
  function awkward(): Float32Array {
    const values = randn([2 * 8 * 16], { generator }).toTypedArray() as Float32Array;
    values.set([Number.NaN, 1, 1, Number.NaN], 0); // a NaN first, a NaN last in one window
    values.set([-0, 0, -0, -0], 16);
    values.set([5, 5, 5, 5], 34);
    for (const at of [40, 41, 56, 57]) values[at] = Number.NEGATIVE_INFINITY; // an all −∞ window
    values[70] = Number.POSITIVE_INFINITY;
    return values;
  }

  /** The window gradients: 1, 2, 3, …, or the given values. */
  function poolBoth(values: Float32Array, shape = [1, 2, 8, 16], grads?: number[]) {
    const run = () => {
      const x = tensor(values).reshape(shape).requiresGrad_(true);
      const y = maxPool2d(x, 2);
      const g = grads ?? Array.from({ length: y.numel() }, (_, i) => i + 1);
      y.backward(tensor(g).reshape(y.shape));
      return { values: bits(y), grad: bits(x.grad as Tensor) };
    };
    const fast = run();
    setWasmKernelsEnabled(false);
    const slow = run();
    return { fast, slow };
  }

  it("max pooling 2 x 2 gives the TypeScript kernel's maxima and gradient positions", () => {
    const { fast, slow } = poolBoth(awkward());
    expect(fast.values).toEqual(slow.values);
    expect(fast.grad).toEqual(slow.grad);
  });

  it("max pooling 2 x 2 of odd-sized planes, with −0, NaN and ±∞ gradients: the scatter's bits", () => {
    const values = randn([2 * 9 * 17], { generator }).toTypedArray() as Float32Array;
    const grads = Array.from({ length: 2 * 4 * 8 }, (_, i) => i - 20);
    grads.splice(0, 4, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const { fast, slow } = poolBoth(values, [1, 2, 9, 17], grads);
    expect(fast.values).toEqual(slow.values);
    expect(fast.grad).toEqual(slow.grad);
  });

  it("relu and its gradient give the TypeScript kernels' bits (NaN kept, −0 to 0)", () => {
    const values = randn([4100], { generator }).toTypedArray() as Float32Array;
    values.set([Number.NaN, -0, 0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY], 4090);
    const run = () => {
      const x = tensor(values).requiresGrad_(true);
      const y = x.relu();
      y.backward(randn([4100], { generator: new Generator(3) }));
      return { y: bits(y), grad: bits(x.grad as Tensor) };
    };
    const fast = run();
    setWasmKernelsEnabled(false);
    expect(run()).toEqual(fast);
  });
});
