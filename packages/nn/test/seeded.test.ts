/**
 * After `manualSeed(s)`, models and `init` give torch's exact numbers: the state dicts of models
 * built right after `torch.manual_seed(s)` and `nn.init.*` applied to `torch.empty(shape)`
 * (fixtures/nn.json, groups "seeded" and "init", written by fixtures/generate.py).
 */
import { init } from "@x/nn";
import { type DType, empty, manualSeed, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import { casesOf, type TensorJson } from "./fixture";
import { MODELS } from "./models";

interface SeededCase {
  seed: number;
  model: string;
  stateDict: Record<string, TensorJson>;
}

interface InitCase {
  seed: number;
  fn: string;
  args: number[];
  kwargs: { a?: number; mode?: "fan_in" | "fan_out"; nonlinearity?: "relu" };
  shape: number[];
  dtype: DType;
  out: TensorJson;
}

const initializers: Record<string, (t: Tensor, c: InitCase) => Tensor> = {
  uniform_: (t, c) => init.uniform_(t, ...(c.args as [number, number])),
  normal_: (t, c) => init.normal_(t, ...(c.args as [number, number])),
  xavier_uniform_: (t) => init.xavierUniform_(t),
  xavier_normal_: (t) => init.xavierNormal_(t),
  kaiming_uniform_: (t, c) => init.kaimingUniform_(t, c.kwargs),
  kaiming_normal_: (t, c) => init.kaimingNormal_(t, c.kwargs),
};

describe("seeded models start from torch's weights", () => {
  it.each(casesOf<SeededCase>("seeded"))("%s", (_, c) => {
    manualSeed(c.seed);
    const build = MODELS[c.model];
    expect(build).toBeDefined();
    const state = build!().stateDict();
    expect(Object.keys(state)).toEqual(Object.keys(c.stateDict));
    for (const [name, want] of Object.entries(c.stateDict)) {
      expect([name, tensorMismatches(state[name] as Tensor, want, "exact")]).toEqual([name, []]);
    }
  });
});

describe("init after manualSeed gives torch's numbers", () => {
  it.each(casesOf<InitCase>("init"))("%s", (_, c) => {
    manualSeed(c.seed);
    const t = initializers[c.fn]!(empty(c.shape, { dtype: c.dtype }), c);
    expect(tensorMismatches(t, c.out, "exact")).toEqual([]);
  });
});
