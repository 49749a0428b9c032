import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// The generator of workload D1 of `pnpm bench`, so that both measure the same kind of file.
import { writeThermometerCsv } from "../../bench/src/thermometer-csv";
import { runCli, runJson, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

/** A thermometer-like CSV of `rows` rows in the temp folder (`t_c,t_u`, three decimals). */
function thermometerCsv(name: string, rows: number): string {
  const path = join(dir, name);
  writeThermometerCsv(path, rows);
  return path;
}

// Loaded into the CLI's process with --import: records its peak resident set size on exit.
const recorder = join(dir, "record-max-rss.mjs");
writeFileSync(
  recorder,
  `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.X_MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));\n`,
);

/** Runs the CLI with `args` and returns its peak RSS in bytes, and its stdout. */
function peakRss(args: readonly string[]): { bytes: number; stdout: string } {
  const out = join(dir, "max-rss");
  const run = runCli(args, {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(recorder).href}`, X_MAX_RSS_FILE: out },
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return { bytes: Number(readFileSync(out, "utf8")), stdout: run.stdout };
}

describe("CSV memory", () => {
  it("x evaluate on 2M rows peaks below 6× the file size above the same run on 1000 rows", () => {
    const model = join(dir, "model.safetensors");
    runJson(["fit", "--save", model, "--epochs", "10"]);
    const small = thermometerCsv("small.csv", 1000);
    const big = thermometerCsv("big.csv", 2_000_000);
    const size = statSync(big).size;
    const baseline = peakRss(["evaluate", model, small, "--json"]);
    const run = peakRss(["evaluate", model, big, "--json"]);
    expect(JSON.parse(run.stdout).rows).toBe(2_000_000);
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    const ratio = (run.bytes - baseline.bytes) / size;
    expect(
      ratio,
      `peak ${mb(run.bytes)} − baseline ${mb(baseline.bytes)} for a ${mb(size)} file`,
    ).toBeLessThanOrEqual(6);
  });
});
