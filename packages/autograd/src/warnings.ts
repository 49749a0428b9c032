import type { Tensor } from "@x/tensor";

/** Where accumulation warnings go (console.warn unless replaced). */
export type WarningHandler = (message: string) => void;

const state: { handler: WarningHandler | null } = { handler: null };

/**
 * Opt-in teaching aid: warn when `backward()` adds into a `.grad` that still holds a previous
 * step's values (the "forgot `zero_()`" bug of chapter 5). Pass `false` to turn it off, `true`
 * for `console.warn`, or a function to receive the messages.
 */
export function warnOnGradAccumulation(setting: boolean | WarningHandler = true): void {
  state.handler =
    setting === false ? null : setting === true ? (message) => console.warn(message) : setting;
}

/** Called before accumulating into `tensor.grad`. */
export function accumulationWarning(tensor: Tensor): void {
  if (state.handler === null || tensor.grad === null) return;
  const values = tensor.grad.toTypedArray();
  if (!values.some((v) => v !== 0)) return;
  state.handler(
    `backward(): accumulating into a .grad of shape [${tensor.shape.join(", ")}] that was not zeroed since the last backward(). Gradients add up across backward() calls. Hint: call optimizer.zeroGrad() or params.grad.zero_() before each backward().`,
  );
}
