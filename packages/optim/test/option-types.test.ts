import "@x/autograd";
import { tensor } from "@x/tensor";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  Adagrad,
  type AdagradOptions,
  Adam,
  type AdamOptions,
  AdamW,
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  ExponentialLR,
  type ExponentialLROptions,
  LinearLR,
  type LinearLROptions,
  MultiStepLR,
  type MultiStepLROptions,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  RMSprop,
  type RMSpropOptions,
  SGD,
  type SGDOptions,
  StepLR,
  type StepLROptions,
} from "../src/index";

// These are compile-time checks as much as run-time ones: `pnpm typecheck` compiles this file.
const param = () => tensor([1, 2], { requiresGrad: true });

describe("exported option types are the ones users write", () => {
  it("an optimizer's options type takes any subset of its options, as its constructor does", () => {
    const sgd: SGDOptions = { lr: 1e-2 };
    const adam: AdamOptions = { betas: [0.9, 0.99] };
    const rmsprop: RMSpropOptions = { momentum: 0.9 };
    const adagrad: AdagradOptions = {};
    expect(new SGD([param()], sgd).defaults).toMatchObject({ lr: 1e-2, momentum: 0 });
    expect(new Adam([param()], adam).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.99] });
    expect(new AdamW([param()], adam).defaults.weightDecay).toBe(1e-2);
    expect(new RMSprop([param()], rmsprop).defaults).toMatchObject({ lr: 1e-2, momentum: 0.9 });
    expect(new Adagrad([param()], adagrad).defaults.eps).toBe(1e-10);
    expectTypeOf<ConstructorParameters<typeof SGD>[1]>().toEqualTypeOf<SGDOptions | undefined>();
    expectTypeOf<ConstructorParameters<typeof Adam>[1]>().toEqualTypeOf<AdamOptions | undefined>();
    expectTypeOf<ConstructorParameters<typeof AdamW>[1]>().toEqualTypeOf<AdamOptions | undefined>();
    expectTypeOf<ConstructorParameters<typeof RMSprop>[1]>().toEqualTypeOf<
      RMSpropOptions | undefined
    >();
    expectTypeOf<ConstructorParameters<typeof Adagrad>[1]>().toEqualTypeOf<
      AdagradOptions | undefined
    >();
    // What the optimizer holds is resolved: every option is there.
    expectTypeOf(new SGD([param()]).defaults.momentum).toEqualTypeOf<number>();
    expectTypeOf(new Adam([param()]).paramGroups[0]?.betas).toEqualTypeOf<
      [number, number] | undefined
    >();
  });

  it("a scheduler's options type requires only the settings without a default", () => {
    const optimizer = new SGD([param()], { lr: 1 });
    const step: StepLROptions = { stepSize: 10 };
    const multi: MultiStepLROptions = { milestones: [2] };
    const exponential: ExponentialLROptions = { gamma: 0.5 };
    const cosine: CosineAnnealingLROptions = { tMax: 10 };
    const linear: LinearLROptions = {};
    const plateau: ReduceLROnPlateauOptions = { patience: 3 };
    expect(new StepLR(optimizer, step).getLastLr()).toEqual([1]);
    expect(new MultiStepLR(optimizer, multi).getLastLr()).toEqual([1]);
    expect(new ExponentialLR(optimizer, exponential).getLastLr()).toEqual([1]);
    expect(new CosineAnnealingLR(optimizer, cosine).getLastLr()).toEqual([1]);
    expect(new LinearLR(optimizer, linear).getLastLr()).toEqual([1 / 3]);
    expect(new ReduceLROnPlateau(optimizer, plateau).stateDict().patience).toBe(3);
    expectTypeOf<ConstructorParameters<typeof StepLR>[1]>().toEqualTypeOf<StepLROptions>();
    expectTypeOf<ConstructorParameters<typeof LinearLR>[1]>().toEqualTypeOf<
      LinearLROptions | undefined
    >();
  });
});
