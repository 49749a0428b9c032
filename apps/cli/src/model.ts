import { noGrad } from "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { formatCoefficient } from "./format";
import type { Scaler } from "./normalize";

/** The models `--model` offers. */
export type ModelKind = "linear" | "quadratic";

/** A model family: its parameters (one tensor, as the book's `params`) and its forward pass. */
export interface ModelSpec {
  kind: ModelKind;
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
export const MODELS: Record<ModelKind, ModelSpec> = {
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

/** A trained model as the CLI uses it: parameters, normaliser and column names. */
export interface TrainedModel {
  spec: ModelSpec;
  /** The parameters (1-d, one entry per `spec.paramNames`). */
  params: Tensor;
  /** The input normaliser fitted on the training inputs, or null for `--normalize none`. */
  scaler: Scaler | null;
  xName: string;
  yName: string;
}

/** Predictions for raw inputs (in the data's units): normalise, then the model, without a graph. */
export function predict(model: TrainedModel, x: Tensor): Tensor {
  return noGrad(() => {
    const input = model.scaler === null ? x : model.scaler.transform(x);
    return model.spec.forward(model.params, input);
  });
}

/** The trained model's named parameter values (`{ w: 5.3671, b: -17.3012 }`). */
export function paramValues(model: TrainedModel): Record<string, number> {
  const values = model.params.toArray() as number[];
  return Object.fromEntries(model.spec.paramNames.map((name, i) => [name, values[i] as number]));
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
 */
export function calibration(model: TrainedModel): Calibration {
  const raw = predict(model, tensor([-1, 0, 1], { dtype: "float64" })).toArray() as [
    number,
    number,
    number,
  ];
  const [yMinus, y0, yPlus] = raw;
  const coefficients =
    model.spec.kind === "linear"
      ? [yPlus - y0, y0]
      : [(yPlus + yMinus) / 2 - y0, (yPlus - yMinus) / 2, y0];
  const { xName, yName } = model;
  const formula = `${yName} ≈ ${polynomial(coefficients, xName, " · ", (k) => (k === 1 ? "" : "²"))}`;
  const expression = polynomial(coefficients, xName, " * ", (k) => (k === 1 ? "" : ` ** ${k}`));
  return { coefficients, formula, code: `${yName} = ${expression.replaceAll("−", "-")}` };
}
