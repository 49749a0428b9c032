import "@x/autograd";
import { oneHot, TensorError, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function masks(print: Print = console.log) {
  // #region masks
  const x = tensor([
    [1, -2, 3],
    [-4, 5, -6],
  ]);
  const negative = x.lt(0); // a bool mask
  print(x.maskedFill(negative, 0)); // x.masked_fill(x < 0, 0)
  print(x.maskedSelect(negative)); // x.masked_select(x < 0), the book's x[x < 0]
  print(x.maskedFill(tensor([true, false, false]), 9)); // the mask broadcasts
  x.maskedFill_(negative, -1); // in place: x.masked_fill_(x < 0, -1)
  print(x);
  // #endregion masks
}

export function scatterGather(print: Print = console.log) {
  // #region scatter
  const index = tensor([0, 2, 0, 1], { dtype: "int32" });
  const src = tensor([1, 2, 3, 4]);
  print(tensor([0, 0, 0]).scatterAdd(0, index, src)); // repeated indices add up
  print(tensor([0, 0, 0]).scatter(0, [2, 1], 7)); // write one number
  print(tensor([1, 1, 1]).scatter(0, index, src, { reduce: "multiply" }));
  print(tensor([0, 0, 0]).scatterReduce(0, index, src, "amax", { includeSelf: false }));
  print(tensor([10, 10, 10]).scatterReduce(0, index, src, "mean"));
  // #endregion scatter
}

export function indexAddTake(print: Print = console.log) {
  // #region index-add
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  const rows = tensor([10, 1]).unsqueeze(1).expand(2, 2); // [[10, 10], [1, 1]]
  print(x.indexAdd(0, [1, 1], rows, { alpha: 2 })); // both rows add into row 1
  print(x.take([0, -1])); // flat positions: torch.take(x, tensor([0, -1]))
  print(oneHot(tensor([0, 2, 1], { dtype: "int32" }))); // F.one_hot(labels)
  // #endregion index-add
}

export function gradients(print: Print = console.log) {
  // #region gradients
  const x = tensor([5, 5, 2, 1], { requiresGrad: true });
  const best = tensor([0, 0]).scatterReduce(0, [0, 0, 1, 1], x, "amax");
  best.sum().backward();
  print(best, x.grad); // the two 5s tie for position 0 and share its gradient
  // #endregion gradients
}

export function errors(print: Print = console.log) {
  // #region errors
  try {
    tensor([1, 2, 3]).maskedFill(tensor([1, 0, 1]), 0);
  } catch (e) {
    if (e instanceof TensorError) print(e.code, e.message);
  }
  // #endregion errors
}
