/**
 * torch.nn.init: each initialiser fills a tensor in place (without recording gradients) with
 * torch's formula and returns it. Random ones take `{ generator }` (default: the global one).
 * @packageDocumentation
 */
import { noGrad } from "@x/autograd";
import type { Generator, Tensor } from "@x/tensor";
import { checkTensor } from "../errors";
import { type FanMode, fanOf, fans } from "./fan";
import { fillNormal, fillUniform } from "./fill";
import { calculateGain, type Nonlinearity } from "./gain";

export type { FanMode } from "./fan";
export type { Nonlinearity } from "./gain";
export { calculateGain } from "./gain";

/** Options of the random initialisers. */
export interface InitOptions {
  /** The generator to draw from (default: the global generator that `manualSeed` seeds). */
  generator?: Generator;
}

/** Options of {@link xavierUniform_} and {@link xavierNormal_}. */
export interface XavierOptions extends InitOptions {
  /** Scaling factor (default 1), e.g. `calculateGain("tanh")`. */
  gain?: number;
}

/** Options of {@link kaimingUniform_} and {@link kaimingNormal_}. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky_relu that follows (default 0). */
  a?: number;
  /** Scale by the fan in (default, keeps the forward pass's variance) or the fan out. */
  mode?: FanMode;
  /** The nonlinearity that follows (default `"leaky_relu"`). */
  nonlinearity?: Nonlinearity;
}

/** Fills `tensor` with values drawn from U(a, b) (defaults 0 and 1). */
export function uniform_<T extends Tensor>(tensor: T, a = 0, b = 1, options: InitOptions = {}): T {
  checkTensor(tensor, "init.uniform_", "tensor");
  return fillUniform(tensor, a, b, options.generator, "init.uniform_");
}

/** Fills `tensor` with values drawn from N(mean, std²) (defaults 0 and 1). */
export function normal_<T extends Tensor>(
  tensor: T,
  mean = 0,
  std = 1,
  options: InitOptions = {},
): T {
  checkTensor(tensor, "init.normal_", "tensor");
  return fillNormal(tensor, mean, std, options.generator, "init.normal_");
}

/** Fills `tensor` with `value`. */
export function constant_<T extends Tensor>(tensor: T, value: number): T {
  checkTensor(tensor, "init.constant_", "tensor");
  return noGrad(() => tensor.fill_(value));
}

/** Fills `tensor` with zeros. */
export function zeros_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 0);
}

/** Fills `tensor` with ones. */
export function ones_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 1);
}

/** The std of Glorot & Bengio (2010): `gain · √(2 / (fanIn + fanOut))`. */
function xavierStd(tensor: Tensor, gain: number, op: string): number {
  checkTensor(tensor, op, "tensor");
  const { fanIn, fanOut } = fans(tensor, op);
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/** Glorot/Xavier uniform: U(-b, b) with `b = gain · √(6 / (fanIn + fanOut))`. */
export function xavierUniform_<T extends Tensor>(tensor: T, options: XavierOptions = {}): T {
  const bound = Math.sqrt(3.0) * xavierStd(tensor, options.gain ?? 1, "init.xavierUniform_");
  return fillUniform(tensor, -bound, bound, options.generator, "init.xavierUniform_");
}

/** Glorot/Xavier normal: N(0, std²) with `std = gain · √(2 / (fanIn + fanOut))`. */
export function xavierNormal_<T extends Tensor>(tensor: T, options: XavierOptions = {}): T {
  const std = xavierStd(tensor, options.gain ?? 1, "init.xavierNormal_");
  return fillNormal(tensor, 0, std, options.generator, "init.xavierNormal_");
}

/** The std of He et al. (2015): `gain / √fan`, or null for an empty tensor (nothing to fill). */
function kaimingStd(tensor: Tensor, options: KaimingOptions, op: string): number | null {
  checkTensor(tensor, op, "tensor");
  if (tensor.numel() === 0) return null; // torch warns "Initializing zero-element tensors is a no-op"
  const fan = fanOf(tensor, options.mode ?? "fan_in", op);
  const gain = calculateGain(options.nonlinearity ?? "leaky_relu", options.a ?? 0);
  return gain / Math.sqrt(fan);
}

/** Kaiming/He uniform: U(-b, b) with `b = gain · √(3 / fan)`; `Linear` uses it with `a = √5`. */
export function kaimingUniform_<T extends Tensor>(tensor: T, options: KaimingOptions = {}): T {
  const std = kaimingStd(tensor, options, "init.kaimingUniform_");
  if (std === null) return tensor;
  const bound = Math.sqrt(3.0) * std;
  return fillUniform(tensor, -bound, bound, options.generator, "init.kaimingUniform_");
}

/** Kaiming/He normal: N(0, std²) with `std = gain / √fan`. */
export function kaimingNormal_<T extends Tensor>(tensor: T, options: KaimingOptions = {}): T {
  const std = kaimingStd(tensor, options, "init.kaimingNormal_");
  if (std === null) return tensor;
  return fillNormal(tensor, 0, std, options.generator, "init.kaimingNormal_");
}
