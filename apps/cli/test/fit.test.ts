import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectClose, fitArgs, runs, thermometerCsv, torchRun } from "./fixtures";
import { runCli, runJson } from "./run-cli";

/** torch's randperm(11) after manual_seed(seed), from @x/tensor's random_torch.json fixture. */
function torchBookSplit(seed: number): number[] {
  const fixture = JSON.parse(
    readFileSync(
      new URL("../../../packages/tensor/test/fixtures/random_torch.json", import.meta.url),
      "utf8",
    ),
  ) as { cases: { name: string; calls: { out: { data: number[] } }[] }[] };
  const name = `the book's split: randperm(11) after manual_seed(${seed})`;
  const found = fixture.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`fixture case missing: ${name}`);
  return (found.calls[0] as { out: { data: number[] } }).out.data;
}

const BOOK = "book: SGD lr 1e-2 on 0.1 * t_u, 5000 epochs";

describe("x fit with the defaults: the book's run", () => {
  const book = torchRun(BOOK);

  it("logs every 500 epochs (no TTY) with PyTorch's losses, then w ≈ 5.3671, b ≈ -17.3012", () => {
    const run = runCli(["fit"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const lines = [...run.stdout.matchAll(/^epoch +(\d+)\/5000 {2}train loss (\d+\.\d+)/gm)];
    const epochs = [1, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000];
    expect(lines.map((m) => Number(m[1]))).toEqual(epochs);
    expectClose(
      lines.map((m) => Number(m[2])),
      epochs.map((e) => book.logged?.[e] as number),
    );
    expect(run.stdout).toMatch(/^ +w +5\.3671$/m);
    expect(run.stdout).toMatch(/^ +b +-17\.3012$/m);
    const final = Number(/^ +train loss +(\d+\.\d+)/m.exec(run.stdout)?.[1]);
    expectClose([final], [2.9276], 0, 5e-5);
    expect(run.stdout).toContain("t_c ≈ 0.5367 · t_u − 17.30");
    expect(run.stdout).toContain("t_c = 0.5367 * t_u - 17.30");
    expect(run.stdout).toMatch(/^ +save it +x fit --save model\.safetensors$/m);
    expect(run.stdout).toMatch(/^ +predict +x predict model\.safetensors 35\.7 55\.9$/m);
  });

  it("--json prints one JSON document with PyTorch's parameters, loss and calibration", () => {
    const json = runJson(["fit"]);
    expect(json).toMatchObject({
      command: "fit",
      data: { x: "t_u", y: "t_c", rows: 11, train: 11, val: 0 },
      model: "linear",
      optimizer: { name: "sgd", lr: 0.01, momentum: null },
      normalize: "scale:0.1",
      epochs: { requested: 5000, completed: 5000 },
      stopReason: "completed",
      calibration: { formula: "t_c ≈ 0.5367 · t_u − 17.30", code: "t_c = 0.5367 * t_u - 17.30" },
      saved: null,
      plot: null,
    });
    expectClose([json.params.w, json.params.b], book.params as number[]);
    expectClose([json.loss.train], [book.finalLoss as number]);
    expect(json.loss.val).toBeNull();
    expectClose(json.calibration.coefficients, book.coefficients as number[]);
    expect(json.history).toHaveLength(5000);
    expect(json.history[0]).toEqual({ epoch: 1, trainLoss: expect.any(Number) });
    expectClose([json.history[499].trainLoss], [book.logged?.["500"] as number]);
  });

  it("--quiet prints nothing and succeeds", () => {
    const run = runCli(["fit", "--quiet", "--epochs", "10"]);
    expect(run).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("--log-every sets how often the plain log prints", () => {
    const run = runCli(["fit", "--epochs", "30", "--log-every", "10"]);
    const epochs = [...run.stdout.matchAll(/^epoch +(\d+)\/30/gm)].map((m) => Number(m[1]));
    expect(epochs).toEqual([1, 10, 20, 30]);
  });
});

describe("x fit options against PyTorch runs", () => {
  const converging = runs.cases.filter((c) => c.divergedAt === undefined && c.name !== BOOK);
  it.each(converging.map((c) => [c.name, c] as const))("%s", (_name, torch) => {
    const json = runJson(fitArgs(torch));
    expect(json.model).toBe(torch.model);
    expect(json.normalize).toBe(torch.normalize);
    expect(json.optimizer.name).toBe(torch.optimizer);
    expectClose(Object.values(json.params), torch.params as number[], 2e-5, 2e-5);
    expectClose([json.loss.train], [torch.finalLoss as number], 2e-5, 2e-5);
    expectClose(json.calibration.coefficients, torch.coefficients as number[], 2e-5, 2e-5);
  });
});

describe("x fit on a CSV file", () => {
  const builtin = () => runJson(["fit", "--epochs", "200"]);

  it("picks the columns by name (the file has t_c first)", () => {
    const json = runJson(["fit", thermometerCsv, "--x", "t_u", "--y", "t_c", "--epochs", "200"]);
    expect(json.data).toMatchObject({ source: thermometerCsv, x: "t_u", y: "t_c", rows: 11 });
    expect(json.params).toEqual(builtin().params);
  });

  it("picks the columns by 0-based index", () => {
    const json = runJson(["fit", thermometerCsv, "--x", "1", "--y", "0", "--epochs", "200"]);
    expect(json.data).toMatchObject({ x: "t_u", y: "t_c" });
    expect(json.params).toEqual(builtin().params);
  });

  it("defaults to the first column as input and the second as target", () => {
    const json = runJson(["fit", thermometerCsv, "--epochs", "5"]);
    expect(json.data).toMatchObject({ x: "t_c", y: "t_u" });
  });
});

describe("x fit with a validation split", () => {
  const split = (seed: number) =>
    runJson(["fit", "--val-fraction", "0.2", "--seed", String(seed), "--epochs", "300"]);

  it("holds out floor(0.2 · 11) = 2 rows and records a validation loss every epoch", () => {
    const json = split(0);
    expect(json.data).toMatchObject({ rows: 11, train: 9, val: 2 });
    expect(json.history).toHaveLength(300);
    expect(json.history.every((r: { valLoss?: number }) => typeof r.valLoss === "number")).toBe(
      true,
    );
    expect(json.loss.val).toBe(json.history[299].valLoss);
    expect(json.seed).toBe(0);
  });

  it("holds out torch's rows: the last 2 of torch.manual_seed(seed); torch.randperm(11)", () => {
    for (const seed of [0, 1, 2, 3]) {
      const perm = torchBookSplit(seed);
      expect(split(seed).data.valRows).toEqual(perm.slice(9));
    }
  });

  it("is reproducible for a seed and differs between seeds", () => {
    const [a, b, c] = [split(3), split(3), split(4)];
    expect(b.params).toEqual(a.params);
    expect(b.history).toEqual(a.history);
    expect(c.params).not.toEqual(a.params);
  });

  it("--early-stopping stops after PATIENCE epochs without a better validation loss and keeps the best parameters", () => {
    const json = runJson([
      "fit",
      "--val-fraction",
      "0.2",
      "--seed",
      "1",
      "--epochs",
      "3000",
      "--early-stopping",
      "20",
    ]);
    expect(json.stopReason).toBe("earlyStopping");
    expect(json.epochs.completed).toBeLessThan(3000);
    expect(json.restoredEpoch).toBe(json.bestEpoch);
    const best = json.history.find((r: { epoch: number }) => r.epoch === json.bestEpoch);
    expect(json.epochs.completed).toBe(json.bestEpoch + 20);
    expect(json.loss.val).toBe(best.valLoss);
  });
});
