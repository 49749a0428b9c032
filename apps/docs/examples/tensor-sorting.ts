import { tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function sorting(print: Print = console.log) {
  // #region sort
  const x = tensor([3, Number.NaN, -1, 0, 3, -0]);
  const { values, indices } = x.sort(); // torch.sort(x): NaN last, -0 and 0 equal
  print(values, indices); // indices are int32
  print(x.sort(0, { descending: true }).values); // NaN first
  print(x.argsort(-1, { stable: true })); // ties keep their input order
  // #endregion sort
}

export function selection(print: Print = console.log) {
  // #region select
  const m = tensor([
    [5, 1, 4],
    [2, 8, 2],
  ]);
  print(m.topk(2).values); // torch.topk(m, 2): the 2 largest of each row
  print(m.topk(1, { dim: 0, largest: false }).indices); // smallest of each column
  print(m.kthvalue(2).values); // torch.kthvalue(m, 2): 2nd smallest per row
  print(m.median()); // lower median of all six: 2
  print(m.median(1).indices); // per row, with the position
  // #endregion select
}
