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

/**
 * Remembers the last call's signature: a call with the same argument objects (and the same
 * `requiresGrad` flags and grad mode) reuses it without building the string again.
 */
export class SignatureCache {
  private args: readonly unknown[] = [];
  private flags: boolean[] = [];
  private gradMode = false;
  private key = "";

  /** The signature of `args` (see {@link signatureOf}). */
  of(args: readonly unknown[]): string {
    if (this.matches(args)) return this.key;
    this.args = args.slice();
    this.flags = args.map((arg) => arg instanceof Tensor && arg.requiresGrad);
    this.gradMode = isGradEnabled();
    this.key = signatureOf(args);
    return this.key;
  }

  private matches(args: readonly unknown[]): boolean {
    if (args.length !== this.args.length || isGradEnabled() !== this.gradMode || this.key === "")
      return false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg !== this.args[i]) return false;
      if (arg instanceof Tensor && arg.requiresGrad !== this.flags[i]) return false;
    }
    return true;
  }
}

/** The storages of the tensors in a step's return value (tensors, arrays, plain records). */
export function returnedStorages(
  value: unknown,
  into = new Set<Tensor["storage"]>(),
): Set<Tensor["storage"]> {
  if (value instanceof Tensor) into.add(value.storage);
  else if (Array.isArray(value)) for (const item of value) returnedStorages(item, into);
  else if (
    typeof value === "object" &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  )
    for (const item of Object.values(value)) returnedStorages(item, into);
  return into;
}
