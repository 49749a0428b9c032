import { noGrad } from "@x/autograd";
import { Linear, Sequential, Tanh } from "@x/nn";
import { type Tensor, tensor } from "@x/tensor";
import type { CheckpointParts } from "@x/train";
import { usageError } from "./errors";
import { formatCoefficient, formatParam } from "./format";
import type { Scaler } from "./normalize";

/** The models `--model` offers. */
export type ModelKind = "linear" | "quadratic" | "mlp";

/** The polynomial models, whose parameters are one tensor as the book's `params`. */
export type PolynomialKind = Exclude<ModelKind, "mlp">;

/** A parsed `--model` value: the kind, and the hidden size of `mlp`. */
export interface ModelChoice {
  kind: ModelKind;
  /** The hidden layer's size (`mlp` only; the book's is 13). */
  hidden?: number;
}

/** The hidden size of `--model mlp`: the book's chapter-6 network has 13. */
export const DEFAULT_HIDDEN = 13;

/** A polynomial family: its parameters (one tensor, as the book's `params`) and its forward pass. */
export interface ModelSpec {
  kind: PolynomialKind;
  /** Names of the entries of `params`, in order. */
  paramNames: readonly string[];
  /** The book's starting values. */
  init: readonly number[];
  /** How the model reads, in terms of the (normalised) input `x`. */
  equation: string;
  /** The prediction for (normalised) inputs `x`. */
  forward(params: Tensor, x: Tensor): Tensor;
}

/** The book's models: `w * t_u + b`, and the chapter's exercise `w2 * t_u ** 2 + w1 * t_u + b`. */
export const MODELS: Record<PolynomialKind, ModelSpec> = {
  linear: {
    kind: "linear",
    paramNames: ["w", "b"],
    init: [1, 0],
    equation: "w · x + b",
    forward(params, x) {
      const [w, b] = params.unbind() as [Tensor, Tensor];
      return x.mul(w).add(b);
    },
  },
  quadratic: {
    kind: "quadratic",
    paramNames: ["w2", "w1", "b"],
    init: [1, 1, 0],
    equation: "w2 · x² + w1 · x + b",
    forward(params, x) {
      const [w2, w1, b] = params.unbind() as [Tensor, Tensor, Tensor];
      return x.pow(2).mul(w2).add(x.mul(w1)).add(b);
    },
  },
};

const MODEL_FORMS =
  "linear, quadratic, mlp or mlp:HIDDEN (mlp is mlp:13, the book's chapter-6 network)";

/** Parses `--model`: `linear`, `quadratic`, `mlp` or `mlp:HIDDEN`. */
export function parseModel(value: string): ModelChoice {
  const [kind, hidden, ...rest] = value.trim().split(":");
  if (kind === "mlp" && hidden === undefined) return { kind, hidden: DEFAULT_HIDDEN };
  if (kind === "mlp" && rest.length === 0) {
    const size = Number(hidden);
    if (/^\d+$/.test(hidden ?? "") && Number.isSafeInteger(size) && size >= 1) {
      return { kind, hidden: size };
    }
    throw usageError(
      `--model ${value}: the hidden size must be a whole number >= 1, expected mlp:HIDDEN vs got ${JSON.stringify(value)}. Hint: --model mlp:13 (the book's size, the same as --model mlp), or mlp:32 for a wider network.`,
    );
  }
  if ((kind === "linear" || kind === "quadratic") && hidden === undefined) return { kind };
  throw usageError(
    `--model: unknown model ${JSON.stringify(value)}, expected one of ${MODEL_FORMS}. Hint: --model mlp trains Linear(1, 13) → Tanh → Linear(13, 1) with the book's settings.`,
  );
}

/** How the choice reads on the command line (`linear`, `mlp:13`). */
export function formatModel(choice: ModelChoice): string {
  return choice.kind === "mlp" ? `mlp:${choice.hidden}` : choice.kind;
}

/**
 * A model's trainable part: the book's `params` tensor for the polynomials, or the chapter-6
 * network `Linear(1, H) → Tanh → Linear(H, 1)`.
 */
export interface Net {
  choice: ModelChoice;
  /** How the model reads, in terms of the (normalised) input `x`. */
  equation: string;
  /** The tensors the optimizer updates. */
  parameters(): Tensor[];
  /** Predictions for (normalised) 1-d inputs `x`, as a 1-d tensor. */
  forward(x: Tensor): Tensor;
  /** The parameter values by name: numbers (`w`, `b`) or, for the network, nested arrays. */
  values(): Record<string, unknown>;
  /** The parameters as summary rows (`w 5.3671`, or one row listing the network's tensors). */
  rows(): [string, string][];
  /** What a checkpoint stores: `{ params }`, or the network's module (its torch state dict). */
  checkpointPart(): Pick<CheckpointParts, "params" | "model">;
}

/** A polynomial model on the parameters `params` (1-d, one entry per `spec.paramNames`). */
export function polynomialNet(spec: ModelSpec, params: Tensor): Net {
  const values = () => {
    const list = params.toArray() as number[];
    return Object.fromEntries(spec.paramNames.map((name, i) => [name, list[i] as number]));
  };
  return {
    choice: { kind: spec.kind },
    equation: spec.equation,
    parameters: () => [params],
    forward: (x) => spec.forward(params, x),
    values,
    rows: () => Object.entries(values()).map(([name, v]) => [name, formatParam(v)]),
    checkpointPart: () => ({ params: { params } }),
  };
}

/** The book's chapter-6 network with `hidden` units (weights drawn from the default generator). */
export function chapter6Network(hidden: number): Sequential {
  return new Sequential(new Linear(1, hidden), new Tanh(), new Linear(hidden, 1));
}

/** The chapter-6 network `module` (from {@link chapter6Network}) as a {@link Net}. */
export function networkNet(module: Sequential, hidden: number): Net {
  const state = () => Object.entries(module.stateDict());
  return {
    choice: { kind: "mlp", hidden },
    equation: `Linear(1, ${hidden}) → Tanh → Linear(${hidden}, 1) applied to x`,
    parameters: () => [...module.parameters()],
    forward: (x) => (module.forward(x.unsqueeze(1)) as Tensor).squeeze(1),
    values: () => Object.fromEntries(state().map(([name, t]) => [name, t.toArray()])),
    rows: () => {
      const count = state().reduce((n, [, t]) => n + t.numel(), 0);
      const tensors = state().map(([name, t]) => `${name} [${t.shape.join(", ")}]`);
      return [["params", `${count} in ${tensors.join(", ")}`]];
    },
    checkpointPart: () => ({ model: module }),
  };
}

/** A new, untrained model: the book's starting values, or a network from the default generator. */
export function createNet(choice: ModelChoice): Net {
  if (choice.kind === "mlp") {
    const hidden = choice.hidden ?? DEFAULT_HIDDEN;
    return networkNet(chapter6Network(hidden), hidden);
  }
  const spec = MODELS[choice.kind];
  return polynomialNet(spec, tensor([...spec.init], { requiresGrad: true }));
}

/** A trained model as the CLI uses it: parameters, normaliser and column names. */
export interface TrainedModel {
  net: Net;
  /** The input normaliser fitted on the training inputs, or null for `--normalize none`. */
  scaler: Scaler | null;
  xName: string;
  yName: string;
}

/** Predictions for raw inputs (in the data's units): normalise, then the model, without a graph. */
export function predict(model: TrainedModel, x: Tensor): Tensor {
  return noGrad(() => {
    const input = model.scaler === null ? x : model.scaler.transform(x);
    return model.net.forward(input);
  });
}

/** The fitted calibration in the data's own units. */
export interface Calibration {
  /** Polynomial coefficients in raw units, highest power first (`[slope, intercept]`). */
  coefficients: number[];
  /** `t_c ≈ 0.5367 · t_u − 17.30`. */
  formula: string;
  /** The same as a JavaScript expression: `t_c = 0.5367 * t_u - 17.30`. */
  code: string;
}

function polynomial(
  coefficients: readonly number[],
  x: string,
  times: string,
  power: (k: number) => string,
): string {
  const degree = coefficients.length - 1;
  return coefficients
    .map((c, i) => {
      const k = degree - i;
      const magnitude = formatCoefficient(Math.abs(c));
      const term =
        k === 0 ? magnitude : `${magnitude}${times}${power(k) === "" ? x : `${x}${power(k)}`}`;
      if (i === 0) return c < 0 ? `−${term}` : term;
      return c < 0 ? ` − ${term}` : ` + ${term}`;
    })
    .join("");
}

/**
 * The model rewritten in the data's units (normalisation folded in): the normalisers are affine,
 * so the raw-unit polynomial is read off the model's predictions at x = -1, 0 and 1 (float64).
 * Undefined for the network, which is no polynomial.
 */
export function calibration(model: TrainedModel): Calibration | undefined {
  const { kind } = model.net.choice;
  if (kind === "mlp") return undefined;
  const raw = predict(model, tensor([-1, 0, 1], { dtype: "float64" })).toArray() as [
    number,
    number,
    number,
  ];
  const [yMinus, y0, yPlus] = raw;
  const coefficients =
    kind === "linear" ? [yPlus - y0, y0] : [(yPlus + yMinus) / 2 - y0, (yPlus - yMinus) / 2, y0];
  const { xName, yName } = model;
  const formula = `${yName} ≈ ${polynomial(coefficients, xName, " · ", (k) => (k === 1 ? "" : "²"))}`;
  const expression = polynomial(coefficients, xName, " * ", (k) => (k === 1 ? "" : ` ** ${k}`));
  return { coefficients, formula, code: `${yName} = ${expression.replaceAll("−", "-")}` };
}
