import { describe, expect, it } from "vitest";
import { parseCsv } from "../src/index";
import { catchDataError, expectDataError, values } from "./helpers";

describe("parseCsv: missing and non-finite cells", () => {
  it("MISSING_VALUE for a missing-value marker, naming the cell, line and column", () => {
    const error = expectDataError(
      () => parseCsv("t_c,t_u\n0.5,35.7\n14,NaN\n"),
      "MISSING_VALUE",
      'parseCsv: missing value on line 3 in column "t_u", expected a number vs got "NaN", which marks a missing value (a NaN would make every loss NaN). Hint: fill it in, or pass dropMissing: true to skip such rows.',
    );
    expect([error.line, error.column]).toEqual([3, "t_u"]);
    for (const cell of ["nan", "-nan", "NA", "n/a", "null", "None", " NaN "]) {
      const marker = catchDataError(() => parseCsv(`a,b\n1,2\n"${cell}",3\n`), "MISSING_VALUE");
      expect([marker.line, marker.column]).toEqual([3, "a"]);
      expect(marker.message).toContain(`got ${JSON.stringify(cell.trim())}`);
    }
  });

  it("NOT_FINITE for an infinity or a number beyond the float32 range", () => {
    const error = expectDataError(
      () => parseCsv("a,b\n1,2\n3,-inf\n"),
      "NOT_FINITE",
      'parseCsv: "-inf" on line 3 in column "b" is infinite, expected a finite number (it would make every loss infinite or NaN). Hint: correct the value, or pass dropMissing: true to skip such rows.',
    );
    expect([error.line, error.column]).toEqual([3, "b"]);
    for (const cell of ["inf", "+inf", "Infinity", "-Infinity", "INF"]) {
      catchDataError(() => parseCsv(`v\n${cell}\n`), "NOT_FINITE");
    }
    expectDataError(
      () => parseCsv("v\n1e39\n"),
      "NOT_FINITE",
      'parseCsv: "1e39" on line 2 in column "v" is beyond the float32 range (±3.4e38), expected a finite number (it would make every loss infinite or NaN). Hint: correct the value, or pass dropMissing: true to skip such rows.',
    );
  });

  it("NOT_A_NUMBER for what Number() reads but a decimal is not: hex, binary, octal", () => {
    for (const cell of ["0x10", " 0x10", "0b1", "0O7", "0X1F"]) {
      const error = catchDataError(() => parseCsv(`v\n1\n"${cell}"\n`), "NOT_A_NUMBER");
      expect(error.line).toBe(3);
    }
  });

  it("checks only the kept columns", () => {
    const parsed = parseCsv("note,v\nNaN,1\ninf,2\n", { columns: ["v"] });
    expect(values(parsed.tensors.v as never)).toEqual([1, 2]);
  });

  it("dropMissing drops rows with an empty, marker, infinite or out-of-range cell, listing their lines", () => {
    const text = "a,b\n1,2\nNaN,3\n4,inf\n5,\n6,-Infinity\n7,NA\n8,1e39\n9,10\n";
    const parsed = parseCsv(text, { dropMissing: true });
    expect(values(parsed.tensors.a as never)).toEqual([1, 9]);
    expect(values(parsed.tensors.b as never)).toEqual([2, 10]);
    expect(parsed.droppedLines).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it("dropMissing still throws NOT_A_NUMBER for other text, which is a mistake rather than a gap", () => {
    const error = catchDataError(
      () => parseCsv("a,b\n1,2\n3,4 kg\n", { dropMissing: true }),
      "NOT_A_NUMBER",
    );
    expect([error.line, error.column]).toEqual([3, "b"]);
  });

  it("EMPTY_INPUT lists only the first dropped lines when many were dropped", () => {
    const text = `v\n${Array.from({ length: 8 }, () => "nan").join("\n")}\n`;
    expectDataError(
      () => parseCsv(text, { dropMissing: true }),
      "EMPTY_INPUT",
      "parseCsv: every data row has a missing value and was dropped (8 rows: lines 2, 3, 4, 5, 6, …), expected at least one complete row. Hint: fill in the missing cells or keep fewer columns.",
    );
  });
});

describe("parseCsv: header 'required'", () => {
  it("takes line 1 as the header when it names the columns", () => {
    const parsed = parseCsv("t_c,t_u\n0.5,35.7\n", { header: "required" });
    expect(parsed.columns).toEqual(["t_c", "t_u"]);
    expect(parsed.tensors.t_c?.shape).toEqual([1]);
  });

  it("MISSING_HEADER when line 1 holds only values, which would be lost to the header", () => {
    const error = expectDataError(
      () => parseCsv("\n0.5,35.7\n14,55.9\n", { header: "required" }),
      "MISSING_HEADER",
      'parseCsv: line 2 holds only values (["0.5", "35.7"]), expected a header row naming the columns. Hint: add a header line such as "col0,col1", or pass header: false to read line 2 as data.',
    );
    expect(error.line).toBe(2);
    for (const first of ["1,NaN", ",2", "inf,NA"]) {
      catchDataError(() => parseCsv(`${first}\n3,4\n`, { header: "required" }), "MISSING_HEADER");
    }
  });

  it("'auto' still reads such a file as data, with the columns named by position", () => {
    const parsed = parseCsv("0.5,35.7\n14,55.9\n");
    expect(parsed.columns).toEqual(["0", "1"]);
    expect(values(parsed.tensors["0"] as never)).toEqual([0.5, 14]);
  });
});
