import "@x/autograd";
import { gradcheck } from "@x/autograd";
import { NNError } from "@x/nn";
import * as functional from "@x/nn/functional";
import { type DType, Generator, randn, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { huberLoss, l1Loss, mseLoss } from "../src/index";
import { expectClose, fixture } from "./helpers";

const losses = { mse_loss: mseLoss, l1_loss: l1Loss, huber_loss: huberLoss } as const;
const reductions = ["mean", "sum", "none"] as const;

interface Case {
  name: string;
  fn: keyof typeof losses;
  options: { delta?: number };
  prediction: number[];
  target: number[];
  shape: number[];
  dtype: DType;
  results: Record<(typeof reductions)[number], { loss: number | number[]; grad: number[] }>;
}

const { cases } = fixture<{ cases: Case[] }>("losses.json");

describe("losses match torch.nn.functional (fixtures/generate.py)", () => {
  for (const c of cases) {
    for (const reduction of reductions) {
      it(`${c.name}, reduction '${reduction}'`, () => {
        const options = { dtype: c.dtype };
        const prediction = tensor(c.prediction, { ...options, requiresGrad: true });
        const target = tensor(c.target, options).reshape(c.shape);
        const shaped = prediction.reshape(c.shape);
        const loss = losses[c.fn](shaped, target, { ...c.options, reduction });
        const expected = c.results[reduction];
        expect(loss.dtype).toBe(c.dtype);
        expect(loss.shape).toEqual(reduction === "none" ? c.shape : []);
        expectClose(loss.toArray(), expected.loss, 1e-6, 1e-7);
        (reduction === "none" ? loss.sum() : loss).backward();
        expectClose(prediction.grad?.toArray(), expected.grad, 1e-6, 1e-7);
      });
    }
  }
});

describe("loss gradients pass finite-difference checks (float64)", () => {
  const generator = new Generator().manualSeed(5);
  const prediction = randn([5, 2], { dtype: "float64", requiresGrad: true, generator });
  const target = randn([5, 2], { dtype: "float64", generator });
  it.each([
    ["mseLoss", mseLoss],
    ["l1Loss", l1Loss],
    ["huberLoss", huberLoss],
  ] as const)("%s", (_, fn) => {
    for (const reduction of reductions) {
      expect(gradcheck((p) => fn(p, target, { reduction }), [prediction])).toBe(true);
    }
    expect(gradcheck((p, t) => fn(p, t), [prediction, target.clone().requiresGrad_()])).toBe(true);
  });
  it("huberLoss with delta 0.3", () => {
    expect(gradcheck((p) => huberLoss(p, target, { delta: 0.3 }), [prediction])).toBe(true);
  });
});

describe("losses reject bad input", () => {
  const n1 = tensor([[1], [2], [3]]);
  const n = tensor([1, 2, 3]);

  it.each([
    ["mseLoss", mseLoss],
    ["l1Loss", l1Loss],
    ["huberLoss", huberLoss],
  ] as const)(
    "%s: [n, 1] vs [n] is a SHAPE_MISMATCH naming both shapes and the fix",
    (name, fn) => {
      const call = () => fn(n1, n);
      expect(call).toThrow(NNError);
      expect(call).toThrow(
        `${name}: input and target must have the same shape, [3, 1] vs [3] (PyTorch would broadcast them and silently compare every prediction with every target). Hint: make the shapes equal, e.g. input.squeeze(-1) for [n, 1] vs [n], or target.unsqueeze(-1) for [n] vs [n, 1].`,
      );
      expect(() => fn(n, n1)).toThrow("[3] vs [3, 1]");
      try {
        call();
      } catch (error) {
        expect(NNError.isInstance(error) && error.code).toBe("SHAPE_MISMATCH");
      }
    },
  );

  it("rejects a scalar against a vector (no broadcasting at all)", () => {
    expect(() => mseLoss(tensor(1), n)).toThrow(
      "mseLoss: input and target must have the same shape, [] vs [3]",
    );
  });

  it("rejects an unknown reduction", () => {
    expect(() => mseLoss(n, n, { reduction: "avg" as "mean" })).toThrow(
      "mseLoss: reduction must be one of 'mean', 'sum', 'none', but got \"avg\".",
    );
  });

  it("rejects non-tensor inputs", () => {
    expect(() => l1Loss([1, 2] as unknown as Tensor, n)).toThrow(
      "l1Loss: argument 'input' must be a Tensor, but got [1, 2]. Hint: create one with tensor(...).",
    );
    expect(() => l1Loss(n, undefined as unknown as Tensor)).toThrow(
      "l1Loss: argument 'target' must be a Tensor, but got undefined.",
    );
  });

  it("rejects a non-positive or non-finite delta", () => {
    expect(() => huberLoss(n, n, { delta: 0 })).toThrow(
      "huberLoss: delta must be > 0 and finite, but got 0. Hint: the default is 1.",
    );
    expect(() => huberLoss(n, n, { delta: -1 })).toThrow(
      "huberLoss: delta must be > 0 and finite, but got -1.",
    );
    expect(() => huberLoss(n, n, { delta: Number.NaN })).toThrow("but got NaN");
  });

  it("the errors are @x/nn's NNErrors with code INVALID_ARGUMENT", () => {
    try {
      huberLoss(n, n, { delta: 0 });
      expect.fail("no error");
    } catch (error) {
      expect(error).toBeInstanceOf(NNError);
      expect((error as NNError).code).toBe("INVALID_ARGUMENT");
    }
  });

  it("are @x/nn/functional's functions themselves, not copies", () => {
    expect([mseLoss, l1Loss, huberLoss]).toEqual([
      functional.mseLoss,
      functional.l1Loss,
      functional.huberLoss,
    ]);
    expect(mseLoss).toBe(functional.mseLoss);
  });
});
