import { Tensor } from "@x/tensor";

/** The `Tensor` methods that read values into JavaScript (a plan cannot know their result). */
const READS = ["item", "toArray", "toTypedArray", "toString"] as const;

type Methods = Record<(typeof READS)[number], (this: Tensor, ...args: unknown[]) => unknown>;

/**
 * Routes every value read (`item()`, `toArray()`, …) through `onRead(op, tensor)` before it
 * happens, until the returned function restores the methods.
 */
export function watchReads(onRead: (op: string, tensor: Tensor) => void): () => void {
  const proto = Tensor.prototype as unknown as Methods;
  const originals = READS.map((name) => proto[name]);
  READS.forEach((name, i) => {
    const original = originals[i] as Methods[typeof name];
    proto[name] = function (this: Tensor, ...args: unknown[]) {
      onRead(name, this);
      return original.apply(this, args);
    };
  });
  return () => {
    READS.forEach((name, i) => {
      proto[name] = originals[i] as Methods[typeof name];
    });
  };
}
