/**
 * What the layers and functions do beyond their values: train/eval, padding rows, frozen tables,
 * output sizes, the functional re-exports, and the typed errors (code, the layer or function, the
 * expected and the actual shapes).
 */
import { grad } from "@x/autograd";
import {
  AdaptiveAvgPool2d,
  Bilinear,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dropout,
  Embedding,
  MaxPool2d,
  NNError,
  Sequential,
} from "@x/nn";
import * as F from "@x/nn/functional";
import * as T from "@x/tensor";
import { Generator, manualSeed, ones, randn, type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage.ts";

/** The code and message of the error `fn` throws. */
function failure(fn: () => unknown): { code: string; message: string } {
  const error = thrownBy(fn);
  if (!NNError.isInstance(error) && !(error instanceof T.TensorError)) throw error;
  return { code: (error as NNError).code, message: (error as Error).message };
}

describe("Dropout", () => {
  it("zeroes and scales in training, is the identity in eval mode", () => {
    const drop = new Dropout(0.5);
    const x = ones(200);
    manualSeed(0);
    const out = drop.forward(x).toArray() as number[];
    expect(new Set(out)).toEqual(new Set([0, 2]));
    drop.eval();
    expect(drop.forward(x)).toBe(x);
    expect(new Sequential(new Dropout(0.1)).toString()).toBe(
      "Sequential(\n  (0): Dropout(p=0.1, inplace=False)\n)",
    );
  });

  it("draws the mask from the given generator", () => {
    const x = ones(50);
    const a = F.dropout(x, 0.3, true, { generator: new Generator(7) });
    const b = F.dropout(x, 0.3, true, { generator: new Generator(7) });
    expect(a.toArray()).toEqual(b.toArray());
  });

  it("rejects probabilities outside [0, 1] and integer inputs", () => {
    expect(failure(() => new Dropout(1.5))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining(
        "Dropout: dropout probability has to be between 0 and 1, but got 1.5",
      ),
    });
    expect(failure(() => F.dropout(ones(2), -0.1))).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(failure(() => F.dropout(ones(2, { dtype: "int32" }), 0.5))).toMatchObject({
      code: "INVALID_DTYPE",
    });
  });
});

describe("Embedding", () => {
  it("zeroes the padding row at initialisation and gives it no gradient", () => {
    const table = new Embedding(5, 3, { paddingIdx: -2 });
    expect(table.paddingIdx).toBe(3);
    expect(table.weight.select(0, 3).toArray()).toEqual([0, 0, 0]);
    const out = table.forward(
      tensor(
        [
          [3, 1],
          [3, 3],
        ],
        { dtype: "int32" },
      ),
    );
    expect(out.shape).toEqual([2, 2, 3]);
    const [g] = grad(out.sum(), [table.weight]);
    expect((g as Tensor).toArray()).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(table.toString()).toBe("Embedding(5, 3, padding_idx=3)");
  });

  it("fromPretrained copies the table, freezes it unless told not to, and draws nothing", () => {
    const weights = tensor([
      [1, 2],
      [3, 4],
    ]);
    manualSeed(5);
    const frozen = Embedding.fromPretrained(weights, { paddingIdx: 0 });
    const next = randn(3).toArray();
    manualSeed(5);
    expect(randn(3).toArray()).toEqual(next);
    expect(frozen.weight.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.forward(tensor([1], { dtype: "int32" })).toArray()).toEqual([[3, 4]]);
    expect(Embedding.fromPretrained(weights, { freeze: false }).weight.requiresGrad).toBe(true);
    expect(failure(() => Embedding.fromPretrained(ones(3)))).toMatchObject({
      code: "SHAPE_MISMATCH",
    });
  });

  it("rejects float indices, indices out of range and padding rows out of range", () => {
    const table = new Embedding(4, 2);
    expect(failure(() => table.forward(tensor([1.0])))).toMatchObject({
      code: "INVALID_DTYPE",
      message: expect.stringContaining("Embedding(4, 2) expects int32 indices, but got float32"),
    });
    expect(failure(() => table.forward(tensor([4], { dtype: "int32" })))).toMatchObject({
      code: "INDEX_OUT_OF_RANGE",
      message: expect.stringContaining("index 4 is out of range"),
    });
    expect(failure(() => new Embedding(4, 2, { paddingIdx: 4 }))).toMatchObject({
      code: "INDEX_OUT_OF_RANGE",
    });
  });
});

describe("convolution and pooling layers", () => {
  it("name the layer, the expected and the actual shape for a wrong input", () => {
    const conv = new Conv2d(3, 8, 3);
    expect(failure(() => conv.forward(zeros(1, 4, 8, 8)))).toEqual({
      code: "SHAPE_MISMATCH",
      message: expect.stringContaining(
        "Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)) expects an input of shape [N, 3, H, W] or [3, H, W], but got [1, 4, 8, 8]",
      ),
    });
    expect(failure(() => new Conv1d(2, 2, 3).forward(zeros(2)))).toMatchObject({
      code: "SHAPE_MISMATCH",
      message: expect.stringContaining("[N, 2, L] or [2, L], but got [2]"),
    });
    expect(failure(() => new MaxPool2d(2).forward(zeros(4, 4)))).toMatchObject({
      code: "SHAPE_MISMATCH",
      message: expect.stringContaining(
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False) expects an input of shape [N, C, H, W] or [C, H, W], but got [4, 4]",
      ),
    });
    expect(failure(() => new AdaptiveAvgPool2d(1).forward(zeros(2)))).toMatchObject({
      code: "SHAPE_MISMATCH",
    });
    expect(failure(() => new Bilinear(2, 3, 4).forward(zeros(5, 2), zeros(5, 2)))).toMatchObject({
      code: "SHAPE_MISMATCH",
      message: expect.stringContaining(
        "expects inputs of shape [*, 2] and [*, 3], but got [5, 2] and [5, 2]",
      ),
    });
  });

  it("reject bad constructor arguments", () => {
    expect(failure(() => new Conv2d(3, 8, 3, { groups: 2 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("divisible by groups (2)"),
    });
    expect(failure(() => new Conv2d(3, 8, 0))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("kernel_size"),
    });
    expect(failure(() => new Conv2d(3, 8, 3, { stride: 2, padding: "same" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(failure(() => new Conv2d(3, 8, 3, { paddingMode: "mirror" as never }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("padding_mode"),
    });
  });

  it("ConvTranspose2d picks the output padding for a requested output size", () => {
    const up = new ConvTranspose2d(2, 1, 3, { stride: 2, padding: 1 });
    const x = randn(1, 2, 4, 4);
    expect(up.forward(x).shape).toEqual([1, 1, 7, 7]);
    expect(up.forward(x, [8, 8]).shape).toEqual([1, 1, 8, 8]);
    expect(up.forward(x, [1, 1, 7, 8]).shape).toEqual([1, 1, 7, 8]);
    expect(failure(() => up.forward(x, [9, 9]))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("valid sizes of dim 0 range from 7 to 8"),
    });
  });

  it("MaxPool2d with returnIndices gives values and indices", () => {
    const pooled = new MaxPool2d(2, { returnIndices: true }).forward(
      tensor([
        [
          [1, 5],
          [3, 2],
        ],
      ]),
    ) as T.MaxPoolResult;
    expect(pooled.values.toArray()).toEqual([[[5]]]);
    expect(pooled.indices.toArray()).toEqual([[[1]]]);
  });
});

describe("nn.functional", () => {
  it("re-exports @x/tensor's convolutions, pools, activations and oneHot", () => {
    const names = [
      "conv1d",
      "conv2d",
      "convTranspose2d",
      "maxPool1d",
      "maxPool2d",
      "avgPool1d",
      "avgPool2d",
      "adaptiveAvgPool2d",
      "oneHot",
      "relu",
      "sigmoid",
      "tanh",
      "gelu",
      "silu",
      "mish",
      "softplus",
      "softsign",
      "logsigmoid",
      "leakyRelu",
      "elu",
      "celu",
      "selu",
      "relu6",
      "hardswish",
      "hardsigmoid",
      "hardtanh",
      "softmax",
      "logSoftmax",
      "softmin",
    ] as const;
    const functional: Record<string, unknown> = { ...F };
    const tensorOps: Record<string, unknown> = { ...T };
    for (const name of names) {
      expect(functional[name]).toBeTypeOf("function");
      expect([name, functional[name]]).toEqual([name, tensorOps[name]]);
    }
  });

  it("pad rejects odd lengths, too much reflection, values in other modes and wrapping twice", () => {
    const x = zeros(1, 2, 3);
    expect(failure(() => F.pad(x, [1]))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("even length"),
    });
    expect(failure(() => F.pad(x, [3, 0], { mode: "reflect" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("reflect padding must be smaller than the dim's size 3"),
    });
    expect(failure(() => F.pad(x, [1, 1], { mode: "replicate", value: 2 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("doesn't take in value argument"),
    });
    expect(failure(() => F.pad(x, [4, 0], { mode: "circular" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("wrap at most once"),
    });
    expect(failure(() => F.pad(x, [1, 1, 1, 1], { mode: "circular" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("expects a 4-d input"),
    });
    expect(failure(() => F.pad(x, [0, 0, 0, 0, 0, 0, 0, 0]))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(failure(() => F.pad(x, [1, 1], { mode: "edge" as never }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("interpolate rejects size with scaleFactor, alignCorners with nearest, bilinear of 3-d input", () => {
    const x = zeros(1, 1, 2, 2);
    expect(failure(() => F.interpolate(x, { size: 4, scaleFactor: 2 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("got both"),
    });
    expect(failure(() => F.interpolate(x, {}))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("got neither"),
    });
    expect(failure(() => F.interpolate(x, { size: 4, alignCorners: true }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(
      failure(() => F.interpolate(zeros(1, 1, 3), { size: 4, mode: "bilinear" })),
    ).toMatchObject({
      code: "SHAPE_MISMATCH",
      message: expect.stringContaining("but got shape [1, 1, 3]"),
    });
    expect(failure(() => F.interpolate(x, { size: [4, 4, 4] }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(failure(() => F.interpolate(x, { scaleFactor: 0.1 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("must be positive"),
    });
  });

  it("normalize and bilinear reject bad arguments", () => {
    expect(failure(() => F.normalize(ones(2, 2), { p: 0 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(failure(() => F.normalize(ones(2, 2), { dim: 2 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(failure(() => F.bilinear(ones(2, 3), ones(3, 4), ones(5, 3, 4)))).toMatchObject({
      code: "SHAPE_MISMATCH",
    });
    expect(failure(() => F.embedding(tensor([0.5]), ones(2, 2)))).toMatchObject({
      code: "INVALID_DTYPE",
    });
  });
});
