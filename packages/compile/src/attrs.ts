import { Tensor } from "@x/tensor";

/**
 * Attribute keys whose numbers fix an output's shape or layout, not a value: a change there
 * means a different launch, while any other number (a learning rate, `alpha`, a clamp bound)
 * is a scalar the plan re-reads on every call.
 */
const STRUCTURAL = new Set([
  "dim",
  "dims",
  "dim0",
  "dim1",
  "dim2",
  "start",
  "end",
  "step",
  "length",
  "index",
  "size",
  "sizes",
  "shape",
  "k",
  "offset",
  "diagonal",
  "groups",
  "stride",
  "padding",
  "dilation",
  "kernelSize",
  "outputPadding",
  "repeats",
  "shifts",
  "numClasses",
]);

/**
 * True when two attribute values of one op describe the same launch: equal everywhere except
 * numbers under non-structural keys (scalars, which may change from call to call).
 */
export function sameStructure(a: unknown, b: unknown, key = ""): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") {
    return !STRUCTURAL.has(key) || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (a instanceof Tensor && b instanceof Tensor) return sameLayout(a, b);
  if (!isPlain(a) || !isPlain(b)) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameStructure(a[i], b[i], key)) return false;
    return true;
  }
  // for-in, not Object.keys: no array per comparison (this runs for every launch of every call)
  let count = 0;
  for (const k in a) {
    count++;
    if (!sameStructure((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], k))
      return false;
  }
  for (const _ in b) count--;
  return count === 0;
}

/**
 * Tensors in attrs (an index a gather reads) compare by dtype and layout: each call makes its own
 * view objects; {@link attrTensors} lets the plan check which storage they read.
 */
function sameLayout(a: Tensor, b: Tensor): boolean {
  return (
    a.dtype === b.dtype &&
    a.offset === b.offset &&
    sameNumbers(a.shape, b.shape) &&
    sameNumbers(a.strides, b.strides)
  );
}

/** True when two shapes (or stride lists) are equal. */
export function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The tensors an op's attributes hold (an index tensor, say), in a fixed walk order. */
export function attrTensors(attrs: unknown, into: Tensor[] = []): Tensor[] {
  if (attrs instanceof Tensor) into.push(attrs);
  else if (isPlain(attrs)) {
    for (const key in attrs) attrTensors((attrs as Record<string, unknown>)[key], into);
  }
  return into;
}

/** Plain records and arrays compare by content; anything else by identity. */
function isPlain(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}
