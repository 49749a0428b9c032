import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ParsedCsv, parseCsv } from "../src/index";
import { catchDataError, expectDataError, values } from "./helpers";

const BOOK = `t_c,t_u
0.5,35.7
14.0,55.9
15.0,58.2
28.0,81.9
11.0,56.3
8.0,48.9
3.0,33.9
-4.0,21.8
6.0,48.4
13.0,60.4
21.0,68.4
`;

/** Each column's values, by name. */
const table = (parsed: ParsedCsv) =>
  Object.fromEntries(parsed.columns.map((name) => [name, values(parsed.tensors[name] as never)]));
const f32 = (xs: number[]) => xs.map(Math.fround);

describe("parseCsv: happy paths", () => {
  it("reads the book's data into named 1-d float32 tensors", () => {
    const { columns, tensors } = parseCsv(BOOK, { header: true });
    expect(columns).toEqual(["t_c", "t_u"]);
    expect(tensors.t_u?.dtype).toBe("float32");
    expect(tensors.t_u?.shape).toEqual([11]);
    expect(values(tensors.t_u as never)).toEqual(
      f32([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]),
    );
    expect(values(tensors.t_c as never)).toEqual([0.5, 14, 15, 28, 11, 8, 3, -4, 6, 13, 21]);
  });

  it("detects a header when a cell of the first row is not a number", () => {
    expect(parseCsv(BOOK).columns).toEqual(["t_c", "t_u"]);
    expect(table(parseCsv("1,2\n3,4"))).toEqual({ 0: [1, 3], 1: [2, 4] });
    expect(parseCsv(",x\n1,2").columns).toEqual(["0", "x"]); // an empty name becomes its index
    expect(table(parseCsv(",1\n2,3", { dropMissing: true }))).toEqual({ 0: [2], 1: [3] });
  });

  it("follows an explicit header option", () => {
    expect(table(parseCsv("1,2\n3,4", { header: true }))).toEqual({ 1: [3], 2: [4] });
    expect(table(parseCsv("5\n6", { header: false }))).toEqual({ 0: [5, 6] });
    expect(parseCsv(" a , b \n1,2", { header: true }).columns).toEqual(["a", "b"]);
  });

  it("handles CRLF, a BOM, no trailing newline and blank or whitespace-only lines", () => {
    const text = "\uFEFFt_c,t_u\r\n\r\n0.5,35.7\r\n   \r\n14,55.9";
    expect(table(parseCsv(text))).toEqual({ t_c: [0.5, 14], t_u: f32([35.7, 55.9]) });
    expect(table(parseCsv("a\n1\n\n\n2\n\n"))).toEqual({ a: [1, 2] });
    expect(table(parseCsv("a\r1\r2\r"))).toEqual({ a: [1, 2] });
  });

  it("handles quoted fields, with delimiters, escaped quotes and line breaks inside", () => {
    const text = '"t, in ""C""","u\nraw"\n"1.5", 2\n3,"4"\n';
    const parsed = parseCsv(text);
    expect(parsed.columns).toEqual(['t, in "C"', "u\nraw"]);
    expect(Object.values(table(parsed))).toEqual([
      [1.5, 3],
      [2, 4],
    ]);
  });

  it("detects ';', tab and '|' delimiters, or takes the given one", () => {
    for (const d of [";", "\t", "|"]) {
      expect(table(parseCsv(`a${d}b\n1${d}2\n3${d}4\n`))).toEqual({ a: [1, 3], b: [2, 4] });
    }
    expect(table(parseCsv("a;b\n1,5;2\n", { delimiter: ";", columns: ["b"] }))).toEqual({ b: [2] });
    expect(table(parseCsv("a::b\n1::2\n", { delimiter: "::" }))).toEqual({ a: [1], b: [2] });
  });

  it("selects columns by name or index, in the order given, ignoring the others' contents", () => {
    const text = "date,t_c,t_u\n2024-01-01,0.5,35.7\n2024-01-02,14,55.9\n";
    const parsed = parseCsv(text, { columns: ["t_u", 1] });
    expect(parsed.columns).toEqual(["t_u", "t_c"]);
    expect(table(parsed)).toEqual({ t_u: f32([35.7, 55.9]), t_c: [0.5, 14] });
    expect(parseCsv("1,2,3", { columns: ["2", 0] }).columns).toEqual(["2", "0"]);
  });

  it("reads signs, exponents, leading dots and padding", () => {
    const parsed = parseCsv("v\n+2\n-.5\n1e-3\n 7 \n2.5E+2\n5.\n3.4e38\n");
    expect(values(parsed.tensors.v as never)).toEqual(f32([2, -0.5, 1e-3, 7, 250, 5, 3.4e38]));
  });

  it("drops rows with empty or absent cells in the kept columns with dropMissing, listing their lines", () => {
    const text = "a,b,c\n1,2,3\n4,,6\n7,8\n\n10,11,\n13,14,15\n";
    const all = parseCsv(text, { dropMissing: true });
    expect(table(all)).toEqual({ a: [1, 13], b: [2, 14], c: [3, 15] });
    expect(all.droppedLines).toEqual([3, 4, 6]);
    const ab = parseCsv(text, { dropMissing: true, columns: ["a", "b"] });
    expect(table(ab)).toEqual({ a: [1, 7, 10, 13], b: [2, 8, 11, 14] });
    expect(ab.droppedLines).toEqual([3]);
  });

  it("round-trips any numeric table with any delimiter, line ending and blank lines (property)", () => {
    const cell = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
            minLength: 1,
            maxLength: 12,
          }),
        ),
        fc.constantFrom(",", ";", "\t", "|"),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.boolean(),
        (rows, delimiter, eol, trailing, header) => {
          const width = rows[0]?.length ?? 0;
          const names = Array.from({ length: width }, (_, j) => `col${j}`);
          const cellText = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
          const lines = [
            ...(header ? [names.join(delimiter)] : []),
            ...rows.map((r) => r.map(cellText).join(delimiter)),
          ];
          const text = lines.join(`${eol}${eol}`) + (trailing ? eol : "");
          const parsed = parseCsv(text, { header }); // the delimiter is detected
          expect(parsed.columns).toEqual(header ? names : names.map((_, j) => String(j)));
          parsed.columns.forEach((name, j) => {
            expect(values(parsed.tensors[name] as never)).toEqual(
              rows.map((r) => Math.fround(r[j] as number)),
            );
          });
        },
      ),
    );
  });
});

describe("parseCsv: errors name the line and column", () => {
  it("EMPTY_INPUT for empty or blank text", () => {
    for (const text of ["", "\n\n  \r\n", "\uFEFF"]) {
      const error = expectDataError(
        () => parseCsv(text),
        "EMPTY_INPUT",
        "parseCsv: the text has no rows, expected a header and/or data rows vs got an empty (or blank) text. Hint: check that the file was read completely.",
      );
      expect(error.line).toBeUndefined();
    }
  });

  it("EMPTY_INPUT for a header without data rows", () => {
    expectDataError(
      () => parseCsv("t_c,t_u\n\n"),
      "EMPTY_INPUT",
      "parseCsv: the text has no data rows, expected at least one row after the header on line 1. Hint: with header: 'auto', a single non-numeric row is taken as the header.",
    );
  });

  it("EMPTY_INPUT when dropMissing drops every row", () => {
    expectDataError(
      () => parseCsv("a,b\n1,\n,2\n", { dropMissing: true }),
      "EMPTY_INPUT",
      "parseCsv: every data row has a missing value and was dropped (lines 2, 3), expected at least one complete row. Hint: fill in the missing cells or keep fewer columns.",
    );
  });

  it("RAGGED_ROW for a row with too many fields, on its physical line", () => {
    const error = expectDataError(
      () => parseCsv("a,b\r\n1,2\r\n\r\n3,4,5\r\n"),
      "RAGGED_ROW",
      "parseCsv: the row on line 4 has the wrong number of fields, expected 2 vs got 3 (the first row, line 1, has 2). Hint: every row needs one field per column, check for an unquoted delimiter inside a field.",
    );
    expect([error.line, error.column]).toEqual([4, undefined]);
    catchDataError(() => parseCsv("a,b\n1,2,3\n", { dropMissing: true }), "RAGGED_ROW");
  });

  it("RAGGED_ROW for a row with too few fields, naming the absent column", () => {
    const error = expectDataError(
      () => parseCsv("a,b,c\n1,2,3\n4,5\n"),
      "RAGGED_ROW",
      'parseCsv: the row on line 3 has the wrong number of fields, expected 3 vs got 2 (the first row, line 1, has 3; column "c" is absent). Hint: every row needs one field per column; pass dropMissing: true to skip incomplete rows.',
    );
    expect([error.line, error.column]).toEqual([3, "c"]);
  });

  it("counts lines inside multi-line quoted fields", () => {
    const error = catchDataError(() => parseCsv('"a\nb",c\n1,2\n3\n'), "RAGGED_ROW");
    expect(error.line).toBe(4);
  });

  it("NOT_A_NUMBER with the cell, line and column", () => {
    const error = expectDataError(
      () => parseCsv("t_c,t_u\n0.5,35.7\n\n14,55.9 F\n"),
      "NOT_A_NUMBER",
      'parseCsv: cannot read "55.9 F" on line 4 in column "t_u" as a number, expected a decimal such as 3.5 or 1e-3. Hint: remove units or thousands separators; for a missing value leave the cell empty and pass dropMissing: true.',
    );
    expect([error.line, error.column]).toEqual([4, "t_u"]);
    const headless = catchDataError(() => parseCsv("a,b\n1,2", { header: false }), "NOT_A_NUMBER");
    expect([headless.line, headless.column]).toEqual([1, "0"]);
    for (const cell of ["0x10", "1,5", "--1", "e5", "1e", "."]) {
      catchDataError(() => parseCsv(`v\n"${cell}"\n`), "NOT_A_NUMBER");
    }
  });

  it("MISSING_VALUE with the line and column", () => {
    const error = expectDataError(
      () => parseCsv("a,b\n1,2\n3,  \n"),
      "MISSING_VALUE",
      'parseCsv: missing value on line 3 in column "b", expected a number vs got an empty cell. Hint: fill it in, or pass dropMissing: true to skip such rows.',
    );
    expect([error.line, error.column]).toEqual([3, "b"]);
  });

  it("MALFORMED_CSV for an unterminated quote, on the line where its row starts", () => {
    const error = expectDataError(
      () => parseCsv('a,b\n1,2\n3,"4\n5,6\n'),
      "MALFORMED_CSV",
      `parseCsv: quoted field unterminated in the row starting on line 3, expected a closing '"' before the next delimiter or line end. Hint: close the quote, and write a literal quote inside a quoted field as "".`,
    );
    expect(error.line).toBe(3);
  });

  it("UNKNOWN_COLUMN for a name or index that does not exist", () => {
    const error = expectDataError(
      () => parseCsv(BOOK, { columns: ["t_c", "t_x"] }),
      "UNKNOWN_COLUMN",
      'parseCsv: column "t_x" does not exist, expected one of ["t_c", "t_u"] or an index in [0, 2). Hint: check the spelling against the header on line 1.',
    );
    expect(error.column).toBe("t_x");
    expectDataError(
      () => parseCsv("1,2\n3,4\n", { columns: ["a"] }),
      "UNKNOWN_COLUMN",
      `parseCsv: column "a" does not exist, expected one of ["0", "1"] or an index in [0, 2). Hint: without a header the columns are named by position, '0', '1', ….`,
    );
    for (const index of [2, -1, 0.5]) {
      catchDataError(() => parseCsv(BOOK, { columns: [index] }), "UNKNOWN_COLUMN");
    }
  });

  it("DUPLICATE_COLUMN for a repeated header name or a column selected twice", () => {
    const error = expectDataError(
      () => parseCsv("x,y,x\n1,2,3\n"),
      "DUPLICATE_COLUMN",
      'parseCsv: column name "x" appears twice in the header on line 1, expected unique names (header ["x", "y", "x"]). Hint: rename one of them.',
    );
    expect([error.line, error.column]).toEqual([1, "x"]);
    expectDataError(
      () => parseCsv(BOOK, { columns: ["t_u", 1] }),
      "DUPLICATE_COLUMN",
      'parseCsv: column "t_u" is selected twice in columns ["t_u", 1]. Hint: list each column once.',
    );
  });

  it("INVALID_ARGUMENT for bad options", () => {
    expectDataError(
      () => parseCsv(BOOK, { header: "yes" as never }),
      "INVALID_ARGUMENT",
      `parseCsv: header must be true, false, 'auto' or 'required', but got "yes". Hint: leave it out to auto-detect.`,
    );
    expectDataError(
      () => parseCsv(BOOK, { delimiter: "" }),
      "INVALID_ARGUMENT",
      `parseCsv: delimiter must be a non-empty string without quotes or line breaks, but got "". Hint: use ',' or '\\t'.`,
    );
    catchDataError(() => parseCsv(BOOK, { delimiter: '"' }), "INVALID_ARGUMENT");
    expectDataError(
      () => parseCsv(BOOK, { columns: [] }),
      "INVALID_ARGUMENT",
      "parseCsv: columns must be a non-empty array of names or indices, but got []. Hint: leave it out to keep every column.",
    );
    catchDataError(() => parseCsv(BOOK, { dropMissing: "yes" as never }), "INVALID_ARGUMENT");
    expectDataError(
      () => parseCsv(undefined as never),
      "INVALID_ARGUMENT",
      "parseCsv: text must be a string or an iterable of strings, but got undefined. Hint: read the file first.",
    );
  });
});
