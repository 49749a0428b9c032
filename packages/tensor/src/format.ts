import { toExponentialPython, toFixedPython } from "./decimal";
import { isFloating } from "./dtype";
import { type PrintOptions, printOptions } from "./print-options";
import type { Tensor } from "./tensor";

/** Formats one element, and the width torch aligns every element to. */
interface Formatter {
  readonly format: (value: number) => string;
  readonly width: number;
}

function special(value: number): string | null {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return null;
}

/**
 * PyTorch's `_Formatter`: the notation (integer, fixed or scientific) and the width come from the
 * nonzero finite values shown; a forced `sciMode` changes the notation but keeps that width.
 */
function makeFormatter(values: readonly number[], dtype: Tensor["dtype"]): Formatter {
  if (dtype === "bool") {
    const width = values.some((v) => !v) ? 5 : 4;
    return { format: (v) => (v ? "True" : "False").padStart(width), width };
  }
  if (!isFloating(dtype)) {
    const width = values.reduce((w, v) => Math.max(w, String(v).length), 1);
    return { format: (v) => String(v).padStart(width), width };
  }
  const { precision, sciMode } = printOptions();
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const v of finite) {
    max = Math.max(max, Math.abs(v));
    min = Math.min(min, Math.abs(v));
  }
  const intMode = finite.every((v) => v === Math.ceil(v));
  const autoSci = finite.length > 0 && (max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4));
  const auto = (v: number): string =>
    autoSci
      ? toExponentialPython(v, precision)
      : intMode
        ? `${toFixedPython(v, 0)}.`
        : toFixedPython(v, precision);
  const width = finite.reduce((w, v) => Math.max(w, auto(v).length), 1);
  // (torch keeps integer notation when nothing is nonzero and finite, whatever sciMode says)
  const sci = finite.length > 0 && (sciMode ?? autoSci);
  const render = (v: number): string =>
    special(v) ??
    (sci
      ? toExponentialPython(v, precision)
      : intMode
        ? `${toFixedPython(v, 0)}.`
        : toFixedPython(v, precision));
  return { format: (v) => render(v).padStart(width), width };
}

/** What one print needs besides the tensor: the options, whether to summarise, the formatter. */
interface Layout {
  readonly options: PrintOptions;
  readonly summarize: boolean;
  readonly formatter: Formatter;
}

/** The positions shown along a dim of `size`: all, or `edgeitems` at each end around a -1 ("..."). */
function shownIndices(size: number, summarize: boolean, { edgeitems }: PrintOptions): number[] {
  if (!summarize || size <= 2 * edgeitems) return Array.from({ length: size }, (_, i) => i);
  const head = Array.from({ length: edgeitems }, (_, i) => i);
  return [...head, -1, ...head.map((i) => size - edgeitems + i)];
}

function shownValues(x: Tensor, summarize: boolean, options: PrintOptions): number[] {
  const values: number[] = [];
  const walk = (position: number, dim: number): void => {
    if (dim === x.ndim) {
      values.push(x.storage.data[position] as number);
      return;
    }
    const stride = x.strides[dim] as number;
    for (const i of shownIndices(x.shape[dim] as number, summarize, options))
      if (i !== -1) walk(position + i * stride, dim + 1);
  };
  walk(x.offset, 0);
  return values;
}

function body(x: Tensor, position: number, dim: number, indent: number, layout: Layout): string {
  const { format, width } = layout.formatter;
  if (dim === x.ndim) return format(x.storage.data[position] as number);
  const stride = x.strides[dim] as number;
  const indices = shownIndices(x.shape[dim] as number, layout.summarize, layout.options);
  if (dim === x.ndim - 1) {
    const items = indices.map((i) =>
      i === -1 ? " ..." : format(x.storage.data[position + i * stride] as number),
    );
    const perLine = Math.max(1, Math.floor((layout.options.linewidth - indent) / (width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine)
      lines.push(items.slice(i, i + perLine).join(", "));
    return `[${lines.join(`,\n${" ".repeat(indent + 1)}`)}]`;
  }
  const rows = indices.map((i) =>
    i === -1 ? "..." : body(x, position + i * stride, dim + 1, indent + 1, layout),
  );
  const remaining = x.ndim - dim;
  return `[${rows.join(`,${"\n".repeat(remaining - 1)}${" ".repeat(indent + 1)}`)}]`;
}

/**
 * PyTorch-style text of a tensor (`tensor([1.0000, 2.5000], requires_grad=True)`), laid out with
 * the current {@link PrintOptions} exactly as torch's `_tensor_str`.
 */
export function formatTensor(x: Tensor): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const options = printOptions();
  const summarize = x.numel() > options.threshold;
  const suffixes: string[] = [];
  let text: string;
  if (x.numel() === 0) {
    text = "[]";
    if (x.ndim !== 1) suffixes.push(`size=(${x.shape.join(", ")})`);
  } else {
    const formatter = makeFormatter(shownValues(x, summarize, options), x.dtype);
    text = body(x, x.offset, 0, indent, { options, summarize, formatter });
  }
  if (x.dtype === "float64") suffixes.push("dtype=float64");
  if (x.gradFn !== null) suffixes.push(`grad_fn=<${x.gradFn.name}>`);
  else if (x.requiresGrad) suffixes.push("requires_grad=True");
  let out = prefix + text;
  let lastLine = out.length - out.lastIndexOf("\n") + 1; // PyTorch's _add_suffixes arithmetic
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > options.linewidth) {
      out += `,\n${" ".repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}
