/** A decimal number, maybe signed, with a leading or trailing dot and an exponent, maybe padded. */
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** How tables mark a missing value: pandas (`NaN`), R (`NA`), SQL and JSON (`null`), Python. */
const MISSING_MARKERS = new Set(["nan", "-nan", "+nan", "na", "n/a", "null", "none"]);
const INFINITY = /^[+-]?inf(?:inity)?$/i;

/** The number a cell holds, or NaN when it holds no finite float32 (see {@link cellKind}). */
export function cellValue(cell: string): number {
  // Fast path, about 3× quicker than the pattern: Number() reads every decimal the pattern
  // accepts, and more only for "" and blanks (0), hex, binary and octal (which start "0x", "0b",
  // "0o") and a leading blank, all sent to the pattern below.
  const value = +cell;
  if (value !== 0 && Number.isFinite(Math.fround(value)) && cell.charCodeAt(0) > 32) {
    const second = cell.charCodeAt(1) | 32; // lower case
    if (second !== 120 && second !== 98 && second !== 111) return value; // x, b, o
  }
  if (!NUMBER.test(cell)) return Number.NaN;
  const checked = Number(cell);
  return Number.isFinite(Math.fround(checked)) ? checked : Number.NaN;
}

/** Why a cell is not a finite float32, for the error or the dropped row. */
export type CellProblem = "empty" | "marker" | "infinite" | "overflow" | "text";

/** What is wrong with a cell for which {@link cellValue} gave NaN. */
export function cellKind(cell: string): CellProblem {
  const trimmed = cell.trim();
  if (trimmed === "") return "empty";
  if (MISSING_MARKERS.has(trimmed.toLowerCase())) return "marker";
  if (INFINITY.test(trimmed)) return "infinite";
  return NUMBER.test(trimmed) ? "overflow" : "text";
}

/** True for a cell that names a column rather than holding a value, missing or not. */
export function isName(cell: string): boolean {
  return Number.isNaN(cellValue(cell)) && cellKind(cell) === "text";
}
