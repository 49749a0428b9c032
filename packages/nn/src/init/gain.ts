import { NNError, show } from "../errors";

/** The nonlinearities {@link calculateGain} knows, spelled as in torch. */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

const ONE = [
  "linear",
  "conv1d",
  "conv2d",
  "conv3d",
  "conv_transpose1d",
  "conv_transpose2d",
  "conv_transpose3d",
  "sigmoid",
];

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear layers,
 * convolutions and sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope
 * `param`, default 0.01), 3/4 for selu.
 *
 * @example
 * calculateGain("tanh")            // 1.6666666666666667
 * calculateGain("leaky_relu", 0.2) // 1.3867504905630728
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (ONE.includes(nonlinearity)) return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "selu") return 3.0 / 4;
  if (nonlinearity === "leaky_relu") {
    if (param !== undefined && !(typeof param === "number" && Number.isFinite(param))) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "calculateGain",
        `negative_slope ${show(param)} not a valid number. Hint: e.g. calculateGain("leaky_relu", 0.2).`,
      );
    }
    const slope = param ?? 0.01;
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  throw new NNError(
    "INVALID_ARGUMENT",
    "calculateGain",
    `Unsupported nonlinearity ${show(nonlinearity)}. Hint: one of ${[...ONE, "tanh", "relu", "leaky_relu", "selu"].join(", ")}.`,
  );
}
