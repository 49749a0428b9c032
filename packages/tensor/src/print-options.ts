import { describeValue, TensorError } from "./errors";

/** How tensors print (PyTorch's `torch.set_printoptions`); read with {@link getPrintOptions}. */
export interface PrintOptions {
  /** Digits after the decimal point of floating values (default 4). */
  readonly precision: number;
  /** Element count above which a tensor is summarised with `...` (default 1000; `Infinity` never). */
  readonly threshold: number;
  /** Items shown at each end of a summarised dim (default 3). */
  readonly edgeitems: number;
  /** Characters per line before a row wraps (default 80). */
  readonly linewidth: number;
  /** Scientific notation always (`true`), never (`false`), or chosen from the values (`null`, default). */
  readonly sciMode: boolean | null;
}

/** What {@link setPrintOptions} takes: any options to change, optionally starting from a profile. */
export interface SetPrintOptions extends Partial<PrintOptions> {
  /**
   * Starts from preset values, as torch's `profile`: `"default"` (precision 4, threshold 1000,
   * edgeitems 3, linewidth 80), `"short"` (precision 2, edgeitems 2) or `"full"` (no summary).
   */
  readonly profile?: "default" | "short" | "full" | undefined;
}

const DEFAULTS: PrintOptions = {
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
};

const PROFILES = {
  default: {},
  short: { precision: 2, edgeitems: 2 },
  full: { threshold: Number.POSITIVE_INFINITY },
} as const;

let current: PrintOptions = DEFAULTS;

/** The print options in effect (a copy: change them with {@link setPrintOptions}). */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}

/** The options tensors print with now (internal: no copy). */
export function printOptions(): PrintOptions {
  return current;
}

const API = "setPrintOptions";

function invalid(name: string, value: unknown, expected: string): TensorError {
  return new TensorError(
    "INVALID_ARGUMENT",
    API,
    `option '${name}' must be ${expected}, but got ${describeValue(value)}. Hint: e.g. setPrintOptions({ precision: 2, edgeitems: 2, linewidth: 75 }).`,
  );
}

function checkCount(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw invalid(name, value, `a whole number from ${min} to ${max}`);
}

/**
 * Sets how tensors print, like `torch.set_printoptions`: only the options given change (a
 * `profile` first resets the four numeric options to its preset). `sciMode: null` lets the values
 * choose the notation, as torch's `None`.
 *
 * @example
 * setPrintOptions({ edgeitems: 2, linewidth: 75 }); // the book's notebooks
 * setPrintOptions({ profile: "default" }); // back to PyTorch's defaults
 */
export function setPrintOptions(options: SetPrintOptions): void {
  if (typeof options !== "object" || options === null)
    throw invalid("options", options, "an object");
  const known = new Set([...Object.keys(DEFAULTS), "profile"]);
  for (const key of Object.keys(options))
    if (!known.has(key)) throw invalid(key, "(unknown option)", `one of ${[...known].join(", ")}`);
  const { profile, precision, threshold, edgeitems, linewidth, sciMode } = options;
  if (profile !== undefined && !Object.hasOwn(PROFILES, profile))
    throw invalid("profile", profile, '"default", "short" or "full"');
  if (precision !== undefined) checkCount("precision", precision, 0, 100);
  // (torch accepts 0, then prints "..." followed by every element: a slicing slip, not a layout)
  if (edgeitems !== undefined) checkCount("edgeitems", edgeitems, 1, 2 ** 31 - 1);
  if (linewidth !== undefined) checkCount("linewidth", linewidth, 1, 2 ** 31 - 1);
  if (threshold !== undefined && !(typeof threshold === "number" && threshold >= 0))
    throw invalid("threshold", threshold, "a number >= 0 (Infinity to never summarise)");
  if (sciMode !== undefined && sciMode !== null && typeof sciMode !== "boolean")
    throw invalid("sciMode", sciMode, "true, false or null (automatic)");
  const base = profile === undefined ? current : { ...DEFAULTS, sciMode: current.sciMode };
  const defined = Object.entries(options).filter(([k, v]) => k !== "profile" && v !== undefined);
  current = { ...base, ...(profile ? PROFILES[profile] : {}), ...Object.fromEntries(defined) };
}
