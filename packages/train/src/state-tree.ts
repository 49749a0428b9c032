import { Tensor } from "@x/tensor";
import { TrainError } from "./errors";
import { setOwn } from "./own";
import { show } from "./validate";

// A state dict becomes JSON with two kinds of placeholders: tensors move to the safetensors body
// (named `<prefix>/<path>`), and numbers JSON cannot hold (NaN, ±Infinity, -0) become strings.
const TENSOR = "__tensor__";
const NUMBER = "__number__";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Turns a state (nested plain objects, arrays, numbers, strings, booleans, null and tensors) into
 * JSON text; its tensors are added to `tensors` under `<prefix>/<path>`. `op` and `what` name the
 * caller and the part in errors.
 */
export function encodeState(
  state: unknown,
  prefix: string,
  tensors: Record<string, Tensor>,
  op: string,
  what: string,
): string {
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof Tensor) {
      const name = `${prefix}/${path}`;
      if (Object.hasOwn(tensors, name)) {
        throw new TrainError(
          "INVALID_OPTION",
          op,
          `${what} has two tensors named ${JSON.stringify(name)}. Hint: avoid "." in state keys.`,
        );
      }
      setOwn(tensors, name, value.detach());
      return { [TENSOR]: name };
    }
    if (typeof value === "number") {
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : { [NUMBER]: Object.is(value, -0) ? "-0" : String(value) };
    }
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    const at = (key: string | number) => (path === "" ? String(key) : `${path}.${key}`);
    if (Array.isArray(value)) return value.map((item, i) => walk(item ?? null, at(i)));
    if (isPlainObject(value) && !(TENSOR in value) && !(NUMBER in value)) {
      const entries = Object.entries(value).filter(([, item]) => item !== undefined);
      return Object.fromEntries(entries.map(([key, item]) => [key, walk(item, at(key))]));
    }
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `${what}${path === "" ? "" : ` at ${JSON.stringify(path)}`} must hold only plain objects, arrays, numbers, strings, booleans, null and tensors, but got ${show(value)}. Hint: pass the result of stateDict().`,
    );
  };
  return JSON.stringify(walk(state, ""));
}

/** Reverses {@link encodeState}: parses `text` and puts the tensors back from `tensors`. */
export function decodeState(
  text: string,
  tensors: Record<string, Tensor>,
  op: string,
  what: string,
): unknown {
  const fail = (problem: string) =>
    new TrainError(
      "CHECKPOINT_INVALID",
      op,
      `${what} ${problem}. Hint: the file is corrupted or was not written by saveCheckpoint.`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (TENSOR in record) {
      const name = record[TENSOR] as string;
      const tensor = Object.hasOwn(tensors, name) ? tensors[name] : undefined;
      if (tensor === undefined)
        throw fail(`refers to tensor ${show(record[TENSOR])}, which is not in the file`);
      return tensor;
    }
    if (NUMBER in record) {
      const number = Number(record[NUMBER]);
      if (!["NaN", "Infinity", "-Infinity", "-0"].includes(record[NUMBER] as string)) {
        throw fail(
          `holds the number ${show(record[NUMBER])}, expected NaN, Infinity, -Infinity or -0`,
        );
      }
      return number;
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, walk(item)]));
  };
  return walk(parsed);
}
