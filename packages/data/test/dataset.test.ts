import { arange, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { Subset, TensorDataset } from "../src/index";
import { catchDataError, expectDataError } from "./helpers";

const x = arange(12).float().reshape([6, 2]);
const y = tensor([0, 10, 20, 30, 40, 50]);

describe("TensorDataset", () => {
  it("has the shared first dimension as length and returns rows of every tensor", () => {
    const dataset = new TensorDataset(x, y);
    expect(dataset.length).toBe(6);
    const [xi, yi] = dataset.get(4);
    expect(xi?.toArray()).toEqual([8, 9]);
    expect(yi?.item()).toBe(40);
    expect(dataset.tensors[0]).toBe(x);
    expect(dataset.tensors[1]).toBe(y);
  });

  it("rejects tensors with different first dimensions, naming both shapes", () => {
    expectDataError(
      () => new TensorDataset(x, zeros([5])),
      "SHAPE_MISMATCH",
      "TensorDataset: size mismatch between tensors, first dimension 6 vs 5 (tensor 0 has shape [6, 2], tensor 1 has shape [5]). Hint: every tensor needs one row per sample.",
    );
  });

  it("rejects no tensors, 0-d tensors and non-tensors", () => {
    expectDataError(
      () => new TensorDataset(),
      "INVALID_ARGUMENT",
      "TensorDataset: expects at least one tensor, but got none. Hint: new TensorDataset(x, y).",
    );
    expectDataError(
      () => new TensorDataset(x, tensor(3)),
      "INVALID_ARGUMENT",
      "TensorDataset: argument 1 must be a tensor with at least one dimension, but got a 0-d tensor. Hint: the first dimension indexes the samples.",
    );
    catchDataError(() => new TensorDataset([1, 2] as never), "INVALID_ARGUMENT");
  });

  it("checks the index of get()", () => {
    const dataset = new TensorDataset(x, y);
    for (const index of [6, -1, 1.5]) {
      expectDataError(
        () => dataset.get(index),
        "INDEX_OUT_OF_RANGE",
        `TensorDataset.get: index ${index} is out of range for the dataset of length 6, expected an integer in [0, 6). Hint: valid indices are 0 … 5.`,
      );
    }
  });
});

describe("Subset", () => {
  const dataset = new TensorDataset(x, y);

  it("maps its indices into the dataset, from an array or an int32 tensor", () => {
    for (const indices of [[5, 0, 3], tensor([5, 0, 3], { dtype: "int32" })]) {
      const subset = new Subset(dataset, indices);
      expect(subset.length).toBe(3);
      expect(subset.indices.dtype).toBe("int32");
      expect(subset.indices.toArray()).toEqual([5, 0, 3]);
      expect(subset.get(0)[1]?.item()).toBe(50);
      expect(subset.get(2)[0]?.toArray()).toEqual([6, 7]);
      expect(subset.dataset).toBe(dataset);
    }
  });

  it("nests, and an empty subset has length 0", () => {
    const inner = new Subset(dataset, [4, 3, 2]);
    const outer = new Subset(inner, [2, 0]);
    expect(outer.get(0)[1]?.item()).toBe(20);
    expect(outer.get(1)[1]?.item()).toBe(40);
    expect(new Subset(dataset, []).length).toBe(0);
  });

  it("rejects indices outside the dataset when built", () => {
    expectDataError(
      () => new Subset(dataset, [0, 6]),
      "INDEX_OUT_OF_RANGE",
      "Subset: index 6 is out of range for the wrapped dataset of length 6, expected an integer in [0, 6). Hint: valid indices are 0 … 5.",
    );
    catchDataError(() => new Subset(dataset, [-1]), "INDEX_OUT_OF_RANGE");
  });

  it("rejects index tensors that are not 1-d int32", () => {
    expectDataError(
      () => new Subset(dataset, tensor([0, 1])),
      "INVALID_ARGUMENT",
      "Subset: indices must be a 1-d int32 tensor or an array of integers, but got a 1-d float32 tensor of shape [2]. Hint: use randperm(n) or tensor([...], { dtype: 'int32' }).",
    );
  });

  it("checks the index of get()", () => {
    expectDataError(
      () => new Subset(dataset, [1, 2]).get(2),
      "INDEX_OUT_OF_RANGE",
      "Subset.get: index 2 is out of range for the subset of length 2, expected an integer in [0, 2). Hint: valid indices are 0 … 1.",
    );
  });
});
