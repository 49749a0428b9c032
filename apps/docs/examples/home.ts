import "@x/autograd";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { fit, mseLoss } from "@x/train";

export function quickstart(print: (...values: unknown[]) => void = console.log) {
  // #region quickstart
  const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
  const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const model = (x: Tensor) => x.mul(params.select(0, 0)).add(params.select(0, 1));

  const history = fit({
    params: [params],
    model,
    lossFn: mseLoss,
    optimizer: new SGD([params], { lr: 1e-2 }),
    train: { x: tU.mul(0.1), y: tC }, // the book normalises t_u by 0.1
    epochs: 5000,
  });
  print(history.last?.trainLoss); // 2.927647…, as PyTorch prints
  print(params); // tensor([  5.3671, -17.3012], requires_grad=True)
  // #endregion quickstart
}
