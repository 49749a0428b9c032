import { AutogradError } from "../src/index";

/** The `AutogradError` that `run` throws (fails the test if it throws something else, or nothing). */
export function errorOf(run: () => unknown): AutogradError {
  try {
    run();
  } catch (error) {
    if (AutogradError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected an AutogradError");
}
