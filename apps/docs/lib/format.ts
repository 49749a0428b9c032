import { Tensor } from "@x/tensor";

/** Prints a value the way the examples show it: tensors as PyTorch prints them, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value instanceof Tensor) return value.toString();
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return JSON.stringify(value, (_key, v) => (v instanceof Tensor ? v.toArray() : v));
}

/** A number with up to `digits` significant digits, without a trailing-zero tail. */
export function formatNumber(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e7 || Math.abs(x) < 1e-4)) return x.toExponential(3);
  return String(Number(x.toPrecision(digits)));
}

/** What an example calls to print: `print(tensor)`, `print("loss", loss.item())`. */
export type Print = (...values: unknown[]) => void;
