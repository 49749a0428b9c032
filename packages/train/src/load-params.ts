import { noGrad } from "@x/autograd";
import { formatShape, type Tensor } from "@x/tensor";
import { TrainError } from "./errors";

/** Options of {@link loadParams}. */
export interface LoadParamsOptions {
  /** Require the same names on both sides (default true); otherwise copy the common ones. */
  strict?: boolean;
}

/**
 * Copies `source` tensors (e.g. `loadCheckpoint(bytes).params`) into the existing `target`
 * tensors by name, in place and without recording gradients, so optimizers that hold `target`
 * keep working (like `module.load_state_dict`). Shapes and dtypes must match.
 */
export function loadParams(
  target: Record<string, Tensor>,
  source: Record<string, Tensor>,
  options: LoadParamsOptions = {},
): void {
  const op = "loadParams";
  const strict = options.strict ?? true;
  const missing = Object.keys(target).filter((name) => !Object.hasOwn(source, name));
  const unexpected = Object.keys(source).filter((name) => !Object.hasOwn(target, name));
  if (strict && (missing.length > 0 || unexpected.length > 0)) {
    throw new TrainError(
      "PARAM_MISMATCH",
      op,
      `the names differ, missing [${missing.join(", ")}] and unexpected [${unexpected.join(", ")}] (target has [${Object.keys(target).join(", ")}]). Hint: save and load with the same names, or pass { strict: false }.`,
    );
  }
  const pairs = Object.entries(target).filter(([name]) => Object.hasOwn(source, name));
  for (const [name, to] of pairs) {
    const from = source[name] as Tensor;
    const sameShape =
      from.shape.length === to.shape.length && from.shape.every((s, i) => s === to.shape[i]);
    if (!sameShape || from.dtype !== to.dtype) {
      throw new TrainError(
        "PARAM_MISMATCH",
        op,
        `${JSON.stringify(name)} differs, ${to.dtype} ${formatShape(to.shape)} vs ${from.dtype} ${formatShape(from.shape)} (target vs source). Hint: build the model with the same shapes and dtypes as the saved one.`,
      );
    }
  }
  noGrad(() => {
    for (const [name, to] of pairs) to.copy_(source[name] as Tensor);
  });
}
