import { arange, meshgrid, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function flipRoll(print: Print = console.log) {
  // #region flip-roll
  const x = arange(6).reshape(2, 3);
  print(x.flip(1)); // torch.flip(x, [1]): a copy, columns reversed
  print(x.roll(1, -1)); // torch.roll(x, 1, -1): shift right, wrap around
  print(x.roll(2)); // no dims: rolled as if flattened
  // #endregion flip-roll
}

export function repeats(print: Print = console.log) {
  // #region repeat
  const x = tensor([1, 2, 3]);
  print(x.repeat(2, 2)); // x.repeat(2, 2): tiles the whole tensor
  print(x.repeatInterleave(2)); // x.repeat_interleave(2): each twice
  print(x.repeatInterleave([3, 0, 1], 0)); // one count per element
  // #endregion repeat
}

export function triangles(print: Print = console.log) {
  // #region triangles
  const m = arange(1, 10).reshape(3, 3);
  print(m.tril()); // torch.tril(m): on and below the diagonal
  print(m.triu(1)); // torch.triu(m, 1): strictly above it
  print(m.diagonal()); // m.diagonal(): a view of the main diagonal
  print(m.diagonal(-1)); // the one below it
  print(tensor([1, 2]).diag()); // torch.diag of a vector: a matrix
  print(m.tril().add(m.triu()).sub(m.diagonal().diag())); // m again
  // #endregion triangles
}

export function windows(print: Print = console.log) {
  // #region windows
  const s = arange(6);
  print(s.unfold(0, 3, 2)); // windows of 3, every 2 (a view)
  const batch = arange(24).reshape(2, 3, 4);
  print(batch.unflatten(2, [2, 2]).size()); // x.unflatten(2, (2, 2))
  print(batch.movedim(0, -1).size()); // torch.movedim(x, 0, -1)
  print(batch.swapaxes(0, 1).size()); // torch.swapaxes(x, 0, 1)
  // #endregion windows
}

export function grids(print: Print = console.log) {
  // #region meshgrid
  const [gx, gy] = meshgrid([tensor([1, 2, 3]), tensor([10, 20])], { indexing: "xy" });
  print(gx, gy); // torch.meshgrid(x, y, indexing='xy'): shape [2, 3], like NumPy's
  // #endregion meshgrid
}
