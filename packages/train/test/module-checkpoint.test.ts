/**
 * A module's state dict in a checkpoint, both ways with PyTorch (fixtures/check_safetensors.py):
 * torch_module.safetensors is a torch model's `state_dict()`, which loads into the same @x model;
 * x_module.safetensors is `saveCheckpoint({ model })` of an @x model (fixtures/x-module.mjs),
 * which `check_safetensors.py module` loads into torch with the strict `load_state_dict`. The
 * test checks that @x still writes exactly those bytes.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "@x/autograd";
import { Linear, Sequential, Tanh } from "@x/nn";
import { Adam } from "@x/optim";
import { manualSeed, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type CheckpointParts, loadCheckpoint, mseLoss, saveCheckpoint } from "../src/index";
import { loadCheckpointFile, saveCheckpointFile } from "../src/node";
// @ts-expect-error: a plain ES module without types (the fixture's generator, run by node)
import { INPUTS, trainedModule } from "./fixtures/x-module.mjs";
import { expectClose, expectTrainError, fixture } from "./helpers";

const bytesOf = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** The book's chapter-6 network with named layers, with other weights than any file's. */
function freshModule(): Sequential {
  manualSeed(99);
  return new Sequential({
    hidden_linear: new Linear(1, 8),
    hidden_activation: new Tanh(),
    output_linear: new Linear(8, 1),
  });
}

const torchModule = fixture<{
  inputs: number[][];
  predictions: number[][];
  state: Record<string, unknown>;
}>("torch_module.json");

describe("a module's state dict in a checkpoint", () => {
  it("loads a state dict torch saved into the same @x model", () => {
    const model = freshModule();
    const { params } = loadCheckpoint(bytesOf("torch_module.safetensors"));
    expect(model.loadStateDict(params)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const state = Object.entries(model.stateDict()).map(([k, t]) => [k, t.toArray()]);
    expect(state).toEqual(Object.entries(torchModule.state));
    const predictions = model.forward(tensor(torchModule.inputs)).toArray();
    expectClose(predictions, torchModule.predictions, 1e-6, 1e-6);
  });

  it("writes the bytes torch's strict load_state_dict was checked on (x_module.safetensors)", () => {
    const model = trainedModule() as Sequential;
    expect(saveCheckpoint({ model })).toEqual(bytesOf("x_module.safetensors"));
    const expected = fixture<{ predictions: number[][] }>("x_module.json");
    expect(model.forward(tensor(INPUTS)).toArray()).toEqual(expected.predictions);
  });

  it("stores the state under torch's keys only, beside the optimizer, and reads it back", () => {
    const model = trainedModule() as Sequential;
    const optimizer = new Adam([...model.parameters()], { lr: 1e-2 });
    const loss = mseLoss(model.forward(tensor(INPUTS)), tensor(INPUTS));
    loss.backward();
    optimizer.step();
    const path = join(tmpdir(), `module-checkpoint-${process.pid}.safetensors`);
    saveCheckpointFile(path, { model, optimizer });
    const checkpoint = loadCheckpointFile(path);
    expect(Object.keys(checkpoint.params)).toEqual(Object.keys(model.stateDict()));
    const copy = freshModule();
    copy.loadStateDict(checkpoint.params);
    expect(copy.forward(tensor(INPUTS)).toArray()).toEqual(model.forward(tensor(INPUTS)).toArray());
    const restored = new Adam([...copy.parameters()], { lr: 1 });
    restored.loadStateDict(checkpoint.optimizer as never);
    expect(restored.paramGroups[0]?.lr).toBe(1e-2);
  });

  it("rejects both params and model, and a model without stateDict()", () => {
    const save = (parts: unknown) => () => saveCheckpoint(parts as CheckpointParts);
    expectTrainError(
      save({ params: { w: tensor([1]) }, model: freshModule() }),
      "INVALID_OPTION",
      "saveCheckpoint: got both params and model, expected one of them (both would be stored under their own names). Hint: saveCheckpoint({ model, optimizer }) for a module, saveCheckpoint({ params: { w, b } }) for loose tensors.",
    );
    expectTrainError(
      save({ model: (x: number) => x }),
      "INVALID_OPTION",
      "saveCheckpoint: model must be a module with stateDict(), but got a function. Hint: saveCheckpoint({ model }) with an @x/nn Module.",
    );
    expectTrainError(
      save({ model: { stateDict: () => ({ w: [1] }) } }),
      "INVALID_OPTION",
      "saveCheckpoint: model.stateDict().w must be a Tensor, but got an array of length 1.",
    );
  });
});
