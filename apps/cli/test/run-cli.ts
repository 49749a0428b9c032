import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, inject } from "vitest";

/** What one run of the CLI printed and returned. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with `args` (no TTY: stdout and stderr are pipes). */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const result = spawnSync(process.execPath, [inject("cliPath"), ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    // COLUMNS unset: output laid out for a pipe unless a test sets a width.
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", COLUMNS: "", ...options.env },
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(): {
  dir: string;
  cleanup: () => void;
  file: (name: string, text: string) => string;
} {
  const dir = mkdtempSync(join(tmpdir(), "x-cli-test-"));
  /** Writes a file into the temp folder and returns its path. */
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }), file };
}

/** Runs the CLI with `--json` appended; expects success and stdout holding only the JSON document. */
// biome-ignore lint/suspicious/noExplicitAny: the documents are checked field by field in the tests.
export function runJson(args: readonly string[]): any {
  const run = runCli([...args, "--json"]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}
