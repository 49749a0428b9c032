/**
 * The live demos train through `@x/compile` (lib/compiled-step.ts): every number they show —
 * losses, accuracies, parameter paths, divergence epochs — is the same as the eager loop's.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ClassifierRun } from "../lib/classifier";
import { demoSteps } from "../lib/compiled-step";
import { gradientDescent } from "../lib/descent";
import { thermometer } from "../lib/model";
import { train } from "../lib/race";
import { ThermometerNets } from "../lib/thermometer-nets";

/** `run()` eagerly and compiled; returns both results. */
function bothWays<T>(run: () => T): { eager: T; compiled: T } {
  demoSteps.compile = false;
  const eager = run();
  demoSteps.compile = true;
  return { eager, compiled: run() };
}

afterEach(() => {
  demoSteps.compile = true;
});

const parameters = (tensors: Iterable<{ toArray(): unknown }>) =>
  [...tensors].map((t) => t.toArray());

describe("the demos' compiled training loops give the eager numbers", () => {
  const scaled = thermometer({ scale: 0.1 });
  const raw = thermometer();

  for (const [name, lr, data] of [
    ["SGD", 1e-2, scaled],
    ["Adam", 1e-1, raw],
    ["SGD", 1e-2, raw], // diverges on raw data: stops at the same epoch, same parameters
  ] as const) {
    it(`the optimizer race: ${name} lr ${lr}`, () => {
      const { eager, compiled } = bothWays(() => {
        const { ms: _ms, ...rest } = train(name, { ...data, lr, epochs: 300 });
        return rest;
      });
      expect(eager.divergedAt === null).toBe(data === scaled || name === "Adam");
      expect(compiled).toEqual(eager);
    });
  }

  for (const [lr, data] of [
    [1e-2, scaled],
    [1e-2, raw],
  ] as const) {
    it(`gradient descent with autograd, lr ${lr}`, () => {
      const { eager, compiled } = bothWays(() => gradientDescent({ ...data, lr, epochs: 200 }));
      expect(eager.divergedAt === null).toBe(data === scaled);
      expect(compiled).toEqual(eager);
    });
  }

  it("chapter 6's network and linear model, side by side", () => {
    const { eager, compiled } = bothWays(() => {
      const nets = new ThermometerNets({ hidden: 13, lr: 1e-3, seed: 42 });
      for (let i = 0; i < 100; i++) nets.step();
      return {
        records: nets.records,
        network: parameters(nets.network.parameters()),
        linear: parameters(nets.linear.parameters()),
      };
    });
    expect(eager.records).toHaveLength(100);
    expect(compiled).toEqual(eager);
  });

  for (const optimizer of ["adam", "sgd"] as const) {
    it(`the classifier (${optimizer})`, () => {
      const { eager, compiled } = bothWays(() => {
        const run = new ClassifierRun({
          dataset: "spirals",
          hidden: 16,
          activation: "relu",
          optimizer,
          lr: optimizer === "adam" ? 1e-2 : 1e-1,
          seed: 0,
        });
        for (let i = 0; i < 30; i++) run.step();
        return { records: run.records, params: parameters(run.model.parameters()) };
      });
      expect(eager.records).toHaveLength(30);
      expect(compiled).toEqual(eager);
    });
  }
});
