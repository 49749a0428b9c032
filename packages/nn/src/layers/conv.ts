import {
  type ConvOptions,
  conv1d,
  conv2d,
  convTranspose2d,
  empty,
  type SpatialArgument,
  type Tensor,
} from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { pad } from "../functional/pad";
import { kaimingUniform_, uniform_ } from "../init";
import { fans } from "../init/fan";
import { keepName, Module } from "../module";
import { Parameter } from "../parameter";

/** How a convolution layer pads its input: zeros (default) or one of `pad`'s other modes. */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** Options of {@link Conv1d} and {@link Conv2d}, as torch's keyword arguments. */
export interface ConvLayerOptions extends ConvOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the padding is filled (default `'zeros'`). */
  paddingMode?: PaddingMode;
}

/** Options of {@link ConvTranspose2d}, as torch's keyword arguments. */
export interface ConvTransposeLayerOptions {
  stride?: SpatialArgument;
  padding?: SpatialArgument;
  outputPadding?: SpatialArgument;
  groups?: number;
  bias?: boolean;
  dilation?: SpatialArgument;
}

/** A value as Python prints it in a layer's repr: `3`, `(3, 3)`, `(3,)`, `True`, `None`. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) {
    return value.length === 1 ? `(${pyRepr(value[0])},)` : `(${value.map(pyRepr).join(", ")})`;
  }
  return String(value);
}

/** A spatial argument as a tuple of `spatial` numbers (torch's `_single`/`_pair`), checked. */
export function spatialTuple(
  op: string,
  name: string,
  value: SpatialArgument,
  spatial: number,
  min: number,
): number[] {
  const list = typeof value === "number" ? Array<number>(spatial).fill(value) : [...value];
  if (list.length !== spatial || !list.every((v) => Number.isSafeInteger(v) && v >= min)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be an integer >= ${min} or a list of ${spatial} of them, but got ${show(value)}.`,
    );
  }
  return list;
}

/** The dims' names of an input with `spatial` spatial dims, for messages: `H, W`. */
const dimNames = (spatial: number) => (spatial === 1 ? "L" : "H, W");

/**
 * Throws SHAPE_MISMATCH naming `layer` unless `input` is `[N, channels, …]` or `[channels, …]`
 * with `spatial` spatial dims (`channels` null: any).
 */
export function checkLayerInput(
  layer: Module,
  input: Tensor,
  spatial: number,
  channels: number | null,
): void {
  const op = `${layer.constructor.name}.forward`;
  checkTensor(input, op, "input");
  const batched = input.ndim === spatial + 2;
  const rankOk = batched || input.ndim === spatial + 1;
  const got = rankOk ? (input.shape[batched ? 1 : 0] as number) : null;
  if (!rankOk || (channels !== null && got !== channels)) {
    const c = channels ?? "C";
    throw new NNError(
      "SHAPE_MISMATCH",
      op,
      `${layer.toString()} expects an input of shape [N, ${c}, ${dimNames(spatial)}] or [${c}, ${dimNames(spatial)}], but got ${formatShape(input.shape)}. Hint: ${channels !== null && rankOk ? `the channels are dim ${batched ? 1 : 0}; build the layer with ${got} input channels, or fix the input` : `add the batch dim with x.unsqueeze(0)`}.`,
    );
  }
}

function checkChannels(op: string, inChannels: number, outChannels: number, groups: number): void {
  for (const [name, value] of [
    ["in_channels", inChannels],
    ["out_channels", outChannels],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new NNError(
        "INVALID_ARGUMENT",
        op,
        `${name} must be a positive integer, but got ${show(value)}.`,
      );
    }
  }
  if (!Number.isSafeInteger(groups) || groups <= 0) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `groups must be a positive integer, but got ${show(groups)}.`,
    );
  }
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `in_channels (${inChannels}) and out_channels (${outChannels}) must be divisible by groups (${groups}).`,
    );
  }
}

/** What the convolution layers share (torch's `_ConvNd`): geometry, weights, init and printing. */
abstract class ConvNd extends Module {
  static {
    keepName(this, "_ConvNd");
  }
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Window size per spatial dim. */
  readonly kernelSize: number[];
  /** Step per spatial dim. */
  readonly stride: number[];
  /** Padding per spatial dim, or `'valid'`/`'same'`. */
  readonly padding: number[] | "valid" | "same";
  /** Spacing of a window's taps per spatial dim. */
  readonly dilation: number[];
  /** Extra output size on one side per spatial dim (transposed convolutions). */
  readonly outputPadding: number[];
  /** Channel groups. */
  readonly groups: number;
  /** How the padding is filled. */
  readonly paddingMode: PaddingMode;
  /** The learnable kernels: `[out, in / groups, …kernel]` (`[in, out / groups, …]` when transposed). */
  declare weight: Parameter;
  /** The learnable bias, `[out]`, or null without one. */
  declare bias: Parameter | null;

  constructor(
    spatial: number,
    transposed: boolean,
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialArgument,
    options: ConvLayerOptions & { outputPadding?: SpatialArgument },
  ) {
    super();
    const op = new.target.name;
    const groups = options.groups ?? 1;
    checkChannels(op, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
    this.kernelSize = spatialTuple(op, "kernel_size", kernelSize, spatial, 1);
    this.stride = spatialTuple(op, "stride", options.stride ?? 1, spatial, 1);
    this.dilation = spatialTuple(op, "dilation", options.dilation ?? 1, spatial, 1);
    this.outputPadding = spatialTuple(op, "output_padding", options.outputPadding ?? 0, spatial, 0);
    const padding = options.padding ?? 0;
    if (padding === "same" && this.stride.some((s) => s !== 1)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        op,
        "padding='same' is not supported for strided convolutions. Hint: give the padding as numbers.",
      );
    }
    this.padding =
      padding === "same" || padding === "valid"
        ? padding
        : spatialTuple(op, "padding", padding as SpatialArgument, spatial, 0);
    this.paddingMode = options.paddingMode ?? "zeros";
    if (!["zeros", "reflect", "replicate", "circular"].includes(this.paddingMode)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        op,
        `padding_mode must be one of 'zeros', 'reflect', 'replicate' or 'circular', but got ${show(this.paddingMode)}.`,
      );
    }
    const [first, second] = transposed ? [inChannels, outChannels] : [outChannels, inChannels];
    this.weight = new Parameter(empty([first, second / groups, ...this.kernelSize]));
    if (options.bias ?? true) this.bias = new Parameter(empty(outChannels));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Draws new initial values as torch does: Kaiming-uniform with `a = √5`, bias uniform in ±1/√fanIn. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const { fanIn } = fans(this.weight, `${this.constructor.name}.resetParameters`);
      if (fanIn !== 0) uniform_(this.bias, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
    }
  }

  /** The conv functions' padding: zeros, or 0 after `pad` in the other modes. */
  protected paddedInput(input: Tensor): [Tensor, ConvOptions["padding"]] {
    if (this.paddingMode === "zeros") return [input, this.padding];
    const amounts: number[] = [];
    for (let d = this.kernelSize.length - 1; d >= 0; d--) {
      if (this.padding === "valid") amounts.push(0, 0);
      else if (this.padding === "same") {
        const total = (this.dilation[d] as number) * ((this.kernelSize[d] as number) - 1);
        amounts.push(Math.floor(total / 2), total - Math.floor(total / 2));
      } else amounts.push(this.padding[d] as number, this.padding[d] as number);
    }
    return [pad(input, amounts, { mode: this.paddingMode }), 0];
  }

  /** torch's `_ConvNd.extra_repr`: channels, kernel and stride, then the options that differ from the defaults. */
  override extraRepr(): string {
    const zeros = (list: number[]) => list.every((v) => v === 0);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (!zeros(this.padding)) s += `, padding=${pyRepr(this.padding)}`;
    if (!this.dilation.every((v) => v === 1)) s += `, dilation=${pyRepr(this.dilation)}`;
    if (!zeros(this.outputPadding)) s += `, output_padding=${pyRepr(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * 1-d convolution over `[N, C, L]` or `[C, L]` inputs (torch.nn.Conv1d): `weight`
 * `[out, in / groups, k]`, initialised as torch's.
 *
 * @example
 * new Conv1d(4, 8, 3, { padding: 1 }).forward(x) // [N, 4, L] -> [N, 8, L]
 */
export class Conv1d extends ConvNd {
  static {
    keepName(this, "Conv1d");
  }
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialArgument,
    options: ConvLayerOptions = {},
  ) {
    super(1, false, inChannels, outChannels, kernelSize, options);
  }
  /** `conv1d(input, weight, bias, options)`, after the padding mode's `pad`. */
  override forward(input: Tensor): Tensor {
    checkLayerInput(this, input, 1, this.inChannels);
    const [x, padding] = this.paddedInput(input);
    const { stride, dilation, groups } = this;
    return conv1d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }
}

/**
 * 2-d convolution over `[N, C, H, W]` or `[C, H, W]` inputs (torch.nn.Conv2d): `weight`
 * `[out, in / groups, kH, kW]`, initialised as torch's; im2col on the SIMD matrix kernel.
 *
 * @example
 * new Conv2d(3, 8, 3, { padding: 1 }).forward(images) // [32, 3, 32, 32] -> [32, 8, 32, 32]
 */
export class Conv2d extends ConvNd {
  static {
    keepName(this, "Conv2d");
  }
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialArgument,
    options: ConvLayerOptions = {},
  ) {
    super(2, false, inChannels, outChannels, kernelSize, options);
  }
  /** `conv2d(input, weight, bias, options)`, after the padding mode's `pad`. */
  override forward(input: Tensor): Tensor {
    checkLayerInput(this, input, 2, this.inChannels);
    const [x, padding] = this.paddedInput(input);
    const { stride, dilation, groups } = this;
    return conv2d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }
}

/**
 * 2-d transposed convolution (torch.nn.ConvTranspose2d), the gradient of `Conv2d` with respect
 * to its input: `weight` `[in, out / groups, kH, kW]`. `forward(input, outputSize)` picks the
 * output padding that gives `outputSize`.
 *
 * @example
 * new ConvTranspose2d(8, 3, 2, { stride: 2 }).forward(x) // [N, 8, 16, 16] -> [N, 3, 32, 32]
 */
export class ConvTranspose2d extends ConvNd {
  static {
    keepName(this, "ConvTranspose2d");
  }
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialArgument,
    options: ConvTransposeLayerOptions = {},
  ) {
    super(2, true, inChannels, outChannels, kernelSize, options);
  }

  /** The output padding that makes the output `outputSize` (torch's `_output_padding`). */
  private outputPaddingFor(input: Tensor, outputSize: readonly number[] | undefined): number[] {
    if (outputSize === undefined) return this.outputPadding;
    const wanted = outputSize.slice(-2);
    const padding = this.padding as number[];
    return wanted.map((size, d) => {
      const inSize = input.shape[input.ndim - 2 + d] as number;
      const stride = this.stride[d] as number;
      const smallest =
        (inSize - 1) * stride -
        2 * (padding[d] as number) +
        (this.dilation[d] as number) * ((this.kernelSize[d] as number) - 1) +
        1;
      if (!(size >= smallest && size < smallest + stride)) {
        throw new NNError(
          "INVALID_ARGUMENT",
          "ConvTranspose2d.forward",
          `requested an output size of ${formatShape(wanted)}, but valid sizes of dim ${d} range from ${smallest} to ${smallest + stride - 1} (for an input of ${formatShape(input.shape)}).`,
        );
      }
      return size - smallest;
    });
  }

  /** `convTranspose2d(input, weight, bias, options)`; `outputSize` (its last 2 numbers) sets the output padding. */
  override forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    checkLayerInput(this, input, 2, this.inChannels);
    const { stride, dilation, groups } = this;
    const outputPadding = this.outputPaddingFor(input, outputSize);
    const padding = this.padding as number[];
    return convTranspose2d(input, this.weight, this.bias, {
      stride,
      padding,
      outputPadding,
      groups,
      dilation,
    });
  }
}
