import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  type Checkpoint,
  type CheckpointParts,
  loadCheckpoint,
  saveCheckpoint,
} from "./checkpoint";
import { TrainError } from "./errors";
import { show } from "./validate";

function checkPath(path: unknown, op: string): string {
  if (typeof path !== "string" || path === "") {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `path must be a non-empty string, but got ${show(path)}. Hint: ${op}("model.safetensors", …).`,
    );
  }
  return path;
}

/** Best effort: makes the rename itself durable (directories cannot be fsynced on every platform). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse; the data itself was already fsynced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes {@link saveCheckpoint}'s bytes to `path` atomically: a temporary file in the same
 * directory is written and fsynced, then renamed over `path`, so a crash leaves either the old
 * file or the new one, never half of one. Node only (`@x/train/node`).
 */
export function saveCheckpointFile(path: string, parts: CheckpointParts): void {
  const target = checkPath(path, "saveCheckpointFile");
  const bytes = saveCheckpoint(parts);
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  const fd = openSync(temp, "wx");
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dirname(target));
}

/** Reads a checkpoint file written by {@link saveCheckpointFile} (or any `.safetensors` file). */
export function loadCheckpointFile(path: string): Checkpoint {
  return loadCheckpoint(new Uint8Array(readFileSync(checkPath(path, "loadCheckpointFile"))));
}
