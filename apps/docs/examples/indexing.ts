import { arange, slice, TensorError, tensor, zeros } from "@x/tensor";
import "@x/autograd";

type Print = (...values: unknown[]) => void;

export function basic(print: Print = console.log) {
  // #region basic
  const x = arange(12).reshape([3, 4]);
  print(x.index(1)); // x[1]
  print(x.index(-1, "1:3")); // x[-1, 1:3]
  print(x.index(":", slice(null, null, 2))); // x[:, ::2]
  print(x.index(null, "...", 0).shape); // x[None, ..., 0].shape
  const view = x.index("1:", "-2:"); // a view: writing to it writes to x
  view.fill_(0);
  print(x);
  // #endregion basic
}

export function advanced(print: Print = console.log) {
  // #region advanced
  const x = arange(12).reshape([3, 4]);
  print(x.index([2, 0])); // x[[2, 0]]: rows 2 and 0, a copy
  print(x.index([0, 2], [1, 3])); // x[[0, 2], [1, 3]]: elements (0, 1) and (2, 3)
  print(x.index(x.gt(8))); // x[x > 8]: a mask
  const y = arange(24).reshape([2, 3, 4]);
  print(y.index(":", [0, 2], [1, 3]).shape); // adjacent: [2, 2]
  print(y.index([0, 1], ":", [1, 3]).shape); // separated: the index dims go first, [2, 3]
  // #endregion advanced
}

export function assignment(print: Print = console.log) {
  // #region assignment
  const x = tensor([1, -2, 3, -4]);
  x.indexPut_([x.lt(0)], 0); // x[x < 0] = 0
  print(x);
  const grid = zeros(2, 3);
  grid.indexPut_([0, "1:"], tensor([7, 8])); // grid[0, 1:] = tensor([7., 8.])
  print(grid);
  const counts = zeros(3).indexPut([[0, 2, 0]], 1, { accumulate: true });
  print(counts); // repeated positions sum
  // #endregion assignment
}

export function gradients(print: Print = console.log) {
  // #region gradients
  const w = tensor([1, 2, 3], { requiresGrad: true });
  w.index([0, 0, 2]).sum().backward(); // w[[0, 0, 2]].sum().backward()
  print(w.grad); // repeated indices accumulate
  // #endregion gradients
}

export function errors(print: Print = console.log) {
  // #region errors
  try {
    arange(6).reshape([2, 3]).index(0, 3);
  } catch (e) {
    if (e instanceof TensorError) print(e.code, "-", e.message);
  }
  // #endregion errors
}
