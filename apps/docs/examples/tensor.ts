import {
  arange,
  bernoulli,
  full,
  Generator,
  getPrintOptions,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  randperm,
  round,
  setPrintOptions,
  TensorError,
  tensor,
  zeros,
} from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function creation(print: Print = console.log) {
  // #region creation
  const t = tensor([
    [1, 2],
    [3, 4],
  ]);
  print(t);
  print("shape", t.shape, "dtype", t.dtype, "ndim", t.ndim, "numel", t.numel());
  print(zeros([2, 3]));
  print(arange(0, 10, 3)); // all-integer arguments give int32
  print(tensor(3.5)); // a 0-d tensor
  print(t.toArray(), tensor(3.5).item());
  // #endregion creation
}

export function broadcasting(print: Print = console.log) {
  // #region broadcasting
  // The book's cell 7: shapes combine right-aligned, size-1 dimensions stretch.
  const x = ones([]);
  const y = ones(3, 1);
  const z = ones(1, 3);
  const a = ones(2, 1, 1);
  print("shapes: x:", x.size(), "y:", y.size(), "z:", z.size(), "a:", a.size());
  print("x * y:", x.mul(y).size());
  print("y * z:", y.mul(z).size());
  print("y * z * a:", y.mul(z).mul(a).size());

  const tU = tensor([35.7, 55.9, 58.2]);
  print(tU.mul(0.5).add(-17)); // w * t_u + b with scalar w and b
  // #endregion broadcasting
}

export function rounding(print: Print = console.log) {
  // #region rounding
  const x = tensor([-1.5, -0.5, 0.5, 2.5]);
  print("floor", x.floor());
  print("ceil ", x.ceil()); // -0.5 goes up to -0., as in PyTorch
  print("trunc", x.trunc());
  print("round", x.round()); // halves go to the even neighbour
  print(round(tensor([1.23456, 0.125]), { decimals: 2 }));
  print(tensor([1234.5, 1250, -1350]).round({ decimals: -2 }));
  // #endregion rounding
}

export function float32(print: Print = console.log) {
  // #region float32
  // Every op rounds to float32, as PyTorch does, so results match it digit for digit.
  const a = tensor([0.1, 0.2]);
  print(a.sum().item()); // 0.30000001192092896, the float32 result
  print(tensor([0.1, 0.2], { dtype: "float64" }).sum().item());
  print(tensor([1e20]).mul(1e20)); // float32 overflows to inf
  // #endregion float32
}

export function printing(print: Print = console.log) {
  const saved = getPrintOptions();
  try {
    // #region printing
    // the book: torch.set_printoptions(edgeitems=2, linewidth=75); t_p
    setPrintOptions({ edgeitems: 2, linewidth: 75 });
    const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
    const [w, b] = [ones([]), zeros([])];
    print(tU.mul(w).add(b)); // the model's output, wrapped at 75 columns
    setPrintOptions({ threshold: 10 }); // over 10 elements: summarise
    print(arange(0, 100).reshape(10, 10));
    setPrintOptions({ precision: 2, sciMode: true });
    print(tensor([1234.5, 0.001]));
    setPrintOptions({ profile: "default", sciMode: null }); // torch's defaults
    print(getPrintOptions());
    // #endregion printing
  } finally {
    setPrintOptions(saved);
  }
}

export function reductions(print: Print = console.log) {
  // #region reductions
  const t = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  print(t.sum()); // everything
  print(t.mean(0)); // down the columns
  print(t.sum(1, true)); // keepdim
  print(t.var()); // unbiased, as PyTorch
  const { values, indices } = t.max(1);
  print(values, indices);
  // #endregion reductions
}

export function views(print: Print = console.log) {
  // #region views
  const t = arange(0, 6).reshape([2, 3]);
  const tt = t.t(); // a view: no copy, different strides
  print(tt);
  print("strides", t.stride(), "→", tt.stride(), "contiguous?", tt.isContiguous());
  tt.select(0, 0).fill_(100); // writes through to t
  print(t);
  print(t.unsqueeze(0).shape, t.flatten().shape, t.view([3, -1]).shape);
  // #endregion views
}

export function indexing(print: Print = console.log) {
  // #region indexing
  const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
  const trainIndices = tensor([9, 6, 5, 8, 4, 7, 0, 1, 3], { dtype: "int32" });
  print(tU.indexSelect(0, trainIndices)); // the book's t_u[train_indices]
  const [w, b] = tensor([0.5, -17]).unbind(); // the book's *params
  print(w, b);
  print(tU.split(4).map((part) => part.shape[0]));
  // #endregion indexing
}

export function random(print: Print = console.log) {
  // #region random
  manualSeed(0); // torch.manual_seed(0)
  print(rand(3)); // torch.rand(3)
  print(randn(2, 3)); // torch.randn(2, 3)
  print(randint(0, 10, [5])); // torch.randint(0, 10, (5,))
  const generator = new Generator(42); // g = torch.Generator().manual_seed(42)
  print(randperm(11, { generator })); // torch.randperm(11, generator=g)
  print(zeros(4).uniform_(-1, 1, { generator })); // torch.empty(4).uniform_(-1, 1, generator=g)
  print(zeros(2, 8).normal_(0, 0.1, { generator })); // torch.empty(2, 8).normal_(0, 0.1, generator=g)
  print(bernoulli(full([6], 0.5), { generator })); // torch.bernoulli(torch.full((6,), 0.5), generator=g)
  // #endregion random
}

export function errors(print: Print = console.log) {
  // #region errors
  try {
    tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).add(tensor([[1, 2, 3, 4]]));
  } catch (e) {
    if (e instanceof TensorError) {
      print(e.code);
      print(e.message);
    }
  }
  // #endregion errors
}
