import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
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

export type { Checkpoint, CheckpointParts, StateDictModule, Stateful } from "./checkpoint";
export type { EpochRecord, History, HistoryJSON, OverfittingOptions, StopReason } from "./history";
export type { SafetensorsConversion } from "./safetensors";
export type { SafetensorsConvertedDType } from "./safetensors-dtypes";

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

/** Age after which a temporary file is stale even though its pid is alive (the pid was reused). */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** True when process `pid` exists (EPERM: it does, but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary files that saves to `target` left behind when their process was killed
 * (`.<name>.<pid>.<random>.tmp`): those whose process is gone, or older than a day. A live
 * writer's file stays. Best effort: a file that cannot be removed is left alone.
 */
function removeStaleTemporaries(target: string): void {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the write reports the missing or unreadable directory
  }
  for (const name of names) {
    const pid = name.startsWith(prefix)
      ? /^(\d+)\.[a-z0-9]+\.tmp$/.exec(name.slice(prefix.length))?.[1]
      : undefined;
    if (pid === undefined) continue;
    const file = join(dir, name);
    try {
      if (!isAlive(Number(pid)) || Date.now() - statSync(file).mtimeMs > STALE_AFTER_MS) {
        rmSync(file, { force: true });
      }
    } catch {
      // Removed meanwhile, or not ours to remove.
    }
  }
}

/**
 * Writes `saveCheckpoint`'s bytes to `path` atomically: a temporary file in the same
 * directory is written and fsynced, then renamed over `path`, so a crash leaves either the old
 * file or the new one, never part of one. Temporary files that earlier saves to `path` left
 * behind when their process was killed are removed (never one whose process is still running,
 * unless it is more than a day old). Node only (`@x/train/node`).
 *
 * @example
 * saveCheckpointFile("thermometer.safetensors", { params: { params }, optimizer, history });
 */
export function saveCheckpointFile(path: string, parts: CheckpointParts): void {
  const op = "saveCheckpointFile";
  const target = checkPath(path, op);
  const bytes = saveCheckpoint(parts);
  removeStaleTemporaries(target);
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
