/** Reading fixtures/norm_losses.json (written by fixtures/norm_losses.py from torch 1.13). */
import { type Module, NNError } from "@x/nn";
import { type Tensor, tensor } from "@x/tensor";
import { expect } from "vitest";
import { buildTensor, loadFixture, type TensorJson } from "../../tensor/test/fixtures/codec.ts";
import { thrownBy } from "../../tensor/test/garbage.ts";

/** A case of norm_losses.json; the fields depend on `group` (see norm_losses.py's docstring). */
interface NormCase {
  group: string;
  name: string;
  [field: string]: unknown;
}

/** The whole of norm_losses.json. */
export const normFixture = loadFixture<{ torch: string; cases: NormCase[] }>(
  "./fixtures/norm_losses.json",
  import.meta.url,
);

/** The cases of one group, as `[name, case]` pairs for `it.each`. */
export function normCases<T>(group: string): [string, T][] {
  const cases = normFixture.cases.filter((c) => c.group === group);
  if (cases.length === 0) throw new Error(`norm_losses.json has no "${group}" cases`);
  return cases.map((c) => [c.name, c as unknown as T]);
}

/** A fixture tensor as a Tensor. */
export const build = (json: TensorJson): Tensor =>
  buildTensor(json, (values, options) => tensor(values, options));

/** torch's snake_case keyword as @x's option name (`track_running_stats` → `trackRunningStats`). */
export const camel = (key: string): string =>
  key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** A "repr" case: a torch module's class, arguments, text and state-dict keys. */
export interface ReprCase {
  module: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  repr: string;
  stateDict: string[];
}

/** Builds the module a repr case describes, with @x's option names and tensors. */
export function buildModule(c: ReprCase, classes: Record<string, unknown>): Module {
  const options = Object.fromEntries(
    Object.entries(c.kwargs).map(([k, v]) => [
      camel(k),
      typeof v === "object" && v !== null ? build(v as TensorJson) : v,
    ]),
  );
  const Class = classes[c.module] as new (...args: unknown[]) => Module;
  return new Class(...c.args, options);
}

/** Asserts that `fn` throws an NNError with `code` whose message contains `text`. */
export function expectNNError(fn: () => unknown, code: string, text: string): void {
  const error = thrownBy(fn);
  expect(NNError.isInstance(error)).toBe(true);
  expect([(error as NNError).code, (error as NNError).message]).toEqual([
    code,
    expect.stringContaining(text),
  ]);
}

export type { TensorJson };
