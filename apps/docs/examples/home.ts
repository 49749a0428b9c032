import { tensor } from "@x/tensor";
import type { Print } from "../lib/format";

export function celsius(print: Print) {
  // #region celsius
  const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
  const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
  const loss = tU.mul(1).add(0).sub(tC).pow(2).mean();
  print(loss);
  // #endregion celsius
}
