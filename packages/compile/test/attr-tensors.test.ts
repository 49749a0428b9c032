import "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { compile, compileStats } from "../src/compile";
import { bits } from "./helpers";

const x = tensor([10, 20, 30, 40, 50, 60]);
const index = tensor([0, 1, 2, 3, 4, 5], { dtype: "int32" });

/**
 * An index made inside the step, read first as an input, then (after another index of its size
 * was made) only through a gather's attrs: its buffer must stay live until that gather.
 */
function body(values: Tensor, idx: Tensor): Tensor[] {
  const first = idx.flip(0);
  const firstSum = first.sum();
  const second = idx.mul(2).remainder(6);
  const secondSum = second.sum();
  return [values.gather(0, first), firstSum, secondSum, values.gather(0, second)];
}

describe("compile: tensors held in attrs", () => {
  it("an index read through attrs keeps its buffer live (same bits as eager, replayed)", () => {
    const step = compile(body);
    const eager = body(x, index).map(bits);
    for (let call = 0; call < 3; call++) expect(step(x, index).map(bits)).toEqual(eager);
    expect(compileStats(step)?.replays).toBe(2);
  });

  it("a fresh view of a planned index on every call (unsqueeze) still binds to the plan", () => {
    const step = compile((values: Tensor, idx: Tensor) =>
      values.gather(0, idx.flip(0).unsqueeze(0).squeeze(0)),
    );
    for (let call = 0; call < 4; call++) expect(bits(step(x, index))).toEqual(bits(x.flip(0)));
    expect(compileStats(step)?.replays).toBe(3);
  });

  it("an index of another layout is another launch: the call leaves the plan, same results", () => {
    const step = compile((values: Tensor, idx: Tensor) => values.gather(0, idx));
    step(x, index);
    const strided = tensor([5, 0, 4, 0, 3, 0, 2, 0, 1, 0, 0, 0], { dtype: "int32" }).index("::2");
    expect(bits(step(x, strided))).toEqual(bits(x.flip(0)));
  });
});
