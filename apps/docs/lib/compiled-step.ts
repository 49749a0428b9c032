// The demos' training steps run through @x/compile: captured on the first call, replayed after,
// with the same numbers as eager execution (a step that cannot be captured runs eagerly).
import { compile } from "@x/compile";

/** Whether the demos compile their steps (the tests switch it off to compare with eager runs). */
export const demoSteps = { compile: true };

/**
 * `step` compiled with an eager fallback (or as it is when `demoSteps.compile` is false). A
 * compiled step's returned tensors are overwritten by its next call: read them before that.
 */
export function trainingStep<Args extends unknown[], Result>(
  step: (...args: Args) => Result,
): (...args: Args) => Result {
  return demoSteps.compile ? compile(step, { fallback: "eager" }) : step;
}
