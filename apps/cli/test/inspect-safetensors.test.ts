import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, runJson, tempDir } from "./run-cli";

/** Files PyTorch users have, made by packages/train/test/fixtures/check_safetensors.py. */
const torchFile = (name: string) =>
  fileURLToPath(new URL(`../../../packages/train/test/fixtures/${name}`, import.meta.url));

/** Runs `x inspect file`; expects success with nothing on stderr, returns stdout's lines. */
function inspectLines(file: string): string[] {
  const run = runCli(["inspect", file]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).not.toMatch(/corrupt|truncated/);
  return run.stdout.split("\n");
}

/** The lines as one, every run of spaces (indents, wrapped lines' breaks) as one space. */
const oneLine = (lines: string[]) => lines.join(" ").replace(/\s+/g, " ");

describe("x inspect lists any valid safetensors file", () => {
  it("a PyTorch nn.Linear state dict (weight, bias): tensors, sizes and metadata", () => {
    const file = torchFile("torch_linear.safetensors");
    expect(inspectLines(file)).toEqual([
      `${file} (safetensors, not written by x fit)`,
      "",
      "  tensor  dtype  shape   bytes  loads as",
      "  weight  F32    [2, 3]     24  float32",
      "  bias    F32    [2]         8  float32",
      "  2 tensors, 32 bytes of data",
      "",
      "  metadata",
      "  format  pt",
      "",
      "  @x/train's loadCheckpoint reads it.",
      "  x predict and x evaluate use checkpoints written by x fit --save.",
      "",
    ]);
  });

  it("--json: names, dtypes, shapes, sizes in bytes and the metadata", () => {
    const file = torchFile("torch_linear.safetensors");
    expect(runJson(["inspect", file])).toEqual({
      command: "inspect",
      file,
      format: "safetensors",
      writtenByFit: false,
      tensors: [
        { name: "weight", dtype: "F32", shape: [2, 3], bytes: 24, loadsAs: "float32" },
        { name: "bias", dtype: "F32", shape: [2], bytes: 8, loadsAs: "float32" },
      ],
      dataBytes: 32,
      metadata: { format: "pt" },
      load: { ok: true, conversions: [] },
    });
  });

  it("F16, BF16 and I64 tensors: says they load converted", () => {
    const file = torchFile("torch_halves.safetensors");
    const lines = inspectLines(file);
    expect(lines).toContain("  half          F16    [11]       22  float32 (converted)");
    expect(lines).toContain("  brain         BF16   [10]       20  float32 (converted)");
    expect(lines).toContain("  steps         I64    [4]        32  int32 (converted)");
    expect(lines).toContain("  weight        F32    [2]         8  float32");
    expect(oneLine(lines)).toContain(
      "@x/train's loadCheckpoint reads it, converting 2 F16 tensors and 2 BF16 tensors to float32, 1 I64 tensor to int32.",
    );
    expect(runJson(["inspect", file]).load).toEqual({
      ok: true,
      conversions: [
        { name: "half", from: "F16", to: "float32" },
        { name: "half_random", from: "F16", to: "float32" },
        { name: "brain", from: "BF16", to: "float32" },
        { name: "brain_random", from: "BF16", to: "float32" },
        { name: "steps", from: "I64", to: "int32" },
      ],
    });
  });

  it("a dtype @x/train cannot load, or an I64 past int32: listed, with why it cannot load", () => {
    const uint8 = torchFile("torch_uint8.safetensors");
    expect(inspectLines(uint8)).toContain("  image   U8     [1, 3]      3  cannot load");
    expect(runJson(["inspect", uint8]).load).toEqual({
      ok: false,
      code: "UNSUPPORTED_DTYPE",
      message:
        'tensor "image" has dtype "U8", which @x/train cannot load; it loads F32, F64, I32, BOOL, F16 and BF16 (as float32), I64 (as int32). Hint: convert the tensor before saving it (in PyTorch: tensor.float() or tensor.int()).',
    });
    const overflow = torchFile("torch_i64_overflow.safetensors");
    expect(oneLine(inspectLines(overflow))).toMatch(
      /loadCheckpoint cannot read it \(VALUE_OUT_OF_RANGE\): tensor "position_ids" of dtype "I64" holds 2147483648 at flat index 3/,
    );
  });

  it("tensors and metadata named __proto__", () => {
    const out = runJson(["inspect", torchFile("torch_proto.safetensors")]);
    expect(out.tensors.map((t: { name: string }) => t.name)).toEqual([
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
    ]);
    expect(Object.entries(out.metadata)).toEqual([
      ["__proto__", "kept"],
      ["format", "pt"],
    ]);
  });
});

describe("checkpoints of x fit", () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it("inspect --json also lists their tensors", () => {
    const model = join(dir, "model.safetensors");
    runJson(["fit", "--epochs", "20", "--save", model]);
    const out = runJson(["inspect", model]);
    expect(out.model).toBe("linear");
    expect(out.tensors).toContainEqual({
      name: "params",
      dtype: "F32",
      shape: [2],
      bytes: 8,
      loadsAs: "float32",
    });
  });

  it("predict on a safetensors file x fit did not write: no hint about corruption", () => {
    const file = torchFile("torch_linear.safetensors");
    const run = runCli(["predict", file, "1"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `x predict: error: ${file} is not a checkpoint of x fit: it is a safetensors file, but without the "x-cli" metadata that x fit writes. Hint: pass a file written by x fit --save; x inspect ${file} lists what this one holds.\n`,
    );
  });
});
