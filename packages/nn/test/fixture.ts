/** Reading fixtures/nn.json (written by fixtures/generate.py from torch 1.13). */
import type { TensorJson } from "../../tensor/test/fixtures/codec.ts";
import { loadFixture } from "../../tensor/test/fixtures/codec.ts";

/** A case of nn.json; the fields depend on `group` (see generate.py's docstring). */
export interface NNCase {
  group: "model" | "linear" | "loss" | "gain" | "load" | "seeded" | "init";
  name: string;
  [field: string]: unknown;
}

/** The whole of nn.json. */
export const nnFixture = loadFixture<{ torch: string; cases: NNCase[] }>(
  "./fixtures/nn.json",
  import.meta.url,
);

/** The cases of one group, as `[name, case]` pairs for `it.each`. */
export function casesOf<T>(group: NNCase["group"]): [string, T][] {
  const cases = nnFixture.cases.filter((c) => c.group === group);
  if (cases.length === 0) throw new Error(`nn.json has no "${group}" cases`);
  return cases.map((c) => [c.name, c as unknown as T]);
}

export type { TensorJson };
