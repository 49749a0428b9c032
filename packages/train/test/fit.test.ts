import "@x/autograd";
import { DataLoader, splitIndices, TensorDataset } from "@x/data";
import { ReduceLROnPlateau, SGD, StepLR } from "@x/optim";
import { Generator, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  type EpochRecord,
  evaluate,
  type FitOptions,
  fit,
  fitAsync,
  formatRecord,
  mseLoss,
} from "../src/index";
import { linearModel, tC, tU } from "./helpers";

const x = tensor([1, 2, 3, 4]);
/** Training pulls w towards 2 while the validation targets want -2: validation gets worse every epoch. */
const conflicting = { train: { x, y: x.mul(2) }, val: { x, y: x.mul(-2) } };

/** `fit` options for the model x·w + b with [w, b] = [0, 0]; `weights` is that tensor. */
function linear(lr = 0.01) {
  const weights = tensor([0.0, 0.0], { requiresGrad: true });
  return { params: [weights], model: linearModel(weights), optimizer: new SGD([weights], { lr }) };
}

function run(options: Partial<FitOptions> = {}) {
  const setup = linear();
  const history = fit({ ...setup, lossFn: mseLoss, ...conflicting, epochs: 5, ...options });
  return { history, params: setup.params[0] as Tensor };
}

const losses = (records: EpochRecord[]) =>
  records.map(({ trainLoss, valLoss }) => [trainLoss, valLoss]);

describe("fit with a DataLoader", () => {
  const tUn = tU.mul(0.1);

  function loaderRun(seed: number, epochs = 3) {
    const generator = new Generator().manualSeed(seed);
    const { train, val } = splitIndices(11, { valFraction: 0.2, generator });
    const loader = new DataLoader(
      new TensorDataset(tUn.indexSelect(0, train), tC.indexSelect(0, train)),
      {
        batchSize: 4,
        shuffle: true,
        generator,
      },
    );
    const batches = [...loader].map(([xb]) => (xb as Tensor).toArray());
    const setup = linear(1e-2);
    const valData = { x: tUn.indexSelect(0, val), y: tC.indexSelect(0, val) };
    const history = fit({ ...setup, lossFn: mseLoss, train: loader, val: valData, epochs });
    return { split: [train.toArray(), val.toArray()], batches, history, setup, valData };
  }

  it("is deterministic per seed: the same split, batches and loss curve; another seed differs", () => {
    const a = loaderRun(7);
    const b = loaderRun(7);
    const c = loaderRun(8);
    expect(b.split).toEqual(a.split);
    expect(b.batches).toEqual(a.batches);
    expect(losses(b.history.records)).toEqual(losses(a.history.records));
    expect(c.split).not.toEqual(a.split);
    expect(losses(c.history.records)).not.toEqual(losses(a.history.records));
  });

  it("reports the sample-weighted mean of the batch losses, and validates after the last step", () => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const model = linearModel(params);
    const loader = new DataLoader(new TensorDataset(tUn, tC), { batchSize: 4 }); // batches of 4, 4, 3
    const history = fit({
      model,
      lossFn: mseLoss,
      optimizer: new SGD([params], { lr: 1e-3 }),
      train: loader,
      val: { x: tUn, y: tC },
      epochs: 1,
    });
    // Replay the three steps by hand, weighting each batch loss by its size.
    const replay = tensor([1.0, 0.0], { requiresGrad: true });
    const optimizer = new SGD([replay], { lr: 1e-3 });
    let weighted = 0;
    for (const [start, size] of [
      [0, 4],
      [4, 4],
      [8, 3],
    ] as const) {
      optimizer.zeroGrad();
      const loss = mseLoss(
        linearModel(replay)(tUn.narrow(0, start, size)),
        tC.narrow(0, start, size),
      );
      weighted += (loss.item() as number) * size;
      loss.backward();
      optimizer.step();
    }
    expect(params.toArray()).toEqual(replay.toArray());
    expect(history.records[0]?.trainLoss).toBe(weighted / 11);
    expect(history.records[0]?.valLoss).toBe(
      evaluate({ model, lossFn: mseLoss, data: { x: tUn, y: tC } }),
    );
  });

  it("accepts any iterable of [x, y] batches", () => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const batches = [
      [tUn.narrow(0, 0, 5), tC.narrow(0, 0, 5)],
      [tUn.narrow(0, 5, 6), tC.narrow(0, 5, 6)],
    ];
    const history = fit({
      model: linearModel(params),
      lossFn: mseLoss,
      optimizer: new SGD([params], { lr: 1e-3 }),
      train: batches,
      epochs: 2,
    });
    expect(history.records).toHaveLength(2);
    expect(history.records[1]?.trainLoss).toBeLessThan(history.records[0]?.trainLoss as number);
  });
});

describe("onEpoch, logging and the AbortSignal", () => {
  it("onEpoch sees every record; returning 'stop' ends training and keeps that record", () => {
    const seen: number[] = [];
    const { history } = run({
      epochs: 100,
      onEpoch: (record) => {
        seen.push(record.epoch);
        return record.epoch === 3 ? "stop" : undefined;
      },
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(history.records.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(history.stopReason).toBe("onEpoch");
    expect(history.stoppedEarly).toBe(true);
  });

  it("logs epoch 1 and every logEvery-th epoch in the book's format", () => {
    const lines: string[] = [];
    const { history } = run({ epochs: 6, logEvery: 3, log: (line) => lines.push(line) });
    expect(lines).toEqual(
      [1, 3, 6].map((e) => formatRecord(history.records[e - 1] as EpochRecord)),
    );
    expect(
      formatRecord({ epoch: 500, trainLoss: 7.86012, valLoss: 2.97204, lr: 0.01, ms: 1 }),
    ).toBe("Epoch 500, Training loss 7.8601, Validation loss 2.9720");
    expect(formatRecord({ epoch: 1, trainLoss: 80.364, lr: 0.01, ms: 1 })).toBe(
      "Epoch 1, Training loss 80.3640",
    );
  });

  it("stops after the current epoch when the signal is aborted, and marks the history aborted", () => {
    const controller = new AbortController();
    const { history } = run({
      epochs: 100,
      signal: controller.signal,
      onEpoch: (record) => {
        if (record.epoch === 4) controller.abort();
      },
    });
    expect(history.records).toHaveLength(4);
    expect(history.aborted).toBe(true);
    expect(history.stopReason).toBe("aborted");
    expect(history.stoppedEarly).toBe(false);
  });

  it("runs no epoch with an already aborted signal", () => {
    const { history, params } = run({ signal: AbortSignal.abort() });
    expect(history.records).toEqual([]);
    expect(history.aborted).toBe(true);
    expect(params.toArray()).toEqual([0, 0]);
  });

  it("fitAsync lets a timer abort a long run", async () => {
    const setup = linear();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const history = await fitAsync({
      ...setup,
      lossFn: mseLoss,
      ...conflicting,
      epochs: 1e9,
      signal: controller.signal,
      yieldEveryMs: 5,
    });
    expect(history.aborted).toBe(true);
    expect(history.records.length).toBeGreaterThan(0);
    expect(history.records.length).toBeLessThan(1e9);
  });

  it("fitAsync gives the same records as fit", async () => {
    const a = run({ epochs: 20 }).history;
    const setup = linear();
    const b = await fitAsync({
      ...setup,
      lossFn: mseLoss,
      ...conflicting,
      epochs: 20,
      yieldEveryMs: 0,
    });
    expect(losses(b.records)).toEqual(losses(a.records));
  });
});

describe("LR schedulers", () => {
  it("steps a StepLR once per epoch and records the lr used in each epoch", () => {
    const setup = linear(0.01);
    const scheduler = new StepLR(setup.optimizer, { stepSize: 2, gamma: 0.5 });
    const history = fit({ ...setup, lossFn: mseLoss, ...conflicting, epochs: 6, scheduler });
    expect(history.records.map((r) => r.lr)).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025]);
    expect(setup.optimizer.paramGroups[0]?.lr).toBe(0.00125);
  });

  it("gives ReduceLROnPlateau the validation loss (which rises here, so the lr drops)", () => {
    const setup = linear(0.01);
    const scheduler = new ReduceLROnPlateau(setup.optimizer, { patience: 0, factor: 0.1 });
    const history = fit({ ...setup, lossFn: mseLoss, ...conflicting, epochs: 4, scheduler });
    expect(history.records.map((r) => r.lr)).toEqual([0.01, 0.01, 0.01 * 0.1, 0.01 * 0.1 * 0.1]);
  });

  it("gives ReduceLROnPlateau the training loss without validation (which falls, so the lr stays)", () => {
    const setup = linear(0.01);
    const scheduler = new ReduceLROnPlateau(setup.optimizer, { patience: 0, factor: 0.1 });
    const history = fit({
      ...setup,
      lossFn: mseLoss,
      train: conflicting.train,
      epochs: 4,
      scheduler,
    });
    expect(history.records.map((r) => r.lr)).toEqual([0.01, 0.01, 0.01, 0.01]);
  });
});

describe("early stopping", () => {
  it("stops after `patience` epochs without improvement and restores the best parameters", () => {
    const { history, params } = run({
      epochs: 100,
      earlyStopping: { patience: 3, restoreBest: true },
    });
    // The validation loss is lowest at epoch 1, measured at the initial parameters [0, 0].
    expect(history.bestEpoch()).toBe(1);
    expect(history.records).toHaveLength(4);
    expect(history.stopReason).toBe("earlyStopping");
    expect(history.stoppedEarly).toBe(true);
    expect(history.restoredEpoch).toBe(1);
    expect(params.toArray()).toEqual([0, 0]);
    expect(history.isOverfitting()).toBe(true);
  });

  it("leaves the last parameters in place without restoreBest", () => {
    const { history, params } = run({ epochs: 100, earlyStopping: { patience: 2 } });
    expect(history.records).toHaveLength(3);
    expect(history.restoredEpoch).toBeUndefined();
    expect(params.toArray()).not.toEqual([0, 0]);
  });

  it("restores the parameters measured at the best epoch with a DataLoader too (after its steps)", () => {
    const setup = linear(0.01);
    const loader = new DataLoader(new TensorDataset(x, x.mul(2)), { batchSize: 2 });
    const snapshots: number[][] = [];
    const history = fit({
      ...setup,
      lossFn: mseLoss,
      train: loader,
      val: conflicting.val,
      epochs: 100,
      earlyStopping: { patience: 2, restoreBest: true },
      onEpoch: () => void snapshots.push(setup.params[0]?.toArray() as number[]),
    });
    expect(history.bestEpoch()).toBe(1);
    expect(history.records).toHaveLength(3);
    expect(setup.params[0]?.toArray()).toEqual(snapshots[0]);
  });

  it("does not count improvements smaller than minDelta", () => {
    // Without validation the training loss is monitored; it falls every epoch, but by less than minDelta late on.
    const withPatience = (earlyStopping: FitOptions["earlyStopping"]) =>
      fit({
        ...linear(0.01),
        lossFn: mseLoss,
        train: conflicting.train,
        epochs: 300,
        earlyStopping,
      });
    expect(withPatience({ patience: 5 }).records).toHaveLength(300);
    const strict = withPatience({ patience: 5, minDelta: 0.05 });
    expect(strict.stopReason).toBe("earlyStopping");
    expect(strict.records.length).toBeLessThan(300);
    // The last improvement was 5 epochs before the end; the loss kept falling, by less than 0.05.
    const [best, ...after] = strict.records.slice(-6).map((r) => r.trainLoss) as number[];
    expect(after.every((loss, i) => loss < ((i === 0 ? best : after[i - 1]) as number))).toBe(true);
    expect(after.every((loss) => loss > (best as number) - 0.05)).toBe(true);
  });
});

describe("continuing a run", () => {
  it("numbers epochs after the given history and keeps its records", () => {
    const setup = linear();
    const first = fit({ ...setup, lossFn: mseLoss, ...conflicting, epochs: 3 });
    const second = fit({ ...setup, lossFn: mseLoss, ...conflicting, epochs: 2, history: first });
    expect(second.records.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(first.records).toHaveLength(3);
  });
});
