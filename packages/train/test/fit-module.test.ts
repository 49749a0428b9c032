/**
 * `fit` and `evaluate` with an `@x/nn` module as the model: the book's chapter-6 network
 * (Linear(1, 13) → Tanh → Linear(13, 1)) trains through its `forward`, its `parameters()` are
 * what `fit` tracks when `params` is omitted, and the result equals the hand-written loop.
 */
import "@x/autograd";
import { Linear, Sequential, Tanh } from "@x/nn";
import { SGD } from "@x/optim";
import { manualSeed, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { evaluate, fit, mseLoss, TrainError } from "../src/index";
import { tC, tU } from "./helpers";

const x = tU.mul(0.1).unsqueeze(1);
const y = tC.unsqueeze(1);

function chapter6(): Sequential {
  manualSeed(0);
  return new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
}

const values = (model: Sequential) => [...model.parameters()].map((p: Tensor) => p.toArray());

describe("fit with a module as the model", () => {
  it("trains the module's parameters exactly as the hand-written loop", () => {
    const byHand = chapter6();
    const handOptimizer = new SGD([...byHand.parameters()], { lr: 1e-3 });
    let last = 0;
    for (let epoch = 0; epoch < 200; epoch++) {
      handOptimizer.zeroGrad();
      const loss = mseLoss(byHand.forward(x), y);
      last = loss.item();
      loss.backward();
      handOptimizer.step();
    }
    const model = chapter6();
    const history = fit({
      model,
      lossFn: mseLoss,
      optimizer: new SGD([...model.parameters()], { lr: 1e-3 }),
      train: { x, y },
      epochs: 200,
    });
    expect(history.last?.trainLoss).toBe(last);
    expect(values(model)).toEqual(values(byHand));
    expect(evaluate({ model, lossFn: mseLoss, data: { x, y } })).toBe(
      mseLoss(model.forward(x), y).item(),
    );
  });

  it("restores the module's parameters for earlyStopping.restoreBest", () => {
    const model = chapter6();
    const initial = values(model);
    // validation wants the opposite of training, so its best epoch is the first (before any step)
    const history = fit({
      model,
      lossFn: mseLoss,
      optimizer: new SGD([...model.parameters()], { lr: 1e-3 }),
      train: { x, y },
      val: { x, y: y.neg() },
      epochs: 5,
      earlyStopping: { patience: 10, restoreBest: true },
    });
    expect(history.restoredEpoch).toBe(1);
    expect(values(model)).toEqual(initial);
  });

  it("rejects a model that is neither a function nor a module", () => {
    const error = (() => {
      try {
        fit({
          model: {} as never,
          lossFn: mseLoss,
          optimizer: new SGD([...chapter6().parameters()], { lr: 1 }),
          train: { x, y },
          epochs: 1,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(TrainError.isInstance(error) && error.code).toBe("INVALID_OPTION");
    expect((error as Error).message).toContain(
      "model must be a function (x) => prediction or a module with forward() and parameters()",
    );
  });
});
