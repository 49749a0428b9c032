import { type Tensor, tensor } from "@x/tensor";
import Papa from "papaparse";
import { DataError } from "./errors";
import { show } from "./validate";

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /**
   * Whether line 1 holds the column names. `'auto'` (the default) takes it as a header when one of
   * its cells is neither empty nor a number. Without a header the columns are named `'0'`, `'1'`, ….
   */
  header?: boolean | "auto";
  /** The columns to keep, in this order, by name or by 0-based position (default: all). */
  columns?: readonly (string | number)[];
  /** The field separator; detected among `,` `\t` `|` `;` when omitted. */
  delimiter?: string;
  /** Drop rows with an empty or absent cell in a kept column instead of throwing (default false). */
  dropMissing?: boolean;
}

/** What {@link parseCsv} returns. */
export interface ParsedCsv {
  /** The kept columns' names, in order. */
  columns: string[];
  /** Each kept column as a 1-d float32 tensor, by name (`tensors.t_u`). */
  tensors: Record<string, Tensor>;
  /** The lines of the rows that `dropMissing` dropped. */
  droppedLines: number[];
}

interface Row {
  cells: string[];
  line: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = { nan: Number.NaN, inf: Infinity, infinity: Infinity };
const OP = "parseCsv";

/** The number a trimmed cell spells (decimal, exponent, `nan`, `inf`), or undefined. */
function toNumber(cell: string): number | undefined {
  if (NUMBER.test(cell)) return Number(cell);
  const sign = cell.startsWith("-") ? -1 : 1;
  const special = SPECIAL[cell.replace(/^[+-]/, "").toLowerCase()];
  return special === undefined ? undefined : sign * special;
}

/** Offsets where each physical line after the first starts (after `\r\n`, `\r` or `\n`). */
function lineStarts(text: string): number[] {
  const starts: number[] = [];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((starts[mid] as number) <= offset) low = mid + 1;
    else high = mid;
  }
  return low + 1;
}

/**
 * PapaParse's delimiter guess, made on the first 10 non-blank rows: its guess during a parse that
 * keeps blank lines counts them as one-field rows and so fails on a tab- or semicolon-separated
 * file that ends with a newline.
 */
function guessDelimiter(text: string): string {
  return Papa.parse<string[]>(text, { delimiter: "", skipEmptyLines: "greedy", preview: 10 }).meta
    .delimiter;
}

/** Splits `text` into non-blank rows of raw cells, each with the line it starts on. */
function readRows(text: string, delimiter: string | undefined): Row[] {
  const starts = lineStarts(text);
  const rows: Row[] = [];
  let start = 0;
  Papa.parse<string[]>(text, {
    delimiter: delimiter ?? guessDelimiter(text),
    header: false,
    skipEmptyLines: false,
    step: (result) => {
      const line = lineAt(starts, start);
      start = result.meta.cursor;
      const quoteError = result.errors.find((e) => e.type === "Quotes");
      if (quoteError !== undefined) {
        throw new DataError(
          "MALFORMED_CSV",
          OP,
          `${quoteError.message.toLowerCase()} in the row starting on line ${line}, expected a closing '"' before the next delimiter or line end. Hint: close the quote, and write a literal quote inside a quoted field as "".`,
          { line },
        );
      }
      const cells = result.data;
      if (cells.length > 1 || (cells[0] ?? "").trim() !== "") rows.push({ cells, line });
    },
  });
  return rows;
}

function checkOptions(text: unknown, options: ParseCsvOptions): void {
  const invalid = (what: string, got: unknown, hint: string): never => {
    throw new DataError("INVALID_ARGUMENT", OP, `${what}, but got ${show(got)}. Hint: ${hint}`);
  };
  if (typeof text !== "string") invalid("text must be a string", text, "read the file first.");
  const { header = "auto", delimiter, columns, dropMissing = false } = options;
  if (header !== true && header !== false && header !== "auto")
    invalid("header must be true, false or 'auto'", header, "leave it out to auto-detect.");
  if (delimiter !== undefined && (typeof delimiter !== "string" || !/^[^"\r\n]+$/.test(delimiter)))
    invalid(
      "delimiter must be a non-empty string without quotes or line breaks",
      delimiter,
      "use ',' or '\\t'.",
    );
  if (columns !== undefined && (!Array.isArray(columns) || columns.length === 0))
    invalid(
      "columns must be a non-empty array of names or indices",
      columns,
      "leave it out to keep every column.",
    );
  if (typeof dropMissing !== "boolean")
    invalid("dropMissing must be a boolean", dropMissing, "pass true or false.");
}

function isHeader(cells: readonly string[], header: boolean | "auto"): boolean {
  if (header !== "auto") return header;
  return cells.some((cell) => cell.trim() !== "" && toNumber(cell.trim()) === undefined);
}

function columnNames(first: Row, hasHeader: boolean): string[] {
  if (!hasHeader) return first.cells.map((_, i) => String(i));
  const names = first.cells.map((cell, i) => cell.trim() || String(i));
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      throw new DataError(
        "DUPLICATE_COLUMN",
        OP,
        `column name ${show(name)} appears twice in the header on line ${first.line}, expected unique names (header ${show(names)}). Hint: rename one of them.`,
        { line: first.line, column: name },
      );
    }
  });
  return names;
}

function selectColumns(
  names: readonly string[],
  wanted: ParseCsvOptions["columns"],
  headerLine: number | null,
): number[] {
  if (wanted === undefined) return names.map((_, i) => i);
  const picked = wanted.map((key) => {
    const index =
      typeof key === "number"
        ? Number.isInteger(key) && key >= 0 && key < names.length
          ? key
          : -1
        : names.indexOf(key);
    if (index < 0) {
      throw new DataError(
        "UNKNOWN_COLUMN",
        OP,
        `column ${show(key)} does not exist, expected one of ${show(names)} or an index in [0, ${names.length}). Hint: ${headerLine === null ? "without a header the columns are named by position, '0', '1', …" : `check the spelling against the header on line ${headerLine}`}.`,
        { column: String(key) },
      );
    }
    return index;
  });
  picked.forEach((index, i) => {
    if (picked.indexOf(index) !== i) {
      throw new DataError(
        "DUPLICATE_COLUMN",
        OP,
        `column ${show(names[index])} is selected twice in columns ${show(wanted)}. Hint: list each column once.`,
        { column: names[index] as string },
      );
    }
  });
  return picked;
}

/**
 * Parses numeric CSV text into named 1-d float32 column tensors, with PapaParse (quoted fields,
 * CRLF, a BOM and a trailing newline are fine; blank lines are skipped). Errors are
 * {@link DataError}s whose `line` is the 1-based physical line (the header is line 1) and whose
 * `column` is the column's name: `EMPTY_INPUT`, `MALFORMED_CSV`, `RAGGED_ROW`, `MISSING_VALUE`,
 * `NOT_A_NUMBER`, `UNKNOWN_COLUMN`, `DUPLICATE_COLUMN`.
 *
 * @example
 * const { columns, tensors } = parseCsv("t_c,t_u\n0.5,35.7\n14,55.9\n", { header: true });
 * tensors.t_u; // tensor([35.7000, 55.9000])
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): ParsedCsv {
  checkOptions(text, options);
  const rows = readRows(text.replace(/^\uFEFF/, ""), options.delimiter);
  const first = rows[0];
  if (first === undefined) {
    throw new DataError(
      "EMPTY_INPUT",
      OP,
      "the text has no rows, expected a header and/or data rows vs got an empty (or blank) text. Hint: check that the file was read completely.",
    );
  }
  const hasHeader = isHeader(first.cells, options.header ?? "auto");
  const names = columnNames(first, hasHeader);
  const picked = selectColumns(names, options.columns, hasHeader ? first.line : null);
  const body = hasHeader ? rows.slice(1) : rows;
  const values = picked.map(() => new Float32Array(body.length));
  const droppedLines: number[] = [];
  const table: Table = {
    names,
    picked,
    firstLine: first.line,
    dropMissing: options.dropMissing ?? false,
  };
  let kept = 0;
  for (const row of body) {
    const parsed = parseRow(row, table);
    if (parsed === null) {
      droppedLines.push(row.line);
      continue;
    }
    parsed.forEach((value, k) => {
      (values[k] as Float32Array)[kept] = value;
    });
    kept++;
  }
  if (kept === 0) {
    throw new DataError(
      "EMPTY_INPUT",
      OP,
      body.length === 0
        ? `the text has no data rows, expected at least one row after the header on line ${first.line}. Hint: with header: 'auto', a single non-numeric row is taken as the header.`
        : `every data row has a missing value and was dropped (lines ${droppedLines.join(", ")}), expected at least one complete row. Hint: fill in the missing cells or keep fewer columns.`,
    );
  }
  const columns = picked.map((index) => names[index] as string);
  const tensors: Record<string, Tensor> = {};
  columns.forEach((name, k) => {
    tensors[name] = tensor((values[k] as Float32Array).subarray(0, kept));
  });
  return { columns, tensors, droppedLines };
}

/** The column layout every data row is read against. */
interface Table {
  names: readonly string[];
  picked: readonly number[];
  firstLine: number;
  dropMissing: boolean;
}

/** The kept cells of `row` as numbers, or null when `dropMissing` drops it. */
function parseRow(row: Row, { names, picked, firstLine, dropMissing }: Table): number[] | null {
  const { cells, line } = row;
  const short = cells.length < names.length;
  if (cells.length > names.length || (short && !dropMissing)) {
    const column = short ? names[cells.length] : undefined;
    throw new DataError(
      "RAGGED_ROW",
      OP,
      `the row on line ${line} has the wrong number of fields, expected ${names.length} vs got ${cells.length} (the first row, line ${firstLine}, has ${names.length}${short ? `; column ${show(column)} is absent` : ""}). Hint: every row needs one field per column${short ? "; pass dropMissing: true to skip incomplete rows" : ", check for an unquoted delimiter inside a field"}.`,
      { line, column },
    );
  }
  const out: number[] = [];
  for (const index of picked) {
    const column = names[index] as string;
    const cell = (cells[index] ?? "").trim();
    if (cell === "") {
      if (dropMissing) return null;
      throw new DataError(
        "MISSING_VALUE",
        OP,
        `missing value on line ${line} in column ${show(column)}, expected a number vs got an empty cell. Hint: fill it in, or pass dropMissing: true to skip such rows.`,
        { line, column },
      );
    }
    const value = toNumber(cell);
    if (value === undefined) {
      throw new DataError(
        "NOT_A_NUMBER",
        OP,
        `cannot read ${show(cell)} on line ${line} in column ${show(column)} as a number, expected a decimal such as 3.5 or 1e-3. Hint: remove units or thousands separators; for a missing value leave the cell empty and pass dropMissing: true.`,
        { line, column },
      );
    }
    out.push(value);
  }
  return out;
}
