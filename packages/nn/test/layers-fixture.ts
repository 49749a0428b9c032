/** Reading fixtures/layers.json (written by fixtures/layers.py from torch 1.13) and building its layers. */
import {
  AdaptiveAvgPool2d,
  AvgPool1d,
  AvgPool2d,
  Bilinear,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dropout,
  Embedding,
  MaxPool1d,
  MaxPool2d,
  type Module,
} from "@x/nn";
import { type Tensor, tensor } from "@x/tensor";
import { buildTensor, loadFixture, type TensorJson } from "../../tensor/test/fixtures/codec.ts";

/** A layer as layers.py describes it: torch's class name, positional and keyword arguments. */
export interface LayerSpec {
  type: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** A case of layers.json; the fields depend on `group` (see layers.py's docstring). */
export interface LayersCase {
  group: "layer" | "functional" | "dropout";
  name: string;
  [field: string]: unknown;
}

const fixture = loadFixture<{ torch: string; cases: LayersCase[] }>(
  "./fixtures/layers.json",
  import.meta.url,
);

/** The torch version the fixtures come from. */
export const torchVersion = fixture.torch;

/** The cases of one group, as `[name, case]` pairs for `it.each`. */
export function layersCases<T>(group: LayersCase["group"]): [string, T][] {
  const cases = fixture.cases.filter((c) => c.group === group);
  if (cases.length === 0) throw new Error(`layers.json has no "${group}" cases`);
  return cases.map((c) => [c.name, c as unknown as T]);
}

/** A fixture tensor as an @x tensor (a leaf that requires grad if torch's did). */
export const build = (json: TensorJson): Tensor =>
  buildTensor(json, (values, options) => tensor(values, options));

/** torch's snake_case keyword arguments as @x's camelCase options (tuples stay arrays). */
export function camelOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(kwargs).map(([key, value]) => [
      key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}

type Build = (args: unknown[], options: never) => Module;
const LAYERS: Record<string, Build> = {
  Conv1d: (a, o) => new Conv1d(...(a as [number, number, number]), o),
  Conv2d: (a, o) => new Conv2d(...(a as [number, number, number]), o),
  ConvTranspose2d: (a, o) => new ConvTranspose2d(...(a as [number, number, number]), o),
  MaxPool1d: (a, o) => new MaxPool1d(...(a as [number]), o),
  MaxPool2d: (a, o) => new MaxPool2d(...(a as [number]), o),
  AvgPool1d: (a, o) => new AvgPool1d(...(a as [number]), o),
  AvgPool2d: (a, o) => new AvgPool2d(...(a as [number]), o),
  AdaptiveAvgPool2d: (a) => new AdaptiveAvgPool2d(...(a as [number])),
  Dropout: (a) => new Dropout(...(a as [number])),
  Embedding: (a, o) => new Embedding(...(a as [number, number]), o),
  Bilinear: (a, o) => new Bilinear(...(a as [number, number, number]), o),
};

/** The @x layer that `spec` describes (keyword arguments that name sizes become arrays as given). */
export function buildLayer(spec: LayerSpec): Module {
  const make = LAYERS[spec.type];
  if (make === undefined) throw new Error(`no @x layer for ${spec.type}`);
  const { kwargs, args } = spec;
  if (spec.type === "Conv1d" || spec.type === "Conv2d" || spec.type === "ConvTranspose2d") {
    const [inC, outC, kernel = kwargs.kernel_size] = args;
    return make([inC, outC, kernel], camelOptions(omit(kwargs, "kernel_size")) as never);
  }
  return make(args, camelOptions(kwargs) as never);
}

function omit(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = object;
  return rest;
}

export type { TensorJson };
