import { readFileSync } from "node:fs";
import { type Tensor, tensor } from "@x/tensor";
import { expect } from "vitest";
import { TrainError, type TrainErrorCode } from "../src/index";

/** The book's chapter-5 reference numbers (reference/book-ch5.json, from PyTorch 1.13). */
export const book = JSON.parse(
  readFileSync(new URL("../../../reference/book-ch5.json", import.meta.url), "utf8"),
);

/** Reads a JSON fixture from test/fixtures. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

/** Asserts |actual - expected| <= atol + rtol·|expected| elementwise over nested arrays or numbers. */
export function expectClose(actual: unknown, expected: unknown, rtol = 1e-5, atol = 1e-6): void {
  const a = [actual].flat(Number.POSITIVE_INFINITY) as number[];
  const e = [expected].flat(Number.POSITIVE_INFINITY) as number[];
  expect(a.length).toBe(e.length);
  e.forEach((value, i) => {
    const got = a[i] as number;
    if (Math.abs(got - value) > atol + rtol * Math.abs(value)) {
      expect.fail(`element ${i}: expected ${value} (rtol ${rtol}, atol ${atol}), got ${got}`);
    }
  });
}

/** The book's thermometer model on params [w, b]: `x·w + b`. */
export function linearModel(params: Tensor): (x: Tensor) => Tensor {
  return (x) => {
    const [w, b] = params.unbind() as [Tensor, Tensor];
    return x.mul(w).add(b);
  };
}

/** The book's data as float32 tensors. */
export const tU = tensor(book.data.t_u as number[]);
export const tC = tensor(book.data.t_c as number[]);

/** Runs `call` and returns what it threw (fails the test when it throws nothing). */
export function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return expect.fail("expected an error, but nothing was thrown");
}

/** Asserts that `call` throws a `TrainError` with exactly this code and message. */
export function expectTrainError(call: () => unknown, code: TrainErrorCode, message: string): void {
  const error = thrownBy(call);
  expect(TrainError.isInstance(error)).toBe(true);
  expect(error).toBeInstanceOf(TrainError);
  const { code: gotCode, message: gotMessage } = error as TrainError;
  expect({ code: gotCode, message: gotMessage }).toEqual({ code, message });
}
