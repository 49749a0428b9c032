import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { torchRun } from "./fixtures";
import { type CliRun, runCli, tempDir } from "./run-cli";

const { dir, cleanup, file } = tempDir();
afterAll(cleanup);

/** The run failed with `status`, printed one paragraph on stderr (no stack) and nothing else. */
function expectFailure(run: CliRun, status: number, message: string): void {
  expect(run.status).toBe(status);
  expect(run.stderr).toBe(`${message}\n`);
  expect(run.stderr).not.toMatch(/\n {4}at /);
}

describe("command-line mistakes exit with 2", () => {
  it("an unknown option, with a suggestion", () => {
    expectFailure(
      runCli(["fit", "--lrr", "0.1"]),
      2,
      "x fit: error: unknown option '--lrr' (Did you mean --lr?) Run `x fit --help` for the usage.",
    );
  });

  it("an unknown command, with a suggestion", () => {
    expectFailure(
      runCli(["fitt"]),
      2,
      "x: error: unknown command 'fitt' (Did you mean fit?) Run `x --help` for the usage.",
    );
  });

  it.each([
    ["--lr", "abc", "a positive number such as 0.01 or 1e-3"],
    ["--lr", "-0.1", "a positive number such as 0.01 or 1e-3"],
    ["--epochs", "0", "a whole number >= 1"],
    ["--epochs", "1.5", "a whole number >= 1"],
    ["--val-fraction", "1", "a fraction in [0, 1) such as 0.2"],
    ["--seed", "-1", "a whole number >= 0"],
    ["--momentum", "-0.5", "a number >= 0 such as 0.9"],
  ])("a bad number: %s %s", (option, value, expected) => {
    const run = runCli(["fit", option, value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^x fit: error: option '${option} <[a-z]+>' argument '${value.replace(".", "\\.")}' is invalid\\. Expected ${expected.replace(/[[\])(.]/g, "\\$&")}\\. Run \`x fit --help\` for the usage\\.\n$`,
      ),
    );
  });

  it("a value outside the choices", () => {
    expectFailure(
      runCli(["fit", "--model", "cubic"]),
      2,
      "x fit: error: --model: unknown model \"cubic\", expected one of linear, quadratic, mlp or mlp:HIDDEN (mlp is mlp:13, the book's chapter-6 network). Hint: --model mlp trains Linear(1, 13) → Tanh → Linear(13, 1) with the book's settings.",
    );
    expectFailure(
      runCli(["fit", "--optimizer", "sgdd"]),
      2,
      "x fit: error: option '--optimizer <name>' argument 'sgdd' is invalid. Allowed choices are sgd, adam, adamw, rmsprop, adagrad. Run `x fit --help` for the usage.",
    );
  });

  it("a bad --normalize", () => {
    expectFailure(
      runCli(["fit", "--normalize", "zscore"]),
      2,
      'x fit: error: --normalize: unknown normalisation "zscore", expected one of none, scale:FACTOR (e.g. scale:0.1, the book\'s), minmax or standard. Hint: --normalize standard rescales the inputs to zero mean and unit variance.',
    );
    expectFailure(
      runCli(["fit", "--normalize", "scale:0"]),
      2,
      'x fit: error: --normalize scale:0: the factor must be a finite non-zero number, expected scale:FACTOR vs got "scale:0". Hint: --normalize scale:0.1 multiplies the inputs by 0.1 as the book does.',
    );
  });

  it("--momentum with an optimizer that has none", () => {
    expectFailure(
      runCli(["fit", "--optimizer", "adam", "--momentum", "0.9"]),
      2,
      "x fit: error: --momentum applies to sgd and rmsprop, but the optimizer is adam. Hint: drop --momentum (Adam-style optimizers have their own betas), or pass --optimizer sgd.",
    );
  });

  it("a validation fraction that leaves no validation rows", () => {
    expectFailure(
      runCli(["fit", "--val-fraction", "0.05"]),
      2,
      "x fit: error: --val-fraction 0.05 leaves no validation rows (floor(0.05 · 11) = 0 of 11 rows), expected at least one row on each side. Hint: use a fraction between 0.091 and 0.909, e.g. --val-fraction 0.2.",
    );
  });

  it("--x/--y without a file", () => {
    expectFailure(
      runCli(["fit", "--x", "a"]),
      2,
      "x fit: error: --x/--y pick columns of a CSV file, but no file was given (the built-in data has t_u → t_c). Hint: pass the file, e.g. x fit data.csv --x a --y 1.",
    );
  });

  it("--x and --y naming the same column", () => {
    const csv = file("same.csv", "t_c,t_u\n0.5,35.7\n");
    expectFailure(
      runCli(["fit", csv, "--x", "t_u", "--y", "1"]),
      2,
      `x fit: error: --x t_u and --y 1 name the same column "t_u" of ${csv}, expected an input column and a different target column. Hint: pass e.g. --x t_u --y t_c.`,
    );
  });

  it("a missing argument", () => {
    expectFailure(
      runCli(["predict"]),
      2,
      "x predict: error: missing required argument 'model.safetensors'. Run `x predict --help` for the usage.",
    );
  });

  it("no command at all prints the help on stderr", () => {
    const run = runCli([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Usage: x [options] [command]");
  });
});

describe("files and data", () => {
  it("a missing CSV file", () => {
    const run = runCli(["fit", "nope.csv"], { cwd: dir });
    expectFailure(
      run,
      1,
      `x fit: error: cannot find the CSV file "nope.csv", expected an existing file. Hint: check the path (relative paths start at ${dir}).`,
    );
  });

  it("a folder instead of a file", () => {
    expectFailure(
      runCli(["fit", dir]),
      1,
      `x fit: error: cannot read the CSV file "${dir}" (EISDIR), expected a readable file. Hint: check its permissions, and that it is a file and not a folder.`,
    );
  });

  it("a cell that is not a number, at file:line:column", () => {
    const csv = file("nan.csv", "t_c,t_u\n0.5,35.7\n14,abc\n");
    expectFailure(
      runCli(["fit", csv, "--x", "t_u", "--y", "t_c"]),
      1,
      `x fit: error: ${csv}:3:4: cannot read "abc" on line 3 in column "t_u" as a number, expected a decimal such as 3.5 or 1e-3. Hint: remove units or thousands separators; for a missing value leave the cell empty and pass --drop-missing.`,
    );
  });

  it("a cell that is not a number, with another delimiter and quotes", () => {
    const csv = file("semi.csv", 't_c;"t_u"\n0.5;35.7\n14;"x;y"\n');
    const run = runCli(["fit", csv, "--x", "1", "--y", "0"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^x fit: error: ${csv}:3:4: cannot read "x;y" on line 3 in column "t_u"`),
    );
  });

  it("a row with too few fields", () => {
    const csv = file("ragged.csv", "t_c,t_u\n0.5,35.7\n14\n");
    expectFailure(
      runCli(["fit", csv, "--x", "t_u", "--y", "t_c"]),
      1,
      `x fit: error: ${csv}:3:3: the row on line 3 has the wrong number of fields, expected 2 vs got 1 (the first row, line 1, has 2; column "t_u" is absent). Hint: every row needs one field per column; pass --drop-missing to skip incomplete rows.`,
    );
  });

  it("a missing value, and --drop-missing skipping its row", () => {
    const csv = file("missing.csv", "t_c,t_u\n0.5,\n14,55.9\n15,58.2\n");
    expectFailure(
      runCli(["fit", csv, "--x", "t_u", "--y", "t_c"]),
      1,
      `x fit: error: ${csv}:2:5: missing value on line 2 in column "t_u", expected a number vs got an empty cell. Hint: fill it in, or pass --drop-missing to skip such rows.`,
    );
    const run = runCli([
      "fit",
      csv,
      "--x",
      "t_u",
      "--y",
      "t_c",
      "--drop-missing",
      "--epochs",
      "3",
      "--json",
    ]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).data).toMatchObject({ rows: 2, droppedLines: [2] });
  });

  it("an unterminated quote names its line", () => {
    const csv = file("quote.csv", 't_c,t_u\n"0.5,35.7\n');
    expectFailure(
      runCli(["fit", csv]),
      1,
      `x fit: error: ${csv}:2: quoted field unterminated in the row starting on line 2, expected a closing '"' before the next delimiter or line end. Hint: close the quote, and write a literal quote inside a quoted field as "".`,
    );
  });

  it("an unknown column", () => {
    const csv = file("cols.csv", "t_c,t_u\n0.5,35.7\n");
    expectFailure(
      runCli(["fit", csv, "--x", "nope"]),
      1,
      `x fit: error: ${csv}: column "nope" does not exist, expected one of ["t_c", "t_u"] or an index in [0, 2). Hint: check the spelling against the header on line 1.`,
    );
  });

  it("an empty file", () => {
    const csv = file("empty.csv", "");
    expectFailure(
      runCli(["fit", csv]),
      1,
      `x fit: error: ${csv}: the text has no rows, expected a header and/or data rows vs got an empty (or blank) text. Hint: check that the file was read completely.`,
    );
  });

  it("--save into a missing folder fails before training", () => {
    const target = join(dir, "no-such-folder", "m.safetensors");
    const run = runCli(["fit", "--save", target]);
    expectFailure(
      run,
      1,
      `x fit: error: cannot write the checkpoint "${target}" (ENOENT), expected a writable path. Hint: check that its folder exists and is writable; any previous file there is unchanged.`,
    );
    expect(run.stdout).toBe("");
  });
});

describe("divergence", () => {
  it("raw t_u with lr 1e-2 diverges at PyTorch's epoch 11; an existing --save file is kept", () => {
    const epoch = torchRun("book: SGD lr 1e-2 on raw t_u diverges").divergedAt;
    expect(epoch).toBe(11);
    const previous = file("kept.safetensors", "previous contents");
    const run = runCli(["fit", "--normalize", "none", "--save", previous]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^x fit: error: training diverged: the training loss became Infinity at epoch 11 \(SGD lr 0\.01, --normalize none\); the last finite training loss was \d\.\d{4}e\+\d+ at epoch 10\. Nothing was saved\. Hint: lower the learning rate \(e\.g\. --lr 0\.001\) or normalise the inputs \(--normalize scale:0\.1, the book's fix, or --normalize standard\)\.\n$/,
    );
    expect(readFileSync(previous, "utf8")).toBe("previous contents");
  });

  it("the quadratic model with lr 1e-2 diverges at PyTorch's epoch", () => {
    const { divergedAt } = torchRun("quadratic, SGD lr 1e-2 on 0.1 * t_u diverges");
    const run = runCli(["fit", "--model", "quadratic", "--json"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `the training loss became Infinity at epoch ${divergedAt} (SGD lr 0.01, --normalize scale:0.1)`,
    );
    expect(run.stderr).toContain(
      "Hint: lower the learning rate (e.g. --lr 0.001) or normalise the inputs differently (--normalize standard).",
    );
  });
});

describe("checkpoints that cannot be read", () => {
  it("a missing checkpoint", () => {
    expectFailure(
      runCli(["predict", "nope.safetensors", "1"], { cwd: dir }),
      1,
      'x predict: error: cannot find the checkpoint "nope.safetensors", expected a .safetensors file written by x fit --save. Hint: train one first: x fit --save nope.safetensors.',
    );
  });

  it("a file that is not safetensors", () => {
    const bogus = file("bogus.safetensors", "t_c,t_u\n0.5,35.7\n");
    const run = runCli(["inspect", bogus]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^x inspect: error: ${bogus} is not a valid safetensors file: the header length is \\d+ bytes, expected at most 100000000\\. Hint: a truncated or corrupted file must be written again \\(by x fit --save, or by safetensors' save_file in Python\\)\\.\n$`,
      ),
    );
  });

  it("a safetensors file that x fit did not write", () => {
    // A valid safetensors file holding one F32 tensor and no metadata.
    const header = Buffer.from(
      JSON.stringify({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }).padEnd(48),
    );
    const bytes = Buffer.alloc(8 + header.length + 4);
    bytes.writeBigUInt64LE(BigInt(header.length), 0);
    header.copy(bytes, 8);
    const foreign = join(dir, "foreign.safetensors");
    writeFileSync(foreign, bytes);
    expectFailure(
      runCli(["predict", foreign, "1"]),
      1,
      `x predict: error: ${foreign} is not a checkpoint of x fit: it is a safetensors file, but without the "x-cli" metadata that x fit writes. Hint: pass a file written by x fit --save; x inspect ${foreign} lists what this one holds.`,
    );
  });
});

describe("--debug", () => {
  it("adds the stack trace", () => {
    const run = runCli(["fit", "--debug", "nope.csv"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^x fit: error: cannot find the CSV file "nope.csv"/);
    expect(run.stderr).toMatch(/\n {4}at readText \(/);
  });
});

describe("after all these failures", () => {
  it("no temporary file is left behind", () => {
    const leftovers = readdirSync(dir).filter((name) => name.endsWith(".tmp"));
    expect(readdirSync(dir).length).toBeGreaterThan(5);
    expect(leftovers).toEqual([]);
  });
});
