import { AutogradError } from "@x/autograd";
import { DataError } from "@x/data";
import { OptimError } from "@x/optim";
import { TensorError } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { TrainError } from "../src/index.js";

// Every package's error class is built and read the same way: `new E(code, op, message)`, with
// `code`, `op`, and a message prefixed by the op. Users catching errors across packages rely on it.
const classes = [
  ["TensorError", TensorError, "INVALID_ARGUMENT"],
  ["AutogradError", AutogradError, "INVALID_ARGUMENT"],
  ["OptimError", OptimError, "INVALID_ARGUMENT"],
  ["DataError", DataError, "INVALID_ARGUMENT"],
  ["TrainError", TrainError, "INVALID_OPTION"],
] as const;

describe("error classes share one constructor shape", () => {
  it.each(classes)("%s(code, op, message)", (name, ErrorClass, code) => {
    const error = new (ErrorClass as new (c: string, o: string, m: string) => Error)(
      code,
      "someOp",
      "what went wrong. Hint: the fix.",
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe("someOp: what went wrong. Hint: the fix.");
    expect(error).toMatchObject({ code, op: "someOp" });
    expect((ErrorClass as { isInstance(e: unknown): boolean }).isInstance(error)).toBe(true);
  });
});
