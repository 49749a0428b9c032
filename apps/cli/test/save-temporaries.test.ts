import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runJson, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe("x fit --save after a save that was killed (kill -9)", () => {
  it("removes the temporary file the killed save left, keeps a running writer's", () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const stale = `.model.safetensors.${dead}.k3x9q.tmp`;
    // This test process is alive while x fit runs: its temporary belongs to a live writer.
    const live = `.model.safetensors.${process.pid}.a1b2c.tmp`;
    for (const name of [stale, live]) writeFileSync(join(dir, name), "half a checkpoint");
    runJson(["fit", "--epochs", "20", "--save", join(dir, "model.safetensors")]);
    expect(readdirSync(dir).sort()).toEqual([live, "model.safetensors"].sort());
  });
});
