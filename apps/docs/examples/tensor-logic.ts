import { allclose, isclose, TensorError, tensor, zeros } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function truth(print: Print = console.log) {
  // #region truth
  const loss = tensor([0.5, Number.NaN, 2, Number.POSITIVE_INFINITY]);
  print(loss.isfinite()); // torch.isfinite(loss)
  print(loss.isfinite().all().item()); // a boolean, as .item() in torch
  print(loss.isnan().any()); // loss.isnan().any()

  const mask = loss.gt(1);
  print(mask.logicalNot()); // ~mask
  print(mask.logicalAnd(loss.isfinite())); // mask & loss.isfinite()

  const grid = tensor([
    [0, 1, 0],
    [0, 0, 0],
  ]);
  // grid.any(1); grid.all() keeping both dims
  print(grid.any(1), grid.all([0, 1], true));
  // #endregion truth
}

export function bits(print: Print = console.log) {
  // #region bits
  const flags = tensor([0b0101, 0b0011, -8], { dtype: "int32" });
  print(flags.bitwiseAnd(0b0110)); // flags & 0b0110
  print(flags.bitwiseXor(flags.bitwiseNot())); // flags ^ ~flags: -1
  print(flags.bitwiseLeftShift(2)); // flags << 2
  print(flags.bitwiseRightShift(1)); // flags >> 1 keeps the sign
  // #endregion bits
}

export function closeness(print: Print = console.log) {
  // #region closeness
  const a = tensor([1, 1e-9, Number.NaN, Number.POSITIVE_INFINITY]);
  const b = tensor([1.000001, 0, Number.NaN, Number.POSITIVE_INFINITY]);
  print(a.isclose(b)); // torch.isclose(a, b)
  print(isclose(a, b, { equalNan: true })); // equal_nan=True
  // torch.allclose(a[:2], b[:2], atol=1e-6): a boolean
  print(allclose(a.narrow(0, 0, 2), b.narrow(0, 0, 2), { atol: 1e-6 }));
  // torch.equal compares after promotion: int32 1 equals float32 1
  print(tensor([1, 2], { dtype: "int32" }).equal(tensor([1, 2])));
  // #endregion closeness
}

export function integers(print: Print = console.log) {
  // #region integers
  const counts = tensor([11, -3, 2147483647], { dtype: "int32" });
  print(counts.mul(2)); // int32, wrapping like torch's int32
  print(counts.pow(7)); // exact: 11 ** 7 = 19487171
  print(counts.mul(0.5)); // a fractional number: float32
  print(counts.div(2)); // true division: float32
  print(tensor([true, false]).add(1)); // bool + int: int32
  print(tensor([1.0, 0.0]).dtype); // creation is unchanged: float32
  try {
    counts.pow(-1);
  } catch (e) {
    if (e instanceof TensorError) print(e.message);
  }
  print(zeros([2], { dtype: "int32" }).add_(3).mul_(2)); // still int32
  // #endregion integers
}
