/** Stable codes carried by every {@link DataError}; match on these, not on message text. */
export type DataErrorCode =
  | "INVALID_ARGUMENT"
  | "INDEX_OUT_OF_RANGE"
  | "SHAPE_MISMATCH"
  | "LENGTH_MISMATCH"
  | "NOT_FITTED"
  | "ZERO_VARIANCE"
  | "NOT_FINITE"
  | "INVALID_STATE"
  | "EMPTY_INPUT"
  | "MALFORMED_CSV"
  | "RAGGED_ROW"
  | "NOT_A_NUMBER"
  | "MISSING_VALUE"
  | "UNKNOWN_COLUMN"
  | "DUPLICATE_COLUMN"
  | "MISSING_HEADER";

/** Where in the input a {@link DataError} happened. */
export interface DataErrorLocation {
  /** 1-based physical line of a CSV text (the header is line 1). */
  line?: number;
  /** The CSV column's name, or a normaliser's 0-based column index. */
  column?: string | number;
}

const marker = Symbol.for("@x/data/DataError");

/**
 * The error every `@x/data` function throws for bad input. `code` is stable; the message names
 * the operation, the argument and the values (and the CSV line and column), and says how to fix it.
 */
export class DataError extends Error {
  /** Stable machine-readable reason. */
  readonly code: DataErrorCode;
  /** The operation that rejected its input, e.g. `"parseCsv"`. */
  readonly op: string;
  /** 1-based physical line of the CSV text, when the error is about one. */
  readonly line: number | undefined;
  /** The CSV column's name, or a normaliser's 0-based column index, when the error is about one. */
  readonly column: string | number | undefined;
  readonly [marker] = true;

  constructor(code: DataErrorCode, op: string, message: string, location: DataErrorLocation = {}) {
    super(`${op}: ${message}`);
    this.name = "DataError";
    this.code = code;
    this.op = op;
    this.line = location.line;
    this.column = location.column;
  }

  /** True for a `DataError` from any copy of this package (safer than `instanceof` across bundles). */
  static isInstance(error: unknown): error is DataError {
    return typeof error === "object" && error !== null && marker in error;
  }
}
