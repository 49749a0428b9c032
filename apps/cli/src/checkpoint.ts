import { readFileSync } from "node:fs";
import type { Tensor } from "@x/tensor";
import {
  type Checkpoint,
  type History,
  loadCheckpoint,
  readSafetensorsHeader,
  type SafetensorsHeader,
  TrainError,
} from "@x/train";
import { saveCheckpointFile } from "@x/train/node";
import { version } from "../package.json";
import { CliError } from "./errors";
import {
  chapter6Network,
  MODELS,
  type ModelKind,
  type Net,
  networkNet,
  polynomialNet,
  type TrainedModel,
} from "./model";
import { restoreScaler } from "./normalize";
import type { Optimizer, OptimizerSettings } from "./optimizers";
import { unwritable } from "./write-file";

/** Metadata key under which the CLI keeps what it needs to rebuild the model. */
const META_KEY = "x-cli";

/** What the CLI stores next to @x/train's parts (as one JSON string in the safetensors metadata). */
export interface CliMetadata {
  /** Version of @x/cli that wrote the file. */
  cliVersion: string;
  model: ModelKind;
  /** The hidden size of an `mlp` model. */
  hidden?: number;
  xName: string;
  yName: string;
  /** `none`, `scale`, `minmax` or `standard` (the state is @x/train's `scaler` part). */
  normalize: string;
  optimizer: OptimizerSettings;
  /** Where the training data came from and how it was split. */
  data: { source: string; rows: number; train: number; val: number; seed: number };
}

/** Everything `x fit --save` writes. */
export interface SaveInput {
  model: TrainedModel;
  optimizer: Optimizer;
  history: History;
  meta: Omit<CliMetadata, "cliVersion" | "model" | "hidden" | "xName" | "yName" | "normalize">;
  normalize: string;
}

/** Writes the checkpoint atomically (temporary file + rename): a failed write leaves `file` as it was. */
export function saveModel(file: string, input: SaveInput): void {
  const { model, optimizer, history } = input;
  const meta: CliMetadata = {
    cliVersion: version,
    model: model.net.choice.kind,
    ...(model.net.choice.hidden === undefined ? {} : { hidden: model.net.choice.hidden }),
    xName: model.xName,
    yName: model.yName,
    normalize: input.normalize,
    ...input.meta,
  };
  try {
    saveCheckpointFile(file, {
      ...model.net.checkpointPart(),
      optimizer,
      ...(model.scaler === null ? {} : { scaler: model.scaler }),
      history,
      metadata: { [META_KEY]: JSON.stringify(meta) },
    });
  } catch (error) {
    if (TrainError.isInstance(error) && error.code !== "IO_ERROR") throw error;
    throw unwritable("checkpoint", file, error);
  }
}

/** A checkpoint read back: the model plus what it was trained with. */
export interface LoadedModel {
  model: TrainedModel;
  meta: CliMetadata;
  checkpoint: Checkpoint;
}

const FIT_HINT = "pass a file written by x fit --save";

function bad(
  file: string,
  what: string,
  hint = `${FIT_HINT} (a truncated or corrupted one must be written again)`,
): CliError {
  return new CliError(
    "BAD_CHECKPOINT",
    `${file} is not a checkpoint of x fit: ${what}. Hint: ${hint}.`,
  );
}

/** @x/train's message split into what is wrong and its hint, without its operation prefix. */
function partsOf(error: TrainError): { what: string; hint: string } {
  const [what = "", hint = ""] = error.message.replace(/^\w+: /, "").split(/\.? Hint: /);
  return { what, hint: hint.replace(/\.$/, "") };
}

/** The bytes of `file`; a missing or unreadable file is a {@link CliError}. */
export function readBytes(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? "FILE_NOT_FOUND" : "FILE_UNREADABLE",
      code === "ENOENT"
        ? `cannot find the checkpoint ${JSON.stringify(file)}, expected a .safetensors file written by x fit --save. Hint: train one first: x fit --save ${file}.`
        : `cannot read the checkpoint ${JSON.stringify(file)} (${code ?? String(error)}), expected a readable file. Hint: check its permissions.`,
    );
  }
}

/**
 * The header of the safetensors file `file` (its bytes already read); a truncated or corrupted
 * file is a {@link CliError} saying so, `describe` saying what the file was expected to be.
 */
export function readHeader(
  file: string,
  bytes: Uint8Array,
  describe = (what: string) => bad(file, what),
): SafetensorsHeader {
  try {
    return readSafetensorsHeader(bytes);
  } catch (error) {
    if (TrainError.isInstance(error)) throw describe(partsOf(error).what);
    throw error;
  }
}

/** True when `metadata` holds what `x fit --save` writes. */
export function isFitCheckpoint(metadata: Record<string, string>): boolean {
  return Object.hasOwn(metadata, META_KEY);
}

/** The trained model of a checkpoint: its `params` tensor, or the network's state dict. */
function restoreNet(file: string, meta: CliMetadata, checkpoint: Checkpoint): Net {
  if (meta.model === "mlp") {
    const hidden = meta.hidden;
    if (typeof hidden !== "number" || !Number.isSafeInteger(hidden) || hidden < 1) {
      throw bad(
        file,
        `the hidden size of its mlp model must be a whole number >= 1, got ${JSON.stringify(hidden)}`,
      );
    }
    const module = chapter6Network(hidden);
    try {
      module.loadStateDict(checkpoint.params);
    } catch (error) {
      const message = (error as Error).message.replace(/\s*\n\s*/g, " ");
      throw bad(file, `its tensors do not fit an mlp:${hidden} model (${message})`);
    }
    return networkNet(module, hidden);
  }
  const spec = Object.hasOwn(MODELS, meta.model) ? MODELS[meta.model] : undefined;
  if (spec === undefined) {
    throw bad(
      file,
      `unknown model ${JSON.stringify(meta.model)}, expected linear, quadratic or mlp`,
    );
  }
  const params = checkpoint.params.params as Tensor | undefined;
  if (params === undefined || params.ndim !== 1 || params.shape[0] !== spec.paramNames.length) {
    const got = params === undefined ? "none" : `shape [${params.shape.join(", ")}]`;
    throw bad(
      file,
      `the "params" tensor of a ${spec.kind} model must have shape [${spec.paramNames.length}], got ${got}`,
    );
  }
  return polynomialNet(spec, params);
}

/** Reads and checks a checkpoint written by `x fit --save` (`bytes`: the file, when already read). */
export function loadModel(file: string, bytes = readBytes(file)): LoadedModel {
  if (!isFitCheckpoint(readHeader(file, bytes).metadata)) {
    throw bad(
      file,
      `it is a safetensors file, but without the "${META_KEY}" metadata that x fit writes`,
      `${FIT_HINT}; x inspect ${file} lists what this one holds`,
    );
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = loadCheckpoint(bytes);
  } catch (error) {
    if (!TrainError.isInstance(error)) throw error;
    const { what, hint } = partsOf(error);
    // A dtype or values @x/tensor cannot hold: @x/train's hint says how to convert them; for a
    // corrupted file, its hint speaks of its API and the CLI's replaces it.
    throw error.code === "CHECKPOINT_INVALID" ? bad(file, what) : bad(file, what, hint);
  }
  const text = checkpoint.metadata[META_KEY] as string;
  let meta: CliMetadata;
  try {
    meta = JSON.parse(text) as CliMetadata;
  } catch {
    throw bad(file, `the "${META_KEY}" metadata is not valid JSON`);
  }
  const net = restoreNet(file, meta, checkpoint);
  let scaler: TrainedModel["scaler"];
  try {
    scaler = restoreScaler(meta.normalize, checkpoint.scaler, file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw bad(
      file,
      `the saved ${meta.normalize} normalisation cannot be restored (${(error as Error).message})`,
    );
  }
  return {
    model: { net, scaler, xName: meta.xName, yName: meta.yName },
    meta,
    checkpoint,
  };
}
