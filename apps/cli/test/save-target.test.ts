import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe("--save and --plot naming an existing folder", () => {
  it.each([
    ["--save", "checkpoint", "model.safetensors"],
    ["--plot", "plot", "fit.svg"],
  ])(
    "%s fails before training, naming the folder and a file to use instead",
    (flag, what, file) => {
      const folder = join(dir, `${what}s`);
      mkdirSync(folder);
      const run = runCli(["fit", "--epochs", "2000", flag, folder]);
      expect(run.stdout).toBe("");
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `x fit: error: cannot write the ${what} ${JSON.stringify(folder)}: it is a folder, expected a file path. Hint: name a file in it, e.g. ${flag} ${join(folder, file)}.\n`,
      );
    },
  );
});
