/**
 * `fit` and `evaluate` switch a module between training and evaluation mode as a PyTorch loop
 * does: `model.train()` for the training steps, `model.eval()` while the validation loss is
 * measured, and the mode the module had before afterwards.
 */
import "@x/autograd";
import { Linear, Module } from "@x/nn";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { evaluate, fit, mseLoss } from "../src/index";

/** A linear layer that records its mode at every forward pass ("train" or "eval"). */
class ModeRecorder extends Module {
  layer = new Linear(1, 1);
  modes: string[] = [];

  forward(x: Tensor): Tensor {
    this.modes.push(this.training ? "train" : "eval");
    return this.layer.forward(x);
  }
}

const x = tensor([[1], [2], [3], [4]]);
const y = tensor([[2], [4], [6], [8]]);
const optimizerOf = (model: Module) => new SGD([...model.parameters()], { lr: 1e-2 });

describe("fit and evaluate set the module's mode", () => {
  it("trains in training mode and validates in evaluation mode (full batch)", () => {
    const model = new ModeRecorder();
    model.eval(); // fit switches to training mode for the steps, then gives this mode back
    fit({
      model,
      lossFn: mseLoss,
      optimizer: optimizerOf(model),
      train: { x, y },
      val: { x, y },
      epochs: 3,
    });
    expect(model.modes).toEqual(["train", "eval", "train", "eval", "train", "eval"]);
    expect(model.training).toBe(false);
    expect(model.layer.training).toBe(false);
  });

  it("trains every batch of a loader in training mode, then validates in evaluation mode", () => {
    const model = new ModeRecorder();
    const batches = [
      [x.narrow(0, 0, 2), y.narrow(0, 0, 2)],
      [x.narrow(0, 2, 2), y.narrow(0, 2, 2)],
    ];
    fit({
      model,
      lossFn: mseLoss,
      optimizer: optimizerOf(model),
      train: batches,
      val: batches,
      epochs: 1,
    });
    expect(model.modes).toEqual(["train", "train", "eval", "eval"]);
    expect(model.training).toBe(true);
  });

  it("evaluates in evaluation mode and restores training mode", () => {
    const model = new ModeRecorder();
    evaluate({ model, lossFn: mseLoss, data: { x, y } });
    expect(model.modes).toEqual(["eval"]);
    expect(model.training).toBe(true);
    expect(model.layer.training).toBe(true);
  });

  it("restores the mode when the loss throws", () => {
    const model = new ModeRecorder();
    const failing = () => {
      throw new Error("loss failed");
    };
    expect(() => evaluate({ model, lossFn: failing, data: { x, y } })).toThrow("loss failed");
    expect(model.training).toBe(true);
  });
});
