import { isGradEnabled as gradMode, setGradMode } from "@x/tensor/internal";
import { AutogradError } from "./errors";

/** True when ops on tensors that require grad are recorded (the default). */
export function isGradEnabled(): boolean {
  return gradMode();
}

/** Runs `fn` with grad mode set to `enabled`, restoring it afterwards (even when `fn` throws). */
export function withGradMode<T>(enabled: boolean, api: string, fn: () => T): T {
  if (typeof fn !== "function") {
    throw new AutogradError(
      "INVALID_ARGUMENT",
      api,
      `expected a function, but got ${typeof fn}. Hint: ${api}(() => { ... }).`,
    );
  }
  const previous = gradMode();
  setGradMode(enabled);
  try {
    const result = fn();
    if (typeof (result as { then?: unknown } | null)?.then === "function") {
      Promise.resolve(result).catch(() => undefined); // the caller gets our error instead
      throw new AutogradError(
        "ASYNC_GRAD_MODE",
        api,
        `the callback returned a Promise. Grad mode is synchronous state, so it cannot cover code after an await. Hint: call ${api} around the synchronous part only, and await outside it.`,
      );
    }
    return result;
  } finally {
    setGradMode(previous);
  }
}

/** Runs `fn` with gradient recording off (like `with torch.no_grad():`) and returns its value. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, "noGrad", fn);
}

/** Runs `fn` with gradient recording on, even inside `noGrad`, and returns its value. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, "enableGrad", fn);
}

/**
 * Switches gradient recording. With a callback, only for that call (the previous state is
 * restored even when it throws); without one, from now on, like `torch.set_grad_enabled(flag)`.
 */
export function setGradEnabled(enabled: boolean): void;
export function setGradEnabled<T>(enabled: boolean, fn: () => T): T;
export function setGradEnabled<T>(enabled: boolean, fn?: () => T): T | undefined {
  if (typeof enabled !== "boolean") {
    throw new AutogradError(
      "INVALID_ARGUMENT",
      "setGradEnabled",
      `expected a boolean, but got ${typeof enabled}.`,
    );
  }
  if (fn === undefined) {
    setGradMode(enabled);
    return undefined;
  }
  return withGradMode(enabled, "setGradEnabled", fn);
}
