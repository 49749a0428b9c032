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

/** Plain records and arrays compare by content; anything else (a tensor in attrs) by identity. */
function isPlain(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}
