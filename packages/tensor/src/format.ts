import type { Tensor } from "./tensor";

const precision = 4;
const lineWidth = 80;
const threshold = 1000;
const edgeItems = 3;

function pythonExponential(value: number): string {
  const [mantissa, exponent] = value.toExponential(precision).split("e") as [string, string];
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
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (finite.length === 0) return (v) => special(v) ?? `${sign(v)}${v.toFixed(0)}.`;
  const absolute = finite.map(Math.abs);
  const max = Math.max(...absolute);
  const min = Math.min(...absolute);
  const intMode = finite.every((v) => v === Math.ceil(v));
  let mode: "int" | "fixed" | "sci";
  if (intMode) mode = max / min > 1000 || max > 1e8 ? "sci" : "int";
  else mode = max / min > 1000 || max > 1e8 || min < 1e-4 ? "sci" : "fixed";
  const render = (v: number): string => {
    if (mode === "sci") return special(v) ?? sign(v) + pythonExponential(v);
    if (mode === "int") return special(v) ?? `${sign(v)}${v.toFixed(0)}.`;
    return special(v) ?? sign(v) + v.toFixed(precision);
  };
  const width = Math.max(1, ...finite.map((v) => render(v).length));
  return (v) => render(v).padStart(width);
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
    const indices =
      summarize && size > 2 * edgeItems
        ? [0, 1, 2, size - 3, size - 2, size - 1]
        : Array.from({ length: size }, (_, i) => i);
    for (const i of indices) walk(position + i * stride, dim + 1);
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
  const cut = summarize && size > 2 * edgeItems;
  const indices = cut
    ? [0, 1, 2, -1, size - 3, size - 2, size - 1]
    : Array.from({ length: size }, (_, i) => i);
  if (dim === x.ndim - 1) {
    const items = indices.map((i) =>
      i === -1 ? " ..." : format(x.storage.data[position + i * stride] as number),
    );
    const perLine = Math.max(1, Math.floor((lineWidth - indent) / (width + 2)));
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
  const summarize = x.numel() > threshold;
  const floating = x.dtype === "float32" || x.dtype === "float64";
  const suffixes: string[] = [];
  let text: string;
  if (x.numel() === 0) {
    text = "[]";
    if (x.ndim !== 1) suffixes.push(`size=(${x.shape.join(", ")}${x.ndim === 1 ? "," : ""})`);
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
    if (lastLine + suffix.length + 2 > lineWidth) {
      out += `,\n${" ".repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}
