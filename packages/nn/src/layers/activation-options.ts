import type { GeluOptions, SoftplusOptions, Tensor } from "@x/tensor";
import { checkTensor } from "../errors";
import { keepName, Module } from "../module";

/** A number as Python's `repr` writes a float: `1.0`, `0.01`, `1e-05`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const size = Math.abs(value);
  if (size !== 0 && (size < 1e-4 || size >= 1e16)) {
    const [digits, exponent] = value.toExponential().split("e") as [string, string];
    const power = Number(exponent);
    return `${digits}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** `0.5·x·(1 + erf(x/√2))`, or its tanh approximation (torch.nn.GELU). */
export class GELU extends Module {
  static {
    keepName(this, "GELU");
  }
  /** `'none'` (exact, the default) or `'tanh'`. */
  readonly approximate: NonNullable<GeluOptions["approximate"]>;

  constructor(options: GeluOptions = {}) {
    super();
    this.approximate = options.approximate ?? "none";
  }
  /** `input.gelu({ approximate })`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "GELU.forward", "input");
    return input.gelu({ approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** `x·sigmoid(x)` (torch.nn.SiLU). */
export class SiLU extends Module {
  static {
    keepName(this, "SiLU");
  }
  /** `input.silu()`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "SiLU.forward", "input");
    return input.silu();
  }
}

/** `x` above 0, `negativeSlope·x` below (torch.nn.LeakyReLU, default slope 0.01). */
export class LeakyReLU extends Module {
  static {
    keepName(this, "LeakyReLU");
  }
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  /** `input.leakyRelu(negativeSlope)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "LeakyReLU.forward", "input");
    return input.leakyRelu(this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pythonFloat(this.negativeSlope)}`;
  }
}

/** `x` above 0, `alpha·(eˣ − 1)` below (torch.nn.ELU, default alpha 1). */
export class ELU extends Module {
  static {
    keepName(this, "ELU");
  }
  constructor(readonly alpha = 1) {
    super();
  }
  /** `input.elu(alpha)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "ELU.forward", "input");
    return input.elu(this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pythonFloat(this.alpha)}`;
  }
}

/** `log(1 + e^(beta·x)) / beta`, linear above `threshold` (torch.nn.Softplus). */
export class Softplus extends Module {
  static {
    keepName(this, "Softplus");
  }
  readonly beta: number;
  readonly threshold: number;

  constructor(options: SoftplusOptions = {}) {
    super();
    this.beta = options.beta ?? 1;
    this.threshold = options.threshold ?? 20;
  }
  /** `input.softplus({ beta, threshold })`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Softplus.forward", "input");
    return input.softplus({ beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Softmax along `dim` (torch.nn.Softmax): non-negative, summing to 1 along `dim`. */
export class Softmax extends Module {
  static {
    keepName(this, "Softmax");
  }
  constructor(readonly dim: number) {
    super();
  }
  /** `input.softmax(dim)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Softmax.forward", "input");
    return input.softmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (torch.nn.LogSoftmax), the stable input of `nllLoss`. */
export class LogSoftmax extends Module {
  static {
    keepName(this, "LogSoftmax");
  }
  constructor(readonly dim: number) {
    super();
  }
  /** `input.logSoftmax(dim)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "LogSoftmax.forward", "input");
    return input.logSoftmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
