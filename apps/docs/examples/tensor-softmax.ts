import { logsumexp, softmax, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

/** softmax, logSoftmax and softmin along a dim, beside their PyTorch spellings. */
export function family(print: Print = console.log) {
  // #region family
  const logits = tensor([
    [1, 2, 3],
    [1000, 1001, 1002], // e^1000 overflows; the max is subtracted first, so this row is fine
  ]);
  print("softmax   ", logits.softmax(-1)); // torch.softmax(logits, -1)
  print("logSoftmax", logits.logSoftmax(1)); // torch.log_softmax(logits, 1)
  print("softmin   ", logits.softmin(1)); // torch.nn.functional.softmin(logits, 1)
  print("columns   ", softmax(logits, 0)); // along dim 0: each column sums to 1
  print(tensor([[1, 2]], { dtype: "int32" }).softmax(1, { dtype: "float64" })); // dtype=torch.float64
  // #endregion family
}

/** logsumexp over one dim or several, and the infinities torch gives. */
export function logSumExp(print: Print = console.log) {
  // #region logsumexp
  const x = tensor([
    [88.8, 88, 87.5], // exp(88.8) is inf in float32, log(sum(exp(x))) would be inf
    [-Infinity, -Infinity, -Infinity],
  ]);
  print("naive    ", x.exp().sum(1).log());
  print("logsumexp", x.logsumexp(1)); // torch.logsumexp(x, 1): -inf for an all -inf row
  print("keepdim  ", logsumexp(x, [0, 1], true)); // torch.logsumexp(x, (0, 1), keepdim=True)
  // #endregion logsumexp
}
