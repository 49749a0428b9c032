/**
 * Modules against torch 1.13 (fixtures/nn.json): `toString()` prints exactly what torch prints,
 * and names and order of namedParameters, stateDict and namedModules are torch's; loadStateDict's
 * errors carry torch's message and its missing/unexpected keys.
 */
import { NNError } from "@x/nn";
import { type Tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage.ts";
import { casesOf, nnFixture } from "./fixture.ts";
import { buildModel } from "./models.ts";

interface ModelCase {
  name: string;
  repr: string;
  namedParameters: string[];
  stateDict: string[];
  namedModules: string[];
}

interface LoadCase {
  model: string;
  source: string;
  drop: string[];
  extra: Record<string, number[]>;
  strict: boolean;
  error?: string;
  result?: { missingKeys: string[]; unexpectedKeys: string[] };
}

describe(`modules print and name their members as torch ${nnFixture.torch}`, () => {
  it.each(casesOf<ModelCase>("model"))("%s", (_, c) => {
    const model = buildModel(c.name);
    expect(model.toString()).toBe(c.repr);
    expect(model.namedParameters().map(([name]) => name)).toEqual(c.namedParameters);
    expect(Object.keys(model.stateDict())).toEqual(c.stateDict);
    expect(model.namedModules().map(([name]) => name)).toEqual(c.namedModules);
  });
});

describe(`loadStateDict checks keys and shapes as torch ${nnFixture.torch}`, () => {
  it.each(casesOf<LoadCase>("load"))("%s", (_, c) => {
    const model = buildModel(c.model);
    const state: Record<string, Tensor> = buildModel(c.source).stateDict();
    for (const key of c.drop) delete state[key];
    for (const [key, shape] of Object.entries(c.extra)) state[key] = zeros(shape);
    const before = Object.values(model.stateDict()).map((t) => t.toArray());
    if (c.error !== undefined) {
      const error = thrownBy(() => model.loadStateDict(state, { strict: c.strict }));
      expect(NNError.isInstance(error)).toBe(true);
      const { code, message } = error as NNError;
      expect(message).toContain(c.error);
      expect(code).toBe(
        c.error.includes("Missing key")
          ? "MISSING_KEYS"
          : c.error.includes("Unexpected key")
            ? "UNEXPECTED_KEYS"
            : "SHAPE_MISMATCH",
      );
      // nothing was copied
      expect(Object.values(model.stateDict()).map((t) => t.toArray())).toEqual(before);
    } else {
      expect(model.loadStateDict(state, { strict: c.strict })).toEqual(c.result);
    }
  });
});
