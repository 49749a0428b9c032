/**
 * Typed errors of the random samplers and of Generator's state: each names the op, the
 * argument and the value, and says how to fix it. Garbage arguments throw TensorErrors only.
 */
import { bernoulli, Generator, type GeneratorState, TensorError, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { onlyTensorErrors, thrownBy } from "./garbage";

const errorCases: [string, () => unknown, string, string][] = [
  [
    "uniform_: from > to",
    () => zeros(3).uniform_(1, 0),
    "INVALID_ARGUMENT",
    "uniform_: expects to return a [from, to) range, but found from=1 > to=0. Hint: pass from ≤ to, both finite.",
  ],
  [
    "uniform_: an infinite range",
    () => zeros(3).uniform_(0, Infinity),
    "INVALID_ARGUMENT",
    "uniform_: expects to return a [from, to) range, but found from=0 > to=Infinity. Hint: pass from ≤ to, both finite.",
  ],
  [
    "uniform_: an integer tensor",
    () => zeros(3, { dtype: "int32" }).uniform_(),
    "INVALID_DTYPE",
    "uniform_: expects a floating tensor, but got dtype int32. Hint: convert with .float() first.",
  ],
  [
    "normal_: std < 0",
    () => zeros(3).normal_(0, -1),
    "INVALID_ARGUMENT",
    "normal_: expects std >= 0.0, but found std -1. Hint: std is a standard deviation, not a variance.",
  ],
  [
    "normal_: a string mean",
    () => zeros(3).normal_("1" as unknown as number),
    "INVALID_ARGUMENT",
    'normal_: mean must be a number, but got "1".',
  ],
  [
    "normal_: a bool tensor",
    () => zeros(3, { dtype: "bool" }).normal_(),
    "INVALID_DTYPE",
    "normal_: expects a floating tensor, but got dtype bool. Hint: convert with .float() first.",
  ],
  [
    "bernoulli: p above 1",
    () => bernoulli(tensor([0.2, 1.5])),
    "INVALID_ARGUMENT",
    "bernoulli: expects p to be in [0, 1], but got p=1.5. Hint: p is a probability.",
  ],
  [
    "bernoulli: integer probabilities",
    () => tensor([0, 1], { dtype: "int32" }).bernoulli(),
    "INVALID_DTYPE",
    "bernoulli: expects a floating tensor of probabilities, but got dtype int32. Hint: convert with .float() first.",
  ],
  [
    "bernoulli_: p below 0",
    () => zeros(2).bernoulli_(-0.5),
    "INVALID_ARGUMENT",
    "bernoulli_: expects p to be in [0, 1], but got p=-0.5. Hint: p is a probability.",
  ],
  [
    "bernoulli_: p that does not broadcast",
    () => zeros(3).bernoulli_(zeros(2, 3)),
    "SHAPE_MISMATCH",
    "bernoulli_: p of shape [2, 3] cannot be broadcast to the shape [3]. Hint: p must broadcast to the tensor without growing it.",
  ],
  [
    "a generator that is not a Generator",
    () => zeros(2).normal_(0, 1, { generator: {} as Generator }),
    "INVALID_ARGUMENT",
    "normal_: generator must be a Generator, but got an object. Hint: pass new Generator().manualSeed(seed).",
  ],
  [
    "Generator: an unknown algorithm",
    () => new Generator(0, { algorithm: "xorshift" as "philox" }),
    "INVALID_ARGUMENT",
    "Generator: algorithm must be 'mt19937' or 'philox', but got \"xorshift\".",
  ],
  [
    "setState: a truncated mt19937 key",
    () =>
      new Generator(0).setState({ ...new Generator(0).getState(), key: [1, 2] } as GeneratorState),
    "INVALID_ARGUMENT",
    "Generator.setState: expected an mt19937 state from getState() ({ key: 624 uint32 words, left, next }), but got an object.",
  ],
  [
    "setState: a state without an algorithm",
    () => new Generator(0).setState({ seed: 0, counter: 0, available: 0 } as never),
    "INVALID_ARGUMENT",
    "Generator.setState: algorithm must be 'mt19937' or 'philox', but got undefined.",
  ],
];

describe("bad arguments throw typed errors", () => {
  it.each(errorCases)("%s", (_, fn, code, message) => {
    const e = thrownBy(fn) as TensorError;
    expect(TensorError.isInstance(e) && { code: e.code, message: e.message }).toEqual({
      code,
      message,
    });
  });

  it("garbage arguments only ever throw TensorErrors", () => {
    onlyTensorErrors((t, a) => t.clone().uniform_(...(a as [number, number])), 200, 1);
    onlyTensorErrors((t, a) => t.clone().normal_(...(a as [number, number])), 200, 2);
    onlyTensorErrors((t, a) => t.clone().bernoulli_(...(a as [number])), 200, 3);
    onlyTensorErrors((t) => t.bernoulli(), 200, 4);
  });
});
