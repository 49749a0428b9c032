import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runJson, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
const model = join(dir, "model.safetensors");
const rows = 200_000;
const big = join(dir, "rows.csv");
const typed = join(dir, "typed.csv");

beforeAll(() => {
  expect(runCli(["fit", "--quiet", "--epochs", "50", "--save", model]).status).toBe(0);
  const lines = Array.from({ length: rows }, (_, i) => `${(20 + (i % 6000) / 100).toFixed(2)},0`);
  writeFileSync(big, `t_u,t_c\n${lines.join("\n")}\n`);
  writeFileSync(typed, "t_u,t_c\n92.023,0\n35.7,0\n1e-7,0\n-0.1,0\n");
});
afterAll(cleanup);

describe("x predict at scale", () => {
  it(`predicts every one of ${rows} rows of --data`, () => {
    const run = runCli(["predict", model, "--data", big]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(rows + 1);
    expect(lines[1]).toMatch(/^ *20 {2}→ {2}-?\d+\.\d{4}$/);
    expect(lines.at(-1)).toMatch(/^ *39\.99 {2}→ {2}-?\d+\.\d{4}$/);
  });

  it("--json echoes the inputs as written, without float32 noise", () => {
    expect(runJson(["predict", model, "--data", typed]).inputs).toEqual([92.023, 35.7, 1e-7, -0.1]);
    expect(runJson(["predict", model, "92.023", "1e-7"]).inputs).toEqual([92.023, 1e-7]);
    const text = runCli(["predict", model, "--data", typed]).stdout;
    expect(text).toMatch(/^92\.023 {2}→/m);
    expect(text).toMatch(/^ {2}1e-7 {2}→/m);
  });
});
