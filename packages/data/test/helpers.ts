import { expect } from "vitest";
import { DataError, type DataErrorCode } from "../src/index";

/** Runs `fn`, expects a DataError with `code`, and returns it for further checks. */
export function catchDataError(fn: () => unknown, code: DataErrorCode): DataError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(DataError.isInstance(caught), `expected a DataError, got ${String(caught)}`).toBe(true);
  const error = caught as DataError;
  expect(error).toBeInstanceOf(DataError);
  expect(error.code).toBe(code);
  return error;
}

/** Expects `fn` to throw a DataError with `code` and exactly `message`. */
export function expectDataError(
  fn: () => unknown,
  code: DataErrorCode,
  message: string,
): DataError {
  const error = catchDataError(fn, code);
  expect(error.message).toBe(message);
  return error;
}

/** The values of a tensor-like as a plain number array. */
export function values(t: { toTypedArray(): ArrayLike<number> }): number[] {
  return Array.from(t.toTypedArray());
}
