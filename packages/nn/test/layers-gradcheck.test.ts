/**
 * float64 gradcheck (finite differences vs autograd) of the layers and of pad, interpolate,
 * normalize, embedding, bilinear and dropout; gradgradcheck where the function is smooth.
 */
import { gradcheck, gradgradcheck } from "@x/autograd";
import { Conv1d, Conv2d, ConvTranspose2d } from "@x/nn";
import {
  bilinear,
  dropout,
  embedding,
  interpolate,
  normalize,
  type PadMode,
  pad,
} from "@x/nn/functional";
import { Generator, randn, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";

const generator = new Generator(14);
const input = (...shape: number[]): Tensor =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_();

describe("gradcheck (float64)", () => {
  const modes: PadMode[] = ["constant", "reflect", "replicate", "circular"];
  it.each(modes)("pad, mode %s, growing and cropping", (mode) => {
    for (const amounts of [
      [2, 1, 0, 1],
      [1, 2, 2, 0],
      [-1, 2, 1, -1],
    ]) {
      const x = input(1, 2, 4, 3);
      const f = (t: Tensor) => pad(t, amounts, { mode });
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    }
  });

  it("interpolate, nearest and bilinear", () => {
    const x = input(1, 2, 3, 4);
    for (const options of [
      { scaleFactor: 2 },
      { size: [5, 3] },
      { size: [5, 7], mode: "bilinear" as const },
      { scaleFactor: 0.7, mode: "bilinear" as const, alignCorners: true },
    ]) {
      const f = (t: Tensor) => interpolate(t, options);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    }
  });

  it("normalize, p 1, 2, 3 and ∞ along either dim", () => {
    for (const p of [1, 2, 3, Infinity]) {
      for (const dim of [0, 1]) {
        const x = input(3, 4);
        expect(gradcheck((t: Tensor) => normalize(t, { p, dim }), [x])).toBe(true);
      }
    }
  });

  it("embedding, repeated rows", () => {
    // (the padding row's gradient is zero by design, so finite differences do not apply to it)
    const indices = tensor(
      [
        [0, 2, 2],
        [1, 0, 3],
      ],
      { dtype: "int32" },
    );
    const weight = input(4, 3);
    expect(gradcheck((w: Tensor) => embedding(indices, w), [weight])).toBe(true);
    expect(gradgradcheck((w: Tensor) => embedding(indices, w), [weight])).toBe(true);
  });

  it("bilinear, with and without bias", () => {
    const [a, b, w, bias] = [input(3, 2), input(3, 4), input(5, 2, 4), input(5)];
    expect(gradcheck(bilinear, [a, b, w, bias])).toBe(true);
    expect(gradgradcheck(bilinear, [a, b, w, bias])).toBe(true);
    expect(gradcheck((x, y, v) => bilinear(x, y, v), [a, b, w])).toBe(true);
  });

  it("dropout with a fixed mask (the generator re-seeded on every call)", () => {
    const x = input(4, 5);
    const f = (t: Tensor) => dropout(t, 0.4, true, { generator: new Generator(3) });
    expect(gradcheck(f, [x])).toBe(true);
  });

  it("the convolution layers with padding modes", () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, paddingMode: "reflect" }).to("float64");
    expect(gradcheck((x: Tensor) => conv.forward(x), [input(1, 2, 4, 4)])).toBe(true);
    const conv1 = new Conv1d(2, 2, 3, { padding: "same", paddingMode: "circular" }).to("float64");
    expect(gradcheck((x: Tensor) => conv1.forward(x), [input(2, 2, 5)])).toBe(true);
    const up = new ConvTranspose2d(2, 1, 2, { stride: 2 }).to("float64");
    expect(gradcheck((x: Tensor) => up.forward(x), [input(1, 2, 2, 3)])).toBe(true);
  });
});
