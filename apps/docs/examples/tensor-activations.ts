import { elu_, gelu, hardtanh, leakyRelu, softplus, TensorError, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

/** The smooth activations, with torch's defaults. */
export function smooth(print: Print = console.log) {
  // #region smooth
  const x = tensor([-3, -1, 0, 1, 3]);
  print("gelu      ", gelu(x)); // F.gelu(x): x · Φ(x) with erf
  print("gelu tanh ", x.gelu({ approximate: "tanh" })); // F.gelu(x, approximate='tanh')
  print("silu      ", x.silu()); // F.silu
  print("mish      ", x.mish()); // F.mish
  print("softplus  ", softplus(x, { beta: 2 })); // F.softplus(x, beta=2)
  print("logsigmoid", tensor([-200, 0, 200]).logsigmoid()); // no overflow: min(x, 0) − log1p(e^−|x|)
  // #endregion smooth
}

/** The piecewise ones, their kinks, and the in-place forms. */
export function piecewise(print: Print = console.log) {
  // #region piecewise
  const x = tensor([-4, -3, -1, 0, 3, 6, 7]);
  print("leakyRelu  ", leakyRelu(x, 0.1)); // F.leaky_relu(x, 0.1)
  print("elu        ", x.elu()); // F.elu(x, alpha=1.0)
  print("selu       ", x.selu()); // F.selu
  print("relu6      ", x.relu6()); // F.relu6
  print("hardtanh   ", hardtanh(x, -2, 2)); // F.hardtanh(x, -2., 2.)
  print("hardswish  ", x.hardswish()); // F.hardswish
  print("hardsigmoid", x.hardsigmoid()); // F.hardsigmoid
  const y = tensor([-1, 1]);
  elu_(y); // F.elu_(y): in place
  print("elu_       ", y);
  try {
    tensor([1, 2], { dtype: "int32" }).gelu();
  } catch (error) {
    if (error instanceof TensorError) print(error.code, error.message);
  }
  // #endregion piecewise
}
