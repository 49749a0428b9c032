import "@x/autograd";
import { StandardScaler } from "@x/data";
import { SGD, StepLR } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  type Checkpoint,
  type CheckpointParts,
  encodeSafetensors,
  fit,
  History,
  loadCheckpoint,
  loadParams,
  mseLoss,
  saveCheckpoint,
} from "../src/index";
import { expectTrainError, linearModel, tC, tU } from "./helpers";

const train = { x: tU.mul(0.1), y: tC };

/** A fresh run of the book's model: SGD with momentum (so optimizer state matters) and a StepLR. */
function setup() {
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = new SGD([params], { lr: 1e-2, momentum: 0.9 });
  const scheduler = new StepLR(optimizer, { stepSize: 50, gamma: 0.5 });
  return { params, optimizer, scheduler, model: linearModel(params) };
}

function train100(run: ReturnType<typeof setup>, history?: History): History {
  const { params, model, optimizer, scheduler } = run;
  return fit({
    params: [params],
    model,
    lossFn: mseLoss,
    optimizer,
    scheduler,
    train,
    epochs: 100,
    history,
  });
}

describe("checkpoint round trip", () => {
  it("train 100, save, load into fresh params + optimizer + scheduler, train 100 = train 200, bit for bit", () => {
    const straight = setup();
    const all = train100(straight, train100(straight));

    const first = setup();
    const bytes = saveCheckpoint({
      params: { params: first.params },
      optimizer: first.optimizer,
      scheduler: first.scheduler,
      history: train100(first),
      metadata: { model: "thermometer" },
    });
    const loaded = loadCheckpoint(bytes);
    const resumed = setup();
    resumed.params.detach().zero_(); // prove the values come from the checkpoint
    loadParams({ params: resumed.params }, loaded.params);
    resumed.optimizer.loadStateDict(loaded.optimizer as never);
    resumed.scheduler.loadStateDict(loaded.scheduler as never);
    const continued = train100(resumed, loaded.history);

    expect(resumed.params.toArray()).toEqual(straight.params.toArray());
    expect(continued.records.map((r) => [r.epoch, r.trainLoss, r.lr])).toEqual(
      all.records.map((r) => [r.epoch, r.trainLoss, r.lr]),
    );
    expect(continued.records[150]?.lr).toBe(1e-2 * 0.5 ** 3);
    expect(loaded.metadata).toEqual({ model: "thermometer" });
  });

  it("restores a fitted scaler's state", () => {
    const scaler = new StandardScaler().fit(tU);
    const { scaler: state } = loadCheckpoint(saveCheckpoint({ params: {}, scaler }));
    const restored = new StandardScaler().loadStateDict(state as never);
    expect(restored.transform(tU).toArray()).toEqual(scaler.transform(tU).toArray());
  });

  it("keeps tensors, NaN, ±Infinity, -0, null and nesting in states; tensors go to the safetensors body", () => {
    const momentum = tensor([0.5, -0.25]);
    const state = {
      best: Number.NaN,
      low: Number.NEGATIVE_INFINITY,
      high: Number.POSITIVE_INFINITY,
      zero: -0,
      list: [1, null, "a", true],
      nested: { momentum },
    };
    const bytes = saveCheckpoint({ params: {}, optimizer: state });
    const loaded = loadCheckpoint(bytes).optimizer as typeof state;
    expect(loaded).toEqual({ ...state, nested: { momentum: expect.anything() } });
    expect(Object.is(loaded.zero, -0)).toBe(true);
    expect(loaded.nested.momentum.toArray()).toEqual([0.5, -0.25]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"__x__/optimizer/nested.momentum":{"dtype":"F32","shape":[2]');
  });

  it("reads a plain .safetensors file (no checkpoint metadata) as params only", () => {
    const bytes = encodeSafetensors({ "linear.weight": tensor([[1, 2]]) }, { format: "pt" });
    const loaded: Checkpoint = loadCheckpoint(bytes);
    expect(Object.keys(loaded.params)).toEqual(["linear.weight"]);
    expect(loaded.metadata).toEqual({ format: "pt" });
    expect(loaded.optimizer).toBeUndefined();
    expect(loaded.history).toBeUndefined();
  });

  it("round-trips a history, including its stop reason and restored epoch", () => {
    const history = new History(
      [
        { epoch: 1, trainLoss: 2, valLoss: 3, lr: 0.1, ms: 4 },
        { epoch: 2, trainLoss: 1, lr: 0.1, ms: 4 },
      ],
      "earlyStopping",
      1,
    );
    const loaded = loadCheckpoint(saveCheckpoint({ params: {}, history })).history;
    expect(loaded?.toJSON()).toEqual(history.toJSON());
    expect(loaded?.stoppedEarly).toBe(true);
  });
});

describe("saveCheckpoint rejects bad parts", () => {
  const w = tensor([1]);
  const save = (parts: unknown) => () => saveCheckpoint(parts as CheckpointParts);

  it("params that are not named tensors", () => {
    expectTrainError(
      save(undefined),
      "INVALID_OPTION",
      "saveCheckpoint: expected an object { params or model, optimizer?, scheduler?, scaler?, history?, metadata? }, but got undefined.",
    );
    expectTrainError(
      save({}),
      "INVALID_OPTION",
      "saveCheckpoint: params must be an object of named tensors, but got undefined. Hint: saveCheckpoint({ params: { w, b } }), or saveCheckpoint({ model }) for a module.",
    );
    expectTrainError(
      save({ params: [w] }),
      "INVALID_OPTION",
      "saveCheckpoint: params must be an object of named tensors, but got an array of length 1. Hint: saveCheckpoint({ params: { w, b } }), or saveCheckpoint({ model }) for a module.",
    );
    expectTrainError(
      save({ params: w }),
      "INVALID_OPTION",
      "saveCheckpoint: params must be an object of named tensors, but got a float32 tensor of shape [1]. Hint: saveCheckpoint({ params: { w, b } }), or saveCheckpoint({ model }) for a module.",
    );
    expectTrainError(
      save({ params: { w: [1] } }),
      "INVALID_OPTION",
      "saveCheckpoint: params.w must be a Tensor, but got an array of length 1.",
    );
  });

  it("reserved names", () => {
    expectTrainError(
      save({ params: { "__x__/history": w } }),
      "INVALID_OPTION",
      'saveCheckpoint: params name "__x__/history" is reserved. Hint: names must not be "__metadata__" or start with "__x__/".',
    );
    expectTrainError(
      save({ params: { __metadata__: w } }),
      "INVALID_OPTION",
      'saveCheckpoint: params name "__metadata__" is reserved. Hint: names must not be "__metadata__" or start with "__x__/".',
    );
    expectTrainError(
      save({ params: {}, metadata: { "__x__/format": "2" } }),
      "INVALID_OPTION",
      'saveCheckpoint: metadata key "__x__/format" is reserved. Hint: use keys that do not start with "__x__/".',
    );
  });

  it("metadata that is not strings", () => {
    expectTrainError(
      save({ params: {}, metadata: { epochs: 100 } }),
      "INVALID_OPTION",
      "saveCheckpoint: metadata.epochs must be a string (safetensors metadata holds strings only), but got 100. Hint: JSON.stringify it.",
    );
    expectTrainError(
      save({ params: {}, metadata: "notes" }),
      "INVALID_OPTION",
      'saveCheckpoint: metadata must be an object of strings, but got "notes".',
    );
  });

  it("states holding things JSON and safetensors cannot", () => {
    expectTrainError(
      save({ params: {}, optimizer: { state: { fn: () => 1 } } }),
      "INVALID_OPTION",
      'saveCheckpoint: optimizer at "state.fn" must hold only plain objects, arrays, numbers, strings, booleans, null and tensors, but got a function. Hint: pass the result of stateDict().',
    );
    expectTrainError(
      save({ params: {}, scaler: { stats: new Map() } }),
      "INVALID_OPTION",
      'saveCheckpoint: scaler at "stats" must hold only plain objects, arrays, numbers, strings, booleans, null and tensors, but got object. Hint: pass the result of stateDict().',
    );
    expectTrainError(
      save({ params: {}, scheduler: { a: { __tensor__: "x" } } }),
      "INVALID_OPTION",
      'saveCheckpoint: scheduler at "a" must hold only plain objects, arrays, numbers, strings, booleans, null and tensors, but got object. Hint: pass the result of stateDict().',
    );
    expectTrainError(
      save({ params: {}, optimizer: { "a.b": w, a: { b: w } } }),
      "INVALID_OPTION",
      'saveCheckpoint: optimizer has two tensors named "__x__/optimizer/a.b". Hint: avoid "." in state keys.',
    );
  });

  it("a history that is not a History", () => {
    expectTrainError(
      save({ params: {}, history: { records: [] } }),
      "INVALID_OPTION",
      "saveCheckpoint: history must be the History returned by fit, but got object.",
    );
  });
});

describe("loadCheckpoint rejects damaged checkpoints with CHECKPOINT_INVALID", () => {
  const withMetadata =
    (metadata: Record<string, string>, tensors: Record<string, Tensor> = {}) =>
    () =>
      loadCheckpoint(encodeSafetensors(tensors, metadata));

  it("a truncated file", () => {
    const bytes = saveCheckpoint({ params: { w: tensor([1, 2, 3]) } });
    expectTrainError(
      () => loadCheckpoint(bytes.subarray(0, bytes.length - 4)),
      "CHECKPOINT_INVALID",
      'loadCheckpoint: tensor "w" data_offsets [0, 12] run past the end of the data, 12 vs 8 bytes. Hint: the file is truncated, corrupted or not a .safetensors file; write it again with saveCheckpoint.',
    );
    expectTrainError(
      () => loadCheckpoint(bytes.subarray(0, 6)),
      "CHECKPOINT_INVALID",
      "loadCheckpoint: the file is 6 bytes, expected at least 8 (the header length). Hint: the file is truncated, corrupted or not a .safetensors file; write it again with saveCheckpoint.",
    );
  });

  it("state metadata that is not JSON", () => {
    expect(withMetadata({ "__x__/optimizer": "{state: 1" })).toThrow(
      "loadCheckpoint: the optimizer state is not valid JSON (",
    );
    expect(withMetadata({ "__x__/optimizer": "{state: 1" })).toThrow(
      expect.objectContaining({ code: "CHECKPOINT_INVALID" }),
    );
  });

  it("a state that refers to a tensor the file lacks, or spells a number wrongly", () => {
    expectTrainError(
      withMetadata({ "__x__/scaler": '{"mean":{"__tensor__":"__x__/scaler/mean"}}' }),
      "CHECKPOINT_INVALID",
      'loadCheckpoint: the scaler state refers to tensor "__x__/scaler/mean", which is not in the file. Hint: the file is corrupted or was not written by saveCheckpoint.',
    );
    expectTrainError(
      withMetadata({ "__x__/scheduler": '{"best":{"__number__":"huge"}}' }),
      "CHECKPOINT_INVALID",
      'loadCheckpoint: the scheduler state holds the number "huge", expected NaN, Infinity, -Infinity or -0. Hint: the file is corrupted or was not written by saveCheckpoint.',
    );
  });

  it("a history of the wrong shape", () => {
    expectTrainError(
      withMetadata({ "__x__/history": '{"records":[{"epoch":"one"}],"stopReason":"completed"}' }),
      "CHECKPOINT_INVALID",
      'loadCheckpoint: expected { records: [{ epoch, trainLoss, valLoss?, lr, ms }], stopReason } vs got object with records an array of length 1 and stopReason "completed". Hint: pass the output of history.toJSON().',
    );
  });

  it("a newer checkpoint format", () => {
    expectTrainError(
      withMetadata({ "__x__/format": "x-checkpoint/2" }),
      "CHECKPOINT_INVALID",
      'loadCheckpoint: unsupported checkpoint format "x-checkpoint/2", expected "x-checkpoint/1". Hint: update @x/train to read newer checkpoints.',
    );
  });
});

describe("loadParams", () => {
  it("copies by name into the existing tensors, keeping their identity", () => {
    const w = tensor([0, 0], { requiresGrad: true });
    loadParams({ w }, { w: tensor([3, 4]) });
    expect(w.toArray()).toEqual([3, 4]);
    expect(w.requiresGrad).toBe(true);
    expect(w.gradFn).toBeNull();
  });

  it("rejects differing names (unless strict is false), shapes and dtypes", () => {
    const w = tensor([0, 0]);
    expectTrainError(
      () => loadParams({ w }, { v: w }),
      "PARAM_MISMATCH",
      "loadParams: the names differ, missing [w] and unexpected [v] (target has [w]). Hint: save and load with the same names, or pass { strict: false }.",
    );
    loadParams({ w }, { v: w }, { strict: false });
    expectTrainError(
      () => loadParams({ w }, { w: tensor([1, 2, 3]) }),
      "PARAM_MISMATCH",
      'loadParams: "w" differs, float32 [2] vs float32 [3] (target vs source). Hint: build the model with the same shapes and dtypes as the saved one.',
    );
    expectTrainError(
      () => loadParams({ w }, { w: tensor([1, 2], { dtype: "float64" }) }),
      "PARAM_MISMATCH",
      'loadParams: "w" differs, float32 [2] vs float64 [2] (target vs source). Hint: build the model with the same shapes and dtypes as the saved one.',
    );
  });
});
