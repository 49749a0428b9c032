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
  if (typeof a === "number" && typeof b === "number") {
    return !STRUCTURAL.has(key) || a === b || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (a === b) return true;
  if (!isPlain(a) || !isPlain(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const k of keysA) {
    const nextKey = Array.isArray(a) ? key : k;
    if (!sameStructure((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], nextKey))
      return false;
  }
  return true;
}

/** Plain records and arrays compare by content; anything else (a tensor in attrs) by identity. */
function isPlain(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}
