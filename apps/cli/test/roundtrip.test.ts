import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectClose, fitArgs, runs, thermometerCsv, torchRun } from "./fixtures";
import { runCli, runJson, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const BOOK = torchRun("book: SGD lr 1e-2 on 0.1 * t_u, 5000 epochs");
const model = join(dir, "model.safetensors");

describe("fit → save → predict → evaluate → inspect (the book's run)", () => {
  let fitted: {
    params: Record<string, number>;
    history: unknown[];
    loss: { train: number };
    bestEpoch: number;
  };
  beforeAll(() => {
    writeFileSync(model, "an older model");
    fitted = runJson(["fit", "--save", model]);
  });

  it("--save replaces the previous file atomically (no temporary file left)", () => {
    expect(readFileSync(model).subarray(8, 9).toString()).toBe("{");
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  });

  it("predict: PyTorch's predictions for raw readings, through the saved normalisation", () => {
    const out = runJson(["predict", model, ...BOOK.predict!.inputs.map(String)]);
    expect(out).toMatchObject({
      command: "predict",
      x: "t_u",
      y: "t_c",
      inputs: BOOK.predict!.inputs,
    });
    expectClose(out.predictions, BOOK.predict!.outputs);
  });

  it("predict prints a table of inputs and predictions", () => {
    const run = runCli(["predict", model, "35.7", "-4"]);
    expect(run.status).toBe(0);
    const rows = run.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe(" t_u  →  t_c (predicted)");
    expect(rows[1]).toMatch(/^35\.7 {2}→ {2}1\.859\d$/);
    expect(rows[2]).toMatch(/^ {2}-4 {2}→ {2}-19\.448\d$/);
    expectClose([Number(rows[1]?.split("→")[1])], [BOOK.predict!.outputs[0] as number], 0, 1e-4);
  });

  it("predict --data: every row of a CSV file (the model's input column by default)", () => {
    const out = runJson(["predict", model, "--data", thermometerCsv]);
    expect(out.inputs).toEqual(runs.t_u); // as written in the file, not as float32
    expect(out.predictions).toHaveLength(11);
    const byIndex = runJson(["predict", model, "--data", thermometerCsv, "--x", "1"]);
    expect(byIndex.predictions).toEqual(out.predictions);
  });

  it("predict refuses bad input", () => {
    const none = runCli(["predict", model]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      "x predict: error: predict: no input values, expected numbers or --data FILE. Hint: x predict model.safetensors 35.7 81.9, or x predict model.safetensors --data readings.csv.\n",
    );
    const both = runCli(["predict", model, "1", "--data", thermometerCsv]);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(
      `x predict: error: predict: got both values (1) and --data ${thermometerCsv}, expected one or the other. Hint: drop the values to predict every row of the file.\n`,
    );
    const word = runCli(["predict", model, "35.7", "warm"]);
    expect(word.status).toBe(2);
    expect(word.stderr).toBe(
      'x predict: error: predict: "warm" is not a number, expected input values such as 35.7 or -4. Hint: x predict model.safetensors 35.7 -4 81.9.\n',
    );
  });

  it("evaluate: PyTorch's MSE and L1 loss on the data set", () => {
    const out = runJson(["evaluate", model, thermometerCsv]);
    expect(out).toMatchObject({ command: "evaluate", x: "t_u", y: "t_c", rows: 11 });
    expectClose([out.mse, out.mae], [BOOK.evaluate!.mse, BOOK.evaluate!.mae]);
    const run = runCli(["evaluate", model, thermometerCsv]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ +MSE loss +2\.927\d+ {2}mean squared error/m);
  });

  it("inspect --json: the parameters, normalisation, optimizer and history that were saved", () => {
    const out = runJson(["inspect", model]);
    expect(out).toMatchObject({
      command: "inspect",
      model: "linear",
      x: "t_u",
      y: "t_c",
      params: fitted.params,
      normalize: { kind: "scale", state: { factor: 0.1 } },
      optimizer: { name: "sgd", lr: 0.01, group: { lr: 0.01, momentum: 0 } },
      data: { rows: 11, train: 11, val: 0, seed: 0 },
      history: {
        epochs: 5000,
        stopReason: "completed",
        finalTrainLoss: fitted.loss.train,
        bestEpoch: fitted.bestEpoch,
      },
      calibration: { formula: "t_c ≈ 0.5367 · t_u − 17.30" },
    });
  });

  it("inspect prints a readable summary", () => {
    const run = runCli(["inspect", model]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("model.safetensors (written by @x/cli 0.1.0)");
    expect(run.stdout).toMatch(/^ +params +w 5\.3671, b -17\.3012$/m);
    expect(run.stdout).toMatch(/^ +normalize +scale: factor 0\.1$/m);
    expect(run.stdout).toMatch(
      /^ +history +5000 epochs \(completed\), final train loss 2\.9276\d\d$/m,
    );
    expect(run.stdout).toMatch(/^ +loss curve +[▁▂▃▄▅▆▇█]{40} {2}\(log scale\)$/m);
  });
});

describe("round trips of other models against PyTorch", () => {
  const cases = [
    "quadratic, SGD lr 5e-4, 5000 epochs",
    "standard, SGD lr 1e-2, 2000 epochs",
    "minmax, SGD lr 1e-1, 3000 epochs",
  ];
  it.each(cases)("%s", (name) => {
    const torch = torchRun(name);
    const file = join(dir, `${torch.normalize}-${torch.model}.safetensors`);
    runJson([...fitArgs(torch), "--save", file]);
    const predicted = runJson(["predict", file, ...torch.predict!.inputs.map(String)]);
    expectClose(predicted.predictions, torch.predict!.outputs, 2e-5, 2e-5);
    const evaluated = runJson(["evaluate", file, thermometerCsv]);
    expectClose(
      [evaluated.mse, evaluated.mae],
      [torch.evaluate!.mse, torch.evaluate!.mae],
      2e-5,
      2e-5,
    );
    const inspected = runJson(["inspect", file]);
    expect(inspected.normalize.kind).toBe(torch.normalize.replace(/:.*/, ""));
    expectClose(Object.values(inspected.params), torch.params!, 2e-5, 2e-5);
  });
});
