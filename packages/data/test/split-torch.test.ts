/**
 * randomSplit draws what PyTorch's `random_split` draws: after the same seed, subset k holds
 * torch's indices (the cases of @x/tensor's random_torch.json, written by random_torch.py
 * from `random_split(range(n), lengths, generator=torch.Generator().manual_seed(seed))`).
 */
import { readFileSync } from "node:fs";
import { arange, Generator } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { randomSplit, TensorDataset } from "../src/index";
import { values } from "./helpers";

interface SplitCall {
  op: string;
  n: number;
  lengths: number[];
  out: number[][];
}

const fixture = JSON.parse(
  readFileSync(new URL("../../tensor/test/fixtures/random_torch.json", import.meta.url), "utf8"),
) as { cases: { name: string; seed: number; calls: SplitCall[] }[] };
const cases = fixture.cases.filter((c) => c.calls.every((call) => call.op === "randomSplit"));

describe("randomSplit against torch.utils.data.random_split", () => {
  it("the fixtures hold split cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const generator = new Generator(c.seed);
    for (const call of c.calls) {
      const dataset = new TensorDataset(arange(call.n));
      const subsets = randomSplit(dataset, call.lengths, { generator });
      expect(subsets.map((s) => values(s.indices))).toEqual(call.out);
    }
  });
});
