import { Size, Tensor } from "@x/tensor";

/**
 * Prints a value the way the examples show it: tensors as PyTorch prints them, numbers in full
 * (as JavaScript's console does), arrays and objects in a compact JS-like form.
 */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  return formatInner(value);
}

function formatInner(value: unknown): string {
  if (value instanceof Tensor || value instanceof Size) return value.toString();
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (Array.isArray(value)) return `[${value.map(formatInner).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${formatInner(v)}`);
    return `{ ${entries.join(", ")} }`;
  }
  return String(value);
}

/** A number with up to `digits` significant digits, without a trailing-zero tail. */
export function formatNumber(x: number, digits = 6): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x !== 0 && (Math.abs(x) >= 1e7 || Math.abs(x) < 1e-4)) return x.toExponential(3);
  return String(Number(x.toPrecision(digits)));
}

/** What an example calls to print: `print(tensor)`, `print("loss", loss.item())`. */
export type Print = (...values: unknown[]) => void;

/** Tick labels for log axes: 1e+6 rather than SI prefixes (1M, 10G, 100E …). */
export function logTick(x: number): string {
  if (x === 0) return "0";
  if (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3) {
    const exponent = Math.round(Math.log10(Math.abs(x)));
    return Math.abs(x - 10 ** exponent) < 1e-9 * Math.abs(x) ? `1e${exponent}` : x.toExponential(0);
  }
  return String(Number(x.toPrecision(6)));
}

/**
 * A learning rate in the one notation the pages use, the book's `1e-2`: mantissa, "e", exponent
 * (3e-4, 1e-1, 1e0), never 0.0001 beside 1e-4.
 */
export function formatLr(lr: number): string {
  if (!(lr > 0) || !Number.isFinite(lr)) return formatNumber(lr);
  const exponent = Math.floor(Math.log10(lr) + 1e-9);
  const mantissa = Number((lr / 10 ** exponent).toPrecision(6));
  return `${mantissa}e${exponent}`;
}
