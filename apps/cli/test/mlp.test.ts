/**
 * `x fit --model mlp[:HIDDEN]`: the book's chapter-6 network with its settings, against the
 * PyTorch run of packages/train/test/fixtures/ch6.py (seed 0), and predict, evaluate and inspect
 * on its checkpoint.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectClose, thermometerCsv } from "./fixtures";
import { type CliRun, runCli, runJson, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

interface TorchLosses {
  epoch: number;
  train: number;
  val: number;
}
const ch6 = JSON.parse(
  readFileSync(new URL("../../../packages/train/test/fixtures/ch6.json", import.meta.url), "utf8"),
) as {
  runs: {
    seed: number;
    train: number[];
    val: number[];
    orders: { losses: TorchLosses[]; final: Record<string, unknown> }[];
  }[];
};
const torch = ch6.runs.find((run) => run.seed === 0) as (typeof ch6.runs)[number];
const torchLosses = torch.orders[0]?.losses as TorchLosses[];

const file = join(dir, "mlp.safetensors");
const STATE_KEYS = ["0.weight", "0.bias", "2.weight", "2.bias"];

describe("x fit --model mlp (the book's chapter 6)", () => {
  // biome-ignore lint/suspicious/noExplicitAny: the document is checked field by field
  let fitted: any;
  beforeAll(() => {
    fitted = runJson(["fit", "--model", "mlp", "--save", file]);
  }, 120_000);

  it("uses the book's settings: mlp:13, SGD lr 1e-3, 5000 epochs, torch's split of seed 0", () => {
    expect(fitted).toMatchObject({
      model: "mlp:13",
      optimizer: { name: "sgd", lr: 1e-3 },
      normalize: "scale:0.1",
      seed: 0,
      epochs: { requested: 5000, completed: 5000 },
      data: { rows: 11, train: 9, val: 2, valRows: torch.val },
      calibration: null,
    });
    expect(Object.keys(fitted.params)).toEqual(STATE_KEYS);
  });

  it("starts at torch's epoch-1 losses exactly and ends at its training loss", () => {
    const first = torchLosses[0] as TorchLosses;
    const last = torchLosses.at(-1) as TorchLosses;
    expect(fitted.history[0]).toEqual({ epoch: 1, trainLoss: first.train, valLoss: first.val });
    // Within float32 accumulation (see packages/train/test/ch6.test.ts): measured 9.5e-7.
    expect(Math.abs(fitted.loss.train - last.train) / last.train).toBeLessThan(1e-3);
  });

  it("saves the network's state dict under torch's keys only", () => {
    const inspected = runJson(["inspect", file]);
    expect(inspected.tensors.map((t: { name: string }) => t.name)).toEqual(STATE_KEYS);
    expect(inspected.tensors.map((t: { shape: number[] }) => t.shape)).toEqual([
      [13, 1],
      [13],
      [1, 13],
      [1],
    ]);
    expect(inspected).toMatchObject({ model: "mlp:13", calibration: null });
    expect(inspected.params).toEqual(fitted.params);
  });

  it("predict and evaluate use the saved network: torch's final model's predictions", () => {
    const rows = readFileSync(thermometerCsv, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",").map(Number) as [number, number]); // t_c, t_u
    const predicted = runJson(["predict", file, ...rows.map(([, tU]) => String(tU))]).predictions;
    // torch's weights after step 5000, applied in float64: Linear(13, 1)(tanh(Linear(1, 13)(x)))
    const state = torch.orders[0]?.final as Record<string, number[] & number[][]>;
    const [w1, b1, w2, b2] = STATE_KEYS.map((key) => state[key]?.flat() as number[]);
    const network = (x: number) =>
      (w2 as number[]).reduce(
        (sum, w, j) => sum + w * Math.tanh((w1?.[j] as number) * x + (b1?.[j] as number)),
        b2?.[0] as number,
      );
    const torchPredictions = rows.map(([, tU]) => network(0.1 * tU));
    expectClose(predicted, torchPredictions, 0, 1e-3);
    const torchMse =
      rows.reduce((sum, [tC], i) => sum + ((torchPredictions[i] as number) - tC) ** 2, 0) / 11;
    const evaluated = runJson(["evaluate", file, thermometerCsv]);
    expect(evaluated.rows).toBe(11);
    expect(Math.abs(evaluated.mse - torchMse) / torchMse).toBeLessThan(1e-4);
  });

  it("inspect prints the network instead of a calibration", () => {
    const run = runCli(["inspect", file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "mlp:13: t_c = Linear(1, 13) → Tanh → Linear(13, 1) applied to x, x = 0.1 · t_u",
    );
    expect(run.stdout).toContain(
      "40 in 0.weight [13, 1], 0.bias [13], 2.weight [1, 13], 2.bias [1]",
    );
    expect(run.stdout).not.toContain("calibration");
  });
});

describe("x fit --model mlp:HIDDEN", () => {
  it("builds the hidden layer's size, and the checkpoint remembers it", () => {
    const small = join(dir, "small.safetensors");
    const fitted = runJson(["fit", "--model", "mlp:4", "--epochs", "20", "--save", small]);
    expect(fitted.model).toBe("mlp:4");
    const inspected = runJson(["inspect", small]);
    expect(inspected.model).toBe("mlp:4");
    expect(inspected.tensors.map((t: { shape: number[] }) => t.shape)).toEqual([
      [4, 1],
      [4],
      [1, 4],
      [1],
    ]);
    expect(runJson(["predict", small, "35.7"]).predictions).toHaveLength(1);
  });

  it("lets --lr and --val-fraction override the book's settings", () => {
    const fitted = runJson([
      "fit",
      "--model",
      "mlp:2",
      "--epochs",
      "1",
      "--lr",
      "0.01",
      "--val-fraction",
      "0",
    ]);
    expect(fitted.optimizer.lr).toBe(0.01);
    expect(fitted.data.val).toBe(0);
  });

  it("keeps chapter 5's settings for the linear model", () => {
    const fitted = runJson(["fit", "--epochs", "1"]);
    expect(fitted).toMatchObject({ model: "linear", optimizer: { lr: 0.01 }, data: { val: 0 } });
  });
});

describe("a bad --model", () => {
  const fails = (run: CliRun, message: string) => {
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`${message}\n`);
  };

  it.each(["mlp:0", "mlp:x", "mlp:1.5", "mlp:"])(
    "%s: a hidden size that is not a whole number >= 1",
    (value) => {
      fails(
        runCli(["fit", "--model", value]),
        `x fit: error: --model ${value}: the hidden size must be a whole number >= 1, expected mlp:HIDDEN vs got "${value}". Hint: --model mlp:13 (the book's size, the same as --model mlp), or mlp:32 for a wider network.`,
      );
    },
  );

  it.each(["cnn", "linear:3", "mlp:2:3"])("%s: an unknown model", (value) => {
    fails(
      runCli(["fit", "--model", value]),
      `x fit: error: --model: unknown model "${value}", expected one of linear, quadratic, mlp or mlp:HIDDEN (mlp is mlp:13, the book's chapter-6 network). Hint: --model mlp trains Linear(1, 13) → Tanh → Linear(13, 1) with the book's settings.`,
    );
  });
});
