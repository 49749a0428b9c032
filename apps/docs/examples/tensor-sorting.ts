import { tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function sorting(print: Print = console.log) {
  // #region sort
  const x = tensor([3, Number.NaN, -1, 0, 3, -0]);
  const { values, indices } = x.sort(); // torch.sort(x)
  print(values, indices); // NaN last, -0 equals 0; int32 indices
  print(x.sort(0, { descending: true }).values); // NaN first
  print(x.argsort(-1, { stable: true })); // ties in input order
  // #endregion sort
}

export function selection(print: Print = console.log) {
  // #region select
  const m = tensor([
    [5, 1, 4],
    [2, 8, 2],
  ]);
  print(m.topk(2).values); // torch.topk(m, 2): 2 largest a row
  print(m.topk(1, { dim: 0, largest: false }).indices);
  print(m.kthvalue(2).values); // 2nd smallest of each row
  print(m.median()); // lower median of all six: 2
  print(m.median(1).indices); // per row, with the position
  // #endregion select
}
