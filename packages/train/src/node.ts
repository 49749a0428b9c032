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

export type { Checkpoint, CheckpointParts, Stateful } from "./checkpoint";
export type { EpochRecord, History, HistoryJSON, OverfittingOptions, StopReason } from "./history";

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

/** Runs a file-system call; turns its failure into an `IO_ERROR` naming the path. */
function io<T>(op: string, path: string, action: string, hint: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new TrainError(
      "IO_ERROR",
      op,
      `cannot ${action} ${JSON.stringify(path)} (${(error as Error).message}). Hint: ${hint}`,
    );
  }
}

/** Best effort: makes the rename itself durable (not every platform can fsync a directory). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows and some file systems refuse; the file's data was already fsynced.
  }
}

/** Writes `bytes` to a new file, fsyncs it, and closes it; removes it if anything fails. */
function writeDurably(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, "wx");
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw error;
  }
}

/**
 * Writes `saveCheckpoint`'s bytes to `path` atomically: a temporary file in the same
 * directory is written and fsynced, then renamed over `path`, so a crash leaves either the old
 * file or the new one, never part of one. Node only (`@x/train/node`).
 *
 * @example
 * saveCheckpointFile("thermometer.safetensors", { params: { params }, optimizer, history });
 */
export function saveCheckpointFile(path: string, parts: CheckpointParts): void {
  const op = "saveCheckpointFile";
  const target = checkPath(path, op);
  const bytes = saveCheckpoint(parts);
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  io(op, target, "write", "check that the directory exists and is writable.", () => {
    writeDurably(temp, bytes);
    try {
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  });
  syncDirectory(dirname(target));
}

/** Reads a checkpoint file written by {@link saveCheckpointFile} (or any `.safetensors` file). */
export function loadCheckpointFile(path: string): Checkpoint {
  const op = "loadCheckpointFile";
  const target = checkPath(path, op);
  const bytes = io(op, target, "read", "check the path.", () => readFileSync(target));
  return loadCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
