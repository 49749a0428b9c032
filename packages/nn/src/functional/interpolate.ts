import { type Tensor, tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { gatherTrailing } from "./pad";

/** Options of {@link interpolate}, as torch's keyword arguments (give `size` or `scaleFactor`). */
export interface InterpolateOptions {
  /** The output's spatial size: one number for every spatial dim, or one per dim. */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (the output size is rounded down). */
  scaleFactor?: number | readonly number[];
  /** `'nearest'` (default) or `'bilinear'` (4-d input only). */
  mode?: "nearest" | "bilinear";
  /** Bilinear only: map the corner pixels' centres onto each other (default false). */
  alignCorners?: boolean;
}

const OP = "interpolate";

function perDim(value: number | readonly number[], spatial: number, name: string): number[] {
  const list = typeof value === "number" ? Array<number>(spatial).fill(value) : [...value];
  if (list.length !== spatial || !list.every((v) => typeof v === "number" && v > 0)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      OP,
      `${name} must be a positive number or a list of ${spatial} of them (one per spatial dim), but got ${show(value)}.`,
    );
  }
  return list;
}

/** Output sizes and the scales torch's kernels use (the given scale factors, if any). */
function outputGeometry(x: Tensor, options: InterpolateOptions): [number[], (number | null)[]] {
  const spatial = x.ndim - 2;
  const inSizes = x.shape.slice(2);
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      OP,
      `give exactly one of size and scaleFactor, but got ${options.size === undefined ? "neither" : "both"}. Hint: interpolate(x, { scaleFactor: 2 }).`,
    );
  }
  if (options.size !== undefined) {
    const sizes = perDim(options.size, spatial, "size");
    if (!sizes.every(Number.isSafeInteger)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        OP,
        `size must hold integers, but got ${show(options.size)}.`,
      );
    }
    return [sizes, sizes.map(() => null)];
  }
  const scales = perDim(options.scaleFactor as number | number[], spatial, "scaleFactor");
  return [inSizes.map((s, d) => Math.floor(s * (scales[d] as number))), scales];
}

/** `value` rounded as the kernel's scalar type rounds it (float32 math for float32 input). */
type Round = (value: number) => number;

/** torch's `compute_scales_value`: input/output, or 1/scale when a scale factor was given. */
function scaleValue(round: Round, scale: number | null, inSize: number, outSize: number): number {
  return scale !== null && scale > 0 ? round(1 / scale) : round(inSize / outSize);
}

/** torch's `nearest_idx`: the input position output position `i` copies. */
function nearestMap(inSize: number, outSize: number, scale: number | null): number[] {
  return Array.from({ length: outSize }, (_, i) => {
    if (outSize === inSize) return i;
    if (outSize === 2 * inSize) return i >> 1;
    const ratio = scaleValue(Math.fround, scale, inSize, outSize);
    return Math.min(Math.floor(Math.fround(i * ratio)), inSize - 1);
  });
}

/** Both neighbours and their weights for every output position of one dim (torch's linear weights). */
interface LinearDim {
  low: number[];
  high: number[];
  lowWeight: number[];
  highWeight: number[];
}

function linearDim(
  round: Round,
  inSize: number,
  outSize: number,
  scale: number | null,
  alignCorners: boolean,
): LinearDim {
  const dim: LinearDim = { low: [], high: [], lowWeight: [], highWeight: [] };
  const ratio = alignCorners
    ? outSize > 1
      ? round((inSize - 1) / (outSize - 1))
      : 0
    : scaleValue(round, scale, inSize, outSize);
  for (let i = 0; i < outSize; i++) {
    if (outSize === inSize) {
      dim.low.push(i);
      dim.high.push(i);
      dim.lowWeight.push(1);
      dim.highWeight.push(0);
      continue;
    }
    const centred = round(ratio * (i + 0.5) - 0.5);
    const source = alignCorners ? round(ratio * i) : Math.max(centred, 0);
    const low = Math.trunc(source);
    const lambda = Math.min(Math.max(round(source - low), 0), 1);
    dim.low.push(low);
    dim.high.push(low < inSize - 1 ? low + 1 : low);
    dim.highWeight.push(lambda);
    dim.lowWeight.push(round(1 - lambda));
  }
  return dim;
}

function bilinear(
  x: Tensor,
  sizes: number[],
  scales: (number | null)[],
  alignCorners: boolean,
): Tensor {
  const round: Round = x.dtype === "float32" ? Math.fround : (v) => v;
  const [h, w] = [0, 1].map((d) =>
    linearDim(round, x.shape[d + 2] as number, sizes[d] as number, scales[d] ?? null, alignCorners),
  ) as [LinearDim, LinearDim];
  const weights = (values: number[], shape: number[]) =>
    tensor(values, { dtype: x.dtype }).reshape(shape);
  const [h0, h1] = [weights(h.lowWeight, [-1, 1]), weights(h.highWeight, [-1, 1])];
  const [w0, w1] = [weights(w.lowWeight, [-1]), weights(w.highWeight, [-1])];
  const corner = (rows: number[], cols: number[]) => gatherTrailing(x, [rows, cols]);
  // torch's order: h0·(w0·x00 + w1·x01) + h1·(w0·x10 + w1·x11)
  const top = corner(h.low, w.low).mul(w0).add(corner(h.low, w.high).mul(w1));
  const bottom = corner(h.high, w.low).mul(w0).add(corner(h.high, w.high).mul(w1));
  return top.mul(h0).add(bottom.mul(h1));
}

/**
 * Resizes the spatial dims of `x` (`[N, C, L]` or `[N, C, H, W]`; torch.nn.functional.interpolate)
 * to `size`, or by `scaleFactor`: `'nearest'` copies the nearest input element, `'bilinear'`
 * (4-d input) weighs the four neighbours. Differentiable.
 *
 * @example
 * interpolate(x, { scaleFactor: 2, mode: "bilinear" }) // [1, 3, 8, 8] -> [1, 3, 16, 16]
 */
export function interpolate(x: Tensor, options: InterpolateOptions = {}): Tensor {
  checkTensor(x, OP, "input");
  const mode = options.mode ?? "nearest";
  if (mode !== "nearest" && mode !== "bilinear") {
    throw new NNError(
      "INVALID_ARGUMENT",
      OP,
      `mode must be 'nearest' or 'bilinear', but got ${show(mode)}.`,
    );
  }
  if (mode === "nearest" && options.alignCorners !== undefined) {
    throw new NNError(
      "INVALID_ARGUMENT",
      OP,
      "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear. Hint: drop alignCorners for mode 'nearest'.",
    );
  }
  const wanted = mode === "bilinear" ? [4] : [3, 4];
  if (!wanted.includes(x.ndim)) {
    throw new NNError(
      "SHAPE_MISMATCH",
      OP,
      `mode '${mode}' expects a ${wanted.join("-d or ")}-d input [N, C, ${mode === "bilinear" ? "H, W" : "spatial…"}], but got shape ${formatShape(x.shape)}. Hint: add the batch dim with x.unsqueeze(0).`,
    );
  }
  const [sizes, scales] = outputGeometry(x, options);
  if (sizes.some((s) => s < 1)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      OP,
      `the output size ${formatShape(sizes)} of input ${formatShape(x.shape)} must be positive. Hint: use a larger size or scaleFactor.`,
    );
  }
  if (mode === "bilinear") return bilinear(x, sizes, scales, options.alignCorners ?? false);
  const maps = sizes.map((s, d) => nearestMap(x.shape[d + 2] as number, s, scales[d] ?? null));
  return gatherTrailing(x, maps);
}
