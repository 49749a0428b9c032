// The gradient of the chapter's loss two ways: finite differences (section 5.4.1) and autograd.
import { gradcheck } from "@x/autograd";
import { type DType, tensor } from "@x/tensor";
import { lossAt, lossFn, model, thermometer } from "./model";

export type Method = "central" | "forward";

/** ∂L/∂w and ∂L/∂b by nudging each parameter by `delta`, evaluating the loss in `dtype`. */
export function finiteDifference(
  w: number,
  b: number,
  delta: number,
  method: Method,
  dtype: DType,
): [number, number] {
  const { tU, tC } = thermometer({ dtype });
  const loss = (wv: number, bv: number) => lossAt(tU, tC, wv, bv);
  if (method === "central") {
    return [
      (loss(w + delta, b) - loss(w - delta, b)) / (2 * delta),
      (loss(w, b + delta) - loss(w, b - delta)) / (2 * delta),
    ];
  }
  const base = loss(w, b);
  return [(loss(w + delta, b) - base) / delta, (loss(w, b + delta) - base) / delta];
}

/** ∂L/∂w and ∂L/∂b from `backward()`, in `dtype`. */
export function autogradGradient(w: number, b: number, dtype: DType): [number, number] {
  const { tU, tC } = thermometer({ dtype });
  const params = tensor([w, b], { dtype, requiresGrad: true });
  const [pw, pb] = params.unbind();
  lossFn(model(tU, pw!, pb!), tC).backward();
  return params.grad!.toArray() as [number, number];
}

/** The largest relative error of a finite-difference estimate against autograd (float64). */
export function relativeError(estimate: [number, number], exact: [number, number]): number {
  return Math.max(
    ...estimate.map((e, i) => Math.abs(e - exact[i]!) / Math.max(Math.abs(exact[i]!), 1e-12)),
  );
}

/** `gradcheck` from @x/autograd on the loss at (w, b), in float64 as torch recommends. */
export function checkWithGradcheck(w: number, b: number): true {
  const { tU, tC } = thermometer({ dtype: "float64" });
  const params = tensor([w, b], { dtype: "float64", requiresGrad: true });
  return gradcheck(
    (p) => {
      const [pw, pb] = p.unbind();
      return lossFn(model(tU, pw!, pb!), tC);
    },
    [params],
  );
}
