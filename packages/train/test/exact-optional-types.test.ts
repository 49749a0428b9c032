import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));
const base = fileURLToPath(new URL("../../../tooling/tsconfig/base.json", import.meta.url));

/**
 * Type errors of each file of `files` (name → code, in this folder) compiled as a consumer with
 * `exactOptionalPropertyTypes` compiles it: only the files' own errors, not those of the sources
 * they import (the packages themselves are built without that flag).
 */
function consumerErrors(files: Record<string, string>): Record<string, string[]> {
  const config = ts.readConfigFile(base, ts.sys.readFile).config;
  const { options } = ts.parseJsonConfigFileContent(
    { ...config, compilerOptions: { ...config.compilerOptions, exactOptionalPropertyTypes: true } },
    ts.sys,
    here,
  );
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  const codeOf = (path: string) => files[path.slice(here.length)];
  host.getSourceFile = (path, version, ...rest) => {
    const code = codeOf(path);
    return code === undefined
      ? read(path, version, ...rest)
      : ts.createSourceFile(path, code, version);
  };
  const program = ts.createProgram(
    Object.keys(files).map((name) => `${here}${name}`),
    options,
    host,
  );
  return Object.fromEntries(
    Object.keys(files).map((name) => {
      const source = program.getSourceFile(`${here}${name}`);
      const diagnostics = [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ];
      return [name, diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))];
    }),
  );
}

// One program for both files (building it takes a few seconds).
let errors: Record<string, string[]>;
beforeAll(() => {
  errors = consumerErrors({
    "undefined-options.ts": `
      import type { EarlyStoppingOptions, FitAsyncOptions, FitOptions, OverfittingOptions } from "../src/index";
      declare const required: Pick<FitOptions, "model" | "lossFn" | "optimizer" | "train" | "epochs">;
      export const options: FitOptions = {
        ...required,
        params: undefined, val: undefined, onEpoch: undefined, logEvery: undefined, log: undefined,
        scheduler: undefined, earlyStopping: undefined, signal: undefined, history: undefined,
      };
      export const later: FitAsyncOptions = { ...options, yieldEveryMs: undefined };
      export const early: EarlyStoppingOptions = { patience: 3, minDelta: undefined, restoreBest: undefined };
      export const overfitting: OverfittingOptions = { patience: undefined, minGap: undefined };
    `,
    "wrong-type.ts": `
      import type { FitOptions } from "../src/index";
      declare const required: Pick<FitOptions, "model" | "lossFn" | "optimizer" | "train">;
      export const options: FitOptions = { ...required, epochs: "3" };
    `,
  });
}, 120_000);

describe("option types under exactOptionalPropertyTypes", () => {
  it("accept an explicit undefined for every optional option (val: maybeVal)", () => {
    expect(errors["undefined-options.ts"]).toEqual([]);
  });

  it("still reject a wrong type (the check itself works)", () => {
    expect(errors["wrong-type.ts"]).toHaveLength(1);
    expect(errors["wrong-type.ts"]?.[0]).toContain(
      "Type 'string' is not assignable to type 'number'",
    );
  });
});
