import "@x/autograd";
import { Adam, SGD, StepLR } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const tUn = tU.mul(0.1);
const model = (x: Tensor, w: Tensor, b: Tensor) => x.mul(w).add(b);
const lossFn = (tP: Tensor, t: Tensor) => tP.sub(t).pow(2).mean();

export function oneStep(print: Print = console.log) {
  // #region one-step
  // The book's cell 8: one SGD step on normalised input, lr = 1e-2.
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = new SGD([params], { lr: 1e-2 });
  const [w, b] = params.unbind();
  const loss = lossFn(model(tUn, w, b), tC);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  print(params); // the book: tensor([1.7761, 0.1064], requires_grad=True)
  // #endregion one-step
}

export function sgdLoop(print: Print = console.log) {
  // #region sgd-loop
  // The book's cell 9/10 loop: zeroGrad, backward, step.
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = new SGD([params], { lr: 1e-2 });
  for (let epoch = 1; epoch <= 5000; epoch++) {
    const [w, b] = params.unbind();
    const loss = lossFn(model(tUn, w, b), tC);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    if (epoch % 1000 === 0) print(`Epoch ${epoch}, Loss ${loss.item()}`);
  }
  print(params); // the book: tensor([  5.3671, -17.3012], requires_grad=True)
  // #endregion sgd-loop
}

export function adam(print: Print = console.log) {
  // #region adam
  // The book's cell 11: Adam copes with the raw, unnormalised t_u.
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = new Adam([params], { lr: 1e-1 });
  for (let epoch = 1; epoch <= 2000; epoch++) {
    const [w, b] = params.unbind();
    const loss = lossFn(model(tU, w, b), tC);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    if (epoch % 500 === 0) print(`Epoch ${epoch}, Loss ${loss.item()}`);
  }
  print(params); // the book: tensor([  0.5367, -17.3021], requires_grad=True)
  // #endregion adam
}

export function groupsAndSchedulers(print: Print = console.log) {
  // #region groups
  const w = tensor([1.0], { requiresGrad: true });
  const b = tensor([0.0], { requiresGrad: true });
  // One learning rate per parameter group, as torch.optim.
  const optimizer = new SGD(
    [
      { params: [w], lr: 1e-4 },
      { params: [b], lr: 1e-2 },
    ],
    { lr: 1e-3, momentum: 0.9 },
  );
  print(optimizer.paramGroups.map((g) => g.lr));
  const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  for (let epoch = 0; epoch < 4; epoch++) {
    optimizer.step(); // (after backward() in a real loop)
    scheduler.step();
    print(
      `after epoch ${epoch + 1}:`,
      optimizer.paramGroups.map((g) => g.lr),
    );
  }
  print(Object.keys(optimizer.stateDict()));
  // #endregion groups
}
