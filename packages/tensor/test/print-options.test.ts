import { afterEach, describe, expect, it } from "vitest";
import { arange, getPrintOptions, setPrintOptions, TensorError, tensor } from "../src/index";

const DEFAULTS = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };

afterEach(() => setPrintOptions({ profile: "default", sciMode: null }));

function errorOf(fn: () => unknown): TensorError {
  try {
    fn();
  } catch (error) {
    if (TensorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a TensorError");
}

describe("getPrintOptions / setPrintOptions", () => {
  it("starts at PyTorch's defaults and returns a copy", () => {
    const options = getPrintOptions();
    expect(options).toEqual(DEFAULTS);
    (options as { precision: number }).precision = 9;
    expect(getPrintOptions().precision).toBe(4);
  });

  it("setting one option keeps the others (sciMode too, unlike torch's keyword default)", () => {
    setPrintOptions({ sciMode: false });
    setPrintOptions({ precision: 2 });
    expect(getPrintOptions()).toEqual({ ...DEFAULTS, precision: 2, sciMode: false });
    expect(tensor([1e-5, 1e5]).toString()).toBe("tensor([    0.00, 100000.00])"); // torch 1.13 prints the same;
    setPrintOptions({ sciMode: null });
    expect(tensor([1e-5, 1e5]).toString()).toBe("tensor([1.00e-05, 1.00e+05])");
  });

  it("a profile resets the numbers, then the other options given apply", () => {
    setPrintOptions({ precision: 7, linewidth: 60 });
    setPrintOptions({ profile: "short", linewidth: 70 });
    expect(getPrintOptions()).toEqual({ ...DEFAULTS, precision: 2, edgeitems: 2, linewidth: 70 });
    setPrintOptions({ profile: "full" });
    expect(getPrintOptions().threshold).toBe(Number.POSITIVE_INFINITY);
    expect(arange(2000).toString()).not.toContain("...");
  });

  it("undefined options change nothing", () => {
    setPrintOptions({ precision: 3 });
    setPrintOptions({ precision: undefined, sciMode: undefined });
    expect(getPrintOptions()).toEqual({ ...DEFAULTS, precision: 3 });
  });

  it.each([
    [{ precision: -1 }, "precision", "-1"],
    [{ precision: 2.5 }, "precision", "2.5"],
    [{ precision: 101 }, "precision", "101"],
    [{ edgeitems: 0 }, "edgeitems", "0"],
    [{ linewidth: 0 }, "linewidth", "0"],
    [{ threshold: -5 }, "threshold", "-5"],
    [{ threshold: Number.NaN }, "threshold", "NaN"],
    [{ sciMode: "yes" }, "sciMode", '"yes"'],
    [{ profile: "compact" }, "profile", '"compact"'],
    [{ precison: 2 }, "precison", "(unknown option)"],
  ])("rejects %o with INVALID_ARGUMENT naming the option and value", (options, name, shown) => {
    const before = getPrintOptions();
    const error = errorOf(() => setPrintOptions(options as never));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.op).toBe("setPrintOptions");
    expect(error.message).toContain(`option '${name}'`);
    expect(error.message).toContain(shown);
    expect(error.message).toContain("Hint:");
    expect(getPrintOptions()).toEqual(before); // a rejected call changes nothing
  });

  it("rejects a non-object", () => {
    expect(errorOf(() => setPrintOptions(null as never)).message).toMatch(
      /^setPrintOptions: option 'options' must be an object, but got null/,
    );
  });
});
