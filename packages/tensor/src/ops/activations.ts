import { arange } from "../creation";
import { dispatch } from "../dispatch";
import { isFloating } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import type { BackwardContext, BackwardRule, OpSpec } from "../op-spec";
import type { Tensor } from "../tensor";
import { Activation, activationKernel, SELU_ALPHA, SELU_SCALE } from "./activation-kernel";
import { type ElementwiseRule, elementwiseOp } from "./elementwise";
import { inPlace } from "./inplace";
import { where } from "./ternary";

// torch.nn.functional's non-linear activations. Forward values follow torch's CPU kernels step
// by step (activation-kernel.ts); backward rules are derivatives.yaml's formulas written with
// differentiable tensor ops, so every rule can be differentiated again.

/** How `gelu` computes the Gaussian CDF: exactly with erf, or torch's tanh approximation. */
export type GeluApproximate = "none" | "tanh";

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** `'none'` (the default: `x · Φ(x)` with erf) or `'tanh'` (torch's tanh approximation). */
  approximate?: GeluApproximate;
}

/** Options of {@link softplus}. */
export interface SoftplusOptions {
  /** The `β` of `log(1 + e^(βx)) / β`; default 1. */
  beta?: number;
  /** Above `βx > threshold` the result is `x` itself (linear); default 20. */
  threshold?: number;
}

/** Attributes of `gelu`. */
export interface GeluAttrs {
  approximate: GeluApproximate;
}
/** Attributes of `softplus`. */
export interface SoftplusAttrs {
  beta: number;
  threshold: number;
}
/** Attributes of `leakyRelu` (`inPlace`: recorded by `leakyRelu_`, torch's LeakyReluBackward1). */
export interface LeakyReluAttrs {
  negativeSlope: number;
  inPlace: boolean;
}
/**
 * Attributes of `elu`, `elu_` and `celu`: torch's `elu(x, alpha, scale = 1, input_scale)`, with
 * `input_scale = 1 / alpha` for celu; `variant` names the node (EluBackward0/1, CeluBackward0).
 */
export interface EluAttrs {
  alpha: number;
  inputScale: number;
  variant: "elu" | "elu_" | "celu";
}
/** Attributes of `hardtanh` (and `relu6`, which is `hardtanh(0, 6)`). */
export interface HardtanhAttrs {
  minVal: number;
  maxVal: number;
}

/** A scalar parameter in `x`'s dtype (torch converts each Scalar to `scalar_t`). */
const inDType = (value: number, x: Tensor | undefined): number =>
  x?.dtype === "float32" ? Math.fround(value) : value;

/** What sets one activation apart: its kernel code, scalar parameters and node name. */
interface ActivationDefinition<Attrs> {
  nodeName?: string | ((attrs: Attrs) => string);
  params?: ElementwiseRule<Attrs>["params"];
  /** True when integer inputs are computed in float32 (softsign) rather than kept (hardtanh). */
  promotes?: boolean;
}

function activationOp<const Name extends string, Attrs = null>(
  name: Name,
  code: Activation | ((attrs: Attrs) => Activation),
  backward: BackwardRule<Attrs>,
  extra: ActivationDefinition<Attrs> = {},
): OpSpec<Name, Attrs> {
  return elementwiseOp<Name, Attrs>({
    name,
    kernel: activationKernel,
    code: typeof code === "number" ? () => code : (_, attrs) => code(attrs),
    output: ([x]) =>
      isFloating((x as Tensor).dtype) || extra.promotes !== true ? (x as Tensor).dtype : "float32",
    params: extra.params,
    nodeName: extra.nodeName,
    backward,
  });
}

/** `x` of the recorded op (its value at the time, checked against in-place changes). */
const input = <A>(node: BackwardContext<A>): Tensor => node.saved(0);

const GELU_ALPHA = Math.SQRT1_2;
const GELU_PDF = (2 / Math.sqrt(Math.PI)) * Math.SQRT1_2 * 0.5;
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const GELU_KAPPA = 0.044715;

/** torch's `gelu_backward`: `grad · (Φ(x) + x · φ(x))`, or the tanh form's derivative. */
function geluBackward(x: Tensor, grad: Tensor, approximate: GeluApproximate): Tensor {
  if (approximate === "none") {
    const cdf = x.mul(GELU_ALPHA).erf().add(1).mul(0.5);
    const pdf = x.mul(x).mul(-0.5).exp().mul(GELU_PDF);
    return grad.mul(cdf.add(x.mul(pdf)));
  }
  const squared = x.mul(x);
  const tanhInner = x.add(squared.mul(x).mul(GELU_KAPPA)).mul(GELU_BETA).tanh();
  const left = x.mul(0.5);
  const leftDerivative = tanhInner.add(1).mul(0.5);
  const tanhDerivative = tanhInner.mul(tanhInner).neg().add(1);
  const innerDerivative = squared
    .mul(3 * GELU_KAPPA)
    .add(1)
    .mul(GELU_BETA);
  return grad.mul(leftDerivative.add(left.mul(tanhDerivative).mul(innerDerivative)));
}

/** torch's `elu_backward` from the input: `x ≤ 0 ? grad · α · s · e^(s·x) : grad` (scale 1). */
function eluBackward(
  x: Tensor,
  grad: Tensor,
  alpha: number,
  inputScale: number,
  scale = 1,
): Tensor {
  const negative = grad.mul(inputScale * alpha * scale).mul(x.mul(inputScale).exp());
  return where(x.le(0), negative, scale === 1 ? grad : grad.mul(scale));
}

/**
 * Which elements torch 1.13's hardswish backward runs through its AVX2 loop: whole blocks of
 * 16 float32 (8 float64) elements, in order; the tail takes the scalar loop. The two disagree at
 * exactly x = 3 (the vector loop tests `x ≥ 3` first and gives `grad`, the scalar one tests
 * `x ≤ 3` first and gives `1.5 · grad`), and torch's result there is the one of its loop.
 */
function inVectorBlocks(x: Tensor): Tensor {
  const n = x.numel();
  const block = x.dtype === "float32" ? 16 : 8;
  return arange(n)
    .lt(n - (n % block))
    .reshape(x.shape);
}

/** torch refuses the backward of an in-place leaky_relu_/elu_ with a negative slope. */
function checkInPlaceSlope(op: string, name: string, value: number): void {
  if (value < 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `the backward of an in-place ${op} with a negative ${name} (${value}) is not supported, as in PyTorch. Hint: call the out-of-place ${op.slice(0, -1)} instead.`,
    );
  }
}

/** The specs of the activations. */
export const activationSpecs = {
  gelu: activationOp<"gelu", GeluAttrs>(
    "gelu",
    ({ approximate }) => (approximate === "tanh" ? Activation.GELU_TANH : Activation.GELU),
    (node, grad) => [geluBackward(input(node), grad, node.attrs.approximate)],
  ),
  silu: activationOp("silu", Activation.SILU, (node, grad) => {
    const x = input(node);
    const s = x.sigmoid();
    return [grad.mul(s).mul(x.mul(s.neg().add(1)).add(1))];
  }),
  mish: activationOp("mish", Activation.MISH, (node, grad) => {
    const x = input(node);
    const t = softplus(x).tanh();
    return [grad.mul(t.add(x.sigmoid().mul(x).mul(t.mul(t).neg().add(1))))];
  }),
  softplus: activationOp<"softplus", SoftplusAttrs>(
    "softplus",
    Activation.SOFTPLUS,
    (node, grad) => {
      const { beta, threshold } = node.attrs;
      const scaled = input(node).mul(beta);
      const z = scaled.exp();
      return [where(scaled.gt(threshold), grad, grad.mul(z).div(z.add(1)))];
    },
    {
      params: [({ beta }, [x]) => inDType(beta, x), ({ threshold }, [x]) => inDType(threshold, x)],
    },
  ),
  softsign: activationOp(
    "softsign",
    Activation.SOFTSIGN,
    (node, grad) => {
      const u = input(node).abs().add(1);
      return [grad.div(u.mul(u))];
    },
    { nodeName: "DivBackward0", promotes: true },
  ),
  logsigmoid: activationOp(
    "logsigmoid",
    Activation.LOGSIGMOID,
    (node, grad) => {
      const x = input(node);
      const z = x.abs().neg().exp();
      const t = z.div(z.add(1));
      return [grad.mul(where(x.lt(0), t.neg().add(1), t))];
    },
    { nodeName: "LogSigmoidBackward0" },
  ),
  leakyRelu: activationOp<"leakyRelu", LeakyReluAttrs>(
    "leakyRelu",
    Activation.LEAKY_RELU,
    (node, grad) => {
      const { negativeSlope, inPlace } = node.attrs;
      if (inPlace) checkInPlaceSlope("leakyRelu_", "negativeSlope", negativeSlope);
      return [where(input(node).gt(0), grad, grad.mul(negativeSlope))];
    },
    {
      nodeName: ({ inPlace }) => (inPlace ? "LeakyReluBackward1" : "LeakyReluBackward0"),
      params: [({ negativeSlope }, [x]) => inDType(negativeSlope, x)],
    },
  ),
  elu: activationOp<"elu", EluAttrs>(
    "elu",
    Activation.ELU,
    (node, grad) => {
      const { alpha, inputScale, variant } = node.attrs;
      if (variant === "elu_") checkInPlaceSlope("elu_", "alpha", alpha);
      // derivatives.yaml's celu rule takes 1.0 / alpha.toFloat(): alpha rounded to float32 first
      const scale = variant === "celu" ? 1 / Math.fround(alpha) : inputScale;
      return [eluBackward(input(node), grad, alpha, scale)];
    },
    {
      nodeName: ({ variant }) =>
        variant === "celu" ? "CeluBackward0" : variant === "elu_" ? "EluBackward1" : "EluBackward0",
      params: [
        ({ alpha }, [x]) => inDType(alpha, x),
        ({ inputScale }, [x]) => inDType(inputScale, x),
      ],
    },
  ),
  selu: activationOp(
    "selu",
    Activation.SELU,
    (node, grad) => [eluBackward(input(node), grad, SELU_ALPHA, 1, SELU_SCALE)],
    { nodeName: "EluBackward0" },
  ),
  hardswish: activationOp("hardswish", Activation.HARDSWISH, (node, grad) => {
    const x = input(node);
    const middle = grad.mul(x.div(3).add(0.5));
    const upper = x.gt(3).logicalOr(x.eq(3).logicalAnd(inVectorBlocks(x)));
    return [where(x.lt(-3), 0, where(upper, grad, middle))];
  }),
  hardsigmoid: activationOp("hardsigmoid", Activation.HARDSIGMOID, (node, grad) => {
    const x = input(node);
    // torch multiplies by the float literal 1.0f / 6.0f, in float64 too
    return [where(x.gt(-3).logicalAnd(x.lt(3)), grad.mul(Math.fround(1 / 6)), 0)];
  }),
  hardtanh: activationOp<"hardtanh", HardtanhAttrs>(
    "hardtanh",
    Activation.HARDTANH,
    (node, grad) => {
      const { minVal, maxVal } = node.attrs;
      const x = input(node);
      return [where(x.gt(minVal).logicalAnd(x.lt(maxVal)), grad, 0)];
    },
    {
      nodeName: "HardtanhBackward0",
      params: [({ minVal }, [x]) => inDType(minVal, x), ({ maxVal }, [x]) => inDType(maxVal, x)],
    },
  ),
} as const;

/** Checks `x` is a tensor of a dtype the activation accepts (torch's kernels refuse integers). */
function checkInput(x: unknown, op: string, integers: "refused" | "allowed"): asserts x is Tensor {
  checkTensorArgument(x, op);
  const { dtype } = x as Tensor;
  if (isFloating(dtype) || (integers === "allowed" && dtype !== "bool")) return;
  throw new TensorError(
    "INVALID_DTYPE",
    op,
    `${op} is not implemented for ${dtype} tensors (as in PyTorch). Hint: convert with .float() first.`,
  );
}

/** A scalar argument: a number (any value torch accepts, including ±inf). */
function numberArgument(value: unknown, op: string, name: string, example: string): number {
  if (typeof value === "number") return value;
  throw new TensorError(
    "INVALID_ARGUMENT",
    op,
    `argument '${name}' must be a number, but got ${describeValue(value)}. Hint: e.g. ${example}.`,
  );
}

function run<Attrs>(spec: OpSpec<string, Attrs>, x: Tensor, attrs: Attrs): Tensor {
  return dispatch(spec, [x], attrs);
}

/**
 * `x · Φ(x)`, the Gaussian error linear unit (`F.gelu`); `{ approximate: 'tanh' }` uses
 * `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`. Floating tensors only.
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  checkInput(x, "gelu", "refused");
  const approximate = options?.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "gelu",
      `approximate must be 'none' or 'tanh', but got ${describeValue(approximate)}. Hint: gelu({ approximate: 'tanh' }).`,
    );
  }
  return run(activationSpecs.gelu, x, { approximate });
}

function plain(name: "silu" | "mish" | "logsigmoid" | "selu" | "hardswish" | "hardsigmoid") {
  const spec = activationSpecs[name] as OpSpec<string, null>;
  return (x: Tensor): Tensor => {
    checkInput(x, name, "refused");
    return run(spec, x, null);
  };
}

/** `x · σ(x)`, the sigmoid linear unit or swish (`F.silu`). Floating tensors only. */
export const silu = /* @__PURE__ */ plain("silu");
/** `x · tanh(softplus(x))` (`F.mish`). Floating tensors only. */
export const mish = /* @__PURE__ */ plain("mish");
/** `log σ(x) = min(x, 0) − log(1 + e^−|x|)`, stable for large |x| (`F.logsigmoid`). */
export const logsigmoid = /* @__PURE__ */ plain("logsigmoid");
/** `scale · elu(x, α)` with torch's self-normalising constants (`F.selu`). */
export const selu = /* @__PURE__ */ plain("selu");
/** `x · relu6(x + 3) / 6` (`F.hardswish`); gradient at −3 is −0.5·grad and at 3 is 1.5·grad, as torch's. */
export const hardswish = /* @__PURE__ */ plain("hardswish");
/** `relu6(x + 3) / 6` (`F.hardsigmoid`); zero gradient at ±3, as torch's. */
export const hardsigmoid = /* @__PURE__ */ plain("hardsigmoid");

/**
 * `log(1 + e^(βx)) / β` (`F.softplus`), reverting to `x` where `βx > threshold`; defaults
 * `beta = 1`, `threshold = 20`. Floating tensors only.
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  checkInput(x, "softplus", "refused");
  const beta = numberArgument(options?.beta ?? 1, "softplus", "beta", "softplus({ beta: 2 })");
  const threshold = numberArgument(
    options?.threshold ?? 20,
    "softplus",
    "threshold",
    "softplus({ threshold: 20 })",
  );
  return run(activationSpecs.softplus, x, { beta, threshold });
}

/** `x / (1 + |x|)` (`F.softsign`); integers give float32. */
export function softsign(x: Tensor): Tensor {
  checkInput(x, "softsign", "allowed");
  return run(activationSpecs.softsign, x, null);
}

function leakyReluAttrs(x: unknown, op: string, negativeSlope: unknown, inPlace: boolean) {
  checkInput(x, op, "refused");
  const slope = numberArgument(negativeSlope, op, "negativeSlope", `${op}(0.2)`);
  return { negativeSlope: slope, inPlace };
}

/** `x > 0 ? x : negativeSlope · x` (`F.leaky_relu`), default slope 0.01. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return run(activationSpecs.leakyRelu, x, leakyReluAttrs(x, "leakyRelu", negativeSlope, false));
}

/** In-place {@link leakyRelu} (`F.leaky_relu_`); its backward refuses a negative slope, as torch's. */
export function leakyRelu_<T extends Tensor>(x: T, negativeSlope = 0.01): T {
  const attrs = leakyReluAttrs(x, "leakyRelu_", negativeSlope, true);
  return inPlace(activationSpecs.leakyRelu, "leakyRelu_", x, [], attrs);
}

function eluAttrs(x: unknown, variant: EluAttrs["variant"], alpha: unknown): EluAttrs {
  checkInput(x, variant, "refused");
  const value = numberArgument(alpha, variant, "alpha", `${variant}(1.0)`);
  if (variant !== "celu") return { alpha: value, inputScale: 1, variant };
  if (value === 0) {
    throw new TensorError(
      "DIVISION_BY_ZERO",
      "celu",
      "alpha cannot be 0 for celu (it divides by alpha; PyTorch's ZeroDivisionError). Hint: pass a non-zero alpha, e.g. celu(1.0).",
    );
  }
  return { alpha: value, inputScale: 1 / value, variant };
}

/** `x > 0 ? x : α(e^x − 1)` (`F.elu`), default `alpha = 1`. */
export function elu(x: Tensor, alpha = 1): Tensor {
  return run(activationSpecs.elu, x, eluAttrs(x, "elu", alpha));
}

/** In-place {@link elu} (`F.elu_`); its backward refuses a negative alpha, as torch's. */
export function elu_<T extends Tensor>(x: T, alpha = 1): T {
  return inPlace(activationSpecs.elu, "elu_", x, [], eluAttrs(x, "elu_", alpha));
}

/** `max(0, x) + min(0, α(e^(x/α) − 1))` (`F.celu`), default `alpha = 1`; alpha 0 throws. */
export function celu(x: Tensor, alpha = 1): Tensor {
  return run(activationSpecs.elu, x, eluAttrs(x, "celu", alpha));
}

function hardtanhAttrs(x: unknown, op: string, minVal: unknown, maxVal: unknown): HardtanhAttrs {
  checkInput(x, op, "allowed");
  return {
    minVal: numberArgument(minVal, op, "minVal", `${op}(-1, 1)`),
    maxVal: numberArgument(maxVal, op, "maxVal", `${op}(-1, 1)`),
  };
}

/**
 * `clamp(x, minVal, maxVal)` (`F.hardtanh`), defaults −1 and 1; int32 stays int32. As in torch,
 * `minVal > maxVal` is not checked (every element becomes `maxVal`); the gradient is zero at
 * both bounds.
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  return run(activationSpecs.hardtanh, x, hardtanhAttrs(x, "hardtanh", minVal, maxVal));
}

/** In-place {@link hardtanh} (`F.hardtanh_`). */
export function hardtanh_<T extends Tensor>(x: T, minVal = -1, maxVal = 1): T {
  return inPlace(
    activationSpecs.hardtanh,
    "hardtanh_",
    x,
    [],
    hardtanhAttrs(x, "hardtanh_", minVal, maxVal),
  );
}

/** `min(max(x, 0), 6)` (`F.relu6`, recorded as torch's `hardtanh(0, 6)`); zero gradient at 0 and 6. */
export function relu6(x: Tensor): Tensor {
  return run(activationSpecs.hardtanh, x, hardtanhAttrs(x, "relu6", 0, 6));
}
