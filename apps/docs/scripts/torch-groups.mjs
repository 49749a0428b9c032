// The API reference of @x/tensor lists its functions and Tensor methods under the headings of
// PyTorch's own reference (pytorch.org/docs/stable/torch.html, and torch.nn.functional for the
// activations), so a PyTorch user finds `cumsum` where they would look for `torch.cumsum`.
// gen-api.mjs fails the docs build when an export or method has no group here.

/** Splits a whitespace-separated list of names. */
const names = (list) => list.trim().split(/\s+/);

/** Group name → the @x/tensor functions and Tensor methods under it, in PyTorch's order of groups. */
export const TORCH_GROUPS = {
  "Tensor attributes and conversion": names(`
    ndim isLeaf numel size stride isContiguous item toArray toTypedArray toString clone to
    float double int bool contiguous sizeOf sameShape isFloating promoteTypes resultType
    broadcastShapes formatShape [iterator]
  `),
  "Creation Ops": names(`
    tensor zeros zerosLike ones onesLike arange linspace eye empty emptyLike full fullLike
    zero_ fill_ fromData
  `),
  "Indexing, Slicing, Joining, Mutating Ops": names(`
    cat chunk expand expandAs flatten gather index indexPut indexPut_ indexAdd indexSelect
    maskedFill maskedSelect movedim narrow nonzero permute repeat reshape scatter scatterAdd
    scatterReduce select slice parseSlice split squeeze stack swapaxes t take transpose
    unbind unflatten unsqueeze view where copy_
  `),
  "Random sampling": names(`
    manualSeed DEFAULT_SEED defaultGenerator rand randLike randn randnLike randint randperm bernoulli uniform_
    normal_
  `),
  "Pointwise Ops": names(`
    abs acos acosh add addcdiv addcmul asin asinh atan atan2 atanh bitwiseAnd
    bitwiseLeftShift bitwiseNot bitwiseOr bitwiseRightShift bitwiseXor ceil clamp copysign
    cos cosh div erf erfc exp exp2 expm1 floor floorDivide fmod frac hypot lerp log log10
    log1p log2 logaddexp logicalAnd logicalNot logicalOr logicalXor mul neg pow reciprocal
    remainder round rsqrt sigmoid sign sin sinh sqrt square sub tan tanh trunc
  `),
  "Reduction Ops": names(`
    all amax amin any argmax argmin max mean min prod std sum var variance median logsumexp
  `),
  "Comparison Ops": names(`
    allclose eq equal ge gt isclose isfinite isinf isnan le lt maximum minimum ne
    sort argsort msort topk kthvalue
  `),
  "Other Operations": names(`
    diag diagonal flip meshgrid oneHot repeatInterleave roll tril triu unfold
    cumsum cumprod cummax cummin logcumsumexp diff einsum
  `),
  "BLAS and LAPACK Operations": names(`
    dot matmul mm
  `),
  "Convolution functions (torch.nn.functional)": names(`
    conv1d conv2d convTranspose1d convTranspose2d
  `),
  "Pooling functions (torch.nn.functional)": names(`
    maxPool1d maxPool2d avgPool1d avgPool2d adaptiveAvgPool1d adaptiveAvgPool2d
  `),
  "Non-linear activation functions (torch.nn.functional)": names(`
    relu softmax logSoftmax softmin gelu silu mish softplus softsign logsigmoid leakyRelu
    elu celu selu relu6 hardswish hardsigmoid hardtanh
  `),
  Autograd: names(`
    backward requiresGrad_ detach retainGrad registerHook
  `),
  Printing: names(`
    getPrintOptions setPrintOptions
  `),
  "Backward helpers (the rules autograd composes)": names(`
    addScaled reducedShape reluBackward selectBackward diagonalBackward unfoldBackward sumTo
  `),
};

/** The group of a function or method name: an in-place `x_` joins `x`'s group unless listed itself. */
export function torchGroupOf(name) {
  for (const [group, names] of Object.entries(TORCH_GROUPS)) if (names.includes(name)) return group;
  if (name.endsWith("_")) return torchGroupOf(name.slice(0, -1));
  return undefined;
}
