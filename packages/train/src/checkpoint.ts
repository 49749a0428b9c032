import { Tensor } from "@x/tensor";
import { TrainError } from "./errors";
import { History } from "./history";
import { setOwn } from "./own";
import { decodeSafetensors, encodeSafetensors, type SafetensorsConversion } from "./safetensors";
import { decodeState, encodeState } from "./state-tree";
import { show } from "./validate";

/** Prefix of the metadata keys and tensor names this package reserves inside a checkpoint. */
export const CHECKPOINT_PREFIX = "__x__/";

/** Something with a state: an optimizer, scheduler or scaler, or its `stateDict()` output. */
export type Stateful = { stateDict(): unknown } | Record<string, unknown>;

/** A module whose state a checkpoint stores: `@x/nn`'s `Module`, or anything with `stateDict()`. */
export interface StateDictModule {
  /** The module's tensors by torch's dotted names (`0.weight`), in torch's order. */
  stateDict(): Record<string, Tensor>;
}

/** What `saveCheckpoint` stores: `params` or `model` (one of them), and the other parts. */
export interface CheckpointParts {
  /** The parameters by name (stored as safetensors tensors; F32, F64, I32 or BOOL). */
  params?: Record<string, Tensor> | undefined;
  /**
   * A module: its `stateDict()` is stored under torch's keys, so that PyTorch's
   * `model.load_state_dict(safetensors.torch.load_file(path))` reads the file, and
   * `model.loadStateDict(loadCheckpoint(bytes).params)` reads it back (also a file torch saved).
   * Other parts whose state holds tensors (Adam's moments) add tensors named `__x__/…`, which
   * torch's strict loading rejects as unexpected keys: leave them out of a file meant for torch.
   */
  model?: StateDictModule | undefined;
  /** An optimizer (its `stateDict()` is stored) or a state dict. */
  optimizer?: Stateful;
  /** An LR scheduler or its state dict. */
  scheduler?: Stateful;
  /** A fitted scaler from `@x/data` or its state dict. */
  scaler?: Stateful;
  /** The training history so far. */
  history?: History;
  /** Free-form string metadata (safetensors metadata values must be strings). */
  metadata?: Record<string, string>;
}

/** What `loadCheckpoint` returns: the parameters, the state dicts, history and metadata. */
export interface Checkpoint {
  /** The parameters by name (a saved `model`'s state dict), as new tensors. */
  params: Record<string, Tensor>;
  /** The optimizer's state dict, for `optimizer.loadStateDict()`. */
  optimizer?: unknown;
  /** The scheduler's state dict. */
  scheduler?: unknown;
  /** The scaler's state dict, for `scaler.loadStateDict()`. */
  scaler?: unknown;
  /** The saved history. */
  history?: History;
  /** The free-form metadata (without this package's reserved keys). */
  metadata: Record<string, string>;
  /** The tensors loaded in another dtype than the file's (F16 and BF16 as float32, I64 as int32). */
  conversions: SafetensorsConversion[];
}

const STATE_PARTS = ["optimizer", "scheduler", "scaler"] as const;
const FORMAT_KEY = `${CHECKPOINT_PREFIX}format`;
const FORMAT = "x-checkpoint/1";

function stateOf(part: Stateful): unknown {
  return typeof part.stateDict === "function"
    ? (part as { stateDict(): unknown }).stateDict()
    : part;
}

/** Checks named tensors; `what` names them in messages (`params`, `model.stateDict()`). */
function checkNamedTensors(params: unknown, what: string): Record<string, Tensor> {
  if (
    params === null ||
    typeof params !== "object" ||
    Array.isArray(params) ||
    params instanceof Tensor
  ) {
    throw new TrainError(
      "INVALID_OPTION",
      "saveCheckpoint",
      `${what} must be an object of named tensors, but got ${show(params)}. Hint: saveCheckpoint({ params: { w, b } }), or saveCheckpoint({ model }) for a module.`,
    );
  }
  for (const [name, value] of Object.entries(params)) {
    if (!(value instanceof Tensor)) {
      throw new TrainError(
        "INVALID_OPTION",
        "saveCheckpoint",
        `${what}.${name} must be a Tensor, but got ${show(value)}.`,
      );
    }
    if (name.startsWith(CHECKPOINT_PREFIX) || name === "__metadata__") {
      throw new TrainError(
        "INVALID_OPTION",
        "saveCheckpoint",
        `${what} name ${JSON.stringify(name)} is reserved. Hint: names must not be "__metadata__" or start with "${CHECKPOINT_PREFIX}".`,
      );
    }
  }
  return params as Record<string, Tensor>;
}

/** The tensors stored under their own names: `params`, or `model.stateDict()`. */
function namedTensorsOf(parts: CheckpointParts): Record<string, Tensor> {
  const { params, model } = parts;
  if (model === undefined) return checkNamedTensors(params, "params");
  if (params !== undefined) {
    throw new TrainError(
      "INVALID_OPTION",
      "saveCheckpoint",
      "got both params and model, expected one of them (both would be stored under their own names). Hint: saveCheckpoint({ model, optimizer }) for a module, saveCheckpoint({ params: { w, b } }) for loose tensors.",
    );
  }
  if (model === null || typeof (model as Partial<StateDictModule>).stateDict !== "function") {
    throw new TrainError(
      "INVALID_OPTION",
      "saveCheckpoint",
      `model must be a module with stateDict(), but got ${show(model)}. Hint: saveCheckpoint({ model }) with an @x/nn Module.`,
    );
  }
  return checkNamedTensors(model.stateDict(), "model.stateDict()");
}

function checkMetadata(metadata: unknown): Record<string, string> {
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new TrainError(
      "INVALID_OPTION",
      "saveCheckpoint",
      `metadata must be an object of strings, but got ${show(metadata)}.`,
    );
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") {
      throw new TrainError(
        "INVALID_OPTION",
        "saveCheckpoint",
        `metadata.${key} must be a string (safetensors metadata holds strings only), but got ${show(value)}. Hint: JSON.stringify it.`,
      );
    }
    if (key.startsWith(CHECKPOINT_PREFIX)) {
      throw new TrainError(
        "INVALID_OPTION",
        "saveCheckpoint",
        `metadata key ${JSON.stringify(key)} is reserved. Hint: use keys that do not start with "${CHECKPOINT_PREFIX}".`,
      );
    }
  }
  return metadata as Record<string, string>;
}

/**
 * Serialises a checkpoint to `.safetensors` bytes: the parameters (or a module's state dict, under
 * torch's keys, which torch's `load_state_dict` accepts) and every tensor inside the
 * optimizer/scheduler/scaler state are stored as tensors; the rest of those states and the
 * history are JSON strings in `__metadata__` (keys starting with `__x__/`). PyTorch's
 * `safetensors.torch.load_file` reads the result. Works in browsers (no file system needed).
 *
 * @example
 * const bytes = saveCheckpoint({ params: { params }, optimizer, history });
 * const forTorch = saveCheckpoint({ model }); // model.load_state_dict(load_file(path)) in torch
 */
export function saveCheckpoint(parts: CheckpointParts): Uint8Array {
  if (parts === null || typeof parts !== "object") {
    throw new TrainError(
      "INVALID_OPTION",
      "saveCheckpoint",
      `expected an object { params or model, optimizer?, scheduler?, scaler?, history?, metadata? }, but got ${show(parts)}.`,
    );
  }
  const tensors: Record<string, Tensor> = { ...namedTensorsOf(parts) };
  const metadata: Record<string, string> = {
    ...checkMetadata(parts.metadata ?? {}),
    [FORMAT_KEY]: FORMAT,
  };
  for (const part of STATE_PARTS) {
    const value = parts[part];
    if (value === undefined) continue;
    const key = `${CHECKPOINT_PREFIX}${part}`;
    metadata[key] = encodeState(stateOf(value), key, tensors, "saveCheckpoint", part);
  }
  if (parts.history !== undefined) {
    if (!History.isInstance(parts.history)) {
      throw new TrainError(
        "INVALID_OPTION",
        "saveCheckpoint",
        `history must be the History returned by fit, but got ${show(parts.history)}.`,
      );
    }
    const key = `${CHECKPOINT_PREFIX}history`;
    metadata[key] = encodeState(parts.history.toJSON(), key, tensors, "saveCheckpoint", "history");
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Reads `saveCheckpoint`'s bytes (or any `.safetensors` file, whose tensors become `params`).
 * F16 and BF16 tensors load as float32, I64 as int32 (listed in `conversions`). Truncated or
 * hostile input throws a `CHECKPOINT_INVALID` {@link TrainError}; other dtypes throw
 * `UNSUPPORTED_DTYPE`, I64 values outside the int32 range `VALUE_OUT_OF_RANGE`.
 */
export function loadCheckpoint(bytes: Uint8Array): Checkpoint {
  const op = "loadCheckpoint";
  const { tensors, metadata: raw, conversions } = decodeSafetensors(bytes, op);
  const params: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(tensors)) {
    if (!name.startsWith(CHECKPOINT_PREFIX)) setOwn(params, name, value);
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(CHECKPOINT_PREFIX)) setOwn(metadata, key, value);
  }
  const format = raw[FORMAT_KEY];
  if (format !== undefined && format !== FORMAT) {
    throw new TrainError(
      "CHECKPOINT_INVALID",
      op,
      `unsupported checkpoint format ${JSON.stringify(format)}, expected ${JSON.stringify(FORMAT)}. Hint: update @x/train to read newer checkpoints.`,
    );
  }
  const checkpoint: Checkpoint = { params, metadata, conversions };
  for (const part of STATE_PARTS) {
    const text = raw[`${CHECKPOINT_PREFIX}${part}`];
    if (text !== undefined) checkpoint[part] = decodeState(text, tensors, op, `the ${part} state`);
  }
  const history = raw[`${CHECKPOINT_PREFIX}history`];
  if (history !== undefined) {
    checkpoint.history = History.fromJSON(decodeState(history, tensors, op, "the history"), op);
  }
  return checkpoint;
}
