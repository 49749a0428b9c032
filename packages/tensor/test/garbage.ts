/**
 * What the error tests share: the error a call throws, and the random garbage (with tensors of
 * assorted shapes and dtypes) that public entry points must answer with TensorErrors only.
 */
import * as x from "@x/tensor";
import { type Tensor, TensorError, tensor, zeros } from "@x/tensor";
import fc from "fast-check";

/** The error `fn` throws (fails the test when it returns normally). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned normally");
}

/**
 * Values a confused caller might pass anywhere: undefined, null, NaN, infinities, strings,
 * fractions, wrong arrays, plain objects. Numbers stay small so that a valid-looking call does
 * not ask for gigabytes.
 */
export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    1.5,
    -0.5,
    true,
    false,
    "",
    "2",
    "float32",
    [],
    [Number.NaN],
    [null],
    [-1, -1],
    ["a"],
    [[1], [2, 3]],
    {},
    { dtype: "float16" },
    { dtype: "int32", requiresGrad: true },
    { keepdim: "yes", correction: 1 },
    { rtol: -1, equalNan: 1 },
    { atol: "1" },
  ),
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -5, max: 5 }),
  fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null), fc.string()), {
    maxLength: 3,
  }),
  fc.dictionary(
    fc.constantFrom("dtype", "requiresGrad", "keepdim", "a"),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
    { maxKeys: 2, noNullPrototype: true },
  ),
);

/** Tensors of assorted shapes and dtypes, so that calls get past the first argument check. */
export const someTensor: fc.Arbitrary<Tensor> = fc
  .constantFrom(
    () => tensor(1.5),
    () => zeros([3]),
    () => zeros([2, 3]),
    () => zeros([2, 0]),
    () => zeros([2, 3]).t(),
    () => tensor([1, 2], { dtype: "int32" }),
    () => tensor([true, false]),
  )
  .map((make) => make());

/** One entry point under test: gets a tensor and the other arguments. */
export type Call = (t: Tensor, a: unknown[]) => unknown;
type AnyFunction = (...args: unknown[]) => unknown;
/** The method `name` of the tensor, called with the other arguments. */
export const method =
  (name: string): Call =>
  (t, a) =>
    (t as unknown as Record<string, AnyFunction>)[name]!.apply(t, a);
/** The exported function `name`, called with the other arguments only. */
export const exported =
  (name: string): Call =>
  (_, a) =>
    (x as unknown as Record<string, AnyFunction>)[name]!(...a);

/** Runs `run` on random tensors and garbage arguments; anything thrown must be a TensorError. */
export function onlyTensorErrors(run: Call, numRuns: number, seed: number): void {
  fc.assert(
    fc.property(someTensor, fc.array(fc.oneof(garbage, someTensor), { maxLength: 3 }), (t, a) => {
      try {
        run(t, a);
      } catch (error) {
        if (!TensorError.isInstance(error)) throw error;
      }
    }),
    { numRuns, seed },
  );
}
