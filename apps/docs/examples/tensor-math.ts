import { erf, lerp, remainder, TensorError, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

/** The transcendental functions, computed in float64 and rounded once to float32. */
export function functions(print: Print = console.log) {
  // #region functions
  const x = tensor([-1, -0.5, 0, 0.5, 1]);
  print("asin ", x.asin()); // ±π/2 at the ends of its domain
  print("atanh", x.atanh()); // ±inf at ±1
  print("erf  ", erf(x));
  print("log1p", tensor([1e-8, 1]).log1p()); // accurate where log(1 + x) loses digits
  print("rsqrt", tensor([4, 0, -1]).rsqrt()); // inf at 0, NaN below
  print(tensor([1, 2, 3], { dtype: "int32" }).exp2()); // integers give float32, as in PyTorch
  // #endregion functions
}

/** remainder vs fmod, and division with a rounding mode. */
export function division(print: Print = console.log) {
  // #region division
  const a = tensor([7, -7, 7, -7], { dtype: "int32" });
  const b = tensor([2, 2, -2, -2], { dtype: "int32" });
  print("remainder", remainder(a, b)); // sign of the divisor, like Python's %
  print("fmod     ", a.fmod(b)); // sign of the dividend, like C's fmod
  print("trunc    ", a.div(b, { roundingMode: "trunc" })); // int32 stays int32
  print("floor    ", a.floorDivide(b)); // = div(b, { roundingMode: 'floor' })
  print("true div ", a.div(b)); // integers divide to float32
  try {
    a.remainder(tensor([1, 0, 1, 1], { dtype: "int32" }));
  } catch (error) {
    if (error instanceof TensorError) print(error.code, error.message);
  }
  // #endregion division
}

/** The two-operand functions and lerp. */
export function combining(print: Print = console.log) {
  // #region combining
  const y = tensor([1, 1, -1]);
  const x = tensor([1, -1, -1]);
  print("atan2    ", y.atan2(x)); // the angle of each point (x, y)
  print("hypot    ", tensor([3, 5]).hypot(tensor([4, 12])));
  print("logaddexp", tensor([1000, -1000]).logaddexp(tensor([1000, -1000]))); // no overflow
  print("copysign ", tensor([1, 2, 3]).copysign(tensor([-0, 0, -5]))); // -0 counts as negative
  print("lerp     ", lerp(tensor([0, 10]), tensor([10, 20]), 0.25));
  print("lerp     ", tensor([0, 10]).lerp(tensor([10, 20]), tensor([0, 1]))); // a tensor weight
  // #endregion combining
}
