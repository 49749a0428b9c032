import { allclose, isclose, TensorError, tensor, zeros } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function truth(print: Print = console.log) {
  // #region truth
  const loss = tensor([0.5, Number.NaN, 2, Number.POSITIVE_INFINITY]);
  print(loss.isfinite()); // torch.isfinite(loss)
  print(loss.isfinite().all().item()); // torch.isfinite(loss).all().item()
  print(loss.isnan().any()); // loss.isnan().any()

  const mask = loss.gt(1);
  print(mask.logicalNot()); // ~mask
  print(mask.logicalAnd(loss.isfinite())); // mask & torch.isfinite(loss)

  const grid = tensor([
    [0, 1, 0],
    [0, 0, 0],
  ]);
  print(grid.any(1), grid.all([0, 1], true)); // grid.any(1); grid.all() with keepdim
  // #endregion truth
}

export function bits(print: Print = console.log) {
  // #region bits
  const flags = tensor([0b0101, 0b0011, -8], { dtype: "int32" });
  print(flags.bitwiseAnd(0b0110)); // flags & 0b0110
  print(flags.bitwiseXor(flags.bitwiseNot())); // flags ^ ~flags: every bit set, -1
  print(flags.bitwiseLeftShift(2)); // flags << 2
  print(flags.bitwiseRightShift(1)); // flags >> 1 keeps the sign
  // #endregion bits
}

export function closeness(print: Print = console.log) {
  // #region closeness
  const a = tensor([1, 1e-9, Number.NaN, Number.POSITIVE_INFINITY]);
  const b = tensor([1.000001, 0, Number.NaN, Number.POSITIVE_INFINITY]);
  print(a.isclose(b)); // torch.isclose(a, b)
  print(isclose(a, b, { equalNan: true })); // torch.isclose(a, b, equal_nan=True)
  print(allclose(a.narrow(0, 0, 2), b.narrow(0, 0, 2), { atol: 1e-6 })); // a boolean
  print(tensor([1, 2], { dtype: "int32" }).equal(tensor([1, 2]))); // torch.equal: values, after promotion
  // #endregion closeness
}

export function integers(print: Print = console.log) {
  // #region integers
  const counts = tensor([11, -3, 2147483647], { dtype: "int32" });
  print(counts.mul(2)); // int32, and it wraps like torch's int32
  print(counts.pow(7)); // exact: 11 ** 7 = 19487171
  print(counts.mul(0.5)); // a fractional number acts as a Python float: float32
  print(counts.div(2)); // div is always true division: float32
  print(tensor([true, false]).add(1)); // a bool tensor plus an int: int32
  print(tensor([1.0, 0.0]).dtype); // creation is unchanged: JS numbers give float32
  try {
    counts.pow(-1);
  } catch (e) {
    if (e instanceof TensorError) print(e.message);
  }
  print(zeros([2], { dtype: "int32" }).add_(3).mul_(2)); // in place, still int32
  // #endregion integers
}
