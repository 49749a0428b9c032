import { MinMaxScaler, type Normalizer, Scale, StandardScaler } from "@x/data";
import { CliError, usageError } from "./errors";

/** The normalisers `--normalize` offers. */
export type NormalizeKind = "none" | "scale" | "minmax" | "standard";

/** A parsed `--normalize` value. */
export interface NormalizeSpec {
  kind: NormalizeKind;
  /** The `scale:FACTOR` multiplier. */
  factor?: number;
}

/** Any fitted normaliser of @x/data. */
export type Scaler = Normalizer<unknown>;

const FORMS = "none, scale:FACTOR (e.g. scale:0.1, the book's), minmax or standard";

/** Parses `none`, `scale:0.1`, `minmax` or `standard`. */
export function parseNormalize(value: string): NormalizeSpec {
  const [kind, arg, ...rest] = value.trim().split(":");
  if (kind === "scale" && rest.length === 0) {
    const factor = Number(arg);
    if (arg !== undefined && arg.trim() !== "" && Number.isFinite(factor) && factor !== 0) {
      return { kind: "scale", factor };
    }
    throw usageError(
      `--normalize ${value}: the factor must be a finite non-zero number, expected scale:FACTOR vs got ${JSON.stringify(value)}. Hint: --normalize scale:0.1 multiplies the inputs by 0.1 as the book does.`,
    );
  }
  if ((kind === "none" || kind === "minmax" || kind === "standard") && arg === undefined) {
    return { kind };
  }
  throw usageError(
    `--normalize: unknown normalisation ${JSON.stringify(value)}, expected one of ${FORMS}. Hint: --normalize standard rescales the inputs to zero mean and unit variance.`,
  );
}

/** How the spec reads on the command line (`scale:0.1`). */
export function formatNormalize(spec: NormalizeSpec): string {
  return spec.kind === "scale" ? `scale:${spec.factor}` : spec.kind;
}

/** A new, unfitted normaliser for the spec (null for `none`). */
export function createScaler(spec: NormalizeSpec): Scaler | null {
  switch (spec.kind) {
    case "none":
      return null;
    case "scale":
      return new Scale(spec.factor as number) as Scaler;
    case "minmax":
      return new MinMaxScaler() as Scaler;
    case "standard":
      return new StandardScaler() as Scaler;
  }
}

/** Rebuilds a saved normaliser from its kind and its `stateDict()`. */
export function restoreScaler(kind: string, state: unknown, file: string): Scaler | null {
  if (kind === "none") return null;
  if (kind === "scale") return new Scale(1).loadStateDict(state as never) as Scaler;
  if (kind === "minmax") return new MinMaxScaler().loadStateDict(state as never) as Scaler;
  if (kind === "standard") return new StandardScaler().loadStateDict(state as never) as Scaler;
  throw new CliError(
    "BAD_CHECKPOINT",
    `${file}: unknown normalisation ${JSON.stringify(kind)} in the checkpoint, expected none, scale, minmax or standard. Hint: was it written by a newer @x/cli? Re-run x fit with --save.`,
  );
}

/** What the model's input `x` is, in words: `0.1 · t_u`, `t_u standardised (z-score)`. */
export function describeInput(kind: string, state: unknown, xName: string): string {
  if (kind === "scale")
    return `${(state as { factor?: number } | null)?.factor ?? "factor"} · ${xName}`;
  if (kind === "minmax") return `${xName} rescaled to [0, 1] by its training min and max`;
  if (kind === "standard") return `(${xName} − mean) / std of the training ${xName}`;
  return xName;
}
