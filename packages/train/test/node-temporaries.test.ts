import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensor } from "@x/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { saveCheckpointFile } from "../src/node";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ["-e", ""]).pid;
  if (pid === undefined) throw new Error("could not start a process");
  return pid;
}

describe("saveCheckpointFile cleans up after saves that were killed", () => {
  it("removes the target's temporaries whose process is gone, keeps a live writer's and other files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "x-train-"));
    dirs.push(dir);
    const dead = deadPid();
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      const files = {
        stale: `.model.safetensors.${dead}.k3x9q.tmp`,
        live: `.model.safetensors.${live.pid}.a1b2c.tmp`,
        oldLive: `.model.safetensors.${live.pid}.old.tmp`,
        otherTarget: `.other.safetensors.${dead}.k3x9q.tmp`,
        notOurs: `.model.safetensors.notes.tmp`,
      };
      for (const name of Object.values(files)) writeFileSync(join(dir, name), "partial");
      const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
      utimesSync(join(dir, files.oldLive), twoDaysAgo, twoDaysAgo);
      saveCheckpointFile(join(dir, "model.safetensors"), { params: { w: tensor([1]) } });
      expect(readdirSync(dir).sort()).toEqual(
        [files.live, files.otherTarget, files.notOurs, "model.safetensors"].sort(),
      );
      expect(existsSync(join(dir, files.stale))).toBe(false);
    } finally {
      live.kill();
    }
  });
});
