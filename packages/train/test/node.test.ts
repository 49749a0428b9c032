import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensor } from "@x/tensor";
import { afterEach, describe, expect, it } from "vitest";
import type { TrainError } from "../src/index";
import { loadCheckpointFile, saveCheckpointFile } from "../src/node";
import { expectTrainError, thrownBy } from "./helpers";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "x-train-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("@x/train/node checkpoint files", () => {
  it("saves and loads a checkpoint, leaving only the target file in the directory", () => {
    const dir = tempDir();
    const path = join(dir, "model.safetensors");
    saveCheckpointFile(path, { params: { w: tensor([1.5, -2]) }, metadata: { note: "first" } });
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    const loaded = loadCheckpointFile(path);
    expect(loaded.params.w?.toArray()).toEqual([1.5, -2]);
    expect(loaded.metadata).toEqual({ note: "first" });
  });

  it("replaces an existing file as a whole", () => {
    const dir = tempDir();
    const path = join(dir, "model.safetensors");
    saveCheckpointFile(path, { params: { w: tensor([1, 2, 3, 4, 5, 6, 7, 8]) } });
    saveCheckpointFile(path, { params: { w: tensor([9]) } });
    expect(loadCheckpointFile(path).params.w?.toArray()).toEqual([9]);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  });

  it("leaves the old file and no temporary file behind when saving fails", () => {
    const dir = tempDir();
    const path = join(dir, "model.safetensors");
    saveCheckpointFile(path, { params: { w: tensor([1]) } });
    const before = readFileSync(path);
    expect(() => saveCheckpointFile(path, { params: { w: [1] } } as never)).toThrow(
      "saveCheckpoint: params.w must be a Tensor",
    );
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  });

  it("reports I/O failures as IO_ERROR naming the path", () => {
    const dir = tempDir();
    const missing = join(dir, "nope", "model.safetensors");
    const write = thrownBy(() => saveCheckpointFile(missing, { params: {} })) as TrainError;
    expect(write.code).toBe("IO_ERROR");
    expect(write.message).toMatch(
      new RegExp(
        `^saveCheckpointFile: cannot write "${missing}" \\(ENOENT: .*\\)\\. Hint: check that the directory exists and is writable\\.$`,
      ),
    );
    const read = thrownBy(() => loadCheckpointFile(missing)) as TrainError;
    expect(read.code).toBe("IO_ERROR");
    expect(read.message).toMatch(
      new RegExp(
        `^loadCheckpointFile: cannot read "${missing}" \\(ENOENT: .*\\)\\. Hint: check the path\\.$`,
      ),
    );
  });

  it("rejects a path that is not a non-empty string, and a file that is not a checkpoint", () => {
    expectTrainError(
      () => saveCheckpointFile("", { params: {} }),
      "INVALID_OPTION",
      'saveCheckpointFile: path must be a non-empty string, but got "". Hint: saveCheckpointFile("model.safetensors", …).',
    );
    expectTrainError(
      () => loadCheckpointFile(3 as never),
      "INVALID_OPTION",
      'loadCheckpointFile: path must be a non-empty string, but got 3. Hint: loadCheckpointFile("model.safetensors", …).',
    );
    const path = join(tempDir(), "notes.txt");
    writeFileSync(path, "hello");
    expectTrainError(
      () => loadCheckpointFile(path),
      "CHECKPOINT_INVALID",
      "loadCheckpoint: the file is 5 bytes, expected at least 8 (the header length). Hint: the file is truncated, corrupted or not a .safetensors file; write it again with saveCheckpoint.",
    );
  });
});
