import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { runCli } from "./run-cli";

describe("x --help / --version", () => {
  it("--version prints the package version", () => {
    for (const flag of ["--version", "-V"]) {
      const run = runCli([flag]);
      expect(run).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("--help lists the commands on stdout", () => {
    const run = runCli(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^Usage: x \[options\] \[command\]/);
    for (const command of [
      "fit [options] [data.csv]",
      "evaluate [options] <model.safetensors> <data.csv>",
      "predict [options] <model.safetensors> [values...]",
      "inspect [options] <model.safetensors>",
    ]) {
      expect(run.stdout).toContain(command);
    }
    expect(run.stdout).toContain("Exit codes: 0 ok, 1 error");
  });

  it("fit --help documents every option with the book's defaults", () => {
    const run = runCli(["fit", "--help"]);
    expect(run.status).toBe(0);
    const help = run.stdout.replace(/\s+/g, " ");
    for (const option of [
      "--x <column>",
      "--y <column>",
      '--model <kind> linear, quadratic, or mlp[:HIDDEN], the book\'s chapter-6 network Linear(1, HIDDEN) → Tanh → Linear(HIDDEN, 1) (HIDDEN 13 when left out) (default: "linear")',
      '--optimizer <name> optimizer (choices: "sgd", "adam", "adamw", "rmsprop", "adagrad", default: "sgd")',
      "--lr <number> learning rate (default: 0.01; for mlp 0.001, the book's chapter 6)",
      "--momentum <number>",
      "--epochs <n> number of epochs (default: 5000)",
      'none, scale:FACTOR, minmax or standard (default: "scale:0.1")',
      "--val-fraction <f> share of rows held out for validation (default: 0; for mlp 0.2, the book's chapter 6)",
      "--seed <n>",
      "--early-stopping <patience>",
      "--save <file>",
      "--plot <file>",
      "--json",
      "-q, --quiet",
    ]) {
      expect(help).toContain(option);
    }
    expect(run.stdout).toContain("$ x fit --save model.safetensors --plot fit.svg");
    expect(help).toContain(
      "$ x fit --model mlp --save mlp.safetensors the book's chapter-6 network",
    );
  });

  it.each(["evaluate", "predict", "inspect"])("%s --help (and x help <command>)", (command) => {
    const run = runCli([command, "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^Usage: x ${command} \\[options\\] <model\\.safetensors>`),
    );
    expect(runCli(["help", command]).stdout).toBe(run.stdout);
  });
});

describe("colours", () => {
  const ESC = "\u001b[";

  it("are off in pipes, on with FORCE_COLOR, and off again with NO_COLOR or --no-color", () => {
    const args = ["fit", "--epochs", "3"];
    expect(runCli(args).stdout).not.toContain(ESC);
    const forced = runCli(args, { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(`${ESC}1mTrained a linear model`);
    expect(runCli(args, { env: { NO_COLOR: "1", FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(
      runCli([...args, "--no-color"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } }).stdout,
    ).not.toContain(ESC);
  });

  it("errors are red with FORCE_COLOR", () => {
    const run = runCli(["fit", "--lrr"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(run.stderr.startsWith(`${ESC}31mx fit: error:`)).toBe(true);
  });
});
