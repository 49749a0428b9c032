import {
  adaptiveAvgPool2d,
  avgPool1d,
  avgPool2d,
  type MaxPoolResult,
  maxPool1d,
  maxPool2d,
  type SpatialArgument,
  type Tensor,
} from "@x/tensor";
import { keepName, Module } from "../module";
import { checkLayerInput, pyRepr } from "./conv";

/** Options of {@link MaxPool1d} and {@link MaxPool2d}, as torch's keyword arguments. */
export interface MaxPoolLayerOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SpatialArgument | null;
  padding?: SpatialArgument;
  dilation?: SpatialArgument;
  /** `forward` returns `{ values, indices }`. */
  returnIndices?: boolean;
  ceilMode?: boolean;
}

/** Options of {@link AvgPool1d} and {@link AvgPool2d}, as torch's keyword arguments. */
export interface AvgPoolLayerOptions {
  stride?: SpatialArgument | null;
  padding?: SpatialArgument;
  ceilMode?: boolean;
  /** Count the padding's zeros in the divisor (default true). */
  countIncludePad?: boolean;
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions extends AvgPoolLayerOptions {
  /** Divide every window by this instead. */
  divisorOverride?: number | null;
}

/** The `[a]` form torch's 1-d layers store (`_single`), for printing. */
const single = (value: SpatialArgument) => (typeof value === "number" ? [value] : value);

/** What the max-pooling layers share (torch's `_MaxPoolNd`). */
abstract class MaxPoolNd extends Module {
  static {
    keepName(this, "_MaxPoolNd");
  }
  readonly kernelSize: SpatialArgument;
  readonly stride: SpatialArgument;
  readonly padding: SpatialArgument;
  readonly dilation: SpatialArgument;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;

  constructor(kernelSize: SpatialArgument, options: MaxPoolLayerOptions) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.returnIndices = options.returnIndices ?? false;
    this.ceilMode = options.ceilMode ?? false;
  }

  protected run(
    input: Tensor,
    spatial: number,
    pool: typeof maxPool1d | typeof maxPool2d,
  ): Tensor | MaxPoolResult {
    checkLayerInput(this, input, spatial, null);
    const { kernelSize, stride, padding, dilation, ceilMode, returnIndices } = this;
    const options = { stride, padding, dilation, ceilMode };
    return returnIndices
      ? pool(input, kernelSize, { ...options, returnIndices: true })
      : pool(input, kernelSize, options);
  }

  /** torch's `_MaxPoolNd.extra_repr`. */
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceilMode)}`;
  }
}

/**
 * 1-d max pooling over `[N, C, L]` or `[C, L]` (torch.nn.MaxPool1d).
 *
 * @example
 * new MaxPool1d(2).forward(x) // [N, C, 8] -> [N, C, 4]
 */
export class MaxPool1d extends MaxPoolNd {
  static {
    keepName(this, "MaxPool1d");
  }
  constructor(kernelSize: SpatialArgument, options: MaxPoolLayerOptions = {}) {
    super(kernelSize, options);
  }
  /** `maxPool1d(input, kernelSize, options)`; `{ values, indices }` with `returnIndices`. */
  override forward(input: Tensor): Tensor | MaxPoolResult {
    return this.run(input, 1, maxPool1d);
  }
}

/**
 * 2-d max pooling over `[N, C, H, W]` or `[C, H, W]` (torch.nn.MaxPool2d).
 *
 * @example
 * new MaxPool2d(2).forward(x) // [N, C, 32, 32] -> [N, C, 16, 16]
 */
export class MaxPool2d extends MaxPoolNd {
  static {
    keepName(this, "MaxPool2d");
  }
  constructor(kernelSize: SpatialArgument, options: MaxPoolLayerOptions = {}) {
    super(kernelSize, options);
  }
  /** `maxPool2d(input, kernelSize, options)`; `{ values, indices }` with `returnIndices`. */
  override forward(input: Tensor): Tensor | MaxPoolResult {
    return this.run(input, 2, maxPool2d);
  }
}

/**
 * 1-d average pooling over `[N, C, L]` or `[C, L]` (torch.nn.AvgPool1d).
 *
 * @example
 * new AvgPool1d(3, { stride: 2 }).forward(x)
 */
export class AvgPool1d extends Module {
  static {
    keepName(this, "AvgPool1d");
  }
  readonly kernelSize: SpatialArgument;
  readonly stride: SpatialArgument;
  readonly padding: SpatialArgument;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: SpatialArgument, options: AvgPoolLayerOptions = {}) {
    super();
    this.kernelSize = single(kernelSize);
    this.stride = single(options.stride ?? kernelSize);
    this.padding = single(options.padding ?? 0);
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }
  /** `avgPool1d(input, kernelSize, options)`. */
  override forward(input: Tensor): Tensor {
    checkLayerInput(this, input, 1, null);
    const { stride, padding, ceilMode, countIncludePad } = this;
    return avgPool1d(input, this.kernelSize, { stride, padding, ceilMode, countIncludePad });
  }
  /** torch's `AvgPool1d.extra_repr`. */
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

/**
 * 2-d average pooling over `[N, C, H, W]` or `[C, H, W]` (torch.nn.AvgPool2d).
 *
 * @example
 * new AvgPool2d(2).forward(x) // [N, C, 32, 32] -> [N, C, 16, 16]
 */
export class AvgPool2d extends Module {
  static {
    keepName(this, "AvgPool2d");
  }
  readonly kernelSize: SpatialArgument;
  readonly stride: SpatialArgument;
  readonly padding: SpatialArgument;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: SpatialArgument, options: AvgPool2dLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }
  /** `avgPool2d(input, kernelSize, options)`. */
  override forward(input: Tensor): Tensor {
    checkLayerInput(this, input, 2, null);
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return avgPool2d(input, this.kernelSize, {
      stride,
      padding,
      ceilMode,
      countIncludePad,
      divisorOverride,
    });
  }
  /** torch's `AvgPool2d.extra_repr`. */
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

/**
 * Averages over `outputSize` windows spread evenly over the input (torch.nn.AdaptiveAvgPool2d);
 * `null` keeps that dim's size, `1` is global average pooling.
 *
 * @example
 * new AdaptiveAvgPool2d(1).forward(x) // [N, C, H, W] -> [N, C, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  static {
    keepName(this, "AdaptiveAvgPool2d");
  }
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
  }
  /** `adaptiveAvgPool2d(input, outputSize)`. */
  override forward(input: Tensor): Tensor {
    checkLayerInput(this, input, 2, null);
    return adaptiveAvgPool2d(input, this.outputSize);
  }
  /** `output_size=…`, as torch prints it. */
  override extraRepr(): string {
    return `output_size=${pyRepr(this.outputSize)}`;
  }
}
