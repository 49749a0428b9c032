import "@x/autograd";
import { DataLoader, TensorDataset } from "@x/data";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { DivergenceError, evaluate, type FitOptions, fit, fitAsync, mseLoss } from "../src/index";
import { expectTrainError, linearModel, thrownBy } from "./helpers";

const x = tensor([1, 2, 3, 4]);
const y = tensor([2, 4, 6, 8]);

function options(overrides: Record<string, unknown> = {}): FitOptions {
  const params = tensor([0.0, 0.0], { requiresGrad: true });
  return {
    params: [params],
    model: linearModel(params),
    lossFn: mseLoss,
    optimizer: new SGD([params], { lr: 0.01 }),
    train: { x, y },
    epochs: 3,
    ...overrides,
  } as FitOptions;
}

const fitWith = (overrides: Record<string, unknown>) => () => fit(options(overrides));

describe("fit rejects bad options, naming the option and the fix", () => {
  it("a missing options object", () => {
    expectTrainError(
      () => fit(undefined as unknown as FitOptions),
      "INVALID_OPTION",
      "fit: expected an options object { model, lossFn, optimizer, train, epochs, … }, but got undefined.",
    );
  });

  it("an unknown (misspelled) option", () => {
    expectTrainError(
      fitWith({ epoch: 10 }),
      "INVALID_OPTION",
      'fit: unknown option "epoch", expected one of params, model, lossFn, optimizer, train, val, epochs, onEpoch, logEvery, log, scheduler, earlyStopping, signal, history, compile. Hint: check the spelling.',
    );
  });

  it("a missing or non-function model and lossFn", () => {
    expectTrainError(
      fitWith({ model: undefined }),
      "MISSING_OPTION",
      "fit: model is required, but got undefined. Hint: pass model: (x) => prediction.",
    );
    expectTrainError(
      fitWith({ model: x }),
      "INVALID_OPTION",
      "fit: model must be a function (x) => prediction or a module with forward() and parameters(), but got a float32 tensor of shape [4]. Hint: model: (x) => w.mul(x).add(b), or model: new Sequential(...) from @x/nn.",
    );
    expectTrainError(
      fitWith({ lossFn: undefined }),
      "MISSING_OPTION",
      "fit: lossFn is required, but got undefined. Hint: pass lossFn: mseLoss (from @x/train).",
    );
    expectTrainError(
      fitWith({ lossFn: "mse" }),
      "INVALID_OPTION",
      'fit: lossFn must be a function, but got "mse". Hint: pass lossFn: mseLoss (from @x/train).',
    );
  });

  it("a missing or malformed optimizer", () => {
    expectTrainError(
      fitWith({ optimizer: undefined }),
      "MISSING_OPTION",
      "fit: optimizer is required, but got undefined. Hint: pass optimizer: new SGD([params], { lr: 1e-2 }) from @x/optim.",
    );
    expectTrainError(
      fitWith({ optimizer: { step() {} } }),
      "INVALID_OPTION",
      "fit: optimizer must have step(), zeroGrad() and paramGroups[0].lr, but got object. Hint: use an optimizer from @x/optim, e.g. new SGD([params], { lr: 1e-2 }).",
    );
  });

  it("params that are not an array of tensors", () => {
    expectTrainError(
      fitWith({ params: [1] }),
      "INVALID_OPTION",
      "fit: params must be an array of tensors, but got 1 at index 0. Hint: params: [params], the tensors given to the optimizer.",
    );
    expectTrainError(
      fitWith({ params: x }),
      "INVALID_OPTION",
      "fit: params must be an array of tensors, but got a float32 tensor of shape [4]. Hint: params: [params], the tensors given to the optimizer.",
    );
  });

  it("epochs that is missing or not a positive integer", () => {
    expectTrainError(
      fitWith({ epochs: undefined }),
      "MISSING_OPTION",
      "fit: epochs is required, but got undefined. Hint: pass epochs: 3000 (a positive integer).",
    );
    for (const [bad, shown] of [
      [0, "0"],
      [-5, "-5"],
      [1.5, "1.5"],
      [Number.NaN, "NaN"],
      ["10", '"10"'],
      [Number.POSITIVE_INFINITY, "Infinity"],
    ] as const) {
      expectTrainError(
        fitWith({ epochs: bad }),
        "INVALID_OPTION",
        `fit: epochs must be an integer >= 1, but got ${shown}. Hint: pass a whole number such as 100.`,
      );
    }
  });

  it("train and val that are missing, tensors, or lack x or y", () => {
    expectTrainError(
      fitWith({ train: undefined }),
      "MISSING_OPTION",
      "fit: train is required, but got undefined. Hint: pass train: { x, y } or a DataLoader.",
    );
    expectTrainError(
      fitWith({ train: x }),
      "INVALID_OPTION",
      "fit: train must be { x, y } tensors or a DataLoader, but got a float32 tensor of shape [4]. Hint: train: { x: inputs, y: targets }.",
    );
    expectTrainError(
      fitWith({ train: { x } }),
      "INVALID_OPTION",
      "fit: train.y must be a Tensor, but got undefined. Hint: train: { x: inputs, y: targets }, or a DataLoader.",
    );
    expectTrainError(
      fitWith({ val: { x: [1, 2], y } }),
      "INVALID_OPTION",
      "fit: val.x must be a Tensor, but got an array of length 2. Hint: val: { x: inputs, y: targets }, or a DataLoader.",
    );
    expectTrainError(
      fitWith({ val: 3 }),
      "INVALID_OPTION",
      "fit: val must be { x, y } tensors or a DataLoader, but got 3. Hint: val: { x: inputs, y: targets }.",
    );
  });

  it("x and y with different numbers of samples", () => {
    expectTrainError(
      fitWith({ train: { x, y: tensor([1, 2, 3]) } }),
      "SHAPE_MISMATCH",
      "fit: train.x and train.y must have the same number of samples along dim 0, 4 vs 3 (shapes [4] and [3]). Hint: select the same indices from both, e.g. x.indexSelect(0, idx) and y.indexSelect(0, idx).",
    );
    expectTrainError(
      fitWith({ val: { x: tensor([[1], [2]]), y } }),
      "SHAPE_MISMATCH",
      "fit: val.x and val.y must have the same number of samples along dim 0, 2 vs 4 (shapes [2, 1] and [4]). Hint: select the same indices from both, e.g. x.indexSelect(0, idx) and y.indexSelect(0, idx).",
    );
  });

  it("empty data", () => {
    const empty = tensor([]);
    expectTrainError(
      fitWith({ val: { x: empty, y: empty } }),
      "EMPTY_DATA",
      "fit: val has no samples (shape [0]). Hint: check the split; a validation fraction that floors to 0 gives an empty set.",
    );
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 8, dropLast: true });
    expectTrainError(
      fitWith({ train: loader }),
      "EMPTY_DATA",
      "fit: train yielded no samples in epoch 1. Hint: a DataLoader with dropLast and fewer samples than batchSize yields no batch.",
    );
    expectTrainError(
      fitWith({ val: loader }),
      "EMPTY_DATA",
      "fit: val yielded no samples. Hint: a DataLoader with dropLast and fewer samples than batchSize yields no batch.",
    );
  });

  it("batches that are not [x, y] tensors", () => {
    expectTrainError(
      fitWith({ train: [[x]] }),
      "INVALID_OPTION",
      "fit: each batch must be [x, y] tensors, but train batch 0 is an array of length 1. Hint: use new DataLoader(new TensorDataset(x, y), { batchSize }).",
    );
  });

  it("callbacks, logEvery, scheduler, earlyStopping, signal and history of the wrong kind", () => {
    expectTrainError(
      fitWith({ onEpoch: "stop" }),
      "INVALID_OPTION",
      'fit: onEpoch must be a function, but got "stop". Hint: onEpoch: (record) => {}.',
    );
    expectTrainError(
      fitWith({ log: true }),
      "INVALID_OPTION",
      "fit: log must be a function, but got true. Hint: log: (line) => console.log(line).",
    );
    expectTrainError(
      fitWith({ logEvery: 0 }),
      "INVALID_OPTION",
      "fit: logEvery must be an integer >= 1, but got 0. Hint: pass a whole number such as 100.",
    );
    expectTrainError(
      fitWith({ scheduler: {} }),
      "INVALID_OPTION",
      "fit: scheduler must have a step() method, but got object. Hint: a scheduler from @x/optim, e.g. new StepLR(optimizer, { stepSize: 100 }).",
    );
    expectTrainError(
      fitWith({ earlyStopping: 5 }),
      "INVALID_OPTION",
      "fit: earlyStopping must be an object { patience, minDelta?, restoreBest? }, but got 5. Hint: earlyStopping: { patience: 10 }.",
    );
    expectTrainError(
      fitWith({ earlyStopping: { patience: 0 } }),
      "INVALID_OPTION",
      "fit: earlyStopping.patience must be an integer >= 1, but got 0. Hint: pass a whole number such as 100.",
    );
    expectTrainError(
      fitWith({ earlyStopping: { patience: 2, minDelta: -1 } }),
      "INVALID_OPTION",
      "fit: earlyStopping.minDelta must be a finite number >= 0, but got -1.",
    );
    expectTrainError(
      fitWith({ signal: {} }),
      "INVALID_OPTION",
      "fit: signal must be an AbortSignal, but got object. Hint: signal: controller.signal with const controller = new AbortController().",
    );
    expectTrainError(
      fitWith({ history: { records: [] } }),
      "INVALID_OPTION",
      "fit: history must be a History (from fit or loadCheckpoint), but got object.",
    );
  });

  it("fitAsync: a negative yieldEveryMs", async () => {
    await expect(fitAsync({ ...options(), yieldEveryMs: -1 })).rejects.toThrow(
      "fitAsync: yieldEveryMs must be a finite number >= 0, but got -1.",
    );
  });
});

describe("fit rejects bad results of the user's functions", () => {
  it("a loss that is not a one-element tensor", () => {
    const lossFn = (p: Tensor, t: Tensor) => mseLoss(p, t, { reduction: "none" });
    expectTrainError(
      fitWith({ lossFn }),
      "INVALID_LOSS",
      "fit: lossFn must return a one-element tensor, but returned a float32 tensor of shape [4] (train). Hint: reduce it, e.g. reduction 'mean' (the default of mseLoss).",
    );
    expectTrainError(
      fitWith({ lossFn: () => 3 }),
      "INVALID_LOSS",
      "fit: lossFn must return a one-element tensor, but returned 3 (train). Hint: reduce it, e.g. reduction 'mean' (the default of mseLoss).",
    );
  });

  it("a loss that does not depend on the parameters", () => {
    const params = tensor([0.0, 0.0], { requiresGrad: true });
    const model = (input: Tensor) => linearModel(params.detach())(input);
    expectTrainError(
      fitWith({ params: [params], model, optimizer: new SGD([params], { lr: 0.01 }) }),
      "LOSS_WITHOUT_GRAD",
      "fit: the training loss does not require grad (epoch 1, train), so there is nothing to optimise. Hint: create the parameters with { requiresGrad: true } and use them in model.",
    );
  });

  it("a prediction of shape [n, 1] against targets of shape [n] (the classic broadcasting bug)", () => {
    const params = tensor([0.0, 0.0], { requiresGrad: true });
    const model = (input: Tensor) => linearModel(params)(input).unsqueeze(1);
    expect(
      fitWith({ params: [params], model, optimizer: new SGD([params], { lr: 0.01 }) }),
    ).toThrow("mseLoss: input and target must have the same shape, [4, 1] vs [4]");
  });

  it("an onEpoch that returns a Promise", () => {
    expectTrainError(
      fitWith({ onEpoch: async () => "stop" }),
      "INVALID_OPTION",
      "fit: onEpoch returned a Promise (epoch 1), but epochs run synchronously and cannot wait for it. Hint: make onEpoch synchronous; to keep a page responsive, use fitAsync.",
    );
  });

  it("a validation loss that is not finite is a divergence too", () => {
    const error = thrownBy(() =>
      fit(options({ val: { x, y: tensor([0, 0, 0, Number.POSITIVE_INFINITY]) } })),
    );
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).which).toBe("val");
    expect((error as DivergenceError).message).toBe(
      "fit: the validation loss became Infinity at epoch 1, expected a finite number (training diverged with lr 0.01). Hint: lower the learning rate (e.g. by 10x) or normalise the inputs (e.g. Scale(0.1) or StandardScaler from @x/data).",
    );
  });

  it("a NaN batch loss stops a DataLoader epoch before its step", () => {
    const params = tensor([0.0, 0.0], { requiresGrad: true });
    const loader = new DataLoader(new TensorDataset(x, tensor([1, 2, Number.NaN, 4])), {
      batchSize: 2,
    });
    const error = thrownBy(() =>
      fit(
        options({
          params: [params],
          model: linearModel(params),
          optimizer: new SGD([params], { lr: 0.01 }),
          train: loader,
        }),
      ),
    );
    expect((error as DivergenceError).code).toBe("DIVERGED");
    expect((error as DivergenceError).epoch).toBe(1);
    expect(Number.isNaN((error as DivergenceError).loss)).toBe(true);
    expect((error as DivergenceError).message).toContain("the training loss became NaN at epoch 1");
    expect(params.toArray()).not.toEqual([0, 0]); // the first batch stepped, the second did not
  });
});

describe("evaluate", () => {
  const params = tensor([2.0, 0.0], { requiresGrad: true });
  const model = linearModel(params);

  it("returns the loss as a number, with no graph built", () => {
    let output: Tensor | undefined;
    const spy = (input: Tensor) => {
      output = model(input);
      return output;
    };
    expect(evaluate({ model: spy, lossFn: mseLoss, data: { x, y: tensor([2, 4, 6, 9]) } })).toBe(
      0.25,
    );
    expect(output?.requiresGrad).toBe(false);
    expect(output?.gradFn).toBeNull();
  });

  it("weights batch losses by batch size for a loader", () => {
    const loader = new DataLoader(new TensorDataset(x, tensor([2, 4, 6, 9])), { batchSize: 3 });
    // batch losses: 0 over 3 samples, 1 over 1 sample → (0·3 + 1·1) / 4
    expect(evaluate({ model, lossFn: mseLoss, data: loader })).toBe(0.25);
  });

  it("rejects missing or bad options", () => {
    expectTrainError(
      () => evaluate(undefined as never),
      "MISSING_OPTION",
      "evaluate: the options object is required, but got undefined. Hint: evaluate({ model, lossFn, data }).",
    );
    expectTrainError(
      () => evaluate({ lossFn: mseLoss, data: { x, y } } as never),
      "MISSING_OPTION",
      "evaluate: model is required, but got undefined. Hint: pass model: (x) => prediction.",
    );
    expectTrainError(
      () => evaluate({ model, data: { x, y } } as never),
      "MISSING_OPTION",
      "evaluate: lossFn is required, but got undefined. Hint: pass lossFn: mseLoss.",
    );
    expectTrainError(
      () => evaluate({ model, lossFn: mseLoss } as never),
      "MISSING_OPTION",
      "evaluate: data is required, but got undefined. Hint: pass data: { x, y } or a DataLoader.",
    );
    expectTrainError(
      () => evaluate({ model, lossFn: mseLoss, data: { x, y: tensor([1]) } }),
      "SHAPE_MISMATCH",
      "evaluate: data.x and data.y must have the same number of samples along dim 0, 4 vs 1 (shapes [4] and [1]). Hint: select the same indices from both, e.g. x.indexSelect(0, idx) and y.indexSelect(0, idx).",
    );
  });
});
