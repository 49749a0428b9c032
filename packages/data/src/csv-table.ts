import { type CellProblem, cellKind, cellValue, isName } from "./csv-cells";
import { DataError } from "./errors";
import { Float32Columns } from "./float-columns";
import { show } from "./validate";

/** How {@link CsvTable} reads line 1 and which columns it keeps (parseCsv's options). */
export interface TableOptions {
  header: boolean | "auto" | "required";
  columns: readonly (string | number)[] | undefined;
  dropMissing: boolean;
}

/** What the first non-blank row settled. */
interface Layout {
  names: string[];
  picked: number[];
  firstLine: number;
}

const OP = "parseCsv";

/** `lines 2, 3` or, for many, `1000 rows: lines 2, 3, 4, 5, 6, …`. */
function describeLines(lines: readonly number[]): string {
  if (lines.length <= 5) return `lines ${lines.join(", ")}`;
  return `${lines.length} rows: lines ${lines.slice(0, 5).join(", ")}, …`;
}

function columnNames(cells: readonly string[], line: number, hasHeader: boolean): string[] {
  if (!hasHeader) return cells.map((_, i) => String(i));
  const names = cells.map((cell, i) => cell.trim() || String(i));
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      throw new DataError(
        "DUPLICATE_COLUMN",
        OP,
        `column name ${show(name)} appears twice in the header on line ${line}, expected unique names (header ${show(names)}). Hint: rename one of them.`,
        { line, column: name },
      );
    }
  });
  return names;
}

function selectColumns(
  names: readonly string[],
  wanted: TableOptions["columns"],
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

function hasHeader(cells: readonly string[], line: number, header: TableOptions["header"]) {
  if (header === true || header === false) return header;
  const named = cells.some(isName);
  if (named || header === "auto") return named;
  throw new DataError(
    "MISSING_HEADER",
    OP,
    `line ${line} holds only values (${show(cells)}), expected a header row naming the columns. Hint: add a header line such as ${show(cells.map((_, i) => `col${i}`).join(","))}, or pass header: false to read line ${line} as data.`,
    { line },
  );
}

/** The error for a kept cell that holds no finite float32. */
function cellError(problem: CellProblem, cell: string, line: number, column: string): DataError {
  const where = `on line ${line} in column ${show(column)}`;
  const skip = "pass dropMissing: true to skip such rows";
  const text = show(cell.trim());
  switch (problem) {
    case "empty":
      return new DataError(
        "MISSING_VALUE",
        OP,
        `missing value ${where}, expected a number vs got an empty cell. Hint: fill it in, or ${skip}.`,
        { line, column },
      );
    case "marker":
      return new DataError(
        "MISSING_VALUE",
        OP,
        `missing value ${where}, expected a number vs got ${text}, which marks a missing value (a NaN would make every loss NaN). Hint: fill it in, or ${skip}.`,
        { line, column },
      );
    case "infinite":
    case "overflow":
      return new DataError(
        "NOT_FINITE",
        OP,
        `${text} ${where} is ${problem === "infinite" ? "infinite" : "beyond the float32 range (±3.4e38)"}, expected a finite number (it would make every loss infinite or NaN). Hint: correct the value, or ${skip}.`,
        { line, column },
      );
    case "text":
      return new DataError(
        "NOT_A_NUMBER",
        OP,
        `cannot read ${text} ${where} as a number, expected a decimal such as 3.5 or 1e-3. Hint: remove units or thousands separators; for a missing value leave the cell empty and pass dropMissing: true.`,
        { line, column },
      );
  }
}

/**
 * Reads CSV rows, as {@link CsvRowReader} emits them, into float32 columns: line 1 settles the
 * header and the kept columns, every later row is checked against them.
 */
export class CsvTable {
  private layout: Layout | undefined;
  private values: Float32Columns | undefined;
  /** The lines of the rows that `dropMissing` dropped. */
  readonly droppedLines: number[] = [];
  private dataRows = 0;

  constructor(private readonly options: TableOptions) {}

  /** Takes the next non-blank row. */
  add(cells: string[], line: number): void {
    if (this.layout === undefined) {
      const header = hasHeader(cells, line, this.options.header);
      const names = columnNames(cells, line, header);
      const picked = selectColumns(names, this.options.columns, header ? line : null);
      this.layout = { names, picked, firstLine: line };
      this.values = new Float32Columns(picked.length);
      if (header) return;
    }
    this.dataRows++;
    if (!this.readRow(cells, line, this.layout, this.values as Float32Columns)) {
      this.droppedLines.push(line);
    }
  }

  /** Writes the row's kept cells; false when `dropMissing` drops it. */
  private readRow(cells: string[], line: number, layout: Layout, values: Float32Columns): boolean {
    const { names, picked, firstLine } = layout;
    const { dropMissing } = this.options;
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
    for (let k = 0; k < picked.length; k++) {
      const index = picked[k] as number;
      const cell = cells[index] ?? "";
      const value = cellValue(cell);
      if (Number.isNaN(value)) {
        const problem = cellKind(cell);
        if (dropMissing && problem !== "text") return false;
        throw cellError(problem, cell, line, names[index] as string);
      }
      values.set(k, value);
    }
    values.commit();
    return true;
  }

  /** The kept columns' names and values, once every row was added. */
  finish(): { names: string[]; values: Float32Columns } {
    const { layout, values } = this;
    if (layout === undefined || values === undefined) {
      throw new DataError(
        "EMPTY_INPUT",
        OP,
        "the text has no rows, expected a header and/or data rows vs got an empty (or blank) text. Hint: check that the file was read completely.",
      );
    }
    if (values.length === 0) {
      throw new DataError(
        "EMPTY_INPUT",
        OP,
        this.dataRows === 0
          ? `the text has no data rows, expected at least one row after the header on line ${layout.firstLine}. Hint: with header: 'auto', a single non-numeric row is taken as the header.`
          : `every data row has a missing value and was dropped (${describeLines(this.droppedLines)}), expected at least one complete row. Hint: fill in the missing cells or keep fewer columns.`,
      );
    }
    return { names: layout.picked.map((index) => layout.names[index] as string), values };
  }
}
