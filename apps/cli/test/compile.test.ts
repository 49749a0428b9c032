/**
 * `x fit` trains through `fit`'s default, `compile: 'auto'` (each step captured once by
 * `@x/compile` and replayed); `--no-compile` runs the steps eagerly, with the same results.
 */
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "./run-cli";

/** The JSON document of a run without its timings (`ms` differs from run to run). */
function resultOf(args: readonly string[]) {
  const { ms: _ms, ...rest } = runJson(args);
  return rest;
}

describe("x fit --no-compile", () => {
  for (const args of [
    ["fit", "--epochs", "300"],
    ["fit", "--model", "mlp:8", "--optimizer", "adam", "--epochs", "200", "--early-stopping", "20"],
  ]) {
    it(`gives the same history and parameters as the compiled default: ${args.join(" ")}`, () => {
      const compiled = resultOf(args);
      expect(compiled.history.length).toBeGreaterThan(0);
      expect(resultOf([...args, "--no-compile"])).toEqual(compiled);
    });
  }

  it("prints the usual summary", () => {
    const run = runCli(["fit", "--epochs", "50", "--no-compile"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^ +epochs +50 of 50 in /m);
  });

  it("is documented in fit --help", () => {
    const help = runCli(["fit", "--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toContain(
      "--no-compile run every training step eagerly instead of capturing it once and replaying it with @x/compile (the results are the same; steps that cannot be captured run eagerly anyway)",
    );
  });
});
