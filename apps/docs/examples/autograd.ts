import "@x/autograd";
import {
  AutogradError,
  Function as AutogradFunction,
  type FunctionContext,
  grad,
  gradcheck,
  noGrad,
  setGradEnabled,
} from "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const model = (x: Tensor, w: Tensor, b: Tensor) => x.mul(w).add(b);
const lossFn = (tP: Tensor, t: Tensor) => tP.sub(t).pow(2).mean();

export function backward(print: Print = console.log) {
  // #region backward
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  print(params.grad); // null: no backward() yet
  const [w, b] = params.unbind();
  const loss = lossFn(model(tU, w, b), tC);
  print(loss); // the graph is recorded as we go
  loss.backward();
  print(params.grad); // the book: tensor([4517.2969,   82.6000])
  // #endregion backward
}

export function accumulate(print: Print = console.log) {
  // #region accumulate
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  for (let i = 0; i < 2; i++) {
    const [w, b] = params.unbind();
    lossFn(model(tU, w, b), tC).backward();
  }
  print(params.grad); // twice the gradient: backward() adds into .grad
  params.grad?.zero_();
  print(params.grad);
  // #endregion accumulate
}

export function trainingLoop(print: Print = console.log) {
  // #region training-loop
  // The book's 2_autograd.ipynb loop, on normalised input.
  const tUn = tU.mul(0.1);
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const learningRate = 1e-2;
  for (let epoch = 1; epoch <= 5000; epoch++) {
    if (params.grad !== null) params.grad.zero_();
    const [w, b] = params.unbind();
    const loss = lossFn(model(tUn, w, b), tC);
    loss.backward();
    noGrad(() => params.sub_(params.grad!.mul(learningRate)));
    if (epoch % 1000 === 0) print(`Epoch ${epoch}, Loss ${loss.item()}`);
  }
  print(params); // the book: tensor([  5.3671, -17.3012], requires_grad=True)
  // #endregion training-loop
}

export function gradModes(print: Print = console.log) {
  // #region grad-modes
  const params = tensor([5.0, -17.0], { requiresGrad: true });
  const [w, b] = params.unbind();
  const valLoss = noGrad(() => lossFn(model(tU, w, b), tC));
  print(valLoss.requiresGrad, valLoss.gradFn); // no graph was built
  const isTrain = false;
  const loss = setGradEnabled(isTrain, () => lossFn(model(tU, w, b), tC));
  print(loss.requiresGrad);
  print(params.detach().requiresGrad, params.isLeaf);
  // #endregion grad-modes
}

export function functional(print: Print = console.log) {
  // #region functional
  const x = tensor(3.0, { requiresGrad: true });
  const y = x.pow(3); // y = x³
  const [dy] = grad([y], [x], { createGraph: true }); // 3x² = 27
  const [d2y] = grad([dy!], [x]); // 6x = 18
  print(dy, d2y);
  // gradcheck compares against finite differences (use float64)
  const p = tensor([1.0, 0.0], { dtype: "float64", requiresGrad: true });
  const x64 = tU.double();
  const y64 = tC.double();
  print(gradcheck((q) => lossFn(model(x64, q.select(0, 0), q.select(0, 1)), y64), [p]));
  // #endregion functional
}

// #region custom-function
class Square extends AutogradFunction {
  static override forward(ctx: FunctionContext, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x);
  }
  static override backward(ctx: FunctionContext, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!).mul(2);
  }
}
// #endregion custom-function

export function customFunction(print: Print = console.log) {
  // #region custom-use
  const x = tensor([1.0, 2.0, 3.0], { requiresGrad: true });
  const y = Square.apply(x).sum();
  y.backward();
  print(y, x.grad);
  // #endregion custom-use
}

export function errors(print: Print = console.log) {
  // #region errors
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  try {
    params.sub_(1); // an in-place update of a leaf, outside noGrad
  } catch (e) {
    if (e instanceof AutogradError || e instanceof Error) print(e.message);
  }
  // #endregion errors
}

export function inPlaceViews(print: Print = console.log) {
  // #region in-place-views
  const a = tensor([1.0, 2.0, 3.0, 4.0], { requiresGrad: true });
  const b = a.mul(2);
  const middle = b.narrow(0, 1, 2);
  middle.mul_(3); // recorded: the write reaches b's graph
  print(b.gradFn?.name, middle.gradFn?.name); // CopySlices AsStridedBackward0
  b.sum().backward();
  print(a.grad); // tensor([2., 6., 6., 2.])
  try {
    a.narrow(0, 0, 2).zero_(); // a view of a leaf that requires grad, outside noGrad
  } catch (e) {
    if (e instanceof Error) print(e.message);
  }
  // #endregion in-place-views
}
