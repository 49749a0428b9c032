/**
 * An optimizer step is a sequence of kernel launches that a tracer (@x/compile) can see, with
 * the learning rate as a scalar argument of the launch, never baked into a closure: a
 * scheduler's new rate shows up in the next step's launch.
 */
import "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { type AnyOpSpec, setTracer } from "@x/tensor/internal";
import { afterEach, describe, expect, it } from "vitest";
import { Adam, SGD, StepLR } from "../src/index";

interface Launch {
  op: string;
  output: Tensor;
  attrs: unknown;
  inPlace: boolean;
}

function traceStep(step: () => void): Launch[] {
  const launches: Launch[] = [];
  setTracer({
    launch: (spec: AnyOpSpec, _inputs, output, attrs, inPlace) =>
      void launches.push({ op: spec.name, output, attrs, inPlace }),
  });
  try {
    step();
  } finally {
    setTracer(null);
  }
  return launches;
}

afterEach(() => setTracer(null));

describe("optimizer steps through the dispatch seam", () => {
  it("SGD's update is one in-place launch on the parameter, with -lr as its argument", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const optimizer = new SGD([p], { lr: 0.1 });
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    const rates: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      p.mul(p).sum().backward();
      const launches = traceStep(() => optimizer.step());
      expect(launches.map((l) => [l.op, l.inPlace])).toEqual([["addScaled", true]]);
      expect((launches[0] as Launch).output).toBe(p);
      rates.push((launches[0] as Launch).attrs);
      optimizer.zeroGrad();
      scheduler.step();
    }
    expect(rates).toEqual([{ alpha: -0.1 }, { alpha: -0.05 }, { alpha: -0.025 }]);
  });

  it("Adam's state updates are in-place launches too", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const optimizer = new Adam([p], { lr: 0.01 });
    p.mul(p).sum().backward();
    const launches = traceStep(() => optimizer.step());
    const inPlace = launches.filter((l) => l.inPlace).map((l) => l.op);
    expect(inPlace).toEqual(["mul", "addScaled", "mul", "addcmul", "addcdiv"]);
    expect(launches.at(-1)?.output).toBe(p);
    expect(launches.at(-1)?.attrs).toEqual({ value: -(0.01 / (1 - 0.9)) });
  });
});
