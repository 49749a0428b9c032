import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runJson, tempDir } from "./run-cli";

const { dir, cleanup, file } = tempDir();
afterAll(cleanup);

const model = join(dir, "model.safetensors");
beforeAll(() => {
  runJson(["fit", "--save", model, "--epochs", "100"]);
});

const GAPS = "t_c,t_u\n0.5,35.7\n14,NaN\n15,58.2\n28,inf\n11,56.3\n";

describe("NaN, missing and infinite cells", () => {
  it("stop x fit with the file, line, column and cell, and the fix", () => {
    const csv = file("nan.csv", GAPS);
    const run = runCli(["fit", csv, "--x", "t_u", "--y", "t_c"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `x fit: error: ${csv}:3:4: missing value on line 3 in column "t_u", expected a number vs got "NaN", which marks a missing value (a NaN would make every loss NaN). Hint: fill it in, or pass --drop-missing to skip such rows.\n`,
    );
  });

  it("name an infinity as not finite", () => {
    const csv = file("inf.csv", "t_c,t_u\n0.5,35.7\n\n14,-Infinity\n");
    const run = runCli(["fit", csv, "--x", "t_u", "--y", "t_c"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `x fit: error: ${csv}:4:4: "-Infinity" on line 4 in column "t_u" is infinite, expected a finite number (it would make every loss infinite or NaN). Hint: correct the value, or pass --drop-missing to skip such rows.\n`,
    );
  });

  it("are dropped by --drop-missing, with a note on stderr and the lines in the JSON", () => {
    const csv = file("gaps.csv", GAPS);
    const args = ["fit", csv, "--x", "t_u", "--y", "t_c", "--epochs", "5", "--drop-missing"];
    const run = runCli([...args, "--json"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      `note: --drop-missing dropped 2 rows of ${csv} with a missing or non-finite value (lines 3, 5); 3 remain.\n`,
    );
    expect(JSON.parse(run.stdout).data).toMatchObject({ rows: 3, droppedLines: [3, 5] });
    const quiet = runCli([...args, "--quiet"]);
    expect([quiet.status, quiet.stderr, quiet.stdout]).toEqual([0, "", ""]);
  });

  it("are dropped by evaluate and predict --drop-missing too", () => {
    const csv = file("gaps2.csv", GAPS);
    const evaluate = runCli(["evaluate", model, csv, "--drop-missing", "--json"]);
    expect(evaluate.status).toBe(0);
    expect(evaluate.stderr).toMatch(/^note: --drop-missing dropped 2 rows .*; 3 remain\.\n$/);
    expect(JSON.parse(evaluate.stdout)).toMatchObject({ rows: 3, droppedLines: [3, 5] });
    const predict = runCli(["predict", model, "--data", csv, "--drop-missing", "--json"]);
    expect(predict.status).toBe(0);
    expect(JSON.parse(predict.stdout).inputs).toEqual([35.7, 58.2, 56.3]); // as written, no float32 noise
    const refused = runCli(["predict", model, "--data", csv]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^x predict: error: ${csv}:3:4: missing value on line 3 in column "t_u"`),
    );
  });

  it("a cell of other text is still an error with --drop-missing", () => {
    const csv = file("text.csv", "t_c,t_u\n0.5,35.7\n14,55.9 F\n");
    const run = runCli(["fit", csv, "--x", "t_u", "--y", "t_c", "--drop-missing"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^x fit: error: ${csv}:3:4: cannot read "55.9 F" on line 3 in column "t_u"`),
    );
  });
});

describe("a CSV file without a header", () => {
  const rows = "35.7,0.5\n55.9,14\n58.2,15\n81.9,28\n";

  it("is refused, saying so, with --no-header as the fix", () => {
    const csv = file("headless.csv", rows);
    const run = runCli(["fit", csv]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `x fit: error: ${csv}:1: line 1 holds only values (["35.7", "0.5"]), expected a header row naming the columns. Hint: add a header line such as "col0,col1", or pass --no-header to read line 1 as data (the columns are then picked by position, --x 0 --y 1).\n`,
    );
  });

  it("is read whole with --no-header, the columns named by position", () => {
    const csv = file("headless2.csv", rows);
    const out = runJson(["fit", csv, "--no-header", "--epochs", "5"]);
    expect(out.data).toMatchObject({ x: "0", y: "1", rows: 4 });
    const swapped = runJson(["fit", csv, "--no-header", "--x", "1", "--y", "0", "--epochs", "5"]);
    expect(swapped.data).toMatchObject({ x: "1", y: "0", rows: 4 });
  });

  it("evaluate and predict --no-header read the first columns instead of the model's names", () => {
    const csv = file("headless3.csv", rows);
    expect(runJson(["evaluate", model, csv, "--no-header"])).toMatchObject({ rows: 4, x: "0" });
    const predicted = runJson(["predict", model, "--data", csv, "--no-header"]);
    expect(predicted.inputs).toEqual([35.7, 55.9, 58.2, 81.9]);
  });

  it("--no-header without a file is a command-line mistake", () => {
    const run = runCli(["fit", "--no-header"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "x fit: error: --no-header says how to read a CSV file, but no file was given (the built-in data has its column names). Hint: pass the file, e.g. x fit data.csv --no-header.\n",
    );
  });
});
