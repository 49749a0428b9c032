import { isFloating } from "./dtype";
import type { Tensor } from "./tensor";

/**
 * PyTorch's default print options. The numeric constants of this package are enums where a
 * bundle would otherwise carry them as variables: bundlers inline enum members as literals.
 */
enum Print {
  precision = 4,
  lineWidth = 80,
  threshold = 1000,
  edgeItems = 3,
}

function pythonExponential(value: number): string {
  const [mantissa, exponent] = value.toExponential(Print.precision).split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, "").padStart(2, "0")}`;
}

/** JS prints -0 as "0"; Python keeps the sign. */
function sign(value: number): string {
  return Object.is(value, -0) ? "-" : "";
}

function special(value: number): string | null {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return null;
}

/** PyTorch's `_Formatter`: picks integer, fixed or scientific notation from the values shown. */
function makeFormatter(
  values: readonly number[],
  floating: boolean,
  isBool: boolean,
): (value: number) => string {
  if (isBool) {
    const width = values.some((v) => !v) ? 5 : 4;
    return (v) => (v ? "True" : "False").padStart(width);
  }
  if (!floating) {
    const width = Math.max(1, ...values.map((v) => String(v).length));
    return (v) => String(v).padStart(width);
  }
  // With no finite non-zero value, max/min are -Infinity/Infinity: integer mode, width 1.
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  const absolute = finite.map(Math.abs);
  const max = Math.max(...absolute);
  const min = Math.min(...absolute);
  const intMode = finite.every((v) => v === Math.ceil(v));
  const mode =
    max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4) ? "sci" : intMode ? "int" : "fixed";
  const render = (v: number): string =>
    special(v) ??
    sign(v) +
      (mode === "sci"
        ? pythonExponential(v)
        : mode === "int"
          ? `${v.toFixed(0)}.`
          : v.toFixed(Print.precision));
  const width = Math.max(1, ...finite.map((v) => render(v).length));
  return (v) => render(v).padStart(width);
}

/** The positions shown along a dim of `size`: all, or the edges around a -1 (the "..."). */
function shownIndices(size: number, summarize: boolean): number[] {
  return summarize && size > 2 * Print.edgeItems
    ? [0, 1, 2, -1, size - 3, size - 2, size - 1]
    : Array.from({ length: size }, (_, i) => i);
}

function shownValues(x: Tensor, summarize: boolean): number[] {
  const values: number[] = [];
  const walk = (position: number, dim: number): void => {
    if (dim === x.ndim) {
      values.push(x.storage.data[position] as number);
      return;
    }
    const size = x.shape[dim] as number;
    const stride = x.strides[dim] as number;
    for (const i of shownIndices(size, summarize))
      if (i !== -1) walk(position + i * stride, dim + 1);
  };
  walk(x.offset, 0);
  return values;
}

function body(
  x: Tensor,
  position: number,
  dim: number,
  indent: number,
  summarize: boolean,
  format: (v: number) => string,
  width: number,
): string {
  if (dim === x.ndim) return format(x.storage.data[position] as number);
  const size = x.shape[dim] as number;
  const stride = x.strides[dim] as number;
  const indices = shownIndices(size, summarize);
  if (dim === x.ndim - 1) {
    const items = indices.map((i) =>
      i === -1 ? " ..." : format(x.storage.data[position + i * stride] as number),
    );
    const perLine = Math.max(1, Math.floor((Print.lineWidth - indent) / (width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine)
      lines.push(items.slice(i, i + perLine).join(", "));
    return `[${lines.join(`,\n${" ".repeat(indent + 1)}`)}]`;
  }
  const rows = indices.map((i) =>
    i === -1
      ? "..."
      : body(x, position + i * stride, dim + 1, indent + 1, summarize, format, width),
  );
  const remaining = x.ndim - dim;
  return `[${rows.join(`,${"\n".repeat(remaining - 1)}${" ".repeat(indent + 1)}`)}]`;
}

/** PyTorch-style text of a tensor (`tensor([1.0000, 2.5000], requires_grad=True)`). */
export function formatTensor(x: Tensor): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const summarize = x.numel() > Print.threshold;
  const floating = isFloating(x.dtype);
  const suffixes: string[] = [];
  let text: string;
  if (x.numel() === 0) {
    text = "[]";
    if (x.ndim !== 1) suffixes.push(`size=(${x.shape.join(", ")})`);
  } else {
    const format = makeFormatter(shownValues(x, summarize), floating, x.dtype === "bool");
    const width = format(x.storage.data[x.offset] as number).length;
    text = body(x, x.offset, 0, indent, summarize, format, width);
  }
  if (x.dtype === "float64") suffixes.push("dtype=float64");
  if (x.gradFn !== null) suffixes.push(`grad_fn=<${x.gradFn.name}>`);
  else if (x.requiresGrad) suffixes.push("requires_grad=True");
  let out = prefix + text;
  let lastLine = out.length - out.lastIndexOf("\n") + 1; // PyTorch's _add_suffixes arithmetic
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > Print.lineWidth) {
      out += `,\n${" ".repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}
