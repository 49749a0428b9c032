/** A decimal number, maybe signed, with a leading or trailing dot and an exponent, maybe padded. */
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** How tables mark a missing value: pandas (`NaN`), R (`NA`), SQL and JSON (`null`), Python. */
const MISSING_MARKERS = new Set(["nan", "-nan", "+nan", "na", "n/a", "null", "none"]);
const INFINITY = /^[+-]?inf(?:inity)?$/i;

/** The number a cell holds, or NaN when it holds no finite float32 (see {@link cellKind}). */
export function cellValue(cell: string): number {
  if (!NUMBER.test(cell)) return Number.NaN;
  const value = Number(cell);
  return Number.isFinite(Math.fround(value)) ? value : Number.NaN;
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
