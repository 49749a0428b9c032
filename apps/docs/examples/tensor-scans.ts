import { einsum, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function scans(print: Print = console.log) {
  // #region scans
  const x = tensor([
    [1, 3, 2],
    [4, 0, 5],
  ]);
  print(x.cumsum(1)); // torch.cumsum(x, 1): running sums along each row
  print(x.cumprod(0)); // torch.cumprod(x, 0): running products down each column
  const { values, indices } = x.cummax(1); // torch.cummax(x, 1)
  print(values, indices); // indices are int32; of tied values the last is kept
  print(x.logcumsumexp(1)); // log(cumsum(exp(x))), without overflow
  print(x.cumsum(1).diff(1, 1)); // torch.diff: x[:, 1:] again
  // #endregion scans
}

export function einsums(print: Print = console.log) {
  // #region einsum
  const a = tensor([
    [1, 2],
    [3, 4],
  ]);
  const b = tensor([
    [5, 6],
    [7, 8],
  ]);
  print(einsum("ij,jk->ik", a, b)); // torch.einsum("ij,jk->ik", a, b): a.matmul(b)
  print(einsum("ii", a)); // trace
  print(einsum("ii->i", a)); // diagonal
  print(einsum("ij->j", a)); // column sums
  print(einsum("bij,bjk->bik", a.unsqueeze(0), b.unsqueeze(0)).size()); // batched matmul
  print(einsum("...j,j", a, tensor([1, -1]))); // matrix-vector, broadcast leading dims
  // #endregion einsum
}
