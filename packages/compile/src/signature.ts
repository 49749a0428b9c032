import { Tensor } from "@x/tensor";
import { isGradEnabled } from "@x/tensor/internal";

/**
 * The guard of a plan: grad mode, and each argument's dtype, shape and `requiresGrad` flag
 * (non-tensor arguments by type: their values reach the plan when the step's code runs).
 */
export function signatureOf(args: readonly unknown[]): string {
  let key = isGradEnabled() ? "grad" : "no-grad";
  for (const arg of args) {
    key +=
      arg instanceof Tensor
        ? `|${arg.dtype}[${arg.shape.join(",")}]${arg.requiresGrad ? " requires grad" : ""}`
        : `|${typeof arg}`;
  }
  return key;
}

/** The storages of the tensors in a step's return value (tensors, arrays, plain records). */
export function returnedStorages(value: unknown, into = new Set<Tensor["storage"]>()): Set<Tensor["storage"]> {
  if (value instanceof Tensor) into.add(value.storage);
  else if (Array.isArray(value)) for (const item of value) returnedStorages(item, into);
  else if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype)
    for (const item of Object.values(value)) returnedStorages(item, into);
  return into;
}
