import { cat, full, type Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";

/** How {@link pad} fills the new border. */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Options of {@link pad}, as torch's keyword arguments. */
export interface PadOptions {
  /** `'constant'` (default): `value`; `'reflect'`: mirrored without the edge; `'replicate'`: the edge repeated; `'circular'`: wrapped around. */
  mode?: PadMode;
  /** The fill of `'constant'` mode (default 0). */
  value?: number;
}

/** Marks an output position that takes the constant fill instead of an input element. */
export const FILL = -1;

/**
 * Builds the trailing `maps.length` dims of the result from `x`: output position `i` of trailing
 * dim `d` reads input position `maps[d][i]` (or the constant `fill` where any of them is
 * {@link FILL}). One `indexSelect` over the flattened trailing dims, so the gradient is that
 * op's, summed over output positions in row-major order, as torch's padding and upsampling
 * kernels sum it.
 */
export function gatherTrailing(x: Tensor, maps: readonly number[][], fill = 0): Tensor {
  const lead = x.shape.slice(0, x.ndim - maps.length);
  const inSizes = x.shape.slice(x.ndim - maps.length);
  const count = inSizes.reduce((a, b) => a * b, 1);
  let flat: number[] = [0];
  maps.forEach((map, d) => {
    const size = inSizes[d] as number;
    const next: number[] = [];
    for (const base of flat) {
      for (const at of map) next.push(base === count || at === FILL ? count : base * size + at);
    }
    flat = next;
  });
  let source = x.reshape([...lead, count]);
  if (flat.includes(count)) {
    source = cat([source, full([...lead, 1], fill, { dtype: x.dtype })], lead.length);
  }
  const picked = source.indexSelect(lead.length, flat);
  return picked.reshape([...lead, ...maps.map((m) => m.length)]);
}

/** The input position that output position `at − before` reads along a dim of `size`. */
function sourceOf(mode: PadMode, position: number, size: number): number {
  if (position >= 0 && position < size) return position;
  switch (mode) {
    case "constant":
      return FILL;
    case "replicate":
      return Math.min(Math.max(position, 0), size - 1);
    default:
      return position < 0 ? -position : 2 * (size - 1) - position;
  }
}

/**
 * Circular padding as torch 1.13 builds it: the input cropped by the negative amounts is copied
 * to the centre, then each dim (the last first) copies the centre's end before it and its start
 * after it. Two `indexSelect`s per dim (`[centre, start, end]`, then into place) so the gradient
 * adds up as torch's copies do: centre, then the copy after it, then the one before it.
 */
function circularPad(x: Tensor, amounts: number[]): Tensor {
  let out = x;
  for (let k = 0; k < amounts.length / 2; k++) {
    const dim = x.ndim - 1 - k;
    const [before, after] = [amounts[2 * k] as number, amounts[2 * k + 1] as number];
    const [cropBefore, cropAfter] = [Math.max(-before, 0), Math.max(-after, 0)];
    const [padBefore, padAfter] = [Math.max(before, 0), Math.max(after, 0)];
    const kept = (x.shape[dim] as number) - cropBefore - cropAfter;
    const range = (length: number, start: number) => Array.from({ length }, (_, i) => start + i);
    const sources = [
      ...range(kept, cropBefore),
      ...range(padAfter, cropBefore),
      ...range(padBefore, cropBefore + kept - padBefore),
    ];
    const places = [
      ...range(padBefore, kept + padAfter),
      ...range(kept, 0),
      ...range(padAfter, kept),
    ];
    out = out.indexSelect(dim, sources).indexSelect(dim, places);
  }
  return out;
}

function checkPadding(x: Tensor, padding: unknown, mode: PadMode): number[] {
  if (
    !Array.isArray(padding) ||
    padding.length % 2 !== 0 ||
    !padding.every((p) => Number.isSafeInteger(p))
  ) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "pad",
      `pad must be an array of integers of even length (before and after, last dim first), but got ${show(padding)}. Hint: pad(x, [1, 1]) pads the last dim by one on each side.`,
    );
  }
  const dims = padding.length / 2;
  if (dims > x.ndim) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "pad",
      `padding length ${padding.length} pads ${dims} dims, but the input of shape ${formatShape(x.shape)} has only ${x.ndim}. Hint: give at most ${2 * x.ndim} numbers.`,
    );
  }
  // torch's non-constant modes pad 1 to 3 trailing dims of a batched or unbatched input
  // ([N, C, …] or [C, …]); circular only batched ones
  const ranks = mode === "circular" ? [dims + 2] : [dims + 1, dims + 2];
  if (mode !== "constant" && (dims < 1 || dims > 3 || !ranks.includes(x.ndim))) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "pad",
      `${mode} padding of ${dims} dims (padding length ${padding.length}) expects a ${ranks.join("-d or ")}-d input, but got shape ${formatShape(x.shape)}. Hint: ${mode} padding pads 1 to 3 trailing dims of [N, C, …]${mode === "circular" ? "" : " or [C, …]"} inputs.`,
    );
  }
  return padding as number[];
}

function checkSizes(x: Tensor, padding: number[], mode: PadMode): void {
  for (let k = 0; k < padding.length / 2; k++) {
    const dim = x.ndim - 1 - k;
    const size = x.shape[dim] as number;
    const [before, after] = [padding[2 * k] as number, padding[2 * k + 1] as number];
    const out = size + before + after;
    const kept = size - Math.max(-before, 0) - Math.max(-after, 0);
    const limit = mode === "reflect" ? size - 1 : mode === "circular" ? kept : Infinity;
    if (out < 0 || (mode !== "constant" && (out < 1 || Math.max(before, after) > limit))) {
      const why =
        mode === "reflect"
          ? `reflect padding must be smaller than the dim's size ${size}`
          : mode === "circular"
            ? `circular padding can wrap at most once (at most the ${kept} elements kept of the dim's ${size})`
            : `the padded size ${out} must be positive`;
      throw new NNError(
        "INVALID_ARGUMENT",
        "pad",
        `padding (${before}, ${after}) of dim ${dim} of the input of shape ${formatShape(x.shape)} is out of range: ${why}. Hint: pad less, or use mode 'replicate' or 'constant'.`,
      );
    }
  }
}

/**
 * Pads the last `pad.length / 2` dims of `x` (torch.nn.functional.pad): `pad` lists the amount
 * before and after each dim, the last dim first (`[left, right, top, bottom]`); negative amounts
 * crop. Differentiable (the gradient is gathered back as torch's padding backward does).
 *
 * @example
 * pad(x, [1, 1, 2, 0], { mode: "reflect" }) // [N, C, H, W] -> [N, C, H + 2, W + 2]
 */
export function pad(x: Tensor, padding: readonly number[], options: PadOptions = {}): Tensor {
  checkTensor(x, "pad", "input");
  const mode = options.mode ?? "constant";
  if (!["constant", "reflect", "replicate", "circular"].includes(mode)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "pad",
      `mode must be 'constant', 'reflect', 'replicate' or 'circular', but got ${show(mode)}.`,
    );
  }
  const value = options.value ?? 0;
  if (mode !== "constant" && options.value !== undefined && options.value !== 0) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "pad",
      `padding mode '${mode}' doesn't take in value argument (got value ${show(value)}). Hint: drop value, or use mode 'constant'.`,
    );
  }
  const amounts = checkPadding(x, padding, mode);
  checkSizes(x, amounts, mode);
  if (mode === "circular") return circularPad(x, amounts);
  const dims = amounts.length / 2;
  const maps: number[][] = [];
  for (let dim = x.ndim - dims; dim < x.ndim; dim++) {
    const k = x.ndim - 1 - dim;
    const size = x.shape[dim] as number;
    const [before, after] = [amounts[2 * k] as number, amounts[2 * k + 1] as number];
    maps.push(
      Array.from({ length: size + before + after }, (_, i) => sourceOf(mode, i - before, size)),
    );
  }
  return gatherTrailing(x, maps, value);
}
