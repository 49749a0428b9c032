// Python's float formatting ('{:.4f}', '{:.4e}'), which PyTorch prints with: the exact decimal
// value of the double, rounded half to even. JS's toFixed/toExponential round ties up instead
// (0.03125 → "0.0313" where Python prints "0.0312"), so the digits are rounded here.

/** The exact decimal expansion of a finite |x|: significant digits, and where the point goes. */
interface Digits {
  /** Significant digits, no leading zeros ("" for zero). */
  digits: string;
  /** Digits before the point: 123.4 → 3, 0.05 → -1. */
  point: number;
}

function exactDigits(x: number): Digits {
  const magnitude = Math.abs(x);
  // Doubles ≥ 1e21 are integers (BigInt is exact); below, toFixed(100) is exact for every value
  // whose expansion can tie at a printed digit (a tie needs a short expansion).
  const text = magnitude >= 1e21 ? BigInt(magnitude).toString() : magnitude.toFixed(100);
  const [whole, fraction = ""] = text.split(".") as [string, string?];
  const all = (whole + fraction).replace(/0+$/, "");
  const leading = all.length - all.replace(/^0+/, "").length;
  return { digits: all.slice(leading), point: whole.length - leading };
}

/** Keeps the first `keep` digits, rounding half to even on the exact value. */
function roundDigits({ digits, point }: Digits, keep: number): Digits {
  if (keep >= digits.length) return { digits, point };
  if (keep < 0) return { digits: "", point };
  const next = digits.charCodeAt(keep) - 48;
  const tie = next === 5 && keep + 1 === digits.length;
  const last = keep === 0 ? 0 : digits.charCodeAt(keep - 1) - 48;
  const up = next > 5 || (next === 5 && !tie) || (tie && last % 2 === 1);
  const kept = digits.slice(0, keep);
  if (!up) return { digits: kept, point };
  const raised = (BigInt(`0${kept}`) + 1n).toString();
  // a carry out of the first digit (9.99 → 10.0) moves the point one place right
  return keep === 0 || raised.length > kept.length
    ? { digits: raised, point: point + 1 }
    : { digits: raised.padStart(keep, "0"), point };
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

/** `'{:.{precision}f}'.format(x)` for a finite x. */
export function toFixedPython(x: number, precision: number): string {
  const exact = exactDigits(x);
  const { digits, point } = roundDigits(exact, exact.point + precision);
  const padded = digits.padEnd(point + precision, "0");
  const whole = point > 0 ? padded.slice(0, point) : "0";
  const fraction = point >= 0 ? padded.slice(point) : "0".repeat(-point) + padded;
  return `${signOf(x)}${whole}${precision > 0 ? `.${fraction.slice(0, precision)}` : ""}`;
}

/** `'{:.{precision}e}'.format(x)` for a finite x: at least two exponent digits, sign always. */
export function toExponentialPython(x: number, precision: number): string {
  const exact = exactDigits(x);
  if (exact.digits === "") return `${signOf(x)}${(0).toFixed(precision)}e+00`;
  const { digits, point } = roundDigits(exact, precision + 1);
  const mantissa = digits.padEnd(precision + 1, "0");
  const exponent = point - 1;
  const tail = precision > 0 ? `.${mantissa.slice(1, precision + 1)}` : "";
  const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${signOf(x)}${mantissa[0]}${tail}e${power}`;
}
