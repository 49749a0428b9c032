import type { Tensor } from "@x/tensor";
import { checkTensor } from "../errors";
import { keepName, Module } from "../module";

/** `max(0, x)` elementwise (torch.nn.ReLU). */
export class ReLU extends Module {
  static {
    keepName(this, "ReLU");
  }

  /** `input.relu()`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "ReLU.forward", "input");
    return input.relu();
  }
}

/** The hyperbolic tangent elementwise (torch.nn.Tanh), the book's chapter-6 activation. */
export class Tanh extends Module {
  static {
    keepName(this, "Tanh");
  }

  /** `input.tanh()`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Tanh.forward", "input");
    return input.tanh();
  }
}

/** The logistic function `1 / (1 + e^-x)` elementwise (torch.nn.Sigmoid). */
export class Sigmoid extends Module {
  static {
    keepName(this, "Sigmoid");
  }

  /** `input.sigmoid()`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Sigmoid.forward", "input");
    return input.sigmoid();
  }
}
