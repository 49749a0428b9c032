import "@x/autograd";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { DivergenceError, evaluate, fit, mseLoss, TrainError } from "../src/index";
import { book, expectClose, linearModel, tC, thrownBy, tU } from "./helpers";

const split = book["train_val_split_sgd_normalized_lr1e-2_3000_epochs"];
const tUn = tU.mul(0.1);
const train = {
  x: tUn.indexSelect(0, split.train_indices),
  y: tC.indexSelect(0, split.train_indices),
};
const val = { x: tUn.indexSelect(0, split.val_indices), y: tC.indexSelect(0, split.val_indices) };

/** `fit` options for the book's split run from params [1, 0]; `weights` is that tensor. */
function setup(lr = 1e-2) {
  const weights = tensor([1.0, 0.0], { requiresGrad: true });
  const model = linearModel(weights);
  const options = {
    params: [weights],
    model,
    lossFn: mseLoss,
    optimizer: new SGD([weights], { lr }),
    train,
    val,
  };
  return { weights, model, options };
}

describe("the book's training/validation split (book-ch5.json, PyTorch 1.13)", () => {
  it("reproduces w, b and the final training and validation losses after 3000 epochs", () => {
    const { weights, options } = setup();
    const history = fit({ ...options, epochs: 3000 });
    const [w, b] = weights.toArray() as number[];
    expectClose(w, split.params[0], 1e-5, 0);
    expectClose(b, split.params[1], 1e-5, 0);
    const last = history.records.at(-1);
    expect(last?.epoch).toBe(3000);
    expectClose(last?.trainLoss, split.final_train_loss, 1e-5, 0);
    expectClose(last?.valLoss, split.final_val_loss, 1e-5, 0);
    expect(history.records).toHaveLength(3000);
    expect(history.records.map((r) => r.epoch).slice(0, 3)).toEqual([1, 2, 3]);
    expect(history.records.every((r) => r.lr === 1e-2 && r.ms >= 0)).toBe(true);
    expect(history.stopReason).toBe("completed");
    expect(history.stoppedEarly).toBe(false);
  });

  it("measures each epoch's validation loss at the parameters of its training loss, before the step", () => {
    const history = fit({ ...setup().options, epochs: 2 });
    // Replay by hand: evaluate at [1, 0], take one SGD step, evaluate again.
    const replay = setup();
    const at = (data: { x: Tensor; y: Tensor }) =>
      evaluate({ model: replay.model, lossFn: mseLoss, data });
    const first = { trainLoss: at(train), valLoss: at(val) };
    mseLoss(replay.model(train.x), train.y).backward();
    replay.options.optimizer.step();
    const second = { trainLoss: at(train), valLoss: at(val) };
    expect(history.records.map(({ trainLoss, valLoss }) => ({ trainLoss, valLoss }))).toEqual([
      first,
      second,
    ]);
  });

  it("evaluates validation with gradient recording off: no requiresGrad, no gradFn", () => {
    const { model, options } = setup();
    const seen: { data: string; requiresGrad: boolean; hasGradFn: boolean }[] = [];
    const spy = (x: Tensor) => {
      const out = model(x);
      seen.push({
        data: x === val.x ? "val" : "train",
        requiresGrad: out.requiresGrad,
        hasGradFn: out.gradFn !== null,
      });
      return out;
    };
    fit({ ...options, model: spy, epochs: 2 });
    expect(seen).toEqual([
      { data: "train", requiresGrad: true, hasGradFn: true },
      { data: "val", requiresGrad: false, hasGradFn: false },
      { data: "train", requiresGrad: true, hasGradFn: true },
      { data: "val", requiresGrad: false, hasGradFn: false },
    ]);
  });
});

describe("divergence (the book's lr=1e-2 run on raw t_u)", () => {
  const gd = book["gd_unnormalized_lr1e-2"];

  function diverge(): DivergenceError {
    const raw = { ...setup().options, train: { x: tU, y: tC }, val: undefined, epochs: 100 };
    return thrownBy(() => fit(raw)) as DivergenceError;
  }

  it("throws a DivergenceError at epoch 11 with the loss, the epoch and a hint", () => {
    const error = diverge();
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error).toBeInstanceOf(TrainError);
    expect(DivergenceError.isInstance(error)).toBe(true);
    expect(error.code).toBe("DIVERGED");
    expect(error.epoch).toBe(gd.first_inf_epoch);
    expect(error.loss).toBe(Number.POSITIVE_INFINITY);
    expect(error.which).toBe("train");
    expect(error.message).toBe(
      "fit: the training loss became Infinity at epoch 11, expected a finite number (training diverged with lr 0.01). Hint: lower the learning rate (e.g. by 10x) or normalise the inputs (e.g. Scale(0.1) or StandardScaler from @x/data).",
    );
  });

  it("keeps the history before the divergence, matching the book's first losses", () => {
    const { history } = diverge();
    expect(history?.records).toHaveLength(10);
    expect(history?.stopReason).toBe("diverged");
    expectClose(
      history?.records.slice(0, 3).map((r) => r.trainLoss),
      gd.loss_epoch_1_2_3,
      1e-5,
      0,
    );
  });
});
