/**
 * init: torch's bounds and standard deviations (fan in/out, gains, `a`, mode), checked by the
 * values' range and moments on large tensors, and the layers' default initialisation. The exact
 * numbers follow the random stream and are not compared here.
 */
import { init, Linear, NNError } from "@x/nn";
import { empty, Generator, type Tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage.ts";

function moments(t: Tensor): { min: number; max: number; mean: number; std: number } {
  const values = t.toTypedArray() as Float32Array;
  let sum = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    squares += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  return { min, max, mean, std: Math.sqrt(squares / values.length - mean * mean) };
}

/** A uniform U(-b, b) sample: inside the bounds, reaching close to them, std b/√3. */
function expectUniform(t: Tensor, bound: number): void {
  const { min, max, mean, std } = moments(t);
  expect(min).toBeGreaterThanOrEqual(-bound);
  expect(max).toBeLessThanOrEqual(bound);
  expect(max - min).toBeGreaterThan(1.99 * bound);
  // four standard errors of the mean of t.numel() uniform draws
  expect(Math.abs(mean)).toBeLessThan((4 * bound) / Math.sqrt(3 * t.numel()));
  expect(std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
}

function expectNormal(t: Tensor, mean: number, std: number): void {
  const m = moments(t);
  expect(Math.abs(m.mean - mean)).toBeLessThan(0.02 * std);
  expect(m.std / std).toBeCloseTo(1, 1);
}

describe("init with torch's formulas", () => {
  // [out, in, kh, kw]: fan_in = 8·3·3 = 72, fan_out = 16·3·3 = 144
  const conv = () => empty(16, 8, 3, 3);

  it("uniform_ and normal_ draw from the asked range and moments", () => {
    expectUniform(init.uniform_(empty(200, 100), -3, 3), 3);
    expectNormal(init.normal_(empty(200, 100), 2, 0.5), 2, 0.5);
  });

  it("constant_, zeros_, ones_ fill", () => {
    expect(init.constant_(empty(2), 0.5).toArray()).toEqual([0.5, 0.5]);
    expect(init.zeros_(empty(2)).toArray()).toEqual([0, 0]);
    expect(init.ones_(empty(2)).toArray()).toEqual([1, 1]);
  });

  it("xavierUniform_: bound = gain·√(6 / (fan_in + fan_out)); xavierNormal_: std = gain·√(2 / (…))", () => {
    expectUniform(init.xavierUniform_(conv(), { gain: 2 }), 2 * Math.sqrt(6 / (72 + 144)));
    expectNormal(init.xavierNormal_(empty(300, 200)), 0, Math.sqrt(2 / 500));
  });

  it("kaimingUniform_: bound = gain(a)·√(3 / fan), mode and nonlinearity as torch's", () => {
    const gain = Math.sqrt(2 / (1 + 5)); // leaky_relu with a = √5
    expectUniform(init.kaimingUniform_(conv(), { a: Math.sqrt(5) }), gain * Math.sqrt(3 / 72));
    expectUniform(
      init.kaimingUniform_(conv(), { mode: "fan_out", nonlinearity: "relu" }),
      Math.sqrt(2) * Math.sqrt(3 / 144),
    );
    expectNormal(
      init.kaimingNormal_(empty(300, 200), { nonlinearity: "tanh" }),
      0,
      5 / 3 / Math.sqrt(200),
    );
  });

  it("a generator makes the draw reproducible and leaves the global stream alone", () => {
    const a = init.kaimingUniform_(empty(3, 4), { generator: new Generator(7) });
    const b = init.kaimingUniform_(empty(3, 4), { generator: new Generator(7) });
    expect(a.toArray()).toEqual(b.toArray());
  });

  it("filling a parameter records no gradient and keeps it a leaf", () => {
    const layer = new Linear(3, 2);
    init.normal_(layer.weight);
    expect(layer.weight.isLeaf && layer.weight.requiresGrad).toBe(true);
  });

  it("bad input: typed errors naming the initialiser", () => {
    const cases: [() => unknown, string][] = [
      [() => init.xavierUniform_(zeros(3)), "fewer than 2 dimensions"],
      [
        () => init.kaimingUniform_(zeros(2, 2), { mode: "fanIn" as never }),
        'Mode "fanIn" not supported',
      ],
      [() => init.calculateGain("swish" as never), "Unsupported nonlinearity"],
      [() => init.calculateGain("leaky_relu", Number.NaN), "not a valid number"],
      [() => init.uniform_(zeros(2), 1, 0), "from=1, to=0"],
      [() => init.normal_(zeros(2), 0, -1), "std=-1"],
      [() => init.ones_([1, 2] as never), "must be a Tensor"],
    ];
    for (const [fn, text] of cases) {
      const error = thrownBy(fn);
      expect(NNError.isInstance(error)).toBe(true);
      expect((error as NNError).message).toContain(text);
    }
  });
});

describe("Linear initialises as torch's", () => {
  it("weight in ±1/√in (kaiming-uniform with a = √5), bias in ±1/√in", () => {
    const layer = new Linear(400, 300);
    expectUniform(layer.weight, 1 / Math.sqrt(400));
    const bias = moments(layer.bias as Tensor);
    expect(Math.max(-bias.min, bias.max)).toBeLessThanOrEqual(1 / Math.sqrt(400));
  });

  it("an empty layer initialises without error", () => {
    expect(new Linear(0, 3).bias?.toArray()).toEqual([0, 0, 0]);
  });
});
