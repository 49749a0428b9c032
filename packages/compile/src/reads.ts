import { Tensor } from "@x/tensor";

/** The `Tensor` methods that read values into JavaScript (a plan cannot know their result). */
const READS = ["item", "toArray", "toTypedArray", "toString"] as const;

type Methods = Record<(typeof READS)[number], (this: Tensor, ...args: unknown[]) => unknown>;
type OnRead = (op: string, tensor: Tensor) => void;

let watcher: OnRead | null = null;
let installed = false;

/**
 * Wraps the read methods once (not per call: rewriting a prototype on every call would throw
 * away the engine's inline caches for every tensor method).
 */
function install(): void {
  installed = true;
  const proto = Tensor.prototype as unknown as Methods;
  for (const name of READS) {
    const original = proto[name];
    proto[name] = function (this: Tensor, ...args: unknown[]) {
      if (watcher !== null) watcher(name, this);
      return original.apply(this, args);
    };
  }
}

/**
 * Routes every value read (`item()`, `toArray()`, …) through `onRead(op, tensor)` before it
 * happens, until the returned function is called.
 */
export function watchReads(onRead: OnRead): () => void {
  if (!installed) install();
  const previous = watcher;
  watcher = onRead;
  return () => {
    watcher = previous;
  };
}
